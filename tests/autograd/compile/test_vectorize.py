"""autograd/compile/vectorize.py: a layer's neurons are one matrix product, derived from the trace."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
from autograd import compile, dot, gradients, tanh
from nn.losses import bce_with_logits, hinge, l2, mean


def mlp_step(model, backend, penalty=True):
    params = model.parameters()
    return compile(
        lambda params, x, t: hinge(model(x), t), params, [0.1, 0.2], 1.0,
        per_example=(1, 2), penalty=(lambda p: 1e-4 * l2(p)) if penalty else None, backend=backend,
    )  # fmt: skip


def test_the_layers_of_an_mlp_are_matrix_products_and_the_backward_is_the_courses():
    step = mlp_step(nn.MLP(2, [16, 16, 1], seed=1), "numpy")
    src = step.source
    for line in (
        "W1 = params[0:48].reshape(16, 3)[:, :2]",
        "b1 = params[2:48:3]",
        "Z1 = t1 + b1[:, None]",
        "A1 = np.where(Z1 <= 0, 0.0, Z1)",
        "t2 = W2 @ A1",
        "dparams[0:48].reshape(16, 3)[:, :2] += dZ1 @ X.T",
        "dparams[2:48:3] += dZ1.sum(axis=1)",
    ):
        assert line in src, line
    assert "for " not in src.split('"""')[-1] and len(step.plan.ir.eqns) < 80


def test_the_vectorized_gradients_are_the_engines_to_1e_12():
    model = nn.MLP(2, [16, 16, 1], seed=1)
    params = model.parameters()
    X, y01 = nn.datasets.make_moons(60, noise=0.1, seed=0)
    Y = 2.0 * y01 - 1.0
    J, (grads,) = mlp_step(model, "numpy")(params, X.T, Y)
    whole = mean([hinge(model(x), t) for x, t in zip(X.tolist(), Y.tolist())]) + 1e-4 * l2(params)
    reference = np.array(gradients(whole, params))
    assert J == pytest.approx(whole.data, rel=1e-13)
    assert np.max(np.abs(grads - reference)) <= 1e-12 * np.max(np.abs(reference))


@pytest.mark.slow
def test_the_courses_week_4_network_compiles_and_counts_equations_after_vectorization():
    X, Y = nn.datasets.make_images(m=7, n_x=12288, seed=0)
    model = nn.MLP(12288, [20, 7, 5, 1], seed=0)
    for p in model.parameters():
        p.data *= 0.01
    step = compile(lambda params, x, y: bce_with_logits(model(x), y), model.parameters(), X[:, 0].tolist(), 1.0,
                   per_example=(1, 2), backend="numpy")  # fmt: skip
    assert len(step.plan.ir.eqns) < 100  # 245,865 weights, and a few dozen equations
    J, (grads,) = step(model.parameters(), X, Y[0])
    losses = [bce_with_logits(model(x), y) for x, y in zip(X.T.tolist(), Y[0].tolist())]
    whole = mean(losses)
    reference = np.array(gradients(whole, model.parameters()))
    assert J == pytest.approx(whole.data, rel=1e-12) and np.allclose(grads, reference, rtol=1e-9, atol=1e-15)


def test_a_neuron_that_reads_one_lane_of_a_layer_reads_it_alone():
    model = nn.MLP(3, [4, 1], seed=2)
    params = model.parameters()
    f = lambda params, x: model(x) * model.layers[0](x)[2]  # lane 2 of the first layer, by itself
    step = compile(f, params, [0.1, 0.2, 0.3], per_example=(1,), backend="numpy")
    X = np.array([[0.5, -1.0, 2.0], [1.5, 0.5, -0.5]]).T
    J, (grads,) = step(params, X)
    whole = mean([f(params, x) for x in X.T.tolist()])
    assert J == pytest.approx(whole.data, rel=1e-13)
    assert np.allclose(grads, gradients(whole, params), rtol=1e-12, atol=1e-15)


def numbers_of(step, *args):
    """A compiled step's value and gradients as plain floats, with the engine never called."""
    step._engine = None  # a call that fell back to the engine would fail here: the arrays gave the numbers
    value, grads = step(*args)
    return np.asarray(value, dtype=float).tolist(), [np.asarray(g, dtype=float).tolist() for g in grads]


def test_an_input_shared_by_a_groups_lanes_is_read_alone_even_if_it_joins_a_group_later():
    def f(P, s, x):
        z0, z1 = autograd.dot(P[0:2], x, P[2]), autograd.dot(P[3:5], x, P[5])
        p0 = autograd.tanh(z0) * s  # one number, read by both lanes of z0 * p0 and z1 * p0
        return z0 * p0 + z1 * p0 + autograd.tanh(z1) * s

    P, X = [0.1, 0.2, 0.3, -0.4, 0.5, 0.6], np.array([[1.0, 0.5], [2.0, -1.0]])
    on_floats = compile(f, P, 3.0, [1.0, 2.0], per_example=(2,), reduce="sum")(P, 3.0, X)
    step = compile(f, P, 3.0, [1.0, 2.0], per_example=(2,), reduce="sum", backend="numpy")
    assert "Z1 * t" in step.source  # z0 * p0 and z1 * p0 are one group
    value, grads = numbers_of(step, P, 3.0, X)
    assert value == pytest.approx(on_floats[0], rel=1e-13)
    assert np.allclose(grads[0], on_floats[1][0], rtol=1e-12) and grads[1] == pytest.approx(on_floats[1][1], rel=1e-12)


@pytest.mark.parametrize(
    "f, args",
    [
        (lambda w, b, x: tanh(dot(w[0:2], x, b)) * tanh(dot(w[2:4], x, b)), ([0.1, 0.2, 0.3, 0.4], 0.5, [1.0, 2.0])),
        (lambda p, x: tanh(dot(p[0:2], x)) * tanh(dot(p[3:5], x)), ([0.1, 0.2, 0.3, 0.4, 0.5], [1.0, 2.0])),
        (lambda x, w: tanh(dot(x[0:2], w)) * tanh(dot(x[2:4], w)), ([1.0, 2.0, -1.0, 0.5], [0.3, -0.2])),
    ],
    ids=["one bias for every neuron", "the last row past the end", "the weights are the examples"],
)
@pytest.mark.parametrize("backend", ["numpy", "jax"])
def test_dots_that_are_not_the_rows_of_a_matrix_stay_one_by_one(f, args, backend, request):
    if backend == "jax":
        jax = pytest.importorskip("jax", reason="the JAX backend needs jax (pip install -e .[jax])")
        request.addfinalizer(lambda before=jax.config.jax_enable_x64: jax.config.update("jax_enable_x64", before))
        jax.config.update("jax_enable_x64", True)
    per = (len(args) - 1,) if f.__code__.co_varnames[0] != "x" else (0,)
    shared = [i for i in range(len(args)) if i not in per]
    batch = [np.array([args[i], [2.0 * a for a in args[i]]]).T if i in per else args[i] for i in range(len(args))]
    on_floats = compile(f, *args, per_example=per)(*batch)
    value, grads = numbers_of(compile(f, *args, per_example=per, backend=backend), *batch)
    assert value == pytest.approx(on_floats[0], rel=1e-13) and len(grads) == len(shared)
    for got, want in zip(grads, on_floats[1]):
        assert np.allclose(got, want, rtol=1e-12, atol=1e-15)
