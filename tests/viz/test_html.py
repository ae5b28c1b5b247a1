"""viz/html.py: save_backprop_html's page as a file (one picture, a caption per step, the changes
each step makes; self-contained; labels that dot cannot take), and in a real headless Chromium (it
loads cleanly, the controls move between frames, zoom, and the logistic loss stays readable)."""

from __future__ import annotations

import html
import json
import re
import time

import numpy as np
import pytest

import autograd
import viz
from autograd import Value
from autograd.extend import topological_order
from viz.frames import make_replay
from viz.replay import REPLAY_MAX_NODES

from .conftest import Image
from .viz_course import course_graph

try:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
except ImportError:  # the browser fixture skips, saying so
    By = Keys = None  # type: ignore[assignment]

LOGISTIC = "-(y*log(sigmoid(w*x+b)) + (1-y)*log(1-sigmoid(w*x+b)))"


def svg_of(page: str) -> str:
    return page[page.index("<svg") : page.index("</svg>") + len("</svg>")]


def picture_of(page: str, read_svg):
    """The page's picture read as SVG: the namespaces it needs as a file, which HTML does without."""
    namespaces = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
    return read_svg(namespaces + svg_of(page)[len("<svg") :])


def data_of(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="replay-data">(.*?)</script>', page).group(1))


def test_page_has_one_picture_and_a_caption_per_frame(course, tmp_path, dot_program):
    page = viz.save_backprop_html(course.J, tmp_path / "replay.html").read_text(encoding="utf-8")
    assert page.count("<svg") == page.count("</svg>") == 1
    captions = re.findall(r'<div class="caption" data-step="(\d+)"( hidden)?>', page)
    assert [int(k) for k, _ in captions] == list(range(7))  # the forward pass and 6 steps
    assert [hidden for _, hidden in captions] == [""] + [" hidden"] * 6  # only the forward pass shows at first
    formulas = [html.unescape(re.sub("<[^>]+>", "", f)) for f in re.findall(r'<p class="formula">(.*?)</p>', page)]
    assert formulas == viz.backprop_captions(course.J)
    assert "∂J/∂b = ∂J/∂u · (local) ∂u/∂b = 3 · 2 = 6" in formulas
    assert '∂J/∂u · <span class="local">(local) ∂u/∂b</span> = 3 · <span class="local">2</span> = 6' in page
    assert 'max="6"' in page and "step 0 of 6" in page
    data = data_of(page)
    assert len(data["frames"]) == 7 and data["frames"][0][0] == -1  # frame 0 completes nothing
    assert [frame[0] for frame in data["frames"][1:]] == [6, 5, 1, 4, 2, 3]  # J, v, a, u, b, c; never the 3


def test_page_is_self_contained_and_holds_no_web_address(course, tmp_path, dot_program):
    page = viz.save_backprop_html(course.J, tmp_path / "replay.html").read_text(encoding="utf-8")
    assert "<?xml" not in page and "<!DOCTYPE svg" not in page  # the SVG inlined without its prologue
    for loader in ("<link", " src=", "@import", "url(", "@font-face", "<iframe", "fetch(", "href="):
        assert loader not in page, loader
    assert "http://" not in page and "https://" not in page  # not even the SVG namespace names
    assert "default-src 'none'" in page  # and the page's policy forbids loading anything anyway


def test_hovering_a_box_gives_its_whole_label(tmp_path, dot_program, read_svg):
    J = autograd.parse(LOGISTIC, w=0.5, x=2, b=0, y=1)
    page = viz.save_backprop_html(J, tmp_path / "replay.html").read_text(encoding="utf-8")
    titles = re.findall(r"<title>([^<]*)</title>", svg_of(page))
    assert "log1 = log(sigmoid(w*x + b)): data = -0.3132616875182228" in titles
    assert "n3" not in titles and "%3" not in titles  # dot's own node and graph names say nothing


def test_user_text_is_escaped_in_captions_and_pictures(tmp_path, dot_program, read_svg):
    tricky = "<script>alert(1)</script>"
    x = Value(2.0, label=tricky)
    y = x * 3
    y.label = '{x|y}"&'
    page = viz.save_backprop_html(y, tmp_path / "replay.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page
    out = '∂({x|y}"&)'
    local = f'<span class="local">{html.escape(f"(local) {out}/∂({tricky})")}</span>'
    assert html.escape(f"{out}/∂({tricky}) = {out}/{out} · ") + local in page
    picture = picture_of(page, read_svg)
    assert tricky in picture.texts and '{x|y}"&' in picture.texts


def test_a_label_with_line_breaks_cannot_inject_dot(tmp_path, dot_program, read_svg):
    """Each frame's caption is its DOT comment, one "//" line: a label's newline must not end it."""
    payload = 'a\ndigraph{x[URL="javascript:alert(1)"]}'
    x = Value(2.0, label=payload)
    y = x * Value(-3.0, label="b")
    for frame in viz.backprop_frames(y):
        assert frame.source.startswith("// ") and frame.source.splitlines()[1] == "digraph {"  # a one-line comment
    page = viz.save_backprop_html(y, tmp_path / "replay.html").read_text(encoding="utf-8")
    assert not re.search(r"href=\"\s*javascript:", page)  # the text may show, never as a link
    assert 'digraph{x[URL="javascript:a…' in picture_of(page, read_svg).texts  # the label's second line, cut


@pytest.mark.parametrize(
    "label, shown",
    [("a\x00b", "a\ufffdb"), ("a\ud800b", "a\ufffdb"), ("x" * 100_000, "x" * 29 + "…")],
    ids=["NUL", "lone surrogate", "100 KB"],
)
def test_labels_dot_cannot_take_are_drawn_as_render_draws_them(label, shown, tmp_path, dot_program, read_svg):
    x = Value(2.0, label=label)
    y = x * 3
    y.label = "y"
    page = viz.save_backprop_html(y, tmp_path / "replay.html").read_text(encoding="utf-8")
    assert shown in picture_of(page, read_svg).texts
    assert f'∂y/∂({shown}) = ∂y/∂y · <span class="local">(local) ∂y/∂({shown})</span> = 1 · ' in page
    assert len(page) < 60_000  # a 100 KB label is not copied into the page
    assert shown in read_svg(viz.render(x * 3, tmp_path / "render.svg").read_text(encoding="utf-8")).texts


def test_title_defaults_to_the_output_and_can_be_given(course, tmp_path, dot_program):
    page = viz.save_backprop_html(course.J, tmp_path / "a.html").read_text(encoding="utf-8")
    assert "<title>Backpropagation, step by step: the gradient of J</title>" in page
    page = viz.save_backprop_html(course.J, tmp_path / "b.html", title="J = 3(a + bc) & friends").read_text(
        encoding="utf-8"
    )
    assert "<h1>J = 3(a + bc) &amp; friends</h1>" in page


def chain(nodes: int) -> Value:
    """(x·w + 1), tanh of that, ...: about ``nodes`` Values, an MLP-like chain of 4 or 5 per step."""
    x = Value(0.5, label="x")
    k = 0
    while len(topological_order(x)) + 5 <= nodes:
        x = (x * Value(0.9, label=f"w{k}") + 1).tanh()
        k += 1
    x.label = "J"
    return x


@pytest.mark.slow
def test_the_page_grows_linearly_with_the_graph(tmp_path, dot_program):
    sizes, seconds = {}, {}
    for nodes in (100, 300, REPLAY_MAX_NODES):
        root = chain(nodes)
        start = time.perf_counter()
        path = viz.save_backprop_html(root, tmp_path / f"r{nodes}.html")
        seconds[nodes] = time.perf_counter() - start
        sizes[nodes] = path.stat().st_size
    # a whole picture per frame made 19 MB at 100 nodes and 172 MB at 300; now a few KB per node
    assert sizes[300] < 2_000_000 and sizes[REPLAY_MAX_NODES] < 3_000_000
    assert sizes[300] / sizes[100] < 3.6 and sizes[REPLAY_MAX_NODES] / sizes[100] < 6
    assert seconds[REPLAY_MAX_NODES] < 30  # about 1 s on a laptop; generous for a busy test machine


def test_a_graph_over_the_limit_is_refused_before_dot_runs(tmp_path, monkeypatch):
    root = chain(REPLAY_MAX_NODES + 5)
    nodes = len(topological_order(root))
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot: the refusal comes first
    start = time.perf_counter()
    with pytest.raises(
        viz.GraphTooLargeError, match=f"save_backprop_html: the graph has {nodes} nodes, more than max_nodes=500"
    ):
        viz.save_backprop_html(root, tmp_path / "replay.html")
    assert time.perf_counter() - start < 1 and not (tmp_path / "replay.html").exists()


@pytest.mark.parametrize(
    "make", [viz.backprop_page, viz.replay, lambda J, title: viz.save_backprop_html(J, "p.html", title=title)]
)
def test_a_title_that_is_not_text_is_refused_by_name(make, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TypeError, match=r": title must be a str, got list \['J'\]"):
        make(course_graph().J, title=["J"])
    assert list(tmp_path.iterdir()) == []


# The page in a real browser


CAPTIONS = viz.backprop_captions(course_graph().J)

HOT_RGB = (0xE8, 0x59, 0x0C)


def open_page(browser, path):
    browser.get(path.as_uri())
    return browser


@pytest.fixture(scope="module")
def page(browser, tmp_path_factory):
    path = viz.save_backprop_html(course_graph().J, tmp_path_factory.mktemp("replay") / "replay.html")
    return open_page(browser, path)


def caption(driver) -> str:
    (formula,) = [f for f in driver.find_elements(By.CSS_SELECTOR, ".formula") if f.is_displayed()]
    return formula.text


def step(driver) -> int:
    return int(driver.find_element(By.TAG_NAME, "body").get_attribute("data-step"))


def problems(driver) -> list[dict]:
    return [entry for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]


@pytest.mark.slow
def test_page_loads_without_console_errors_or_downloads(page):
    assert page.title == "Backpropagation, step by step: the gradient of J"
    assert step(page) == 0 and caption(page) == "Forward pass: J = 33"
    assert page.find_element(By.ID, "counter").text == "step 0 of 6"
    assert not page.find_element(By.ID, "prev").is_enabled()
    assert page.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert problems(page) == []


@pytest.mark.slow
def test_buttons_slider_and_arrow_keys_move_between_frames(page, tmp_path):
    next_button, prev_button = page.find_element(By.ID, "next"), page.find_element(By.ID, "prev")
    for k in range(1, 6):
        next_button.click()
        assert step(page) == k and caption(page) == CAPTIONS[k]
    assert caption(page) == "∂J/∂b = ∂J/∂u · (local) ∂u/∂b = 3 · 2 = 6"
    assert page.find_element(By.ID, "counter").text == "step 5 of 6"
    assert page.find_element(By.ID, "step").get_attribute("value") == "5"

    screenshot = tmp_path / "replay-step-5.png"
    assert page.save_screenshot(str(screenshot))
    _assert_highlight_is_visible(screenshot)

    prev_button.click()
    assert step(page) == 4
    body = page.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.ARROW_RIGHT)
    assert step(page) == 5
    body.send_keys(Keys.END)
    assert step(page) == 6 and caption(page) == CAPTIONS[6]
    assert not next_button.is_enabled()
    next_button.click()  # disabled: nothing happens
    assert step(page) == 6
    body.send_keys(Keys.HOME)
    assert step(page) == 0 and not prev_button.is_enabled()

    slider = page.find_element(By.ID, "step")
    slider.send_keys(Keys.ARROW_RIGHT)  # the slider's own keyboard handling fires its input event
    assert step(page) == 1 and caption(page) == "∂J/∂J = 1"
    assert problems(page) == []


def _assert_highlight_is_visible(screenshot) -> None:
    """The orange outline of the node just completed is on screen, not only in the markup."""
    with Image.open(screenshot) as image:
        pixels = np.asarray(image.convert("RGB"), dtype=int)
    assert pixels.shape[1] == 1280 and pixels.shape[0] > 500
    near_hot = np.all(np.abs(pixels - np.array(HOT_RGB)) < 40, axis=-1).sum()
    assert near_hot > 100


@pytest.mark.slow
def test_zoom_buttons_and_keys(page):
    svg_width = "return document.querySelector('#viewport svg').getBoundingClientRect().width"
    page.find_element(By.ID, "zoom-reset").click()
    actual = page.execute_script(svg_width)
    assert page.find_element(By.ID, "zoom-level").text == "100%"
    page.find_element(By.ID, "zoom-in").click()
    assert page.execute_script(svg_width) == pytest.approx(1.25 * actual, rel=0.01)
    body = page.find_element(By.TAG_NAME, "body")
    body.send_keys("-")
    body.send_keys("-")
    assert page.execute_script(svg_width) == pytest.approx(actual / 1.25, rel=0.01)
    assert page.find_element(By.ID, "zoom-level").text == "80%"
    body.send_keys("0")
    assert page.execute_script(svg_width) == pytest.approx(actual, rel=0.01)
    page.find_element(By.ID, "zoom-fit").click()
    fitted = page.execute_script(svg_width)
    assert fitted <= page.execute_script("return document.getElementById('viewport').clientWidth")


@pytest.mark.slow
def test_no_other_inline_script_can_run(tmp_path, browser, course):
    """The policy names the page's own script by its hash: a script slipped into the page is refused."""
    page = viz.backprop_page(course.J)
    slipped = page.replace("<main", '<script>document.title = "pwned";</script><main', 1)
    path = tmp_path / "slipped.html"
    path.write_text(slipped, encoding="utf-8")
    browser.get(path.as_uri())
    assert browser.title != "pwned"
    assert any("Content Security Policy" in entry["message"] for entry in browser.get_log("browser"))
    browser.find_element(By.ID, "next").click()
    assert step(browser) == 1  # the page's own script still runs


def complete_in_picture(driver) -> set[str]:
    """Names whose box shows a final gradient: no "?" and no "so far"; constants (grey) aside."""
    return set(
        driver.execute_script(
            """
            const done = [];
            document.querySelectorAll("#viewport g.node[id^='n']").forEach(function (g) {
              const texts = g.querySelectorAll("text");
              const grad = texts[texts.length - 1];
              if (grad.getAttribute("data-state") === "constant") return;
              if (/^grad -?[0-9.e-]+$/.test(grad.textContent)) done.push(texts[0].textContent);
            });
            return done;
            """
        )
    )


@pytest.mark.slow
def test_logistic_loss_replay_is_readable_and_in_step_with_its_captions(browser, tmp_path):
    J = autograd.parse(LOGISTIC, w=0.5, x=2, b=0, y=1)
    path = viz.save_backprop_html(J, tmp_path / "logistic.html")
    browser.get(path.as_uri())
    captions = viz.backprop_captions(J)
    assert browser.execute_script("return window.innerWidth") == 1280
    replay = make_replay(J, 100, "auto")
    names, parents = replay.model.names, replay.model.parents
    for k in range(len(captions)):
        if k:
            browser.find_element(By.ID, "next").click()
        assert step(browser) == k and caption(browser) == captions[k]
        # final as soon as every use has sent its share (or its own step has come): never "so far"
        sent = set(replay.steps[:k])
        completed = {
            names[i]
            for i in range(len(names))
            if replay.model.roles[i] != "constant"
            and (
                i in sent
                or (any(i in ps for ps in parents) and all(c in sent for c, ps in enumerate(parents) if i in ps))
            )
        }
        assert complete_in_picture(browser) == completed, k
        heights = browser.execute_script(
            "return Array.from(document.querySelectorAll('#viewport g.node text'),"
            " t => t.getBoundingClientRect().height)"
        )
        assert len(heights) > 40 and min(heights) >= 10, k  # node text at least 10 CSS pixels tall
        current = browser.execute_script(
            "const r = document.getElementById('viewport').getBoundingClientRect();"
            "const n = document.querySelector('#viewport g.node path[stroke-width=\"3\"]');"
            "if (!n) return null; const b = n.getBoundingClientRect();"
            "return b.top >= r.top && b.bottom <= r.bottom && b.left >= r.left && b.right <= r.right;"
        )
        assert current in (None, True), k  # the step's node is scrolled into view
    assert (
        browser.execute_script("return document.querySelector('#viewport svg').getBoundingClientRect().width") <= 1600
    )
    assert problems(browser) == []
