"""Checks of derivatives: ``gradcheck`` (the engine against central differences, ``gradcheck.py``)
and ``check_derivatives`` (your hand-derived formulas against both, ``hand_derived.py``, whose
arguments ``hand_arguments.py`` reads, and which asks ``graph_leaks.py`` where ``f`` left the graph)."""

from __future__ import annotations

from .gradcheck import gradcheck, gradcheck_report
from .hand_derived import check_derivatives, check_derivatives_report

__all__ = ["check_derivatives", "check_derivatives_report", "gradcheck", "gradcheck_report"]
