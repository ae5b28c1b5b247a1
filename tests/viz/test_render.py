"""viz/render.py: render and save_backprop_html as files: formats, a missing dot, a dot that runs too
long, and no partial file on failure."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

import viz
from autograd import Value


@pytest.fixture
def no_dot_on_path(tmp_path_factory, monkeypatch) -> None:
    """A PATH holding one empty folder: dot cannot be found, as on a machine without Graphviz."""
    empty = tmp_path_factory.mktemp("empty_bin")
    monkeypatch.setenv("PATH", str(empty))


def test_svg_has_labels_values_gradients_and_local_derivatives(course, tmp_path, dot_program, read_svg):
    course.J.backward()
    path = viz.render(course.J, tmp_path / "course.svg", show_local=True)
    assert path == tmp_path / "course.svg"
    texts = read_svg(path.read_text(encoding="utf-8")).texts
    for text in ("J", "data 33", "grad 1", "b", "data 3", "grad 6", "c", "grad 9", "∂u/∂b = 2", "∂J/∂v = 3"):
        assert text in texts, text
    assert os.listdir(tmp_path) == ["course.svg"]


@pytest.mark.parametrize("name, magic", [("g.png", b"\x89PNG\r\n\x1a\n"), ("g.pdf", b"%PDF-"), ("G.SVG", b"<?xml")])
def test_binary_formats_follow_the_extension(course, tmp_path, dot_program, name, magic):
    path = viz.render(course.J, tmp_path / name)
    assert path.read_bytes().startswith(magic)


def test_dot_format_is_the_source_and_needs_no_graphviz(course, tmp_path, no_dot_on_path):
    path = viz.render(course.J, tmp_path / "course.dot", rankdir="TB", show_local=True)
    assert path.read_text(encoding="utf-8") == viz.draw_dot(course.J, rankdir="TB", show_local=True).source
    assert "rankdir=TB" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name, got", [("graph.jpg", "from its extension '.jpg'"), ("graph", "without an extension")])
def test_unknown_extension_names_the_valid_ones(course, tmp_path, name, got):
    with pytest.raises(ValueError) as caught:
        viz.render(course.J, tmp_path / name)
    assert f"render: cannot tell the format of {str(tmp_path / name)!r} {got}; use one of" in str(caught.value)
    assert "use one of .dot, .pdf, .png, .svg" in str(caught.value)
    assert os.listdir(tmp_path) == []


def test_missing_dot_says_how_to_install_it_and_writes_nothing(course, tmp_path, no_dot_on_path):
    with pytest.raises(viz.GraphvizMissingError) as caught:
        viz.render(course.J, tmp_path / "course.svg")
    message = str(caught.value)
    assert f"render to {str(tmp_path / 'course.svg')!r} needs the Graphviz program `dot`" in message
    assert "apt-get install graphviz" in message and "brew install graphviz" in message
    assert isinstance(caught.value, RuntimeError)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__  # no subprocess traceback
    assert os.listdir(tmp_path) == []


def test_missing_dot_for_the_replay_page(course, tmp_path, no_dot_on_path):
    with pytest.raises(
        viz.GraphvizMissingError, match="save_backprop_html .* needs the Graphviz program `dot`"
    ) as caught:
        viz.save_backprop_html(course.J, tmp_path / "replay.html")
    assert ".dot file" not in str(caught.value)  # the page has no .dot form
    assert str(caught.value).endswith("without it, viz.backprop_captions(root) gives its steps as text.")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("name, got", [("replay.svg", "extension '.svg'"), ("replay", "no extension")])
def test_the_replay_page_needs_an_html_extension(course, tmp_path, name, got):
    with pytest.raises(ValueError) as caught:
        viz.save_backprop_html(course.J, tmp_path / name)
    assert f"must end in .html or .htm; {str(tmp_path / name)!r} has {got}" in str(caught.value)
    assert os.listdir(tmp_path) == []


def test_an_unwritable_folder_is_reported_with_the_users_path(course, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "course.dot"

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(folder / ".course.dot.abc123.tmp"))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "open", refuse)  # the tests may run as root, where chmod would not stop us
        with pytest.raises(PermissionError) as caught:
            viz.render(course.J, path)
    assert (
        f"render: cannot write {str(path)!r}: cannot create a file in the folder {str(folder)!r}: Permission denied"
        in str(caught.value)
    )
    assert ".tmp" not in str(caught.value)


def test_a_failed_render_leaves_the_old_file_untouched(course, tmp_path, no_dot_on_path):
    path = tmp_path / "course.svg"
    path.write_text("old picture")
    with pytest.raises(viz.GraphvizMissingError):
        viz.render(course.J, path)
    assert path.read_text() == "old picture"
    assert os.listdir(tmp_path) == ["course.svg"]


def test_a_failure_while_writing_leaves_no_partial_or_temporary_file(course, tmp_path, monkeypatch):
    path = tmp_path / "course.dot"
    path.write_text("old source")

    def disk_full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError, match="No space left") as caught:
        viz.render(course.J, path)
    assert f"render: cannot write {str(path)!r}" in str(caught.value)
    assert path.read_text() == "old source"
    assert os.listdir(tmp_path) == ["course.dot"]


def test_a_missing_folder_is_named(course, tmp_path):
    with pytest.raises(
        FileNotFoundError, match=r"render: cannot write '.*course.dot': the folder .*nowhere' does not exist"
    ):
        viz.render(course.J, tmp_path / "nowhere" / "course.dot")


def test_too_large_a_graph_is_refused_before_anything_is_written(tmp_path):
    x = Value(1.0, label="x")
    for _ in range(10):
        x = x * 2
    with pytest.raises(viz.GraphTooLargeError, match="21 nodes, more than max_nodes=20"):
        viz.render(x, tmp_path / "big.dot", max_nodes=20)
    assert os.listdir(tmp_path) == []


def test_render_accepts_a_string_path(course, tmp_path):
    path = viz.render(course.J, str(tmp_path / "course.dot"))
    assert isinstance(path, Path) and path.exists()


@pytest.mark.skipif(os.name == "nt", reason="needs symbolic links and named pipes")
def test_a_symbolic_link_is_written_through_and_a_pipe_refused(course, tmp_path):
    (tmp_path / "pictures").mkdir()
    link = tmp_path / "J.dot"
    link.symlink_to(tmp_path / "pictures" / "J.dot")  # a link to a file that does not exist yet
    viz.render(course.J, link)
    assert link.is_symlink() and (tmp_path / "pictures" / "J.dot").read_text(encoding="utf-8").startswith("digraph")
    pipe = tmp_path / "pipe.dot"
    os.mkfifo(pipe)
    with pytest.raises(OSError, match=r"render: cannot write '.*pipe.dot': it is not a regular file"):
        viz.render(course.J, pipe)


def test_dot_that_runs_too_long_is_stopped_with_a_clear_message(course, tmp_path, dot_program):
    path = tmp_path / "course.svg"
    with pytest.raises(viz.GraphvizTimeoutError) as caught:
        viz.render(course.J, path, timeout=1e-4)
    message = str(caught.value)
    assert message.startswith(f"render to {str(path)!r}: Graphviz `dot` had not finished")
    assert "(7 nodes, 6 edges) after 0.0001 s" in message and "write a .dot file instead" in message
    assert isinstance(caught.value, RuntimeError)  # what the chainrule command reports
    assert os.listdir(tmp_path) == []
    with pytest.raises(viz.GraphvizTimeoutError, match="save_backprop_html to"):
        viz.save_backprop_html(course.J, tmp_path / "replay.html", timeout=1e-4)
    for bad in (0, -1.0, math.inf, math.nan, "60"):
        with pytest.raises(
            ValueError, match=f"timeout must be a positive number of seconds, at most 86400, got {bad!r}"
        ):
            viz.render(course.J, path, timeout=bad)


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")
def test_rendering_over_a_private_file_keeps_it_private(course, tmp_path):
    path = tmp_path / "course.dot"
    path.write_text("old")
    path.chmod(0o600)
    viz.render(course.J, path)
    assert path.stat().st_mode & 0o777 == 0o600 and path.read_text().lstrip().startswith("digraph")
