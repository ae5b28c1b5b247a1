"""``Module``: the base class of every model, which finds, names, resets and saves its parameters.

A model is a tree: an ``MLP`` holds ``layers``, each ``Layer`` holds ``neurons``, each ``Neuron``
holds its weights ``w`` and its bias ``b``. ``Module`` walks that tree through the attributes, in
the order they were assigned, so the parameter order is fixed: layer by layer, neuron by neuron,
a neuron's weights then its bias.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from typing import Any

from autograd import Parameter
from autograd.extend import describe

from . import state
from .state import StateError


class Module:
    """Base class for models: ``parameters()``, ``named_parameters()``, ``zero_grad()``, saving.

    A subclass stores its Parameters, sub-modules, and lists of either as ordinary attributes
    (names that start with ``_`` are private and not searched), then calls
    ``self.label_parameters()`` at the end of ``__init__`` so each Parameter's label is its
    dotted name and drawings show it.

    >>> from autograd import Parameter
    >>> class Line(Module):
    ...     def __init__(self):
    ...         self.w = [Parameter(2.0), Parameter(-1.0)]
    ...         self.b = Parameter(0.5)
    ...         self.label_parameters()
    >>> line = Line()
    >>> [name for name, p in line.named_parameters()]
    ['w.0', 'w.1', 'b']
    >>> line.b.label, line.state_dict()
    ('b', {'w.0': 2.0, 'w.1': -1.0, 'b': 0.5})
    """

    def named_parameters(self) -> list[tuple[str, Parameter]]:
        """Every Parameter with its dotted name, in the model's fixed order; shared ones once."""
        found: list[tuple[str, Parameter]] = []
        _collect(self, "", found, set())
        return found

    def parameters(self) -> list[Parameter]:
        """Every Parameter in the model's fixed order (the order micrograd uses)."""
        return [p for _, p in self.named_parameters()]

    def label_parameters(self) -> None:
        """Set each Parameter's label to its dotted name (``layers.0.neurons.3.w.1``)."""
        for name, p in self.named_parameters():
            p.label = name

    def zero_grad(self) -> None:
        """Set every Parameter's ``grad`` to 0.0, before the next ``backward()``."""
        for p in self.parameters():
            p.grad = 0.0

    def num_parameters(self) -> int:
        """How many numbers the model trains."""
        return len(self.named_parameters())

    def state_dict(self) -> dict[str, float]:
        """``{name: number}`` for every Parameter, in order: a snapshot of the model's numbers."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, numbers: Mapping[str, Any]) -> None:
        """Set every Parameter from ``{name: number}``, all or nothing.

        The mapping must hold exactly the model's names, each with a finite real number (int or
        float; bools, NaN and infinities are refused). Everything is checked before anything is
        assigned, so on error the model is unchanged.

        Raises:
            nn.StateError: naming the first missing, unexpected or invalid entry.
        """
        self._assign(self._check_state(numbers, "load_state_dict"))

    def _check_state(self, numbers_by_name: Any, where: str) -> list[float]:
        """Validate ``{name: number}`` against this model; return the numbers in the model's order.

        Checks, in order: that it is a mapping; each of the model's names, in the model's order, is
        present with a finite real number; no other names are present. The first problem is raised.
        """
        if not isinstance(numbers_by_name, Mapping):
            raise StateError(f"{where}: expected a mapping {{name: number}}, got {describe(numbers_by_name)}")
        names = [name for name, _ in self.named_parameters()]
        values = []
        for name in names:
            if name not in numbers_by_name:
                raise StateError(
                    f"{where}: parameter {name!r} of {self!r} is missing "
                    f"({len(numbers_by_name)} entries given, {len(names)} expected)"
                )
            values.append(state.check_number(numbers_by_name[name], name, where))
        if len(numbers_by_name) != len(names):
            known = set(names)
            extra = next(key for key in numbers_by_name if key not in known)
            raise StateError(f"{where}: unexpected name {extra!r}; {self!r} has no parameter of that name")
        return values

    def _assign(self, values: list[float]) -> None:
        for (_, p), x in zip(self.named_parameters(), values):
            p.data = x

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the parameters to ``path`` as JSON, atomically (a partial file never appears).

        Raises:
            nn.StateError: if a parameter is NaN or infinite (JSON cannot hold it faithfully).
            OSError: the folder does not exist or cannot be written to; the message names ``path``.
        """
        state.write(path, self.state_dict(), repr(self))

    def load(self, path: str | os.PathLike[str]) -> None:
        """Read parameters written by ``save``; on any problem raise and leave the model unchanged.

        Raises:
            nn.StateError: a truncated or non-JSON file, another format, a file larger than
                ``nn.state.MAX_BYTES`` (64 MB), or names/values that do not fit this model.
            OSError: the file cannot be read, or is not a regular file (a pipe, a device).
        """
        parameters, saved = state.read(path)
        values = self._check_state(parameters, f"load {os.fspath(path)!r} (saved from {saved or 'an unknown model'})")
        this = repr(self)
        if saved is not None and saved != this and " object at 0x" not in saved + this:
            # Same names and counts, another model: an MLP with tanh where relu was, say. Allowed, but said.
            warnings.warn(f"load: {os.fspath(path)!r} was saved from {saved}, and is loaded into {this}", stacklevel=2)
        self._assign(values)


def _collect(item: Any, name: str, found: list[tuple[str, Parameter]], seen: set[int]) -> None:
    if isinstance(item, Parameter):
        if id(item) not in seen:
            seen.add(id(item))
            found.append((name, item))
    elif isinstance(item, Module):
        prefix = name + "." if name else ""
        for attr, value in vars(item).items():
            if not attr.startswith("_"):
                _collect(value, prefix + attr, found, seen)
    elif isinstance(item, (list, tuple)):
        for i, value in enumerate(item):
            _collect(value, f"{name}.{i}", found, seen)
