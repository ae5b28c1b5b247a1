"""The HTML replay in a real headless Chromium: it loads cleanly and the controls move between frames.

Needs Debian's ``chromium`` and ``chromium-driver`` packages and the ``selenium`` and ``pillow``
Python packages; skipped, saying which is missing, without them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator

import numpy as np
import pytest

import viz
from viz_course import course_graph

webdriver = pytest.importorskip("selenium.webdriver", reason="the selenium package is not installed (pip install selenium)")
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

Image = pytest.importorskip("PIL.Image", reason="checking the screenshot needs pillow (pip install pillow)")

CHROMIUM = next(  # the binary behind Debian's /usr/bin/chromium wrapper script, else what is on PATH
    (p for p in ("/usr/lib/chromium/chromium", shutil.which("chromium"), shutil.which("chromium-browser")) if p and os.path.exists(p)),
    None,
)
CHROMEDRIVER = shutil.which("chromedriver")
if CHROMIUM is None:
    pytest.skip("Chromium is not installed (Debian: apt-get install chromium)", allow_module_level=True)
if CHROMEDRIVER is None:
    pytest.skip("chromedriver is not installed (Debian: apt-get install chromium-driver)", allow_module_level=True)
if shutil.which("dot") is None:
    pytest.skip("the replay page needs Graphviz's dot (Debian: apt-get install graphviz)", allow_module_level=True)



CAPTIONS = viz.backprop_captions(course_graph().J)
HOT_RGB = (0xE8, 0x59, 0x0C)


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
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


def test_page_loads_without_console_errors_or_downloads(page):
    assert page.title == "Backpropagation, step by step: the gradient of J"
    assert shown(page) == [0] and caption(page) == "Forward pass: J = 33"
    assert page.find_element(By.ID, "counter").text == "step 0 of 7"
    assert not page.find_element(By.ID, "prev").is_enabled()
    assert page.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert [entry for entry in page.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")] == []


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
