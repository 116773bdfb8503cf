"""WeasyPrint turns HTML into PDF bytes, through the project's URL fetcher and output checks.

WeasyPrint is imported lazily, so commands that render nothing start fast.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from livret.errors import LivretError
from livret.pdf.reproducible import source_date_epoch


class PdfRenderer:
    """Renders HTML to PDF bytes, reusing one font configuration and image cache.

    ``source_date`` (the edition date) pins the clock of font subsetting, so that the
    bytes are the same whether or not HarfBuzz subsetting is installed.
    """

    def __init__(self, source_date: dt.date) -> None:
        from weasyprint.text.fonts import FontConfiguration

        self.source_date = source_date
        self.font_config = FontConfiguration()
        self.image_cache: dict[str, Any] = {}

    def __enter__(self) -> PdfRenderer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Remove the folder where WeasyPrint copied this configuration's fonts.

        WeasyPrint removes it only when the configuration is garbage-collected, which
        Python does not promise at exit.
        """
        folder = getattr(self.font_config, "_folder", None)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
            self.font_config._folder = None

    def layout(
        self, html: str, base_url: str, allowed_folders: Iterable[Path], **options: Any
    ) -> Any:
        """Lay out one document (a ``weasyprint.Document``); fetches stay in ``allowed_folders``."""
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError

        from livret.pdf.fetch import ProjectFetcher

        fetcher = ProjectFetcher(allowed_folders)
        try:
            with _no_missing_pictures(fetcher, self.image_cache):
                document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
                    font_config=self.font_config, cache=self.image_cache, **options
                )
        except FatalURLFetchingError:
            raise LivretError(f"refused to load {_refusal(fetcher)}") from None
        _refuse_attachments(document)
        if fetcher.refused:
            raise LivretError(f"refused to load {_refusal(fetcher)}")
        return document

    def write(self, document: Any, **options: Any) -> bytes:
        """The PDF bytes of a laid-out document, finished and checked for active content
        (in :func:`livret.pdf.finish.finish`)."""
        from weasyprint.urls import FatalURLFetchingError

        from livret.pdf.finish import finish, layout_hints

        fetcher = document.url_fetcher
        pictures = _no_missing_pictures(fetcher, self.image_cache)
        try:
            with source_date_epoch(self.source_date), pictures:
                pdf = finish(bytes(document.write_pdf(**options)), layout_hints(document))
        except FatalURLFetchingError:
            raise LivretError(f"refused to load {_refusal(fetcher)}") from None
        if getattr(fetcher, "refused", None):  # e.g. an image inside an SVG, drawn now
            raise LivretError(f"refused to load {_refusal(fetcher)}")
        return pdf


# What WeasyPrint logs, and otherwise leaves out of the PDF, when a picture cannot be drawn.
_PICTURE_FAILURES = (
    "Failed to load image",
    "Failed to render SVG image",
    "Failed to load inline SVG",
)


class _PictureFailures(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if str(record.msg).startswith(_PICTURE_FAILURES):
            self.messages.append(record.getMessage())


@contextmanager
def _no_missing_pictures(fetcher: Any, image_cache: dict[str, Any]) -> Iterator[None]:
    """A picture that WeasyPrint cannot decode stops the document: never a silent gap.
    (One that the fetcher refused is reported as a refusal by the caller.) WeasyPrint
    caches a failed picture as None and stays silent the next time: forget those."""
    handler = _PictureFailures()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        for url in [url for url, image in image_cache.items() if image is None]:
            del image_cache[url]
    if handler.messages and not getattr(fetcher, "refused", None):
        shown = handler.messages[0]
        raise LivretError(shown if len(shown) < 200 else shown[:197] + "...")


def _refusal(fetcher: Any) -> str:
    refused: list[str] = getattr(fetcher, "refused", [])
    return refused[-1] if refused else "a resource that could not be loaded"


def _refuse_attachments(document: Any) -> None:
    """``<link rel=attachment>`` and ``<a rel=attachment>`` would embed files: refuse them."""
    targets = ["<link rel=attachment>" for _ in document.metadata.attachments]
    targets += [
        f"<a rel=attachment href={target}>"
        for page in document.pages
        for link_type, target, _rectangle, _box in page.links
        if link_type == "attachment"
    ]
    if targets:
        raise LivretError(f"file attachments are not allowed: {targets[0]}")
