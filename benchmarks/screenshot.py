"""Take the README's dashboard screenshot: the sample articles, one event opened.

    python benchmarks/screenshot.py [--out docs/screenshot-dashboard.png] [--width 1440 --height 900]

Codes examples/articles into a temporary store, starts `diurna serve` on a free local
port, opens the dashboard in Debian's headless Chromium, clicks the newest event that
has both an actor and a recipient, and saves the page with the world map and its places
in view (it prints how many places the map drew).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from serve_speed import sample_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from serving import free_port, start_server, wait_until_up  # noqa: E402  (the tests' server helpers)

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
IDLE = "body[data-ready=true]:not([data-busy])"


def capture(base_url: str, out: Path, width: int, height: int) -> int:
    """Save the screenshot; returns how many places the map drew."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(base_url + "/")
        page.wait_for_selector(IDLE)
        page.locator("#map path.country").first.wait_for()   # the world map is in the picture
        places = page.locator("#map g.point").count()
        with_recipient = page.locator("#events tbody tr").filter(has_not_text="—").first
        with_recipient.click()
        page.wait_for_selector("#article-body mark.hl-trigger")
        page.mouse.move(0, 0)                         # no hover highlight in the picture
        page.screenshot(path=str(out))
        browser.close()
    return places


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshot-dashboard.png")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = sample_store(Path(tmp))
        port = free_port()
        process = start_server(str(db), port)
        try:
            wait_until_up(f"http://127.0.0.1:{port}", process)
            places = capture(f"http://127.0.0.1:{port}", args.out, args.width, args.height)
        finally:
            process.terminate()
            process.wait(timeout=10)
    print(f"saved {args.out} (the map drew {places} places)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
