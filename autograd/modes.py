"""Switches that change how nodes are made: ``no_grad`` and ``detect_anomaly``, each per thread;
and ``tracing``, under which ``autograd.compile`` records what a function does.

A mode holds in the thread that turned it on and nowhere else, as in PyTorch. While any thread
has one on, ``value.node`` passes every new node to ``HOOKS.node``, which looks up the modes of the
thread that made it; with none on anywhere, the engine pays a single ``None`` check per node.
Tracing also hears of comparisons, conversions to float and ``detach`` (``HOOKS.tracer``).

This module sits below ``value.py`` (the node reads ``HOOKS``; nothing here imports the node), so
that ``backprop.py``, which ``Value.backward`` calls, can ask whether ``detect_anomaly`` is on.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import threading
from collections.abc import Iterator
from typing import Any

from .errors import AnomalyError

Value = Any  # a node of the graph (``value.Value``), read here only through its attributes


class _Hooks:
    """What ``value.py`` calls while a mode is on in some thread: on each new node, on each comparison."""

    __slots__ = ("node", "tracer")

    def __init__(self) -> None:
        self.node: Any = None
        self.tracer: Any = None


HOOKS = _Hooks()

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


class _Modes(threading.local):
    """The modes of one thread; a new thread starts with none on."""

    recording = True
    #: While ``detect_anomaly`` is on: where each node was created, as "file:line".
    anomaly_sites: dict[Value, str] | None = None
    #: Off while a backward pass builds the graph of its own derivatives (``create_graph``): those
    #: nodes are gradients, checked by ``check_backward``, where a literal like the nan slope of
    #: ``x ** 2`` in its exponent is no anomaly.
    forward_checks = True
    #: While ``autograd.compile`` traces a function in this thread: its tracer (``tracing``).
    trace: Any = None

    def __init__(self) -> None:
        #: While ``detect_anomaly`` is on: the nodes made from number literals alone, like the 2 of
        #: ``x ** 2`` or, in a second-order pass, its ``2 - 1``. Their gradients reach no variable.
        self.literals: set[Value] = set()


_modes = _Modes()
_open = 0  # mode blocks open in all threads together; the hooks are installed while there are any
_lock = threading.Lock()


@contextlib.contextmanager
def tracing(trace: Any) -> Iterator[None]:
    """Inside this block (in this thread) the engine reports to ``trace``, ``autograd.compile``'s tracer.

    ``trace.record(v, recording)`` sees each new node (``recording`` is False inside ``no_grad``),
    ``trace.compare(v, op, other)`` each comparison of a Value, ``trace.convert(v)`` each
    ``float(v)``, and ``trace.detach(v)`` each ``v.detach()`` (whose result it may give instead of
    a new leaf). Other threads are not affected.
    """
    before = _modes.trace
    with _block():
        with _lock:
            HOOKS.tracer = _TRACER
        _modes.trace = trace
        try:
            yield
        finally:
            _modes.trace = before


class _Tracer:
    """``HOOKS.tracer`` while a thread traces: it hands each event to that thread's trace, if any."""

    def compare(self, v: Value, op: str, other: Any) -> None:
        if _modes.trace is not None:
            _modes.trace.compare(v, op, other)

    def convert(self, v: Value) -> None:
        if _modes.trace is not None:
            _modes.trace.convert(v)

    def detach(self, v: Value) -> Any:
        return _modes.trace.detach(v) if _modes.trace is not None else None


_TRACER = _Tracer()


def _hook(v: Value) -> None:
    modes = _modes
    if modes.trace is not None:  # compile's tracer decides what no_grad means to a trace
        modes.trace.record(v, modes.recording)
        return
    sites = modes.anomaly_sites
    # The anomaly check comes first: it describes the op and its inputs, which no_grad then drops.
    if sites is not None:
        sites[v] = _caller_site()
        if all(p in modes.literals for p in v.parents):  # (a leaf made here, not by Value(), is a literal)
            modes.literals.add(v)
        if modes.forward_checks and not math.isfinite(v.data) and _is_new(v.data, [p.data for p in v.parents]):
            raise AnomalyError(f"{_describe(v)}, produced {v.data!r} in the forward pass")
    if not modes.recording:
        v.op, v.parents = "", ()


def _is_new(x: float, inputs: list[float]) -> bool:
    """Whether the non-finite ``x`` starts here: a nan from inputs without one (``inf - inf``), an
    inf from finite inputs. Ops that only carry a nan or inf along are not where it began."""
    if math.isnan(x):
        return not any(map(math.isnan, inputs))
    return all(map(math.isfinite, inputs))


@contextlib.contextmanager
def _block() -> Iterator[None]:
    """Count an open mode block, so the hook is installed exactly while some thread needs it."""
    global _open
    with _lock:
        _open += 1
        HOOKS.node = _hook
    try:
        yield
    finally:
        with _lock:
            _open -= 1
            if _open == 0:
                HOOKS.node = HOOKS.tracer = None


def no_grad() -> contextlib.AbstractContextManager[None]:
    """Inside this block (in this thread) operations compute numbers but record no graph: results are leaves.

    >>> from autograd import Value
    >>> with no_grad():
    ...     y = Value(2.0) * 3
    >>> y.op, y.parents
    ('', ())
    """
    return _recording_set(False)


def enable_grad() -> contextlib.AbstractContextManager[None]:
    """Record the graph again inside a ``no_grad`` block (used for ``create_graph``)."""
    return _recording_set(True)


@contextlib.contextmanager
def _recording_set(on: bool) -> Iterator[None]:
    before = _modes.recording
    if on == before:  # nothing changes (enable_grad in every grad call, mostly): no hook needed
        yield
        return
    with _block():
        _modes.recording = on
        try:
            yield
        finally:
            _modes.recording = before


def anomaly_on() -> bool:
    """Whether ``detect_anomaly`` is on in this thread."""
    return _modes.anomaly_sites is not None


@contextlib.contextmanager
def detect_anomaly() -> Iterator[None]:
    """Raise ``AnomalyError`` at the first NaN or infinity, naming the op, its inputs and where it was made.

    Checks every new node in the forward pass and every gradient in the backward pass, in this
    thread. It slows the engine down and keeps every node made inside the block alive (with where
    it was made) until the block ends, so use it to hunt a NaN, not around a whole training run.

    >>> from autograd import Value
    >>> x = Value(1e308, label="x")
    >>> with detect_anomaly():
    ...     y = x * 10
    Traceback (most recent call last):
    ...
    autograd.errors.AnomalyError: * (inputs: x=1e+308, 10.0), created at <doctest ...>:2, produced inf in the forward pass
    """
    before = _modes.anomaly_sites
    with _block():
        _modes.anomaly_sites = {} if before is None else before
        try:
            yield
        finally:
            _modes.anomaly_sites = before
            if before is None:
                _modes.literals.clear()


@contextlib.contextmanager
def backward_pass() -> Iterator[None]:
    """Nodes made inside are parts of gradients: ``detect_anomaly`` checks them in ``check_backward``."""
    before = _modes.forward_checks
    _modes.forward_checks = False
    try:
        yield
    finally:
        _modes.forward_checks = before


def check_backward(v: Value, local: tuple[Any, ...]) -> None:
    """Called by backprop under ``detect_anomaly``: stop at the first non-finite gradient."""
    for p, d in zip(v.parents, local):
        if p in _modes.literals or (not p.parents and not p.label):  # nothing uses a number literal's gradient
            continue  # (the 2 of x ** 2 at x < 0 gets nan, as x ** y has no slope in y there)
        contribution = float(v.grad * d)
        if not math.isfinite(contribution) and math.isfinite(float(v.grad)):
            raise AnomalyError(
                f"{_describe(v)}: its local derivative for input {_name(p)} is {float(d)!r}, "
                f"so the gradient sent back is {contribution!r} in the backward pass"
            )


def _name(p: Value) -> str:
    return f"{p.label}={p.data!r}" if p.label else repr(p.data)


def _describe(v: Value) -> str:
    sites = _modes.anomaly_sites if _modes.anomaly_sites is not None else {}
    site = sites.get(v, "a place before detect_anomaly began")
    inputs = ", ".join(_name(p) for p in v.parents)
    return f"{v.op or 'leaf'} (inputs: {inputs}), created at {site}"


def _caller_site() -> str:
    frame: Any = sys._getframe(2)
    while frame is not None and os.path.dirname(os.path.abspath(frame.f_code.co_filename)) == _PACKAGE_DIR:
        frame = frame.f_back
    if frame is None:
        return "?"
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"
