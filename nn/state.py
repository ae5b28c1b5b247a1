"""Checking, saving and loading a model's numbers: JSON written atomically, never pickle.

A saved file looks like this (``parameters`` in the model's order)::

    {"format": "chainrule-state", "version": 1,
     "model": "MLP(2 -> [16 relu, 16 relu, 1 linear], 337 parameters)",
     "parameters": {"layers.0.neurons.0.w.0": 0.23, ...}}

JSON rather than pickle because loading a pickle runs code chosen by whoever wrote the file.
"""

from __future__ import annotations

import errno
import json
import math
import numbers
import os
import secrets
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .module import Module

FORMAT = "chainrule-state"
VERSION = 1


class StateError(ValueError):
    """A state dict or saved file that does not fit the model; the model was left unchanged."""


def _describe(x: Any) -> str:
    text = repr(x)
    text = text if len(text) <= 40 else text[:37] + "..."
    return f"{type(x).__name__} {text}"


def check_number(x: Any, name: str, where: str) -> float:
    """``x`` as a float if it is a finite real number (not a bool), else a ``StateError``.

    >>> check_number(3, "b", "load_state_dict")
    3.0
    >>> check_number(True, "b", "load_state_dict")
    Traceback (most recent call last):
    nn.state.StateError: load_state_dict: 'b' is bool True; expected a finite real number (int or float)
    """
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise StateError(f"{where}: {name!r} is {_describe(x)}; expected a finite real number (int or float)")
    try:
        value = float(x)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        raise StateError(f"{where}: {name!r} is {value!r}; expected a finite real number (int or float)")
    return value


def check_state(model: Module, numbers_by_name: Any, where: str) -> list[float]:
    """Validate ``{name: number}`` against ``model``; return the numbers in the model's order.

    Checks, in order: that it is a mapping; each of the model's names, in the model's order, is
    present with a finite real number; no other names are present. The first problem is raised.
    """
    if not isinstance(numbers_by_name, Mapping):
        raise StateError(f"{where}: expected a mapping {{name: number}}, got {_describe(numbers_by_name)}")
    names = [name for name, _ in model.named_parameters()]
    values = []
    for name in names:
        if name not in numbers_by_name:
            raise StateError(
                f"{where}: parameter {name!r} of {model!r} is missing "
                f"({len(numbers_by_name)} entries given, {len(names)} expected)"
            )
        values.append(check_number(numbers_by_name[name], name, where))
    if len(numbers_by_name) != len(names):
        known = set(names)
        extra = next(key for key in numbers_by_name if key not in known)
        raise StateError(f"{where}: unexpected name {extra!r}; {model!r} has no parameter of that name")
    return values


def save(model: Module, path: str | os.PathLike[str]) -> None:
    """Write ``model``'s parameters to ``path`` through a temporary file and ``os.replace``.

    The temporary file sits in the same directory, so the rename is atomic: readers see the old
    file or the complete new one, never a part.
    """
    parameters = model.state_dict()
    for name, x in parameters.items():
        check_number(x, name, "save")
    document = {"format": FORMAT, "version": VERSION, "model": repr(model), "parameters": parameters}
    text = json.dumps(document, indent=1, allow_nan=False)
    shown = repr(os.fspath(path))
    if os.path.isdir(path):
        example = os.path.join(os.fspath(path), "model.json")
        raise IsADirectoryError(f"save: cannot write {shown}: it is a folder; give a file name, like {example!r}")
    target = os.path.realpath(path)  # through a symbolic link to its file: replacing the link would cut it
    if os.path.exists(target) and not os.path.isfile(target):
        raise OSError(errno.EINVAL, f"save: cannot write {shown}: it is not a regular file (a device, a pipe, ...)")
    directory = os.path.dirname(target)
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"save: cannot write {shown}: the folder {directory!r} does not exist; create it first")
    fd, temporary = _create_temporary(directory, shown)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, target)
    except BaseException as e:
        if os.path.exists(temporary):
            os.remove(temporary)
        if isinstance(e, OSError):  # name the user's file, not our temporary one
            raise _renamed(e, f"save: cannot write {shown}") from e
        raise


def _create_temporary(directory: str, shown: str) -> tuple[int, str]:
    """A new file next to the target, created with mode 0o666 so the umask applies as for open()."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temporary = os.path.join(directory, f".{secrets.token_hex(6)}.tmp")
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue  # another writer drew the same name: draw again
        except OSError as e:
            raise _renamed(e, f"save: cannot write {shown}: cannot create a file in the folder {directory!r}") from None
    raise FileExistsError(f"save: cannot write {shown}: no free temporary file name in {directory!r}")


def _renamed(e: OSError, message: str) -> OSError:
    """``e`` as the same kind of OSError, with ``message`` in front of its reason."""
    reason = e.strerror or str(e)
    return type(e)(e.errno, f"{message} ({reason})") if e.errno else type(e)(f"{message} ({reason})")


def load(model: Module, path: str | os.PathLike[str]) -> None:
    """Read a file written by ``save`` into ``model``; any problem raises and changes nothing."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except UnicodeDecodeError as e:
        raise StateError(
            f"load: {os.fspath(path)!r} is not UTF-8 text (byte {e.object[e.start:e.start + 1]!r} at position "
            f"{e.start}); it is not a saved model, perhaps a binary file or a corrupted one"
        ) from None
    try:
        document = json.loads(text)
    except RecursionError:
        raise StateError(
            f"load: {os.fspath(path)!r} nests its JSON too deeply to read; it is not a saved model"
        ) from None
    except ValueError as e:  # JSONDecodeError, and e.g. an integer with too many digits
        raise StateError(
            f"load: {os.fspath(path)!r} is not valid JSON ({e}); the file may be truncated or not a saved model"
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise StateError(
            f"load: {os.fspath(path)!r} is not a chainrule state file; expected a JSON object "
            f'with "format": "{FORMAT}", as written by Module.save'
        )
    if document.get("version") != VERSION:
        raise StateError(
            f"load: {os.fspath(path)!r} has format version {document.get('version')!r}; "
            f"this chainrule reads version {VERSION}"
        )
    where = f"load {os.fspath(path)!r} (saved from {document.get('model', 'an unknown model')})"
    values = check_state(model, document.get("parameters"), where)
    saved, this = document.get("model"), repr(model)
    if isinstance(saved, str) and saved != this and " object at 0x" not in saved + this:
        # Same names and counts, another model: an MLP with tanh where relu was, say. Allowed, but said.
        warnings.warn(f"load: {os.fspath(path)!r} was saved from {saved}, and is loaded into {this}", stacklevel=3)
    for (_, p), x in zip(model.named_parameters(), values):
        p.data = x
