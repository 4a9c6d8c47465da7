"""How fast the board answers a click in a real browser: headless Chromium (Debian packages
chromium and chromium-driver) loads the board over a local `planner serve` app; the navigation's
duration as the browser measures it (request to load end), median of several clicks."""

from __future__ import annotations

import shutil
import socket
import statistics
import threading
import time

import uvicorn
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from planner.io.reader import shipped_cases
from planner.rules.profile import open_case
from planner.web.app import create_app

CLICKS = ["", "?fix=Vice-President%3DKenya", "?exclude=Indonesia", "?absent=Benin",
          "?fix=President%3DKenya", "?seat=Vice-President%3AAfrican+States"]


def main() -> None:
    for name in ("untoc-cop6-2012", "unfccc-cop29-2024"):
        case, profile = open_case(shipped_cases()[name])
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(create_app(case, profile), host="127.0.0.1",
                                               port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        options = webdriver.ChromeOptions()
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
            options.add_argument(arg)
        options.binary_location = shutil.which("chromium") or ""
        driver = webdriver.Chrome(options=options,
                                  service=Service(shutil.which("chromedriver")))
        base = f"http://127.0.0.1:{port}/"
        driver.get(base)
        times = []
        for click in CLICKS * 3:
            driver.get(base + click)
            times.append(driver.execute_script(
                "return performance.getEntriesByType('navigation')[0].duration"))
        driver.quit()
        server.should_exit = True
        print(f"{name}: median {statistics.median(times):.0f} ms, slowest {max(times):.0f} ms "
              f"over {len(times)} clicks (in the browser)")


if __name__ == "__main__":
    main()
