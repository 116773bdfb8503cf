"""Catalogs round-trip through the tools translators use, and never lose a translation.

GNU gettext (msgmerge, msgcat, msgfmt) and translate-toolkit (Weblate's library) edit the
catalogs; after each, ``livret i18n update`` gives back the committed file byte for byte.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from pdfread import page_texts

from livret.i18n.pofile import dump, parse
from livret.i18n.wrap import po_lines

EN_PO = "locales/en/LC_MESSAGES/livret.po"
POT = "locales/livret.pot"
PO_FILES = [EN_PO, POT]
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def run(*command: str, cwd: Path | None = None) -> None:
    subprocess.run(command, check=True, capture_output=True, cwd=cwd)


def update(cli, project: Path) -> str:
    result = cli("--project", str(project), "i18n", "update")
    assert result.exit_code == 0, result.output
    return str(result.output)


def committed(project: Path) -> dict[str, bytes]:
    return {name: (project / name).read_bytes() for name in PO_FILES}


def msgcat(path: Path, *options: str) -> str:
    return subprocess.run(
        ["msgcat", *options, str(path)], check=True, capture_output=True, text=True
    ).stdout


def quoted(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\t", "\\t") + '"'


# --- the layout: exactly GNU's ------------------------------------------------------


@pytest.mark.parametrize("width", [79, 77, 76, 60, 40])
@pytest.mark.parametrize("name", PO_FILES)
def test_shipped_catalogs_are_laid_out_as_msgcat_does(name: str, width: int) -> None:
    path = REPO / name
    text = path.read_text(encoding="utf-8")
    assert dump(parse(text, name), width) == msgcat(path, f"--width={width}")
    if width == 79:
        assert text == msgcat(path), "the shipped catalogs are written at GNU's width"


def test_no_wrapping_is_msgcat_no_wrap() -> None:
    path = REPO / EN_PO
    assert dump(parse(path.read_text(encoding="utf-8"), EN_PO), 0) == msgcat(path, "--no-wrap")


WORDS = [
    *("l’équipe", "e-mail", "check-list", "https://www.example.org/a-b/c?d=1", "mailto:x@y.fr"),
    *("«\u00a0citation\u00a0»", "12\u202f345,67\u00a0%", "(parenthèse)", "[lien](https://x.fr)"),
    *("—", "**gras**", "`code`", "100\u00a0€", "n’t\tx", "a/b", "1.5", ":-)", "¿qué?", "¡sí!"),
    *("Ж", "Ω", "中文字", "🙂", "\u00ad", "\u200b", '"quoted"', "back\\slash", "%(count)s"),
    *("%s", "{name}", "{0:>10}", "%%", "line\nbreak"),
]


def crafted_catalog(seed: int) -> str:
    """Many long strings of the characters, escapes and directives PO files hold."""
    shuffle = random.Random(seed)
    entries = []
    for index in range(60):
        words = [shuffle.choice(WORDS) for _ in range(shuffle.randrange(1, 40))]
        glue = [shuffle.choice(("", " ", " ", " ", "  ", "-")) for _ in words]
        text = "".join(word + space for word, space in zip(words, glue, strict=True))
        flags = shuffle.choice(["", "#, python-format\n", "#, python-brace-format\n"])
        previous = f"#| msgid {quoted(text[::-1])}\n" if index % 4 == 0 else ""
        entries.append(
            f"{flags}{previous}msgid {quoted(f'{index} {text}')}\nmsgstr {quoted(text)}\n"
        )
    entries.append(f"#~| msgid {quoted(WORDS[0] * 9)}\n#~ msgid {quoted('gone ' * 30)}\n")
    entries[-1] += f"#~ msgstr {quoted('parti ' * 30)}\n"
    return HEADER + "\n".join(entries)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_crafted_strings_wrap_as_msgcat_does_at_every_width(tmp_path: Path, seed: int) -> None:
    path = tmp_path / "crafted.po"
    path.write_text(crafted_catalog(seed), encoding="utf-8")
    catalog = parse(path.read_text(encoding="utf-8"), "crafted.po")
    for width in (79, 77, 72, 50, 33, 20):
        assert dump(catalog, width) == msgcat(path, f"--width={width}"), width


def test_the_breaking_space_ends_the_line_and_long_strings_start_empty() -> None:
    text = "Un bénévole ou un salarié désigné par l’unité locale répond aux messages."
    assert po_lines("msgid", text, 40) == [
        'msgid ""',
        '"Un bénévole ou un salarié désigné par "',
        '"l’unité locale répond aux messages."',
    ]
    assert po_lines("msgid", "court", 40) == ['msgid "court"']
    assert po_lines("msgstr", "a\nb", 79) == ['msgstr ""', '"a\\n"', '"b"']


# --- round trips through the real tools -----------------------------------------------


def test_msgmerge_then_update_gives_back_the_catalog(project: Path, cli) -> None:
    before = committed(project)
    run("msgmerge", "--quiet", "--previous", "--update", "--backup=off", EN_PO, POT, cwd=project)
    assert (project / EN_PO).read_bytes() == before[EN_PO], "msgmerge itself changes nothing"
    update(cli, project)
    assert committed(project) == before


def test_msgcat_sort_output_then_update_gives_back_the_catalog(project: Path, cli) -> None:
    before = committed(project)
    run("msgcat", "--sort-output", "-o", EN_PO, EN_PO, cwd=project)
    assert (project / EN_PO).read_bytes() != before[EN_PO]
    update(cli, project)
    assert committed(project) == before


def test_translate_toolkit_load_and_save_then_update_gives_back_the_catalog(
    project: Path, cli
) -> None:
    pypo = pytest.importorskip("translate.storage.pypo")
    before = committed(project)
    store = pypo.pofile.parsefile(str(project / EN_PO))
    for unit in store.units:  # as if each string were edited in Weblate: re-wrapped at 77
        if not unit.isheader() and unit.target:
            unit.target = unit.target + " "
            unit.target = unit.target[:-1]
    (project / EN_PO).write_bytes(bytes(store))
    assert (project / EN_PO).read_bytes() != before[EN_PO]
    update(cli, project)
    assert committed(project) == before


def test_a_catalog_saved_with_crlf_and_a_byte_order_mark_is_read_and_restored(
    project: Path, cli
) -> None:
    before = committed(project)
    text = before[EN_PO].decode("utf-8")
    (project / EN_PO).write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
    stats = cli("--project", str(project), "i18n", "stats", "--format", "json")
    assert json.loads(stats.output)["en"]["percent"] == 100.0
    update(cli, project)
    assert committed(project) == before


def test_the_width_is_a_project_setting(project: Path, cli) -> None:
    config = project / "livret.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "po_width: 77\n", encoding="utf-8")
    update(cli, project)
    assert (project / EN_PO).read_text(encoding="utf-8") == msgcat(project / EN_PO, "-w", "77")
    config.write_text(config.read_text(encoding="utf-8") + "po_width: -1\n", encoding="utf-8")
    broken = cli("--project", str(project), "i18n", "update")
    assert broken.exit_code == 2


# --- what a translator must never lose -------------------------------------------------


def test_a_restored_string_gets_its_exact_translation_back(project: Path, cli) -> None:
    po = project / EN_PO
    text = po.read_text(encoding="utf-8")
    found = re.search(
        r'#: templates/checklist\.html\.j2:\d+ templates/guide\.html\.j2:\d+\nmsgid "Notes"\n', text
    )
    assert found is not None
    notes = found[0]
    text = text.replace(notes, "# Reviewed by Sam\n" + notes, 1)
    po.write_text(text, encoding="utf-8")
    before = committed(project)
    templates = [project / "templates/guide.html.j2", project / "templates/checklist.html.j2"]
    originals = [path.read_text(encoding="utf-8") for path in templates]
    for path, original in zip(templates, originals, strict=True):
        assert "_('Notes')" in original
        path.write_text(original.replace("_('Notes')", "_('Notre usage')"), encoding="utf-8")
    update(cli, project)
    assert '#~ msgid "Notes"' in po.read_text(encoding="utf-8")
    for path, original in zip(templates, originals, strict=True):
        path.write_text(original, encoding="utf-8")
    summary = update(cli, project)
    assert "1 restored" in summary
    assert committed(project) == before  # the translation, its comment, not fuzzy


def test_update_keeps_the_header_comments_and_every_header_field(project: Path, cli) -> None:
    po = project / EN_PO
    text = po.read_text(encoding="utf-8")
    credits = "# English translation of the sample kit.\n# Copyright (C) 2026 Les Phares\n#\n"
    fields = '"X-Generator: Poedit 3.5\\n"\n"X-Poedit-Basepath: ../../..\\n"\n'
    fields += '"X-Poedit-Bookmarks: 3,-1\\n"\n"X-Source-Language: fr\\n"\n'
    text = credits + text.replace('"Plural-Forms:', fields + '"Plural-Forms:', 1)
    po.write_text(text, encoding="utf-8")
    update(cli, project)
    assert po.read_text(encoding="utf-8") == text


def test_obsolete_entries_keep_previous_msgids_and_untranslated_ones_go(project: Path, cli) -> None:
    po = project / EN_PO
    obsolete = (
        '\n#, fuzzy\n#~| msgid "Ancien texte"\n#~ msgid "Ancien texte revu"\n'
        '#~ msgstr "Old text"\n\n#~ msgid "Jamais traduit"\n#~ msgstr ""\n'
    )
    po.write_text(po.read_text(encoding="utf-8") + obsolete, encoding="utf-8")
    update(cli, project)
    text = po.read_text(encoding="utf-8")
    assert '#~| msgid "Ancien texte"\n#~ msgid "Ancien texte revu"' in text
    assert "Jamais traduit" not in text
    assert text == msgcat(po)  # msgcat drops the untranslated obsolete entry too


def test_npgettext_in_templates_is_extracted(project: Path, cli) -> None:
    template = project / "templates/guide.html.j2"
    call = "{{ npgettext('toc', '%(num)d chapitre', '%(num)d chapitres', 3) }}\n"
    template.write_text(call + template.read_text(encoding="utf-8"), encoding="utf-8")
    update(cli, project)
    catalog = parse((project / EN_PO).read_text(encoding="utf-8"), EN_PO)
    entry = catalog.find("%(num)d chapitre", msgctxt="toc")
    assert entry is not None
    assert entry.msgid_plural == "%(num)d chapitres"
    assert sorted(entry.msgstr_plural) == [0, 1]


def test_update_check_lists_what_would_change_and_writes_nothing(project: Path, cli) -> None:
    clean = cli("--project", str(project), "i18n", "update", "--check")
    assert clean.exit_code == 0, clean.output
    content = project / "content/checklists/event.yaml"
    content.write_text(
        content.read_text(encoding="utf-8").replace("title:", "title: Nouveau —", 1),
        encoding="utf-8",
    )
    before = committed(project)
    stale = cli("--project", str(project), "i18n", "update", "--check")
    assert stale.exit_code == 1
    assert f"would change: {POT}" in stale.output
    assert f"would change: {EN_PO}" in stale.output
    assert committed(project) == before


# --- regional variants, compendium, lists ----------------------------------------------


def add_language(project: Path, lang: str) -> None:
    config = project / "livret.yaml"
    text = config.read_text(encoding="utf-8").replace(
        "languages: [fr, en]", f"languages: [fr, en, {lang}]"
    )
    config.write_text(text, encoding="utf-8")


def test_a_regional_variant_starts_empty_and_counts_its_parent(project: Path, cli) -> None:
    add_language(project, "fr_CA")
    assert cli("--project", str(project), "i18n", "init", "fr_CA").exit_code == 0
    po = project / "locales/fr_CA/LC_MESSAGES/livret.po"
    assert len(parse(po.read_text(encoding="utf-8"), "fr_CA.po")) == 0
    result = cli("--project", str(project), "i18n", "stats", "--format", "json")
    stats = json.loads(result.output)["fr_CA"]
    assert stats["percent"] == 100.0 and stats["parent"] == "fr"
    assert stats["inherited"] == stats["total"] and stats["translated"] == 0
    text = cli("--project", str(project), "i18n", "stats", "--fail-under", "95")
    assert text.exit_code == 0
    assert f"0 translated, {stats['total']} from fr" in text.output
    update(cli, project)
    assert len(parse(po.read_text(encoding="utf-8"), "fr_CA.po")) == 0  # update adds nothing


def test_init_from_a_compendium_fills_exact_matches(project: Path, cli, tmp_path: Path) -> None:
    earlier = tmp_path / "earlier.po"
    earlier.write_text(
        HEADER + 'msgid "Sommaire"\nmsgstr "Inhalt"\n\nmsgid "Ailleurs"\nmsgstr "Anderswo"\n',
        encoding="utf-8",
    )
    add_language(project, "de")
    result = cli("--project", str(project), "i18n", "init", "de", "--from", str(earlier))
    assert result.exit_code == 0, result.output
    catalog = parse((project / "locales/de/LC_MESSAGES/livret.po").read_text("utf-8"), "de")
    entry = catalog.find("Sommaire")
    assert entry is not None and entry.msgstr == "Inhalt" and not entry.fuzzy
    assert catalog.find("Ailleurs", include_obsolete_entries=True) is None


def test_stats_lists_untranslated_strings_with_their_place(project: Path, cli) -> None:
    po = project / EN_PO
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgstr "Social media guide"', 'msgstr ""', 1)
    po.write_text(text, encoding="utf-8")
    line = text.splitlines().index('msgid "Guide des réseaux sociaux"') + 1
    listed = cli("--project", str(project), "i18n", "stats", "--list", "untranslated")
    assert listed.output.splitlines() == [
        f"{EN_PO}:{line}: untranslated [guide › title]: Guide des réseaux sociaux"
    ]
    data = json.loads(
        cli(
            "--project", str(project), "i18n", "stats", "--list", "untranslated", "--format", "json"
        ).output
    )
    assert data["en"] == [
        {
            "file": EN_PO,
            "line": line,
            "state": "untranslated",
            "place": "guide › title",
            "msgctxt": None,
            "msgid": "Guide des réseaux sociaux",
        }
    ]
    by_document = cli(
        "--project", str(project), "i18n", "stats", "--by-document", "--format", "json"
    )
    documents = json.loads(by_document.output)["en"]["documents"]
    assert documents["guide"]["untranslated"] == 1
    assert documents["checklist-event"]["percent"] == 100.0


# --- broken catalogs ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("broken", "problem"),
    [
        ('msgstr "Social "media" guide"', "unescaped double quote"),
        ('msgstr "Social media guide', "unterminated string"),
    ],
)
@pytest.mark.parametrize("command", [["build", "guide", "-l", "en"], ["check"], ["i18n", "check"]])
def test_a_broken_catalog_fails_with_its_file_and_line(
    project: Path, cli, broken: str, problem: str, command: list[str]
) -> None:
    po = project / EN_PO
    text = po.read_text(encoding="utf-8").replace('msgstr "Social media guide"', broken, 1)
    po.write_text(text, encoding="utf-8")
    line = text.splitlines().index(broken) + 1
    gnu = subprocess.run(["msgfmt", "-o", "/dev/null", str(po)], capture_output=True, text=True)
    assert gnu.returncode != 0, "msgfmt rejects it too"
    result = cli("--project", str(project), *command)
    assert result.exit_code == 2, result.output
    assert f"{EN_PO}:{line}: " in result.output
    assert f"PO syntax error: {problem}" in result.output
    assert "Traceback" not in result.output
    assert not (project / "out").exists()


# --- percent signs: one spelling for every tool ---------------------------------------


def test_pybabel_compiles_the_shipped_catalog(tmp_path: Path) -> None:
    """Content writes a percent sign ``%%`` in its catalog, so pybabel, which takes
    ``66 % de`` for a ``% d`` placeholder, compiles it, as ``msgfmt -c`` does."""
    pybabel = [sys.executable, "-m", "babel.messages.frontend", "compile", "-l", "en"]
    result = subprocess.run(
        [*pybabel, "-i", str(REPO / EN_PO), "-o", str(tmp_path / "en.mo")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    run("msgfmt", "-c", "-o", str(tmp_path / "gnu.mo"), str(REPO / EN_PO))
    catalog = parse((REPO / EN_PO).read_text(encoding="utf-8"), EN_PO)
    percent_signs = [entry for entry in catalog if "%%" in entry.msgid]
    assert percent_signs, "the guide's fundraising figures have percent signs"
    for entry in percent_signs:
        assert "python-format" in entry.flags and "%%" in entry.msgstr, entry.msgid


def test_percent_signs_reach_the_page_single(sample_build: Path) -> None:
    """``%%`` in the catalog and ``%`` in the Markdown print as one percent sign."""
    for lang, expected in (("fr", "66 % du don"), ("en", "66% of the gift")):
        text = " ".join(page_texts(sample_build / "out" / lang / "guide.pdf"))
        flat = " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())
        assert expected in flat, lang
        assert "%%" not in text, lang
