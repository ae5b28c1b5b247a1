"""autograd/codegen.py: the lines for each node, named after the graph, the chain rule in the engine's order."""

from __future__ import annotations

import math
import struct

from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, compile, dot, relu
from autograd.compile.codegen import CHUNK, _product
from autograd.compile.inline import Known


@given(st.floats(allow_nan=False))
def test_times_one_and_minus_one_are_written_as_the_same_bits(g):
    assert struct.pack("d", eval(_product("g", Known(1.0)), {"g": g})) == struct.pack("d", g * 1.0)
    assert struct.pack("d", eval(_product("g", Known(-1.0)), {"g": g})) == struct.pack("d", g * -1.0)


def test_names_come_from_labels_then_variables_then_are_generated():
    def f(w, x):
        z = dot(w, x)
        h = relu(z)
        return h * h + 1.0

    src = compile(f, [1.0, 2.0], [3.0, 4.0]).source
    for line in ("z = 0.0 + w_0 * x_0 + w_1 * x_1", "h = 0.0 if z <= 0 else z", "t1 = h * h", "f = t1 + 1.0"):
        assert f"    {line}\n" in src, line
    assert "    dh = dt1 * h + dt1 * h  # summed over its 2 uses (*)\n" in src
    assert "    dx_0 += dz * w_0  # dot: ∂z/∂x_0 = w_0\n" in src


def test_a_label_that_is_no_identifier_is_quoted_in_a_comment_only():
    y = Value(2.0, label="b*c")

    def f(x):
        z = x * y
        z.label = "z\nimport os"
        return z + 1.0

    src = compile(f, 1.0).source
    assert "    (p,) = _live  # numbers read from outside: b*c\n" in src  # y, read at each call, is p
    assert "    z = x * p  # z\\nimport os\n" in src  # named after f's variable; the label escaped


def test_constants_are_written_as_numbers_that_give_the_same_bits():
    src = compile(lambda x: x * -0.0 + x / 3.0 + x * 1e-300, 1.0).source
    assert "x * (-0.0)" in src and "x / 3.0" in src and "x * 1e-300" in src


def test_a_sum_of_many_gradients_takes_several_lines_in_the_engines_order():
    def fan(x):
        h = x * 2.0
        out = h
        for _ in range(2 * CHUNK + 1):
            out = out + h
        return out

    compiled = compile(fan, 1.0)
    assert compiled.source.count("    dh = dh + ") == 2
    assert compiled(1.5) == (1.5 * 2.0 * (2 * CHUNK + 2), ((2 * CHUNK + 2) * 2.0,))


def test_a_rule_that_is_called_says_so(temporary_op):
    cube = temporary_op("cube", lambda x: x**3, lambda ans, x: 3 * x**2)
    src = compile(lambda x: cube(x), 2.0).source
    assert "    (_l1_0,) = _cube_rule(f, x)  # cube: its rule from the table, called as it is\n" in src
    assert "    dx += df * _l1_0  # cube: ∂f/∂x = _l1_0\n" in src


def test_infinite_and_nan_constants_are_names():
    src = compile(lambda x: x * math.inf + x, 1.0).source
    assert "x * _inf" in src
