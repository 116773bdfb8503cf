"""Brand fonts: find the files of a family in ``brand/fonts/`` or a pip font package.

A font that cannot be found is an error: the build never falls back silently.
"""

from __future__ import annotations

import importlib.util
import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from livret.errors import LivretError
from livret.inputs import read_bytes

# File-name suffix → (CSS weight, CSS style), following the usual foundry names.
_STYLES = {
    "regular": (400, "normal"),
    "it": (400, "italic"),
    "italic": (400, "italic"),
    "semibold": (600, "normal"),
    "semiboldit": (600, "italic"),
    "semibolditalic": (600, "italic"),
    "bold": (700, "normal"),
    "boldit": (700, "italic"),
    "bolditalic": (700, "italic"),
}
_FONT_SUFFIXES = (".ttf", ".otf")


@dataclass(frozen=True)
class FontFace:
    """One font file and the weight and style it provides."""

    path: Path
    weight: int
    style: str


@dataclass(frozen=True)
class FontFamily:
    """A brand font family: the CSS name used in templates and its faces."""

    css_name: str
    source: str
    faces: tuple[FontFace, ...]
    home: Path  # where its files must stay: the project, or the font package's folder

    @property
    def folders(self) -> frozenset[Path]:
        return frozenset(face.path.parent for face in self.faces)


def package_font_dir(name: str) -> Path | None:
    """The ``files/`` folder of an installed font package such as ``font-source-sans-pro``."""
    module = "font_" + re.sub(r"[^a-z0-9]+", "_", name.lower()).removeprefix("font_")
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "files"
    return folder if folder.is_dir() else None


def find_family(name: str, brand_fonts_dir: Path, file: str, key: str, root: Path) -> FontFamily:
    """Resolve a family written in brand.yaml, first in ``brand/fonts/`` of the project in
    ``root``, then as a package."""
    slug = re.sub(r"[^a-z0-9]+", "", name.lower())
    folders = [brand_fonts_dir] if brand_fonts_dir.is_dir() else []
    package_dir = package_font_dir(name)
    if package_dir is not None:
        folders.append(package_dir)
    for folder in folders:
        faces = _faces_in(folder, slug)
        if faces:
            if folder == brand_fonts_dir:
                return FontFamily(f"brand-{slug}", "brand/fonts", faces, root)
            return FontFamily(f"brand-{slug}", f"package {name}", faces, folder)
    raise LivretError(
        f"'{key}': font '{name}' not found in brand/fonts/ nor as an installed font package "
        f"(pip install font-{name})",
        file,
    )


def _faces_in(folder: Path, slug: str) -> tuple[FontFace, ...]:
    faces: dict[tuple[int, str], FontFace] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in _FONT_SUFFIXES or "-" not in path.stem:
            continue
        family, _, style = path.stem.rpartition("-")
        if re.sub(r"[^a-z0-9]+", "", family.lower()) != slug:
            continue
        weight_style = _STYLES.get(style.lower())
        if weight_style is None:
            continue
        # Prefer TrueType outlines when a family ships both .ttf and .otf.
        if weight_style not in faces or path.suffix.lower() == ".ttf":
            faces[weight_style] = FontFace(path.resolve(), *weight_style)
    if (400, "normal") not in faces:
        return ()
    return tuple(faces[key] for key in sorted(faces))


@cache
def codepoints(path: Path, home: Path) -> frozenset[int]:
    """The characters a font file (which must stay in ``home``) can draw."""
    from fontTools.ttLib import TTFont

    data = read_bytes(path, home, str(path), "font file")
    with TTFont(io.BytesIO(data), lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


def check_font_file(path: Path, home: Path, display: str) -> None:
    """Refuse a file that is not a readable TrueType or OpenType font, as a user error."""
    try:
        codepoints(path, home)
    except LivretError as error:
        raise LivretError(error.message, display) from None
    except Exception as error:  # fontTools raises many exception types on a broken file
        reason = str(error) or type(error).__name__
        raise LivretError(f"not a usable TrueType or OpenType font ({reason})", display) from None


def missing_characters(text: str, family: FontFamily) -> str:
    """The characters of ``text`` that the regular face of ``family`` cannot draw."""
    regular = next(face for face in family.faces if (face.weight, face.style) == (400, "normal"))
    covered = codepoints(regular.path, family.home)
    return "".join(sorted({c for c in text if ord(c) not in covered and c not in " \t\r\n"}))
