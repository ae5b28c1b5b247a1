"""chainrule/check.py: --check's table with the main table's names, and the note at a kink."""

from __future__ import annotations

from autograd import parse
from chainrule.check import kinks_at


def test_kinks_are_the_relu_abs_and_leaky_relu_nodes_whose_input_is_zero():
    root = parse("relu(x) + abs(y - 2) + leaky_relu(z) + relu(w)", x=0.0, y=2.0, z=1e-9, w=0.5)
    assert sorted(kinks_at(root)) == ["abs(y - 2)", "leaky_relu(z)", "relu(x)"]


def test_no_kinks_away_from_zero():
    assert kinks_at(parse("relu(x) * abs(x)", x=0.1)) == []
