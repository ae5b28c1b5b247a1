"""nn/datasets.py: shapes, labels, geometry, determinism, splitting, scaling, the optional real data."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from nn import datasets


def test_make_moons_shapes_labels_and_geometry():
    X, y = datasets.make_moons(101, noise=0.0, seed=0)
    assert X.shape == (101, 2) and y.shape == (101,)
    assert set(y.tolist()) == {0, 1}
    assert (y == 0).sum() == 50 and (y == 1).sum() == 51
    upper, lower = X[y == 0], X[y == 1]
    # without noise the upper moon lies on the unit circle, the lower on the circle about (1, 0.5)
    assert np.allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)
    assert np.allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0)
    assert (upper[:, 1] >= -1e-12).all() and (lower[:, 1] <= 0.5 + 1e-12).all()
    # the arcs' ends are where they should be: (1, 0), (-1, 0) and (0, 0.5), (2, 0.5)
    assert any(np.allclose(p, [-1.0, 0.0]) for p in upper) and any(np.allclose(p, [2.0, 0.5]) for p in lower)


def test_make_moons_is_shuffled_deterministic_and_noisy():
    X1, y1 = datasets.make_moons(100, noise=0.1, seed=3)
    X2, y2 = datasets.make_moons(100, noise=0.1, seed=3)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert not np.array_equal(X1, datasets.make_moons(100, noise=0.1, seed=4)[0])
    assert 0 < y1[:50].sum() < 50  # shuffled, not 50 zeros then 50 ones
    X0, y0 = datasets.make_moons(100, noise=0.0, seed=3)
    assert np.array_equal(y0, y1)
    assert 0.05 < np.std(X1 - X0) < 0.15  # the noise has the requested size


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_samples": 0}, "n_samples must be a positive int"),
        ({"noise": -0.1}, r"noise must be a finite number in \[0, 100\], got -0.1"),
    ],
)
def test_make_moons_refuses_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=f"make_moons: {message}"):
        datasets.make_moons(**kwargs)


def test_make_images_has_the_course_shapes_and_both_labels():
    X, Y = datasets.make_images(m=209, n_x=300, seed=0)
    assert X.shape == (300, 209) and Y.shape == (1, 209)
    assert X.min() >= 0.0 and X.max() <= 1.0
    assert 0.2 < Y.mean() < 0.8
    assert np.array_equal(datasets.make_images(5, 8, seed=1)[0], datasets.make_images(5, 8, seed=1)[0])


def test_train_test_split_partitions_the_rows():
    X = np.arange(40).reshape(20, 2)
    y = np.arange(20)
    X_train, X_test, y_train, y_test = datasets.train_test_split(X, y, test_fraction=0.25, seed=1)
    assert X_train.shape == (15, 2) and X_test.shape == (5, 2)
    assert sorted(np.concatenate([y_train, y_test]).tolist()) == list(range(20))
    assert np.array_equal(X_train[:, 0], 2 * y_train) and np.array_equal(X_test[:, 0], 2 * y_test)
    with pytest.raises(
        ValueError, match=r"expected X of shape \(m, n_features\) and y of shape \(m,\), got X \(20, 2\) and y \(19,\)"
    ):
        datasets.train_test_split(X, y[:-1])
    with pytest.raises(ValueError, match=r"test_fraction must be a finite number in \(0, 1\)"):
        datasets.train_test_split(X, y, test_fraction=1.0)


def test_standardize_uses_training_statistics():
    rng = np.random.default_rng(0)
    train = rng.normal(3.0, 2.0, size=(50, 3))
    test = rng.normal(3.0, 2.0, size=(10, 3))
    s_train, s_test = datasets.standardize(train, test)
    assert np.allclose(s_train.mean(axis=0), 0.0) and np.allclose(s_train.std(axis=0), 1.0)
    assert np.allclose(s_test, (test - train.mean(axis=0)) / train.std(axis=0))
    with pytest.raises(
        ValueError, match=r"standardize: array 1 must have shape \(k, 3\) with k >= 1, got shape \(10, 2\)"
    ):
        datasets.standardize(train, test[:, :2])


def test_a_constant_feature_is_centred_not_divided_by_rounding_noise():
    """0.1 three times has a computed std of about 1e-17, not 0: dividing by it gave -1 and 7e15."""
    s_train, s_test = datasets.standardize([[0.1, 1.0], [0.1, 3.0], [0.1, 2.0]], [[0.1, 2.0], [0.2, 4.0]])
    assert s_train[:, 0].tolist() == [0.0, 0.0, 0.0]
    assert s_test[:, 0].tolist() == [0.0, 0.2 - 0.1]  # shifted by the training value, not scaled
    assert s_train[:, 1].tolist() == [-1.224744871391589, 1.224744871391589, 0.0]
    with pytest.raises(
        ValueError,
        match=r"standardize: X_train must have shape \(m, n_features\) with m, n_features >= 1, got shape \(0, 2\)",
    ):
        datasets.standardize(np.zeros((0, 2)))


@pytest.mark.slow
def test_load_breast_cancer_through_scikit_learn():
    pytest.importorskip(
        "sklearn", reason="scikit-learn is not installed (the examples extra: pip install -e '.[examples]')"
    )
    X, y = datasets.load_breast_cancer()
    assert X.shape == (569, 30) and y.shape == (569,)
    assert set(y.tolist()) == {0, 1} and int(y.sum()) == 357  # 357 benign, 212 malignant


def test_load_breast_cancer_without_scikit_learn_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)  # makes "import sklearn" fail
    with pytest.raises(ImportError, match=r'pip install -e "\.\[examples\]" in the chainrule folder'):
        datasets.load_breast_cancer()


@pytest.mark.slow
def test_load_digits_has_the_course_shapes_and_binary_labels():
    pytest.importorskip(
        "sklearn", reason="scikit-learn is not installed (the examples extra: pip install -e '.[examples]')"
    )
    train_x_orig, train_y, test_x_orig, test_y = datasets.load_digits()
    assert (train_x_orig.shape, train_y.shape, test_x_orig.shape, test_y.shape) == (
        (1348, 8, 8),
        (1, 1348),
        (449, 8, 8),
        (1, 449),
    )
    assert set(np.unique(train_y)) | set(np.unique(test_y)) == {0, 1}
    assert train_x_orig.min() == 0.0 and train_x_orig.max() == 16.0  # the pixels, before scaling
    assert int(train_y.sum() + test_y.sum()) == 174  # the bundled set has 174 eights
    assert train_x_orig.reshape(1348, -1).T.shape == (64, 1348)  # flattened as the course does: n_x = 64


def test_load_digits_labels_the_positive_digit_and_is_reproducible():
    pytest.importorskip(
        "sklearn", reason="scikit-learn is not installed (the examples extra: pip install -e '.[examples]')"
    )
    from sklearn.datasets import load_digits as sklearn_digits

    bunch = sklearn_digits()
    a = datasets.load_digits(positive=3, test_fraction=0.5, seed=7)
    b = datasets.load_digits(positive=3, test_fraction=0.5, seed=7)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    images = np.concatenate([a[0], a[2]])
    labels = np.concatenate([a[1][0], a[3][0]])
    # each picture carries the label of its digit: 1 exactly where sklearn's target is 3
    for image, label in zip(images[:200], labels[:200]):
        (where,) = np.flatnonzero((bunch.images == image).all(axis=(1, 2)))[:1]
        assert label == int(bunch.target[where] == 3)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"positive": 10}, "from 0 to 9, got 10"),
        ({"positive": -1}, "positive"),
        ({"test_fraction": 1.0}, "test_fraction"),
    ],
)
def test_load_digits_refuses_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        datasets.load_digits(**kwargs)


def test_load_digits_without_scikit_learn_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    with pytest.raises(ImportError, match=r'pip install -e "\.\[examples\]" in the chainrule folder'):
        datasets.load_digits()


# Seeds and fractions (issue 19, item 12): a clear error naming the function and what is valid, before numpy's own.


@pytest.mark.parametrize("seed", [-1, 1.5, True, "0"])
@pytest.mark.parametrize(
    "make",
    [
        datasets.load_digits,
        datasets.make_moons,
        datasets.make_images,
        lambda seed: datasets.train_test_split(np.zeros((4, 2)), np.arange(4), seed=seed),
    ],
)
def test_a_seed_that_is_not_none_or_an_int_from_0_is_refused(make, seed):
    name = getattr(make, "__name__", "")
    where = name if name != "<lambda>" else "train_test_split"
    with pytest.raises(ValueError, match=rf"^{where}: seed must be None or an int >= 0, got {seed!r}$"):
        make(seed=seed)


@pytest.mark.parametrize(
    "test_fraction, held_out",
    [(0.9999, 1797), (1e-9, 0), (0.0002, 0)],  # 1797 · 0.9999 = 1796.8 rounds to 1797; 1797 · 0.0002 = 0.36 to 0
)
def test_load_digits_refuses_a_fraction_that_leaves_a_set_empty(test_fraction, held_out):
    pytest.importorskip("sklearn", reason="scikit-learn is not installed (the examples extra)")
    message = (
        rf"^load_digits: test_fraction={test_fraction!r} holds out {held_out} of the 1,797 pictures, leaving "
        rf"{1797 - held_out} for training; .* from 1/1797 to 1796/1797"
    )
    with pytest.raises(ValueError, match=message):
        datasets.load_digits(test_fraction=test_fraction)


def test_load_digits_holds_out_one_picture_at_each_end_of_the_valid_range():
    pytest.importorskip("sklearn", reason="scikit-learn is not installed (the examples extra)")
    train_x, train_y, test_x, test_y = datasets.load_digits(test_fraction=1 / 1797)
    assert (train_x.shape, test_x.shape) == ((1796, 8, 8), (1, 8, 8))
    train_x, train_y, test_x, test_y = datasets.load_digits(test_fraction=1796 / 1797)
    assert (train_x.shape, test_x.shape) == ((1, 8, 8), (1796, 8, 8))


def test_train_test_split_names_the_valid_fractions():
    with pytest.raises(
        ValueError, match=r"^train_test_split: test_fraction=0\.1 holds out 0 of the 3 examples.*1/3 to 2/3"
    ):
        datasets.train_test_split(np.zeros((3, 2)), np.arange(3), test_fraction=0.1)
    with pytest.raises(ValueError, match=r"^train_test_split: 1 examples are too few to split"):
        datasets.train_test_split(np.zeros((1, 2)), np.arange(1))


# Faults from an adversarial review: each test failed before its fix.


def test_standardize_does_not_overflow_near_the_largest_float():
    (s,) = datasets.standardize([[1e308], [-1e308]])
    assert s.tolist() == [[1.0], [-1.0]]
    (s,) = datasets.standardize([[1.5e308], [1.5e308], [-1.5e308]])  # the mean is 0.5e308, the std 1.41e308
    assert s[:, 0].tolist() == pytest.approx([2**-0.5, 2**-0.5, -(2**0.5)], rel=1e-15)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_standardize_refuses_values_that_are_not_finite(bad):
    with pytest.raises(ValueError, match=rf"^standardize: X_train\[1, 0\] is {bad!r} \(1 entry is NaN or infinite\)"):
        datasets.standardize([[1.0], [bad]])
    with pytest.raises(ValueError, match=rf"^standardize: array 1\[0, 0\] is {bad!r}"):
        datasets.standardize([[1.0], [2.0]], [[bad]])
    with pytest.raises(ValueError, match=r"^standardize: array 1 standardized\[0, 0\] is inf"):
        datasets.standardize([[1.0], [2.0]], [[1e308]])


@pytest.mark.parametrize("make", [datasets.make_planar, datasets.make_moons])
def test_noise_that_would_hide_the_shapes_or_overflow_is_refused(make):
    with pytest.raises(
        ValueError, match=rf"^{make.__name__}: noise must be a finite number in \[0, 100\], got 1e\+308$"
    ):
        make(noise=1e308)


def test_make_planar_refuses_a_seed_as_make_moons_does():
    for seed in (-1, 1.5, True, "0"):
        with pytest.raises(ValueError, match=rf"^make_planar: seed must be None or an int >= 0, got {seed!r}$"):
            datasets.make_planar(seed=seed)


@pytest.mark.parametrize(
    "make, what",
    [
        (lambda: datasets.make_moons(10**9), "make_moons: X and y would hold 3,000,000,000 numbers"),
        (lambda: datasets.make_images(10**5, 10**5), "make_images: X would hold 10,000,000,000 numbers"),
        (lambda: datasets.make_planar(10**10), "make_planar: X and Y would hold 30,000,000,000 numbers"),
    ],
)
def test_datasets_over_MAX_NUMBERS_are_refused_before_any_memory_goes(make, what):
    with pytest.raises(ValueError, match=rf"^{what}, more than MAX_NUMBERS = 100,000,000 \(800 MB\); ask for less$"):
        make()
