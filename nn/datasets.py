"""Small datasets for the examples and benchmarks: made with numpy, or bundled with scikit-learn.

Nothing here downloads anything. ``make_moons`` and ``make_images`` need only numpy;
``load_breast_cancer`` and ``load_digits`` read the copies that ship inside scikit-learn (the
``examples`` extra).

Orientation: ``make_moons``, ``load_breast_cancer`` and ``train_test_split`` use one ROW per
example (``X`` of shape ``(m, n_features)``, ``y`` of shape ``(m,)``), like scikit-learn, which
is also what the scalar engine's models take. ``make_images`` returns the course's vectorized
orientation, one COLUMN per example (``X`` of shape ``(n_x, m)``, ``Y`` of shape ``(1, m)``), and
``load_digits`` the course's pictures, ``(m, 8, 8)``, with labels of shape ``(1, m)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import checks, layout
from .layout import MAX_NOISE, check_array, check_seed, check_size


def make_moons(n_samples: int = 100, noise: float = 0.1, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles, a classic problem no straight line can separate.

    Args:
        n_samples: how many points; the upper moon gets ``n_samples // 2`` and the lower the rest.
        noise: the standard deviation of Gaussian noise added to each coordinate.
        seed: seeds the shuffle and the noise: None (fresh randomness) or an int >= 0.

    Returns:
        ``X`` of shape ``(n_samples, 2)`` and ``y`` of shape ``(n_samples,)`` with labels 0 (upper
        moon) and 1 (lower moon), in shuffled order. For the hinge loss use ``2 * y - 1``.

    >>> X, y = make_moons(6, noise=0.0, seed=0)
    >>> X.shape, sorted(y.tolist())
    ((6, 2), [0, 0, 0, 1, 1, 1])
    """
    n_samples = checks.integer("make_moons", "n_samples", n_samples)
    noise = checks.real("make_moons", "noise", noise, 0.0, MAX_NOISE)
    check_size("make_moons", "X and y", 3 * n_samples)
    rng = np.random.default_rng(check_seed("make_moons", seed))
    n_upper = n_samples // 2
    n_lower = n_samples - n_upper
    t_upper = np.linspace(0.0, np.pi, n_upper)
    t_lower = np.linspace(0.0, np.pi, n_lower)
    # Upper moon: the top half of the unit circle. Lower moon: the same arc flipped and shifted
    # right by 1 and down by 0.5, so each moon reaches into the other's hollow.
    upper = np.column_stack([np.cos(t_upper), np.sin(t_upper)])
    lower = np.column_stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)])
    X = np.vstack([upper, lower])
    y = np.concatenate([np.zeros(n_upper, dtype=np.int64), np.ones(n_lower, dtype=np.int64)])
    order = rng.permutation(n_samples)
    X, y = X[order], y[order]
    if noise:
        X = X + rng.normal(0.0, noise, size=X.shape)
    return X, y


def make_images(m: int = 209, n_x: int = 12288, seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic "pictures" at the course's scale: ``m`` flattened 64x64x3 images scaled to [0, 1].

    Pixels are uniform in [0, 1]; the label is 1 where a hidden linear rule of the pixels (plus a
    little noise) is positive, so logistic regression can learn it. Only the sizes mimic the
    course's cat pictures; the point is timing and checking the vectorized path.

    Returns:
        ``X`` of shape ``(n_x, m)`` (one column per example) and ``Y`` of shape ``(1, m)`` of 0/1.

    >>> X, Y = make_images(m=5, n_x=8, seed=1)
    >>> X.shape, Y.shape, bool(((0 <= X) & (X <= 1)).all())
    ((8, 5), (1, 5), True)
    """
    m = checks.integer("make_images", "m", m)
    n_x = checks.integer("make_images", "n_x", n_x)
    check_size("make_images", "X", n_x * m)
    rng = np.random.default_rng(check_seed("make_images", seed))
    X = rng.random((n_x, m))
    hidden_w = rng.normal(0.0, 1.0, size=(n_x, 1))
    scores = np.dot(hidden_w.T, X - 0.5) + rng.normal(0.0, 0.1 * np.sqrt(n_x), size=(1, m))
    Y = (scores > 0).astype(np.int64)
    return X, Y


def load_breast_cancer() -> tuple[np.ndarray, np.ndarray]:
    """The Wisconsin breast-cancer data bundled with scikit-learn (569 examples, 30 features).

    Returns:
        ``X`` of shape ``(569, 30)`` and ``y`` of shape ``(569,)``: 1 benign, 0 malignant.

    Raises:
        ImportError: scikit-learn is not installed; in the chainrule folder run ``pip install -e ".[examples]"``.
    """
    try:
        from sklearn import datasets as sklearn_datasets
    except ImportError:
        raise ImportError(
            "load_breast_cancer needs scikit-learn, which ships this dataset; install it by running "
            'pip install -e ".[examples]" in the chainrule folder (the clone of the repository)'
        ) from None
    bunch = sklearn_datasets.load_breast_cancer()
    return np.asarray(bunch.data, dtype=float), np.asarray(bunch.target, dtype=np.int64)


def load_digits(
    positive: int = 8, test_fraction: float = 0.25, seed: int | None = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Real pictures for the course's "cat or not" task: scikit-learn's bundled handwritten digits.

    1,797 pictures of 8x8 grey pixels (0 to 16), each a digit 0-9. The task is binary, as in the
    course: is this digit ``positive`` (label 1) or another one (label 0)? A fixed, seeded
    ``test_fraction`` of the pictures is held out. Flatten each picture to a column, as the course
    does with its 64x64x3 ones, and scale the pixels to [0, 1]::

        train_x_orig, train_y, test_x_orig, test_y = load_digits()
        train_x = train_x_orig.reshape(train_x_orig.shape[0], -1).T / 16   # (n_x, m) = (64, 1348)

    Returns:
        ``train_x_orig`` of shape ``(m_train, 8, 8)``, ``train_y`` of shape ``(1, m_train)``, and
        the same for the test set; labels are 0 or 1.

    Raises:
        ValueError: ``positive`` is not a digit 0-9, ``seed`` is not None or an int >= 0, or
            ``test_fraction`` leaves the training or the test set empty (valid: 1/1797 to 1796/1797).
        ImportError: scikit-learn is not installed; in the chainrule folder run ``pip install -e ".[examples]"``.
    """
    positive = checks.integer("load_digits", "positive (the digit labelled 1)", positive, minimum=0)
    if positive > 9:
        raise ValueError(f"load_digits: positive is the digit labelled 1, from 0 to 9, got {positive}")
    test_fraction = checks.real("load_digits", "test_fraction", test_fraction, 0.0, 1.0, low_open=True, high_open=True)
    seed = check_seed("load_digits", seed)
    try:
        from sklearn import datasets as sklearn_datasets
    except ImportError:
        raise ImportError(
            "load_digits needs scikit-learn, which ships these pictures; install it by running "
            'pip install -e ".[examples]" in the chainrule folder (the clone of the repository)'
        ) from None
    bunch = sklearn_datasets.load_digits()
    images = np.asarray(bunch.images, dtype=float)
    labels = (np.asarray(bunch.target) == positive).astype(np.int64)
    m = len(labels)
    n_test = _held_out("load_digits", "pictures", m, test_fraction)
    order = np.random.default_rng(seed).permutation(m)
    test, train = order[:n_test], order[n_test:]
    return images[train], labels[train].reshape(1, -1), images[test], labels[test].reshape(1, -1)


def train_test_split(
    X: Any, y: Any, test_fraction: float = 0.25, seed: int | None = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle the rows and hold out ``test_fraction`` of them: ``X_train, X_test, y_train, y_test``.

    >>> X_train, X_test, y_train, y_test = train_test_split(np.arange(8).reshape(4, 2), np.arange(4), 0.25)
    >>> X_train.shape, X_test.shape, y_test.shape
    ((3, 2), (1, 2), (1,))
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError(
            f"train_test_split: expected X of shape (m, n_features) and y of shape (m,), "
            f"got X {X.shape} and y {y.shape}"
        )
    test_fraction = checks.real(
        "train_test_split", "test_fraction", test_fraction, 0.0, 1.0, low_open=True, high_open=True
    )
    seed = check_seed("train_test_split", seed)
    m = X.shape[0]
    n_test = _held_out("train_test_split", "examples", m, test_fraction)
    order = np.random.default_rng(seed).permutation(m)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


def _held_out(where: str, what: str, m: int, test_fraction: float) -> int:
    """How many of ``m`` examples ``test_fraction`` holds out, or a ``ValueError`` if it leaves a set empty."""
    n_test = round(m * test_fraction)
    if not 0 < n_test < m:
        if m < 2:
            raise ValueError(f"{where}: {m} {what} are too few to split; the test and the training set need one each")
        raise ValueError(
            f"{where}: test_fraction={test_fraction!r} holds out {n_test} of the {m:,} {what}, leaving "
            f"{m - n_test} for training; each set needs at least one, so give a test_fraction from "
            f"1/{m} to {m - 1}/{m} (about {1 / m:.2g} to {(m - 1) / m:.5g})"
        )
    return n_test


def standardize(X_train: Any, *others: Any) -> tuple[np.ndarray, ...]:
    """Scale each feature (column) to mean 0 and standard deviation 1, using the TRAINING statistics.

    The same shift and scale are applied to ``others`` (e.g. the test set), so no information
    from the test set leaks into training. Constant features are left centred, not divided by 0.

    >>> train, test = standardize(np.array([[1.0, 5.0], [3.0, 5.0]]), np.array([[2.0, 6.0]]))
    >>> train.tolist(), test.tolist()
    ([[-1.0, 0.0], [1.0, 0.0]], [[0.0, 1.0]])
    """
    X_train = check_array("standardize", "X_train", X_train, ("m", "n_features"))
    # A constant column is told by its values, not by its computed std: that can be 1e-17, not 0.
    constant = (X_train == X_train[0]).all(axis=0)
    # Each column is divided by a power of 2 near its largest |x| first, which changes no digit of the
    # results, so that the mean and std of numbers near 1e308 do not overflow to inf.
    scale = np.where(constant, 1.0, np.ldexp(1.0, np.frexp(np.abs(X_train).max(axis=0))[1] - 1))
    mean = np.where(constant, X_train[0], (X_train / scale).mean(axis=0))
    std = np.where(constant, 1.0, (X_train / scale).std(axis=0))
    result = []
    for i, X in enumerate((X_train, *others)):
        X = check_array("standardize", f"array {i}" if i else "X_train", X, ("k", X_train.shape[1]))
        with np.errstate(over="ignore"):  # checked just below
            result.append((X / scale - mean) / std)
        layout.check_finite("standardize", f"array {i} standardized", result[-1])  # far outside X_train's range
    return tuple(result)


def make_planar(m: int = 400, noise: float = 0.2, seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """The course's week-3 "flower": two classes of points on the petals of a rose, in the plane.

    Eight petals of radius 4 around the origin. A petal's class is the parity of how many of three
    lines through the centre (at 45°, 90° and 135°) it lies to the left of, so two pairs of
    neighbouring petals share a class: no straight line separates the classes (logistic regression
    stays near 50%), while one hidden layer of 3 or 4 tanh units finds the three lines (about 90%).
    Each point sits at a random place along a petal of its class, moved by Gaussian noise of standard
    deviation ``noise`` along the petal (radians) and across it (radius).

    Returns:
        The course's layout, one COLUMN per example: ``X`` of shape ``(2, m)`` and ``Y`` of shape
        ``(1, m)`` with labels 0 and 1 (alternating, so each class has half of the points). For
        the scalar engine take the examples one at a time, ``model(X[:, i])``, or as rows, ``X.T``.

    >>> X, Y = make_planar(m=6, seed=1)
    >>> X.shape, Y.tolist()
    ((2, 6), [[0, 1, 0, 1, 0, 1]])
    """
    m = checks.integer("make_planar", "m", m)
    noise = checks.real("make_planar", "noise", noise, 0.0, MAX_NOISE)
    check_size("make_planar", "X and Y", 3 * m)
    rng = np.random.default_rng(check_seed("make_planar", seed))
    width = np.pi / 4  # the angle one petal spans
    lines = np.array([1.0, 2.0, 3.0]) * width
    centres = (np.arange(8) + 0.5) * width
    petal_class = (np.sin(centres[:, None] - lines) > 0).sum(axis=1) % 2  # [0, 1, 0, 1, 1, 0, 1, 0]
    Y = np.arange(m) % 2
    petals_of = np.array([np.flatnonzero(petal_class == label) for label in (0, 1)])  # four petals each
    petal = petals_of[Y, rng.integers(0, 4, size=m)]
    along = rng.random(m) * width + noise * rng.standard_normal(m)  # a point past its petal's edge lands
    radius = 4.0 * np.sin(4.0 * along) + noise * rng.standard_normal(m)  # on the opposite side (r < 0)
    theta = petal * width + along
    X = np.vstack([radius * np.cos(theta), radius * np.sin(theta)])
    return X, Y.reshape(1, m).astype(np.int64)
