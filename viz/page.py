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

STYLE = """
  html, body { height: 100%; margin: 0; }
  body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #212529;
         display: flex; flex-direction: column; }
  header { padding: 0.6rem 1rem 0.4rem; border-bottom: 1px solid #dee2e6; }
  h1 { font-size: 1.15rem; font-weight: 600; margin: 0 0 0.4rem; }
  .controls { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; }
  .controls input { flex: 1; min-width: 8rem; }
  .zoom { display: flex; align-items: center; gap: 0.3rem; margin-left: 0.5rem; }
  button { font: inherit; padding: 0.2rem 0.7rem; border-radius: 0.4rem; border: 1px solid #adb5bd;
           background: #f8f9fa; cursor: pointer; }
  button:disabled { color: #adb5bd; cursor: default; }
  #counter, #zoom-level { font-variant-numeric: tabular-nums; }
  #counter { min-width: 7.5rem; text-align: right; }
  #zoom-level { min-width: 3.2rem; text-align: center; }
  #captions { min-height: 5.2rem; }
  .formula { font-size: 1.2rem; margin: 0.45rem 0 0.2rem; overflow-wrap: anywhere; }
  .detail { color: #495057; margin: 0.2rem 0; }
  #viewport { flex: 1; overflow: auto; min-height: 10rem; background: #ffffff; }
  #viewport svg { display: block; margin: 0.5rem auto; }
  footer { padding: 0.3rem 1rem; border-top: 1px solid #dee2e6; color: #495057; font-size: 0.8rem; }
  .legend { display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; margin: 0; padding: 0; list-style: none; }
  .swatch { display: inline-block; width: 1.1em; height: 0.75em; border: 1px solid #868e96;
            vertical-align: baseline; margin-right: 0.3em; }
  .keys { color: #868e96; margin: 0.2rem 0 0; }
"""

SCRIPT = """
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("replay-data").textContent);
  const frames = data.frames, parents = data.parents, looks = data.looks, hot = data.hot;
  const last = frames.length - 1;
  const captions = document.querySelectorAll("#captions .caption");
  const slider = document.getElementById("step");
  const prev = document.getElementById("prev");
  const next = document.getElementById("next");
  const counter = document.getElementById("counter");
  const viewport = document.getElementById("viewport");
  const svg = viewport.querySelector("svg");
  const natural = [svg.width.baseVal.value, svg.height.baseVal.value];
  const byId = function (id) { return document.getElementById(id); };

  // Each Value's grad cell: its text (centred, as its content changes) and its background.
  const cells = parents.map(function (_, i) {
    const group = byId("n" + i);
    const texts = group.getElementsByTagName("text");
    const backs = group.getElementsByTagName("polygon");
    const text = texts[texts.length - 1], back = backs[backs.length - 1];
    const xs = back.getAttribute("points").trim().split(/\\s+/).map(function (p) { return Number(p.split(",")[0]); });
    text.setAttribute("text-anchor", "middle");
    text.setAttribute("x", String((Math.min.apply(null, xs) + Math.max.apply(null, xs)) / 2));
    return { text: text, back: back, fill: back.getAttribute("fill") };
  });
  function paint(change) {
    const cell = cells[change[0]], look = looks[change[2]];
    cell.text.textContent = change[1];
    cell.text.setAttribute("data-state", change[2]);
    cell.back.setAttribute("fill", look[0] || cell.fill);
    cell.text.setAttribute("fill", look[1]);
    cell.text.setAttribute("font-weight", look[2] ? "bold" : "normal");
    cell.text.setAttribute("font-style", look[3] ? "italic" : "normal");
  }

  // The step's node, its operation and the edges its gradient flows back along, in orange.
  const saved = new Map();
  function set(element, name, value) {
    if (!element) return;
    if (!saved.has(element)) saved.set(element, {});
    const old = saved.get(element);
    if (!(name in old)) old[name] = element.getAttribute(name);
    element.setAttribute(name, value);
  }
  function unlight() {
    saved.forEach(function (old, element) {
      Object.keys(old).forEach(function (name) {
        if (old[name] === null) element.removeAttribute(name); else element.setAttribute(name, old[name]);
      });
    });
    saved.clear();
  }
  function outline(group, width) {
    const shape = group && group.querySelector("path, ellipse, polygon");
    set(shape, "stroke", hot[0]);
    set(shape, "stroke-width", width);
  }
  function light(i) {
    outline(byId("n" + i), hot[1]);
    outline(byId("op" + i), hot[2]);
    const edges = parents[i].map(function (_, k) { return byId("e" + i + "_" + k); }).concat([byId("e" + i + "_out")]);
    edges.forEach(function (edge) {
      if (!edge) return;
      edge.querySelectorAll("path").forEach(function (p) { set(p, "stroke", hot[0]); set(p, "stroke-width", hot[2]); });
      edge.querySelectorAll("polygon").forEach(function (p) { set(p, "stroke", hot[0]); set(p, "fill", hot[0]); });
      edge.querySelectorAll("text").forEach(function (t) { set(t, "fill", hot[0]); });
    });
  }

  // Scroll the step's nodes into view: the node, its operation and the inputs it sends gradient to.
  function reveal(i) {
    if (i < 0) return;
    const ids = ["n" + i, "op" + i].concat(parents[i].map(function (p) { return "n" + p; }));
    const view = viewport.getBoundingClientRect();
    let box = null;
    ids.forEach(function (id, k) {
      const element = byId(id);
      if (!element) return;
      const r = element.getBoundingClientRect();
      const wider = box && { left: Math.min(box.left, r.left), top: Math.min(box.top, r.top),
                             right: Math.max(box.right, r.right), bottom: Math.max(box.bottom, r.bottom) };
      const fits = wider && wider.right - wider.left <= viewport.clientWidth && wider.bottom - wider.top <= viewport.clientHeight;
      if (k === 0) box = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      else if (fits) box = wider;
    });
    if (!box) return;
    const inside = box.left >= view.left && box.top >= view.top &&
      box.right <= view.left + viewport.clientWidth && box.bottom <= view.top + viewport.clientHeight;
    if (inside) return;
    viewport.scrollLeft += (box.left + box.right - viewport.clientWidth) / 2 - view.left;
    viewport.scrollTop += (box.top + box.bottom - viewport.clientHeight) / 2 - view.top;
  }

  let current = 0, painted = -1, scale = 1;
  function show(step) {
    step = Math.max(0, Math.min(last, step));
    let from = painted + 1;
    if (step < painted) from = 0;
    for (let k = from; k <= step; k++) frames[k][1].forEach(paint);
    painted = step;
    unlight();
    if (frames[step][0] >= 0) light(frames[step][0]);
    captions[current].hidden = true;
    captions[step].hidden = false;
    current = step;
    slider.value = String(step);
    prev.disabled = step === 0;
    next.disabled = step === last;
    counter.textContent = "step " + step + " of " + last;
    document.body.dataset.step = String(step);
    reveal(frames[step][0]);
  }
  function zoom(to) {
    scale = Math.max(0.1, Math.min(4, to));
    svg.style.width = natural[0] * scale + "px";
    svg.style.height = natural[1] * scale + "px";
    byId("zoom-level").textContent = Math.round(scale * 100) + "%";
    reveal(frames[current][0]);
  }
  function fit() {
    zoom(Math.min(1, (viewport.clientWidth - 16) / natural[0], (viewport.clientHeight - 16) / natural[1]));
  }

  prev.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  slider.addEventListener("input", function () { show(Number(slider.value)); });
  byId("zoom-in").addEventListener("click", function () { zoom(scale * 1.25); });
  byId("zoom-out").addEventListener("click", function () { zoom(scale / 1.25); });
  byId("zoom-reset").addEventListener("click", function () { zoom(1); });
  byId("zoom-fit").addEventListener("click", fit);
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;  // the browser's own zoom and shortcuts
    const moves = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: last };
    const zooms = { "+": scale * 1.25, "=": scale * 1.25, "-": scale / 1.25, "0": 1 };
    if (event.key in moves && event.target !== slider) {  // the slider moves itself with these keys
      event.preventDefault();
      show(moves[event.key]);
    } else if (event.key in zooms) {
      event.preventDefault();
      zoom(zooms[event.key]);
    }
  });
  // At first, shrink a picture a little to fit the width if that keeps its text readable (11 pt
  // at 80% is 11.7 CSS pixels); one that would need more shrinking is shown at its actual size.
  const across = (viewport.clientWidth - 16) / natural[0];
  zoom(across >= 0.8 && across < 1 ? across : 1);
  show(0);
})();
"""

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
<p class="keys">Keys: &larr; and &rarr; move one step, Home and End jump to the start and the end; + and &minus; zoom, 0 shows the actual size. Scroll to move around the picture.</p>
</footer>
<script type="application/json" id="replay-data">{data}</script>
<script>{script}</script>
</body>
</html>
"""


def page(
    title: str, svg: str, captions: list[str], details: list[str], legend: list[tuple[str, str]], data: dict[str, Any]
) -> str:
    """The whole page: ``svg`` (dot's picture, inline), a caption per frame, the legend's rows
    (colour, or ``""`` for a note; text), and ``data`` for the script.

    ``data`` holds ``frames`` (per frame: the node it completes or -1, and its cell changes),
    ``parents`` (each node's inputs), ``looks`` (each cell state's colours) and ``hot`` (the
    highlight's colour and line widths).
    """
    blocks = []
    for k, (caption, detail) in enumerate(zip(captions, details)):
        hidden = " hidden" if k else ""
        blocks.append(
            f'<div class="caption" data-step="{k}"{hidden}><p class="formula">{html.escape(caption)}</p>'
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
        style=STYLE,
        last=len(captions) - 1,
        captions="\n".join(blocks),
        svg=svg,
        data=script_data(data),
        script=SCRIPT,
    )


def script_data(data: dict[str, Any]) -> str:
    """``data`` as JSON that cannot end its ``<script>`` element: no ``<``, ``>`` or ``&`` appear.

    >>> script_data({"text": "</script><b>&"})
    '{"text":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
