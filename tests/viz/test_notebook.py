"""viz/notebook.py: viz.replay, the replay page as an object Jupyter shows inline: a sandboxed
iframe holding the whole page, no web address in it, and save() as save_backprop_html writes."""

from __future__ import annotations

import base64
import html
import io
import os
import re

import pytest

import viz
from viz.notebook import MAX_PICTURE_HEIGHT

from .conftest import Image

try:
    from selenium.webdriver.common.by import By
except ImportError:  # the browser fixture skips, saying so
    By = None  # type: ignore[assignment]


def test_repr_html_is_a_sandboxed_iframe_holding_the_whole_page(course, dot_program):
    page = viz.replay(course.J)
    frame = page._repr_html_()
    match = re.search(
        r'<iframe srcdoc="([^"]*)" sandbox="allow-scripts" title="([^"]*)" style="([^"]*)"></iframe>', frame
    )
    assert match, frame[:200]
    assert html.unescape(match.group(1)) == page.html == viz.backprop_page(course.J)
    assert "allow-same-origin" not in frame  # its script cannot reach the notebook
    assert "http://" not in frame and "https://" not in frame
    assert f"height: {page.height}px" in match.group(3) and "width: 100%" in match.group(3)
    assert match.group(2) == "Backpropagation, step by step: the gradient of J"


def test_an_untrusted_notebook_shows_the_last_step_as_a_picture_and_says_to_run_the_cell(course, dot_program):
    """JupyterLab shows an untrusted notebook's HTML without iframes and styles: what is left is
    the picture of the last step and the line beneath it, which the output's style hides otherwise."""
    page = viz.replay(course.J)
    png = page._repr_png_()
    assert png.startswith(b"\x89PNG") and png == page._repr_png_()  # drawn once
    frame = page._repr_html_()
    assert "<style>.chainrule-replay-static { display: none; }</style>" in frame
    untrusted = re.sub(r"<style>.*?</style>|<iframe .*?</iframe>", "", frame)
    (picture,) = re.findall(r'<img src="data:image/png;base64,([^"]+)"', untrusted)
    assert base64.b64decode(picture) == png
    assert "Run this cell to step through backpropagation" in untrusted
    assert "run the cell in Jupyter to step through" in repr(page)  # what a plain-text viewer shows
    last = viz.backprop_frames(course.J)[-1]
    assert last.comment == "∂J/∂c = ∂J/∂u · (local) ∂u/∂c = 3 · 3 = 9"  # the step the picture shows
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == Image.open(io.BytesIO(last.pipe(format="png"))).size
        width, height = image.size
    # as wide as the cell, up to its own size, but its text no smaller than the replay's: the cell scrolls
    size = (
        f'width="{width}" height="{height}" style="max-width: 100%; min-width: {round(width * 0.7)}px; height: auto;"'
    )
    assert f'alt="Backpropagation, step by step: the gradient of J: the last step" {size}>' in untrusted


def test_the_inline_page_is_as_tall_as_its_picture_within_limits(course, dot_program):
    from autograd import Value

    page = viz.replay(course.J)
    assert 380 <= page.height < 600
    assert "100cqw" in page._frame_style()  # and as tall as the picture is once fitted to the cell's width
    x = Value(1.0, label="x")
    for _ in range(30):
        x = x.tanh()
    tall = viz.replay(x, rankdir="TB")
    assert tall.height - page.height == pytest.approx(MAX_PICTURE_HEIGHT - page._parts.picture_size[1], abs=40)


def test_save_writes_the_same_page_atomically(course, tmp_path, dot_program, monkeypatch):
    page = viz.replay(course.J, title="J = 3(a + bc)")
    path = page.save(tmp_path / "replay.html")
    assert path.read_text(encoding="utf-8") == page.html
    with pytest.raises(ValueError, match=r"ReplayPage.save: the replay is an HTML page, so the file must end in .html"):
        page.save(tmp_path / "replay.svg")

    def disk_full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError, match="ReplayPage.save: cannot write"):
        page.save(path)
    assert path.read_text(encoding="utf-8") == page.html and os.listdir(tmp_path) == ["replay.html"]


def test_replay_refuses_what_the_page_refuses(course, dot_program):
    with pytest.raises(viz.GraphTooLargeError, match="replay: the graph has 7 nodes, more than max_nodes=6"):
        viz.replay(course.J, max_nodes=6)
    assert repr(viz.replay(course.J)).startswith("<ReplayPage 'Backpropagation, step by step: the gradient of J'")


@pytest.mark.slow
def test_the_inline_page_moves_between_steps_in_a_browser(course, browser, tmp_path):
    notebook = tmp_path / "notebook.html"
    notebook.write_text(
        f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><p>cell output:</p>{viz.replay(course.J)._repr_html_()}</body></html>",
        encoding="utf-8",
    )
    browser.get(notebook.as_uri())
    browser.switch_to.frame(browser.find_element(By.TAG_NAME, "iframe"))
    try:
        assert browser.find_element(By.ID, "counter").text == "step 0 of 6"
        browser.find_element(By.ID, "next").click()
        browser.find_element(By.ID, "next").click()
        assert browser.find_element(By.ID, "counter").text == "step 2 of 6"
        (formula,) = [f for f in browser.find_elements(By.CSS_SELECTOR, ".formula") if f.is_displayed()]
        assert formula.text == "∂J/∂v = ∂J/∂J · (local) ∂J/∂v = 1 · 3 = 3"
        assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    finally:
        browser.switch_to.default_content()
    assert [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")] == []


@pytest.mark.slow
def test_in_a_cell_900_pixels_wide_the_whole_course_graph_shows_without_scrolling(course, browser, tmp_path):
    notebook = tmp_path / "cell.html"
    notebook.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body style='margin: 8px'>"
        f"<div style='width: 900px'>{viz.replay(course.J)._repr_html_()}</div></body></html>",
        encoding="utf-8",
    )
    browser.get(notebook.as_uri())
    frame = browser.find_element(By.TAG_NAME, "iframe")
    assert frame.size["width"] == 900 and frame.size["height"] < 600  # the cell's width; no empty half page
    static = browser.find_element(By.CSS_SELECTOR, ".chainrule-replay-static")
    assert not static.is_displayed()  # where the replay shows, its static picture does not
    browser.switch_to.frame(frame)
    try:
        fit = browser.execute_script(
            """
            const view = document.getElementById("viewport"), root = document.documentElement;
            const v = view.getBoundingClientRect(), s = view.querySelector("svg").getBoundingClientRect();
            return {
              scrolls: [view.scrollWidth > view.clientWidth, view.scrollHeight > view.clientHeight,
                        root.scrollWidth > innerWidth, root.scrollHeight > innerHeight],
              inside: s.left >= v.left && s.right <= v.right && s.top >= v.top && s.bottom <= v.bottom,
              text: Array.from(view.querySelectorAll("g.node text"), t => t.getBoundingClientRect().height),
              spare: v.height - s.height,
            };
            """
        )
        assert fit["scrolls"] == [False, False, False, False] and fit["inside"]
        assert len(fit["text"]) >= 7 * 3 and min(fit["text"]) >= 10  # node text at least 10 CSS pixels tall
        assert fit["spare"] < 80  # the picture's area is sized to the picture
        names = browser.execute_script(
            "return Array.from(document.querySelectorAll('#viewport g.node'), g => g.querySelector('text').textContent)"
        )
        assert {"a", "b", "c", "u", "v", "J", "3"} <= set(names)
    finally:
        browser.switch_to.default_content()
    assert [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")] == []
