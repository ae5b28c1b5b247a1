"""``Module``: the base class of every model, which finds, names, resets and saves its parameters.

A model is a tree: an ``MLP`` holds ``layers``, each ``Layer`` holds ``neurons``, each ``Neuron``
holds its weights ``w`` and its bias ``b``. ``Module`` walks that tree through the attributes, in
the order they were assigned, so the parameter order is fixed: layer by layer, neuron by neuron,
a neuron's weights then its bias.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from autograd import Parameter

from . import state


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
        checked = state.check_state(self, numbers, "load_state_dict")
        for (_, p), x in zip(self.named_parameters(), checked):
            p.data = x

    def save(self, path: str) -> None:
        """Write the parameters to ``path`` as JSON, atomically (a partial file never appears).

        Raises:
            nn.StateError: if a parameter is NaN or infinite (JSON cannot hold it faithfully).
            OSError: the folder does not exist or cannot be written to; the message names ``path``.
        """
        state.save(self, path)

    def load(self, path: str) -> None:
        """Read parameters written by ``save``; on any problem raise and leave the model unchanged.

        Raises:
            nn.StateError: a truncated or non-JSON file, another format, or names/values that do
                not fit this model.
        """
        state.load(self, path)


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
