"""autograd/compile/ir.py: equations that print compactly, simplified as they are made."""

from __future__ import annotations

import math
import pathlib
import re

import numpy as np

from autograd import compile, dot, sigmoid
from autograd.compile.ir import IR, Var, building


def test_a_list_argument_is_one_vector_variable_and_a_line_per_equation():
    f = lambda w, b, x: sigmoid(dot(w, x, b))
    text = compile(f, [0.0] * 300, 0.0, [1.0] * 300, wrt=(0, 1)).ir
    assert text.startswith("{ lambda w:f64[300] b:f64 x:f64[300] .\n")
    assert "    t1:f64 = contract w x\n" in text and "    dw += " in text
    assert len(text.splitlines()) < 20  # not a name per number


def test_arithmetic_on_variables_adds_equations_and_numbers_are_computed():
    ir = IR()
    x = Var("x")
    with building(ir):
        y = (x * 1.0) * (2.0 * 3.0) + (1.0 - 0.25)
        z = -1.0 * x
    assert y.name == "t2" and [(e.op, e.ins) for e in ir.eqns[:2]] == [("*", (x, 6.0)), ("+", (ir.eqns[0].out, 0.75))]
    assert ir.eqns[-1].op == "neg" and z is ir.eqns[-1].out  # -1.0 * x is -x, the same bits


def test_no_times_one_and_no_zero_plus_in_a_compiled_function():
    text = compile(lambda w, x: dot(w, x) * 2.0 + 1.0, [1.0, 2.0], [3.0, 4.0]).ir
    assert not re.search(r"\* (1\.0 \S+|\S+ 1\.0)$", text, re.M) and not re.search(r"\+ 0\.0 ", text)


def test_numbers_print_as_their_values():
    ir = IR()
    x = Var("x")
    with building(ir):
        x * np.float64(0.1) + math.inf
    assert [e.ins[1] for e in ir.eqns] == [0.1, math.inf] and all(type(e.ins[1]) is float for e in ir.eqns)


def test_no_module_of_compile_reads_source_text_bytecode_or_a_profiler():
    package = pathlib.Path(__file__).resolve().parents[3] / "autograd" / "compile"
    code = "\n".join(p.read_text(encoding="utf-8") for p in package.glob("*.py"))
    for forbidden in (
        "getsource",
        "linecache.getlines",
        "setprofile",
        "settrace",
        "co_code",
        "import dis",
        "import ast",
    ):
        assert forbidden not in code, forbidden
