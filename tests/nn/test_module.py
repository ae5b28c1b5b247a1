"""nn/module.py: a Module finds, names, zeroes and sets its parameters: state_dict and
load_state_dict (all or nothing), and the checks load makes of a saved file against the model."""

from __future__ import annotations

import json
import math
import os
import time

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
        (
            lambda d: d.update({"layers.1.neurons.0.b": True}),
            "'layers.1.neurons.0.b' is bool True; expected a finite real number",
        ),
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


def test_parameters_are_found_through_tuples_and_sub_modules_in_assignment_order() -> None:
    class Inner(nn.Module):
        def __init__(self):
            self.b = Parameter(2.0)
            self.a = Parameter(1.0)

    class Outer(nn.Module):
        def __init__(self):
            self.pair = (Inner(), Parameter(3.0))
            self.note = "not a parameter"
            self.label_parameters()

    outer = Outer()
    assert [name for name, _ in outer.named_parameters()] == ["pair.0.b", "pair.0.a", "pair.1"]
    assert [p.label for p in outer.parameters()] == ["pair.0.b", "pair.0.a", "pair.1"]
    assert outer.state_dict() == {"pair.0.b": 2.0, "pair.0.a": 1.0, "pair.1": 3.0}
    assert outer.num_parameters() == 3


def test_zero_grad_clears_every_parameter():
    model = nn.MLP(2, [3, 1], seed=0)
    model([1.0, 2.0]).backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_load_of_another_architecture_says_what_the_file_holds(tmp_path):
    nn.MLP(2, [4, 1], seed=0).save(tmp_path / "wide.json")
    target = nn.MLP(2, [3, 1], seed=0)
    with pytest.raises(
        nn.StateError,
        match=r"saved from MLP\(2 -> \[4 relu, 1 linear\], 17 parameters\).*unexpected name 'layers.0.neurons.3.w.0'",
    ):
        target.load(tmp_path / "wide.json")


def test_load_into_another_activation_warns(tmp_path):
    """The names and counts fit, so the numbers load; but the file says it came from another model."""
    nn.MLP(2, [3, 1], seed=0).save(tmp_path / "relu.json")
    target = nn.MLP(2, [3, 1], activation="tanh", seed=1)
    with pytest.warns(
        UserWarning,
        match=r"saved from MLP\(2 -> \[3 relu, 1 linear\], 13 parameters\), and is loaded into MLP\(2 -> \[3 tanh",
    ):
        target.load(tmp_path / "relu.json")
    assert target.state_dict() == nn.MLP(2, [3, 1], seed=0).state_dict()


# Loads that could never end, or make endless messages, are refused up front.


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_load_of_a_pipe_with_no_writer_is_refused_at_once(model, tmp_path):
    pipe = tmp_path / "model.json"
    os.mkfifo(pipe)
    before = model.state_dict()
    start = time.perf_counter()
    with pytest.raises(OSError, match=r"load: cannot read '.*model.json': it is not a regular file"):
        model.load(pipe)
    assert time.perf_counter() - start < 5 and model.state_dict() == before


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_load_of_a_device_that_never_ends_is_refused(model):
    with pytest.raises(OSError, match="not a regular file"):
        model.load("/dev/zero")


def test_load_of_a_file_larger_than_a_model_is_refused_before_it_is_read(model, tmp_path, monkeypatch):
    from nn import state

    path = tmp_path / "model.json"
    model.save(path)
    monkeypatch.setattr(state, "MAX_BYTES", 100)  # the real bound is 64 MB; the file is a few hundred bytes
    with pytest.raises(
        nn.StateError, match=r"load: '.*model.json' is \d+ bytes, more than the 100 it reads; a saved model is smaller"
    ):
        model.load(path)


def test_a_huge_model_entry_makes_a_short_message(model, tmp_path):
    path = tmp_path / "model.json"
    document = {"format": "chainrule-state", "version": 1, "model": "M" * 5_000_000, "parameters": {"nope": 1.0}}
    path.write_text(json.dumps(document))
    with pytest.raises(nn.StateError) as info:
        model.load(path)
    assert len(str(info.value)) < 600 and "MMM..." in str(info.value)


@pytest.mark.parametrize("version", ["true", "1.0", '"1"'])
def test_a_version_that_only_equals_1_in_python_is_refused(model, tmp_path, version):
    path = tmp_path / "model.json"
    model.save(path)
    path.write_text(path.read_text().replace('"version": 1', f'"version": {version}'))
    with pytest.raises(nn.StateError, match="has format version"):
        model.load(path)


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")
def test_saving_over_a_private_file_keeps_it_private(model, tmp_path):
    path = tmp_path / "model.json"
    path.write_text("{}")
    path.chmod(0o600)
    model.save(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert nn.MLP(2, [3, 1], seed=0).load(path) is None
