"""viz/names.py: the names drawings give nodes: short, unique among computed nodes, the whole label
in the tooltip."""

from __future__ import annotations

import autograd
from autograd import Parameter, Value
from viz.layout import reading_order
from viz.model import build_model
from viz.names import MAX_NAME, Names, node_names, tooltip

LOGISTIC = "-(y*log(sigmoid(w*x+b)) + (1-y)*log(1-sigmoid(w*x+b)))"


def names_of(root: Value) -> list[str]:
    return build_model(root, 500, "test").names


def test_a_long_computed_label_becomes_its_op_and_a_counter() -> None:
    x = Value(2.0, label="x")
    s = x.sigmoid()
    s.label = "sigmoid(x)"  # 10 characters: kept
    lg = s.log()
    lg.label = "log(sigmoid(x)) + more"  # 22: too long
    y = lg * 3
    y.label = "3*(log(sigmoid(x)) + more)"
    assert names_of(y) == ["x", "sigmoid(x)", "log1", "3", "mul1"]


def test_counters_count_per_op_in_reading_order() -> None:
    J = autograd.parse(LOGISTIC, w=0.5, x=2, b=0, y=1)
    names = names_of(J)
    made_up = [n for n in names if n[-1].isdigit() and not n.isdigit()]
    # sigmoid(w*x + b), written twice, is one node and keeps its text (16 characters); the longer
    # labels get an op and a counter, counted per op in reading order
    assert made_up == ["log1", "mul1", "sub1", "log2", "mul2", "add1"]
    assert "sigmoid(w*x + b)" in names and "w*x + b" in names
    assert "1 - y" in names and names[-1] == "J"
    assert len(set(names) - {"1"}) == len(names) - names.count("1")  # every name but the constants' is unique


def test_a_short_name_never_takes_a_label_in_use() -> None:
    x = Value(2.0, label="log1")  # a learner's own name
    y = x.log()
    y.label = "a label that is much too long"
    assert names_of(y) == ["log1", "log2"]


def test_inputs_keep_their_label_cut_to_30_characters() -> None:
    long = "learning_rate_of_the_second_optimizer"
    x = Value(2.0, label=long)
    y = x * 2
    y.label = "y"
    names = names_of(y)
    assert names[0] == long[: MAX_NAME - 1] + "…" and len(names[0]) == MAX_NAME
    assert build_model(y, 10, "test").labels[0] == long  # the tooltip keeps it all


def test_constants_are_their_number_and_unlabelled_nodes_their_position() -> None:
    w = Parameter(0.5)
    y = (w * -2.0).tanh()
    model = build_model(y, 10, "test")
    assert model.names == ["n0", "-2", "n2", "n3"]
    assert model.auto_named == [False, False, True, True]


def test_unprintable_characters_are_replaced_in_names_and_tooltips() -> None:
    x = Value(1.0, label="a\x00b\ud800")
    y = x + 1
    y.label = "y"
    names = node_names(reading_order(y), ["input", "constant", "output"])
    assert names.shown[0] == "a\ufffdb\ufffd" and names.full[0] == "a\ufffdb\ufffd"
    assert names.shown[0].encode("utf-8")  # a page can hold it


def test_a_100_kb_label_is_cut_for_the_box_and_the_tooltip() -> None:
    x = Value(1.0, label="x" * 100_000)
    y = x * 3
    y.label = "y" * 100_000
    model = build_model(y, 10, "test")
    assert model.names == ["x" * 29 + "…", "3", "mul1"]
    assert len(model.labels[0]) == 1000 and model.labels[0].endswith("…")


def test_tooltip_gives_the_whole_label_of_a_made_up_name() -> None:
    assert tooltip("log1", "log(sigmoid(w*x + b))", -0.5) == "log1 = log(sigmoid(w*x + b)): data = -0.5"
    assert tooltip("x", "x", 2.0) == "x: data = 2.0"
    assert tooltip("n3", "", 2.0) == "n3: data = 2.0"
    assert isinstance(node_names([Value(1.0, label="x")], ["output"]), Names)
