"""ToUnicode maps that give the text back: ligatures kept, no forbidden values.

For a font that form fields also use, WeasyPrint 70 writes the ToUnicode map from the
font's ``cmap`` table alone. A ligature glyph has no entry there, so its text is lost
("gifts", set with the "ft" ligature, extracts as "gis"), and a glyph that only U+FEFF or
U+FFFF reaches maps to that value, which PDF/UA-1 (ISO 14289-1, 7.21.7) forbids. For
every font a page draws with, codes missing from the map get their text from the
font's ligature substitutions (the codes drawn are read from the hex strings that
WeasyPrint writes), forbidden values are dropped, and the ligature characters
of Unicode ("ﬀ") become the letters they join ("ff") so that the text can be searched.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
from collections import defaultdict

import pikepdf
from fontTools.ttLib import TTFont

from livret.pdf.streams import Node, set_stream

FORBIDDEN = {"", "\x00", "\ufeff", "\ufffe", "\uffff"}
PRESENTATION_FORMS = {chr(c) for c in range(0xFB00, 0xFB07)}  # ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ
# A font selection, or a two-byte hex string: WeasyPrint writes text only as hex strings.
TEXT_TOKENS = re.compile(
    rb"/(?P<font>[^\s/<>\[\]()]+)\s+[-\d.]+\s+Tf\b|<(?P<hex>(?:[0-9A-Fa-f]{4})+)>"
)
BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>")
CMAP_HEAD = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo
<< /Registry (Adobe)
/Ordering (UCS)
/Supplement 0
>> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <ffff>
endcodespacerange
"""
CMAP_TAIL = b"""endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def repair(pdf: pikepdf.Pdf) -> None:
    """Complete and clean the ToUnicode map of every two-byte font the pages draw with."""
    fonts: dict[tuple[int, int], Node] = {}
    used: dict[tuple[int, int], set[int]] = defaultdict(set)
    for page in pdf.pages:
        resources: Node = page.obj.get("/Resources", pikepdf.Dictionary()).get("/Font", {})
        current: Node = None
        for match in TEXT_TOKENS.finditer(_contents(page)):
            if match.group("font"):
                current = resources.get("/" + match.group("font").decode())
                if _is_two_byte(current):
                    fonts[current.objgen] = current
                else:
                    current = None
            elif current is not None:
                data = bytes.fromhex(match.group("hex").decode())
                used[current.objgen].update(struct.unpack(f">{len(data) // 2}H", data))
    for key, font in fonts.items():
        _repair_map(pdf, font, used[key])


def _contents(page: pikepdf.Page) -> bytes:
    contents = page.obj.get("/Contents")
    streams = contents if isinstance(contents, pikepdf.Array) else [contents]
    return b"\n".join(s.read_bytes() for s in streams if isinstance(s, pikepdf.Stream))


def _is_two_byte(font: Node) -> bool:
    return (
        isinstance(font, pikepdf.Dictionary)
        and font.get("/Subtype") == "/Type0"
        and font.get("/Encoding") == "/Identity-H"
        and isinstance(font.get("/ToUnicode"), pikepdf.Stream)
    )


def read_map(stream: Node) -> dict[int, str] | None:
    """A ToUnicode map made of ``bfchar`` entries, as WeasyPrint writes it; None otherwise."""
    data = stream.read_bytes()
    if b"bfrange" in data:
        return None
    return {
        int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
        for code, text in BFCHAR.findall(data.split(b"endcodespacerange", 1)[-1])
    }


def _repair_map(pdf: pikepdf.Pdf, font: Node, used: set[int]) -> None:
    mapping = read_map(font.ToUnicode)
    if mapping is None:
        return
    cleaned = {code: _plain(text) for code, text in mapping.items() if text not in FORBIDDEN}
    missing = used - set(cleaned)
    if missing:
        ligatures = _ligature_texts(font, cleaned)
        cleaned.update({code: ligatures[code] for code in missing if code in ligatures})
    if cleaned != mapping:
        font.ToUnicode = pdf.make_stream(b"")
        set_stream(font.ToUnicode, _write_map(cleaned))


def _plain(text: str) -> str:
    """A ligature character ("ﬀ", U+FB00) as the letters it joins ("ff"), for search and copy."""
    return unicodedata.normalize("NFKC", text) if text in PRESENTATION_FORMS else text


def _ligature_texts(font: Node, mapping: dict[int, str]) -> dict[int, str]:
    """Glyph id → text, for the ligature glyphs of the embedded TrueType/OpenType font."""
    descriptor = font.DescendantFonts[0].FontDescriptor
    program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
    if program is None:
        return {}
    ttfont = TTFont(io.BytesIO(program.read_bytes()), lazy=True)
    if "GSUB" not in ttfont:
        return {}
    glyph_id = ttfont.getGlyphID
    names = {glyph_id(name): name for name in ttfont.getGlyphOrder()}
    text_of = {name: mapping[gid] for gid, name in names.items() if gid in mapping}
    for codepoint, name in sorted(ttfont.getBestCmap().items()):
        text_of.setdefault(name, chr(codepoint))
    texts: dict[int, str] = {}
    for lookup in ttfont["GSUB"].table.LookupList.Lookup:
        for subtable in lookup.SubTable:
            if subtable.LookupType == 7:  # an extension wraps the real subtable
                subtable = subtable.ExtSubTable
            if subtable.LookupType != 4:  # ligature substitution
                continue
            for first, ligatures in subtable.ligatures.items():
                for ligature in ligatures:
                    parts = [first, *ligature.Component]
                    if all(part in text_of for part in parts):
                        text = "".join(text_of[part] for part in parts)
                        texts.setdefault(glyph_id(ligature.LigGlyph), text)
    return texts


def _write_map(mapping: dict[int, str]) -> bytes:
    lines = [CMAP_HEAD]
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        chunk = items[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar\n".encode())
        for code, text in chunk:
            lines.append(f"<{code:04x}> <{text.encode('utf-16-be').hex()}>\n".encode())
        lines.append(b"endbfchar\n")
    lines.append(CMAP_TAIL)
    return b"".join(lines)
