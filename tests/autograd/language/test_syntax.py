"""autograd/syntax.py: the whitelist of expression syntax, its limits, and hints for a learner's slips."""

from __future__ import annotations

import pytest

from autograd import Value, gradients
from autograd.errors import ParseError
from autograd.language.parse import parse
from autograd.language.syntax import MAX_LENGTH, MAX_NESTING, MAX_OPERATORS, functions, juxtaposition_hint
from autograd.rules import arity


def leaves(root: Value) -> dict[str, Value]:
    return {v.label: v for v in root.nodes() if not v.parents and v.label}


def test_a_parse_error_is_a_value_error() -> None:
    assert issubclass(ParseError, ValueError)


HOSTILE = {
    "__import__('os').system('touch x')": "attribute access is not allowed: \"__import__('os').system\"",
    "a.__class__": "attribute access is not allowed: 'a.__class__'",
    "().__class__.__bases__": "attribute access is not allowed: '().__class__.__bases__'",
    "[x for x in ()]": "comprehensions are not allowed: '[x for x in ()]'",
    "lambda: 0": "lambdas are not allowed: 'lambda: 0'",
    "open('f')": "unknown function 'open' (the functions are autograd.language.syntax.functions(), or see chainrule --help): \"open('f')\"",
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


def test_an_unknown_function_names_the_closest_one_not_the_whole_list():
    with pytest.raises(ParseError, match=r"unknown function 'sigmod' \(did you mean sigmoid\?\)") as info:
        parse("sigmod(a)", a=1.0)
    assert "leaky_relu" not in str(info.value) and len(str(info.value)) < 200
    with pytest.raises(
        ParseError,
        match=r"unknown function 'f' \(the functions are autograd.language.syntax.functions\(\), or see chainrule --help\)",
    ):
        parse("f(a)", a=1.0)


def test_the_callable_functions_are_the_named_ops_of_the_table(temporary_op) -> None:
    assert functions() == [
        "abs", "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "exp", "expm1", "leaky_relu",
        "log", "log10", "log1p", "log2", "relu", "sigmoid", "sin", "sinh", "softplus", "sqrt", "tan", "tanh",
    ]  # fmt: skip
    temporary_op("syntax_cube", lambda x: x**3, lambda ans, x: 3 * x**2)
    assert "syntax_cube" in functions() and functions() == sorted(functions())
    assert parse("syntax_cube(a)", a=2.0).data == 8.0


@pytest.mark.parametrize(
    "op, low_high",
    [("exp", (1, 1)), ("abs", (1, 1)), ("+", (2, 2)), ("**", (2, 2)), ("sum", (1, 1_000_000)), ("dot", (1, 1_000_000))],
)
def test_arity_is_read_from_the_forward(op, low_high) -> None:
    assert arity(op) == low_high


@pytest.mark.parametrize(
    "text, hint",
    [
        ("2a", " (multiplication needs *: write 2*a)"),
        ("1.5 x + 2", " (multiplication needs *: write 1.5*x)"),
        ("a b", " (multiplication needs *: write a*b)"),
        ("(a) b", " (multiplication needs *: write (...)*b)"),
        ("sin x", " (a function needs parentheses: write sin(x))"),
        ("a if b", ""),
        ("f (x)", ""),
        ("a +", ""),
    ],
)
def test_juxtaposed_operands_get_a_hint(text, hint) -> None:
    assert juxtaposition_hint(text) == hint


@pytest.mark.parametrize("text", ["a if b", "x for x in y", "3 +", "lambda x"])
def test_no_multiplication_hint_where_there_is_no_product(text):
    with pytest.raises(ParseError) as info:
        parse(text, a=1.0, b=1.0, x=1.0, y=1.0)
    assert "multiplication" not in str(info.value) and "parentheses: write" not in str(info.value)


def test_the_number_cannot_be_called_hint_is_on_one_line():
    with pytest.raises(ParseError) as info:
        parse("3(a\n  + 1)", a=1.0)
    assert "a number cannot be called (to multiply, write *: 3*(a + 1)): '3(a + 1)'" in str(info.value)
    assert "\n" not in str(info.value)


def test_comments_count_toward_the_length_only():
    text = "a  # " + "(" * (MAX_NESTING + 50) + "+" * (MAX_OPERATORS + 50) + "9" * 500 + "\nJ = a*2"
    assert parse(text.replace("a  #", "a = b  #"), b=2.0).data == 4.0
    with pytest.raises(ParseError, match="nested 101 deep"):  # a # in a string starts no comment
        parse("'#' + " + "(" * 101 + "a" + ")" * 101, a=1.0)
