"""viz/notebook.py: viz.replay, the replay page as an object Jupyter shows inline: a sandboxed
iframe holding the whole page, no web address in it, and save() as save_backprop_html writes."""

from __future__ import annotations

import html
import os
import re

import pytest

import viz

try:
    from selenium.webdriver.common.by import By
except ImportError:  # the browser fixture skips, saying so
    By = None  # type: ignore[assignment]


def test_repr_html_is_a_sandboxed_iframe_holding_the_whole_page(course, dot_program):
    page = viz.replay(course.J)
    frame = page._repr_html_()
    match = re.fullmatch(
        r'<iframe srcdoc="([^"]*)" sandbox="allow-scripts" title="([^"]*)" style="([^"]*)"></iframe>', frame
    )
    assert match, frame[:200]
    assert html.unescape(match.group(1)) == page.html == viz.backprop_page(course.J)
    assert "allow-same-origin" not in frame  # its script cannot reach the notebook
    assert "http://" not in frame and "https://" not in frame
    assert f"height: {page.height}px" in match.group(3) and "width: 100%" in match.group(3)
    assert match.group(2) == "Backpropagation, step by step: the gradient of J"


def test_the_inline_page_is_as_tall_as_its_picture_within_limits(course, dot_program):
    from autograd import Value

    assert 380 <= viz.replay(course.J).height < 760
    x = Value(1.0, label="x")
    for _ in range(30):
        x = x.tanh()
    assert viz.replay(x, rankdir="TB").height == 760  # a tall picture scrolls inside


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
        assert formula.text == "∂J/∂v = ∂J/∂J · ∂J/∂v = 1 · 3 = 3"
        assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    finally:
        browser.switch_to.default_content()
    assert [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")] == []
