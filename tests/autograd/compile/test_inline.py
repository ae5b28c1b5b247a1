"""autograd/inline.py: each row of the rule table written out for one node, forward and local derivatives."""

from __future__ import annotations

import math

import pytest

from autograd import forwards as floats
from autograd.compile.inline import Code, Known, atom, forward_text, local_exprs
from autograd.rules import PRIMITIVES, UNDEFINED


def bind_into(bound):
    def bind(obj, hint):
        bound[f"_{hint}"] = obj
        return f"_{hint}"

    return bind


def local(op, *args, vector=False, bound=None):
    ds = local_exprs(
        PRIMITIVES[op].local_derivatives, "a", list(args), bind_into({} if bound is None else bound), vector
    )
    return None if ds is None else [d.value if isinstance(d, Known) else d.text for d in ds]


def test_the_course_rules_read_as_the_course_writes_them():
    assert local("sigmoid", "z") == ["a * (1.0 - a)"]
    assert local("tanh", "z") == ["1.0 - a * a"]
    assert local("relu", "z") == ["1.0 if z > 0 else 0.0"]
    assert local("*", "u", "v") == ["v", "u"]
    assert local("/", "u", "v") == ["1.0 / v", "-a / v"]
    assert local("-", "u", "v") == [1.0, -1.0]
    assert local("sin", "z") == ["_cos(z)"]  # autograd.cos on a float is the row's forward: math.cos


def test_fused_nodes_helpers_are_worked_out_for_their_number_of_inputs():
    assert local("dot", "w0", "w1", "x0", "x1", "b") == ["x0", "x1", "w0", "w1", 1.0]
    assert local("dot", "w0", "x0") == ["x0", "w0"]
    assert local("sum", "p", "q", "r") == [1.0, 1.0, 1.0]


def test_the_power_rule_is_written_out_and_a_constant_exponent_simplifies_it():
    bound = {}
    dx, dy = local("**", "u", 2.0, bound=bound)
    assert dx == "_UNDEFINED if _float(u) == 0 and False else 2.0 * u ** 1.0" and bound["_UNDEFINED"] is UNDEFINED
    assert dy == "a * (_log(u) if _float(u) > 0 else 0.0 if _float(u) == 0 else _nan)"


def test_constants_are_keyed_by_their_bits_so_minus_zero_is_not_zero():
    assert local("*", "u", 0.0) == [0.0, "u"] and local("*", "u", -0.0)[0] == -0.0
    assert math.copysign(1.0, local("*", "u", -0.0)[0]) == -1.0


def test_a_defop_rule_is_called_at_run_time(temporary_op):
    temporary_op("cube", lambda x: x**3, lambda ans, x: 3 * x**2)
    assert local("cube", "z") is None


def test_numpy_expressions_use_where_and_refuse_what_takes_one_number():
    assert local("relu", "z", vector=True) == ["_where(z > 0, 1.0, 0.0)"]
    assert local("abs", "z", vector=True) == ["_where(z > 0, 1.0, _where(z < 0, -1.0, 0.0))"]
    assert local("softplus", "z", vector=True) == ["_np_sigmoid(z)"]
    assert local("**", "u", "v", vector=True) is None  # float(), and/or: each example on its own, at run time


def test_forwards_are_the_engines_float_operations():
    assert forward_text(floats.relu, ["z"], None, False) == "0.0 if z <= 0 else z"
    assert forward_text(floats.relu, ["z"], None, True) == "_where(z <= 0, 0.0, z)"
    assert forward_text(floats.divide, ["u", "(-2.0)"], None, False) == "u / (-2.0)"
    bound = {}
    assert forward_text(floats.sigmoid, ["z"], bind_into(bound), False, "sigmoid") == "_sigmoid(z)"
    assert bound == {"_sigmoid": floats.sigmoid}
    assert forward_text(floats.dot, ["b"], None, False) == "_sum((), 0.0) + b"  # a dot of nothing, plus a bias


@pytest.mark.parametrize(
    "x, text", [(2.5, "2.5"), (-1.0, "(-1.0)"), (-0.0, "(-0.0)"), (math.inf, "_inf"), (math.nan, "_nan")]
)
def test_numbers_as_operands_need_no_parentheses(x, text):
    assert atom(x) == text


def test_code_knows_whether_it_needs_parentheses():
    ds = local_exprs(PRIMITIVES["sigmoid"].local_derivatives, "a", ["z"], None, False)
    assert ds == [Code("a * (1.0 - a)", False)]
    assert local_exprs(PRIMITIVES["sin"].local_derivatives, "a", ["z"], None, False) == [Code("_cos(z)", True)]
