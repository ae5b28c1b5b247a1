"""The backprop replay as one self-contained HTML page: inline SVG frames, buttons, a slider, arrow keys.

The page loads nothing: no network, no external script, style or font (its Content-Security-Policy
forbids them), so it works offline and can be mailed or attached to a course forum as one file.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from autograd import Value, write_atomically

from .render import DEFAULT_TIMEOUT, PathLike, graph_size, run_dot
from .replay import REPLAY_MAX_NODES, make_replay

_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)  # XML declaration, DOCTYPE, generator comment


def save_backprop_html(
    root: Value,
    path: PathLike,
    max_nodes: int = REPLAY_MAX_NODES,
    rankdir: str = "LR",
    title: str = "",
    max_edges: int | None = None,
    timeout: float = 2 * DEFAULT_TIMEOUT,
) -> Path:
    """Write the step-by-step replay of ``root``'s backward pass to one HTML file.

    Each frame of ``backprop_frames`` is drawn as inline SVG, with its chain-rule step as a
    caption (``∂J/∂b = ∂J/∂u · ∂u/∂b = 3 · 2 = 6``). Move with the Previous/Next buttons, the
    slider or the arrow keys.

    Args:
        root: the output Value.
        path: the file to write (``replay.html``).
        max_nodes: refuse graphs with more Values than this.
        rankdir: the direction of the drawing, as in ``draw_dot``.
        title: the page heading; by default it names the output.
        max_edges: refuse graphs whose arrows make more segments than this for Graphviz to lay
            out, as in ``draw_dot``; by default 40 per allowed node.
        timeout: seconds to let ``dot`` draw all the frames before stopping it.

    Returns:
        ``path`` as a ``Path``.

    Raises:
        GraphvizMissingError: ``dot`` is not installed; nothing is written.
        GraphTooLargeError: the graph has more than ``max_nodes`` Values, or its arrows more
            segments than ``max_edges``.
        GraphvizTimeoutError: ``dot`` took longer than ``timeout``; nothing is written.
        ValueError: ``path`` does not end in ``.html`` or ``.htm``.

    >>> import tempfile, pathlib
    >>> from autograd import Value
    >>> x = Value(3.0, label="x")
    >>> y = x * x; y.label = "y"
    >>> with tempfile.TemporaryDirectory() as d:
    ...     page = save_backprop_html(y, pathlib.Path(d) / "replay.html").read_text(encoding="utf-8")
    >>> "∂y/∂x = ∂y/∂y · ∂y/∂x + ∂y/∂y · ∂y/∂x = 1 · 3 + 1 · 3 = 6" in page
    True
    """
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        got = f"extension {path.suffix!r}" if path.suffix else "no extension"
        raise ValueError(
            f"save_backprop_html: the replay is an HTML page, so the file must end in .html or .htm; "
            f"{str(path)!r} has {got}. To draw the graph as a picture, use viz.render."
        )
    page = backprop_page(root, max_nodes, rankdir, title, max_edges, timeout, f"save_backprop_html to {str(path)!r}")
    write_atomically(path, page.encode("utf-8"), "save_backprop_html")
    return path


def backprop_page(
    root: Value,
    max_nodes: int = REPLAY_MAX_NODES,
    rankdir: str = "LR",
    title: str = "",
    max_edges: int | None = None,
    timeout: float = 2 * DEFAULT_TIMEOUT,
    operation: str = "backprop_page",
) -> str:
    """The page that ``save_backprop_html`` writes, as text; errors name ``operation``."""
    replay = make_replay(root, max_nodes, rankdir, max_edges, "save_backprop_html")
    # One run of dot for all frames: it reads several graphs and writes one SVG document per graph.
    source = "\n".join(f.source for f in replay.frames)
    instead = "The replay's pictures need dot; without it, viz.backprop_captions(root) gives its steps as text."
    output = run_dot(source, "svg", operation, timeout, graph_size(root), instead)
    svgs = [_PROLOGUE.sub("", part).strip() for part in output.decode("utf-8").split("</svg>")[:-1]]
    if len(svgs) != len(replay.frames):
        raise RuntimeError(f"save_backprop_html: dot returned {len(svgs)} pictures for {len(replay.frames)} frames")
    svgs = [svg + "</svg>" for svg in svgs]
    name = root.label or "the output"
    heading = title or f"Backpropagation, step by step: the gradient of {name}"
    sections = []
    for k, (svg, caption, detail) in enumerate(zip(svgs, replay.captions, replay.details)):
        hidden = " hidden" if k else ""
        sections.append(
            f'<figure class="frame" id="frame-{k}" data-step="{k}"{hidden}>\n'
            f'<div class="picture">{svg}</div>\n'
            f'<figcaption><p class="formula">{html.escape(caption)}</p>'
            f'<p class="detail">{html.escape(detail)}</p></figcaption>\n</figure>'
        )
    return _PAGE.format(title=html.escape(heading), last=len(svgs) - 1, frames="\n".join(sections))


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
      content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
  body {{ font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
         margin: 1.5rem auto; max-width: 72rem; padding: 0 1rem; color: #212529; }}
  h1 {{ font-size: 1.3rem; font-weight: 600; }}
  .controls {{ display: flex; align-items: center; gap: 0.75rem; margin: 1rem 0; }}
  .controls input {{ flex: 1; }}
  button {{ font: inherit; padding: 0.3rem 0.9rem; border-radius: 0.4rem; border: 1px solid #adb5bd;
           background: #f8f9fa; cursor: pointer; }}
  button:disabled {{ color: #adb5bd; cursor: default; }}
  #counter {{ font-variant-numeric: tabular-nums; min-width: 8rem; text-align: right; }}
  .frame {{ margin: 0; }}
  .picture svg {{ max-width: 100%; height: auto; display: block; margin: 0 auto; }}
  figcaption {{ border-top: 1px solid #dee2e6; margin-top: 0.5rem; padding-top: 0.5rem; }}
  .formula {{ font-size: 1.25rem; margin: 0.3rem 0; }}
  .detail {{ color: #495057; margin: 0.3rem 0; }}
  .keys {{ color: #868e96; font-size: 0.85rem; }}
</style>
</head>
<body>
<h1>{title}</h1>
<nav class="controls">
  <button type="button" id="prev" disabled>&#9664; Previous</button>
  <input type="range" id="step" min="0" max="{last}" value="0" aria-label="step of the replay">
  <button type="button" id="next">Next &#9654;</button>
  <span id="counter">step 0 of {last}</span>
</nav>
<main>
{frames}
</main>
<p class="keys">Keys: &larr; and &rarr; move one step, Home and End jump to the start and the end.</p>
<script>
"use strict";
(function () {{
  const frames = document.querySelectorAll(".frame");
  const slider = document.getElementById("step");
  const prev = document.getElementById("prev");
  const next = document.getElementById("next");
  const counter = document.getElementById("counter");
  const last = frames.length - 1;
  let current = 0;
  function show(step) {{
    step = Math.max(0, Math.min(last, step));
    frames[current].hidden = true;
    frames[step].hidden = false;
    current = step;
    slider.value = String(step);
    prev.disabled = step === 0;
    next.disabled = step === last;
    counter.textContent = "step " + step + " of " + last;
    document.body.dataset.step = String(step);
  }}
  prev.addEventListener("click", function () {{ show(current - 1); }});
  next.addEventListener("click", function () {{ show(current + 1); }});
  slider.addEventListener("input", function () {{ show(Number(slider.value)); }});
  document.addEventListener("keydown", function (event) {{
    if (event.target === slider) return;  // the slider moves itself with the arrow keys
    const moves = {{ ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: last }};
    if (event.key in moves) {{ event.preventDefault(); show(moves[event.key]); }}
  }});
  show(0);
}})();
</script>
</body>
</html>
"""
