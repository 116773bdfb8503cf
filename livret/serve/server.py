"""``livret serve``: one local page with every document's thumbnails, rebuilt on save.

The standard library's ``ThreadingHTTPServer`` serves the page, its two static files,
the PDFs and the thumbnails; a watcher thread (watchfiles) rebuilds what a change
touches. The page long-polls ``/api/state`` and swaps in the new content by itself.
"""

from __future__ import annotations

import ipaddress
import json
import re
import signal
import socket
import sys
import threading
from functools import cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jinja2

from livret import __version__
from livret.errors import LivretError
from livret.serve.live import Entry, LiveSite, Snapshot

POLL_SECONDS = 20.0
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
STATIC = {"page.css": "text/css; charset=utf-8", "page.js": "text/javascript; charset=utf-8"}
_PDF = re.compile(r"/pdf/(?P<lang>[\w-]+)/(?P<doc>[\w-]+)\.pdf")
_THUMB = re.compile(r"/thumb/(?P<lang>[\w-]+)/(?P<doc>[\w-]+)/(?P<page>\d{1,4})\.png")
_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; object-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("livret.serve", "web"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_page(snapshot: Snapshot) -> str:
    """The HTML of the page for one state of the site."""
    documents: dict[str, list[Entry]] = {}
    for entry in snapshot.entries:
        documents.setdefault(entry.job.document, []).append(entry)
    return (
        _templates()
        .get_template("page.html.j2")
        .render(snapshot=snapshot, documents=documents, version=__version__)
    )


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

    @property
    def url(self) -> str:
        host, port = self.httpd.socket.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"

    def start(self) -> None:
        """Serve and watch in background threads; the first build starts at once."""
        for target, name in ((self.httpd.serve_forever, "http"), (self._watch, "watch")):
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
        """Stop serving, let the current job finish, and release the port."""
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=30)

    def _watch(self) -> None:
        import watchfiles

        self.site.rebuild(stop=self.stop)
        try:
            for changes in watchfiles.watch(
                self.site.root, stop_event=self.stop, raise_interrupt=False, rust_timeout=1000
            ):
                self.site.rebuild((Path(path) for _, path in changes), stop=self.stop)
        except Exception as error:  # e.g. the system's limit of watched folders
            self.site.fail(f"stopped watching {self.site.root}: {error}; restart livret serve")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: LiveSite, host: str, port: int, verbose: bool) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.site = site
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
        query = parse_qs(url.query)
        site = self.server.site
        if url.path == "/":
            page = render_page(site.snapshot())
            self._send(HTTPStatus.OK, page.encode("utf-8"), "text/html; charset=utf-8")
        elif url.path == "/api/state":
            self._state(site, _integer(query.get("after", [""])[0]))
        elif url.path.startswith("/static/") and url.path[8:] in STATIC:
            name = url.path[8:]
            data = resources.files("livret.serve").joinpath("web", name).read_bytes()
            self._send(HTTPStatus.OK, data, STATIC[name])
        elif match := _PDF.fullmatch(url.path):
            self._pdf(site.entry(match["lang"], match["doc"]))
        elif match := _THUMB.fullmatch(url.path):
            entry = site.entry(match["lang"], match["doc"])
            self._thumbnail(entry, int(match["page"]), query.get("v", [""])[0])
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain")

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
        # A versioned URL never changes meaning, so the browser may keep it.
        cache_control = "private, max-age=3600" if version == str(entry.built) else "no-store"
        self._send(HTTPStatus.OK, entry.thumbnails[page - 1], "image/png", cache_control)

    def _send(
        self, status: HTTPStatus, body: bytes, content_type: str, cache_control: str = "no-store"
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache_control)
        for name, value in _SECURITY_HEADERS.items():
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
