"""The saved-model file: JSON written atomically and read within a bound, never pickle.

A saved file looks like this (``parameters`` in the model's order)::

    {"format": "chainrule-state", "version": 1,
     "model": "MLP(2 -> [16 relu, 16 relu, 1 linear], 337 parameters)",
     "parameters": {"layers.0.neurons.0.w.0": 0.23, ...}}

JSON rather than pickle because loading a pickle runs code chosen by whoever wrote the file.
This module knows the file, not the models: ``Module.save`` and ``Module.load`` check the names
and numbers against the model.
"""

from __future__ import annotations

import errno
import json
import os
from typing import Any

from autograd.extend import as_path, check_finite, read_bounded, shorten, write_atomically

FORMAT = "chainrule-state"
VERSION = 1
#: The largest file ``read`` accepts: a model of a million parameters is about 40 MB of JSON, and the
#: scalar engine trains models of a few thousand.
MAX_BYTES = 64 * 1024 * 1024


class StateError(ValueError):
    """A state dict or saved file that does not fit the model; the model was left unchanged."""


def check_number(x: Any, name: str, where: str) -> float:
    """``x`` as a float if it is a finite real number (not a bool), else a ``StateError``.

    >>> check_number(3, "b", "load_state_dict")
    3.0
    >>> check_number(True, "b", "load_state_dict")
    Traceback (most recent call last):
    nn.state.StateError: load_state_dict: 'b' is bool True; expected a finite real number (int or float)
    """
    return check_finite(x, f"{where}: {name!r}", StateError)


def write(path: str | os.PathLike[str], parameters: dict[str, float], model: str) -> None:
    """Write ``parameters`` of the model described by ``model`` (its repr) to ``path``, atomically."""
    for name, x in parameters.items():
        check_number(x, name, "save")
    document = {"format": FORMAT, "version": VERSION, "model": model, "parameters": parameters}
    if os.path.isdir(as_path(path, "save")):
        example = os.path.join(os.fspath(path), "model.json")
        raise IsADirectoryError(
            errno.EISDIR, f"save: cannot write {os.fspath(path)!r}: it is a folder; give a file name, like {example!r}"
        )
    write_atomically(path, json.dumps(document, indent=1, allow_nan=False).encode("utf-8"), "save")


def read(path: str | os.PathLike[str]) -> tuple[Any, str | None]:
    """The ``parameters`` entry of a file written by ``write`` (not yet checked), and the model it
    says it came from (``None`` if it does not say); a file of another kind is a ``StateError``."""
    shown = repr(as_path(path, "load"))
    try:
        data = read_bounded(path, MAX_BYTES, "load")
    except OSError as e:
        if e.errno != errno.EFBIG:
            raise
        raise StateError(f"{e.strerror}; a saved model is smaller, so it is not one") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise StateError(
            f"load: {shown} is not UTF-8 text (byte {e.object[e.start : e.start + 1]!r} at position "
            f"{e.start}); it is not a saved model, perhaps a binary file or a corrupted one"
        ) from None
    try:
        document = json.loads(text)
    except RecursionError:
        raise StateError(f"load: {shown} nests its JSON too deeply to read; it is not a saved model") from None
    except ValueError as e:  # JSONDecodeError, and e.g. an integer with too many digits
        raise StateError(
            f"load: {shown} is not valid JSON ({e}); the file may be truncated or not a saved model"
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise StateError(
            f"load: {shown} is not a chainrule state file; expected a JSON object "
            f'with "format": "{FORMAT}", as written by Module.save'
        )
    version = document.get("version")
    if type(version) is not int or version != VERSION:  # true == 1 in Python, not in the file format
        raise StateError(
            f"load: {shown} has format version {shorten(repr(version))}; this chainrule reads version {VERSION}"
        )
    model = document.get("model")
    return document.get("parameters"), shorten(model, 200) if isinstance(model, str) else None
