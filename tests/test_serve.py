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
from livret.serve import preview
from livret.serve.live import (
    Built,
    Entry,
    LiveSite,
    Selection,
    Snapshot,
    affected_jobs,
    build_job,
    plan_site,
)
from livret.serve.preview import Thumbnail
from livret.serve.server import LiveServer, render_page
from livret.serve.worker import Worker

DEADLINE = 60.0  # seconds: the longest any test waits for the server
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


class Page(HTMLParser):
    """What a person sees on the served page: texts by class, thumbnails, status."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.texts: dict[str, list[str]] = {}
        self.thumbnails: list[str] = []
        self.links: dict[str, str] = {}  # link text -> href
        self.ids: list[str] = []
        self.lang = ""
        self.version = -1
        self._href: str | None = None
        self._open: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "main":
            self.version = int(attributes["data-version"])
        if tag == "html":
            self.lang = attributes.get("lang", "")
        if tag == "a":
            self._href = attributes.get("href")
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "img" and "thumb" in attributes.get("class", "").split():
            self.thumbnails.append(attributes["src"])
        if tag not in ("img", "meta", "link", "br"):
            self._open.append((tag, attributes.get("class", "")))

    def handle_endtag(self, tag: str) -> None:
        while self._open and self._open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self._href is not None and data.strip():
            self.links.setdefault(" ".join(data.split()), self._href)
            self._href = None
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
    server = LiveServer(LiveSite(project, Selection(("guide",), ("fr",))), "127.0.0.1", 0)
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


class InProcess:
    """Runs the site's rebuilds in this process, so that a test can patch the build."""

    time_limit = 60.0

    def call(self, function: Callable[..., Any], *args: Any, stop: Any = None) -> Any:
        return function(*args)

    def close(self) -> None:
        pass


def recording_site(
    project: Path, monkeypatch: pytest.MonkeyPatch, *documents: str
) -> tuple[LiveSite, list[str]]:
    """A site of ``documents`` after its first build, whose builds only record their
    order (in the list returned)."""
    site = LiveSite(project, Selection(documents), runner=InProcess())
    order: list[str] = []

    def recording(root: Path, job: Job, previous: object) -> Built:
        order.append(job.label)
        return Built(None, error=f"{job.label}: not built in this test")

    monkeypatch.setattr("livret.serve.live.build_job", recording)
    site.rebuild()
    order.clear()
    return site, order


def test_the_language_of_an_edit_is_rebuilt_first(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A translator saving the English catalog sees English first; a French edit, French."""
    site, order = recording_site(project, monkeypatch, "checklist-event")
    site.rebuild([project / "brand/brand.yaml", project / "locales/en/LC_MESSAGES/livret.po"])
    assert order == ["en/checklist-event", "fr/checklist-event"]
    order.clear()
    site.rebuild([project / "content/checklists/event.yaml"])
    assert order == ["fr/checklist-event", "en/checklist-event"]


def test_a_newer_change_goes_ahead_of_the_jobs_not_begun(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checklist saved while both guides are rebuilt is built right after the guide in
    progress; the English guide follows it."""
    site, order = recording_site(project, monkeypatch, "guide", "checklist-event")
    site.rebuild([project / "content/guide/03-trois-actions.md"], newer=lambda: True)
    assert order == ["fr/guide"]
    assert site.snapshot().entry("en/guide").state == "building"  # not forgotten
    order.clear()
    site.rebuild([project / "content/checklists/event.yaml"])
    assert order == ["fr/checklist-event", "en/checklist-event", "en/guide"]
    order.clear()
    site.rebuild([project / "content/checklists/event.yaml"], newer=lambda: False)
    assert order == ["fr/checklist-event", "en/checklist-event"]


def test_only_the_pages_that_changed_are_encoded_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit near the end of the guide leaves its first pages' thumbnails (and their
    keys, the version in their URL) as they were, so only the others are made and fetched."""
    (job,) = plan_site(project, Selection(("guide",), ("fr",)))[1]
    first = build_job(project, job)
    encoded: list[Any] = []
    encode = preview.png_bytes
    monkeypatch.setattr(preview, "png_bytes", lambda image: encoded.append(image) or encode(image))
    assert build_job(project, job, first.thumbnails).thumbnails == first.thumbnails
    assert encoded == []  # nothing changed, nothing encoded

    annex = project / "content/guide/17-annexes.md"
    annex.write_text(annex.read_text(encoding="utf-8") + "\n\nUne ligne de plus.\n", "utf-8")
    edited = build_job(project, job, first.thumbnails).thumbnails
    kept = [new for new, old in zip(edited, first.thumbnails, strict=False) if new == old]
    assert edited[0] == first.thumbnails[0] and len(kept) >= len(edited) // 2
    assert len(encoded) == len(edited) - len(kept) >= 1
    assert {new.key for new in edited} != {old.key for old in first.thumbnails}


def test_a_bug_in_one_build_is_shown_not_raised(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = LiveSite(project, Selection(("guide",), ("fr",)), runner=InProcess())

    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("livret.build.pipeline.build", broken)
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
    assert headers["Cache-Control"].startswith("private")  # its URL names its version
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


def test_each_page_has_a_readable_view(live: Live) -> None:
    page = live.wait_for("the built guide", built)
    pages = len(page.thumbnails)
    status, _, body = live.get("/page/fr/guide/2")
    assert status == 200
    view = Page(body.decode("utf-8"))
    assert view.text("page-number") == [f"Page 2 of {pages}"]
    assert view.links["Previous page"] == "/page/fr/guide/1"
    assert view.links["Next page"] == "/page/fr/guide/3"
    assert view.links["All documents"] == "/#job-fr-guide"
    (picture,) = re.findall(r'<img class="page-picture" src="([^"]+)"', body.decode("utf-8"))
    status, headers, png = live.get(picture)
    assert status == 200 and headers["Content-Type"] == "image/png"
    assert int.from_bytes(png[16:20], "big") == 1240  # readable: 1240 px for an A4 width
    last = Page(live.get(f"/page/fr/guide/{pages}")[2].decode("utf-8"))
    assert "Next page" not in last.links and "Previous page" in last.links
    for missing in ("/page/fr/guide/0", f"/page/fr/guide/{pages + 1}", "/page/en/guide/1",
                    f"/picture/fr/guide/{pages + 1}.png"):  # fmt: skip
        assert live.get(missing)[0] == 404, missing
    # the overview's thumbnails open the page view
    assert f"/page/fr/guide/{pages}" in live.get("/")[2].decode("utf-8")


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
def browser(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    """Headless Chromium; skipped only where it is not installed (never in CI). Its
    languages (Accept-Language) are the test's ``browser_languages`` mark, if any."""
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
    if marker := request.node.get_closest_marker("browser_languages"):
        options.add_experimental_option("prefs", {"intl.accept_languages": marker.args[0]})
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


@pytest.mark.browser_languages("fr-FR,fr,en")
def test_browser_switches_language_and_reads_a_page(browser: Any, served: str) -> None:
    """The page follows the browser's French; its switch goes to English and stays there;
    a thumbnail opens a page at a readable size, and the arrow keys turn the pages."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.wait import WebDriverWait

    wait = WebDriverWait(
        browser, DEADLINE, poll_frequency=0.2, ignored_exceptions=[StaleElementReferenceException]
    )

    def status(driver: Any) -> str:
        return str(driver.find_element(By.CSS_SELECTOR, ".status").text)

    def page_language(driver: Any) -> str:
        return str(driver.find_element(By.TAG_NAME, "html").get_attribute("lang"))

    browser.get(served)
    wait.until(lambda driver: status(driver) == "À jour")
    assert page_language(browser) == "fr"
    browser.find_element(By.LINK_TEXT, "English").click()
    wait.until(lambda driver: status(driver) == "Up to date")
    assert page_language(browser) == "en"
    browser.get(served)  # the choice is remembered
    wait.until(lambda driver: status(driver) == "Up to date")

    browser.find_element(By.CSS_SELECTOR, "img.thumb").click()
    wait.until(lambda driver: driver.current_url == f"{served}page/fr/guide/1")
    picture = wait.until(
        lambda driver: (
            driver.find_element(By.CSS_SELECTOR, "img.page-picture")
            if driver.find_element(By.CSS_SELECTOR, "img.page-picture").get_property("naturalWidth")
            else None
        )
    )
    assert picture.get_property("naturalWidth") == 1240
    assert picture.size["width"] >= 700  # readable, where a thumbnail is 150 px wide
    assert browser.find_element(By.CSS_SELECTOR, ".page-number").text.startswith("Page 1 of ")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT)
    wait.until(lambda driver: driver.current_url == f"{served}page/fr/guide/2")
    assert browser.find_element(By.CSS_SELECTOR, ".page-number").text.startswith("Page 2 of ")
    browser.find_element(By.LINK_TEXT, "Français").click()
    wait.until(lambda driver: driver.find_element(By.CSS_SELECTOR, ".page-number").text
               .startswith("Page 2 sur "))  # fmt: skip
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_LEFT)
    wait.until(lambda driver: driver.current_url == f"{served}page/fr/guide/1")


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


# The page's views, errors and language, from a state made up for the test.


def entry(label: str, state: str = "ok", error: str | None = None) -> Entry:
    *chapter, lang, document = label.split("/")
    job = Job(document, lang, chapter[1] if chapter else None)
    return Entry(
        job, state, error, thumbnails=(Thumbnail("k", b"png"),) if state == "ok" else (), built=3
    )


def made_up(*entries: Entry, project_error: str | None = None) -> Snapshot:
    return Snapshot(7, Path("/kit"), project_error, entries, time_limit=120.0)


def test_an_error_shared_by_documents_shows_once_and_the_badge_links_to_it() -> None:
    brand = "brand/brand.yaml:4: 'primary' must be a colour such as #1d4ed8"
    own = "fr/checklist-event: overflows one A4 page by 12 mm even at 8.5 pt"
    page = Page(render_page(made_up(
        entry("fr/guide", "error", brand), entry("en/guide", "error", brand),
        entry("fr/checklist-event", "error", own), entry("en/checklist-event"),
    )))  # fmt: skip
    assert page.text("status") == ["2 errors"]
    assert page.links["2 errors"] == "/#errors"
    assert "errors" in page.ids and "error-1" in page.ids and "error-2" in page.ids
    assert page.text("error") == [brand, own]  # each message once
    assert page.links["fr/guide"] == "/#job-fr-guide"
    assert page.links["en/guide"] == "/#job-en-guide"
    assert page.links["Error in fr/checklist-event"] == "/#job-fr-checklist-event"
    shared = "Stopped by the error above, shared with other documents."
    assert page.text("shared") == [shared, shared]
    assert page.links[shared] == "/#error-1"
    assert {"job-fr-guide", "job-en-guide", "job-fr-checklist-event"} <= set(page.ids)

    project = Page(render_page(made_up(entry("fr/guide"), project_error="livret.yaml:3: bad")))
    assert project.text("error") == ["livret.yaml:3: bad"]
    assert project.text("status") == ["1 error"]


def test_views_by_language_and_by_edition() -> None:
    site = made_up(*(
        entry(f"{prefix}{lang}/checklist-event")
        for prefix in ("chapters/lyon/", "chapters/lille/") for lang in ("fr", "en")
    ))  # fmt: skip

    def cards(query: dict[str, str]) -> list[str]:
        return [id for id in Page(render_page(site, query)).ids if id.startswith("job-")]

    assert len(cards({})) == 4
    assert cards({"lang": "en"}) == [
        "job-chapters-lyon-en-checklist-event", "job-chapters-lille-en-checklist-event",
    ]  # fmt: skip
    assert cards({"edition": "lille"}) == [
        "job-chapters-lille-fr-checklist-event", "job-chapters-lille-en-checklist-event",
    ]  # fmt: skip
    assert cards({"edition": "lille", "lang": "fr"}) == ["job-chapters-lille-fr-checklist-event"]
    page = Page(render_page(site, {"lang": "en"}))
    assert page.text("current") == ["en", "all"]  # the language chosen, every edition
    assert page.links["lille"] == "/?lang=en&edition=lille"  # the other choice is kept
    assert page.links["all"] == "/"
    assert page.links["Français"] == "/?lang=en&ui=fr"
    one = Page(render_page(made_up(entry("fr/guide"))))
    assert "Language" not in one.texts.get("view-name", [])  # nothing to choose from


def test_the_page_speaks_french_or_english() -> None:
    site = made_up(entry("fr/guide", "error", "content/guide.yaml:3: unknown key 'titel'"))
    english, french = Page(render_page(site)), Page(render_page(site, lang="fr"))
    assert (english.lang, french.lang) == ("en", "fr")
    assert english.text("status") == ["1 error"] and french.text("status") == ["1 erreur"]
    assert french.links["Erreur dans fr/guide"] == "/#job-fr-guide"
    assert french.text("error") == english.text("error")  # livret's messages stay as they are


def test_the_french_catalog_of_the_page_is_complete() -> None:
    from importlib import resources

    from babel.messages.pofile import read_po
    from jinja2.ext import babel_extract

    web = resources.files("livret.serve").joinpath("web")
    catalog = read_po(web.joinpath("fr.po").open("rb"))
    options = {"trim_blocks": "true", "lstrip_blocks": "true"}
    found = set()
    for name in ("layout.html.j2", "page.html.j2", "view.html.j2"):
        with web.joinpath(name).open("rb") as template:
            for _, _, message, _ in babel_extract(template, ("_", "ngettext"), [], options):
                found.add(message if isinstance(message, str) else message[0])
    assert len(found) > 30
    missing = [msgid for msgid in found if not (catalog.get(msgid) and catalog[msgid].string)]
    assert missing == []
    unused = [
        item.id
        for item in catalog
        if item.id and (item.id if isinstance(item.id, str) else item.id[0]) not in found
    ]
    assert unused == []
    done = subprocess.run(["msgfmt", "-c", "--check-format", "-o", os.devnull, str(web / "fr.po")])
    assert done.returncode == 0


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", "fr"),
        ("en-US,en;q=0.9,fr;q=0.8", "en"),
        ("de-DE,de;q=0.9,fr;q=0.5", "fr"),
        ("en;q=0.5, fr-CA", "fr"),
        ("fr;q=0, en;q=0.1", "en"),
        ("de", "en"),
        ("", "en"),
        ("fr;q=abc", "en"),
    ],
)
def test_the_page_follows_the_browsers_language(header: str, expected: str) -> None:
    from livret.serve.ui import choose_language

    assert choose_language(None, None, header) == expected
    assert choose_language("fr", "en", header) == "fr"  # the switch on the page
    assert choose_language("xx", "en", header) == "en"  # the cookie it left


# Chapters, and a rebuild that hangs.


def test_serve_chapter_editions(project: Path) -> None:
    site = LiveSite(project, Selection(("checklist-event",), ("fr",), ("lyon", "lille")))
    server = LiveServer(site, "127.0.0.1", 0)
    server.start()
    live = Live(project, server)
    try:
        page = live.wait_for(
            "both editions", lambda page: built(page) and len(page.thumbnails) == 2
        )
        assert page.text("edition") == ["lyon", "lille"]
        status, _, body = live.get("/pdf/chapters/lille/fr/checklist-event.pdf")
        assert status == 200
        assert body == (project / "out/chapters/lille/fr/checklist-event.pdf").read_bytes()
        assert not (project / "out/fr").exists()  # only the chapters were asked for
        lille = Page(live.get("/?edition=lille")[2].decode("utf-8"))
        assert lille.thumbnails == [
            thumb for thumb in page.thumbnails if thumb.startswith("/thumb/chapters/lille/")
        ]
        status, _, png = live.get("/picture/chapters/lyon/fr/checklist-event/1.png")
        assert status == 200 and int.from_bytes(png[16:20], "big") == 1240
    finally:
        server.close()


def test_a_file_saved_during_the_first_build_is_rebuilt(project: Path) -> None:
    """The watcher starts before the first build: an edit made while it runs is not lost."""
    selection = Selection(("checklist-event",), ("fr",))
    server = LiveServer(LiveSite(project, selection, runner=InProcess()), "127.0.0.1", 0)
    content = project / "content/checklists/event.yaml"
    text = content.read_text(encoding="utf-8")
    server.start()
    live = Live(project, server)
    try:
        time.sleep(0.3)  # the first build has started
        content.write_text(text.replace("title: Couvrir", "title: Animer", 1), encoding="utf-8")
        page = live.wait_for(
            "the new title", lambda page: "Animer un événement" in page.text("title")
        )
        assert built(page)
    finally:
        server.close()


def test_a_rebuild_that_hangs_is_abandoned_and_the_next_edit_rebuilds(project: Path) -> None:
    """The worker process is frozen (SIGSTOP), as by a file that never ends: the rebuild
    is abandoned at the time limit, the page says so, and the next save rebuilds."""
    worker = Worker(time_limit=120)
    selection = Selection(("checklist-event", "checklist-crisis"), ("fr",))
    server = LiveServer(LiveSite(project, selection, runner=worker), "127.0.0.1", 0)
    server.start()
    live = Live(project, server)
    try:
        live.wait_for("both checklists", lambda page: built(page) and len(page.thumbnails) == 2)
        frozen = worker.pid
        assert frozen is not None
        worker.time_limit = 3
        os.kill(frozen, signal.SIGSTOP)
        brand = project / "brand/brand.yaml"
        brand.write_text(brand.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
        page = live.wait_for("the abandoned rebuild", lambda page: bool(page.text("abandoned")))
        assert page.text("abandoned") == [
            "Loading the project took longer than 3 s, so it was abandoned. "
            "Save a file to try again."
        ]
        assert page.text("status") == ["1 error"] and page.links["1 error"] == "/#errors"
        assert len(page.thumbnails) == 2  # the last good editions stay in view
        assert not Path(f"/proc/{frozen}").exists()  # killed, not left behind

        worker.time_limit = 120
        content = project / "content/checklists/event.yaml"
        content.write_text(content.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
        page = live.wait_for("both rebuilt", lambda page: built(page) and not page.text("errors"))
        assert page.text("state") == ["built", "built"]
        assert worker.pid not in (None, frozen)
    finally:
        server.close()
    assert worker.pid is None  # closing the server ends the worker


def test_the_worker_kills_a_call_at_the_time_limit_and_starts_afresh() -> None:
    from livret.errors import LivretError
    from livret.serve.worker import Abandoned, WorkerBug

    worker = Worker(time_limit=2)
    try:
        first = worker.call(os.getpid)
        assert first == worker.pid != os.getpid()
        assert worker.call(os.getpid) == first  # the same process between calls
        with pytest.raises(Abandoned, match="took longer than 2 s"):
            worker.call(time.sleep, 3600)
        assert worker.pid is None and not Path(f"/proc/{first}").exists()
        assert worker.call(os.getpid) not in (None, first)
        with pytest.raises(LivretError, match=r"^livret\.yaml: file not found$"):
            worker.call(load_project, Path("/nonexistent"))
        with pytest.raises(WorkerBug, match="ZeroDivisionError"):
            worker.call(divmod, 1, 0)
        stop = threading.Event()
        stop.set()
        with pytest.raises(Abandoned, match="stopping"):
            worker.call(time.sleep, 3600, stop=stop)
    finally:
        worker.close()


class AbandonsOne(InProcess):
    """Runs rebuilds in-process, but abandons every build of ``label``, as at the time limit."""

    def __init__(self, label: str) -> None:
        self.label = label

    def call(self, function: Callable[..., Any], *args: Any, stop: Any = None) -> Any:
        from livret.serve.worker import Abandoned

        if any(isinstance(arg, Job) and arg.label == self.label for arg in args):
            raise Abandoned("took longer than 60 s")
        return function(*args)


def test_an_abandoned_build_leaves_the_rest_for_the_next_edit(project: Path) -> None:
    runner = AbandonsOne("fr/checklist-crisis")
    jobs = ("checklist-crisis", "checklist-event")
    site = LiveSite(project, Selection(jobs, ("fr",)), runner=runner)
    site.rebuild()
    states = {entry.job.label: entry.state for entry in site.snapshot().entries}
    assert states == {"fr/checklist-crisis": "abandoned", "fr/checklist-event": "not-rebuilt"}
    page = Page(render_page(site.snapshot()))
    assert page.text("abandoned") == [
        "This build took longer than 60 s, so it was abandoned. Save a file to try again."
    ]
    assert page.text("status") == ["1 error"]

    runner.label = "none"  # the next edit touches neither, but both were left unfinished
    site.rebuild([project / "content/checklists/daily-watch.yaml"])
    states = {entry.job.label: entry.state for entry in site.snapshot().entries}
    assert states == {"fr/checklist-crisis": "ok", "fr/checklist-event": "ok"}
    assert (project / "out/fr/checklist-crisis.pdf").is_file()
