"""The board's main flows in a real browser: headless Chromium (Debian packages chromium and
chromium-driver) driven by Selenium, against `planner serve`'s app on a local port."""

from __future__ import annotations

import os
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from planner.io.reader import shipped_cases
from planner.rules.profile import open_case

# the board as the browser showed it at each step, kept as test artifacts (outputs/ is not
# committed; docs/board.png, in the README, is the first of them)
SHOTS = Path(__file__).resolve().parent.parent / "outputs" / "browser"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
# in CI (.ci/run installs both) a missing browser is a failure, not a skip
NO_BROWSER = not os.environ.get("CI") and (CHROMIUM is None or DRIVER is None)
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(NO_BROWSER, reason="Chromium or chromedriver is not installed "
                                 "(apt-get install chromium chromium-driver); .ci/run installs "
                                 "them")]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    from planner.web.app import create_app
    from planner.web.serving import running

    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    # as planner serve runs it: the bounded protocol, on a socket bound first
    with running(create_app(case, profile)) as port:
        yield f"http://127.0.0.1:{port}/"


def chromium(height: int = 1500) -> Any:
    """A headless Chromium driven by Selenium, a window 1280 pixels wide."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size=1280,{height}"):
        options.add_argument(arg)
    if CHROMIUM:
        options.binary_location = CHROMIUM
    return webdriver.Chrome(options=options, service=Service(DRIVER))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    driver = chromium()
    yield driver
    driver.quit()


def test_the_main_flows_in_a_browser(server: str, browser: object, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    driver = browser
    wait = WebDriverWait(driver, 20)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []

    def shot(name: str) -> None:
        shots.append(SHOTS / f"{len(shots) + 1}-{name}.png")
        assert driver.save_screenshot(str(shots[-1]))  # type: ignore[attr-defined]

    driver.get(server)  # type: ignore[attr-defined]
    first = driver.find_element(By.ID, "total").text  # type: ignore[attr-defined]
    assert first == "3,280,833,668,322"
    shot("board")
    # fix a State in the Eastern European group, and see the counts change
    driver.execute_script("window.sameDocument = true")  # type: ignore[attr-defined]
    form = driver.find_elements(By.CSS_SELECTOR, ".group form")[2]  # type: ignore[attr-defined]
    Select(form.find_element(By.NAME, "act_state")).select_by_visible_text("Poland")
    Select(form.find_element(By.NAME, "act_post")).select_by_visible_text("Vice-President")
    form.find_element(By.CSS_SELECTOR, "button[value=fix]").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "asked"), "Poland as Vice-President"))
    assert driver.find_element(By.ID, "total").text != first  # type: ignore[attr-defined]
    assert "fix=Vice-President%3DPoland" in driver.current_url  # type: ignore[attr-defined]
    # answered without reloading the page (board.js swaps the board in place)
    assert driver.execute_script("return window.sameDocument === true")  # type: ignore[attr-defined]
    shot("poland-fixed")
    # reach "no slate" and read the conflict
    driver.get(server + "?fix=President%3DKenya")  # type: ignore[attr-defined]
    text = driver.find_element(By.ID, "conflicts").text  # type: ignore[attr-defined]
    assert "No slate can meet the rules" in text
    assert "at this session the President comes from the Asia-Pacific States" in text
    assert "the body elects" not in text  # the bureau's shape is no rule to drop
    shot("no-slate")
    # upload a broken workbook and read the error
    driver.get(server)  # type: ignore[attr-defined]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"this is no workbook")
    driver.find_element(By.NAME, "workbook").send_keys(str(broken))  # type: ignore[attr-defined]
    driver.find_element(By.CSS_SELECTOR, "#upload button").click()  # type: ignore[attr-defined]
    wait.until(ec.presence_of_element_located((By.ID, "problems")))
    assert "the file is not an .xlsx workbook" in driver.find_element(  # type: ignore[attr-defined]
        By.ID, "problems").text
    shot("broken-upload")
    # by keyboard alone: type to choose in a group's lists, Enter on its button
    from selenium.webdriver.common.keys import Keys

    driver.get(server)  # type: ignore[attr-defined]
    form = driver.find_elements(By.CSS_SELECTOR, ".group form")[0]  # type: ignore[attr-defined]
    form.find_element(By.NAME, "act_state").send_keys("Kenya")
    form.find_element(By.NAME, "act_post").send_keys("Vice")
    form.find_element(By.CSS_SELECTOR, "button[value=fix]").send_keys(Keys.ENTER)
    wait.until(ec.text_to_be_present_in_element((By.ID, "asked"), "Kenya as Vice-President"))
    # the pack for the board as it stands opens as a workbook with the board's slate
    driver.get(server + "?fix=Vice-President%3DPoland")  # type: ignore[attr-defined]
    href = driver.find_element(By.ID, "pack").get_attribute("href")  # type: ignore[attr-defined]
    book = tmp_path / "pack.xlsx"
    with urllib.request.urlopen(href) as response:
        book.write_bytes(response.read())
    states = [r[1] for r in openpyxl.load_workbook(book)["Slate"].iter_rows(
        min_row=2, values_only=True)]
    assert "Poland" in states
    # the screenshots are whole PNG images of the window
    for path in shots:
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000, path
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert width >= 1000 and height >= 1000, (path, width, height)
