"""``livret serve``: one local page with every document's thumbnails, rebuilt on save.

The standard library's ``ThreadingHTTPServer`` serves the page (the overview, filtered
by language and edition, and a readable view of each page), its static files, the PDFs,
the thumbnails and the page pictures; a watcher thread (watchfiles) asks the site to
rebuild what a change touches. The page long-polls ``/api/state`` and swaps in the new
content by itself.
"""

from __future__ import annotations

import ipaddress
import json
import queue
import re
import signal
import socket
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache, partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jinja2

from livret import __version__
from livret.errors import LivretError
from livret.serve import ui
from livret.serve.live import Entry, LiveSite, Snapshot

POLL_SECONDS = 20.0
PAGE_WIDTH = 1240  # pixels of a page picture in the readable view (A4 at 150 dpi)
CACHED_PAGES = 48
WATCH_STEP_MS = 20  # a save is reported once no other change came for this long
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
STATIC = {"page.css": "text/css; charset=utf-8", "page.js": "text/javascript; charset=utf-8"}
_LABEL = r"(?P<label>(?:chapters/[a-z0-9][a-z0-9-]*/)?[\w-]+/[\w-]+)"
_PDF = re.compile(rf"/pdf/{_LABEL}\.pdf")
_THUMB = re.compile(rf"/thumb/{_LABEL}/(?P<page>\d{{1,4}})\.png")
_PICTURE = re.compile(rf"/picture/{_LABEL}/(?P<page>\d{{1,4}})\.png")
_VIEW = re.compile(rf"/page/{_LABEL}/(?P<page>\d{{1,4}})")
_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; object-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
NATIONAL = "national"  # the ``edition`` of the association's own documents, in views


@dataclass(frozen=True)
class View:
    """Which cards the overview shows: one language and one edition, or all (None)."""

    lang: str | None = None
    edition: str | None = None  # NATIONAL or a chapter slug

    def shows(self, entry: Entry) -> bool:
        edition = entry.job.chapter or NATIONAL
        return self.lang in (None, entry.job.lang) and self.edition in (None, edition)


def link(path: str, query: dict[str, str], **changes: str | None) -> str:
    """The URL of ``path`` with its ``query`` changed (a None value removes a parameter)."""
    values = {name: value for name, value in {**query, **changes}.items() if value}
    return f"{path}?{urlencode(values)}" if values else path


def anchor(entry: Entry) -> str:
    """The id of a job's card on the overview."""
    return "job-" + entry.job.label.replace("/", "-")


@cache
def _templates() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("livret.serve", "web"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["anchor"] = anchor
    return environment


def _render(
    template: str, snapshot: Snapshot, lang: str, path: str, query: dict[str, str], **context: Any
) -> str:
    query = {name: value for name, value in query.items() if name != "ui"}
    return (
        _templates()
        .get_template(template)
        .render(
            snapshot=snapshot,
            version=__version__,
            ui=lang,
            ui_languages=ui.UI_LANGUAGES,
            here=partial(link, path, query),
            **ui.gettext_functions(lang),
            **context,
        )
    )


def render_page(
    snapshot: Snapshot, query: dict[str, str] | None = None, lang: str = ui.DEFAULT_UI
) -> str:
    """The HTML of the overview for one state of the site, in the page language ``lang``;
    ``query`` may choose a view (``lang``, ``edition``)."""
    query = query or {}
    view = View(query.get("lang"), query.get("edition"))
    documents: dict[str, list[Entry]] = {}
    for entry in snapshot.entries:
        if view.shows(entry):
            documents.setdefault(entry.job.document, []).append(entry)
    languages = list(dict.fromkeys(entry.job.lang for entry in snapshot.entries))
    editions = list(dict.fromkeys(entry.job.chapter or NATIONAL for entry in snapshot.entries))
    return _render(
        "page.html.j2",
        snapshot,
        lang,
        "/",
        query,
        documents=documents,
        view=view,
        languages=languages,
        editions=editions,
        error_ids={message: number for number, message in enumerate(snapshot.errors, 1)},
    )


def render_view(snapshot: Snapshot, entry: Entry, page: int, lang: str = ui.DEFAULT_UI) -> str:
    """The HTML of the readable view of one page of a job."""
    path = f"/page/{entry.job.label}/{page}"
    return _render("view.html.j2", snapshot, lang, path, {}, entry=entry, page=page)


class PagePictures:
    """Page pictures at a readable size, drawn when first asked for and kept for a while.

    pdfium is not thread-safe, so one lock serialises the drawing.
    """

    def __init__(self, width: int = PAGE_WIDTH) -> None:
        self.width = width
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[str, int, int], bytes] = OrderedDict()

    def get(self, entry: Entry, page: int) -> bytes | None:
        """Page ``page`` (1-based) of the entry's PDF as PNG, or None if it cannot be read."""
        from livret.serve.preview import page_picture

        key = (entry.job.label, entry.built, page)
        with self._lock:
            if key not in self._cache:
                if entry.pdf is None:
                    return None
                try:
                    self._cache[key] = page_picture(entry.pdf, page, self.width)
                except (OSError, ValueError):  # replaced or removed since: not served
                    return None
                while len(self._cache) > CACHED_PAGES:
                    self._cache.popitem(last=False)
            self._cache.move_to_end(key)
            return self._cache[key]


class LiveServer:
    """The HTTP server and the watcher thread of one ``LiveSite``."""

    def __init__(
        self, site: LiveSite, host: str = "127.0.0.1", port: int = 8765, verbose: bool = False
    ) -> None:
        self.site = site
        self.stop = threading.Event()
        try:
            self.httpd = _Server(site, host, port, verbose)
        except OSError as error:
            raise LivretError(f"cannot listen on {host}:{port}: {error.strerror}") from None
        self._threads: list[threading.Thread] = []
        self._changes: queue.Queue[list[Path]] = queue.Queue()

    @property
    def url(self) -> str:
        host, port = self.httpd.socket.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"

    def start(self) -> None:
        """Serve, watch and build in background threads; the first build starts at once.
        The watcher starts first, so a file saved during the first build is rebuilt next."""
        for target, name in (
            (self._watch, "watch"),
            (self.httpd.serve_forever, "http"),
            (self._build, "build"),
        ):
            thread = threading.Thread(target=target, name=f"livret-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def serve_until_stopped(self) -> None:
        """Serve until Ctrl+C or SIGTERM, then close (from the main thread)."""
        signal.signal(signal.SIGTERM, lambda signum, frame: self.stop.set())
        self.start()
        try:
            self.stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            self.close()

    def close(self) -> None:
        """Stop serving and building (a build in progress is abandoned), release the port."""
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=30)
        self.site.close()

    def _watch(self) -> None:
        """Queue each set of changed files (in its own thread: it never waits for a build)."""
        import watchfiles

        try:
            for changes in watchfiles.watch(
                self.site.root,
                stop_event=self.stop,
                raise_interrupt=False,
                rust_timeout=1000,
                step=WATCH_STEP_MS,
            ):
                changed = [Path(path) for _, path in changes]
                if not all(map(self.site.ignores, changed)):
                    self._changes.put(changed)
        except Exception as error:  # e.g. the system's limit of watched folders
            self.site.fail(f"stopped watching {self.site.root}: {error}; restart livret serve")

    def _changes_waiting(self) -> bool:
        return not self._changes.empty()

    def _build(self) -> None:
        """Build everything, then rebuild what each batch of queued changes touches. A
        change saved during a rebuild goes ahead of the jobs that rebuild has not begun."""
        self.site.rebuild(stop=self.stop, newer=self._changes_waiting)
        while not self.stop.is_set():
            try:
                changed = self._changes.get(timeout=0.5)
            except queue.Empty:
                continue
            while not self._changes.empty():  # several saves while building: one rebuild
                changed += self._changes.get_nowait()
            self.site.rebuild(changed, stop=self.stop, newer=self._changes_waiting)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: LiveSite, host: str, port: int, verbose: bool) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.site = site
        self.pictures = PagePictures()
        self.verbose = verbose
        self.loopback = _is_loopback(host)
        super().__init__((host, port), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that leaves mid-answer is no error; anything else is reported."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = f"livret/{__version__}"

    def do_GET(self) -> None:
        if self.server.loopback and not self._local_host():
            self._send(HTTPStatus.MISDIRECTED_REQUEST, b"unknown host\n", "text/plain")
            return
        url = urlsplit(self.path)
        query = {name: values[0] for name, values in parse_qs(url.query).items()}
        site = self.server.site
        if url.path == "/":
            self._html(render_page(site.snapshot(), query, self._ui(query)), query)
        elif match := _VIEW.fullmatch(url.path):
            snapshot = site.snapshot()
            entry, page = snapshot.entry(match["label"]), int(match["page"])
            if entry is None or not 1 <= page <= len(entry.thumbnails):
                self._send(HTTPStatus.NOT_FOUND, b"no such page\n", "text/plain")
            else:
                self._html(render_view(snapshot, entry, page, self._ui(query)), query)
        elif url.path == "/api/state":
            self._state(site, _integer(query.get("after", "")))
        elif url.path.startswith("/static/") and url.path[8:] in STATIC:
            name = url.path[8:]
            data = resources.files("livret.serve").joinpath("web", name).read_bytes()
            self._send(HTTPStatus.OK, data, STATIC[name])
        elif match := _PDF.fullmatch(url.path):
            self._pdf(site.snapshot().entry(match["label"]))
        elif match := _THUMB.fullmatch(url.path):
            entry = site.snapshot().entry(match["label"])
            self._thumbnail(entry, int(match["page"]), query.get("v", ""))
        elif match := _PICTURE.fullmatch(url.path):
            entry = site.snapshot().entry(match["label"])
            self._picture(entry, int(match["page"]), query.get("v", ""))
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain")

    def _ui(self, query: dict[str, str]) -> str:
        cookie = ui.cookie_value(self.headers.get("Cookie", ""))
        return ui.choose_language(query.get("ui"), cookie, self.headers.get("Accept-Language", ""))

    def _html(self, page: str, query: dict[str, str]) -> None:
        asked = query.get("ui")
        remember = {}
        if asked in ui.UI_LANGUAGES:
            remember["Set-Cookie"] = f"{ui.COOKIE}={asked}; Path=/; SameSite=Strict"
        body = page.encode("utf-8")
        self._send(HTTPStatus.OK, body, "text/html; charset=utf-8", headers=remember)

    def _state(self, site: LiveSite, after: int | None) -> None:
        snapshot = site.wait(after, POLL_SECONDS) if after is not None else site.snapshot()
        body = {"version": snapshot.version, "building": snapshot.building}
        self._send(HTTPStatus.OK, json.dumps(body).encode(), "application/json")

    def _pdf(self, entry: Entry | None) -> None:
        try:
            data = entry.pdf.read_bytes() if entry and entry.pdf else None
        except OSError:
            data = None
        if data is None:
            self._send(HTTPStatus.NOT_FOUND, b"not built\n", "text/plain")
        else:
            self._send(HTTPStatus.OK, data, "application/pdf")

    def _thumbnail(self, entry: Entry | None, page: int, version: str) -> None:
        if entry is None or not 1 <= page <= len(entry.thumbnails):
            self._send(HTTPStatus.NOT_FOUND, b"no such page\n", "text/plain")
            return
        thumbnail = entry.thumbnails[page - 1]  # versioned by its key: only changed pages
        cache = _CACHED if version == thumbnail.key else "no-store"
        self._send(HTTPStatus.OK, thumbnail.png, "image/png", cache)

    def _picture(self, entry: Entry | None, page: int, version: str) -> None:
        picture = None
        if entry is not None and 1 <= page <= len(entry.thumbnails):
            picture = self.server.pictures.get(entry, page)
        if entry is None or picture is None:
            self._send(HTTPStatus.NOT_FOUND, b"no such page\n", "text/plain")
        else:
            self._send(HTTPStatus.OK, picture, "image/png", _cached(entry, version))

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        content_type: str,
        cache_control: str = "no-store",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache_control)
        for name, value in {**_SECURITY_HEADERS, **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _local_host(self) -> bool:
        """Refuse other Host names on a loopback server (a guard against DNS rebinding)."""
        host = self.headers.get("Host", "")
        name = host[1:].split("]")[0] if host.startswith("[") else host.split(":")[0]
        return name.lower() in LOOPBACK_NAMES

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)


_CACHED = "private, max-age=3600"


def _cached(entry: Entry, version: str) -> str:
    """A versioned URL never changes meaning, so the browser may keep it."""
    return _CACHED if version == str(entry.built) else "no-store"


def _integer(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
