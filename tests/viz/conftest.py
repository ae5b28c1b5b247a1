"""Fixtures for the viz tests: the course's graph, SVG made by the real Graphviz ``dot``
(``dot_program`` and ``read_svg`` come from tests/conftest.py), and a headless Chromium for the
pages.

The browser needs Debian's ``chromium`` and ``chromium-driver`` packages and the ``selenium`` and
``pillow`` Python packages; the tests that use it are skipped, saying which is missing, without them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator

import graphviz
import pytest

from .viz_course import Course, course_graph

try:
    from selenium import webdriver
except ImportError:  # the browser fixture skips, saying so
    webdriver = None  # type: ignore[assignment]
try:
    from PIL import Image
except ImportError:
    Image = None  # type: ignore[assignment]

CHROMIUM = next(  # the binary behind Debian's /usr/bin/chromium wrapper script, else what is on PATH
    (
        p
        for p in ("/usr/lib/chromium/chromium", shutil.which("chromium"), shutil.which("chromium-browser"))
        if p and os.path.exists(p)
    ),
    None,
)
CHROMEDRIVER = shutil.which("chromedriver")
#: A learner's laptop window (its page area is about 1280 x 660 pixels).
WINDOW = (1280, 800)


@pytest.fixture
def course() -> Course:
    return course_graph()


@pytest.fixture
def draw_svg(dot_program: str, read_svg) -> Callable[[graphviz.Digraph], object]:
    """Lay out a Digraph with the real dot and return the picture."""

    def draw(graph: graphviz.Digraph):
        return read_svg(graph.pipe(format="svg", encoding="utf-8"))

    return draw


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    """A headless Chromium in a window of ``WINDOW``, with its console log kept."""
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
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
