"""nn/state.py: the saved-model file: JSON written atomically, read within a bound, exact round
trips, and a StateError for any file that is not a saved model."""

from __future__ import annotations

import json
import math
import os

import pytest

import nn
from nn import state


@pytest.fixture
def model():
    return nn.MLP(2, [3, 1], seed=0)


def test_save_load_round_trip_is_exact(model, tmp_path):
    path = tmp_path / "model.json"
    model.save(path)
    other = nn.MLP(2, [3, 1], seed=1)
    assert other.state_dict() != model.state_dict()
    other.load(path)
    assert other.state_dict() == model.state_dict()  # float repr round-trips exactly
    document = json.loads(path.read_text())
    assert document["format"] == "chainrule-state" and document["version"] == 1
    assert document["model"] == "MLP(2 -> [3 relu, 1 linear], 13 parameters)"
    assert list(document["parameters"]) == list(model.state_dict())
    assert os.listdir(tmp_path) == ["model.json"]  # no temporary file left behind


def test_read_gives_the_parameters_unchecked_and_the_model_they_came_from(tmp_path) -> None:
    state.write(tmp_path / "m.json", {"w": 0.5, "b": -1.0}, "Line(2 parameters)")
    assert state.read(tmp_path / "m.json") == ({"w": 0.5, "b": -1.0}, "Line(2 parameters)")
    (tmp_path / "old.json").write_text('{"format": "chainrule-state", "version": 1, "parameters": {"w": "x"}}')
    assert state.read(tmp_path / "old.json") == ({"w": "x"}, None)  # the model checks the numbers


def test_a_file_larger_than_max_bytes_is_not_a_saved_model(tmp_path, monkeypatch) -> None:
    assert state.MAX_BYTES == 64 * 1024 * 1024
    state.write(tmp_path / "m.json", {"w": 0.5}, "Line")
    monkeypatch.setattr(state, "MAX_BYTES", 10)
    with pytest.raises(
        nn.StateError,
        match=r"^load: '.*m.json' is \d+ bytes, more than the 10 it reads; a saved model is smaller, so it is not one$",
    ):
        state.read(tmp_path / "m.json")


def test_version_true_is_not_version_1(tmp_path) -> None:
    (tmp_path / "m.json").write_text('{"format": "chainrule-state", "version": true, "parameters": {}}')
    with pytest.raises(nn.StateError, match=r"has format version True; this chainrule reads version 1$"):
        state.read(tmp_path / "m.json")


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")
def test_saved_file_has_ordinary_permissions(model, tmp_path):
    mask = os.umask(0o022)
    try:
        model.save(tmp_path / "model.json")
    finally:
        os.umask(mask)
    assert (tmp_path / "model.json").stat().st_mode & 0o777 == 0o644
    mask = os.umask(0o077)
    try:
        model.save(tmp_path / "private.json")
    finally:
        os.umask(mask)
    assert (tmp_path / "private.json").stat().st_mode & 0o777 == 0o600


def test_save_does_not_change_the_umask(model, tmp_path, monkeypatch):
    # Setting the umask, even briefly, races with files other threads create meanwhile.
    def no_umask(mask):
        raise AssertionError("save must not call os.umask")

    monkeypatch.setattr(os, "umask", no_umask)
    model.save(tmp_path / "model.json")
    assert nn.MLP(2, [3, 1]).load(tmp_path / "model.json") is None


def test_save_into_a_missing_folder_names_the_users_path(model, tmp_path):
    path = tmp_path / "missing" / "m.json"
    with pytest.raises(
        FileNotFoundError, match=r"save: cannot write '.*missing/m.json': the folder '.*missing' does not exist"
    ) as raised:
        model.save(path)
    assert ".tmp" not in str(raised.value)


def test_save_onto_a_folder_asks_for_a_file_name(model, tmp_path):
    with pytest.raises(
        IsADirectoryError, match=r"save: cannot write '.*': it is a folder; give a file name, like '.*model.json'"
    ):
        model.save(tmp_path)


def test_save_into_a_folder_without_permission_names_the_users_path(model, tmp_path, monkeypatch):
    def refused(path, flags, mode=0o777):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(os, "open", refused)  # the tests may run as root, where chmod would not stop us
    with pytest.raises(
        PermissionError,
        match=r"save: cannot write '.*m.json': cannot create a file in the folder '.*': Permission denied",
    ) as raised:
        model.save(tmp_path / "m.json")
    assert ".tmp" not in str(raised.value) and os.listdir(tmp_path) == []


def test_save_replaces_atomically_and_cleans_up_on_failure(model, tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    path.write_text("old contents")

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device", src)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match=r"save: cannot write '.*model.json': No space left on device") as raised:
        model.save(path)
    assert ".tmp" not in str(raised.value) and raised.value.errno == 28
    assert path.read_text() == "old contents"
    assert os.listdir(tmp_path) == ["model.json"]


def test_save_refuses_non_finite_parameters(model, tmp_path):
    model.parameters()[4].data = math.nan
    with pytest.raises(nn.StateError, match=r"save: 'layers.0.neurons.1.w.1' is nan"):
        model.save(tmp_path / "m.json")
    assert not (tmp_path / "m.json").exists()


def write_then_corrupt(model, tmp_path, corrupt):
    path = tmp_path / "model.json"
    model.save(path)
    text = path.read_text()
    path.write_text(corrupt(text))
    return path


@pytest.mark.parametrize(
    "corrupt, message",
    [
        (lambda t: t[: len(t) // 2], "is not valid JSON .*truncated"),
        (lambda t: "", "is not valid JSON"),
        (lambda t: "w = [1, 2]", "is not valid JSON"),
        (lambda t: "[1, 2]", "is not a chainrule state file"),
        (lambda t: t.replace('"chainrule-state"', '"other"'), "is not a chainrule state file"),
        (lambda t: t.replace('"version": 1', '"version": 2'), "has format version 2; this chainrule reads version 1"),
        (
            lambda t: t.replace("layers.1.neurons.0.b", "layers.1.neurons.0.bias"),
            "parameter 'layers.1.neurons.0.b' of .* is missing",
        ),
        (
            lambda t: t.replace('"layers.1.neurons.0.b": 0.0', '"layers.1.neurons.0.b": "0.0"'),
            "'layers.1.neurons.0.b' is str '0.0'",
        ),
        (
            lambda t: t.replace('"layers.1.neurons.0.b": 0.0', '"layers.1.neurons.0.b": NaN'),
            "'layers.1.neurons.0.b' is nan",
        ),
        (lambda t: t.replace('"layers.1.neurons.0.b": 0.0', '"layers.1.neurons.0.b": [0.0]'), "is list"),
        (lambda t: t.replace('"parameters": {', '"parameters": {"extra": 1.0, '), "unexpected name 'extra'"),
    ],
)
def test_load_rejects_bad_files_and_leaves_model_unchanged(model, tmp_path, corrupt, message):
    path = write_then_corrupt(model, tmp_path, corrupt)
    target = nn.MLP(2, [3, 1], seed=5)
    before = target.state_dict()
    with pytest.raises(nn.StateError, match=message):
        target.load(path)
    assert target.state_dict() == before


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="needs symbolic links")
def test_save_writes_through_a_symbolic_link(model, tmp_path):
    (tmp_path / "shared").mkdir()
    real = tmp_path / "shared" / "model.json"
    real.write_text("{}", encoding="utf-8")
    link = tmp_path / "model.json"
    link.symlink_to(real)
    model.save(link)
    assert link.is_symlink()  # the link is kept, the file it names is the one written
    assert json.loads(real.read_text(encoding="utf-8"))["parameters"] == model.state_dict()
    assert sorted(p.name for p in (tmp_path / "shared").iterdir()) == ["model.json"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_save_refuses_a_path_that_is_not_a_regular_file(model, tmp_path):
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    with pytest.raises(OSError, match=r"save: cannot write '.*pipe.json': it is not a regular file"):
        model.save(pipe)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.json"]


def test_load_of_a_missing_file_raises_file_not_found(model, tmp_path):
    with pytest.raises(FileNotFoundError):
        model.load(tmp_path / "nope.json")


@pytest.mark.parametrize(
    "content, message",
    [
        (
            b"\x89PNG\r\n\x1a\n\xff\xfe",
            r"load: '.*model.json' is not UTF-8 text \(byte b'\\x89' at position 0\); it is not a saved model",
        ),
        (b"[" * 100_000, r"load: '.*model.json' nests its JSON too deeply to read; it is not a saved model"),
        (
            b'{"format": "chainrule-state", "version": ' + b"9" * 5000 + b"}",
            r"load: '.*model.json' is not valid JSON \(.*digits",
        ),
    ],
)
def test_load_of_a_binary_deep_or_huge_file_raises_state_error(model, tmp_path, content, message):
    path = tmp_path / "model.json"
    path.write_bytes(content)
    before = model.state_dict()
    with pytest.raises(nn.StateError, match=message):
        model.load(path)
    assert model.state_dict() == before


def test_a_folder_or_a_non_path_is_said_plainly(tmp_path):
    model = nn.MLP(2, [1], seed=0)
    before = model.state_dict()
    with pytest.raises(OSError, match=rf"load: cannot read {str(tmp_path)!r}: it is a folder$"):
        model.load(tmp_path)
    for call in (model.save, model.load):
        with pytest.raises(TypeError, match=r"the path must be a str or an os.PathLike \(a pathlib.Path\), got None"):
            call(None)
    assert model.state_dict() == before
