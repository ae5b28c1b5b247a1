"""Fixtures shared by several test folders: the rule table restored after a test (autograd,
chainrule), and SVG drawn by the real Graphviz ``dot``, read back as a picture (viz, examples)."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator

import pytest

from autograd import rules

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def restore_functions() -> Iterator[None]:
    """defop registers globally; put the tables back as they were after the test."""
    primitives = dict(rules.PRIMITIVES)
    yield
    rules.PRIMITIVES.clear()
    rules.PRIMITIVES.update(primitives)


class Picture:
    """An SVG drawn by dot, read back as XML: what a viewer of the picture sees."""

    def __init__(self, svg: str) -> None:
        self.svg = svg
        self.root = ET.fromstring(svg)

    def _groups(self, kind: str) -> list[ET.Element]:
        return [g for g in self.root.iter(f"{SVG}g") if g.get("class") == kind]

    @staticmethod
    def _title(g: ET.Element) -> str:
        return g.find(f"{SVG}title").text  # type: ignore[union-attr]

    @staticmethod
    def _texts(g: ET.Element) -> list[str]:
        return [t.text or "" for t in g.iter(f"{SVG}text")]

    @property
    def texts(self) -> list[str]:
        """Every text element, in document order."""
        return [t.text or "" for t in self.root.iter(f"{SVG}text")]

    def node_texts(self) -> dict[str, list[str]]:
        """Node id (``n3``, ``op4``, ``legend``) -> the texts drawn in that node."""
        return {self._title(g): self._texts(g) for g in self._groups("node")}

    def edges(self) -> list[str]:
        """``tail->head`` of every edge, in document order."""
        return [self._title(g) for g in self._groups("edge")]

    def edge_labels(self) -> list[tuple[str, str]]:
        """(``tail->head``, label) for every labelled edge, in document order."""
        result = []
        for g in self._groups("edge"):
            for text in self._texts(g):
                result.append((self._title(g), text))
        return result

    def node_outlines(self) -> dict[str, str]:
        """Node id -> the coordinates of its outline (the first shape drawn for it): its place and size."""
        outlines = {}
        for g in self._groups("node"):
            for e in g.iter():
                if e.tag == f"{SVG}ellipse":
                    outlines[self._title(g)] = " ".join(e.get(k, "") for k in ("cx", "cy", "rx", "ry"))
                    break
                if e.tag in (f"{SVG}polygon", f"{SVG}path"):
                    outlines[self._title(g)] = e.get("points") or e.get("d") or ""
                    break
        return outlines


@pytest.fixture
def read_svg() -> Callable[[str], Picture]:
    """Read SVG text (from a file that viz wrote) as a Picture."""
    return Picture


@pytest.fixture
def dot_program() -> str:
    path = shutil.which("dot")
    if path is None:
        pytest.skip("Graphviz's dot program is not installed (Debian: apt-get install graphviz)")
    return path
