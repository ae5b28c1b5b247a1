"""The course's notebooks (examples/notebooks): each runs from top to bottom without an error, in
under a minute, and is committed executed, so that its outputs show where the repository is browsed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "examples" / "notebooks").glob("*.ipynb"))
EXPECTED = [
    "01_computation_graph.ipynb",
    "02_logistic_regression.ipynb",
    "03_neural_network.ipynb",
    "04_shallow_network.ipynb",
    "05_deep_network.ipynb",
]
#: Each notebook's "your turn" cells, in order, and how many times each one's check says "right!" when solved.
EXERCISES = {
    "04_shallow_network.ipynb": {"tanh_derivative": 1, "hidden_backward": 2},
    "05_deep_network.ipynb": {"relu_backward": 2, "linear_backward": 3},
}

nbformat = pytest.importorskip("nbformat", reason="needs the test extra: pip install -e '.[test]'")


def test_the_course_notebooks_are_there() -> None:
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


def _your_turn_cells(notebook) -> list:
    return [cell for cell in notebook.cells if cell.cell_type == "code" and "your_turn" in cell.metadata]


@pytest.mark.parametrize("name", EXERCISES, ids=lambda name: name.removesuffix(".ipynb"))
def test_the_exercises_are_stored_unsolved_and_their_checks_say_so(name: str) -> None:
    notebook = nbformat.read(NOTEBOOKS[EXPECTED.index(name)], as_version=4)
    names = [cell.metadata["your_turn"] for cell in _your_turn_cells(notebook)]
    assert names == list(EXERCISES[name])
    checks = [cell for cell in notebook.cells if "check" in cell.metadata]
    assert [cell.metadata["check"] for cell in checks] == names
    for cell in checks:
        assert "not written yet" in "".join(o.get("text", "") for o in cell.outputs)


@pytest.mark.slow
@pytest.mark.parametrize("name", EXERCISES, ids=lambda name: name.removesuffix(".ipynb"))
def test_the_exercises_pass_with_the_solutions(name: str) -> None:
    """Each "your turn" cell, followed by the solutions file's answer, makes its check cell say right."""
    nbclient = pytest.importorskip("nbclient", reason="needs the test extra: pip install -e '.[test]'")
    pytest.importorskip("matplotlib", reason="the notebooks plot: pip install -e '.[examples]'")
    pytest.importorskip("sklearn", reason="notebook 5 classifies scikit-learn's digits: pip install -e '.[examples]'")
    path = NOTEBOOKS[EXPECTED.index(name)]
    notebook = nbformat.read(path, as_version=4)
    for cell in _your_turn_cells(notebook):
        exercise = cell.metadata["your_turn"]
        cell.source += f"\n\n{exercise} = solutions.{exercise}  # the test's learner asks for the solution"
    client = nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    checks = [cell for cell in notebook.cells if "check" in cell.metadata]
    said = ["".join(o.get("text", "") for o in cell.outputs) for cell in checks]
    assert [text.count("right!") for text in said] == list(EXERCISES[name].values()), said
    assert not [text for text in said if "not yet" in text or "not written" in text], said
    assert "check_derivatives passed" in said[0], said[0]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_picture_shows_in_an_untrusted_notebook(path: Path) -> None:
    """JupyterLab hides an untrusted notebook's SVG and iframes: every graph carries a PNG beside its
    SVG, and the replay a PNG of its last step with the line that says to run the cell."""
    notebook = nbformat.read(path, as_version=4)
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs if "data" in o]
    graphs = [o.data for o in outputs if "image/svg+xml" in o.data]
    assert all("image/png" in data for data in graphs)
    replays = [o.data for o in outputs if "<iframe srcdoc=" in o.data.get("text/html", "")]
    for data in replays:
        assert "image/png" in data
        assert (
            '<img src="data:image/png;base64,' in data["text/html"]
            and "Run this cell to step through" in data["text/html"]
        )
    if path.name == "01_computation_graph.ipynb":
        assert len(graphs) == 2 and len(replays) == 1
