"""autograd/arguments.py: arguments checked against the structure they were compiled at, and flattened."""

from __future__ import annotations

import pytest

from autograd import Value
from autograd.compile.arguments import examples, flat, nest, rows, structure


def test_structure_makes_labelled_leaves_and_keeps_values():
    p = Value(2.0, label="p")
    leaves = []
    shape, rebuilt = structure([1, [p, 3.5]], "w", "compile f", leaves)
    assert shape == [None, [None, None]]
    assert [v.label for v in leaves] == ["w[0]", "p", "w[1][1]"] and leaves[1] is p and rebuilt[1][0] is p


def test_structure_refuses_a_computed_value():
    with pytest.raises(ValueError, match=r"compile f: w\[0\] is a Value computed by '\*' from others"):
        structure([Value(1.0) * 2], "w", "compile f", [])


def test_flat_numbers_and_their_errors():
    assert flat([1, Value(2.0), 3.5], [None] * 3, "f w") == [1.0, 2.0, 3.5]
    numbers = [1.0, 2.0]
    assert flat(numbers, [None, None], "f w") is numbers  # floats already: not copied
    with pytest.raises(ValueError, match="f w has 3 entries; it was compiled for 2"):
        flat([1.0, 2.0, 3.0], [None, None], "f w")
    with pytest.raises(TypeError, match=r"f w\[1\] needs a real number"):
        flat([1.0, "2"], [None, None], "f w")
    with pytest.raises(TypeError, match="f w must be a list of 2 numbers"):
        flat(3.0, [None, None], "f w")


def test_examples_and_rows():
    assert examples([[1, 2], [3, 4]], [None, None], "f x") == [[1.0, 2.0], [3.0, 4.0]]
    assert examples([1, 0], None, "f y") == [1.0, 0.0]
    np = pytest.importorskip("numpy")
    X = np.arange(6.0).reshape(2, 3)
    assert rows(X, [None, None], "f x").tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert rows(np.array([[1.0, 0.0, 1.0]]), None, "f y").shape == rows([1.0, 0.0, 1.0], None, "f y").shape == (1, 3)
    with pytest.raises(ValueError, match=r"f x has shape \(3, 2\); it must hold 2 numbers per example.*pass X.T"):
        rows(X.T, [None, None], "f x")
    # One layout for every backend: an array's columns are its examples, a list's entries are.
    assert examples(X, [None, None], "f x") == [[0.0, 3.0], [1.0, 4.0], [2.0, 5.0]]
    assert rows(examples(X, [None, None], "f x"), [None, None], "f x").tolist() == X.tolist()
    square = np.arange(4.0).reshape(2, 2)  # two numbers an example, two examples: columns, everywhere
    assert (
        examples(square, [None, None], "f x")
        == rows(square, [None, None], "f x").T.tolist()
        == [[0.0, 2.0], [1.0, 3.0]]
    )


def test_nest_is_flats_inverse():
    shape = [None, [None, [None, None]], None]
    x = [1.0, [2.0, [3.0, 4.0]], 5.0]
    assert nest(flat(x, shape, "f w"), shape) == x


def test_an_array_of_the_wrong_length_is_refused_before_its_numbers_are_read():
    class Huge:  # an array whose numbers would cost too much to read: its length is enough
        ndim = 1

        def __len__(self):
            return 10**9

        def tolist(self):
            raise AssertionError("the numbers were read")

    with pytest.raises(ValueError, match="f w has 1000000000 entries; it was compiled for 2"):
        flat(Huge(), [None, None], "f w")


def test_a_nan_in_an_example_argument_is_named():
    from autograd.errors import DomainError

    with pytest.raises(DomainError, match=r"^f: b\[1\] is nan"):
        structure([1.0, float("nan")], "b", "f", [])
