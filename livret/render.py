"""The Jinja environment that turns data into HTML, and WeasyPrint that turns HTML into PDF.

WeasyPrint is imported lazily, so commands that render nothing start fast.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterable
from functools import cache, partial
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from livret.errors import LivretError
from livret.formatting import FILTERS
from livret.qr import qr_data_uri
from livret.reproducible import source_date_epoch
from livret.yamlfile import read_text


class ProjectLoader(jinja2.FileSystemLoader):
    """Templates from the project's ``templates/`` only: no symlink leads out of it.

    Files are read like every other input: UTF-8, size cap, errors with file and line.
    """

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        display = f"templates/{template}"
        folder = Path(self.searchpath[0])
        path = folder.joinpath(*split_template_path(template))
        if not path.is_file():
            raise jinja2.TemplateNotFound(template)
        if not path.resolve().is_relative_to(folder.resolve()):
            raise LivretError("the template is a link to a file outside the project", display)
        mtime = path.stat().st_mtime_ns
        source = read_text(path, display)
        return source, str(path), partial(_unchanged, path, mtime)


def _unchanged(path: Path, mtime: int) -> bool:
    return path.is_file() and path.stat().st_mtime_ns == mtime


@cache
def environment(templates_dir: Path) -> jinja2.Environment:
    """The Jinja environment of a project's templates, sandboxed as a second line of defence.

    Templates come from trusted staff; the sandbox still stops one from reaching Python
    internals (``''.__class__.__mro__``) if a hostile template ever slips in.
    """
    env = SandboxedEnvironment(
        loader=ProjectLoader(str(templates_dir)),
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
    except jinja2.TemplateNotFound as error:
        file, line = _template_frame(error, template)
        raise LivretError(
            f"template error: template '{error.name}' not found", file, line
        ) from None
    except (
        jinja2.UndefinedError,
        SecurityError,
        TypeError,
        ValueError,
        KeyError,
        AttributeError,
    ) as error:
        file, line = _template_frame(error, template)
        raise LivretError(f"template error: {error}", file, line) from None


def _template_frame(error: BaseException, template: jinja2.Template) -> tuple[str, int | None]:
    """The template file and line where a runtime error happened, from the traceback.

    Jinja rewrites the traceback of an error raised while rendering: the frames of
    template code then carry the template's file name and line.
    """
    traceback = error.__traceback__
    found: tuple[str, int | None] = (f"templates/{template.name}", None)
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            debug_template = traceback.tb_frame.f_globals.get("__jinja_template__")
            line = traceback.tb_lineno
            if debug_template is not None:  # a frame Jinja did not rewrite
                line = debug_template.get_corresponding_lineno(line)
            found = (_template_display(filename, template), line)
        traceback = traceback.tb_next
    return found


def _template_display(filename: str, template: jinja2.Template) -> str:
    """``templates/blocks/p.html.j2`` for a template file of the project."""
    loader = template.environment.loader
    folder = Path(loader.searchpath[0]) if isinstance(loader, ProjectLoader) else None
    if folder is not None and Path(filename).is_relative_to(folder):
        return f"templates/{Path(filename).relative_to(folder).as_posix()}"
    return f"templates/{Path(filename).name}"


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

        from livret.fetch import ProjectFetcher

        fetcher = ProjectFetcher(allowed_folders)
        try:
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
        """The PDF bytes of a laid-out document, finished and checked for active content."""
        from weasyprint.urls import FatalURLFetchingError

        from livret.pdffinish import finish, layout_hints

        fetcher = document.url_fetcher
        try:
            with source_date_epoch(self.source_date):
                pdf = finish(bytes(document.write_pdf(**options)), layout_hints(document))
        except FatalURLFetchingError:
            raise LivretError(f"refused to load {_refusal(fetcher)}") from None
        if getattr(fetcher, "refused", None):  # e.g. an image inside an SVG, drawn now
            raise LivretError(f"refused to load {_refusal(fetcher)}")
        from livret.pdfcheck import unsafe_content

        problems = unsafe_content(pdf)
        if problems:
            raise LivretError(f"refused to write a PDF that carries {', '.join(problems)}")
        return pdf


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
