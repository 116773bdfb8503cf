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
def test_guide_is_12_to_20_a4_pages(sample_build: Path, lang: str, tmp_path: Path) -> None:
    out = tmp_path / "a4"
    result = run_cli(
        "--project",
        str(sample_build),
        "build",
        "guide",
        "-l",
        lang,
        "--paper",
        "a4",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    pages = reader(out / f"{lang}/guide.pdf").pages
    assert 12 <= len(pages) <= 20, len(pages)
    sizes = {(round(page.mediabox.width), round(page.mediabox.height)) for page in pages}
    assert sizes == {A4}
    letter = reader(sample_build / f"out/{lang}/guide.pdf").pages
    assert 12 <= len(letter) <= 20, "on the locale's own paper too (Letter for en_CA)"


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
