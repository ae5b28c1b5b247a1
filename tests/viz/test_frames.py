"""viz/frames.py: the replay's one picture and what each step changes in it, and backprop_frames'
whole pictures drawn by the real dot: in step with the captions, stable, and linear in size."""

from __future__ import annotations

import re

import pytest

import autograd
import viz
from autograd import Value
from viz.frames import CURRENT_FILL, HOT, LOOKS, make_replay
from viz.layout import reading_order
from viz.replay import REPLAY_MAX_NODES

from .test_replay import COURSE_CAPTIONS

LOGISTIC = "-(y*log(sigmoid(w*x+b)) + (1-y)*log(1-sigmoid(w*x+b)))"


def grad_cells(picture) -> dict[str, str]:
    """Each Value's name -> the text of its grad cell, as drawn."""
    return {texts[0]: texts[-1] for node, texts in picture.node_texts().items() if re.fullmatch(r"n\d+", node)}


def test_one_frame_per_step_plus_the_forward_pass(course):
    frames = viz.backprop_frames(course.J)
    assert len(frames) == 7  # 7 Values, but the constant 3 gets no step
    assert [f.comment for f in frames] == COURSE_CAPTIONS


def test_forward_frame_has_values_and_no_gradients(course, draw_svg):
    picture = draw_svg(viz.backprop_frames(course.J)[0])
    assert set(grad_cells(picture).values()) == {"grad ?"}
    assert "data 33" in picture.texts and "data 6" in picture.texts


def test_last_frame_shows_every_gradient_the_constants_in_grey(course, draw_svg):
    cells = grad_cells(draw_svg(viz.backprop_frames(course.J)[-1]))
    assert cells == {
        "a": "grad 3",
        "b": "grad 6",
        "c": "grad 9",
        "u": "grad 3",
        "v": "grad 3",
        "J": "grad 1",
        "3": "grad 11",
    }
    replay = make_replay(course.J, 100, "auto")
    states = {replay.model.names[i]: state for i, (_, state) in enumerate(replay.cells_at(6))}
    assert states == {"3": "constant", "a": "done", "b": "done", "c": "current", "u": "done", "v": "done", "J": "done"}
    assert LOOKS["constant"][1] == "#868e96"  # grey text


def test_each_frame_highlights_the_completed_node_and_the_edges_its_gradient_flows_along(course):
    order = reading_order(course.J)
    pos = {v: i for i, v in enumerate(order)}
    frames = viz.backprop_frames(course.J)
    assert HOT not in frames[0].source
    for k, v in enumerate([course.J, course.v, course.a, course.u, course.b, course.c], start=1):
        i = pos[v]
        hot_nodes = re.findall(rf'\t(\w+) \[[^\n]*color="{HOT}"', frames[k].source)
        hot_edges = re.findall(rf'\t(\w+ -> \w+) \[[^\n]*color="{HOT}"', frames[k].source)
        if v.parents:
            assert hot_nodes == [f"n{i}", f"op{i}"]
            assert hot_edges == [f"n{pos[p]} -> op{i}" for p in v.parents] + [f"op{i} -> n{i}"]
        else:
            assert hot_nodes == [f"n{i}"] and hot_edges == []  # a leaf sends nothing further
        assert frames[k].source.count(CURRENT_FILL) == 2  # its grad cell, and the legend


def test_so_far_only_while_a_gradient_is_incomplete(course):
    """A gradient shows "so far" while some use of its node has not sent its share; once every use
    has, it is complete (and its node's step is still to come, or has come)."""
    replay = make_replay(course.J, 100, "auto")
    names, parents = replay.model.names, replay.model.parents
    for frame in range(len(replay.captions)):
        sent = set(replay.steps[:frame])
        for i, (text, state) in enumerate(replay.cells_at(frame)):
            users = [c for c, ps in enumerate(parents) if i in ps]
            if replay.model.roles[i] == "constant" or i == len(names) - 1:
                continue
            complete = bool(users) and all(c in sent for c in users)
            assert ("so far" in text) == (state == "partial") == (not complete and any(c in sent for c in users))
            if complete:
                assert state in ("complete", "current", "done"), (frame, names[i], state)
    a = names.index("a")
    texts = [replay.cells_at(frame)[a] for frame in range(len(replay.captions))]
    # v's step (2) sends 3 to a, its only use: a is complete at once, and its own step comes next
    assert texts[:4] == [("grad ?", "pending"), ("grad ?", "pending"), ("grad 3", "complete"), ("grad 3", "current")]


def test_a_gradient_from_several_paths_accumulates_so_far(draw_svg):
    a = Value(2.0, label="a")
    p = a * 3
    p.label = "p"
    q = a + 1
    q.label = "q"
    y = p + q
    y.label = "y"  # dy/da = 3 (through p) + 1 (through q) = 4; p's step comes first (argument order)
    frames = viz.backprop_frames(y)
    a_cells = [grad_cells(draw_svg(f))["a"] for f in frames]
    assert a_cells == ["grad ?", "grad ?", "grad 3 so far", "grad 4", "grad 4"]


def test_nodes_stay_in_place_from_frame_to_frame(course, draw_svg):
    a = Value(2.0, label="a")
    y = (a * a + a.exp()) * course.J  # a shared input, several widths of grad text
    y.label = "y"
    outlines = [draw_svg(f).node_outlines() for f in viz.backprop_frames(y)]
    assert len(outlines[0]) == 12 + 7 + 1  # 12 values, 7 of them computed by an op, and the legend
    assert all(o == outlines[0] for o in outlines[1:])


def test_replay_matches_backward_on_a_neuron(draw_svg):
    w1, w2, b = Value(-3.0, label="w1"), Value(1.0, label="w2"), Value(6.8813735870195432, label="b")
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    frames = viz.backprop_frames(o)
    assert len(frames) == 11
    drawn = grad_cells(draw_svg(frames[-1]))
    o.backward()
    # tanh(n) = 0.7071 at n = 0.8814, so do/dn = 1 - 0.5 = 0.5; do/dw1 = x1 · 0.5 = 1; do/dx1 = w1 · 0.5 = -1.5
    assert (drawn["n"], drawn["w1"], drawn["x1"], drawn["w2"], drawn["x2"]) == (
        "grad 0.5",
        "grad 1",
        "grad -1.5",
        "grad 0",
        "grad 0.5",
    )


def test_each_step_changes_a_few_cells_so_the_replay_grows_linearly():
    x = Value(0.5, label="x")
    for k in range(99):
        x = (x * Value(0.9, label=f"w{k}") + 1).tanh()
    replay = make_replay(x, REPLAY_MAX_NODES, "auto")
    edges = sum(len(ps) for ps in replay.model.parents)
    assert len(replay.changes[0]) == len(replay.model.order) == 496  # frame 0: every cell, once
    # then each step: its node, the node before it, and one cell per arrow its gradient goes along
    assert sum(len(c) for c in replay.changes[1:]) <= 2 * len(replay.steps) + edges


@pytest.mark.slow
def test_backprop_frames_keeps_its_own_limit_the_page_takes_500():
    x = Value(1.0, label="x")
    for _ in range(50):
        x = x * 1.01
    with pytest.raises(
        viz.GraphTooLargeError, match=r"backprop_frames: the graph has 101 nodes, more than max_nodes=100"
    ):
        viz.backprop_frames(x)
    assert len(viz.backprop_frames(x, max_nodes=101)) == 52  # x and the 50 products; the 50 constants get no step
    assert REPLAY_MAX_NODES == 500 and len(make_replay(x, REPLAY_MAX_NODES, "auto").captions) == 52


def test_logistic_loss_replay_is_drawn_top_to_bottom_with_short_names():
    J = autograd.parse(LOGISTIC, w=0.5, x=2, b=0, y=1)
    replay = make_replay(J, 100, "auto")
    assert replay.scene.rankdir == "TB"
    assert max(len(name) for name in replay.model.names) <= 16
    labels = [arrow.label for arrow in replay.scene.arrows if arrow.label]
    # the program shares sigmoid(w*x + b), written twice: one node, short enough to keep its text
    assert "∂log1/∂(sigmoid(w*x + b)) = 1.368" in labels and all(len(label) <= 40 for label in labels)
