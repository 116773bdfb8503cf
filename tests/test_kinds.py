"""The table of document kinds, and the package layout that other code builds on."""

from __future__ import annotations

import ast
from importlib.metadata import entry_points
from pathlib import Path

from conftest import REPO

from livret.kinds import KINDS, SHARED_STYLESHEET, kind_of_template_file
from livret.model.project import load_project

PACKAGE = REPO / "livret"


def test_every_kind_has_its_template_and_stylesheet() -> None:
    templates = REPO / "templates"
    assert (templates / SHARED_STYLESHEET).is_file()
    for kind in KINDS.values():
        assert (templates / kind.template).is_file(), kind.template
        assert (templates / kind.stylesheet).is_file(), kind.stylesheet


def test_the_sample_uses_every_kind_and_its_rules() -> None:
    project = load_project(REPO)
    kinds = {doc.id: doc.kind for doc in project.documents.values()}
    assert set(kinds.values()) == set(KINDS.values())
    assert kinds["guide"].shared_body and kinds["guide"].one_page is None
    assert kinds["checklist-event"].one_page is not None
    assert kinds["checklist-event"].chapter_footer == "sheet-foot"
    assert not kinds["cheatsheets"].shared_body and kinds["cheatsheets"].chapter_footer is None


def test_template_files_belong_to_their_kind_or_to_all() -> None:
    assert kind_of_template_file("checklist.css") is KINDS["checklist"]
    assert kind_of_template_file("guide.html.j2") is KINDS["guide"]
    assert kind_of_template_file("base.html.j2") is None
    assert kind_of_template_file(SHARED_STYLESHEET) is None


def _imports(path: Path) -> set[str]:
    """The livret modules that ``path`` imports, anywhere in the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("livret"):
            for alias in node.names:
                found.add(f"{node.module}.{alias.name}")
                found.add(str(node.module))
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("livret")}
    return found


def test_no_import_cycles() -> None:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        modules[name] = path
    graph = {
        name: {
            other for other in _imports(path) if other in modules and other not in (name, "livret")
        }
        for name, path in modules.items()
    }
    visiting: list[str] = []
    done: set[str] = set()

    def visit(name: str) -> None:
        assert name not in visiting, " -> ".join([*visiting[visiting.index(name) :], name])
        if name in done:
            return
        visiting.append(name)
        for other in sorted(graph[name]):
            visit(other)
        visiting.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)


def test_babel_finds_the_content_extractor() -> None:
    from livret.i18n.extract import extract_content_yaml

    (point,) = [e for e in entry_points(group="babel.extractors") if e.name == "livret_yaml"]
    assert point.load() is extract_content_yaml
