"""Network cheat sheets, built for real in French and English, read back from the PDFs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pdfread import font_names, fonts_embedded, page_texts, reader
from qrdecode import page_qr_codes

LANGS = ["fr", "en"]


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
    tiktok = card_page(sample_build, "tiktok")
    assert (
        "2,200 to 4,000 characters" in page_texts(sample_build / "out/en/cheatsheets.pdf")[tiktok]
    )


def test_as_of_dates_are_formatted_by_locale(sample_build: Path) -> None:
    page = card_page(sample_build, "facebook")
    assert "juillet 2025" in page_texts(sample_build / "out/fr/cheatsheets.pdf")[page]
    assert "July 2025" in page_texts(sample_build / "out/en/cheatsheets.pdf")[page]
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


BAD_CONTENT = [
    ("size: 1200x630", "size: 1200*630", r"'limit 2': '1200\*630' is not a size in pixels"),
    ("range: 2200-4000", "range: 2200", r"'limit 1': '2200' is not a range of whole numbers"),
    ("value: 63206", "value: lots", r"'limit 1' must be a whole number, not 'lots'"),
    ("{label: Image, size: 1200x627}", "{size: 1200x627}", r"missing key 'label'"),
    ("  - id: x\n", "  - id: facebook\n", r"duplicate id 'facebook' in 'networks'"),
    ("    as_of: 2025-07-01\n", "    as_of: July 2025\n", r"'as_of' must be a date"),
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
