"""Network cheat sheets, built for real in French and English, read back from the PDFs."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
import yaml
from pagecheck import empty_bands, text_in
from pdfread import font_names, fonts_embedded, page_texts, reader
from qrdecode import page_qr_codes

LANGS = ["fr", "en"]
GROUPS = ("formats", "text", "video", "accessibility", "admin", "security", "moderation")
GROUPS += ("minimum_age",)


def flat(text: str) -> str:
    """A page's text with its line breaks and runs of spaces as single spaces (no-break
    spaces kept)."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def networks(root: Path) -> list[dict]:
    data = yaml.safe_load((root / "content/networks.yaml").read_text(encoding="utf-8"))
    return list(data["networks"])


def accounts(root: Path) -> dict[str, str]:
    brand = yaml.safe_load((root / "brand/brand.yaml").read_text(encoding="utf-8"))
    return dict(brand.get("accounts") or {})


def card_page(root: Path, network_id: str) -> int:
    """The page index of a network's card: the overview comes first."""
    ids = [network["id"] for network in networks(root)]
    return ids.index(network_id) + 1


@pytest.mark.parametrize("lang", LANGS)
def test_an_overview_then_one_page_per_network(sample_build: Path, lang: str) -> None:
    path = sample_build / f"out/{lang}/cheatsheets.pdf"
    texts = page_texts(path)
    listed = networks(sample_build)
    assert len(texts) == 1 + len(listed)
    for number, network in enumerate(listed, 1):
        assert texts[number].startswith(network["name"] + " "), (network["name"], texts[number])
        assert texts[0].count(network["name"]) >= 1
    outline = [item.title for item in reader(path).outline if not isinstance(item, list)]
    assert outline[1:] == [network["name"] for network in listed]
    assert "Google+" in texts[0] and not any(t.startswith("Google+") for t in texts[1:])


@pytest.mark.parametrize("lang", LANGS)
def test_only_the_embedded_brand_font(sample_build: Path, lang: str) -> None:
    path = sample_build / f"out/{lang}/cheatsheets.pdf"
    assert fonts_embedded(path)
    assert all(name.startswith("brand-sourcesanspro") for name in font_names(path))


def test_numbers_are_formatted_for_each_language(sample_build: Path) -> None:
    page = card_page(sample_build, "facebook")
    fr = page_texts(sample_build / "out/fr/cheatsheets.pdf")[page]
    en = page_texts(sample_build / "out/en/cheatsheets.pdf")[page]
    assert "63\u202f206 caractères" in fr
    assert "63,206 characters" in en
    assert "1\u202f200 × 630 px" in fr and "1,200 × 630 px" in en
    instagram = card_page(sample_build, "instagram")
    assert (
        "1\u202f080 × 1\u202f350 px"
        in page_texts(sample_build / "out/fr/cheatsheets.pdf")[instagram]
    )


def test_tiktok_says_which_caption_limit_is_which(sample_build: Path) -> None:
    page = card_page(sample_build, "tiktok")
    fr = flat(page_texts(sample_build / "out/fr/cheatsheets.pdf")[page])
    en = flat(page_texts(sample_build / "out/en/cheatsheets.pdf")[page])
    assert "Légende dans l'application 4\u202f000 caractères".replace("'", "’") in fr
    assert "Légende via un outil de programmation 2\u202f200 caractères" in fr
    assert "Caption in the app 4,000 characters" in en
    assert "Caption through a scheduling tool 2,200 characters" in en
    assert " à " not in fr.split("Légende")[1][:40], "no range any more"


def test_as_of_months_are_formatted_by_locale(sample_build: Path) -> None:
    page = card_page(sample_build, "facebook")
    assert "relevé en décembre 2026" in page_texts(sample_build / "out/fr/cheatsheets.pdf")[page]
    assert "checked December 2026" in page_texts(sample_build / "out/en/cheatsheets.pdf")[page]
    overview = page_texts(sample_build / "out/en/cheatsheets.pdf")[0]
    assert "Google+ closed on 2 April 2019" in overview  # en_GB: day month year


def test_every_card_qr_code_scans_to_the_account_in_brand_yaml(sample_build: Path) -> None:
    path = sample_build / "out/fr/cheatsheets.pdf"
    known = accounts(sample_build)
    without = [n["id"] for n in networks(sample_build) if n["id"] not in known]
    assert without, "the sample keeps a network without an account, to test that case"
    texts = page_texts(path)
    for network in networks(sample_build):
        page = card_page(sample_build, network["id"])
        expected = [known[network["id"]]] if network["id"] in known else []
        assert page_qr_codes(path, page) == expected, network["id"]
        if not expected:
            assert "pas encore de compte officiel" in texts[page].lower()  # set in capitals


def test_english_card_shows_the_account_as_text(sample_build: Path) -> None:
    path = sample_build / "out/en/cheatsheets.pdf"
    page = card_page(sample_build, "mastodon")
    text = page_texts(path)[page]
    assert "our mastodon account" in text.lower()  # set in capitals
    assert "mastodon.social/@pharessolidaires" in text
    assert page_qr_codes(path, page) == [accounts(sample_build)["mastodon"]]


def test_builds_without_any_account(project: Path, cli) -> None:
    brand = project / "brand/brand.yaml"
    text = brand.read_text(encoding="utf-8")
    brand.write_text(re.sub(r"accounts:\n(  .*\n)+", "", text), encoding="utf-8")
    result = cli("--project", str(project), "build", "cheatsheets", "-l", "en")
    assert result.exit_code == 0, result.output
    texts = page_texts(project / "out/en/cheatsheets.pdf")
    assert len(texts) == 1 + len(networks(project))
    assert all("no official account yet" in page.lower() for page in texts[1:])


def test_a_card_too_long_for_its_page_fails_with_its_page(project: Path, cli) -> None:
    """A card that would go on to a page of its own: the build refuses the cheat sheets,
    names the card's page and the file to shorten, and writes nothing. (A card whose text
    runs over the account box instead: ``test_fit``.)"""
    content = project / "content/networks.yaml"
    data = yaml.safe_load(content.read_text(encoding="utf-8"))
    facebook = data["networks"][0]
    facebook["admin"]["roles"] *= 8
    content.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = cli("--project", str(project), "build", "cheatsheets", "-l", "fr")
    assert result.exit_code == 1, result.output
    failures = [line for line in result.output.splitlines() if line.startswith("failed")]
    page = card_page(project, facebook["id"]) + 1  # 1-based
    assert failures == [
        f"failed  fr/cheatsheets: page {page}: the text goes on to the next page "
        "(shorten content/networks.yaml)"
    ], result.output
    assert not (project / "out/fr/cheatsheets.pdf").exists()


BAD_CONTENT = [
    ("size: 1200x630", "size: 1200*630", r"'size': '1200\*630' is not a size in pixels"),
    ("value: 63206, unit", "unit", r"'limit 1' needs a 'value' or a 'note'"),
    ("value: 63206", "value: lots", r"'value' must be a whole number, not 'lots'"),
    ("{label: Image, size: 1200x627", "{size: 1200x627", r"missing key 'label'"),
    ('ratio: "4:5"', 'ratio: "four by five"', r"'ratio': invalid value 'four by five'"),
    ("  - id: x\n", "  - id: facebook\n", r"duplicate id 'facebook' in 'networks'"),
    ("      as_of: 2026-12\n", "      as_of: December 2026\n", r"'as_of' must be a month"),
    (
        "      as_of: 2026-12\n",
        "      as_of: 2026-13\n",
        r"'as_of' must be a month written YYYY-MM",
    ),
    ("      unconfirmed: true\n", "      unconfirmed: maybe\n", r"'unconfirmed' must be true or"),
    (
        "    minimum_age: {as_of: 2026-12, unconfirmed: true, value: 13}\n",
        "",
        r"missing key 'minimum_age'",
    ),
    (
        "      two_factor:",
        "      two_factors:",
        r"unknown key 'two_factors'.*did you mean 'two_factor'",
    ),
    ("    dont:\n", "    dont't:\n", r"unknown key 'dont't'.*did you mean 'dont'"),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD_CONTENT)
def test_bad_network_data_is_one_clear_line(
    project: Path, cli, old: str, new: str, message: str
) -> None:
    path = project / "content/networks.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = cli("--project", str(project), "build", "cheatsheets")
    assert result.exit_code == 2
    assert re.fullmatch(rf"error: content/networks\.yaml:\d+: .*{message}.*\n", result.output)
    assert not (project / "out").exists()


SEED_NETWORKS = (
    "Facebook",
    "X",
    "YouTube",
    "LinkedIn",
    "Pinterest",
    "Instagram",
    "Reddit",
    "Flickr",
)  # the seed article's list (Twitter is now X; Google+ is closed)
ISSUE_NETWORKS = ("TikTok", "Mastodon", "Bluesky", "Threads", "WhatsApp")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_seed_network_has_a_card_and_google_plus_none(sample_build: Path, lang: str) -> None:
    cards = page_texts(sample_build / f"out/{lang}/cheatsheets.pdf")[1:]
    badges = [text.strip().splitlines()[0] for text in cards]
    for name in SEED_NETWORKS + ISSUE_NETWORKS:
        assert any(badge.startswith(name) for badge in badges), (name, badges)
    assert not any("Google+" in badge for badge in badges)
    overview = page_texts(sample_build / f"out/{lang}/cheatsheets.pdf")[0]
    assert "Google+" in overview, "listed only as a closed network"


def test_every_group_of_figures_is_dated_within_12_months_of_the_edition(
    sample_build: Path,
) -> None:
    settings = yaml.safe_load((sample_build / "livret.yaml").read_text(encoding="utf-8"))
    edition = settings["edition_date"]
    for network in networks(sample_build):
        for group in GROUPS:
            year, month = (int(part) for part in str(network[group]["as_of"]).split("-"))
            months_apart = (edition.year - year) * 12 + edition.month - month
            assert -12 <= months_apart <= 12, (network["id"], group, network[group]["as_of"])


def catalog(root: Path) -> dict[str, str]:
    """The English catalog: French source text to English."""
    return {e.msgid: e.msgstr for e in polib.pofile(root / "locales/en/LC_MESSAGES/livret.po")}


CARD_HEADINGS = {
    "fr": ["Formats", "Texte", "Vidéo", "Accessibilité", "Texte alternatif", "Sous-titres",
           "Si ça dérape", "Signaler", "Rôles", "Double authentification", "Âge minimum"],
    "en": ["Formats", "Text", "Video", "Accessibility", "Alt text", "Captions",
           "When it goes wrong", "Report", "Roles", "Two-factor authentication", "Minimum age"],
}  # fmt: skip
MONTH = {"fr": "relevé en décembre 2026", "en": "checked December 2026"}


def card_words(network: dict, translate: Callable[[str], str]) -> list[str]:
    """What a network's card must print from its data: every label and note of its
    figures, its alt-text and captions paths, its roles, moderation tools and report path."""
    words = []
    for group in ("formats", "text", "video"):
        for item in network[group]["items"]:
            words += [translate(item["label"])] + (
                [translate(item["note"])] if "note" in item else []
            )
    words += [translate(network["accessibility"][key]) for key in ("alt_text", "captions")]
    words += [translate(role) for role in network["admin"]["roles"]]
    words += [translate(network["security"]["two_factor"])]
    words += [translate(tool) for tool in network["moderation"]["tools"]]
    return [*words, translate(network["moderation"]["report"])]


AGE = {
    "fr": r"âge minimum relevé en décembre 2026(?: · non confirmé)? (\d+) ans",
    "en": r"minimum age checked december 2026(?: · unconfirmed)? (\d+)",
}


def spaces(text: str) -> str:
    """``text`` with its no-break spaces as plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


LEGEND = {"fr": "non confirmé : relevé ailleurs", "en": "unconfirmed: read somewhere"}


@pytest.mark.parametrize("lang", LANGS)
def test_every_card_carries_the_new_fields(sample_build: Path, lang: str) -> None:
    english = catalog(sample_build)
    translate = flat if lang == "fr" else (lambda text: english[flat(text)])
    texts = page_texts(sample_build / f"out/{lang}/cheatsheets.pdf")
    for network in networks(sample_build):
        # Headings are set in capitals; a line may end after a word's own hyphen.
        card = flat(re.sub(r"-[ ]*\n", "-", texts[card_page(sample_build, network["id"])]))
        missing = [word for word in CARD_HEADINGS[lang] if word.lower() not in card.lower()]
        spaced = spaces(card)  # French sets a no-break space before a colon
        missing += [
            word
            for word in card_words(network, translate)
            if spaces(word).replace("'", "’") not in spaced
        ]
        assert not missing, (network["id"], missing)
        lower = spaced.lower()
        assert lower.count(MONTH[lang].lower()) == len(GROUPS), network["id"]
        unconfirmed = [group for group in GROUPS if network[group].get("unconfirmed")]
        marks = lower.count(LEGEND[lang].split(":")[0].strip().rstrip(" "))
        assert marks == len(unconfirmed) + (1 if unconfirmed else 0), network["id"]
        assert (LEGEND[lang] in lower) == bool(unconfirmed), network["id"]
        age = re.search(AGE[lang], lower)
        assert age and int(age.group(1)) == network["minimum_age"]["value"], network["id"]


@pytest.mark.parametrize("lang", LANGS)
def test_each_card_fills_its_one_page(sample_build: Path, lang: str) -> None:
    path = sample_build / f"out/{lang}/cheatsheets.pdf"
    bands = empty_bands(path, 0.06, 0.084)  # the cheat sheets' page margins
    assert len(bands) == 1 + len(networks(sample_build))
    emptiest = {page + 1: round(band, 3) for page, band in enumerate(bands) if band > 0.15}
    assert not emptiest, emptiest


@pytest.mark.parametrize("lang", LANGS)
def test_page_numbers_are_the_cards_real_pages(sample_build: Path, lang: str) -> None:
    path = sample_build / f"out/{lang}/cheatsheets.pdf"
    pdf = reader(path)
    texts = page_texts(path)
    listed = {}
    for annotation in pdf.pages[0]["/Annots"]:
        link = annotation.get_object()
        left, bottom, _, top = (float(value) for value in link["/Rect"])
        number = text_in(
            path,
            0,
            (left - 20, min(bottom, top), float(pdf.pages[0].mediabox.right), max(bottom, top)),
        )
        if number.strip().isdigit():
            listed[str(link["/Dest"])] = int(number)
    assert sorted(listed) == sorted(network["id"] for network in networks(sample_build))
    for network in networks(sample_build):
        index = pdf.get_destination_page_number(pdf.named_destinations[network["id"]])
        assert texts[index].startswith(network["name"] + " ")
        assert listed[network["id"]] == index + 1, network["id"]
        running = "Fiche réseau · page" if lang == "fr" else "Cheat sheet · page"
        assert f"{running} {index + 1}" in flat(texts[index]), network["id"]
