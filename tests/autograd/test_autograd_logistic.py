"""Logistic regression's hand derivation, dz = a - y, through separate sigmoid and log-loss nodes."""

from __future__ import annotations

import math

import pytest
from ag_strategies import small_floats
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value

EXAMPLES = settings(max_examples=60, deadline=None)
labels = st.one_of(st.sampled_from([0.0, 1.0]), small_floats(0.0, 1.0))


def log_loss(a: Value, y: float) -> Value:
    """L(a, y) = -(y log a + (1 - y) log(1 - a)), written with separate nodes."""
    return -(y * a.log() + (1 - y) * (1 - a).log())


@EXAMPLES
@given(z=small_floats(-20.0, 20.0), y=labels)
def test_dz_is_a_minus_y(z: float, y: float) -> None:
    z_node = Value(z, label="z")
    a = z_node.sigmoid()
    L = log_loss(a, y)
    L.backward()
    ops = {n.op for n in L.nodes()}
    assert {"sigmoid", "log"} <= ops  # not a fused loss: the chain rule does the work
    a_expected = 1 / (1 + math.exp(-z))
    assert a.data == pytest.approx(a_expected, rel=1e-14)
    assert a.grad == pytest.approx(-y / a.data + (1 - y) / (1 - a.data), rel=1e-9)  # da
    assert z_node.grad == pytest.approx(a.data - y, abs=1e-12)  # dz = a - y


@EXAMPLES
@given(
    examples=st.lists(st.tuples(small_floats(-3.0, 3.0), st.sampled_from([0.0, 1.0])), min_size=1, max_size=8),
    w=small_floats(-2.0, 2.0),
    b=small_floats(-2.0, 2.0),
)
def test_cost_gradients_dw_db_over_m_examples(examples: list[tuple[float, float]], w: float, b: float) -> None:
    """J = (1/m) Σ L(a⁽ⁱ⁾, y⁽ⁱ⁾) with z = w x + b: dw = (1/m) Σ x dz, db = (1/m) Σ dz."""
    w_node, b_node = Value(w, label="w"), Value(b, label="b")
    m = len(examples)
    J = sum((log_loss((w_node * x + b_node).sigmoid(), y) for x, y in examples), Value(0.0)) / m
    J.backward()
    dz = [1 / (1 + math.exp(-(w * x + b))) - y for x, y in examples]
    assert w_node.grad == pytest.approx(sum(x * d for (x, _), d in zip(examples, dz)) / m, abs=1e-12)
    assert b_node.grad == pytest.approx(sum(dz) / m, abs=1e-12)


def test_one_example_by_hand() -> None:
    """z = 0: a = 1/2, and with y = 1: L = log 2, dz = -1/2, da = -2."""
    z = Value(0.0)
    a = z.sigmoid()
    L = log_loss(a, 1.0)
    L.backward()
    assert a.data == 0.5
    assert L.data == pytest.approx(math.log(2.0), rel=1e-15)
    assert a.grad == -2.0
    assert z.grad == -0.5
