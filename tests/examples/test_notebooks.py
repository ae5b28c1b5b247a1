"""The course's notebooks (examples/notebooks): each runs from top to bottom without an error, in
under a minute, and is committed executed, so that its outputs show where the repository is browsed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "examples" / "notebooks").glob("*.ipynb"))
EXPECTED = ["01_computation_graph.ipynb", "02_logistic_regression.ipynb", "03_neural_network.ipynb"]

nbformat = pytest.importorskip("nbformat", reason="needs the test extra: pip install -e '.[test]'")


def test_the_three_course_notebooks_are_there() -> None:
    assert [path.name for path in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_notebook_is_committed_executed_without_errors(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.execution_count for cell in code), "run every cell before committing"
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1)), "run it top to bottom, once"
    assert not [o for cell in code for o in cell.outputs if o.output_type == "error"]
    assert sum(len(cell.outputs) for cell in code) >= len(code) // 2  # the outputs are there to be read


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_notebook_runs_from_top_to_bottom_in_under_a_minute(path: Path) -> None:
    nbclient = pytest.importorskip("nbclient", reason="needs the test extra: pip install -e '.[test]'")
    pytest.importorskip("ipykernel", reason="needs the test extra: pip install -e '.[test]'")
    pytest.importorskip("matplotlib", reason="the notebooks plot: pip install -e '.[examples]'")
    pytest.importorskip("sklearn", reason="notebook 2 classifies scikit-learn's digits: pip install -e '.[examples]'")
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()  # raises CellExecutionError, with the cell and its traceback, on any error
    assert time.perf_counter() - start < 60 * 2  # "under a minute" on a laptop; this machine may be slower
    assert not [
        o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs if o.output_type == "error"
    ]
