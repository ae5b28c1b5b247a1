"""examples/computation_graph.py runs as a script, and the README's committed picture shows the course's numbers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_example_prints_the_chain_rule_and_writes_its_pictures(tmp_path, dot_program):
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "computation_graph.py"), "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=60, check=True,
    )
    assert "  J = 33\n" in result.stdout
    assert "  ∂J/∂b = ∂J/∂u · ∂u/∂b = 3 · 2 = 6\n" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["course_graph.svg", "course_replay.html", "mlp_graph.svg"]


def test_readme_picture_is_the_course_graph_with_gradients_and_local_derivatives(read_svg):
    texts = read_svg((ROOT / "docs" / "course_graph.svg").read_text(encoding="utf-8")).texts
    for text in ("data 33", "grad 1", "data 5", "grad 3", "grad 6", "grad 9", "∂u/∂b = 2", "∂u/∂c = 3", "∂J/∂v = 3"):
        assert text in texts, text
