"""The Jinja environment that turns data into HTML: project templates only, sandboxed.

Template errors, at compile time or while rendering, become user errors that name the
template file and line.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from livret.errors import LivretError
from livret.html import css, filters
from livret.html.qr import qr_data_uri
from livret.inputs import read_text


class ProjectLoader(jinja2.FileSystemLoader):
    """Templates from the project's ``templates/`` only: no symlink, not even the folder
    itself, leads out of the project.

    Files are read like every other input (:mod:`livret.inputs`): confined, UTF-8, size
    cap, errors with file and line.
    """

    def __init__(self, templates_dir: Path, root: Path) -> None:
        super().__init__(str(templates_dir))
        self.root = root

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        display = f"templates/{template}"
        folder = Path(self.searchpath[0])
        path = folder.joinpath(*split_template_path(template))
        if not path.exists() and not path.is_symlink():
            raise jinja2.TemplateNotFound(template)
        source = read_text(path, self.root, display, "template")
        mtime = path.stat().st_mtime_ns
        return source, str(path), partial(_unchanged, path, mtime)


def _unchanged(path: Path, mtime: int) -> bool:
    return path.is_file() and path.stat().st_mtime_ns == mtime


@cache
def environment(templates_dir: Path, root: Path) -> jinja2.Environment:
    """The Jinja environment of a project's templates, sandboxed as a second line of defence.

    Templates come from trusted staff; the sandbox still stops one from reaching Python
    internals (``''.__class__.__mro__``) if a hostile template ever slips in.
    """
    env = SandboxedEnvironment(
        loader=ProjectLoader(templates_dir, root),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(filters.FILTERS)
    env.filters.update(css.FILTERS)
    # As extracted (see livret.i18n.extract): {% trans %} blocks are trimmed and call the
    # context's gettext/ngettext with their variables, which format the translation.
    env.policies["ext.i18n.trimmed"] = True
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.filters["qr"] = qr_data_uri
    return env


def load_template(templates_dir: Path, name: str, root: Path) -> jinja2.Template:
    """Compile a template of the project in ``root``; syntax errors become user errors with
    template and line."""
    try:
        return environment(templates_dir, root).get_template(name)
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
