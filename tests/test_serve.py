"""`livret serve`: which edits rebuild what, the page over plain HTTP, and a real browser."""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import Result
from conftest import REPO
from pdfread import reader

from livret.build.plan import Job
from livret.model.project import load_project
from livret.serve.live import LiveSite, affected_jobs
from livret.serve.server import LiveServer

DEADLINE = 60.0  # seconds: the longest any test waits for the server
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


class Page(HTMLParser):
    """What a person sees on the served page: texts by class, thumbnails, status."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.texts: dict[str, list[str]] = {}
        self.thumbnails: list[str] = []
        self.version = -1
        self._open: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "main":
            self.version = int(attributes["data-version"])
        if tag == "img" and "thumb" in attributes.get("class", "").split():
            self.thumbnails.append(attributes["src"])
        if tag not in ("img", "meta", "link", "br"):
            self._open.append((tag, attributes.get("class", "")))

    def handle_endtag(self, tag: str) -> None:
        while self._open and self._open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        for _, classes in self._open:
            for name in classes.split():
                self.texts.setdefault(name, []).append(data)

    def text(self, name: str) -> list[str]:
        return [" ".join(part.split()) for part in self.texts.get(name, []) if part.strip()]


@dataclass
class Live:
    root: Path
    server: LiveServer

    def get(self, path: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
        address = urlsplit(self.server.url)
        assert address.hostname and address.port
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        try:
            connection.request("GET", path, headers={"Host": host} if host else {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def page(self) -> Page:
        status, _, body = self.get("/")
        assert status == 200
        return Page(body.decode("utf-8"))

    def wait_for(self, what: str, check: Callable[[Page], bool]) -> Page:
        """Follow the page as the browser does (long polls) until ``check`` holds."""
        deadline = time.monotonic() + DEADLINE
        page = self.page()
        while not check(page):
            if time.monotonic() > deadline:
                pytest.fail(f"the page never showed {what}; it shows: {page.texts}")
            self.get(f"/api/state?after={page.version}")
            page = self.page()
        return page


def built(page: Page) -> bool:
    return page.text("status") == ["Up to date"] and bool(page.thumbnails)


@pytest.fixture
def live(project: Path) -> Iterator[Live]:
    """``livret serve guide -l fr`` in this process, on a free loopback port."""
    server = LiveServer(LiveSite(project, ["guide"], ["fr"]), "127.0.0.1", 0)
    server.start()
    try:
        yield Live(project, server)
    finally:
        server.close()


def cli_error(cli: Callable[..., Result], root: Path, out: Path) -> str:
    """The one-line message that ``livret build`` gives for the project as it is now."""
    result = cli("--project", str(root), "build", "guide", "-l", "fr", "-o", str(out))
    assert result.exit_code == 2, result.output
    (line,) = [line for line in result.output.splitlines() if line.startswith("error: ")]
    return line.removeprefix("error: ")


def test_edits_touch_only_the_documents_that_read_them(project: Path) -> None:
    config = project / "livret.yaml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "  memo: {template: guide, content: content/memo.yaml}\n"
        + "  flyer: {template: checklist, content: content/flyer.yaml}\n",
        encoding="utf-8",
    )
    loaded = load_project(project)
    jobs = [Job(doc, lang) for lang in ("fr", "en") for doc in ("guide", "memo", "flyer")]

    def touched(*paths: str) -> set[str]:
        return {job.label for job in affected_jobs(loaded, jobs, [project / p for p in paths])}

    every = {job.label for job in jobs}
    assert touched("content/memo.yaml") == {"fr/memo", "en/memo"}
    assert touched("content/guide/01-pour-qui.md", "content/flyer.yaml") == {
        "fr/guide", "en/guide", "fr/flyer", "en/flyer",
    }  # fmt: skip
    (project / "content/images").mkdir(exist_ok=True)
    (project / "content/images/screen.png").write_bytes(b"")
    assert touched("content/images/screen.png") == {"fr/guide", "en/guide"}  # it may show it
    assert touched("content/shared/networks.yaml") == every  # read by whom? rebuild all
    assert touched("locales/en/LC_MESSAGES/livret.po") == {"en/guide", "en/memo", "en/flyer"}
    assert touched("locales/livret.pot") == set()  # the template is not read by builds
    assert touched("templates/checklist.css") == {"fr/flyer", "en/flyer"}
    assert touched("templates/guide.html.j2") == {"fr/guide", "en/guide", "fr/memo", "en/memo"}
    assert touched("templates/cheatsheets.html.j2") == set()
    assert touched("templates/base.css") == every
    assert touched("templates/blocks/p.html.j2") == every
    assert touched("brand/logo.svg") == every
    assert touched("livret.yaml") == every
    assert touched("out/fr/guide.pdf", "out/en/.guide.pdf.x1.tmp") == set()  # our own output
    assert touched("content/.guide.yaml.swp", ".git/index", "README.md", "tests/x.py") == set()
    assert touched("/etc/hostname") == set()


def test_a_bug_in_one_build_is_shown_not_raised(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = LiveSite(project, ["guide"], ["fr"])

    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("livret.serve.live.build", broken)
    site.rebuild()
    (entry,) = site.snapshot().entries
    assert (entry.state, entry.error) == ("error", "internal error: RuntimeError: boom")

    monkeypatch.undo()
    site.rebuild([project / "content/guide/01-pour-qui.md"])
    (entry,) = site.snapshot().entries
    assert (entry.state, entry.error) == ("ok", None)
    assert len(entry.thumbnails) == len(reader(project / "out/fr/guide.pdf").pages)
    version = site.snapshot().version
    site.rebuild([project / "README.md", project / "out/fr/guide.pdf"])
    assert site.snapshot().version == version  # nothing to rebuild, nothing to refresh


def test_page_lists_thumbnails_and_pdfs(live: Live) -> None:
    page = live.wait_for("the built guide", built)
    pdf = live.root / "out/fr/guide.pdf"
    pages = len(reader(pdf).pages)
    assert len(page.thumbnails) == pages >= 5
    assert page.text("lang") == ["fr"]
    assert page.text("title") == ["Guide des réseaux sociaux"]
    assert page.text("pages") == [f"{pages} pages"]
    assert "1 À qui s’adresse ce guide" in page.text("outline")
    assert page.text("error") == []

    status, headers, png = live.get(page.thumbnails[0])
    assert status == 200 and headers["Content-Type"] == "image/png"
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(png[16:20], "big") == 300  # IHDR width
    status, headers, body = live.get("/pdf/fr/guide.pdf")
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert body == pdf.read_bytes()
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    for script in ("/static/page.js", "/static/page.css"):
        assert live.get(script)[0] == 200

    for missing in (
        "/pdf/en/guide.pdf",  # not served: only French was asked for
        "/pdf/fr/../../livret.yaml",
        "/thumb/fr/guide/0.png",
        f"/thumb/fr/guide/{pages + 1}.png",
        "/static/../sample.py",
        "/livret.yaml",
    ):
        assert live.get(missing)[0] == 404, missing
    assert live.get("/", host="attacker.example:80")[0] == 421  # DNS rebinding guard
    state = json.loads(live.get("/api/state")[2])
    assert state == {"version": page.version, "building": False}


def test_errors_show_the_cli_message_and_go_away(
    live: Live, cli: Callable[..., Result], tmp_path: Path
) -> None:
    live.wait_for("the built guide", built)
    content = live.root / "content/guide/01-pour-qui.md"
    good = content.read_text(encoding="utf-8")
    content.write_text(good.replace("\n## Pourquoi", "\n### Pourquoi", 1), encoding="utf-8")
    expected = cli_error(cli, live.root, tmp_path / "cli-out")
    line = good.split("\n## Pourquoi")[0].count("\n") + 2
    assert expected.startswith(f"content/guide/01-pour-qui.md:{line}: '###' headings")
    page = live.wait_for("the content error", lambda page: page.text("error") == [expected])
    assert page.text("status") == ["1 error"]
    assert page.thumbnails  # the last good edition stays visible under the error

    config = live.root / "livret.yaml"
    good_config = config.read_text(encoding="utf-8")
    config.write_text(good_config.replace("source_language: fr", "source_language: de"), "utf-8")
    expected_project = cli_error(cli, live.root, tmp_path / "cli-out")
    assert expected_project.startswith("livret.yaml")
    live.wait_for("the project error", lambda page: expected_project in page.text("error"))

    config.write_text(good_config, encoding="utf-8")
    content.write_text(good, encoding="utf-8")
    page = live.wait_for("the repaired guide", lambda page: built(page) and not page.text("error"))
    assert not (tmp_path / "cli-out").exists()


# A real browser: Chromium from Debian, driven by Selenium through Debian's chromedriver.


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    """Headless Chromium; skipped only where it is not installed (never in CI)."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing and os.environ.get("CI"):
        pytest.fail(f"CI must run the browser test, but {', '.join(missing)} is missing")
    if missing:
        pytest.skip(f"no {', '.join(missing)} (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium'}", "--window-size=1280,900",
    ):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def served(project: Path) -> Iterator[str]:
    """``livret serve guide -l fr --port 0`` as a separate process; yields its URL."""
    process = subprocess.Popen(
        [sys.executable, "-u", "cli.py", "--project", str(project), "serve", "guide", "-l", "fr",
         "--port", "0"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: [lines.put(line) for line in stdout], daemon=True).start()
    try:
        first = lines.get(timeout=DEADLINE)
        match = re.match(r"serving (http://127\.0\.0\.1:\d+/)", first)
        assert match, first
        yield match[1]
        process.send_signal(signal.SIGTERM)  # a clean stop: the port is released, exit 0
        assert process.wait(timeout=DEADLINE) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_browser_sees_thumbnails_and_follows_an_edit(
    browser: Any, served: str, project: Path
) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    def main_text(driver: Any) -> str:
        return str(driver.find_element(By.TAG_NAME, "main").text)

    def loaded_thumbnails(driver: Any) -> int:
        """How many thumbnails the browser has decoded (0 until all of them are)."""
        images = driver.find_elements(By.CSS_SELECTOR, "img.thumb")
        ready = images and all(
            image.get_property("complete") and image.get_property("naturalWidth") > 0
            for image in images
        )
        return len(images) if ready else 0

    # The page swaps its <main> when the site changes: elements may go stale mid-check.
    wait = WebDriverWait(
        browser, DEADLINE, poll_frequency=0.2, ignored_exceptions=[StaleElementReferenceException]
    )
    browser.get(served)
    pages = wait.until(loaded_thumbnails)
    assert pages == len(reader(project / "out/fr/guide.pdf").pages)
    assert "À qui s’adresse ce guide" in main_text(browser)
    browser.execute_script("window.livretTestMarker = 'same page';")

    content = project / "content/guide/01-pour-qui.md"
    text = content.read_text(encoding="utf-8")
    assert "# À qui s’adresse ce guide" in text
    content.write_text(
        text.replace("# À qui s’adresse ce guide", "# Les phares changent de cap"),
        encoding="utf-8",
    )
    wait.until(lambda driver: "Les phares changent de cap" in main_text(driver))
    assert wait.until(loaded_thumbnails) == pages
    assert "À qui s’adresse ce guide" not in main_text(browser)
    assert browser.execute_script("return window.livretTestMarker") == "same page"  # no reload
