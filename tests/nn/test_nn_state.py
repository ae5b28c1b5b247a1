"""state_dict / load_state_dict and save / load: exact round trips, all-or-nothing errors."""

from __future__ import annotations

import json
import math
import os

import numpy as np
import pytest

import nn
from autograd import Parameter


@pytest.fixture
def model():
    return nn.MLP(2, [3, 1], seed=0)


def test_state_dict_is_names_to_floats_in_order(model):
    state = model.state_dict()
    assert list(state) == [name for name, _ in model.named_parameters()]
    assert list(state.values()) == [p.data for p in model.parameters()]


def test_load_state_dict_sets_every_number(model):
    new = {name: float(i) for i, name in enumerate(model.state_dict())}
    new["layers.0.neurons.0.b"] = 7  # an int is a real number too
    new["layers.0.neurons.0.w.0"] = np.float32(0.5)  # and so is a numpy scalar
    model.load_state_dict(new)
    assert model.state_dict() == {k: float(v) for k, v in new.items()}
    assert all(type(p.data) is float for p in model.parameters())


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.pop("layers.0.neurons.1.w.1"), "parameter 'layers.0.neurons.1.w.1' of MLP.* is missing"),
        (lambda d: d.update({"layers.9.b": 1.0}), "unexpected name 'layers.9.b'"),
        (lambda d: d.update({"layers.1.neurons.0.b": True}), "'layers.1.neurons.0.b' is bool True; expected a finite real number"),
        (lambda d: d.update({"layers.1.neurons.0.b": "0.5"}), "'layers.1.neurons.0.b' is str '0.5'"),
        (lambda d: d.update({"layers.1.neurons.0.b": None}), "is NoneType None"),
        (lambda d: d.update({"layers.0.neurons.0.w.0": math.nan}), "'layers.0.neurons.0.w.0' is nan"),
        (lambda d: d.update({"layers.0.neurons.0.w.0": -math.inf}), "is -inf"),
        (lambda d: d.update({"layers.0.neurons.0.w.0": 10**400}), "is inf"),
    ],
)
def test_bad_state_dict_names_first_problem_and_changes_nothing(model, change, message):
    before = model.state_dict()
    bad = {name: 0.125 for name in before}
    change(bad)
    with pytest.raises(nn.StateError, match=message):
        model.load_state_dict(bad)
    assert model.state_dict() == before


def test_first_problem_in_model_order_is_reported(model):
    bad = model.state_dict()
    bad["layers.1.neurons.0.b"] = "x"
    bad["layers.0.neurons.0.w.1"] = "y"
    with pytest.raises(nn.StateError, match="'layers.0.neurons.0.w.1' is str 'y'"):
        model.load_state_dict(bad)


def test_load_state_dict_refuses_a_non_mapping(model):
    with pytest.raises(nn.StateError, match=r"expected a mapping \{name: number\}, got list"):
        model.load_state_dict([1.0, 2.0])
    assert isinstance(nn.StateError("x"), ValueError)


def test_custom_module_names_shared_parameters_once():
    class Tied(nn.Module):
        def __init__(self):
            self.w = Parameter(1.0)
            self.pair = [self.w, Parameter(2.0)]
            self._cache = [Parameter(9.0)]  # private: not a parameter of the model
            self.label_parameters()

    tied = Tied()
    assert [name for name, _ in tied.named_parameters()] == ["w", "pair.1"]
    assert tied.num_parameters() == 2


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
    with pytest.raises(FileNotFoundError, match=r"save: cannot write '.*missing/m.json': the folder '.*missing' does not exist") as raised:
        model.save(path)
    assert ".tmp" not in str(raised.value)


def test_save_onto_a_folder_asks_for_a_file_name(model, tmp_path):
    with pytest.raises(IsADirectoryError, match=r"save: cannot write '.*': it is a folder; give a file name, like '.*model.json'"):
        model.save(tmp_path)


def test_save_into_a_folder_without_permission_names_the_users_path(model, tmp_path, monkeypatch):
    def refused(path, flags, mode=0o777):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(os, "open", refused)  # the tests may run as root, where chmod would not stop us
    with pytest.raises(PermissionError, match=r"save: cannot write '.*m.json': cannot create a file in the folder '.*': Permission denied") as raised:
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
        (lambda t: t.replace("layers.1.neurons.0.b", "layers.1.neurons.0.bias"), "parameter 'layers.1.neurons.0.b' of .* is missing"),
        (lambda t: t.replace('"layers.1.neurons.0.b": 0.0', '"layers.1.neurons.0.b": "0.0"'), "'layers.1.neurons.0.b' is str '0.0'"),
        (lambda t: t.replace('"layers.1.neurons.0.b": 0.0', '"layers.1.neurons.0.b": NaN'), "'layers.1.neurons.0.b' is nan"),
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


def test_load_of_another_architecture_says_what_the_file_holds(tmp_path):
    nn.MLP(2, [4, 1], seed=0).save(tmp_path / "wide.json")
    target = nn.MLP(2, [3, 1], seed=0)
    with pytest.raises(nn.StateError, match=r"saved from MLP\(2 -> \[4 relu, 1 linear\], 17 parameters\).*unexpected name 'layers.0.neurons.3.w.0'"):
        target.load(tmp_path / "wide.json")


def test_load_into_another_activation_warns(tmp_path):
    """The names and counts fit, so the numbers load; but the file says it came from another model."""
    nn.MLP(2, [3, 1], seed=0).save(tmp_path / "relu.json")
    target = nn.MLP(2, [3, 1], activation="tanh", seed=1)
    with pytest.warns(UserWarning, match=r"saved from MLP\(2 -> \[3 relu, 1 linear\], 13 parameters\), and is loaded into MLP\(2 -> \[3 tanh"):
        target.load(tmp_path / "relu.json")
    assert target.state_dict() == nn.MLP(2, [3, 1], seed=0).state_dict()


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
        (b"\x89PNG\r\n\x1a\n\xff\xfe", r"load: '.*model.json' is not UTF-8 text \(byte b'\\x89' at position 0\); it is not a saved model"),
        (b"[" * 100_000, r"load: '.*model.json' nests its JSON too deeply to read; it is not a saved model"),
        (b'{"format": "chainrule-state", "version": ' + b"9" * 5000 + b"}", r"load: '.*model.json' is not valid JSON \(.*digits"),
    ],
)
def test_load_of_a_binary_deep_or_huge_file_raises_state_error(model, tmp_path, content, message):
    path = tmp_path / "model.json"
    path.write_bytes(content)
    before = model.state_dict()
    with pytest.raises(nn.StateError, match=message):
        model.load(path)
    assert model.state_dict() == before
