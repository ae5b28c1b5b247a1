"""viz/shortcut.py: where a sigmoid feeds the binary cross-entropy, the replay's step of z says that
the chain rule's product is the course's dz = a − y, with both numbers; nowhere else."""

from __future__ import annotations

import nn
import viz
from autograd import Value
from viz.model import build_model
from viz.replay import backward_pass, detail


def test_a_sigmoid_into_the_cross_entropy_says_dz_is_a_minus_y_with_both_numbers():
    z, y = Value(-0.5, label="z"), Value(0.0, label="y")
    a = z.sigmoid()
    a.label = "a"
    L = -(y * a.log() + (1 - y) * (1 - a).log())
    L.label = "L"
    (step,) = [c for c in viz.backprop_captions(L) if c.startswith("∂L/∂z = ")]
    # a = σ(-0.5) = 0.3775; dL/da = 1/(1 - a) = 1.607; a(1 - a) = 0.2350; dz = a - y = 0.3775
    assert step == (
        "∂L/∂z = ∂L/∂a · (local) ∂a/∂z = 1.607 · 0.235 = 0.3775, which simplifies to dz = a − y = 0.3775 − 0 = 0.3775"
    )
    model = build_model(L, 100, "test")
    backprop = backward_pass(model)
    assert "the course's dz = a − y" in detail(model, backprop, model.names.index("z"), last=False)
    for label in (1, 0):  # the loss as nn.losses writes it for a plain label: −log a, −log(1 − a)
        z = Value(0.25, label="z")
        a = z.sigmoid()
        a.label = "a"
        L = nn.losses.binary_cross_entropy(a, label)
        L.label = "L"
        (step,) = [c for c in viz.backprop_captions(L) if c.startswith("∂L/∂z = ")]
        assert step.endswith(f", which simplifies to dz = a − y = 0.5622 − {label} = {a.data - label:.4g}")


def test_no_shortcut_is_claimed_where_it_does_not_hold():
    z, y = Value(1.0, label="z"), Value(1.0, label="y")
    a = z.sigmoid()
    a.label = "a"
    L = -(y * a.log() + (1 - y) * (1 - a).log())
    cost = L * 0.5  # a mean over two examples: dz = (a - y)/2, which the caption's product shows
    cost.label = "J"
    assert not any("simplifies" in c for c in viz.backprop_captions(cost))
    squared = (a - y) * (a - y)  # another loss: no shortcut
    squared.label = "L"
    assert not any("simplifies" in c for c in viz.backprop_captions(squared))
