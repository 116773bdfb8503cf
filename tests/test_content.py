"""The shipped guide: its length, its English edition and the English catalog behind it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import copy_sample, run_cli
from markupsafe import Markup
from pdfread import page_texts, reader

from livret.html import markup
from livret.html.text import visible_text
from livret.i18n.extract import build_template
from livret.model.brand import load_brand
from livret.model.project import load_project
from livret.model.schema import normalize_text

A4 = (595, 842)  # points, rounded
ROOT = Path(__file__).resolve().parent.parent
EN_PO = "locales/en/LC_MESSAGES/livret.po"
LONG = 25  # a French string longer than this in the English PDF is a leftover
FRENCH_WORDS = {"les", "des", "une", "est", "avec", "dans", "vous", "nous", "qui", "sur", "du"}


def flat(text: str) -> str:
    """PDF or HTML text on one line: hyphenation undone, spaces and apostrophes unified."""
    text = re.sub(r"-\n", "", text)
    text = text.replace("\u202f", " ").replace("\xa0", " ").replace("’", "'")
    return " ".join(text.split())


def plain(msgid: str) -> str:
    """A msgid as a reader sees it: Markdown rendered, tags dropped."""
    html: Markup = markup.inline(msgid, lambda text: text)
    return flat(visible_text(str(html)))


def leftover_french(pdf: Path, po_path: Path) -> list[str]:
    """Long catalog msgids (French) that appear as they are in ``pdf``."""
    text = flat("\n".join(page_texts(pdf)))
    return [
        entry.msgid
        for entry in polib.pofile(str(po_path))
        if len(plain(entry.msgid)) > LONG and plain(entry.msgid) in text
    ]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_guide_is_16_to_24_a4_pages(sample_build: Path, lang: str) -> None:
    """Both editions print on A4 by default (fr_FR, en_GB) and stay within the page budget."""
    pages = reader(sample_build / f"out/{lang}/guide.pdf").pages
    assert 16 <= len(pages) <= 24, len(pages)
    sizes = {(round(page.mediabox.width), round(page.mediabox.height)) for page in pages}
    assert sizes == {A4}


# One phrase per 2026 topic, as each edition prints it.
TOPICS = {
    "AI-generated content": {
        "fr": "règlement européen sur l'IA (article 50)",
        "en": "EU AI Act (Article 50)",
    },
    "impersonation and scams": {
        "fr": "Faux comptes, arnaques et usurpation",
        "en": "Fake accounts, scams and impersonation",
    },
    "harassment: DSA notices and trusted flaggers": {
        "fr": "signaleurs de confiance désignés par l'Arcom",
        "en": "trusted flaggers designated by Arcom",
    },
    "harassment: 17Cyber": {"fr": "ouvert depuis décembre 2024", "en": "open since December 2024"},
    "people in distress": {"fr": "3114, confidentiel", "en": "3114, the national suicide"},
    "Coluche rate": {"fr": "jusqu'à 2 000 € de dons par an", "en": "up to €2,000 of donations"},
    "Meta's end of social-issue ads": {
        "fr": "Depuis le 6 octobre 2025, Meta refuse",
        "en": "Since 6 October 2025, Meta has refused",
    },
    "image consent for a minor": {
        "fr": "les deux signatures sont nécessaires",
        "en": "both signatures are required",
    },
    "account register": {"fr": "Mot de passe changé le", "en": "Password changed on"},
    "account request": {
        "fr": "Annexe D. Demande d'ouverture de compte",
        "en": "Appendix D. Account request",
    },
    "holding statements": {
        "fr": "Annexe E. Messages d'attente en cas de crise",
        "en": "Appendix E. Holding statements for a crisis",
    },
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_guide_covers_the_2026_topics(sample_build: Path, lang: str) -> None:
    text = flat("\n".join(page_texts(sample_build / f"out/{lang}/guide.pdf")))
    missing = [topic for topic, phrase in TOPICS.items() if flat(phrase[lang]) not in text]
    assert missing == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_on_call_line_is_on_the_back_cover(sample_build: Path, lang: str) -> None:
    on_call = load_brand(load_project(sample_build)).contact.on_call
    assert on_call and on_call in flat(page_texts(sample_build / f"out/{lang}/guide.pdf")[-1])


def glossary_banned_phrases(lang: str) -> list[str]:
    """The `phrases` of the first column of docs/glossary.md's "Do not use" table for
    ``lang`` (the glossary decides; this test follows it)."""
    text = (ROOT / "docs/glossary.md").read_text(encoding="utf-8")
    section = text.split("## 7. Do not use", 1)[1]
    table = section.split({"fr": "### French", "en": "### English"}[lang], 1)[1].split("###")[0]
    rows = [line for line in table.splitlines() if line.startswith("| ")][1:]  # no header
    return [phrase for row in rows for phrase in re.findall(r"`([^`]+)`", row.split(" | ")[0])]


def banned_in(text: str, phrases: list[str]) -> list[str]:
    """The phrases found in ``text`` as whole words, case and apostrophes ignored."""
    text = flat(text).lower()
    return [
        phrase
        for phrase in phrases
        if re.search(rf"(?<!\w){re.escape(flat(phrase).lower())}(?!\w)", text)
    ]


def test_glossary_lists_phrases_to_avoid() -> None:
    assert len(glossary_banned_phrases("fr")) >= 15 and len(glossary_banned_phrases("en")) >= 30
    assert "équipe communication" in glossary_banned_phrases("fr")
    assert "on weekends" in glossary_banned_phrases("en")
    assert banned_in("Call HQ on weekends.", ["HQ", "on weekends", "Q on"]) == ["HQ", "on weekends"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_built_document_uses_a_phrase_the_glossary_bans(sample_build: Path, lang: str) -> None:
    """Every document of both languages, as printed (guide, checklists, cheat sheets)."""
    phrases = glossary_banned_phrases(lang)
    pdfs = sorted((sample_build / "out" / lang).glob("*.pdf"))
    assert len(pdfs) == len(load_project(sample_build).documents)
    found = {pdf.name: banned_in("\n".join(page_texts(pdf)), phrases) for pdf in pdfs}
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_catalogs_are_complete_and_clean() -> None:
    stats = run_cli("--project", str(ROOT), "i18n", "stats", "--fail-under", "100")
    assert stats.exit_code == 0, stats.output
    check = run_cli("--project", str(ROOT), "i18n", "check")
    assert check.exit_code == 0, check.output
    assert "0 problems" in check.output


def test_english_guide_has_no_leftover_french(sample_build: Path) -> None:
    pdf = sample_build / "out/en/guide.pdf"
    assert leftover_french(pdf, sample_build / EN_PO) == []
    address = load_brand(load_project(sample_build)).contact.address  # a French postal address
    text = flat("\n".join(page_texts(pdf))).replace(address, "")
    words = re.findall(r"\b\w+\b", text)
    assert [word for word in words if word in FRENCH_WORDS] == []


@pytest.mark.slow
def test_leftover_french_is_detected(tmp_path: Path) -> None:
    """The check above can fail: an untranslated paragraph is found in the English PDF."""
    root = copy_sample(tmp_path / "project")
    catalog = polib.pofile(str(root / EN_PO))
    paragraph = next(e for e in catalog if "guide › section 7 › block 1" in e.comment)
    paragraph.msgstr = ""
    catalog.save(str(root / EN_PO))
    assert run_cli("--project", str(root), "build", "guide", "-l", "en").exit_code == 0
    assert leftover_french(root / "out/en/guide.pdf", root / EN_PO) == [paragraph.msgid]


def test_english_build_passes_strict(sample_build: Path, tmp_path: Path) -> None:
    """No string falls back to French: ``--strict`` accepts the English build."""
    result = run_cli(
        "--project", str(sample_build), "build", "guide", "-l", "en", "--strict",
        "-o", str(tmp_path),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "fall back" not in result.output


def test_english_catalog_is_complete() -> None:
    root = Path(__file__).resolve().parent.parent
    catalog = polib.pofile(str(root / EN_PO))
    assert catalog.percent_translated() == 100
    assert catalog.fuzzy_entries() == []
    assert catalog.obsolete_entries() == []
    wanted = {(m.context, m.id) for m in build_template(load_project(root)) if m.id}
    have = {(e.msgctxt, e.msgid) for e in catalog if e.msgstr}
    assert wanted - have == set(), "messages of the current sources missing from the catalog"
    msgfmt = ["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(root / EN_PO)]
    subprocess.run(msgfmt, check=True)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_contacts_chapter_links_every_brand_account(sample_build: Path, lang: str) -> None:
    accounts = set(load_brand(load_project(sample_build)).accounts.values())
    assert accounts
    last = reader(sample_build / f"out/{lang}/guide.pdf").pages[-1]
    links = {a.get_object().get("/A", {}).get("/URI") for a in last.get("/Annots", [])}
    assert accounts <= links
    html = flat(visible_text((sample_build / f"out/{lang}/guide.html").read_text("utf-8")))
    # Addresses are printed in pieces (a line may break after / or .): join them again.
    assert "facebook.com/pharessolidaires" in html.replace(" ", "")


def test_intended_no_break_spaces_survive_normalization() -> None:
    assert normalize_text(" 45\u00a0000\u00a0€  d’amende,\n  soit\u202f! ") == (
        "45\u00a0000\u00a0€ d’amende, soit\u202f!"
    )
