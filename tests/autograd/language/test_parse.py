"""autograd/parse.py: graphs from programs and expressions (compile_program, Program.build, parse), their
labels, the numbers bound to the variables (check_number), and errors from the engine."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
import autograd.checking
import autograd.errors
import autograd.extend
import autograd.language.syntax
from autograd import Value, gradients
from autograd.errors import DomainError, ParseError
from autograd.extend import defop
from autograd.language.parse import check_number, compile_program, constant_value, parse


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


def test_parse_explains_that_name_labels_the_root() -> None:
    with pytest.raises(autograd.ParseError, match="name is the output's label, a str, got int 2"):
        autograd.parse("name + 1", name=2)


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
    program = compile_program(text)
    assert program.steps[program.root].label == label
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


@pytest.mark.parametrize("value, number", [(5, 5.0), (-2.5, -2.5), (np.float32(1.5), 1.5), (np.int64(-3), -3.0)])
def test_check_number_gives_a_float(value, number) -> None:
    result = check_number("a", value)
    assert result == number and type(result) is float


@pytest.mark.parametrize(
    "value, shown", [(True, "bool True"), ("5", "str '5'"), (math.nan, "float nan"), (10**400, "int 1000")]
)
def test_check_number_names_the_variable_and_what_it_got(value, shown) -> None:
    with pytest.raises(ParseError) as info:
        check_number("rate", value)
    assert str(info.value).startswith(f"parse: rate must be bound to a finite number (int or float), got {shown}")


def test_compile_once_build_many_times() -> None:
    expression = compile_program("x**2 + exp(-x)")
    assert (expression.text, expression.variables) == ("x**2 + exp(-x)", ("x",))
    one, two = expression.build({"x": 0.0}), expression.build({"x": 1.0}, name="L")
    assert (one.data, one.label) == (1.0, "J")
    assert (two.data, two.label) == (pytest.approx(1.0 + math.exp(-1.0), rel=1e-15), "L")
    x = Value(2.0, label="given")  # a Value is used as it is, with its own label
    root = expression.build({"x": x, "unused": 7.0})
    assert gradients(root, [x]) == [pytest.approx(4.0 - math.exp(-2.0), rel=1e-15)]
    assert any(n is x for n in root.nodes()) and x.label == "given"


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


def test_two_spellings_of_one_name_cannot_both_be_bound():
    with pytest.raises(ParseError, match="'\u00b5' and '\u03bc' are the same name to Python"):
        parse("\u00b5 + \u03bc", **{"\u00b5": 1.0, "\u03bc": 5.0})


# Programs: statements separated by ; or new lines, each name labelling its node.

COURSE_PROGRAM = "u = b*c; v = a + u; J = 3*v"
LOGISTIC = "z = w*x + b; a = sigmoid(z); L = -(y*log(a) + (1-y)*log(1-a))"


def labelled(root: Value) -> dict[str, Value]:
    return {v.label: v for v in root.nodes() if v.label}


def test_the_course_program_names_its_steps():
    J = parse(COURSE_PROGRAM, a=5, b=3, c=2)
    nodes = labelled(J)
    assert J.label == "J" and J.data == 33.0
    assert (nodes["u"].data, nodes["v"].data) == (6.0, 11.0)
    assert J.parents[1] is nodes["v"] and nodes["v"].parents == (nodes["a"], nodes["u"])
    assert gradients(J, [nodes[n] for n in "abcuv"]) == [3.0, 6.0, 9.0, 3.0, 3.0]


@pytest.mark.parametrize("separator", ["; ", "\n", ";\n", "\n\n  "])
def test_statements_are_separated_by_semicolons_or_new_lines(separator):
    text = separator.join(["u = b*c", "v = a + u", "J = 3*v"])
    assert parse(text, a=5, b=3, c=2).data == 33.0


def test_an_indented_program_in_a_triple_quoted_string():
    text = """
        z = w*x + b
        a = sigmoid(z)
    """
    assert parse(text, w=0.5, x=2.0, b=0.0).label == "a"


def test_one_assignment_alone_names_the_output():
    J = parse("J = 3*(a+b*c)", a=5, b=3, c=2)
    assert (J.label, J.data) == ("J", 33.0)
    assert parse("L = a*2", a=1.0).label == "L"
    assert parse("L = a*2", name="Q", a=1.0).label == "Q"  # name still overrides
    assert parse("a*2", a=1.0).label == "J"


def test_the_logistic_loss_program_against_the_course_derivation():
    L = parse(LOGISTIC, w=0.5, x=2.0, b=0.0, y=1.0)
    nodes = labelled(L)
    s = 1.0 / (1.0 + math.exp(-1.0))  # a = sigmoid(w*x + b) = sigmoid(1)
    assert L.label == "L" and L.data == pytest.approx(-math.log(s), rel=1e-15)
    dz = gradients(L, [nodes["z"]])[0]
    assert dz == pytest.approx(s - 1.0, rel=1e-15)  # the course: dz = a - y
    assert [nodes[n].label for n in ("z", "a", "L")] == ["z", "a", "L"]


def test_the_same_subexpression_is_one_node_used_twice():
    long_form = parse("-(y*log(sigmoid(w*x+b)) + (1-y)*log(1-sigmoid(w*x+b)))", w=0.5, x=2.0, b=0.0, y=1.0)
    ops = [v.op for v in long_form.nodes()]
    assert ops.count("sigmoid") == 1 and ops.count("*") == 3  # w*x, y*log(...), (1-y)*log(...)
    sigmoid = next(v for v in long_form.nodes() if v.op == "sigmoid")
    assert sum(p is sigmoid for v in long_form.nodes() for p in v.parents) == 2  # the fan-out the math has
    program = parse(LOGISTIC, w=0.5, x=2.0, b=0.0, y=1.0)
    assert len(list(program.nodes())) == len(list(long_form.nodes()))  # the program draws the same graph
    assert program.data == long_form.data


def test_a_name_and_the_expression_it_names_are_one_node():
    J = parse("z = w*x + b; J = sigmoid(z) + sigmoid(w*x + b)", w=1.0, x=2.0, b=3.0)
    assert [v.op for v in J.nodes()].count("sigmoid") == 1
    assert J.parents[0] is J.parents[1]


def test_numbers_are_separate_constants_per_use():
    J = parse("(1 - a) * (1 - b)", a=0.25, b=0.5)
    ones = [v for v in J.nodes() if autograd.extend.is_constant(v)]
    assert [c.data for c in ones] == [1.0, 1.0] and ones[0] is not ones[1]


def test_pi_and_e_are_constants():
    assert parse("pi*r**2", r=2.0).data == pytest.approx(4 * math.pi, rel=1e-15)
    x = parse("e**x", x=1.0)
    assert x.data == math.e and autograd.extend.is_constant(x.parents[0])


@pytest.mark.parametrize(
    "text, message",
    [
        ("a = b + 1; b = 2", "b is used before it is assigned; assign it in an earlier statement: 'b'"),
        ("x = x + 1", "x is used before it is assigned"),
        ("z = 1; z = 2", "z is assigned twice; give each statement its own name: 'z = 2'"),
        ("exp = 2", "exp is a function, so it cannot be assigned"),
        ("pi = 3", "pi is a constant, so it cannot be assigned"),
        ("e = 3; J = e*2", "e is a constant, so it cannot be assigned"),
        ("a*2; b", "only the last statement can be a bare expression (the output)"),
        ("import os", "a program is statements 'name = expression' separated by ; or new lines"),
        ("a, b = 1, 2", "a program is statements 'name = expression'"),
        ("a += 1", "a program is statements 'name = expression'"),
        ("a = b = 1", "a program is statements 'name = expression'"),
        ("__x__ = 1", "dunder names are not allowed"),
    ],
)
def test_program_errors_name_the_statement(text, message):
    with pytest.raises(ParseError) as info:
        parse(text, a=1.0, b=1.0, x=1.0)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_a_name_both_assigned_and_bound_is_an_error():
    with pytest.raises(ParseError, match="u is both assigned in the program and bound to a value"):
        parse("u = a*2; J = u + 1", a=1.0, u=3.0)


def test_a_program_compiles_once_and_builds_many_times():
    program = compile_program(LOGISTIC)
    assert program.variables == ("w", "x", "b", "y")
    assert program.assigned == ("z", "a", "L") and program.output == "L"
    first, second = (
        program.build({"w": 0.5, "x": 2.0, "b": 0.0, "y": 1.0}),
        program.build({"w": 0.0, "x": 2.0, "b": 0.0, "y": 0.0}),
    )
    assert first.data == pytest.approx(-math.log(1 / (1 + math.exp(-1.0))), rel=1e-15)
    assert second.data == pytest.approx(math.log(2.0), rel=1e-15)


# pi and e are the constants: never bound, never assigned.


@pytest.mark.parametrize("constant", ["e", "pi", "\uff45"])  # the last a full-width e, which Python reads as e
def test_pi_and_e_cannot_be_bound(constant):
    with pytest.raises(ParseError) as info:
        parse("e*x + pi", **{constant: 2.0, "x": 1.0})
    name = "pi" if constant == "pi" else "e"
    value = repr(math.pi if name == "pi" else math.e)
    assert str(info.value).startswith(f"parse: {constant!r} is the constant {name} = {value}, so it cannot be bound")
    with pytest.raises(ParseError, match="pi is a constant, so it cannot name the output"):
        parse("x*2", name="pi", x=1.0)


# A binding's value from text: a constant expression of the language.


@pytest.mark.parametrize(
    "text, value",
    [
        ("pi/2", math.pi / 2),
        ("-1e-3", -0.001),
        ("2*e", 2 * math.e),
        ("sqrt(2)", math.sqrt(2)),
        (" 5 ", 5.0),
        ("+-+1", -1.0),
        ("2**-1", 0.5),
    ],
)
def test_constant_value_reads_a_constant_expression(text, value) -> None:
    result = constant_value(text)
    assert result == value and type(result) is float


@pytest.mark.parametrize(
    "text, message",
    [
        ("x", "parse: 'x' is not a number nor a constant: a value may use numbers, pi, e and the functions"),
        ("2*x", "parse: 'x' in '2*x' is not a number nor a constant"),
        ("inf", "parse: 'inf' is not a finite number"),
        ("nan", "parse: 'nan' is not a finite number"),
        ("1e308*10", "parse: '1e308*10' is inf, not a finite number"),
        ("a = 1", "parse: a value is one expression, not an assignment: 'a = 1'"),
        ("1; 2", "parse: a value is one expression, not statements: '1; 2'"),
        ("1\n2", "parse: a value is one expression, not statements: '1 2'"),
        ("__import__('os')", "parse: dunder names are not allowed"),
        ("(2).real", "parse: attribute access is not allowed"),
        ("", "parse: the expression is empty"),
    ],
)
def test_constant_value_refuses_anything_else(text, message) -> None:
    with pytest.raises(ParseError) as info:
        constant_value(text)
    assert str(info.value).startswith(message)


def test_constant_value_where_a_function_is_undefined() -> None:
    with pytest.raises(DomainError, match=r"log\(-1.0\) is undefined"):
        constant_value("log(-1)")
