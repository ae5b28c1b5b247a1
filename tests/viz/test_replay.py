"""viz/replay.py: the chain rule replayed from the derivative table, and what each step says in
numbers (backprop_captions) and words, checked against the course."""

from __future__ import annotations

import math
import random

import pytest

import autograd
import viz
from autograd import Value
from autograd.errors import DomainError
from autograd.extend import topological_order
from viz.model import build_model
from viz.replay import backprop_steps, backward_pass, chain_rule, detail, formula

COURSE_CAPTIONS = [
    "Forward pass: J = 33",
    "∂J/∂J = 1",
    "∂J/∂v = ∂J/∂J · (local) ∂J/∂v = 1 · 3 = 3",
    "∂J/∂a = ∂J/∂v · (local) ∂v/∂a = 3 · 1 = 3",
    "∂J/∂u = ∂J/∂v · (local) ∂v/∂u = 3 · 1 = 3",
    "∂J/∂b = ∂J/∂u · (local) ∂u/∂b = 3 · 2 = 6",
    "∂J/∂c = ∂J/∂u · (local) ∂u/∂c = 3 · 3 = 9",
]


def test_captions_state_each_chain_rule_step_with_the_course_numbers(course):
    assert viz.backprop_captions(course.J) == COURSE_CAPTIONS


def test_steps_follow_the_course_a_gradient_completes_when_all_its_uses_have_sent(course):
    model = build_model(course.J, 100, "test")
    steps = backprop_steps(model)
    # v, then a at once (an input: complete, nothing to send on), then u, b, c; never the 3 of 3 * v
    assert [model.names[i] for i in steps] == ["J", "v", "a", "u", "b", "c"]
    assert not any("∂J/∂3 =" in caption for caption in viz.backprop_captions(course.J))


def test_a_node_used_twice_waits_for_both_uses_and_inputs_go_first():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    p = a * b
    p.label = "p"
    q = p + a
    q.label = "q"
    y = q * p
    y.label = "y"  # p is used by q and y: its step comes after q's; a (used by p and q) after p's
    model = build_model(y, 100, "test")
    assert [model.names[i] for i in backprop_steps(model)] == ["y", "q", "p", "a", "b"]


def test_the_local_factor_is_marked_and_its_pieces_styled_as_on_the_edges(course):
    model = build_model(course.J, 100, "test")
    backprop = backward_pass(model)
    a = model.names.index("a")
    pieces = formula(model, backprop, a)
    assert [text for text, local in pieces if local] == ["(local) ∂v/∂a", "1"]
    assert "".join(text for text, _ in pieces) == "∂J/∂a = ∂J/∂v · (local) ∂v/∂a = 3 · 1 = 3"


def test_a_gradient_from_several_paths_is_one_product_per_path():
    a = Value(2.0, label="a")
    p = a * 3
    p.label = "p"
    q = a + 1
    q.label = "q"
    y = p + q
    y.label = "y"  # dy/da = 3 (through p) + 1 (through q) = 4
    # the products in the order they arrive: p's step, then q's
    assert viz.backprop_captions(y)[-1] == "∂y/∂a = ∂y/∂p · (local) ∂p/∂a + ∂y/∂q · (local) ∂q/∂a = 1 · 3 + 1 · 1 = 4"


def test_negative_factors_and_constants_are_parenthesised():
    x = Value(3.0, label="x")
    y = x * -2.0
    y.label = "y"
    z = y * y
    z.label = "z"  # dz/dy = 2y = -12; dz/dx = -12 · -2 = 24
    captions = viz.backprop_captions(z)
    assert "∂z/∂y = ∂z/∂z · (local) ∂z/∂y + ∂z/∂z · (local) ∂z/∂y = 1 · (-6) + 1 · (-6) = -12" in captions
    assert "∂z/∂x = ∂z/∂y · (local) ∂y/∂x = (-12) · (-2) = 24" in captions
    assert "∂y/∂(-2) = 3" in viz.draw_dot(z, show_local=True).source  # never ∂y/∂-2


def test_replay_uses_its_own_gradients_and_leaves_grad_alone(course):
    for v in topological_order(course.J):
        v.grad = 42.0  # a user's half-finished accumulation must survive the replay
    assert viz.backprop_captions(course.J) == COURSE_CAPTIONS
    assert {v.grad for v in topological_order(course.J)} == {42.0}


def test_long_labels_are_short_names_in_captions_and_explained_in_words():
    J = autograd.parse("-(y*log(sigmoid(w*x+b)) + (1-y)*log(1-sigmoid(w*x+b)))", w=0.5, x=2, b=0, y=1)
    captions = viz.backprop_captions(J)
    # L = -(y log a + (1 - y) log(1 - a)) with y = 1: dL/da = -1/a, a = σ(1) = 0.7311, so -1.368
    # (sigmoid(w*x + b), written twice, is one node: its gradient adds what both uses send back)
    assert (
        "∂J/∂(sigmoid(w*x + b)) = ∂J/∂log1 · (local) ∂log1/∂(sigmoid(w*x + b))"
        " + ∂J/∂sub1 · (local) ∂sub1/∂(sigmoid(w*x + b)) = (-1) · 1.368 + 0 · (-1) = -1.368"
    ) in captions
    # the course's dz = a - y = 0.7311 - 1 = -0.2689, and dw = x dz = -0.5379
    assert (
        "∂J/∂(w*x + b) = ∂J/∂(sigmoid(w*x + b)) · (local) ∂(sigmoid(w*x + b))/∂(w*x + b) = (-1.368) · 0.1966"
        " = -0.2689, which simplifies to d(w*x + b) = sigmoid(w*x + b) − y = 0.7311 − 1 = -0.2689"
    ) in captions
    (dw,) = [c for c in captions if c.startswith("∂J/∂w = ")]
    assert dw.endswith(" = -0.5379")
    model = build_model(J, 100, "test")
    backprop = backward_pass(model)
    log1 = model.names.index("log1")
    assert detail(model, backprop, log1, last=False).startswith("log1 stands for log(sigmoid(w*x + b)). ")


def test_a_zero_gradient_passes_nothing_back_as_in_backward():
    x = Value(0.0, label="x")
    y = (x.sqrt() - 1).relu()  # relu is dead, so nothing reaches sqrt, whose derivative at 0 is undefined
    y.label = "y"
    captions = viz.backprop_captions(y)
    assert captions[-1] == "∂y/∂x = ∂y/∂n1 · (local) ∂n1/∂x = 0 · (not needed) = 0"
    y.backward()
    model = build_model(y, 100, "test")
    assert x.grad == 0.0 and chain_rule(model)[0][0] == 0.0
    sub = model.names.index("n3")  # sqrt(x) - 1, whose gradient is 0
    assert "Its gradient is 0, so it passes nothing back to n1, 1" in detail(model, backward_pass(model), sub, False)


def test_an_undefined_local_derivative_is_shown_as_undefined():
    x = Value(-2.0, label="x")
    p = Value(2.0, label="p")
    z = x**p  # ∂z/∂p = z · log(-2): undefined
    z.label = "z"
    assert "∂z/∂p = ∂z/∂z · (local) ∂z/∂p = 1 · undefined = undefined" in viz.backprop_captions(z)


def same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


@pytest.mark.parametrize("seed", range(20))
def test_replay_gradients_equal_backward_on_random_graphs(seed):
    rng = random.Random(seed)
    nodes = [Value(rng.choice([0.0, 0.5, -1.5, 2.0]), label=f"x{k}") for k in range(3)]
    for _ in range(rng.randint(3, 15)):
        a, b = rng.choice(nodes), rng.choice(nodes)
        op = rng.choice(["+", "*", "-", "relu", "tanh", "sqrt_relu", "pow"])
        if op == "+":
            nodes.append(a + b)
        elif op == "*":
            nodes.append(a * b)
        elif op == "-":
            nodes.append(a - b)
        elif op == "relu":
            nodes.append(a.relu())
        elif op == "tanh":
            nodes.append(a.tanh())
        elif op == "sqrt_relu":
            nodes.append(a.relu().sqrt())  # often sqrt(0): undefined, unless a zero gradient hides it
        else:
            nodes.append(a**2)  # the exponent's local derivative is undefined where a < 0
    root = nodes[-1]
    try:
        root.backward()
    except DomainError:
        return  # backward refuses; there is nothing to compare
    model = build_model(root, 1000, "test")
    got = chain_rule(model)[0]
    assert all(same(v.grad, g) for v, g in zip(model.order, got)), [(v.grad, g) for v, g in zip(model.order, got)]
