"""Switches that change how nodes are made: ``no_grad`` and ``detect_anomaly``, each per thread;
and ``tracing``, under which ``autograd.compile`` refuses comparisons of Values.

A mode holds in the thread that turned it on and nowhere else, as in PyTorch. While any thread
has one on, ``value.node`` passes every new node to ``HOOKS.node``, which looks up the modes of the
thread that made it; with none on anywhere, the engine pays a single ``None`` check per node.
Tracing hooks the comparisons of ``Value`` instead (``HOOKS.compare``), not node creation.

This module sits below ``value.py`` (the node reads ``HOOKS``; nothing here imports the node), so
that ``backprop.py``, which ``Value.backward`` calls, can ask whether ``detect_anomaly`` is on.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import threading
from typing import Any, Iterator

from .errors import AnomalyError, TracingError

Value = Any  # a node of the graph (``value.Value``), read here only through its attributes


class _Hooks:
    """What ``value.py`` calls while a mode is on in some thread: on each new node, on each comparison."""

    __slots__ = ("node", "compare")

    def __init__(self) -> None:
        self.node: Any = None
        self.compare: Any = None


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
    #: While ``autograd.compile`` traces a function in this thread: its name, for the error.
    tracing: str | None = None

    def __init__(self) -> None:
        #: While ``detect_anomaly`` is on: the nodes made from number literals alone, like the 2 of
        #: ``x ** 2`` or, in a second-order pass, its ``2 - 1``. Their gradients reach no variable.
        self.literals: set[Value] = set()


_modes = _Modes()
_open = 0  # mode blocks open in all threads together; the hook is installed while there are any
_tracers = 0  # tracing blocks open in all threads together; the comparison hook likewise
_lock = threading.Lock()


@contextlib.contextmanager
def tracing(name: str) -> Iterator[None]:
    """Inside this block (in this thread) comparing a Value raises ``TracingError``, naming ``name``.

    >>> from autograd import Value
    >>> with tracing("f"):
    ...     Value(1.0, label="x") > 0
    Traceback (most recent call last):
    ...
    autograd.errors.TracingError: compile f: x > 0 compares a traced Value (x=1.0), ...
    """
    global _tracers
    before = _modes.tracing
    with _lock:
        _tracers += 1
        HOOKS.compare = _compare
    _modes.tracing = name
    try:
        yield
    finally:
        _modes.tracing = before
        with _lock:
            _tracers -= 1
            if _tracers == 0:
                HOOKS.compare = None


def _compare(v: Value, op: str, other: Any) -> None:
    name = _modes.tracing
    if name is None:  # another thread is tracing, not this one
        return
    left = v.label or "a Value"
    right = (other.label or "a Value") if hasattr(other, "parents") else repr(other)
    raise TracingError(
        f"compile {name}: {left} {op} {right} compares a traced Value ({_name(v)}), so a Python branch "
        "on it would be frozen at the side taken now and give wrong numbers on the other side. Write "
        "kinks with relu, abs or leaky_relu, or your own primitive (autograd.defop); or use the engine "
        "(autograd.grad, value_and_grad, .backward()), which follows the branch at every call"
    )


def _hook(v: Value) -> None:
    modes = _modes
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
                HOOKS.node = None


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
