"""The replay page's script: it applies each step's changes to the one picture, moves between
steps, zooms, and at first fits the picture to its window as far as its text stays readable.

It runs inside the page only, named by its hash in the page's Content-Security-Policy (``page.py``).
"""

from __future__ import annotations

from .style import MIN_READABLE_SCALE

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
      zoomed = true;
      zoom(zooms[event.key]);
    }
  });
  // Until the reader zooms, show the picture whole if that keeps its text readable (11 pt at
  // MIN_FIT_ZOOM is 10 CSS pixels or more), else as much of its width as that allows; again
  // whenever the page (a notebook cell's frame) changes size, and when it comes into view:
  // JupyterLab may run this while the cell is off screen, zero pixels wide, and give the frame
  // its width later without a resize event.
  let zoomed = false;
  function first() {
    if (zoomed || !viewport.clientWidth) return;
    const across = (viewport.clientWidth - 16) / natural[0], down = (viewport.clientHeight - 16) / natural[1];
    const whole = Math.min(1, across, down);
    zoom(whole >= MIN_FIT_ZOOM ? whole : Math.max(MIN_FIT_ZOOM, Math.min(1, across)));
  }
  ["zoom-in", "zoom-out", "zoom-reset", "zoom-fit"].forEach(function (id) {
    byId(id).addEventListener("click", function () { zoomed = true; });
  });
  new ResizeObserver(first).observe(document.documentElement);
  new IntersectionObserver(function (entries) {
    if (entries.some(function (entry) { return entry.isIntersecting; })) first();
  }).observe(viewport);
  window.addEventListener("load", first);
  first();
  show(0);
})();
"""

#: The smallest zoom at which the page first shows its picture (``style.MIN_READABLE_SCALE``).
MIN_FIT_ZOOM = MIN_READABLE_SCALE
SCRIPT = SCRIPT.replace("MIN_FIT_ZOOM", repr(MIN_FIT_ZOOM))
