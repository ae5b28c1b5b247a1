"""chainrule/outputs.py: --graph and --steps write their files through viz, all or none, and none is
left behind on failure."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from chainrule import outputs
from chainrule.cli import main

viz = pytest.importorskip("viz")

needs_render = pytest.mark.skipif(not hasattr(viz, "render"), reason="viz.render has not landed")

needs_steps = pytest.mark.skipif(not hasattr(viz, "save_backprop_html"), reason="viz.save_backprop_html has not landed")

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")

SCRIPT = shutil.which("chainrule", path=os.path.dirname(sys.executable))

COURSE = ["3*(a+b*c)", "a=5", "b=3", "c=2"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@needs_render
def test_graph_dot_has_the_labels_values_and_gradients(capsys, tmp_path):
    path = tmp_path / "course.dot"
    code, out, err = run(capsys, *COURSE, "--graph", str(path))
    assert (code, err) == (0, f"wrote {path}\n") and out.startswith("J     = 33\n")
    source = path.read_text(encoding="utf-8")
    assert source.lstrip().startswith("digraph")
    for text in ("a + b*c", "b*c", ">J<", "data 33", "grad 6", "grad 9"):
        assert text in source, text
    assert "∂J/∂" not in source  # local derivatives only with --local
    assert os.listdir(tmp_path) == ["course.dot"]


@needs_render
def test_graph_local_puts_local_derivatives_on_the_edges(capsys, tmp_path):
    path = tmp_path / "course.dot"
    assert run(capsys, *COURSE, "--graph", str(path), "--local")[0] == 0
    assert "∂(b*c)/∂b = 2" in path.read_text(encoding="utf-8")  # c = 2


@needs_render
@needs_dot
def test_graph_svg(capsys, tmp_path):
    path = tmp_path / "course.svg"
    assert run(capsys, *COURSE, "--graph", str(path))[0] == 0
    assert "<svg" in path.read_text(encoding="utf-8")


@needs_steps
@needs_dot
def test_steps_html(capsys, tmp_path):
    path = tmp_path / "replay.html"
    assert run(capsys, *COURSE, "--steps", str(path))[0] == 0
    page = path.read_text(encoding="utf-8")
    assert "<html" in page.lower() and "<svg" in page


@needs_render
@needs_steps
def test_a_failing_second_output_removes_the_first(capsys, tmp_path):
    # 1 leaf + 60 numbers + 60 products + 59 sums = 180 Values (distinct terms: a program shares
    # equal ones): drawable, but more than a replay takes by default.
    text = "+".join(f"a*{i}" for i in range(2, 62))
    code, out, err = run(capsys, text, "a=1", "--graph", str(tmp_path / "g.dot"), "--steps", str(tmp_path / "s.html"),
                         "--max-nodes", "150")  # fmt: skip
    assert (code, out) == (2, "")
    assert err.startswith("chainrule: error: ") and err.count("\n") == 1
    assert "the graph has 180 nodes, more than --max-nodes 150" in err
    assert os.listdir(tmp_path) == []


@needs_render
def test_a_graph_larger_than_max_nodes_names_the_option_that_draws_it(capsys, tmp_path):
    text = "a" + " + 1" * 300  # a, 300 numbers and 300 sums
    path = tmp_path / "big.dot"
    code, out, err = run(capsys, text, "a=1", "--graph", str(path))
    assert (code, out) == (2, "")
    assert err == (
        "chainrule: error: --graph: the graph has 601 nodes, more than --max-nodes 500; draw a smaller "
        "expression, or pass --max-nodes 601 to draw it all (Graphviz may take a while)\n"
    )
    assert run(capsys, text, "a=1", "--graph", str(path), "--max-nodes", "601")[0] == 0
    assert path.read_text(encoding="utf-8").count("->") == 3 * 300  # two inputs into each + circle, one out


@pytest.mark.parametrize("bad", ["0", "-3", "many", "2.5"])
def test_max_nodes_must_be_a_positive_whole_number(capsys, bad):
    code, out, err = run(capsys, *COURSE, "--max-nodes", bad)
    assert (code, out) == (2, "")
    assert f"argument --max-nodes: must be a whole number >= 1, got {bad!r}" in err


@needs_render
def test_a_tangled_graph_gets_advice_the_command_can_follow(capsys, tmp_path):
    # 202 nodes (a*b is one node, used 200 times), but used by operations all along the chain: too many arrow segments.
    code, out, err = run(capsys, "+".join(["a*b"] * 200), "a=1", "b=2", "--graph", str(tmp_path / "g.dot"))
    assert (code, out) == (2, "")
    assert "--graph: the graph has only 202 nodes, but values used by operations far apart make long arrows" in err
    assert "draw a smaller expression, or pass --max-nodes" in err and "max_edges" not in err
    assert os.listdir(tmp_path) == []
    needed = err.split("pass --max-nodes ")[1].split()[0]
    assert (
        run(capsys, "+".join(["a*b"] * 200), "a=1", "b=2", "--graph", str(tmp_path / "g.dot"), "--max-nodes", needed)[0]
        == 0
    )


@needs_render
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux /proc")
def test_a_path_that_cannot_be_written(capsys):
    # /proc takes no new files, even from root (for whom os.access says it is writable).
    code, out, err = run(capsys, *COURSE, "--graph", "/proc/chainrule.dot")
    assert (code, out) == (2, "")
    assert err.startswith("chainrule: error: --graph '/proc/chainrule.dot'") and err.count("\n") == 1
    assert not os.path.exists("/proc/chainrule.dot")


@needs_render
@pytest.mark.skipif(SCRIPT is None, reason="the chainrule console script is not installed")
@pytest.mark.parametrize(
    "option, name",
    [
        ("--graph", "g.svg"),
        ("--graph", "g.png"),
        ("--graph", "g.pdf"),
        ("--steps", "s.html"),
    ],
)
def test_without_graphviz_an_image_is_exit_2_and_no_file(tmp_path, option, name):
    if option == "--steps" and not hasattr(viz, "save_backprop_html"):
        pytest.skip("viz.save_backprop_html has not landed")
    env = dict(os.environ, PATH=str(tmp_path / "empty"))  # no dot anywhere on PATH
    done = subprocess.run([SCRIPT, *COURSE, option, name], check=False, cwd=tmp_path, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)  # fmt: skip
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("chainrule: error: ") and done.stderr.count("\n") == 1
    assert "needs the Graphviz program `dot`" in done.stderr and "apt-get install graphviz" in done.stderr
    assert os.listdir(tmp_path) == []


@needs_render
@pytest.mark.skipif(SCRIPT is None, reason="the chainrule console script is not installed")
def test_without_graphviz_a_dot_file_still_works(tmp_path):
    env = dict(os.environ, PATH=str(tmp_path / "empty"))
    done = subprocess.run([SCRIPT, *COURSE, "--graph", "g.dot"], check=False, cwd=tmp_path, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "wrote g.dot\n")
    assert "a + b*c" in (tmp_path / "g.dot").read_text(encoding="utf-8")


LONG = "+".join(["a"] * 120)  # 120 a's and 119 sums: 120 nodes, more than the replay's default limit


# A run that fails leaves every file it was asked to write exactly as it was.


@pytest.mark.slow
def test_a_failing_steps_keeps_the_users_existing_graph_file(capsys, tmp_path):
    keep = tmp_path / "keep.svg"
    keep.write_text("PRECIOUS\n")
    code, out, err = run(capsys, LONG, "a=1", "--graph", str(keep), "--steps", str(tmp_path / "new.html"))
    assert (code, out) == (2, "") and "--steps" in err
    assert keep.read_text() == "PRECIOUS\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.svg"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_steps_into_a_fifo_keeps_the_graph_file(capsys, tmp_path):
    keep = tmp_path / "keep.dot"
    keep.write_text("PRECIOUS\n")
    os.mkfifo(tmp_path / "pipe.html")
    code, _, err = run(
        capsys, "3*(a+b*c)", "a=5", "b=3", "c=2", "--graph", str(keep), "--steps", str(tmp_path / "pipe.html")
    )
    assert code == 2 and "not a regular file" in err
    assert keep.read_text() == "PRECIOUS\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.dot", "pipe.html"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_steps_through_a_link_to_dev_full_keeps_the_graph_file(capsys, tmp_path):
    keep = tmp_path / "keep.dot"
    keep.write_text("PRECIOUS\n")
    (tmp_path / "full.html").symlink_to("/dev/full")
    code, _, err = run(
        capsys, "3*(a+b*c)", "a=5", "b=3", "c=2", "--graph", str(keep), "--steps", str(tmp_path / "full.html")
    )
    assert code == 2 and "--steps" in err
    assert keep.read_text() == "PRECIOUS\n"


def test_a_full_disk_at_the_last_move_puts_every_file_back(capsys, tmp_path, monkeypatch):
    """The second file's move fails (as on a full disk): the first, already moved, is moved back."""
    graph, steps = tmp_path / "g.dot", tmp_path / "s.html"
    graph.write_text("OLD GRAPH\n")
    steps.write_text("OLD STEPS\n")
    real_replace = os.replace
    moves = []

    def replace(src, dst):
        moves.append(dst)
        if len(moves) == 2:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    code, out, err = run(capsys, "3*(a+b*c)", "a=5", "b=3", "c=2", "--graph", str(graph), "--steps", str(steps))
    assert code == 2 and "No space left on device" in err
    assert (graph.read_text(), steps.read_text()) == ("OLD GRAPH\n", "OLD STEPS\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.dot", "s.html"]


def test_both_files_are_written_when_all_goes_well(capsys, tmp_path):
    graph, steps = tmp_path / "g.dot", tmp_path / "s.html"
    graph.write_text("OLD\n")
    code, _, err = run(capsys, "3*(a+b*c)", "a=5", "b=3", "c=2", "--graph", str(graph), "--steps", str(steps))
    assert code == 0 and err == f"wrote {graph}\nwrote {steps}\n"
    assert "digraph" in graph.read_text() and "<html" in steps.read_text()


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")
def test_a_private_output_file_stays_private(capsys, tmp_path):
    graph = tmp_path / "g.dot"
    graph.write_text("OLD\n")
    graph.chmod(0o600)
    assert run(capsys, "a*b", "a=1", "b=2", "--graph", str(graph))[0] == 0
    assert graph.stat().st_mode & 0o777 == 0o600 and "digraph" in graph.read_text()


# --max-nodes has a ceiling per output, and the advice stays under it.


def test_max_nodes_beyond_what_an_output_can_draw_is_refused(capsys, tmp_path):
    code, _, err = run(capsys, "a", "a=1", "--steps", str(tmp_path / "s.html"), "--max-nodes", "100000")
    assert code == 2 and f"--steps draws at most {outputs.MAX_STEPS_NODES}" in err
    assert list(tmp_path.iterdir()) == []


def test_advice_never_names_a_max_nodes_the_command_refuses(capsys, tmp_path):
    text = "+".join(["a"] * 1000)  # a used by 999 operations far apart
    code, _, err = run(capsys, text, "a=1", "--graph", str(tmp_path / "g.dot"))
    assert code == 2 and "draw a smaller expression" in err
    if "pass --max-nodes" in err:
        assert int(err.split("pass --max-nodes ")[1].split()[0]) <= outputs.MAX_GRAPH_NODES
