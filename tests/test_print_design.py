"""Print design, read back from real builds on A4, Letter and A5, in French and English:
running headers, pagination, white space, hyphenation, addresses and text margins."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import cssselect2
import pagecheck as pc
import pypdf
import pytest
import tinyhtml5
import yaml
from conftest import REPO, copy_sample, run_cli

PAPERS = ("a4", "letter", "a5")
# The guide in both languages on both office papers.
EDITIONS = [(lang, paper) for paper in ("a4", "letter") for lang in ("fr", "en")]
NOTES = "Notes"  # the label of a page left blank before the back cover, in fr and en
# Page margins of the guide as shares of the page height (templates/base.css).
GUIDE_TOP, GUIDE_BOTTOM = 0.08, 0.084
MOST_EMPTY = 0.40  # no guide page but the cover, contents and back cover is emptier
CARD_MOST_EMPTY = 0.15  # a network cheat sheet fills its page (issue 19)
MIN_EDGE_MM = 10
MIN_LETTERS = 3
SHORT = 6  # steps and tables of up to 6 items never split


@pytest.fixture(scope="session")
def built(sample_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """``built(paper)``: the output folder of the whole kit (every document, both
    languages, with HTML) built on ``paper``; each paper is built once per session, and A4,
    the sample's paper, is the shared sample build."""
    root = copy_sample(tmp_path_factory.mktemp("papers") / "project")
    outputs = {"a4": sample_build / "out"}

    def build(paper: str) -> Path:
        if paper not in outputs:
            out = root / "out" / paper
            result = run_cli(
                "--project", str(root), "build", "--html", "--paper", paper, "-o", str(out)
            )
            assert result.exit_code == 0, result.output
            outputs[paper] = out
        return outputs[paper]

    return build


@pytest.fixture(params=EDITIONS, ids=[f"{lang}-{paper}" for lang, paper in EDITIONS])
def edition(request: pytest.FixtureRequest, built: Callable[[str], Path]) -> Path:
    """The documents of one language built on one office paper (out/<paper>/<lang>)."""
    lang, paper = request.param
    return built(paper) / lang


def pdfs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/*.pdf"))


def html_of(pdf: Path) -> cssselect2.ElementWrapper:
    """The intermediate HTML written by ``--html`` beside ``pdf``."""
    root = tinyhtml5.parse(pdf.with_suffix(".html").read_text(encoding="utf-8"))
    return cssselect2.ElementWrapper.from_html_root(root)


def text(element: cssselect2.ElementWrapper) -> str:
    return "".join(element.etree_element.itertext())


def on_one_page(snippet: str, page_texts: list[str]) -> bool:
    """True when ``snippet`` is printed in one run on a single page."""
    wanted = pc.letters(snippet)
    return any(wanted in pc.letters(page) for page in page_texts)


# Running headers


def test_running_header_names_the_chapter_in_force_at_the_top(edition: Path) -> None:
    path = edition / "guide.pdf"
    chapter_list = pc.chapters(path)
    headers = pc.header_texts(path)
    texts = pc.page_texts(path)
    assert len(chapter_list) >= 10
    assert headers[0] == headers[1] == headers[-1] == "", "no header on the covers and contents"
    wrong = {}
    for page in range(chapter_list[0].page, len(headers) - 1):
        if texts[page].strip() == NOTES:
            continue
        expected = pc.chapter_at_top(chapter_list, path, page)
        if headers[page] != expected:
            wrong[page + 1] = (headers[page], expected)
    assert not wrong, wrong
    assert "" in headers[2:-1] and len(set(headers[2:-1])) > 5


def test_notes_pages_are_ruled_for_pdfium_and_poppler(built: Callable[[str], Path]) -> None:
    """A page left blank before the back cover is ruled for notes, and Chrome's reader
    (pdfium) draws the lines that poppler does, at 50, 65 and 96 dpi. (pdfium drew 9 of
    24 when they were a repeating gradient. Below about 40 dpi, poppler's smoothing fades
    these 0.3 mm lines past what ``ruled_lines`` counts; pdfium still draws them.)"""
    notes_pages = []
    for lang, paper in EDITIONS:
        path = built(paper) / lang / "guide.pdf"
        texts = pc.page_texts(path)
        notes_pages += [(path, index) for index, text in enumerate(texts) if text.strip() == NOTES]
    assert notes_pages, "the sample has a guide with a notes page"
    for path, index in notes_pages:
        width, height = (float(value) for value in pypdf.PdfReader(path).pages[index].mediabox[2:])
        # The ruled area spans 8 % to 88 % of the page height (guide.css): inside it, right
        # of the word "Notes", and clear of its edges.
        box = (0.2 * width, 0.09 * height, 0.8 * width, 0.87 * height)
        for dpi in (50, 65, 96):
            lines = pc.ruled_lines_drawn(path, index, box, dpi)
            assert lines["pdfium"] == lines["poppler"] >= 20, (path, dpi, lines)


# Pagination and white space


def test_guide_pages_are_at_most_40_percent_empty(edition: Path) -> None:
    path = edition / "guide.pdf"
    bands = pc.empty_bands(path, GUIDE_TOP, GUIDE_BOTTOM)
    texts = pc.page_texts(path)
    last_text = max(page for page, text in enumerate(texts[:-1]) if text.strip() != NOTES)
    # The cover and the contents have room by design; the text ends where it ends.
    exempt = {0, 1, last_text}
    emptiest = {
        page + 1: round(band, 2)
        for page, band in enumerate(bands)
        if band > MOST_EMPTY and page not in exempt
    }
    assert not emptiest, emptiest
    assert len(bands) % 2 == 0, "the back cover is an even page, the outside back"


def test_cheat_sheet_cards_have_no_big_hole(edition: Path) -> None:
    # A card's account box sits in its page's bottom margin: measured with it.
    bands = pc.empty_bands(edition / "cheatsheets.pdf", 0.06, 0.084)
    assert len(bands) >= 10
    assert max(bands) <= CARD_MOST_EMPTY, [round(band, 2) for band in bands]


@pytest.mark.parametrize("paper", PAPERS)
def test_every_cheat_sheet_card_fits_its_page(built: Callable[[str], Path], paper: str) -> None:
    content = (REPO / "content/networks.yaml").read_text(encoding="utf-8")  # as built
    cards = len(yaml.safe_load(content)["networks"])
    # The build refuses a card that overruns its space or breaks (livret.pdf.overrun).
    for lang in ("fr", "en"):
        path = built(paper) / lang / "cheatsheets.pdf"
        assert len(pc.page_texts(path)) == 1 + cards, (lang, "a card spilled onto a page")


def guide_blocks(path: Path, selector: str) -> Iterator[cssselect2.ElementWrapper]:
    yield from html_of(path).query_all(f"main {selector}")


def test_short_steps_and_tables_never_split(edition: Path) -> None:
    path = edition / "guide.pdf"
    texts = pc.page_texts(path)
    blocks = [
        [text(item) for item in block.query_all("li")] for block in guide_blocks(path, "ol.steps")
    ]
    blocks += [
        [text(row) for row in block.query_all("tbody tr")] for block in guide_blocks(path, "table")
    ]
    assert len(blocks) >= 10
    split = []
    for items in blocks:
        runs = [items] if len(items) <= SHORT else [items[:2], items[-2:]]
        split += [run[0][:40] for run in runs if not on_one_page(" ".join(run), texts)]
    assert not split, f"split across pages: {split}"


def test_callouts_and_headings_stay_with_their_text(edition: Path) -> None:
    path = edition / "guide.pdf"
    texts = pc.page_texts(path)
    alone = []
    for callout in guide_blocks(path, "aside.callout"):
        before = text(callout.previous)
        if not on_one_page(before[-60:] + text(callout)[:60], texts):
            alone.append(text(callout)[:40])
    for heading in guide_blocks(path, "h2, h3"):
        following = next(heading.iter_next_siblings(), None)
        if following is None and heading.parent is not None:  # a chapter title in a header
            following = next(heading.parent.iter_next_siblings())
        assert following is not None
        if not on_one_page(text(heading) + text(following)[:60], texts):
            alone.append(text(heading))
    assert not alone, f"away from the text they belong to: {alone}"


# Hyphenation and addresses


def test_no_line_end_leaves_fewer_than_3_letters(edition: Path) -> None:
    bad = []
    count = 0
    for path in sorted(edition.glob("*.pdf")):
        source = " ".join(text(body) for body in html_of(path).query_all("body"))
        for page, page_text in enumerate(pc.page_texts(path), 1):
            for before, after in pc.hyphen_breaks(page_text):
                count += 1
                compound = f"{before}-{after}"
                # A line may end at a word's own hyphen, but a short word stays whole.
                short_compound = compound in source and len(compound) < 10
                if min(len(before), len(after)) < MIN_LETTERS or short_compound:
                    bad.append(f"{path.name} p{page}: {before}-|{after}")
    assert count > 0, "nothing is hyphenated at all"
    assert not bad, bad


ADDRESS_LIKE = re.compile(r"[\w.+@-]*\w\.[^\W\d_]{2,}(?:/[\w@./-]*\w)?")


def addresses(path: Path) -> tuple[set[str], set[str]]:
    """The web and e-mail addresses printed in a document (link texts that are addresses,
    and addresses in running text), and the hashtags (written as code)."""
    html = html_of(path)
    found = {text(link).strip() for link in html.query_all("a[href]")}
    found = {link for link in found if ADDRESS_LIKE.fullmatch(link) or "/" in link}
    body = " ".join(text(body) for body in html.query_all("body"))
    found |= set(ADDRESS_LIKE.findall(body))
    hashtags = {text(code) for code in html.query_all("code")}
    return found, hashtags


def test_addresses_and_hashtags_break_only_after_a_slash_or_a_dot(edition: Path) -> None:
    bad, seen = [], set()
    for path in sorted(edition.glob("*.pdf")):
        found, hashtags = addresses(path)
        for page_text in pc.page_texts(path):
            for address in found:
                breaks = pc.token_breaks(page_text, address)
                bad += [(path.name, piece) for piece in breaks if piece[-1] not in "/."]
                seen.add(address)
            for hashtag in hashtags:
                bad += [(path.name, piece) for piece in pc.token_breaks(page_text, hashtag)]
    assert {"bsky.app/profile/phares-solidaires.example", "cnil.fr"} <= seen
    assert not bad, bad


# Paper


@pytest.mark.parametrize("paper", PAPERS)
def test_text_keeps_10_mm_from_every_edge(built: Callable[[str], Path], paper: str) -> None:
    paths = pdfs(built(paper))
    assert len(paths) == 14, "every document in both languages"
    close = []
    for path in paths:
        for page, extents in enumerate(pc.text_extents(path), 1):
            if min(extents) < MIN_EDGE_MM:
                close.append((path.parent.name, path.name, page, [round(e, 1) for e in extents]))
    assert not close, close
