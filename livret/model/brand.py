"""The brand kit: identity, colours, fonts, contacts and accounts from ``brand/brand.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from livret.errors import LivretError
from livret.inputs import read_bytes
from livret.model.fonts import FontFamily, check_font_file, find_family
from livret.model.pictures import raster_problem
from livret.model.project import Project
from livret.model.schema import (
    Custom,
    Field,
    MapOf,
    Message,
    Record,
    Str,
    Text,
    email,
    resolve_inside,
    web_address,
)
from livret.model.svgcheck import svg_problems
from livret.model.yamlfile import LocatedDict, load_yaml

BRAND_FILE = "brand/brand.yaml"
LOGO_TYPES = (".svg", ".png", ".jpg", ".jpeg")
_MAGIC = {".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}
_RGB = re.compile(r"rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)")
_HEX = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def parse_color(text: str) -> str:
    """Normalise a ``#rgb``, ``#rrggbb`` or ``rgb(r, g, b)`` colour to ``#rrggbb``."""
    text = text.strip()
    if match := _HEX.fullmatch(text):
        digits = match[1]
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return "#" + digits.lower()
    if match := _RGB.fullmatch(text):
        channels = [int(value) for value in match.groups()]
        if all(0 <= value <= 255 for value in channels):
            return "#" + "".join(f"{value:02x}" for value in channels)
    raise ValueError(f"invalid colour '{text}' (use #rrggbb or rgb(r, g, b))")


@dataclass(frozen=True)
class Colors:
    primary: str
    secondary: str
    accent: str
    text: str
    background: str


@dataclass(frozen=True)
class Contact:
    email: str
    website: str
    phone: str
    address: str


_COLOR = Custom(parse_color)
_SCHEMA = Record(
    {
        "name": Field(Str()),
        "short_name": Field(Str()),
        "tagline": Field(Text()),
        "logo": Field(Str()),
        "colors": Field(
            Record(
                {
                    key: Field(_COLOR)
                    for key in ("primary", "secondary", "accent", "text", "background")
                },
                into=Colors,
            )
        ),
        "fonts": Field(Record({"body": Field(Str()), "heading": Field(Str())})),
        "contact": Field(
            Record(
                {
                    "email": Field(email()),
                    "website": Field(web_address()),
                    "phone": Field(Str()),
                    "address": Field(Str()),
                },
                into=Contact,
            )
        ),
        "accounts": Field(MapOf(web_address()), required=False, default={}),
        "legal": Field(Text()),
    }
)


@dataclass(frozen=True)
class Brand:
    """The association's identity as used by every template."""

    name: str
    short_name: str
    tagline: Message
    logo: Path
    colors: Colors
    body_font: FontFamily
    heading_font: FontFamily
    contact: Contact
    accounts: dict[str, str]
    legal: Message
    chapter: Chapter | None = None
    key_lines: dict[str, int] = field(default_factory=dict, compare=False)  # "colors.text": 9

    @property
    def effective_accounts(self) -> dict[str, str]:
        """The national accounts, with a chapter's own accounts in their place."""
        return {**self.accounts, **(self.chapter.accounts if self.chapter else {})}

    @property
    def font_folders(self) -> frozenset[Path]:
        return self.body_font.folders | self.heading_font.folders


@dataclass(frozen=True)
class Chapter:
    """One local chapter and the fields it overrides (see ``livret.model.chapters``)."""

    slug: str
    name: str
    city: str
    source: str  # the file that defines it, named in messages
    line: int | None  # the line of its row in the spreadsheet (None for a YAML file)
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    address: str | None = None
    accounts: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """Everything the chapter writes that a page may show."""
        fields = (self.name, self.city, self.email, self.phone, self.website, self.address)
        return " ".join([*(value for value in fields if value), *self.accounts.values()])

    def apply_to(self, brand: Brand) -> Brand:
        """The brand as this chapter prints it."""
        contact = Contact(
            email=self.email or brand.contact.email,
            website=self.website or brand.contact.website,
            phone=self.phone or brand.contact.phone,
            address=self.address or brand.contact.address,
        )
        return replace(brand, contact=contact, chapter=self)


def load_brand(project: Project) -> Brand:
    """Load and validate ``brand/brand.yaml`` with its logo and fonts."""
    resolve_inside(project.root, BRAND_FILE, BRAND_FILE, "brand file")
    raw = load_yaml(project.brand_file, BRAND_FILE, project.root)
    data = _SCHEMA.check(raw, None, ("brand",))
    brand_dir = project.brand_file.parent
    logo = _check_logo(project.root, data["logo"], raw["logo"].line)
    fonts_dir = brand_dir / "fonts"
    families = {}
    for role in ("body", "heading"):
        where, key = f"{BRAND_FILE}:{raw['fonts'][role].line}", f"fonts.{role}"
        families[role] = find_family(data["fonts"][role], fonts_dir, where, key, project.root)
        _check_fonts(project, families[role], key, where)
    return Brand(
        name=data["name"],
        short_name=data["short_name"],
        tagline=data["tagline"],
        logo=logo,
        colors=data["colors"],
        body_font=families["body"],
        heading_font=families["heading"],
        contact=data["contact"],
        accounts=data["accounts"],
        legal=data["legal"],
        key_lines=_key_lines(raw),
    )


def _key_lines(raw: LocatedDict) -> dict[str, int]:
    """The line of each key of ``brand.yaml``, and of the keys one level down."""
    lines = {}
    for key, value in raw.items():
        lines[key] = getattr(key, "line", raw.line)
        if isinstance(value, LocatedDict):
            for inner in value:
                lines[f"{key}.{inner}"] = getattr(inner, "line", value.line)
    return lines


def _check_logo(root: Path, relative: str, line: int) -> Path:
    """The logo must stay in the project, be an SVG, PNG or JPEG, and decode."""
    path = resolve_inside(root, f"brand/{relative}", BRAND_FILE, "logo", line)
    suffix = path.suffix.lower()
    if suffix not in LOGO_TYPES:
        raise LivretError(
            f"'logo': '{relative}' must be an SVG, PNG or JPEG file", BRAND_FILE, line
        )
    if not path.exists():
        raise LivretError(f"'logo': file 'brand/{relative}' not found", BRAND_FILE, line)
    try:
        data = read_bytes(path, root, f"brand/{relative}", "logo")
    except LivretError as error:
        raise LivretError(f"'logo': {error}", BRAND_FILE, line) from None
    if not data:
        raise LivretError(f"'logo': file 'brand/{relative}' is empty", BRAND_FILE, line)
    if suffix == ".svg":
        _check_svg(data, relative, line)
        return path
    if not data.startswith(_MAGIC[suffix]):
        raise LivretError(
            f"'logo': 'brand/{relative}' is not a real {suffix[1:].upper()} file", BRAND_FILE, line
        )
    problem = raster_problem(data)
    if problem:
        raise LivretError(f"'logo': 'brand/{relative}' {problem}", BRAND_FILE, line)
    return path


def _check_svg(data: bytes, relative: str, line: int) -> None:
    if b"<svg" not in data[:4096].lower():
        raise LivretError(f"'logo': 'brand/{relative}' is not an SVG file", BRAND_FILE, line)
    problems = svg_problems(data)
    if problems:
        first = problems[0]
        raise LivretError(
            f"the logo (brand.yaml line {line}) {first.message}", f"brand/{relative}", first.line
        )


def _check_fonts(project: Project, family: FontFamily, key: str, file: str) -> None:
    """Font files from brand/fonts/ must stay inside the project and be real fonts."""
    if family.source != "brand/fonts":
        return  # an installed font package: a trusted place, checked by pip
    for face in family.faces:
        if not face.path.is_relative_to(project.root):
            raise LivretError(
                f"'{key}': a font file is a link to {face.path}, outside the project", file
            )
        check_font_file(face.path, family.home, project.relative(face.path))
