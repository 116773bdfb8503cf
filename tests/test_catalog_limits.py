"""Reading a catalog (``read_catalog``, used by ``build``, ``check`` and ``i18n``): control
characters, raw or escaped, and the Plural-Forms limits, each a located error."""

from __future__ import annotations

from pathlib import Path

import pytest

from livret.errors import LivretError
from livret.i18n.po import read_catalog

HEADER = (
    'msgid ""\nmsgstr ""\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
    "\n"
)  # five lines: the first entry starts on line 6


def write_po(folder: Path, text: str, newline: str = "\n") -> Path:
    path = folder / "en.po"
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


REFUSED = [
    # A raw form feed would end a CSS string; str.splitlines also splits there.
    ("raw-form-feed", 'msgid "a"\nmsgstr "b\f} body { display: none } x {"\n', 7, "U+000C"),
    ("raw-file-separator", '\n\nmsgid "a"\nmsgstr "b\x1cc"\n', 9, "U+001C"),
    ("raw-next-line", 'msgid "a"\nmsgstr "b\x85c"\n', 7, "U+0085"),
    ("raw-nul", 'msgid "a"\nmsgstr "b\x00c"\n', 7, "U+0000"),
    ("escaped-form-feed", 'msgid "a"\nmsgstr "b\\fc"\n', 6, "U+000C"),
    ("escaped-carriage-return", 'msgid "a"\nmsgstr "b\\rc"\n', 6, "U+000D"),
]


@pytest.mark.parametrize(("name", "entries", "line", "code"), REFUSED, ids=[c[0] for c in REFUSED])
def test_control_characters_are_refused_on_their_line(
    tmp_path: Path,
    name: str,
    entries: str,
    line: int,
    code: str,
) -> None:
    path = write_po(tmp_path, HEADER + entries)
    with pytest.raises(LivretError) as caught:
        read_catalog(path, "en.po", tmp_path)
    assert str(caught.value) == f"en.po:{line}: control character {code} is not allowed"


def test_line_separators_and_windows_line_ends_are_fine(tmp_path: Path) -> None:
    entries = 'msgid "a"\nmsgstr "b\u2028c"\n\nmsgid "d"\nmsgstr "e\u2029f"\n'
    for newline in ("\n", "\r\n"):
        read_catalog(write_po(tmp_path, HEADER + entries, newline), "en.po", tmp_path)
    catalog = read_catalog(write_po(tmp_path, HEADER + entries), "en.po", tmp_path)
    assert [entry.msgstr for entry in catalog] == ["b\u2028c", "e\u2029f"]


PLURAL_FORMS = [
    ("nplurals=7; plural=n;", "nplurals must be between 1 and 6, not 7"),
    ("nplurals=0; plural=0;", "nplurals must be between 1 and 6, not 0"),
    ("nplurals=99999999999999999999; plural=n;", "nplurals must be between 1 and 6"),
    ("nplurals=2; plural=" + "(n != 1) && " * 20 + "1;", "the plural expression may have at most"),
]


@pytest.mark.parametrize(("header", "message"), PLURAL_FORMS)
def test_plural_forms_over_the_limits(tmp_path: Path, header: str, message: str) -> None:
    text = HEADER.replace("nplurals=2; plural=(n != 1);", header)
    text += 'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "x"\nmsgstr[1] "y"\n'
    with pytest.raises(LivretError, match=rf"^en\.po:4: Plural-Forms: {message}"):
        read_catalog(write_po(tmp_path, text), "en.po", tmp_path)


def test_six_plural_forms_are_allowed(tmp_path: Path) -> None:
    arabic = (
        "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
        ": n%100>=11 ? 4 : 5);"
    )
    text = HEADER.replace("nplurals=2; plural=(n != 1);", arabic)
    text += 'msgid "one"\nmsgid_plural "many"\n' + "".join(
        f'msgstr[{n}] "form {n}"\n' for n in range(6)
    )
    catalog = read_catalog(write_po(tmp_path, text), "en.po", tmp_path)
    assert len(catalog[0].msgstr_plural) == 6


def test_a_catalog_that_names_a_file_is_not_read_from_there(tmp_path: Path) -> None:
    """polib.pofile opens a string that names an existing file: the catalog's text must
    never be taken for a path."""
    project, outside = tmp_path / "project", tmp_path / "outside.po"
    project.mkdir()
    outside.write_text(HEADER + 'msgid "secret"\nmsgstr "read from outside"\n', encoding="utf-8")
    path = project / "en.po"
    path.write_text(str(outside), encoding="utf-8")
    with pytest.raises(LivretError, match=r"^en\.po:1: PO syntax error: unknown keyword"):
        read_catalog(path, "en.po", project)
