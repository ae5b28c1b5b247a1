"""Graphs shared by the viz tests: the course's J = 3(a + bc), and a sum of products whose arrows tangle."""

from __future__ import annotations

from dataclasses import dataclass

from autograd import Value


@dataclass
class Course:
    """J = 3(a + bc) at a=5, b=3, c=2: J=33, dJ/da=3, dJ/db=6, dJ/dc=9 (the course's numbers)."""

    a: Value
    b: Value
    c: Value
    u: Value
    v: Value
    J: Value


def course_graph() -> Course:
    a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    u = b * c
    u.label = "u"
    v = a + u
    v.label = "v"
    J = 3 * v
    J.label = "J"
    return Course(a, b, c, u, v, J)


def sum_of_products(terms: int) -> Value:
    """a*b + a*b + ...: few nodes, but a and b are used by operations all along the chain."""
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    total = a * b
    for _ in range(terms - 1):
        total = total + a * b
    total.label = "J"
    return total
