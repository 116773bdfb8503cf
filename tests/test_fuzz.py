"""Fuzzing the loaders: whatever the input, only LivretError may escape.

Two kinds of inputs: the sample files with random edits (bytes inserted, deleted or
replaced), and the sample data with one value anywhere in the tree replaced by a random
value (or removed). Example counts stay modest to keep CI fast.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polib
import yaml
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from livret.errors import LivretError
from livret.html.localize import Localizer
from livret.i18n.po import read_catalog
from livret.i18n.translator import Translator, _load
from livret.model.brand import load_brand
from livret.model.chapters import SLUG, load_chapters, parse_csv
from livret.model.project import load_content, load_project
from livret.model.yamlfile import load_yaml

FUZZ = settings(
    max_examples=int(os.environ.get("LIVRET_FUZZ_EXAMPLES", "60")),  # more for a deep run
    deadline=None,
    database=None,  # no .hypothesis folder left in the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SAMPLES = {
    "livret.yaml": (REPO / "livret.yaml").read_text(encoding="utf-8"),
    "brand/brand.yaml": (REPO / "brand/brand.yaml").read_text(encoding="utf-8"),
    "content/checklists/event.yaml": (REPO / "content/checklists/event.yaml").read_text(
        encoding="utf-8"
    ),
    "content/guide/01-pour-qui.md": (REPO / "content/guide/01-pour-qui.md").read_text(
        encoding="utf-8"
    ),
    "locales/en/LC_MESSAGES/livret.po": (REPO / "locales/en/LC_MESSAGES/livret.po").read_text(
        encoding="utf-8"
    ),
    "brand/chapters.csv": (REPO / "brand/chapters.csv").read_text(encoding="utf-8"),
    "brand/chapters/brest.yaml": (
        "name: Unité locale de Brest\ncity: Brest\nemail: brest@phares-solidaires.example\n"
        "website: https://brest.phares-solidaires.example\n"
        "accounts:\n  facebook: https://www.facebook.com/pharessolidaires.brest\n"
    ),
}
# Characters that matter to YAML, PO and paths, plus a few hostile ones.
SPECIAL = st.sampled_from(list(":-[]{}&*!|>'\"%@`#,?\n\t \\/.\x00\x85\u2028\ufeff\U0001f600"))
TEXT = st.text(st.one_of(SPECIAL, st.characters(exclude_categories=["Cs"])), max_size=30)
PATHS = ["../../etc/passwd", "/etc/passwd", "/dev/zero", "lo\x00go.svg", "x" * 300 + ".svg"]
PATHS += ["logo.svg", "../", ".", "content", "brand/logo.svg", "source-sans-pro", "#fff"]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    TEXT,
    st.dates(),
    st.sampled_from(PATHS),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


def raises_only_livret_error(function: Callable[[], Any]) -> None:
    try:
        function()
    except LivretError as error:
        assert str(error), "an error must say something"


@st.composite
def edited(draw: st.DrawFn, sample: str) -> bytes:
    """``sample`` with a few random byte-level edits."""
    data = bytearray(sample.encode("utf-8"))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(data)))
        deleted = draw(st.integers(0, 8))
        inserted = draw(st.one_of(TEXT.map(lambda t: t.encode("utf-8")), st.binary(max_size=8)))
        data[position : position + deleted] = inserted
    return bytes(data)


@st.composite
def changed_tree(draw: st.DrawFn, sample: str) -> str:
    """The sample YAML with one value, at any depth, replaced or removed."""
    tree = yaml.safe_load(sample)
    node, key = tree, None
    while isinstance(node, (dict, list)) and node and draw(st.booleans()):
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        key = draw(st.sampled_from(keys))
        if not isinstance(node[key], (dict, list)) or not node[key]:
            break
        node = node[key]
    if key is None:
        key = draw(st.sampled_from([*tree, "unknown"])) if isinstance(tree, dict) else 0
    if isinstance(node, dict) and draw(st.integers(0, 5)) == 0:
        node.pop(key, None)
    elif isinstance(node, dict) or (isinstance(node, list) and isinstance(key, int) and node):
        replacement = st.one_of(st.sampled_from(PATHS), SCALARS, VALUES)
        node[key if isinstance(node, dict) else key % len(node)] = draw(replacement)
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)


def yaml_inputs(name: str) -> st.SearchStrategy[bytes]:
    sample = SAMPLES[name]
    return st.one_of(
        edited(sample),
        changed_tree(sample).map(lambda text: text.encode("utf-8")),
        st.binary(max_size=200),
    )


@FUZZ
@given(data=st.one_of(yaml_inputs("content/checklists/event.yaml"), TEXT.map(str.encode)))
def test_load_yaml(project: Path, data: bytes) -> None:
    (project / "fuzz.yaml").write_bytes(data)
    raises_only_livret_error(lambda: load_yaml(project / "fuzz.yaml", "fuzz.yaml", project))


@FUZZ
@given(data=yaml_inputs("livret.yaml"))
def test_load_project(project: Path, data: bytes) -> None:
    (project / "livret.yaml").write_bytes(data)
    raises_only_livret_error(lambda: load_project(project))


@FUZZ
@given(data=yaml_inputs("brand/brand.yaml"))
def test_load_brand(project: Path, data: bytes) -> None:
    loaded = load_project(project)
    (project / "brand/brand.yaml").write_bytes(data)
    raises_only_livret_error(lambda: load_brand(loaded))


@FUZZ
@given(data=yaml_inputs("content/checklists/event.yaml"))
def test_load_content(project: Path, data: bytes) -> None:
    loaded = load_project(project)
    (project / "content/checklists/event.yaml").write_bytes(data)
    raises_only_livret_error(lambda: load_content(loaded, loaded.documents["checklist-event"]))


# Characters that matter to Markdown, the guide's directives, callouts and front matter.
MARKDOWN = st.sampled_from(
    ["#", "## ", "> ", "> [!TIP] ", "[!", "- ", "1. ", "|", "---", "\n---\n", "::: ", ":::",
     "accounts", "![", "](", "../images/", "`", "```", "    ", "\n", "\n\n", "<", "*", "\t"]
)  # fmt: skip


@FUZZ
@given(
    data=st.one_of(
        edited(SAMPLES["content/guide/01-pour-qui.md"]),
        st.lists(st.one_of(MARKDOWN, TEXT), max_size=20).map(lambda parts: "".join(parts).encode()),
    )
)
def test_load_guide_markdown(project: Path, data: bytes) -> None:
    loaded = load_project(project)
    (project / "content/guide/01-pour-qui.md").write_bytes(data)
    raises_only_livret_error(lambda: load_content(loaded, loaded.documents["guide"]))


PO_LINES = st.sampled_from(
    [
        'msgid "Sommaire"',
        'msgstr "Contents"',
        'msgctxt "x"',
        'msgid_plural "b"',
        'msgstr[0] "a"',
        'msgstr[1] "b"',
        "#, fuzzy",
        "#, python-format",
        '#| msgid "old"',
        '#~ msgid "gone"',
        '"continued"',
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
        '"Plural-Forms: nplurals=x; plural=n%0;\\n"',
        '"Content-Type: text/plain; charset=latin-1\\n"',
        'msgid ""',
        'msgstr ""',
        "",
    ]
)


@st.composite
def po_texts(draw: st.DrawFn) -> bytes:
    """A PO file made of plausible lines, random strings and a few random edits."""
    lines = draw(st.lists(st.one_of(PO_LINES, TEXT.map(lambda t: f'msgstr "{t}"')), max_size=20))
    return "\n".join(lines).encode("utf-8")


@st.composite
def po_entries(draw: st.DrawFn) -> bytes:
    """A well-formed PO file (written by polib) with random strings and headers."""
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=utf-8"}
    if draw(st.booleans()):
        catalog.metadata["Plural-Forms"] = draw(TEXT)
    for _ in range(draw(st.integers(0, 4))):
        entry = polib.POEntry(
            msgid=draw(TEXT) or "x", msgstr=draw(TEXT), msgctxt=draw(TEXT) or None
        )
        if draw(st.booleans()):
            entry.flags.append("fuzzy")
        catalog.append(entry)
    return str(catalog).encode("utf-8")


PO_INPUTS = st.one_of(po_texts(), po_entries(), edited(SAMPLES["locales/en/LC_MESSAGES/livret.po"]))


@FUZZ
@given(data=PO_INPUTS)
def test_read_catalog(project: Path, data: bytes) -> None:
    path = project / "fuzz.po"
    path.write_bytes(data)
    raises_only_livret_error(lambda: read_catalog(path, "fuzz.po", project))
    # The runtime loader too (uncached: the file changes faster than its mtime).
    raises_only_livret_error(lambda: _load.__wrapped__(path, 0, "fuzz.po", "en", project))


CSV_HEADER = SAMPLES["brand/chapters.csv"].splitlines()[0].split(",")
CELLS = st.one_of(
    TEXT,
    st.sampled_from(PATHS),
    st.sampled_from(["", "lyon", "a@b.example", "https://x.example", "javascript:x", '"', "\n"]),
)


@st.composite
def spreadsheets(draw: st.DrawFn) -> str:
    """A chapters spreadsheet: the sample header or a random one, random rows and quoting."""
    header = CSV_HEADER
    if draw(st.booleans()):
        names = st.one_of(st.sampled_from([*CSV_HEADER, "account_x", "Slug", ""]), TEXT)
        header = draw(st.lists(names, max_size=10))
    rows = draw(st.lists(st.lists(CELLS, max_size=len(header) + 2), max_size=5))
    buffer = io.StringIO()
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    writer = csv.writer(buffer, delimiter=draw(st.sampled_from(",;\t")), quoting=quoting)
    writer.writerows([header, *rows])
    return buffer.getvalue()


def check_chapters(function: Callable[[], Any]) -> None:
    """Only LivretError escapes; what loads has a slug and no control characters."""
    try:
        chapters = function()
    except LivretError as error:
        assert str(error), "an error must say something"
        return
    for chapter in chapters:
        assert SLUG.fullmatch(chapter.slug), chapter
        for value in (chapter.name, chapter.city, chapter.email or "", chapter.phone or ""):
            assert all(unicodedata.category(c) != "Cc" or c in "\t\n\r" for c in value), chapter


@FUZZ
@given(
    text=st.one_of(
        spreadsheets(),
        TEXT,
        edited(SAMPLES["brand/chapters.csv"]).map(lambda data: data.decode("utf-8", "replace")),
    )
)
def test_parse_csv(text: str) -> None:
    check_chapters(lambda: parse_csv(text))


@FUZZ
@given(
    csv_data=st.one_of(
        spreadsheets().map(str.encode),
        edited(SAMPLES["brand/chapters.csv"]),
        st.binary(max_size=200),
    ),
    yaml_data=st.none() | yaml_inputs("brand/chapters/brest.yaml"),
    slug=st.sampled_from(["brest", "lyon", "Brest", "b rest"]),
)
def test_load_chapters(project: Path, csv_data: bytes, yaml_data: bytes | None, slug: str) -> None:
    loaded = load_project(project)
    (project / "brand/chapters.csv").write_bytes(csv_data)
    folder = project / "brand/chapters"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    if yaml_data is not None:
        (folder / f"{slug}.yaml").write_bytes(yaml_data)
    check_chapters(lambda: list(load_chapters(loaded).values()))


LABELS = ["Édition %(date)s", "Page {page} sur {pages}", "Sommaire", "%(name)s (logo)"]


@FUZZ
@given(label=st.sampled_from(LABELS), msgstr=st.one_of(TEXT, st.sampled_from(LABELS)))
def test_translated_labels(project: Path, label: str, msgstr: str) -> None:
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=utf-8"}
    catalog.append(polib.POEntry(msgid=label, msgstr=msgstr))
    path = project / "label.po"
    path.write_bytes(str(catalog).encode("utf-8"))
    try:
        loaded = _load.__wrapped__(path, 0, "label.po", "en", project)
    except LivretError:
        return  # refused when the catalog is read (a control character): a located error
    localizer = Localizer(Translator("en", [loaded]), "en_CA")
    variables = {"date": dt.date(2026, 11, 1), "name": "<b>Phares</b>"}
    raises_only_livret_error(lambda: localizer.template_callables()["_"](label, **variables))
