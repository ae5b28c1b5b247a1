"""autograd/compile/trace.py: what f does is seen through the engine, and what it hides is refused.

The reference is the engine on the same function (``engine`` in test_compile.py); numbers are
compared as their bits.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
from autograd import TracingError, Value, compile, exp, gradients, log, no_grad, sigmoid
from autograd.errors import DomainError

from .test_compile import bits, engine


def test_detach_inside_f_is_a_cut_with_the_engines_numbers():
    f = lambda x: x * x.detach()
    assert compile(f, 1.0)(3.0) == engine(f, [3.0], [0]) == (9.0, (3.0,))


def test_no_grad_inside_f_is_a_cut_with_the_engines_numbers():
    def f(x, y):
        with no_grad():
            scale = x * y  # a number computed from x and y, but no gradient through it
        return scale * x + y

    compiled = compile(f, 1.0, 2.0)
    assert "detach" in compiled.ir
    for args in ([3.0, 4.0], [-1.5, 0.25]):
        assert bits(compiled(*args)) == bits(engine(f, args, range(2)))


@pytest.mark.parametrize(
    "f, what",
    [
        (lambda x: x * math.sin(x), "float"),
        (lambda x: x * float(x), "float"),
        (lambda x: x if x > 0 else -x, "x > 0"),
    ],
)
def test_leaving_the_graph_is_refused_naming_the_line_of_f(f, what):
    with pytest.raises(TracingError, match=rf"compile <lambda> \(test_trace.py, line \d+\): .*{what}"):
        compile(f, 2.0)


def test_a_rule_that_reads_a_global_compiles_to_what_the_engine_does_now(temporary_op):
    scale = {"k": 2.0}
    op = temporary_op("scaled", lambda x: scale["k"] * x, lambda ans, x: scale["k"])
    f = lambda x: op(x) * x
    before = compile(f, 1.0)
    scale["k"] = 5.0
    after = compile(f, 1.0)  # nothing cached from the compile before: the rule is run again
    assert after(3.0) == engine(f, [3.0], [0]) == (45.0, (30.0,))
    scale["k"] = 2.0  # (its forward reads the global when called: compile again after changing it)
    assert before(3.0) == engine(f, [3.0], [0]) == (18.0, (12.0,))


def test_a_defop_redefined_after_compiling_is_not_mixed_in(temporary_op):
    temporary_op("twice", lambda x: 2.0 * x, lambda ans, x: 2.0)
    f = lambda x: autograd.extend.apply("twice", x) * x
    compiled = compile(f, 1.0)
    with pytest.warns(UserWarning, match="redefined"):
        temporary_op("twice", lambda x: 3.0 * x, lambda ans, x: 3.0)
    assert compiled(2.0) == (8.0, (8.0,))  # the old forward with the old rule: 2x², 4x
    with pytest.raises(RuntimeError, match="'twice' was redefined .* after compiling, and this call needs the engine"):
        compiled(math.inf)  # a result that is not finite goes to the engine: it would use the new rule
    assert compile(f, 1.0)(2.0) == engine(f, [2.0], [0]) == (12.0, (12.0,))  # compiled again: the new one


class Loud(float):
    def __repr__(self) -> str:
        return "__import__('os').system('echo pwned')"


@pytest.mark.parametrize("c", [np.float64(0.1), Loud(0.25), np.float32(0.5)])
def test_numbers_reach_the_code_as_values_not_repr_text(c, temporary_op):
    op = temporary_op("times_c", lambda x: float(c) * x, lambda ans, x: c)
    f = lambda x: op(x) * c + x * c
    compiled = compile(f, 1.0)
    assert "pwned" not in compiled.source and "float64" not in compiled.source
    assert bits(compiled(2.0)) == bits(engine(f, [2.0], [0]))


def test_a_domain_error_nobody_reads_still_raises_as_in_the_engine():
    def f(x):
        log(x - 2.0)  # read by nobody, and undefined below 2
        return x * x

    compiled = compile(f, 3.0)
    assert compiled(3.0) == (9.0, (6.0,))
    with pytest.raises(DomainError, match=r"log: log\(-1\.0\) is undefined"):
        compiled(1.0)
    with pytest.raises(DomainError, match=r"log: log\(-1\.0\) is undefined"):
        engine(f, [1.0], [0])


def test_with_two_failing_ops_the_error_names_the_one_f_hits_first():
    def f(x):
        a = exp(x * 1000.0)  # overflows first, at x = 1
        b = log(-x)  # undefined too
        return b + a

    with pytest.raises(DomainError) as engine_error:
        engine(f, [1.0], [0])
    with pytest.raises(DomainError) as compiled_error:
        compile(f, -1e-3)(1.0)
    assert str(compiled_error.value) == str(engine_error.value) and "exp" in str(engine_error.value)


def test_values_made_inside_f_and_read_from_outside_are_read_at_each_call():
    outside = Value(2.0, label="scale")
    f = lambda x: x * outside + Value(1.0) * x
    compiled = compile(f, 1.0)
    assert compiled(3.0) == (9.0, (3.0,))
    outside.data = 4.0
    assert compiled(3.0) == (15.0, (5.0,))


def test_the_output_of_a_sigmoid_step_is_named_as_the_course_names_it():
    compiled = compile(lambda w, x: sigmoid(autograd.dot(w, x)), [1.0, 2.0], [0.5, 0.5])
    assert "    z = _sum((w_0 * x_0, w_1 * x_1), 0.0)\n" in compiled.source and "= _sigmoid(z)" in compiled.source


def test_names_the_code_writes_never_clash_with_fs_own():
    """An argument named like a gradient (dx), like J, or like one of another argument's numbers."""
    cases = [
        (lambda x, dx: x * x * dx, [2.0, 3.0]),
        (lambda J, x: J * x + x * x, [1.5, 2.0]),
        (lambda a, a_0: sigmoid(a[0]) * sigmoid(a[1]) * a_0, [[1.0, 2.0], 3.0]),
        (lambda x, _x: x * _x, [3.0, 4.0]),
        (lambda arg2, x2, _x2: arg2[0] * x2 + _x2[0], [[1.0], 2.0, [3.0]]),  # _x2 is neither x2 nor arg2
        (lambda x1, X1, arg1: x1 * X1 + arg1, [1.0, 2.0, 3.0]),
    ]
    for f, args in cases:
        assert bits(compile(f, *args)(*args)) == bits(engine(f, args, range(len(args)))), f


def test_a_batch_with_work_the_same_for_every_example_computes_it_once():
    outside = Value(0.25)
    f = lambda w, x: exp(w[1]) * outside * x
    step = compile(f, [1.0, 2.0], 2.0, per_example=(1,))
    assert step.source.index("_exp(w_1)") < step.source.index("for x in X")
    value, (dw,) = step([1.0, 2.0], [1.0, 3.0])
    whole = (f([Value(1.0), Value(2.0)], 1.0), f([Value(1.0), Value(2.0)], 3.0))
    assert value == pytest.approx(0.25 * math.exp(2.0) * 2.0, rel=1e-15) and dw[0] == 0.0
    assert whole[0].data == pytest.approx(0.25 * math.exp(2.0), rel=1e-15)


def test_an_op_jax_cannot_trace_is_refused_when_compiling(temporary_op):
    pytest.importorskip("jax")
    cube = temporary_op("cube_jax", lambda x: x**3, lambda ans, x: 3.0 * x * x)
    with pytest.raises(ValueError, match="backend='jax': 'cube_jax' has no formula, which JAX cannot trace"):
        compile(lambda w, x: cube(w * x), 0.5, 1.0, per_example=(1,), backend="jax")


def test_a_detached_node_is_a_leaf_in_the_order_of_the_backward_pass_as_in_the_engine():
    # kept reads a but is detached: in the engine's graph it is a leaf, so the engine's backward sends
    # w the tanh term before the sigmoid term. A batch adds two examples' terms to dw: in another
    # order, ((s + t) + s) + t, the last bit differs (it did, when the trace's order counted kept's parents).
    def f(w, x):
        a = autograd.tanh(w)
        kept = autograd.sum([a, x]).detach()
        return autograd.sum([autograd.relu(abs(autograd.asin(autograd.tanh(a))) - 0.5), sigmoid(w), kept])

    w, xs = -0.6579480361993268, [1.4745807307597047, -1.123923587924106]
    W = Value(w)
    total = autograd.sum([f(W, Value(x)) for x in xs])
    expected = (float(total), tuple(gradients(total, [W])))
    assert bits(compile(f, 1.0, 1.0, per_example=(1,), reduce="sum")(w, xs)) == bits(expected)


def test_a_penalty_that_is_an_argument_itself_adds_its_gradient_first_as_the_engine_does():
    # J = mean(w * x) + w: the engine's last + sends its 1.0 straight to w, before the examples'
    # terms; added last instead, dw would be 1.3333333333333333, not the engine's ...335.
    f, penalty, xs = (lambda w, x: w * x), (lambda w: w), [0.1, 0.2, 0.7]
    W = Value(1.0)
    J = autograd.sum([f(W, Value(x)) for x in xs]) * (1.0 / 3) + penalty(W)
    expected = (float(J), tuple(gradients(J, [W])))
    assert bits(compile(f, 1.0, 1.0, per_example=(1,), penalty=penalty)(1.0, xs)) == bits(expected)


@pytest.mark.parametrize("backend", ["python", "numpy"])
def test_a_value_labelled_with_a_keyword_names_a_variable_the_code_can_have(backend):
    lam = Value(0.1, label="lambda")  # the course's λ, read from outside f

    def f(w, x):
        y = w * x
        y.label = "in"
        return y * y + lam * w * w

    compiled = compile(f, 1.0, 2.0, per_example=(1,), backend=backend)
    read = {"python": "_live[0]", "numpy": "lambda_ = _live[0]"}[backend]  # floats read it where it is used
    assert read in compiled.source and "in_ = " in compiled.source
    value, dw = compiled(1.0, [1.0, 2.0])  # mean of (w x)² + 0.1 w², and of 2 w x² + 0.2 w
    assert value == pytest.approx(2.6, rel=1e-15) and dw[0] == pytest.approx(5.2, rel=1e-15)


def test_f_making_too_many_nodes_is_refused_while_it_runs():
    from autograd.compile import trace

    made = []

    def chain(x):
        for _ in range(trace.MAX_NODES + 10):
            x = x + 1.0
            made.append(1)
        return x

    with pytest.raises(ValueError, match="f made more than 1,000,000 nodes"):
        compile(chain, 1.0)
    assert len(made) == trace.MAX_NODES // 2  # each step made two nodes: the constant 1.0, then the +
