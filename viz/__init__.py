"""Pictures of computation graphs, and a step-by-step replay of backpropagation.

- ``draw_dot(root)``: the graph as a ``graphviz.Digraph`` (Jupyter shows it inline).
- ``render(root, "J.svg")``: the same picture in a file (.svg, .png, .pdf or .dot).
- ``replay(root)`` (shown inline by Jupyter), ``save_backprop_html(root, "replay.html")`` and
  ``backprop_frames(root)``: the backward pass, one node at a time, with the chain-rule step of
  each frame in numbers (``backprop_captions(root)``).

>>> from autograd import Value
>>> import viz
>>> x = Value(2.0, label="x")
>>> y = x * x; y.label = "y"
>>> y.backward()
>>> "grad 4" in viz.draw_dot(y).source
True
"""

from __future__ import annotations

from .draw import draw_dot
from .errors import GraphTooLargeError, GraphTooTangledError, GraphvizMissingError, GraphvizTimeoutError
from .frames import backprop_frames
from .html import backprop_page, save_backprop_html
from .notebook import ReplayPage, replay  # last: the function viz.replay, not the module viz/replay.py
from .render import render, render_data
from .replay import backprop_captions

__all__ = [
    "GraphTooLargeError",
    "GraphTooTangledError",
    "GraphvizMissingError",
    "GraphvizTimeoutError",
    "ReplayPage",
    "backprop_captions",
    "backprop_page",
    "backprop_frames",
    "draw_dot",
    "render",
    "render_data",
    "replay",
    "save_backprop_html",
]
