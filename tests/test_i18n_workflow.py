"""The translator's loop on real files: extract, update, init, stats, build, read the PDF."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from conftest import REPO
from pdfread import page_texts, reader

from livret.i18n.extract import build_template
from livret.model.project import load_project

EN_PO = "locales/en/LC_MESSAGES/livret.po"
OLD_PARAGRAPH = "Ce guide n’est pas un règlement venu d’en haut. Il a été rédigé par un"
NEW_PARAGRAPH = "Ce guide n’est pas un règlement intérieur. Il a été rédigé par un"
REMOVED_ITEM = "Un salarié supervise le compte et en connaît les accès."
ADDED_ITEM = "Vous tenez un calendrier éditorial partagé avec votre unité locale."


def msgfmt_check(path: Path) -> None:
    result = subprocess.run(
        ["msgfmt", "-c", "--check-format", "-o", os.devnull, str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def pdf_text(path: Path) -> str:
    """All pages' text, hyphenation undone and whitespace collapsed."""
    text = "\n".join(page_texts(path))
    return " ".join(re.sub(r"-\n", "", text).replace("’", "'").split())


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def keys(catalog: polib.POFile) -> list[tuple[str | None, str, str]]:
    return [(e.msgctxt, e.msgid, e.msgid_plural) for e in catalog if not e.obsolete]


@pytest.mark.parametrize(
    "relative", sorted(p.relative_to(REPO).as_posix() for p in REPO.glob("locales/**/*.po*"))
)
def test_shipped_catalogs_pass_msgfmt(relative: str) -> None:
    msgfmt_check(REPO / relative)


def test_shipped_template_is_current() -> None:
    template = build_template(load_project(REPO))
    shipped = polib.pofile(str(REPO / "locales/livret.pot"))
    assert keys(shipped) == [
        (m.context, m.id if isinstance(m.id, str) else m.id[0], "") for m in template if m.id
    ], "run: livret i18n extract"


def test_extract_entries_have_references_places_notes_and_contexts(project: Path, cli) -> None:
    edit(
        project / "content/checklists/event.yaml",
        "  - title: Après",
        "  - title: {text: Après, context: checklist group, note: Keep it short}",
    )
    result = cli("--project", str(project), "i18n", "extract")
    assert result.exit_code == 0, result.output
    pot = polib.pofile(str(project / "locales/livret.pot"))
    entry = pot.find("Après", msgctxt="checklist group")
    assert entry is not None
    assert entry.occurrences == [("content/checklists/event.yaml", "25")]
    assert entry.comment.splitlines() == [
        "checklist-event › group 4 › title",
        "NOTE: Keep it short",
    ]
    # The guide's texts point to their Markdown file and line.
    chapter = (project / "content/guide/01-pour-qui.md").read_text(encoding="utf-8")
    callout = chapter.splitlines().index("> [!TIP] En une phrase") + 1
    title = pot.find("En une phrase")
    assert title is not None
    assert title.occurrences == [("content/guide/01-pour-qui.md", str(callout))]
    assert title.comment == "guide › section 1 › block 10 › title"
    body = next(e for e in pot if e.msgid.startswith("Ne publiez que ce que vous seriez fier"))
    assert body.occurrences == [("content/guide/01-pour-qui.md", str(callout + 1))]
    assert body.comment == "guide › section 1 › block 10 › paragraph 1"
    sommaire = pot.find("Sommaire")
    assert sommaire is not None
    assert {file for file, _line in sommaire.occurrences} == {"templates/guide.html.j2"}
    assert "POT-Creation-Date" in pot.metadata
    assert pot.metadata["POT-Creation-Date"].startswith("2026-11-01")  # the edition date
    msgfmt_check(project / "locales/livret.pot")


@pytest.mark.slow
def test_babel_cfg_extracts_the_same_messages(tmp_path: Path) -> None:
    """Plain ``pybabel extract -F babel.cfg`` (the livret_yaml entry point) agrees."""
    target = tmp_path / "pybabel.pot"
    pybabel = [sys.executable, "-m", "babel.messages.frontend"]
    subprocess.run(
        [*pybabel, "extract", "-F", "babel.cfg", "-c", "NOTE:", "-o", str(target), "."],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=True,
        capture_output=True,
    )
    ours = polib.pofile(str(REPO / "locales/livret.pot"))
    theirs = polib.pofile(str(target))
    assert keys(theirs) == keys(ours)
    for mine, other in zip(ours, theirs, strict=True):
        assert sorted(mine.occurrences) == sorted(other.occurrences), mine.msgid
        assert mine.comment == other.comment, mine.msgid


def test_update_without_changes_rewrites_nothing(project: Path, cli) -> None:
    po_path = project / EN_PO
    edit(po_path, "#. guide › title\n", "# Checked with the comms team\n#. guide › title\n")
    before = {path: path.read_bytes() for path in (project / "locales").rglob("*.po*")}
    result = cli("--project", str(project), "i18n", "update")
    assert result.exit_code == 0, result.output
    assert "en: 0 added, 0 fuzzy, 0 obsolete," in result.output
    assert {path: path.read_bytes() for path in before} == before
    assert po_path.read_text(encoding="utf-8").count("# Checked with the comms team\n") == 1


def test_catalogs_merged_by_gnu_msgmerge_stay_usable(project: Path, cli) -> None:
    """Weblate and Poedit merge with msgmerge, which writes obsolete "#~|" lines."""
    po_path, pot_path = project / EN_PO, project / "locales/livret.pot"
    content = project / "content/guide/01-pour-qui.md"
    block = next(
        paragraph
        for paragraph in content.read_text(encoding="utf-8").split("\n\n")
        if paragraph.startswith(OLD_PARAGRAPH)
    )
    removal = block.replace(OLD_PARAGRAPH, NEW_PARAGRAPH) + "\n\n"
    for old, new in ((OLD_PARAGRAPH, NEW_PARAGRAPH), (removal, "")):
        edit(content, old, new)  # change the paragraph, then remove it
        assert cli("--project", str(project), "i18n", "extract").exit_code == 0
        merge = ["msgmerge", "--quiet", "--previous", "-U", "--backup=off"]
        subprocess.run([*merge, str(po_path), str(pot_path)], check=True)
    assert "#~| msgid" in po_path.read_text(encoding="utf-8")
    stats = cli("--project", str(project), "i18n", "stats", "--format", "json")
    assert stats.exit_code == 0, stats.output
    assert json.loads(stats.output)["en"]["obsolete"] == 1
    assert cli("--project", str(project), "i18n", "update").exit_code == 0
    msgfmt_check(po_path)


def test_changed_source_becomes_fuzzy_and_build_shows_the_new_source(project: Path, cli) -> None:
    edit(project / "content/guide/01-pour-qui.md", OLD_PARAGRAPH, NEW_PARAGRAPH)
    edit(project / "content/guide/04-conditions.md", f"- {REMOVED_ITEM}\n", f"- {ADDED_ITEM}\n")
    assert cli("--project", str(project), "i18n", "extract").exit_code == 0
    result = cli("--project", str(project), "i18n", "update")
    assert result.exit_code == 0, result.output
    total = len(polib.pofile(str(project / "locales/livret.pot")))
    assert f"en: 1 added, 1 fuzzy, 1 obsolete, {total - 2} unchanged" in result.output

    po_path = project / EN_PO
    msgfmt_check(po_path)
    catalog = polib.pofile(str(po_path))
    changed = next(e for e in catalog if e.msgid.startswith(NEW_PARAGRAPH))
    assert changed.fuzzy
    assert changed.previous_msgid is not None
    assert changed.previous_msgid.startswith(OLD_PARAGRAPH)
    assert changed.msgstr.startswith("This guide")  # the old translation, kept for review
    assert "#| msgid" in po_path.read_text(encoding="utf-8")
    removed = catalog.find(REMOVED_ITEM, include_obsolete_entries=True)
    assert removed is not None and removed.obsolete
    added = catalog.find(ADDED_ITEM)
    assert added is not None and added.msgstr == "" and not added.fuzzy

    # A second update keeps the previous msgid and changes nothing.
    written = po_path.read_bytes()
    assert cli("--project", str(project), "i18n", "update").exit_code == 0
    assert po_path.read_bytes() == written

    build = cli("--project", str(project), "build", "guide", "-l", "en")
    assert build.exit_code == 0, build.output
    warnings = [line for line in build.output.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: en: 1 untranslated and 1 fuzzy strings fall back to the source language (fr); "
        "to list them, run livret i18n update, then livret i18n stats --list untranslated "
        "(or --list fuzzy)"
    ]
    listed = cli("--project", str(project), "-v", "build", "guide", "-l", "en", "--force")
    assert f"  untranslated: {ADDED_ITEM}" in listed.output
    assert f"  fuzzy: {NEW_PARAGRAPH[:40]}" in listed.output
    text = pdf_text(project / "out/en/guide.pdf")
    assert "règlement intérieur. Il a été rédigé par" in text
    assert "calendrier éditorial partagé" in text
    assert "This guide is not a rulebook" not in text

    strict = cli("--project", str(project), "build", "guide", "-l", "en", "--strict")
    assert strict.exit_code == 2
    assert "1 fuzzy" in strict.output


def test_stats_counts_and_fail_under(project: Path, cli) -> None:
    po_path = project / EN_PO
    catalog = polib.pofile(str(po_path))
    entries = [e for e in catalog if not e.msgid_plural]
    for entry in entries[:2]:
        entry.flags.append("fuzzy")
    for entry in entries[2:5]:
        entry.msgstr = ""
    entries[5].obsolete = True
    catalog.save(str(po_path))
    total = len(entries) - 1

    result = cli("--project", str(project), "i18n", "stats", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "en": {
            "translated": total - 5,
            "fuzzy": 2,
            "untranslated": 3,
            "obsolete": 1,
            "total": total,
            "percent": round(100 * (total - 5) / total, 1),
        }
    }
    text = cli("--project", str(project), "i18n", "stats")
    assert re.search(rf"^en .*{total - 5} translated, 2 fuzzy, 3 untranslated", text.output, re.M)
    percent = 100 * (total - 5) / total
    assert cli("--project", str(project), "i18n", "stats", "--fail-under", "100").exit_code == 1
    below = cli("--project", str(project), "i18n", "stats", "--fail-under", f"{percent + 0.5:.1f}")
    assert below.exit_code == 1
    assert "below" in below.output and "en" in below.output
    above = cli("--project", str(project), "i18n", "stats", "--fail-under", f"{percent - 0.5:.1f}")
    assert above.exit_code == 0


PLURAL_BLOCK = (
    '  <p class="toc-count">{% trans count=doc.sections|length %}{{ count }} chapitre'
    "{% pluralize %}{{ count }} chapitres{% endtrans %}</p>\n"
)
GERMAN = {
    "Guide des réseaux sociaux": "Leitfaden für soziale Medien",
    "Sommaire": "Inhalt",
    "À qui s’adresse ce guide": "Für wen dieser Leitfaden ist",
}


def test_third_language_with_init(project: Path, cli) -> None:
    config = project / "livret.yaml"
    edit(config, "languages: [fr, en]", "languages: [fr, en, de]")
    edit(config, "  en: en_CA\n", "  en: en_CA\n  de: de_DE\n")
    template = project / "templates/guide.html.j2"
    edit(template, '  <h2 class="toc-title">', PLURAL_BLOCK + '  <h2 class="toc-title">')

    missing = cli("--project", str(project), "i18n", "update")
    assert missing.exit_code == 2
    assert "no catalog for language 'de' (run: livret i18n init de)" in missing.output
    result = cli("--project", str(project), "i18n", "init", "de")
    assert result.exit_code == 0, result.output
    again = cli("--project", str(project), "i18n", "init", "de")
    assert again.exit_code == 2 and "already exists" in again.output
    assert cli("--project", str(project), "i18n", "update").exit_code == 0

    po_path = project / "locales/de/LC_MESSAGES/livret.po"
    msgfmt_check(po_path)
    catalog = polib.pofile(str(po_path))
    assert catalog.metadata["Language"] == "de"
    assert catalog.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert catalog.metadata["Language-Team"] == "German"
    assert catalog.metadata["PO-Revision-Date"].startswith("2026-11-01")
    assert catalog.percent_translated() == 0
    for msgid, msgstr in GERMAN.items():
        entry = catalog.find(msgid)
        assert entry is not None, msgid
        entry.msgstr = msgstr
    plural = catalog.find("%(count)s chapitre")
    assert plural is not None and plural.msgid_plural == "%(count)s chapitres"
    plural.msgstr_plural = {0: "%(count)s Abschnitt", 1: "%(count)s Abschnitte"}
    catalog.save(str(po_path))
    assert cli("--project", str(project), "i18n", "check").exit_code == 0

    stats = json.loads(cli("--project", str(project), "i18n", "stats", "--format", "json").output)
    assert stats["de"]["translated"] == len(GERMAN) + 1
    assert stats["de"]["untranslated"] == stats["de"]["total"] - len(GERMAN) - 1

    build = cli("--project", str(project), "build", "guide", "-l", "de")
    assert build.exit_code == 0, build.output
    fallbacks = re.search(r"de: (\d+) untranslated", build.output)
    assert fallbacks, build.output  # the guide's share of the untranslated strings
    assert 0 < int(fallbacks[1]) <= stats["de"]["untranslated"]
    pdf = project / "out/de/guide.pdf"
    pages = page_texts(pdf)
    assert "Leitfaden für soziale Medien" in pages[0]
    assert "November 2026" in pages[0]  # Babel, in German
    assert "Inhalt" in pages[1] and "12 Abschnitte" in pages[1]
    text = pdf_text(pdf)
    assert "Für wen dieser Leitfaden ist" in text
    assert "Ce guide s'adresse à toutes les personnes" in text  # not translated: French
    assert reader(pdf).trailer["/Root"]["/Lang"] == "de-DE"


def test_init_refuses_bad_languages(project: Path, cli) -> None:
    for lang, message in (
        ("fr", "is the source language"),
        ("xx", "unknown language 'xx'"),
        ("German", "is not a language code"),
    ):
        result = cli("--project", str(project), "i18n", "init", lang)
        assert result.exit_code == 2, lang
        assert message in result.output
    assert sorted(p.name for p in (project / "locales").iterdir()) == ["en", "livret.pot"]


def test_init_of_an_unlisted_language_says_how_to_build_it(project: Path, cli) -> None:
    result = cli("--project", str(project), "i18n", "init", "fr_CA")
    assert result.exit_code == 0, result.output
    assert "add 'fr_CA' to 'languages' in livret.yaml" in result.output
    catalog = polib.pofile(str(project / "locales/fr_CA/LC_MESSAGES/livret.po"))
    assert catalog.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"


def subset_without(source: Path, target: Path, character: str) -> None:
    """A copy of a font without one character, made with fontTools."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(source)
    keep = set(font.getBestCmap()) - {ord(character)}
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)
    font.save(target)


def test_glyph_check_refuses_a_font_without_the_narrow_no_break_space(project: Path, cli) -> None:
    from livret.model.fonts import package_font_dir

    package = package_font_dir("source-sans-pro")
    assert package is not None
    fonts = project / "brand/fonts"
    fonts.mkdir()
    subset_without(package / "SourceSansPro-Regular.ttf", fonts / "LessSans-Regular.ttf", "\u202f")
    shutil.copy(package / "SourceSansPro-Bold.ttf", fonts / "LessSans-Bold.ttf")
    brand = project / "brand/brand.yaml"
    edit(
        brand,
        "  body: source-sans-pro\n  heading: source-sans-pro",
        "  body: less-sans\n  heading: less-sans",
    )

    french = cli("--project", str(project), "build", "guide", "-l", "fr")
    assert french.exit_code == 2
    assert "brand/brand.yaml: the body font (brand/fonts) cannot draw" in french.output
    assert "U+202F" in french.output
    assert not (project / "out").exists()

    english = cli("--project", str(project), "build", "guide", "-l", "en")
    assert english.exit_code == 0, english.output
    assert (project / "out/en/guide.pdf").is_file()


def test_plurals_in_templates_follow_each_language(tmp_path: Path) -> None:
    from livret.html.localize import Localizer
    from livret.html.templates import environment
    from livret.i18n.translator import translator_for

    (tmp_path / "locales/ru/LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "locales/ru/LC_MESSAGES/livret.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && '
        'n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
        'msgid "%(count)s chapitre"\nmsgid_plural "%(count)s chapitres"\n'
        'msgstr[0] "%(count)s глава"\nmsgstr[1] "%(count)s главы"\nmsgstr[2] "%(count)s глав"\n',
        encoding="utf-8",
    )
    template = environment(tmp_path, tmp_path).from_string(
        "{% trans count=n %}{{ count }} chapitre{% pluralize %}{{ count }} chapitres{% endtrans %}"
        "|{{ ngettext('%(num)d chapitre', '%(num)d chapitres', n) }}"
    )

    def render(lang: str, locale: str, n: int) -> str:
        translator = translator_for(tmp_path / "locales", lang, "fr", tmp_path)
        localizer = Localizer(translator, locale)
        return template.render(n=n, **localizer.template_callables())

    assert render("fr", "fr_FR", 0) == "0 chapitre|0 chapitre"  # French: 0 is singular
    assert render("fr", "fr_FR", 2) == "2 chapitres|2 chapitres"
    assert [render("ru", "ru_RU", n).split("|")[0] for n in (1, 3, 5, 21)] == [
        "1 глава",
        "3 главы",
        "5 глав",
        "21 глава",
    ]


def test_glyph_check_reads_page_margin_labels_too() -> None:
    from markupsafe import escape

    from livret.html.css import running_label
    from livret.html.text import visible_text

    label = running_label("Página {page} «\u202fde\u202f» {pages}", "folio")
    attributes = "".join(f' {name}="{escape(text)}"' for name, text in label.attributes)
    html = f"<body{attributes}><p>x&amp;y</p></body>"
    text = visible_text(html)
    assert "x&y" in text
    assert {"á", "«", "\u202f", "»"} <= set(text)


def test_quebec_french_variant_overrides_a_few_strings(project: Path, cli) -> None:
    config = project / "livret.yaml"
    edit(config, "languages: [fr, en]", "languages: [fr, en, fr_CA]")
    edit(config, "  en: en_CA\n", "  en: en_CA\n  fr_CA: fr_CA\n")
    assert cli("--project", str(project), "i18n", "init", "fr_CA").exit_code == 0
    po_path = project / "locales/fr_CA/LC_MESSAGES/livret.po"
    catalog = polib.pofile(str(po_path))
    assert len(catalog) == 0  # a variant starts empty: it holds only what differs
    catalog.append(polib.POEntry(msgid="Sommaire", msgstr="Table des matières"))
    catalog.save(str(po_path))

    result = cli("--project", str(project), "build", "guide", "-l", "fr_CA")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output  # the rest is French on purpose: no gap
    pdf = project / "out/fr_CA/guide.pdf"
    pages = page_texts(pdf)
    assert "Table des matières" in pages[1]
    text = "\n".join(pages)
    assert "c’est quoi?" in text  # Quebec: no space before ?
    assert "personnes qui font vivre l’association\u00a0:" in text  # still before the colon
    assert "\u202f" not in text
    assert reader(pdf).trailer["/Root"]["/Lang"] == "fr-CA"


def test_init_gives_every_plural_form_of_the_language(project: Path, cli) -> None:
    template = project / "templates/guide.html.j2"
    edit(template, '  <h2 class="toc-title">', PLURAL_BLOCK + '  <h2 class="toc-title">')
    assert cli("--project", str(project), "i18n", "init", "pl").exit_code == 0
    po_path = project / "locales/pl/LC_MESSAGES/livret.po"
    catalog = polib.pofile(str(po_path))
    assert catalog.metadata["Plural-Forms"].startswith("nplurals=3;")
    entry = catalog.find("%(count)s chapitre")
    assert entry is not None and sorted(entry.msgstr_plural) == [0, 1, 2]
    msgfmt_check(po_path)
