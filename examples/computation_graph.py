"""The course's computation graph, J = 3(a + bc), drawn and replayed by chainrule.

The course computes values left to right (u = bc, v = a + u, J = 3v) and derivatives right to
left with the chain rule. This script prints both, then draws them:

    python examples/computation_graph.py [--out FOLDER]

writes into FOLDER (default: out, like the other examples)

    course_graph.svg       values, gradients, and the local derivative on every edge
    course_replay.html     backpropagation one node at a time, with each chain-rule step in numbers
    logistic_graph.svg     the next thing to draw: logistic regression's loss for one example
    logistic_replay.html   its backpropagation: the step of z says that the product simplifies to
                           the course's dz = a - y, and the next ones give dw = x dz and db = dz
    mlp_graph.svg          a tiny MLP's loss, its neurons grouped, shaded by |grad|

and ``python examples/computation_graph.py --readme`` regenerates the README's picture,
docs/course_graph.svg. Without Graphviz installed it writes .dot files instead and says so.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nn
import viz
from autograd import Value

README_PICTURE = Path(__file__).resolve().parent.parent / "docs" / "course_graph.svg"


def course_graph() -> Value:
    """J = 3(a + bc) at a=5, b=3, c=2, every node labelled as in the course."""
    a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    u = b * c
    u.label = "u"
    v = a + u
    v.label = "v"
    J = 3 * v
    J.label = "J"
    return J


def logistic_loss() -> Value:
    """The course's loss of logistic regression for one example, written as a program:
    z = w*x + b, a = sigmoid(z), L = -(y log a + (1 - y) log(1 - a)), at w=0.5, x=2, b=0, y=1.

    Every step is labelled, so the pictures and the replay name each node as the formula does.
    """
    w, x, b, y = Value(0.5, label="w"), Value(2.0, label="x"), Value(0.0, label="b"), Value(1.0, label="y")
    z = labelled("z", labelled("wx", w * x) + b)
    a = labelled("a", z.sigmoid())
    first = labelled("y log a", y * labelled("log a", a.log()))
    second = labelled("(1−y)log(1−a)", labelled("1−y", 1 - y) * labelled("log(1−a)", labelled("1−a", 1 - a).log()))
    return labelled("L", -labelled("−L", first + second))


def labelled(label: str, node: Value) -> Value:
    """``node``, labelled: the name its box, its edges and the replay's captions show."""
    node.label = label
    return node


def mlp_loss() -> Value:
    """The squared error of a 2-3-1 tanh MLP on one example: a graph with neurons to group."""
    model = nn.MLP(2, [3, 1], activation="tanh", seed=1)
    y_hat = model([0.5, -1.0])
    y_hat.label = "y_hat"
    loss = nn.losses.mse(y_hat, 1.0)  # (y_hat - 1) * (y_hat - 1): no exponent node to explain
    loss.label = "L"
    return loss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="out", help="folder for the pictures (default: out)")
    parser.add_argument("--readme", action="store_true", help=f"only regenerate {README_PICTURE}")
    args = parser.parse_args(argv)

    J = course_graph()
    if args.readme:
        J.backward()
        viz.render(J, README_PICTURE, show_local=True)
        print(f"wrote {README_PICTURE}")
        return 0

    print("Forward pass, left to right:")
    for v in J.nodes():
        if v.label:
            print(f"  {v.label} = {v.data:g}")
    print("Backward pass, right to left, one chain-rule step per node:")
    for caption in viz.backprop_captions(J)[1:]:
        print(f"  {caption}")
    J.backward()

    L = logistic_loss()
    L.backward()
    z = next(v for v in L.nodes() if v.label == "z")
    print(f"Logistic loss of one example: L = {L.data:.4f}, dz = a - y = {z.grad:.4f}")
    (sigmoid_step,) = [c for c in viz.backprop_captions(L) if c.startswith("∂L/∂z = ")]
    print(f"  {sigmoid_step}")

    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    loss = mlp_loss()
    loss.backward()
    try:
        written = [
            viz.render(J, folder / "course_graph.svg", show_local=True),
            viz.save_backprop_html(J, folder / "course_replay.html", title="J = 3(a + bc), backpropagated"),
            viz.render(L, folder / "logistic_graph.svg", show_local=True),
            viz.save_backprop_html(L, folder / "logistic_replay.html", title="The logistic loss, backpropagated"),
            viz.render(loss, folder / "mlp_graph.svg", cluster=True, color_by_grad=True),
        ]
    except viz.GraphvizMissingError as e:
        print(e, file=sys.stderr)
        written = [
            viz.render(J, folder / "course_graph.dot", show_local=True),
            viz.render(L, folder / "logistic_graph.dot", show_local=True),
            viz.render(loss, folder / "mlp_graph.dot", cluster=True, color_by_grad=True),
        ]
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
