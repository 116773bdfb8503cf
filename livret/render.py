"""The Jinja environment that turns data into HTML, and WeasyPrint that turns HTML into PDF.

WeasyPrint is imported lazily, so commands that render nothing start fast.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from livret.errors import LivretError
from livret.formatting import FILTERS
from livret.qr import qr_data_uri


@cache
def environment(templates_dir: Path) -> jinja2.Environment:
    """The sandboxed-by-convention Jinja environment of a project's templates."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    # As extracted (see livret.extract): {% trans %} blocks are trimmed and call the
    # context's gettext/ngettext with their variables, which format the translation.
    env.policies["ext.i18n.trimmed"] = True
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.filters["qr"] = qr_data_uri
    return env


def load_template(templates_dir: Path, name: str) -> jinja2.Template:
    """Compile a template; syntax errors become user errors with template and line."""
    try:
        return environment(templates_dir).get_template(name)
    except jinja2.TemplateSyntaxError as error:
        raise LivretError(
            f"template error: {error.message}", f"templates/{error.name}", error.lineno
        ) from None
    except jinja2.TemplateNotFound as error:
        raise LivretError(f"template '{error.name}' not found", "templates") from None


def render_html(template: jinja2.Template, context: dict[str, Any]) -> str:
    """Render a template; runtime errors become user errors with template and line."""
    try:
        return template.render(context)
    except jinja2.TemplateSyntaxError as error:
        raise LivretError(
            f"template error: {error.message}", f"templates/{error.name}", error.lineno
        ) from None
    except (jinja2.UndefinedError, TypeError, ValueError, KeyError, AttributeError) as error:
        file, line = _template_frame(error, template)
        raise LivretError(f"template error: {error}", file, line) from None


def _template_frame(error: BaseException, template: jinja2.Template) -> tuple[str, int | None]:
    """The template file and line where a runtime error happened, from the traceback."""
    traceback = error.__traceback__
    found: tuple[str, int | None] = (f"templates/{template.name}", None)
    while traceback is not None:
        frame = traceback.tb_frame
        filename = frame.f_code.co_filename
        if filename.endswith(".j2"):
            debug_template = frame.f_globals.get("__jinja_template__")
            line = (
                debug_template.get_corresponding_lineno(traceback.tb_lineno)
                if debug_template
                else None
            )
            found = (f"templates/{Path(filename).name}", line)
        traceback = traceback.tb_next
    return found


class PdfRenderer:
    """Renders HTML to PDF bytes, reusing one font configuration and image cache."""

    def __init__(self) -> None:
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        self.image_cache: dict[str, Any] = {}

    def layout(
        self, html: str, base_url: str, allowed_folders: Iterable[Path], **options: Any
    ) -> Any:
        """Lay out one document (a ``weasyprint.Document``); fetches stay in ``allowed_folders``."""
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError

        from livret.fetch import ProjectFetcher

        fetcher = ProjectFetcher(allowed_folders)
        try:
            return HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
                font_config=self.font_config, cache=self.image_cache, **options
            )
        except FatalURLFetchingError:
            reason = fetcher.refused[-1] if fetcher.refused else "a resource could not be loaded"
            raise LivretError(f"refused to load {reason}") from None

    @staticmethod
    def write(document: Any, **options: Any) -> bytes:
        """The PDF bytes of a laid-out document."""
        return bytes(document.write_pdf(**options))
