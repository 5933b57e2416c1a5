"""Redraw the screenshots in docs/images from the demo data (run by hand, not by CI).

    .venv/bin/python scripts/docs-screenshots.py

Loads the demo into a throwaway SQLite database, serves the app on a loopback port, and takes
the pictures with Debian's Chromium: the judge's progress summary as a judge sees it, and the
Excel export's Test results sheet as a spreadsheet shows it (LibreOffice Calc, headless, prints
the workbook; pdftoppm turns the page into a PNG). Needs `apt-get install
libreoffice-calc-nogui poppler-utils`.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
PORT = 5077
BASE = f"http://127.0.0.1:{PORT}"
JUDGE = "judge.marsh@demo.fdac.example"
PASSWORD = "fdac-demo-password"  # noqa: S105  (fdac.demo.DEMO_PASSWORD)


def _flask(env: dict, *args: str, **kwargs) -> subprocess.Popen:
    flask = str(ROOT / ".venv" / "bin" / "flask")
    return subprocess.Popen([flask, *args], env=env, **kwargs)  # noqa: S603 (our own arguments)


def _wait_for_server() -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{BASE}/healthz", timeout=1)  # noqa: S310 (loopback)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the app did not start")


def _a_summary_with_results(page) -> str:
    """The summary of the judge's first family in the trial with a positive or missed test in
    the last six weeks (so the pictures show how they stand out)."""
    page.goto(f"{BASE}/cases?phase=trial_for_change")
    first = (datetime.now(ZoneInfo("Europe/London")).date() - timedelta(weeks=6)).isoformat()
    links = page.locator("table a[href^='/cases/FDAC-']").all()
    for href in [link.get_attribute("href") for link in links]:
        page.goto(f"{BASE}{href}/summary?from={first}")
        counts = page.locator(".govuk-summary-list__row", has_text="Positive or not taken")
        if any(int(row.locator("dd").inner_text()) for row in counts.all()):
            return href
    raise SystemExit("no demo family with a positive or missed test in six weeks")


def _excel_png(xlsx: Path, out: Path, work: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit(
            "LibreOffice is needed for the Excel picture: apt-get install libreoffice-calc-nogui"
        )
    subprocess.run(  # noqa: S603 (our own arguments)
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(work), str(xlsx)],
        check=True,
        capture_output=True,
    )
    pdf = work / (xlsx.stem + ".pdf")
    # A page of the Test results sheet (its header repeats on each) with a highlighted row.
    page = _first_page_with(pdf, "Cut-off", (" Positive ", " Missed ", " Refused "))
    subprocess.run(  # noqa: S603 (our own arguments)
        [
            _tool("pdftoppm"),
            "-png",
            "-r",
            "110",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(out.with_suffix("")),
        ],
        check=True,
    )


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} is needed: apt-get install poppler-utils")
    return found


def _first_page_with(pdf: Path, header: str, any_of: tuple[str, ...]) -> int:
    pages = subprocess.run(  # noqa: S603
        [_tool("pdftotext"), "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\f")
    for number, content in enumerate(pages, start=1):
        if header in content and any(text in content for text in any_of):
            return number
    raise SystemExit(f"no page of the printed workbook shows {header!r} and one of {any_of!r}")


def main() -> int:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'demo.db'}", "FLASK_APP": "fdac"}
        for command in (("db", "upgrade"), ("fdac", "demo-data")):
            _flask(env, *command, stdout=subprocess.DEVNULL).wait()
        server = _flask(
            env, "run", "--port", str(PORT), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            _wait_for_server()
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path="/usr/bin/chromium",
                    args=["--no-sandbox", "--lang=en-GB"],
                    env={**os.environ, "LANG": "en_GB.UTF-8"},  # dd/mm/yyyy date fields
                )
                page = browser.new_page(viewport={"width": 1100, "height": 900}, locale="en-GB")
                page.goto(f"{BASE}/sign-in")
                page.get_by_label("Email address").fill(JUDGE)
                page.get_by_label("Password", exact=True).fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                case = _a_summary_with_results(page)
                # The Excel picture: six weeks, so a positive shows; the page: what a judge
                # opens first (since the last review), its top as a screen shows it.
                with page.expect_download() as download:
                    page.locator("#download-xlsx").click()
                xlsx = work / "summary.xlsx"
                download.value.save_as(xlsx)
                page.goto(f"{BASE}{case}/summary")
                page.set_viewport_size({"width": 1100, "height": 2000})
                page.screenshot(path=str(IMAGES / "progress-summary.png"))
                browser.close()
            _excel_png(xlsx, IMAGES / "excel-test-results.png", work)
            print(f"docs/images: progress-summary.png and excel-test-results.png ({case})")
        finally:
            server.terminate()
            server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
