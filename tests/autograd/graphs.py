"""Graphs that several autograd tests differentiate: the course's J = 3(a + bc), micrograd's README expression."""

from __future__ import annotations

from autograd import Value


def course_graph() -> dict[str, Value]:
    """The course's computation graph J = 3(a + bc), with its intermediate nodes u = bc, v = a + u."""
    a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    u = b * c
    v = a + u
    J = 3 * v
    return {"a": a, "b": b, "c": c, "u": u, "v": v, "J": J}


def micrograd_readme_expression() -> tuple[Value, Value, Value]:
    """The expression from micrograd's README, line for line; returns (a, b, g)."""
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return a, b, g
