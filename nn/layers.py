"""Neurons, layers of neurons, and the multi-layer perceptron: "stacking neurons gives a network".

A neuron computes ``activation(w·x + b)``. The weighted sum is ONE fused ``autograd.dot`` node
(with parents ``w1..wn, x1..xn, b``) rather than 2n small nodes, which is what makes training on
the scalar engine fast enough to be pleasant.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Callable, Sequence
from typing import Any

from autograd import Parameter, Value
from autograd.extend import describe, dot_of_values

from . import checks
from .module import Module

#: Each activation as the Value method that applies it; ``None`` means linear (no node at all).
ACTIVATIONS: dict[str, Callable[[Value], Value] | None] = {
    "relu": Value.relu,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "linear": None,
}


#: The standard deviation of a neuron's first weights for each ``init``, given its ``n_in`` inputs
#: (weights ~ N(0, std²); biases start at 0). ``"uniform"`` draws from U(-1, 1) instead, as micrograd does.
INIT_STD: dict[str, Callable[[int], float]] = {
    "small": lambda n_in: 0.01,  # the course's week 3, W = randn * 0.01: tanh stays in its steep middle
    "xavier": lambda n_in: 1.0 / math.sqrt(n_in),  # week 4: z = w·x keeps the variance of one input
    "he": lambda n_in: math.sqrt(2.0 / n_in),  # the same for relu, which zeroes half of its inputs
}
INITS = ("uniform", *INIT_STD)


def check_init(where: str, init: Any) -> str:
    """``init`` if it is one of ``INITS``, else a ValueError naming them."""
    if not isinstance(init, str) or init not in INITS:
        raise ValueError(f"{where}: unknown init {init!r}; choose one of {', '.join(map(repr, INITS))}")
    return init


def _first_weights(rng: random.Random, n_in: int, init: str) -> list[Parameter]:
    if init == "uniform":
        return [Parameter(rng.uniform(-1.0, 1.0)) for _ in range(n_in)]
    std = INIT_STD[init](n_in)
    return [Parameter(rng.gauss(0.0, std)) for _ in range(n_in)]


@functools.cache
def _input_labels(nin: int) -> tuple[str, ...]:
    """``("x.0", "x.1", ...)``, made once per input size rather than on every call (the training loop's path)."""
    return tuple(f"x.{i}" for i in range(nin))


def _as_values(x: Sequence[Any], where: Module, nin: int) -> list[Value]:
    """One input for ``where``, checked once: ``nin`` Values, plain numbers made into leaves
    labelled ``x.0``, ``x.1``, ... (so drawings name them, in the order of the parameters' ``w.0``).

    A 1-D NumPy array is taken as its list of numbers, so ``model(X[i])`` works on a data set.
    """
    if not (type(x) in (list, tuple) and len(x) == nin):  # the usual input needs no further look
        x = checks.one_example(repr(where), x, nin)  # (a model's repr counts its parameters: not per call)
    values = [xi if isinstance(xi, Value) else Value(xi, label) for xi, label in zip(x, _input_labels(nin))]
    if not all(map(math.isfinite, [v.data for v in values])):  # inf would make every output nan
        i, bad = next((i, v.data) for i, v in enumerate(values) if not math.isfinite(v.data))
        raise ValueError(f"{where!r}: input x.{i} is {bad!r}; a model takes finite numbers")
    return values


def _random(where: str, rng: Any) -> random.Random:
    """``rng``, a ``random.Random`` to draw weights from, or a fresh one for None."""
    if rng is None:
        return random.Random()
    if not isinstance(rng, random.Random):
        raise TypeError(f"{where}: rng must be a random.Random (or None), like random.Random(0); got {describe(rng)}")
    return rng


def _check_activation(where: str, activation: Any) -> str:
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise ValueError(
            f"{where}: unknown activation {activation!r}; choose one of {', '.join(map(repr, ACTIVATIONS))}"
        )
    return activation


class Neuron(Module):
    """One neuron: ``activation(w·x + b)`` with ``nin`` weights drawn at random and bias 0.

    Args:
        nin: how many inputs it takes.
        activation: ``"relu"``, ``"tanh"``, ``"sigmoid"`` or ``"linear"``.
        rng: a ``random.Random`` to draw the weights from (a fresh one if None).
        init: how the weights are drawn: ``"uniform"`` from U(-1, 1); ``"small"``, ``"xavier"``
            or ``"he"`` from a normal distribution scaled as ``INIT_STD`` says.

    >>> n = Neuron(2, activation="linear")
    >>> n.load_state_dict({"w.0": 2.0, "w.1": -1.0, "b": 0.5})
    >>> n([3.0, 4.0])
    Value(data=2.5, grad=0.0, op='dot')
    >>> n
    Neuron(2, linear)
    """

    def __init__(
        self, nin: int, activation: str = "relu", rng: random.Random | None = None, init: str = "uniform"
    ) -> None:
        self.nin = checks.integer("Neuron", "nin", nin)
        checks.model_size("Neuron", nin + 1)
        self.activation = _check_activation("Neuron", activation)
        rng = _random("Neuron", rng)
        self.w = _first_weights(rng, nin, check_init("Neuron", init))
        self.b = Parameter(0.0)
        self._activate = ACTIVATIONS[activation]
        self.label_parameters()

    def __call__(self, x: Sequence[Any]) -> Value:
        """The neuron's output for one input ``x`` (a sequence of ``nin`` Values or numbers)."""
        return self.forward(_as_values(x, self, self.nin))

    def forward(self, xs: list[Value]) -> Value:
        """The output for ``xs``, already checked: ``nin`` Values (the layers' hot path)."""
        z = dot_of_values(self.w, xs, self.b)
        return z if self._activate is None else self._activate(z)

    def __repr__(self) -> str:
        return f"Neuron({self.nin}, {self.activation})"


class Layer(Module):
    """``nout`` neurons that each see the same ``nin`` inputs; calling it returns a list of ``nout`` Values.

    >>> layer = Layer(3, 2, activation="tanh", rng=random.Random(0))
    >>> len(layer([1.0, 2.0, 3.0])), layer
    (2, Layer(3 -> 2 tanh))
    """

    def __init__(
        self, nin: int, nout: int, activation: str = "relu", rng: random.Random | None = None, init: str = "uniform"
    ) -> None:
        self.nin = checks.integer("Layer", "nin", nin)
        self.nout = checks.integer("Layer", "nout", nout)
        checks.model_size("Layer", (nin + 1) * nout)
        self.activation = _check_activation("Layer", activation)
        rng = _random("Layer", rng)
        self.neurons = [Neuron(nin, activation, rng, check_init("Layer", init)) for _ in range(nout)]
        self.label_parameters()

    def __call__(self, x: Sequence[Any]) -> list[Value]:
        """The outputs of every neuron for one input ``x``."""
        xs = _as_values(x, self, self.nin)
        return [neuron.forward(xs) for neuron in self.neurons]

    def __repr__(self) -> str:
        return f"Layer({self.nin} -> {self.nout} {self.activation})"


class MLP(Module):
    """A multi-layer perceptron: hidden layers with ``activation``, then a linear output layer.

    Args:
        nin: how many numbers one input has.
        nouts: the width of each layer; the last is the output.
        activation: the hidden layers' activation (see ``Neuron``).
        seed: seeds the weights, so the same seed builds the same model.
        init: how the weights are drawn (see ``Neuron``). The default ``"uniform"`` suits a few
            inputs; with many (a 12288-pixel picture) use ``"xavier"`` (tanh) or ``"he"`` (relu),
            which keep every layer's ``z`` of the size of one input, so the first cost is near
            ``log 2 = 0.69`` rather than in the tens.

    Calling it on one input returns a Value when the output layer has width 1, else a list.

    >>> model = MLP(2, [16, 16, 1], seed=0)
    >>> model
    MLP(2 -> [16 relu, 16 relu, 1 linear], 337 parameters)
    >>> model.parameters()[0].label
    'layers.0.neurons.0.w.0'
    >>> model([0.5, -1.0]).op
    'dot'
    >>> MLP(2, [4, 1], activation="tanh", init="small", seed=0).parameters()[0].data
    0.00941...
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "relu",
        seed: int | None = None,
        init: str = "uniform",
    ) -> None:
        self.nin = checks.integer("MLP", "nin", nin)
        if isinstance(nouts, (str, bytes)) or not isinstance(nouts, Sequence) or len(nouts) == 0:
            raise ValueError(f"MLP: nouts must be a non-empty list of layer widths, like [16, 16, 1]; got {nouts!r}")
        for width in nouts:
            checks.integer("MLP", f"every layer width in nouts {list(nouts)!r}", width)
        _check_activation("MLP", activation)
        check_init("MLP", init)
        sizes = [nin, *nouts]
        checks.model_size("MLP", sum((a + 1) * b for a, b in zip(sizes, sizes[1:])))
        self.activation = activation
        if seed is not None and not checks.is_int(seed):
            raise TypeError(f"MLP: seed must be an int (or None for a fresh draw), got {seed!r}")
        rng = random.Random(seed)
        last = len(nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activation if i < last else "linear", rng, init) for i in range(len(nouts))
        ]
        self.label_parameters()

    def __call__(self, x: Sequence[Any]) -> Any:
        """The model's output for one input ``x`` of ``nin`` Values or numbers."""
        # Checked once here (plain numbers become leaves once, not once per neuron); every layer's
        # output is a list of Values, so the neurons take the unchecked path.
        h = _as_values(x, self, self.nin)
        for layer in self.layers:
            h = [neuron.forward(h) for neuron in layer.neurons]
        return h[0] if len(h) == 1 else h

    def __repr__(self) -> str:
        widths = ", ".join(f"{layer.nout} {layer.activation}" for layer in self.layers)
        return f"MLP({self.nin} -> [{widths}], {self.num_parameters()} parameters)"
