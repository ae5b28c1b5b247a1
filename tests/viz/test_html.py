"""viz/html.py: save_backprop_html's page as a file (one self-contained page with a frame and a
caption per step), and in a real headless Chromium (it loads cleanly and the controls move between
frames).

The browser tests need Debian's ``chromium`` and ``chromium-driver`` packages and the ``selenium``
and ``pillow`` Python packages; they are skipped, saying which is missing, without them.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
from collections.abc import Iterator

import numpy as np
import pytest

import viz
from autograd import Value, topological_order

from .viz_course import course_graph

try:
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
except ImportError:  # the browser fixture skips, saying so
    webdriver = By = Keys = None  # type: ignore[assignment]
try:
    from PIL import Image
except ImportError:
    Image = None  # type: ignore[assignment]


def test_page_has_every_frame_with_its_caption(course, tmp_path, dot_program):
    page = viz.save_backprop_html(course.J, tmp_path / "replay.html").read_text(encoding="utf-8")
    frames = re.findall(r'<figure class="frame" id="frame-(\d+)" data-step="\1"( hidden)?>', page)
    assert [int(k) for k, _ in frames] == list(range(len(topological_order(course.J)) + 1))
    assert [hidden for _, hidden in frames] == [""] + [" hidden"] * 7  # only the forward pass shows at first
    assert page.count("<svg") == page.count("</svg>") == 8
    formulas = [html.unescape(f) for f in re.findall(r'<p class="formula">(.*?)</p>', page)]
    assert formulas == viz.backprop_captions(course.J)
    assert "∂J/∂b = ∂J/∂u · ∂u/∂b = 3 · 2 = 6" in formulas
    assert 'max="7"' in page and "step 0 of 7" in page


def test_page_is_self_contained(course, tmp_path, dot_program):
    page = viz.save_backprop_html(course.J, tmp_path / "replay.html").read_text(encoding="utf-8")
    assert "<?xml" not in page and "<!DOCTYPE svg" not in page  # each SVG inlined without its prologue
    for loader in ("<link", " src=", "@import", "url(", "@font-face", "<iframe", "fetch("):
        assert loader not in page, loader
    # The only URLs are XML namespace names inside the SVG, which nothing downloads.
    urls = set(re.findall(r"https?://[^\s\"'<>]+", page))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert "default-src 'none'" in page  # and the page's policy forbids loading anything anyway


def test_user_text_is_escaped_in_captions_and_pictures(tmp_path, dot_program, read_svg):
    tricky = '<b>{x|y}"</b><script>alert(1)</script>'
    x = Value(2.0, label=tricky)
    y = x * 3
    y.label = "y"
    page = viz.save_backprop_html(y, tmp_path / "replay.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "<b>{x|y}" not in page
    assert f"∂y/∂({html.escape(tricky)}) = ∂y/∂y · ∂y/∂({html.escape(tricky)}) = 1 · 3 = 3" in page
    first_svg = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
    assert tricky in read_svg(first_svg).texts


def test_a_label_with_line_breaks_cannot_inject_dot(tmp_path, dot_program, read_svg):
    """Each frame's caption is its DOT comment, one "//" line: a label's newline must not end it."""
    payload = 'a\ndigraph{x[label="Click" URL="javascript:alert(1)"]}/*'
    x = Value(2.0, label=payload)
    y = x * Value(-3.0, label="b")
    for frame in viz.backprop_frames(y):
        assert frame.source.startswith("// ") and frame.source.splitlines()[1] == "digraph {"  # a one-line comment
    page = viz.save_backprop_html(y, tmp_path / "replay.html").read_text(encoding="utf-8")
    assert not re.search(r"href=\"\s*javascript:", page)  # the text may show, never as a link
    first_svg = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
    assert 'digraph{x[label="Click" URL="javascript:alert(1)"]}/*' in read_svg(first_svg).texts  # drawn as text


def test_title_defaults_to_the_output_and_can_be_given(course, tmp_path, dot_program):
    page = viz.save_backprop_html(course.J, tmp_path / "a.html").read_text(encoding="utf-8")
    assert "<title>Backpropagation, step by step: the gradient of J</title>" in page
    page = viz.save_backprop_html(course.J, tmp_path / "b.html", title="J = 3(a + bc) & friends").read_text(
        encoding="utf-8"
    )
    assert "<h1>J = 3(a + bc) &amp; friends</h1>" in page


# The page in a real browser


CHROMIUM = next(  # the binary behind Debian's /usr/bin/chromium wrapper script, else what is on PATH
    (p for p in ("/usr/lib/chromium/chromium", shutil.which("chromium"), shutil.which("chromium-browser")) if p and os.path.exists(p)),
    None,
)

CHROMEDRIVER = shutil.which("chromedriver")

CAPTIONS = viz.backprop_captions(course_graph().J)

HOT_RGB = (0xE8, 0x59, 0x0C)


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    if webdriver is None:
        pytest.skip("the selenium package is not installed (pip install selenium)")
    if Image is None:
        pytest.skip("checking the screenshot needs pillow (pip install pillow)")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    if CHROMEDRIVER is None:
        pytest.skip("chromedriver is not installed (Debian: apt-get install chromium-driver)")
    if shutil.which("dot") is None:
        pytest.skip("the replay page needs Graphviz's dot (Debian: apt-get install graphviz)")
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",  # Chromium refuses to run as root (as CI does) with its sandbox
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--window-size=1300,900",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def page(browser, tmp_path_factory) -> webdriver.Chrome:
    path = viz.save_backprop_html(course_graph().J, tmp_path_factory.mktemp("replay") / "replay.html")
    browser.get(path.as_uri())
    return browser


def shown(driver) -> list[int]:
    """The steps whose frame is visible."""
    return [k for k, frame in enumerate(driver.find_elements(By.CSS_SELECTOR, ".frame")) if frame.is_displayed()]


def caption(driver) -> str:
    (formula,) = [f for f in driver.find_elements(By.CSS_SELECTOR, ".formula") if f.is_displayed()]
    return formula.text


@pytest.mark.slow
def test_page_loads_without_console_errors_or_downloads(page):
    assert page.title == "Backpropagation, step by step: the gradient of J"
    assert shown(page) == [0] and caption(page) == "Forward pass: J = 33"
    assert page.find_element(By.ID, "counter").text == "step 0 of 7"
    assert not page.find_element(By.ID, "prev").is_enabled()
    assert page.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert [entry for entry in page.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")] == []


@pytest.mark.slow
def test_buttons_slider_and_arrow_keys_move_between_frames(page, tmp_path):
    next_button, prev_button = page.find_element(By.ID, "next"), page.find_element(By.ID, "prev")
    for step in range(1, 6):
        next_button.click()
        assert shown(page) == [step] and caption(page) == CAPTIONS[step]
    assert caption(page) == "∂J/∂b = ∂J/∂u · ∂u/∂b = 3 · 2 = 6"
    assert page.find_element(By.ID, "counter").text == "step 5 of 7"
    assert page.find_element(By.ID, "step").get_attribute("value") == "5"

    screenshot = tmp_path / "replay-step-5.png"
    assert page.save_screenshot(str(screenshot))
    _assert_highlight_is_visible(screenshot)

    prev_button.click()
    assert shown(page) == [4]
    body = page.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.ARROW_RIGHT)
    assert shown(page) == [5]
    body.send_keys(Keys.END)
    assert shown(page) == [7] and caption(page) == CAPTIONS[7]
    assert not next_button.is_enabled()
    next_button.click()  # disabled: nothing happens
    assert shown(page) == [7]
    body.send_keys(Keys.HOME)
    assert shown(page) == [0] and not prev_button.is_enabled()

    slider = page.find_element(By.ID, "step")
    slider.send_keys(Keys.ARROW_RIGHT)  # the slider's own keyboard handling fires its input event
    assert shown(page) == [1]
    assert caption(page) == "∂J/∂J = 1"
    assert [entry for entry in page.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")] == []


def _assert_highlight_is_visible(screenshot) -> None:
    """The orange outline of the node just completed is on screen, not only in the markup."""
    with Image.open(screenshot) as image:
        pixels = np.asarray(image.convert("RGB"), dtype=int)
    assert pixels.shape[1] == 1300 and pixels.shape[0] > 500
    near_hot = np.all(np.abs(pixels - np.array(HOT_RGB)) < 40, axis=-1).sum()
    assert near_hot > 100
