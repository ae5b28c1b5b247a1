"""The replay page's HTML, style and script: one picture, one caption per step, and the changes
each step makes to the picture, applied by the page's own script.

The page loads nothing (no network, no script, style or font from elsewhere) and holds no web
address at all. Its Content-Security-Policy lets no script run but its own, named by hash; user
text is escaped everywhere, so this is a second wall, not the first.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from typing import Any

from .script import MIN_FIT_ZOOM, SCRIPT
from .style import LOCAL_COLOR

__all__ = ["KEYS", "MIN_FIT_ZOOM", "POLICY", "SCRIPT", "page", "script_data"]

STYLE = """
  html, body { height: 100%; margin: 0; }
  body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #212529;
         display: flex; flex-direction: column; }
  header { padding: 0.6rem 1rem 0.4rem; border-bottom: 1px solid #dee2e6; }
  h1 { font-size: 1.15rem; font-weight: 600; margin: 0 0 0.4rem; }
  .controls { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; }
  .controls input { flex: 1; min-width: 4rem; }
  .zoom { display: flex; align-items: center; gap: 0.3rem; margin-left: 0.5rem; }
  button { font: inherit; padding: 0.2rem 0.7rem; border-radius: 0.4rem; border: 1px solid #adb5bd;
           background: #f8f9fa; cursor: pointer; }
  button:disabled { color: #adb5bd; cursor: default; }
  #counter, #zoom-level { font-variant-numeric: tabular-nums; }
  #counter { min-width: 6.5rem; text-align: right; }
  #zoom-level { min-width: 3.2rem; text-align: center; }
  /* Every caption takes the same place, the hidden ones invisibly: the tallest sets the height,
     so the picture does not move from step to step. */
  #captions { min-height: 5.2rem; display: grid; }
  .caption { grid-area: 1 / 1; }
  .caption[hidden] { display: block; visibility: hidden; }
  .formula { font-size: 1.2rem; margin: 0.45rem 0 0.2rem; overflow-wrap: anywhere; }
  .local { color: LOCAL_COLOR; }
  .detail { color: #495057; margin: 0.2rem 0; }
  #viewport { flex: 1; overflow: auto; min-height: 6rem; background: #ffffff; }
  #viewport svg { display: block; margin: 0.5rem auto; }
  footer { padding: 0.3rem 1rem; border-top: 1px solid #dee2e6; color: #495057; font-size: 0.8rem; }
  .legend { display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; margin: 0; padding: 0; list-style: none; }
  .swatch { display: inline-block; width: 1.1em; height: 0.75em; border: 1px solid #868e96;
            vertical-align: baseline; margin-right: 0.3em; }
  .keys { color: #868e96; margin: 0.2rem 0 0; }
"""

#: The line beneath the legend.
KEYS = (
    "Keys: ← and → move one step, Home and End jump to the start and the end; + and − zoom, 0 shows the "
    "actual size. Scroll to move around the picture."
)


#: The page's Content-Security-Policy: nothing may load, and the only script that may run is ``SCRIPT``.
SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
POLICY = f"default-src 'none'; style-src 'unsafe-inline'; script-src '{SCRIPT_HASH}'; img-src data:"

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<header>
<h1>{title}</h1>
<nav class="controls">
  <button type="button" id="prev" disabled>&#9664; Previous</button>
  <input type="range" id="step" min="0" max="{last}" value="0" aria-label="step of the replay">
  <button type="button" id="next">Next &#9654;</button>
  <span id="counter">step 0 of {last}</span>
  <span class="zoom" role="group" aria-label="zoom">
    <button type="button" id="zoom-out" aria-label="zoom out">&minus;</button>
    <span id="zoom-level">100%</span>
    <button type="button" id="zoom-in" aria-label="zoom in">+</button>
    <button type="button" id="zoom-reset">Actual size</button>
    <button type="button" id="zoom-fit">Fit</button>
  </span>
</nav>
<section id="captions" aria-live="polite">
{captions}
</section>
</header>
<main id="viewport">
{svg}
</main>
<footer>
<ul class="legend" aria-label="legend">{legend}</ul>
<p class="keys">{keys}</p>
</footer>
<script type="application/json" id="replay-data">{data}</script>
<script>{script}</script>
</body>
</html>
"""


def page(
    title: str,
    svg: str,
    formulas: list[list[tuple[str, bool]]],
    details: list[str],
    legend: list[tuple[str, str]],
    data: dict[str, Any],
) -> str:
    """The whole page: ``svg`` (dot's picture, inline), a caption per frame (in pieces, the local
    derivatives marked to be drawn in the edges' colour), the legend's rows (colour, or ``""`` for a
    note; text), and ``data`` for the script.

    ``data`` holds ``frames`` (per frame: the node it completes or -1, and its cell changes),
    ``parents`` (each node's inputs), ``looks`` (each cell state's colours) and ``hot`` (the
    highlight's colour and line widths).
    """
    blocks = []
    for k, (pieces, detail) in enumerate(zip(formulas, details)):
        hidden = " hidden" if k else ""
        text = "".join(
            f'<span class="local">{html.escape(t)}</span>' if local else html.escape(t) for t, local in pieces
        )
        blocks.append(
            f'<div class="caption" data-step="{k}"{hidden}><p class="formula">{text}</p>'
            f'<p class="detail">{html.escape(detail)}</p></div>'
        )
    rows = []
    for color, text in legend:
        swatch = f'<span class="swatch" style="background: {html.escape(color)}"></span>' if color else ""
        rows.append(f"<li>{swatch}{html.escape(text)}</li>")
    return _PAGE.format(
        policy=POLICY,
        legend="".join(rows),
        title=html.escape(title),
        style=STYLE.replace("LOCAL_COLOR", LOCAL_COLOR),
        last=len(formulas) - 1,
        captions="\n".join(blocks),
        svg=svg,
        data=script_data(data),
        script=SCRIPT,
        keys=html.escape(KEYS),
    )


def script_data(data: dict[str, Any]) -> str:
    """``data`` as JSON that cannot end its ``<script>`` element: no ``<``, ``>`` or ``&`` appear.

    >>> script_data({"text": "</script><b>&"})
    '{"text":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
