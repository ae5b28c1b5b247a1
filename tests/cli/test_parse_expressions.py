"""autograd.parse: graphs from expression text, labels, and the whitelist."""

from __future__ import annotations

import math

import pytest

from autograd import DomainError, Value, defop, gradients
from autograd.parse import compile_expression, parse
from autograd.syntax import MAX_LENGTH, MAX_NESTING, ParseError



def leaves(root: Value) -> dict[str, Value]:
    return {v.label: v for v in root.nodes() if not v.parents and v.label}


def test_course_example_values_gradients_and_labels():
    J = parse("3*(a+b*c)", a=5, b=3, c=2)
    a, b, c = (leaves(J)[n] for n in "abc")
    assert J.data == 33.0 and J.label == "J" and J.op == "*"
    assert gradients(J, [a, b, c]) == [3.0, 6.0, 9.0]
    three, inner = J.parents
    assert (three.data, three.label, three.op) == (3.0, "", "")
    assert inner.label == "a + b*c" and inner.data == 11.0
    assert inner.parents[0] is a and inner.parents[1].label == "b*c"
    assert (a.label, a.data, b.data, c.data) == ("a", 5.0, 3.0, 2.0)


def test_root_name_and_shared_leaves():
    J = parse("a*a", name="L", a=3)
    assert J.label == "L"
    assert J.parents[0] is J.parents[1]
    assert gradients(J, [J.parents[0]]) == [6.0]


@pytest.mark.parametrize(
    "text, label",
    [
        ("a+b*c", "a + b*c"),
        ("(a+b)*c", "(a + b)*c"),
        ("a-(b-c)", "a - (b - c)"),
        ("a-b-c", "a - b - c"),
        ("a/(b*c)", "a/(b*c)"),
        ("-a**2", "-a**2"),
        ("(-a)**2", "(-a)**2"),
        ("a**b**c", "a**b**c"),
        ("(a**b)**c", "(a**b)**c"),
        ("a*-b", "a*-b"),
        ("+a * +b", "a*b"),
        ("exp( -x**2 )+sin(a)", "exp(-x**2) + sin(a)"),
        ("1e-5*a", "1e-05*a"),
    ],
)
def test_normalised_labels_keep_the_tree(text, label):
    # Labels are what the graph computes: parsing the label again gives the same tree.
    assert compile_expression(text).program[-1][2] == label
    values = {"a": 1.5, "b": 0.5, "c": 2.0, "x": 0.3}
    assert parse(text, name="J", **values).data == parse(label, **values).data


def test_intermediate_labels_name_every_operation():
    J = parse("exp(-x**2) + sin(a)", x=0.5, a=1.0)
    labels = {v.label for v in J.nodes() if v.parents}
    assert labels == {"x**2", "-x**2", "exp(-x**2)", "sin(a)", "J"}
    assert J.data == pytest.approx(math.exp(-0.25) + math.sin(1.0), rel=1e-15)


def test_constants_and_a_bare_variable():
    assert parse("2**10").data == 1024.0
    assert parse("2**10").label == "J"
    x = parse("x", x=4)
    assert (x.label, x.data, x.op) == ("x", 4.0, "")  # a bare variable stays the labelled leaf


def test_functions_and_their_derivatives():
    J = parse("sigmoid(w*x + b)", w=0.5, x=2.0, b=-1.0)
    s = 0.5  # sigmoid(0)
    w, x, b = (leaves(J)[n] for n in "wxb")
    assert J.data == s
    assert gradients(J, [w, x, b]) == [s * (1 - s) * 2.0, s * (1 - s) * 0.5, s * (1 - s)]


def test_unbound_names_are_all_listed():
    with pytest.raises(ParseError, match=r"no value for b, c in '3\*\(a\+b\*c\)'"):
        parse("3*(a+b*c)", a=5)


def test_spaces_around_the_expression_are_not_an_error():
    """Python reads a leading space as indentation; an expression has none."""
    J = parse("  3*(a + b*c)\n", a=5, b=3, c=2)
    J.backward()
    assert (J.data, J.parents[1].parents[1].label) == (33.0, "b*c")


def test_unicode_names_are_bound_as_python_reads_them():
    """Python's parser turns the micro sign µ (U+00B5) into the Greek μ (U+03BC) and a fullwidth ｘ
    into x; a binding spelled the way the user typed it must still find its name."""
    J = parse("\u00b5*2 + \uff58", **{"\u00b5": 3.0, "\uff58": 1.0})
    assert J.data == 7.0
    assert sorted(p.label for p in J.nodes() if not p.parents and p.label) == ["x", "\u03bc"]


def test_abs_can_be_called():
    """abs is an op of the engine (|x|, derivative sign(x)); an expression can use it too."""
    J = parse("abs(a - 3)", a=1.0)
    J.backward()
    a = next(v for v in J.nodes() if v.label == "a")
    assert (J.data, J.op, a.grad) == (2.0, "abs", -1.0)


def test_a_function_name_used_as_a_variable_gets_a_hint():
    with pytest.raises(ParseError, match=r"exp is a function: call it"):
        parse("exp + 1")


@pytest.mark.parametrize("value", ["5", True, None, 1j, [1.0], Value(1.0), float("nan"), float("inf")])
def test_bindings_must_be_finite_real_numbers(value):
    with pytest.raises(ParseError, match=r"a must be bound to a (real|finite) number"):
        parse("a*2", a=value)


def test_numpy_scalars_are_numbers():
    np = pytest.importorskip("numpy")
    assert parse("a*2", a=np.float32(1.5)).data == 3.0


HOSTILE = {
    "__import__('os').system('touch x')": "attribute access is not allowed: \"__import__('os').system\"",
    "a.__class__": "attribute access is not allowed: 'a.__class__'",
    "().__class__.__bases__": "attribute access is not allowed: '().__class__.__bases__'",
    "[x for x in ()]": "comprehensions are not allowed: '[x for x in ()]'",
    "lambda: 0": "lambdas are not allowed: 'lambda: 0'",
    "open('f')": "unknown function 'open': \"open('f')\"",
    "__import__('os')": "dunder names are not allowed: '__import__'",
    "__builtins__": "dunder names are not allowed: '__builtins__'",
    "a[0]": "subscripts are not allowed: 'a[0]'",
    "'text'": "strings are not allowed, only int and float numbers: \"'text'\"",
    "True + a": "booleans are not allowed, only int and float numbers: 'True'",
    "2j": "complex numbers are not allowed",
    "exp(x=a)": "keyword arguments are not allowed: 'x=a'",
    "exp(*a)": "starred arguments are not allowed: '*a'",
    "exp(a, a)": "exp takes 1 argument, not 2: 'exp(a, a)'",
    "a // 2": "the operator // is not supported: 'a // 2'",
    "a < 2": "comparisons are not allowed: 'a < 2'",
    "(a := 2)": "assignments (:=) are not allowed",
    "3(a)": "a number cannot be called (to multiply, write *: 3*(a)): '3(a)'",
    "2.5 (a + 1)": "a number cannot be called (to multiply, write *: 2.5*(a + 1)): '2.5 (a + 1)'",
    "'x'(a)": "only a function's name can be called",
    "True(a)": "only a function's name can be called",
    "(a + 1)(a)": "only a function's name can be called (to multiply, write *: (a + 1)*(a - 1)): '(a + 1)(a)'",
    "1e999 * a": "the number is too large for a float",
    "3*(a+": "invalid syntax in '3*(a+' at column 3",
    "": "the expression is empty",
}


@pytest.mark.parametrize("text", list(HOSTILE))
def test_hostile_and_invalid_text_is_rejected_with_a_quote(text, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ParseError) as info:
        parse(text, a=1.0)
    message = str(info.value)
    assert message.startswith("parse: ") and HOSTILE[text] in message
    assert "\n" not in message
    assert list(tmp_path.iterdir()) == []  # nothing ran


@pytest.mark.parametrize(
    "text, problem",
    [
        ("(" * 10_000 + "a" + ")" * 10_000, "20,001 characters long"),
        ("-" * 10_000 + "a", "10,001 characters long"),
        ("a+" * 10_000 + "a", "20,001 characters long"),
        ("(" * 4_000 + "a" + ")" * 4_000, f"nested 4000 deep; at most {MAX_NESTING}"),
        ("exp(" * 101 + "a" + ")" * 101, "nested 101 deep"),
        ("-" * 9_000 + "a", "9,000 operator characters"),
        ("a**" * 3_000 + "a", "6,000 operator characters"),
        ("a+" * 4_000 + "a", "4,000 operator characters"),
    ],
)
def test_too_deep_or_too_long_is_a_clear_error_not_a_crash(text, problem):
    with pytest.raises(ParseError, match=problem):
        parse(text, a=1.0)


def test_limits_leave_room_for_real_expressions():
    assert parse("(" * MAX_NESTING + "a" + ")" * MAX_NESTING, a=2).data == 2.0
    J = parse("+".join(["a"] * 1_000), a=1.0)  # 999 operators: a 999-deep chain
    assert J.data == 1000.0 and gradients(J, [leaves(J)["a"]]) == [1000.0]
    assert parse("-" * 1_000 + "a", a=3.0).data == 3.0
    assert len("(" * MAX_NESTING) < MAX_LENGTH


def test_domain_errors_come_from_the_engine():
    with pytest.raises(DomainError, match=r"log\(-1.0\) is undefined"):
        parse("log(a)", a=-1)
    with pytest.raises(DomainError, match="division by zero"):
        parse("1/(a-a)", a=2)


def test_a_variable_called_expr_can_be_bound():
    assert parse("expr*2", expr=4).data == 8.0


def test_defop_primitives_are_usable(restore_functions):
    defop("cube", lambda x: x**3, lambda ans, x: 3 * x**2)
    defop("mul2", lambda x, y: x * y, lambda ans, x, y: (y, x))
    J = parse("cube(a) + mul2(a, b)", a=2.0, b=5.0)
    a, b = leaves(J)["a"], leaves(J)["b"]
    assert J.data == 8.0 + 10.0
    assert gradients(J, [a, b]) == [3 * 4.0 + 5.0, 2.0]
    assert {v.label for v in J.nodes() if v.parents} == {"cube(a)", "mul2(a, b)", "J"}
    with pytest.raises(ParseError, match=r"'mul2\(a\)' could not be applied"):
        parse("mul2(a)", a=1.0)


def test_unknown_function_lists_the_known_ones():
    with pytest.raises(ParseError, match=r"unknown function 'f'.*exp, leaky_relu, log"):
        parse("f(a)", a=1.0)


@pytest.mark.parametrize("text", ["a if b", "x for x in y", "3 +", "lambda x"])
def test_no_multiplication_hint_where_there_is_no_product(text):
    with pytest.raises(ParseError) as info:
        parse(text, a=1.0, b=1.0, x=1.0, y=1.0)
    assert "multiplication" not in str(info.value) and "parentheses: write" not in str(info.value)


def test_two_spellings_of_one_name_cannot_both_be_bound():
    with pytest.raises(ParseError, match="'\u00b5' and '\u03bc' are the same name to Python"):
        parse("\u00b5 + \u03bc", **{"\u00b5": 1.0, "\u03bc": 5.0})
