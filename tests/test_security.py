"""Hostile content, translations, templates and brand files stay contained.

One session fixture builds a project whose content and English catalog are full of
attacks (raw HTML, attachments, remote images, file: and javascript: links, Jinja
syntax); the tests read the HTML and the PDFs it produced. See SECURITY.md.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import polib
import pypdf
import pytest
from conftest import REPO, copy_sample, run_cli
from pdfread import link_targets, page_texts
from pypdf.annotations import Link
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from livret.build.manifest import MANIFEST_NAME
from livret.errors import LivretError
from livret.html.qr import qr_data_uri
from livret.limits import MAX_TEXT_FILE_BYTES as MAX_FILE_BYTES
from livret.model.brand import load_brand
from livret.model.project import load_project
from livret.model.yamlfile import load_yaml
from livret.pdf.fetch import ProjectFetcher
from livret.pdf.renderer import PdfRenderer
from livret.pdf.safety import unsafe_content

EN_PO = "locales/en/LC_MESSAGES/livret.po"
ATTACK = (
    '<script>alert(1)</script> <a rel="attachment" href="file:///etc/passwd">pw</a> '
    '<img src="http://127.0.0.1:9/x.png"> <link rel="attachment" href="../livret.yaml">'
)
# Content written by a volunteer (French source): each paragraph is one attack.
HOSTILE_CONTENT = {
    "html": f"Source HTML {ATTACK}",
    "jinja": "Source Jinja {{ 7*7 }} {% if true %}oui{% endif %} {{ brand.contact }}",
    "links": (
        "Liens [web](https://ok.example) [js](javascript:alert(1)) [pw](file:///etc/passwd) "
        "[relatif](../livret.yaml) <file:///etc/passwd> <https://auto.example> "
        "[mail](mailto:a@b.example) [tel](tel:+33100000000) [data](data:text/html,x)"
    ),
}
# Benign French sources whose English translation is the attack.
HOSTILE_TRANSLATIONS = {
    "Paragraphe traduit un.": f"Translated HTML {ATTACK}",
    "Paragraphe traduit deux.": "Translated Jinja {{ 7*7 }} {% raw %}x{% endraw %}",
    "Paragraphe traduit trois.": (
        "Translated links [pw](file:///etc/passwd) [js](javascript:alert(2)) "
        "[ok](https://en.example) ![pw](file:///etc/passwd)"
    ),
    # An image in the guide's Markdown source stands alone (a figure from content/images/,
    # see test_errors.py); in a translation it is only text.
    "Paragraphe traduit quatre.": (
        "Image ![logo](brand/logo.svg) ![pw](file:///etc/passwd) ![net](http://1.2.3.4/x.png)"
    ),
}
# The label that the guide template puts in the logo's alt attribute.
ATTRIBUTE_LABEL = re.findall(
    r"alt=\"\{\{ _\('([^']+)'", (REPO / "templates/guide.html.j2").read_text(encoding="utf-8")
)[0]
# Template labels (from the comms team) whose English translation is the attack.
HOSTILE_LABELS = {
    "Sommaire": f"Contents {ATTACK}",
    ATTRIBUTE_LABEL: 'Logo of %(name)s" rel="attachment" data-x="',
    "Édition %(date)s": "%(date)s edition {{ 7*7 }} <a href='file:///etc/passwd'>pw</a>",
    "Page {page} sur {pages}": (
        'Page {page} of {pages}"; } body { background: url(http://127.0.0.1:9/x.png); } x {"'
    ),
}
TRANS_BLOCKS = {
    "<h2 class=\"toc-title\">{{ _('Sommaire') }}</h2>": (
        '<h2 class="toc-title">{% trans %}Sommaire{% endtrans %}</h2>'
    ),
    "{{ _('Édition %(date)s', date=edition|month) }}": (
        "{% trans date=edition|month %}Édition {{ date }}{% endtrans %}"
    ),
}
ALLOWED_LINKS = re.compile(r"(https?|mailto|tel):", re.IGNORECASE)


def make_hostile(root: Path) -> None:
    """Add the hostile chapter to the guide and the hostile translations to English."""
    blocks = [*HOSTILE_CONTENT.values(), *HOSTILE_TRANSLATIONS]
    chapter = "\n\n".join(["# Section piégée", *blocks]) + "\n"
    (root / "content/guide/13-piege.md").write_text(chapter, encoding="utf-8")
    # The same labels through {% trans %} blocks, which Jinja formats itself.
    template = root / "templates/guide.html.j2"
    text = template.read_text(encoding="utf-8")
    for old, new in TRANS_BLOCKS.items():
        assert old in text, old
        text = text.replace(old, new)
    template.write_text(text, encoding="utf-8")
    catalog = polib.pofile(str(root / EN_PO))
    for msgid, msgstr in {"Section piégée": "Trapped section", **HOSTILE_TRANSLATIONS}.items():
        catalog.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    for msgid, msgstr in HOSTILE_LABELS.items():
        entry = catalog.find(msgid)
        assert entry is not None, msgid
        entry.msgstr = msgstr
    for text in HOSTILE_CONTENT.values():  # the French source reaches English unchanged
        catalog.append(polib.POEntry(msgid=text, msgstr=text))
    catalog.save(str(root / EN_PO))


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_sample(tmp_path_factory.mktemp("hostile") / "project")
    make_hostile(root)
    result = run_cli("--project", str(root), "build", "guide", "--html")
    assert result.exit_code == 0, result.output
    return root


class Elements(HTMLParser):
    """Every element of an HTML document with its attributes, and the CSS in <style>."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.css: list[str] = []
        self._in_style = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.css.append(data)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_hostile_text_adds_no_element(hostile: Path, lang: str) -> None:
    html = (hostile / f"out/{lang}/guide.html").read_text(encoding="utf-8")
    parsed = Elements(html)
    tags = {tag for tag, _ in parsed.elements}
    assert "script" not in tags
    brand = load_brand(load_project(hostile))
    logo = (hostile / "brand/logo.svg").as_uri()
    website_qr = qr_data_uri(brand.contact.website, brand.colors.text)
    figures = {path.as_uri() for path in (hostile / "content/images").iterdir()}
    images = [attrs["src"] for tag, attrs in parsed.elements if tag == "img"]
    assert logo in images and set(images) <= {logo, website_qr, *figures}, images
    for tag, attrs in parsed.elements:
        assert "attachment" not in attrs.get("rel", ""), (tag, attrs)
        assert "data-x" not in attrs, "a translation broke out of an attribute"
        href = attrs.get("href", "")
        if tag == "a":
            assert href.startswith("#") or ALLOWED_LINKS.match(href), href
        if tag == "link":
            assert attrs["rel"] == "stylesheet" and href.startswith(hostile.as_uri()), attrs
    css = "".join(parsed.css)
    # No text in CSS: the labels reach the page furniture through attributes only.
    assert "127.0.0.1" not in css and "Page" not in css and "Notes" not in css, css
    assert not re.search(r'"[^"]+"', css), "a CSS string holds text"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_hostile_text_prints_literally(hostile: Path, lang: str) -> None:
    text = " ".join(" ".join(page_texts(hostile / f"out/{lang}/guide.pdf")).split())
    assert "{{ 7*7 }}" in text and "{% if true %}oui{% endif %}" in text
    assert "<script>alert(1)</script>" in text
    if lang == "en":
        assert "Translated Jinja {{ 7*7 }} {% raw %}x{% endraw %}" in text
        assert "Contents <script>alert(1)</script>" in text
        assert "edition {{ 7*7 }} <a href='file:///etc/passwd'>pw</a>" in text


def test_links_keep_only_allowed_schemes(hostile: Path) -> None:
    fr, en = link_targets(hostile / "out/fr/guide.pdf"), link_targets(hostile / "out/en/guide.pdf")
    expected = {"https://ok.example", "https://auto.example", "mailto:a@b.example"}
    assert expected | {"tel:+33100000000"} <= fr
    assert "https://en.example" in en
    for uri in fr | en:
        assert ALLOWED_LINKS.match(uri), uri
    fr_text = " ".join(page_texts(hostile / "out/fr/guide.pdf"))
    assert "[js](javascript:alert(1))" in fr_text, "a refused link stays visible as text"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_output_carries_no_active_content(hostile: Path, sample_build: Path, lang: str) -> None:
    for root in (hostile, sample_build):
        data = (root / f"out/{lang}/guide.pdf").read_bytes()
        assert unsafe_content(data) == []
        assert b"root:x:0:0" not in data


def _pdf_with(change: Callable[[pypdf.PdfWriter], None]) -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(100, 100)
    change(writer)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _link(uri: str) -> Callable[[pypdf.PdfWriter], None]:
    return lambda writer: writer.add_annotation(0, Link(rect=(0, 0, 10, 10), url=uri))


def _open_action(kind: str, key: str, value: str) -> Callable[[pypdf.PdfWriter], None]:
    def change(writer: pypdf.PdfWriter) -> None:
        action = DictionaryObject(
            {NameObject("/S"): NameObject(kind), NameObject(key): TextStringObject(value)}
        )
        writer.root_object[NameObject("/OpenAction")] = action

    return change


PDF_ATTACKS: list[tuple[str, Callable[[pypdf.PdfWriter], None], str]] = [
    ("javascript", _open_action("/JavaScript", "/JS", "app.alert(1)"), "JavaScript"),
    ("embedded-file", lambda w: w.add_attachment("passwd", b"root:x:0:0"), "embedded file"),
    ("launch", _open_action("/Launch", "/F", "calc.exe"), "launch action"),
    ("file-link", _link("file:///etc/passwd"), "a link to 'file:///etc/passwd'"),
    ("js-link", _link("javascript:alert(1)"), "a link to 'javascript:alert(1)'"),
]


@pytest.mark.parametrize(
    ("name", "change", "expected"), PDF_ATTACKS, ids=[case[0] for case in PDF_ATTACKS]
)
def test_output_check_finds_active_content(
    name: str, change: Callable[[pypdf.PdfWriter], None], expected: str
) -> None:
    assert unsafe_content(_pdf_with(lambda w: None)) == []
    found = unsafe_content(_pdf_with(change))
    assert any(expected in item for item in found), found


# --- The fetcher, the renderer and the templates -------------------------------------------


@pytest.fixture(scope="module")
def renderer() -> PdfRenderer:
    return PdfRenderer(dt.date(2026, 11, 1))


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    """A project folder with a secret inside, and one outside it."""
    root = tmp_path / "project"
    (root / "brand").mkdir(parents=True)
    (root / "secret.txt").write_text("project secret")
    (tmp_path / "outside.txt").write_text("outside secret")
    os.symlink("/etc/passwd", root / "passwd-link.txt")
    os.symlink(tmp_path / "outside.txt", root / "brand" / "outside-link.txt")
    return root


FETCHES = [
    ("data", "data:text/plain,hello", None),
    ("inside", "{root}/secret.txt", None),
    ("inside-quoted", "{root}/secret%2Etxt", None),
    ("symlink-to-etc-passwd", "{root}/passwd-link.txt", "outside the project"),
    ("symlink-to-outside", "{root}/brand/outside-link.txt", "outside the project"),
    ("dot-dot", "{root}/brand/../../outside.txt", "outside the project"),
    ("etc-passwd", "file:///etc/passwd", "outside the project"),
    ("other-host", "file://example.org{root}/secret.txt", "only files on this computer"),
    ("http", "http://127.0.0.1:9/x.png", "only project files and data: URLs"),
    ("https", "https://example.org/x.css", "only project files and data: URLs"),
    ("ftp", "ftp://example.org/x", "only project files and data: URLs"),
    ("missing", "{root}/nope.png", "file not found"),
]


@pytest.mark.parametrize(("name", "url", "refusal"), FETCHES, ids=[case[0] for case in FETCHES])
def test_fetcher_stays_in_the_project(
    sandbox: Path, name: str, url: str, refusal: str | None
) -> None:
    url = url.replace("{root}", sandbox.as_uri().removeprefix("file://"))
    url = url if ":" in url.split("/")[0] else "file://" + url
    fetcher = ProjectFetcher([sandbox])
    if refusal is None:
        assert fetcher.fetch(url).read()
        return
    with pytest.raises(LivretError, match=refusal):
        fetcher.fetch(url)
    assert fetcher.refused


def _render(renderer: PdfRenderer, root: Path, body: str, head: str = "") -> bytes:
    html = f"<html><head>{head}</head><body><p>x</p>{body}</body></html>"
    document = renderer.layout(html, root.as_uri() + "/", [root])
    return renderer.write(document)


RENDER_ATTACKS = [
    ("link-attachment-inside", "", '<link rel="attachment" href="secret.txt">', "attachment"),
    ("link-attachment-passwd", "", '<link rel="attachment" href="/etc/passwd">', "attachment"),
    ("a-attachment", '<a rel="attachment" href="secret.txt">s</a>', "", "attachment"),
    ("stylesheet-passwd", "", '<link rel="stylesheet" href="file:///etc/passwd">', "outside"),
    ("stylesheet-http", "", '<link rel="stylesheet" href="http://127.0.0.1:9/a.css">', "data:"),
    ("css-import", "", "<style>@import url(http://127.0.0.1:9/a.css);</style>", "data: URLs"),
    ("css-background", '<p style="background: url(/etc/passwd)">b</p>', "", "outside"),
    ("css-font", "", "<style>@font-face{font-family:x;src:url(/etc/passwd)}</style>", "outside"),
    ("img-http", '<img src="http://127.0.0.1:9/x.png">', "", "only project files"),
    ("svg-image-passwd", '<img src="brand/evil-passwd.svg">', "", "outside the project"),
    ("svg-image-http", '<img src="brand/evil-http.svg">', "", "only project files"),
    ("inline-svg-image", '<svg><image href="file:///etc/passwd"/></svg>', "", "outside"),
    ("svg-font-face", '<img src="brand/evil-font.svg">', "", "outside the project"),
]
EVIL_SVGS = {
    "evil-passwd.svg": '<image href="file:///etc/passwd" width="9" height="9"/>',
    "evil-http.svg": '<image xlink:href="http://127.0.0.1:9/x.png" width="9" height="9"/>',
    "evil-font.svg": "<style>@font-face { font-family: y; src: url(file:///etc/passwd) }</style>",
}


@pytest.mark.parametrize(
    ("name", "body", "head", "refusal"), RENDER_ATTACKS, ids=[case[0] for case in RENDER_ATTACKS]
)
def test_renderer_refuses(
    renderer: PdfRenderer, sandbox: Path, name: str, body: str, head: str, refusal: str
) -> None:
    for file_name, element in EVIL_SVGS.items():
        (sandbox / "brand" / file_name).write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
            f' width="20" height="20"><rect width="5" height="5"/>{element}</svg>'
        )
    assert unsafe_content(_render(renderer, sandbox, "")) == []
    with pytest.raises(LivretError, match=refusal):
        _render(renderer, sandbox, body, head)


def test_malicious_template_cannot_embed_a_file(project: Path, cli) -> None:
    base = project / "templates/base.html.j2"
    text = base.read_text(encoding="utf-8")
    base.write_text(
        text.replace("</head>", '<link rel="attachment" href="../../livret.yaml">\n</head>')
    )
    result = cli("--project", str(project), "build", "guide")
    assert result.exit_code == 1, result.output
    assert "file attachments are not allowed" in result.output
    assert not list((project / "out").rglob("*.pdf"))
    manifest = project / "out" / MANIFEST_NAME
    assert not manifest.exists() or json.loads(manifest.read_text())["outputs"] == {}


def test_template_symlink_out_of_the_project_is_refused(project: Path, cli) -> None:
    (project / "templates/blocks/p.html.j2").unlink()
    os.symlink("/etc/passwd", project / "templates/blocks/p.html.j2")
    result = cli("--project", str(project), "build", "guide", "-l", "fr")
    assert result.exit_code == 2, result.output
    assert "templates/blocks/p.html.j2: the template is a link to a file outside" in result.output
    assert "root:" not in result.output


# --- Paths written in livret.yaml and brand.yaml ---------------------------------------------


def sample_line(relative: str, needle: str) -> int:
    """The line of the sample file where ``needle`` first occurs."""
    text = (REPO / relative).read_text(encoding="utf-8")
    assert needle in text, f"{needle!r} not in {relative}"
    return text[: text.index(needle)].count("\n") + 1


PATH_KEYS = [
    (
        "livret.yaml",
        "output: out",
        "output: {}",
        rf"livret\.yaml:{sample_line('livret.yaml', 'output: out')}: 'output'",
    ),
    (
        "livret.yaml",
        "content: content/guide}",
        "content: {}}}",
        rf"livret\.yaml:{sample_line('livret.yaml', 'content: content/guide}')}: "
        r"'documents\.guide\.content'",
    ),
    (
        "brand/brand.yaml",
        "logo: logo.svg",
        "logo: {}",
        rf"brand/brand\.yaml:{sample_line('brand/brand.yaml', 'logo: logo.svg')}: 'logo'",
    ),
]
HOSTILE_PATHS = ['"../../etc/passwd"', '"/etc/passwd"', '"a\\0b"', "x" * 300, "link-out"]


@pytest.mark.parametrize("value", HOSTILE_PATHS, ids=["dotdot", "absolute", "nul", "long", "link"])
@pytest.mark.parametrize(
    ("file", "old", "new", "expected"), PATH_KEYS, ids=["output", "content", "logo"]
)
def test_paths_in_config_stay_in_the_project(
    project: Path, cli, file: str, old: str, new: str, expected: str, value: str
) -> None:
    (project / "link-out").symlink_to("/etc")
    (project / "brand/link-out").symlink_to("/etc")
    path = project / file
    path.write_text(path.read_text(encoding="utf-8").replace(old, new.format(value)))
    result = cli("--project", str(project), "build", "guide", "-l", "fr")
    assert result.exit_code == 2, result.output
    assert re.match(rf"error: {expected}", result.output), result.output
    assert len(result.output.splitlines()) == 1
    assert not (project / "out").exists()


# --- YAML -----------------------------------------------------------------------------------

BILLION_LAUGHS = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
    f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
    for i in range(8)
)


def test_yaml_bombs_and_tags_are_refused(tmp_path: Path) -> None:
    cases = {
        "bomb.yaml": (BILLION_LAUGHS, r"bomb.yaml:2: YAML aliases"),
        "python.yaml": ("a: !!python/object/apply:os.system ['true']\n", r"python.yaml:1: YAML"),
        "big.yaml": ("a: " + "x" * MAX_FILE_BYTES + "\n", r"big.yaml: file is larger than 5 MB"),
    }
    for name, (text, expected) in cases.items():
        (tmp_path / name).write_text(text)
        with pytest.raises(LivretError) as caught:
            load_yaml(tmp_path / name, name, tmp_path)
        assert re.fullmatch(expected + ".*", str(caught.value)), str(caught.value)


def test_the_finishing_pass_refuses_active_content() -> None:
    """The check runs on the document the finishing pass has open, before it is saved."""
    from livret.pdf.finish import LayoutHints, finish

    clean = _pdf_with(lambda w: None)
    assert finish(clean, LayoutHints()).startswith(b"%PDF")
    with pytest.raises(LivretError, match=r"refused to write a PDF that carries .*JavaScript"):
        finish(_pdf_with(_open_action("/JavaScript", "/JS", "app.alert(1)")), LayoutHints())
