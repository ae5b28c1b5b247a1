"""autograd/handcheck.py: the course's hand derivations pass at many points, wrong ones fail with a
table whose rows and verdicts are checked; which of the three disagrees in every case; second
derivatives; hand derivatives as numbers, functions and lists; the report for the command."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from autograd import Value, check_derivatives, log, relu, sigmoid
from autograd.checking import check_derivatives_report
from autograd.checking.hand_derived import agree, disagreement
from autograd.errors import DerivativeMismatch, DomainError, StepOutsideDomain
from autograd.language.parse import compile_program

from ..strategies import small_floats

EXAMPLES = settings(max_examples=30, deadline=None)


def J(a, b, c):
    """The course's J = 3(a + bc)."""
    return 3 * (a + b * c)


#: The course's hand derivations of J: dJ/da = 3, dJ/db = 3c, dJ/dc = 3b.
COURSE = {"a": 3, "b": lambda a, b, c: 3 * c, "c": lambda a, b, c: 3 * b}


def L(z, y):
    """Logistic regression's loss for one example, a = σ(z)."""
    a = sigmoid(z)
    return -(y * log(a) + (1 - y) * log(1 - a))


def L_of_a(a, y):
    """The same loss as a function of the activation a."""
    return -(y * log(a) + (1 - y) * log(1 - a))


def dz(z, y):
    return sigmoid(z) - y  # the course: dz = a - y


def rows_of(table: str) -> list[dict[str, str]]:
    """The table's rows as dicts by column name (columns are two or more spaces apart)."""
    lines = table.splitlines()
    columns = re.split(r"\s{2,}", lines[1].strip())
    assert columns == ["point", "input", "engine", "hand", "numeric", "disagrees"]
    rows = []
    for line in lines[2:]:
        fields = re.split(r"\s{2,}", line.strip())
        if len(fields) < 5:  # past the rows: what each verdict means
            break
        rows.append(dict(zip(columns, fields + [""])))
    return rows


# The course's derivations pass


def test_the_course_graph_at_the_course_point() -> None:
    passed, table = check_derivatives_report(J, COURSE, 5, 3, 2)
    assert passed and check_derivatives(J, COURSE, 5, 3, 2) is True
    rows = rows_of(table)
    assert [(r["input"], float(r["engine"]), float(r["hand"])) for r in rows] == [
        ("d/da", 3.0, 3.0), ("d/db", 6.0, 6.0), ("d/dc", 9.0, 9.0),
    ]  # fmt: skip
    assert all(r["point"] == "a=5.0, b=3.0, c=2.0" and r["disagrees"] == "" for r in rows)


@EXAMPLES
@given(a=small_floats(-10.0, 10.0), b=small_floats(-10.0, 10.0), c=small_floats(-10.0, 10.0))
def test_the_course_graph_at_many_points(a: float, b: float, c: float) -> None:
    assert check_derivatives(J, COURSE, a, b, c)


def test_the_example_of_the_issue() -> None:
    assert check_derivatives(L, {"z": lambda z, y: sigmoid(z) - y}, points=[(0.5, 1.0), (-2.0, 0.0)])


@EXAMPLES
@given(z=small_floats(-8.0, 8.0), y=small_floats(0.0, 1.0))
def test_dz_is_a_minus_y_at_many_points(z: float, y: float) -> None:
    assert check_derivatives(L, {"z": dz}, z, y)


@EXAMPLES
@given(a=small_floats(0.05, 0.95), y=small_floats(0.0, 1.0))
def test_da_by_hand_at_many_points(a: float, y: float) -> None:
    da = lambda a, y: -y / a + (1 - y) / (1 - a)
    d2a = lambda a, y: y / a**2 + (1 - y) / (1 - a) ** 2
    assert check_derivatives(L_of_a, {"a": da}, a, y)
    assert check_derivatives(L_of_a, {("a", "a"): d2a}, a, y, order=2)


@EXAMPLES
@given(z=small_floats(-8.0, 8.0), y=small_floats(0.0, 1.0))
def test_second_derivative_of_the_loss_is_a_times_one_minus_a(z: float, y: float) -> None:
    a = lambda z, y: sigmoid(z)
    expected = {("z", "z"): lambda z, y: a(z, y) * (1 - a(z, y)), ("z", "y"): lambda z, y: -1.0}
    assert check_derivatives(L, expected, z, y, order=2)


def test_mixed_second_derivatives_of_the_course_graph() -> None:
    expected = {("b", "c"): 3, ("c", "b"): 3, ("a", "b"): 0, (2, 2): 0}
    passed, table = check_derivatives_report(J, expected, 5, 3, 2, order=2)
    assert passed
    assert [r["input"] for r in rows_of(table)] == ["d2/dbdc", "d2/dcdb", "d2/dadb", "d2/dcdc"]


# A wrong derivation fails, with a table


def test_dz_written_y_minus_a_fails_with_a_table() -> None:
    wrong = {"z": lambda z, y: y - sigmoid(z)}
    points = [(0.5, 1.0), (-2.0, 0.0)]
    with pytest.raises(DerivativeMismatch) as info:
        check_derivatives(L, wrong, points=points)
    assert isinstance(info.value, AssertionError)
    table = str(info.value)
    assert check_derivatives_report(L, wrong, points=points) == (False, table)
    lines = table.splitlines()
    assert lines[0] == "check_derivatives failed for 2 of 2 derivatives (tolerance: atol=1e-06, rtol=1e-05)"
    rows = rows_of(table)
    assert [r["point"] for r in rows] == ["z=0.5, y=1.0", "z=-2.0, y=0.0"]
    for r, (z, y) in zip(rows, points):
        right = sigmoid(z) - y
        assert r["input"] == "d/dz"
        assert float(r["engine"]) == pytest.approx(right, rel=1e-7)
        assert float(r["numeric"]) == pytest.approx(right, rel=1e-7)
        assert float(r["hand"]) == pytest.approx(-right, rel=1e-7)
        assert r["disagrees"] == "hand"
    assert lines[-1].startswith("hand: your formula disagrees with the engine and with central differences")


def test_only_the_wrong_rows_are_marked() -> None:
    wrong_b = {"a": 3, "b": lambda a, b, c: 3 * b, "c": lambda a, b, c: 3 * b}  # dJ/db = 3b: a slip
    passed, table = check_derivatives_report(J, wrong_b, points=[(5, 3, 2), (1, 2, 2)])
    assert not passed
    assert [(r["point"], r["input"], r["disagrees"]) for r in rows_of(table)] == [
        ("a=5.0, b=3.0, c=2.0", "d/da", ""), ("a=5.0, b=3.0, c=2.0", "d/db", "hand"),
        ("a=5.0, b=3.0, c=2.0", "d/dc", ""), ("a=1.0, b=2.0, c=2.0", "d/da", ""),
        ("a=1.0, b=2.0, c=2.0", "d/db", ""),  # 3b = 3c where b = c: right by luck at this point
        ("a=1.0, b=2.0, c=2.0", "d/dc", ""),
    ]  # fmt: skip
    assert table.splitlines()[0].startswith("check_derivatives failed for 1 of 6 derivatives")


def test_a_wrong_second_derivative_fails() -> None:
    with pytest.raises(DerivativeMismatch, match=r"d2/dzdz .* hand"):
        check_derivatives(L, {("z", "z"): lambda z, y: sigmoid(z) ** 2}, 0.5, 1.0, order=2)


def test_a_wrong_derivation_fails_inside_a_hypothesis_test() -> None:
    @settings(max_examples=10, deadline=None, database=None, phases=[Phase.generate])  # no shrinking: faster
    @given(z=small_floats(-3.0, 3.0), y=st.sampled_from([0.0, 1.0]))
    def wrong_dz(z: float, y: float) -> None:
        check_derivatives(L, {"z": lambda z, y: y - sigmoid(z)}, z, y)

    with pytest.raises(DerivativeMismatch, match="hand"):
        wrong_dz()


def test_the_default_tolerances_catch_a_rounded_constant_and_pass_rounding() -> None:
    third = lambda x: x / 3
    with pytest.raises(DerivativeMismatch):
        check_derivatives(third, {"x": 0.3333}, 2.0)  # 1/3 rounded to four digits
    assert check_derivatives(third, {"x": (1 / 3) * (1 + 1e-9)}, 2.0)
    assert check_derivatives(lambda x: 100 + x * x, {"x": lambda x: 2 * x}, 1e-3)  # |f| = 100, f' small


# Which of the three disagrees


def test_a_wrong_rule_is_the_engine(temporary_op) -> None:
    wrong_square = temporary_op("wrong_square_hc", lambda x: x * x, lambda ans, x: 3 * x)  # should be 2x
    passed, table = check_derivatives_report(wrong_square, {0: lambda x: 2 * x}, 1.5)  # a defop takes *xs
    assert not passed
    (row,) = rows_of(table)
    assert (float(row["engine"]), float(row["hand"]), row["disagrees"]) == (4.5, 3.0, "engine")
    assert table.splitlines()[-1].startswith("engine: the engine disagrees with your formula and with central")


def test_a_rule_written_on_floats_is_the_engine_at_second_order(temporary_op) -> None:
    """float(x) in a rule cuts the graph: first derivatives right, second ones 0. The numeric, a
    central difference of the engine's first derivative, still sees 2."""
    flat = temporary_op("flat_square_hc", lambda x: x * x, lambda ans, x: 2 * float(x))
    assert check_derivatives(flat, {0: lambda x: 2 * x}, 1.5)
    passed, table = check_derivatives_report(flat, {(0, 0): 2.0}, 1.5, order=2)
    (row,) = rows_of(table)
    assert (row["input"], float(row["engine"]), float(row["hand"])) == ("d2/dx0dx0", 0.0, 2.0)
    assert float(row["numeric"]) == pytest.approx(2.0, rel=1e-6)
    assert row["disagrees"] == "engine"


def test_a_kink_at_the_point_is_the_numeric() -> None:
    passed, table = check_derivatives_report(relu, {"x": 0.0}, 0.0)  # the engine takes relu'(0) = 0
    assert not passed
    (row,) = rows_of(table)
    assert (float(row["engine"]), float(row["hand"]), float(row["numeric"])) == (0.0, 0.0, 0.5)
    assert row["disagrees"] == "numeric"
    assert "kink" in table.splitlines()[-1]


def test_no_two_agree_is_all_three(temporary_op) -> None:
    wrong_square = temporary_op("wrong_square_hc3", lambda x: x * x, lambda ans, x: 3 * x)
    passed, table = check_derivatives_report(wrong_square, {0: 5.0}, 1.0)  # engine 3, numeric 2, hand 5
    assert rows_of(table)[0]["disagrees"] == "all three"
    assert table.splitlines()[-1].startswith("all three: no two agree")


def test_a_pair_apart_with_the_third_between_names_both(temporary_op) -> None:
    # engine 2 + 0.8e-6, numeric 2 (to 1e-10), hand 2 - 0.8e-6: only hand and engine are 1e-6 apart
    high = temporary_op("square_high", lambda x: x * x, lambda ans, x: 2 * x + 0.8e-6)
    passed, table = check_derivatives_report(high, {0: 2 - 0.8e-6}, 1.0, atol=1e-6, rtol=0)
    assert rows_of(table)[0]["disagrees"] == "hand or engine"
    assert "cannot tell which is off" in table.splitlines()[-1]


@pytest.mark.parametrize(
    "engine, hand, numeric, verdict",
    [
        (1.0, 1.0, 1.0, ""),
        (1.0, 2.0, 1.0, "hand"),
        (2.0, 1.0, 1.0, "engine"),  # the formula agrees with the numeric, not the engine
        (1.0, 1.0, 2.0, "numeric"),
        (1.0, 2.0, 3.0, "all three"),
        (1.0, 1.0 + 1.5e-6, 1.0 + 0.75e-6, "hand or engine"),
        (1.0, 1.0 + 0.75e-6, 1.0 + 1.5e-6, "engine or numeric"),
        (1.0 + 0.75e-6, 1.0, 1.0 + 1.5e-6, "hand or numeric"),
        (math.nan, 1.0, 1.0, "engine"),  # nan agrees with nothing
        (math.inf, math.inf, 1.0, "all three"),  # nor does inf
    ],
)
def test_disagreement(engine: float, hand: float, numeric: float, verdict: str) -> None:
    assert disagreement(engine, hand, numeric, atol=1e-6, rtol=0.0) == verdict


def test_agree_is_symmetric_and_relative_to_the_larger() -> None:
    assert agree(100.0, 100.001, atol=0.0, rtol=1e-5) and agree(100.001, 100.0, atol=0.0, rtol=1e-5)
    assert not agree(100.0, 100.01, atol=0.0, rtol=1e-5)
    assert agree(0.0, 1e-6, atol=1e-6, rtol=0.0) and not agree(0.0, 1.1e-6, atol=1e-6, rtol=0.0)


# Ways to give the inputs and the hand derivatives


def test_a_hand_formula_may_return_a_value() -> None:
    assert check_derivatives(J, {"b": lambda a, b, c: Value(3.0) * c}, 5, 3, 2)


def test_names_for_a_function_of_star_args_like_the_command() -> None:
    """The command's functions take *xs; names= gives the table and the keys their names."""
    e = compile_program("3*(a + b*c)")
    f = lambda *xs: e.build(dict(zip("abc", xs)))
    hand = compile_program("3*c")
    points = [(5.0, 3.0, 2.0), (1.0, -1.0, 0.5)]
    expected = {"b": [hand.build({"c": c}).data for _, _, c in points]}  # numbers, one per point
    passed, table = check_derivatives_report(f, expected, points=points, names=["a", "b", "c"])
    assert passed and [r["point"] for r in rows_of(table)] == ["a=5.0, b=3.0, c=2.0", "a=1.0, b=-1.0, c=0.5"]
    assert check_derivatives(f, {"x1": 6}, 5, 3, 2)  # without names: x0, x1, ...
    assert not check_derivatives_report(f, {"b": 7}, 5, 3, 2, names=["a", "b", "c"])[0]


def test_a_step_outside_the_domain_names_check_derivatives() -> None:
    with pytest.raises(StepOutsideDomain) as info:
        check_derivatives(lambda x: log(x), {"x": lambda x: 1 / x}, 1e-7)
    assert isinstance(info.value, DomainError)
    assert info.value.problem.startswith("check_derivatives: the central-difference steps x = 1e-07 ± 1e-06 leave")
    assert str(info.value).endswith("or pass a smaller eps")


# Bad input


def zero_division(z, y):
    return 1 / 0


def test_a_hand_formula_that_raises_or_returns_a_non_number() -> None:
    with pytest.raises(
        ValueError,
        match=r"^check_derivatives: the hand derivative d/dz at z=0\.5, y=1\.0 raised "
        r"ZeroDivisionError: division by zero; it must give a number",
    ) as info:
        check_derivatives(L, {"z": zero_division}, 0.5, 1.0)
    assert isinstance(info.value.__cause__, ZeroDivisionError)
    results = [(None, "NoneType None"), ("0.1", "str '0.1'"), (False, "bool False"), ([0.1], r"list \[0\.1\]")]
    for result, shown in results:
        with pytest.raises(TypeError, match=rf"hand derivative d/dz at z=0\.5, y=1\.0 is {shown}; it must be a real"):
            check_derivatives(L, {"z": lambda z, y, result=result: result}, 0.5, 1.0)


def test_f_must_be_callable() -> None:
    with pytest.raises(TypeError, match="^check_derivatives: f must be callable, got int 3"):
        check_derivatives(3, {"x": 1.0}, 0.5)


# f left the graph (issue 19, item 14): the engine is not to blame, and the line that did it is named.


def test_math_sin_on_a_value_is_named_as_leaving_the_graph_with_its_line() -> None:
    def f(x):
        return x * math.sin(x)  # math.sin takes float(x): the engine sees a constant

    line = f.__code__.co_firstlineno + 1
    passed, table = check_derivatives_report(f, {"x": lambda x: math.sin(x) + x * math.cos(x)}, 1.0)
    assert not passed
    (row,) = rows_of(table)
    # the engine's d/dx is sin(1), the derivative of x times a constant: what the cut leaves
    assert (float(row["engine"]), row["disagrees"]) == (float(f"{math.sin(1.0):.8g}"), "engine")
    last = table.splitlines()[-1]
    assert last.startswith("engine: the engine disagrees with your formula and with central differences, which agree: ")
    assert f"f left the graph at {__file__}:{line} (return x * math.sin(x)" in last
    assert "defop" not in last


def test_float_of_a_value_is_named_too_and_only_the_first_site() -> None:
    def f(x, y):
        s = float(x) * y  # the cut
        return s + float(y)

    passed, table = check_derivatives_report(f, {"x": lambda x, y: y}, 2.0, 3.0)
    assert not passed
    assert f"f left the graph at {__file__}:{f.__code__.co_firstlineno + 1} (s = float(x) * y" in table


def test_an_input_that_f_reaches_only_through_data_is_named() -> None:
    passed, table = check_derivatives_report(lambda x, y: x.data * y + y, {"x": lambda x, y: y}, 2.0, 3.0)
    assert not passed
    assert table.splitlines()[-1].endswith(
        "f's result does not reach x as a Value, though central differences show it changes with it: f left "
        "the graph by a float conversion such as x.data, float(x) or math.sin(x); use autograd's functions "
        "(autograd.sin(x)) on Values"
    )


def test_a_float_in_a_rule_is_named_at_second_order(temporary_op) -> None:
    flat = temporary_op("flat_square_lg", lambda x: x * x, lambda ans, x: 2 * float(x))  # the rule's line
    passed, table = check_derivatives_report(flat, {(0, 0): 2.0}, 1.5, order=2)
    assert rows_of(table)[0]["disagrees"] == "engine"
    assert "f left the graph at " + __file__ in table and "(flat = temporary_op(" in table


def test_a_wrong_rule_without_a_float_is_still_blamed_on_the_rule(temporary_op) -> None:
    wrong = temporary_op("wrong_square_lg", lambda x: x * x, lambda ans, x: 3 * x)
    passed, table = check_derivatives_report(wrong, {0: lambda x: 2 * x}, 1.5)
    last = table.splitlines()[-1]
    assert "a derivative rule (your defop?) is wrong here" in last and "left the graph at" not in last
