"""autograd/compile.py: a compiled function gives the engine's numbers, bit for bit, and its errors.

The reference is always the engine itself on the same function: ``gradients(f(*leaves), leaves)``
for one example, and ``mean([f(...) for each example]) + penalty(...)`` for a batch. Numbers are
compared as ``float.hex``, which tells -0.0 from 0.0, so "equal" here means the same bits.
"""

from __future__ import annotations

import inspect
import io
import math
import threading
import tokenize
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd
import autograd.checking
import autograd.errors
import autograd.extend
import autograd.language.syntax
import nn
from autograd import Value, compile, dot, exp, gradients, log, relu, sigmoid
from autograd.errors import DivisionByZeroError, DomainError, FloatOverflowError, TracingError
from autograd.extend import apply
from autograd.rules import PRIMITIVES
from nn.losses import bce_with_logits, hinge, l2, mean

from ..strategies import small_floats


def bits(x):
    """A number, or nested lists of them, as their exact bits (float.hex tells -0.0 from 0.0)."""
    return [bits(e) for e in x] if isinstance(x, (list, tuple)) else float(x).hex()


def as_values(x):
    return [as_values(e) for e in x] if isinstance(x, list) else Value(x)


def flat(x):
    return [v for e in x for v in flat(e)] if isinstance(x, list) else [x]


def unflat(numbers, like):
    if not isinstance(like, list):
        return numbers.pop(0)
    return [unflat(numbers, e) for e in like]


def engine(f, args, wrt):
    """``(value, gradients)`` of ``f`` at ``args`` on the engine: the reference."""
    values = [as_values(a) for a in args]
    out = f(*values)
    leaves = [v for i in wrt for v in flat(values[i])]
    grads = gradients(out, leaves) if isinstance(out, Value) else [0.0] * len(leaves)
    return float(out), tuple(unflat(grads, values[i]) for i in wrt)


# The course's logistic loss for one example: the source is the backward the course derives.


def L(w, b, x, y):
    z = dot(w, x, b)
    a = sigmoid(z)
    return -(y * log(a) + (1 - y) * log(1 - a))


def test_logistic_loss_source_is_the_course_backward():
    step = compile(L, [0.0, 0.0], 0.0, [1.0, 2.0], 1.0, wrt=(0, 1))
    src = step.source
    assert "    z = _sum((w_0 * x_0, w_1 * x_1), 0.0) + b\n" in src
    assert "    a = _sigmoid(z)\n" in src
    assert "    dz = da * (a * (1.0 - a))  # sigmoid: ∂a/∂z\n" in src
    assert "    dw_0 += dz * x_0  # dot: ∂z/∂w_0\n" in src
    assert "    db += dz  # dot: ∂z/∂b\n" in src
    assert "    dw_0 = dw_1 = db = 0.0\n" in src
    # At w = 0, b = 0: z = 0, a = 1/2, L = log 2, and the course's dz = a - y = -1/2, dw = x dz, db = dz.
    value, (dw, db) = step([0.0, 0.0], 0.0, [1.0, 2.0], 1.0)
    assert (value, dw, db) == (math.log(2.0), [-0.5, -1.0], -0.5)


@given(st.lists(small_floats(-2.0, 2.0), min_size=5, max_size=5), st.sampled_from([0.0, 1.0]))
@settings(max_examples=40, deadline=None)
def test_logistic_loss_is_the_engines_bit_for_bit(numbers, y):
    step = compile(L, [0.1, 0.2], 0.3, [0.4, 0.5], 1.0)
    args = [numbers[:2], numbers[2], numbers[3:], y]
    assert bits(step(*args)) == bits(engine(L, args, range(4)))


# Every primitive of the table (read now: rows added later are covered), composed at random.


def arity(op):
    params = list(inspect.signature(PRIMITIVES[op].forward).parameters.values())
    return None if any(p.kind is p.VAR_POSITIONAL for p in params) else len(params)


def expressions():
    ops = sorted(PRIMITIVES)
    leaf = st.one_of(st.integers(0, 2).map(lambda i: ("arg", i)), small_floats(-2.0, 2.0).map(lambda c: ("const", c)))

    def node(children):
        def with_inputs(op):
            n = arity(op)
            count = st.just(n) if n is not None else st.integers(1, 5)
            return count.flatmap(lambda k: st.tuples(st.just(op), st.lists(children, min_size=k, max_size=k)))

        return st.sampled_from(ops).flatmap(with_inputs)

    return st.recursive(leaf, node, max_leaves=8)


def build(tree, args):
    if tree[0] == "arg":
        return args[tree[1]]
    if tree[0] == "const":
        return tree[1]
    return apply(tree[0], *(build(t, args) for t in tree[1]))


def outcome(call):
    """What a call gives: its numbers' bits, or the type of the error it raises."""
    try:
        return bits(call())
    except (ArithmeticError, ValueError) as e:
        return type(e)


@pytest.mark.slow
@given(
    expressions(),
    st.lists(small_floats(-2.0, 2.0), min_size=3, max_size=3),
    st.lists(st.sampled_from([0.0, 0.5, -1.0, 1.0, 2.0]) | small_floats(-2.0, 2.0), min_size=3, max_size=3),
)
@settings(max_examples=150, deadline=None)
def test_random_expressions_over_every_primitive_match_the_engine(tree, at, new):
    f = lambda x, y, z: build(tree, [x, y, z])
    try:
        compiled = compile(f, *at)
    except DomainError:  # the trace itself is outside a domain (log of a negative, ...): nothing to compile
        assume(False)
    assert outcome(lambda: compiled(*new)) == outcome(lambda: engine(f, new, range(3)))


@pytest.mark.parametrize("op", sorted(PRIMITIVES))
def test_each_primitive_alone_matches_the_engine(op):
    n = arity(op) or 3
    f = lambda *xs: apply(op, *xs)
    start = 1.5 if op == "acosh" else 0.5  # inside every domain (acosh takes x >= 1)
    compiled = compile(f, *[start + 0.25 * i for i in range(n)])
    for point in ([0.7, 1.3, 0.2], [-0.4, 2.0, 1.5], [1.5, -0.5, 3.0], [0.0, 0.0, 0.0]):
        args = (point * 2)[:n]
        assert outcome(lambda: compiled(*args)) == outcome(lambda: engine(f, args, range(n))), (op, args)  # noqa: B023 - called at once


def test_user_primitives_from_defop_have_their_rule_written_out(temporary_op):
    sinc = temporary_op("sinc", lambda x: math.sin(x) / x, lambda ans, x: (autograd.cos(x) - ans) / x)
    f = lambda x, y: sinc(x * y) + x
    compiled = compile(f, 1.0, 2.0)
    assert "(_cos(t1) - t2) / t1" in compiled.source and "_sinc_rule" not in compiled.source  # run on the IR
    for args in ([0.3, 1.7], [-2.0, 0.5]):
        assert bits(compiled(*args)) == bits(engine(f, args, range(2)))


def test_a_rule_that_needs_numbers_is_called_at_run_time(temporary_op):
    step = temporary_op("step_up", lambda x: x if x > 0 else 0.5 * x, lambda ans, x: 1.0 if x > 0 else 0.5)
    f = lambda x: step(x * x - 1.0) * x
    compiled = compile(f, 2.0)
    assert "_step_up_rule(" in compiled.source  # its Python if cannot be traced: the table's rule, called
    for x in (2.0, 0.5, -3.0):
        assert bits(compiled(x)) == bits(engine(f, [x], [0]))


# Models: an MLP for one example and for a batch, with a penalty outside the loop.


def test_mlp_one_example_matches_the_engine():
    model = nn.MLP(3, [5, 4, 1], seed=0)
    params = model.parameters()
    f = lambda params, x: model(x)
    compiled = compile(f, params, [0.1, 0.2, 0.3])
    value, (grads, dx) = compiled([p.data for p in params], [0.5, -1.0, 2.0])
    x = [Value(0.5), Value(-1.0), Value(2.0)]
    out = model(x)
    assert bits([value, grads, dx]) == bits([out.data, gradients(out, params), gradients(out, x)])


@pytest.mark.parametrize("reduce", ["mean", "sum"])
def test_mlp_batch_matches_the_engine_on_the_whole_batch_and_the_sum_of_examples(reduce):
    model = nn.MLP(2, [6, 5, 1], seed=1)
    params = model.parameters()
    X, y01 = nn.datasets.make_moons(12, noise=0.1, seed=0)
    X, Y = X.tolist(), (2.0 * y01 - 1.0).tolist()
    penalty = lambda params: 1e-4 * l2(params)
    step = compile(
        lambda params, x, t: hinge(model(x), t), params, X[0], Y[0], per_example=(1, 2), reduce=reduce, penalty=penalty
    )
    J, (grads,) = step(params, X, Y)
    losses = [hinge(model(x), t) for x, t in zip(X, Y)]
    whole = (mean(losses) if reduce == "mean" else autograd.sum(losses)) + penalty(params)
    assert bits([J, grads]) == bits([whole.data, gradients(whole, params)])
    # Each parameter is used once per example, so adding each example's gradients in order gives
    # the same bits as the engine's pass, which adds each use as it comes.
    no_penalty = compile(lambda params, x, t: hinge(model(x), t), params, X[0], Y[0], per_example=(1, 2), reduce="sum")
    total = [0.0] * len(params)
    for x, t in zip(X, Y):
        out = hinge(model(x), t)
        total = [s + g for s, g in zip(total, gradients(out, params))]
    assert bits(no_penalty(params, X, Y)[1][0]) == bits(total)


def test_an_example_whose_gradient_stops_at_a_satisfied_hinge_goes_on_to_the_next():
    """Once the hinge is satisfied (margin <= 0) nothing flows back: the loop continues at once,
    as the engine skips every node behind a zero gradient, and the numbers stay the engine's."""
    model = nn.MLP(2, [4, 1], seed=3)
    params = model.parameters()
    X = [[0.5, -1.0], [-3.0, -3.0], [4.0, -1.0], [-2.0, 0.5]]
    step = compile(lambda params, x, t: hinge(model(x), t), params, X[0], 1.0, per_example=(1, 2))
    assert "continue" in step.source.split("# backward")[1]
    scores = [model(x).data for x in X]  # about 0.99, 1.07, 1.86, -0.99
    Y = [1.0 if s > 0 else -1.0 for s in scores]  # the two scores beyond 1 satisfy their hinge
    assert any(t * s >= 1.0 for s, t in zip(scores, Y)) and any(t * s < 1.0 for s, t in zip(scores, Y))
    J, (grads,) = step(params, X, Y)
    whole = mean([hinge(model(x), t) for x, t in zip(X, Y)])
    assert bits([J, grads]) == bits([whole.data, gradients(whole, params)])


def test_batch_per_example_values_with_reduce_none():
    f = lambda w, x: relu(w * x)
    step = compile(f, 1.0, 1.0, per_example=(1,), reduce=None)
    values, (dw,) = step(2.0, [1.0, -1.0, 3.0])
    assert values == [2.0, 0.0, 6.0] and dw == 4.0  # d/dw of the sum: 1 + 0 + 3


# The numpy backend: the same code on arrays of examples.


@pytest.fixture
def images():
    X, Y = nn.datasets.make_images(m=25, n_x=12, seed=0)
    return X, Y, [0.01 * (i - 6) for i in range(12)], 0.05


def logistic(w, b, x, y):
    return bce_with_logits(dot(w, x, b), y)


def test_numpy_backend_equals_the_float_backend(images):
    np = pytest.importorskip("numpy")
    X, Y, w, b = images
    on_floats = compile(logistic, w, b, X[:, 0].tolist(), 1.0, per_example=(2, 3))
    on_arrays = compile(logistic, w, b, X[:, 0].tolist(), 1.0, per_example=(2, 3), backend="numpy")
    assert "for " not in on_arrays.source and "for " in on_floats.source
    J1, (dw1, db1) = on_floats(w, b, X, Y[0])  # one layout for both: the course's X of shape (n_x, m)
    J2, (dw2, db2) = on_arrays(w, b, X, Y)
    # Not the same bits: numpy's exp and log may differ from the C library's in the last bit, and it
    # sums the examples pairwise, not one by one. Both within a few rounding errors of J and the gradients.
    assert J2 == pytest.approx(J1, rel=1e-13)
    assert np.allclose(dw2, dw1, rtol=1e-12, atol=1e-16) and db2 == pytest.approx(db1, rel=1e-12)


def test_numpy_backend_is_the_course_vectorized_logistic_regression(images):
    X, Y, w, b = images
    np = pytest.importorskip("numpy")
    from nn import vectorized

    step = compile(logistic, w, b, X[:, 0].tolist(), 1.0, per_example=(2, 3), backend="numpy")
    J, (dw, db) = step(w, b, X, Y)
    grads, cost = vectorized.propagate(np.array([w]).T, b, X, Y)
    assert J == pytest.approx(cost, rel=1e-13)
    assert np.allclose(dw, grads["dw"][:, 0], rtol=1e-12, atol=1e-16) and db == pytest.approx(grads["db"], rel=1e-12)


# Honest limits: branches, errors, sizes.


def test_a_python_branch_on_a_traced_value_is_refused():
    with pytest.raises(
        TracingError,
        match=r"compile <lambda> \(test_compile.py, line \d+\): x > 0 compares a traced Value \(x=1\.0\).*relu, abs or leaky_relu",
    ):
        compile(lambda x: x * x if x > 0 else -x, 1.0)
    with pytest.raises(TracingError, match="y > x compares a traced Value"):  # max is a branch too
        compile(lambda x, y: max(x, y), 1.0, 2.0)
    assert Value(1.0) > 0  # outside tracing, comparisons are numbers again
    assert compile(lambda x: relu(x) + abs(x), 1.0)(-2.0)[0] == 2.0  # kinks inside primitives are fine


def test_tracing_in_one_thread_leaves_comparisons_in_others_alone():
    seen = []
    started, release = threading.Event(), threading.Event()

    def slow(x):
        started.set()
        release.wait(5)
        return x * 2

    t = threading.Thread(target=lambda: compile(slow, 1.0))
    t.start()
    started.wait(5)
    seen.append(Value(3.0) > 2)  # while the other thread traces
    release.set()
    t.join(5)
    assert seen == [True]


@pytest.mark.parametrize(
    "f, args, error",
    [
        (lambda x, y: log(x) * y, [0.0, 1.0], DomainError),
        (lambda x, y: x / y, [1.0, 0.0], DivisionByZeroError),
        (lambda x, y: exp(x) * y, [1000.0, 1.0], FloatOverflowError),
        (lambda x, y: x**y, [-8.0, 0.5], DomainError),
    ],
)
def test_domain_errors_keep_their_type_and_name_the_op(f, args, error):
    compiled = compile(f, 1.0, 2.0)
    with pytest.raises(error) as caught:
        compiled(*args)
    with pytest.raises(error) as expected:
        engine(f, args, range(2))
    assert type(caught.value) is type(expected.value) and str(caught.value) == str(expected.value)


@pytest.mark.parametrize("backend", ["python", "numpy"])
def test_a_domain_error_in_a_batch_names_the_example(backend):
    pytest.importorskip("numpy")
    step = compile(lambda w, x: log(w * x), 1.0, 1.0, per_example=(1,), backend=backend)
    with pytest.raises(DomainError, match=r"example 2: log: log\(0\.0\) is undefined"):
        step(1.0, [1.0, 2.0, 0.0, 3.0])


def test_a_graph_too_large_is_refused_up_front():
    def chain(x):
        for _ in range(70_000):
            x = x * 1.0  # an equation each (its backward, times 1.0, is none)
        return x

    with pytest.raises(
        ValueError, match="compile chain: at least 60,001 equations, over the limit of 60,000: .* use the engine"
    ):
        compile(chain, 1.0)  # refused as the 60,001st is made, not after all 70,001


def test_a_long_sum_of_gradients_is_split_for_pythons_compiler():
    def fan(x):
        h = x * 1.5
        return autograd.sum([h * (x + i % 5) for i in range(3000)])  # h has 3,000 uses

    compiled = compile(fan, 0.5)
    sums = [line for line in compiled.source.splitlines() if "summed over its 3000 uses" in line]
    assert len(sums) == 3000 // 50 and max(line.count(" + ") for line in sums) <= 50  # 50 terms a line
    assert bits(compiled(0.7)) == bits(engine(fan, [0.7], [0]))


def test_labels_never_reach_the_source_as_code():
    x = Value(2.0, label="x\nimport os  # ")
    y = Value(3.0, label="__import__('os')")
    z = x * y
    z.label = "z\u2028os.system('x')\r\n"
    compiled = compile(lambda a, b: a * b + z, 1.0, 2.0)
    tokens = list(tokenize.generate_tokens(io.StringIO(compiled.source).readline))
    names = {t.string for t in tokens if t.type == tokenize.NAME}
    assert not names & {"os", "import", "__import__", "system"}  # in comments only, escaped
    assert not any(t.type == tokenize.STRING for t in tokens)
    assert compiled(1.0, 2.0) == (8.0, (2.0, 1.0))


def test_the_source_shown_in_docs_compile_md_is_what_compile_writes():
    doc = (Path(__file__).resolve().parents[3] / "docs" / "compile.md").read_text(encoding="utf-8")
    shown = doc.split("prints (after a header comment):\n\n```python\n")[1].split("```")[0]
    source = compile(L, [0.0, 0.0], 0.0, [1.0, 2.0], 1.0, wrt=(0, 1)).source
    written = "".join(line + "\n" for line in source.splitlines() if not line.startswith("#"))
    assert shown == written


def test_the_python_backend_refuses_lists_too_long_to_name_each_number():
    with pytest.raises(ValueError, match=r"compile <lambda>: the arguments hold 60,000 numbers in lists, over the python backend's limit of 50,000 .* backend='numpy'"):  # fmt: skip
        compile(lambda w, x: dot(w, x), [0.0] * 30_000, [1.0] * 30_000)
    assert (
        compile(lambda w, x: dot(w, x), [0.5] * 20_000, [2.0] * 20_000)([0.5] * 20_000, [2.0] * 20_000)[0] == 20_000.0
    )


def test_a_penalty_reading_one_examples_value_is_refused():
    kept = {}

    def f(w, x):
        kept["x"] = x
        return w * x

    for backend in ("python", "numpy"):
        with pytest.raises(ValueError, match="the penalty reads 'x', which holds one example"):
            compile(f, 1.0, 5.0, per_example=(1,), penalty=lambda w: w * kept["x"], backend=backend)


def test_list_arguments_too_large_to_trace_are_refused_before_f_runs():
    from autograd.compile import MAX_NUMBERS

    ran = []
    f = lambda w, x: ran.append(1) or dot(w, [x] * len(w))
    with pytest.raises(ValueError, match="hold 500,001 numbers in lists, over the limit of 500,000"):
        compile(f, [0.0] * (MAX_NUMBERS + 1), 1.0, per_example=(1,), backend="numpy")
    assert ran == []
