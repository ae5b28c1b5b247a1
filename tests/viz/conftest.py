"""Fixtures for the viz tests: the course's graph, and SVG made by the real Graphviz ``dot``
(``dot_program`` and ``read_svg`` come from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

import graphviz
import pytest

from .viz_course import Course, course_graph


@pytest.fixture
def course() -> Course:
    return course_graph()


@pytest.fixture
def draw_svg(dot_program: str, read_svg) -> Callable[[graphviz.Digraph], object]:
    """Lay out a Digraph with the real dot and return the picture."""

    def draw(graph: graphviz.Digraph):
        return read_svg(graph.pipe(format="svg", encoding="utf-8"))

    return draw
