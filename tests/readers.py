"""What real PDF readers make of a PDF, for every PDF the test suite writes.

pypdf reads PDFs that other readers refuse (a page whose ``/Contents`` is a direct stream
is read by pypdf, refused by poppler and drawn blank by pdfium and MuPDF), so the tests
also ask the readers people use:

- ``qpdf --check`` finds no error and no warning;
- pdfium (Chrome, Edge) and poppler (``pdftoppm``) draw every page that paints something
  into a raster that is not uniform;
- a PDF that claims a standard in its XMP metadata (``pdfuaid:part``, ``pdfaid:part`` and
  ``conformance``) passes that profile of ``page-validation`` (the veraPDF rules).

``conftest.py`` runs ``problems`` on every PDF under each test's ``tmp_path`` after the
test, and on every other PDF under pytest's base folder when the session ends (in each
pytest-xdist worker, for its own folder). Each distinct file (by SHA-256) is checked once
per process.
"""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
import tempfile
import time
from pathlib import Path

import page
import pikepdf
import pypdf
import pypdfium2
from PIL import Image

VALIDATED_PROFILES = {"ua1", "1b", "2b", "2u", "3b", "3u", "1a", "2a", "3a"}
PAINTING = re.compile(rb"\b(?:Tj|TJ|Do|f\*?|B\*?|b\*?|S|s|sh|EI)\b")

_checked: dict[str, list[str]] = {}
_seconds = [0.0]  # time spent checking, for the summary line at the end of the session


def problems(path: Path) -> list[str]:
    """What any reader finds wrong with the PDF at ``path``: an empty list when none does."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest not in _checked:
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as folder:
            # The two command-line readers run while Python asks pdfium and the validator.
            qpdf = _start(["qpdf", "--check", str(path)])
            poppler = _start(["pdftoppm", "-r", "30", "-gray", str(path), f"{folder}/page"])
            painted = painted_pages(path)
            found = [f"pdfium draws page {n} blank" for n in pdfium_blank_pages(path, painted)]
            for profile in claimed_profiles(data):
                found += validation_problems(path, profile)
            found = qpdf_problems(qpdf) + poppler_problems(poppler, Path(folder), painted) + found
        _checked[digest] = found
        _seconds[0] += time.perf_counter() - started
    return _checked[digest]


def checked_count() -> int:
    return len(_checked)


def summary() -> str:
    return f"readers: {len(_checked)} distinct PDFs checked in {_seconds[0]:.1f} s"


def _start(command: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def qpdf_problems(qpdf: subprocess.Popen[str]) -> list[str]:
    """What ``qpdf --check`` reports: any error or warning."""
    stdout, stderr = qpdf.communicate()
    output = (stdout + stderr).strip()
    if qpdf.returncode != 0 or "WARNING" in output:
        return [f"qpdf --check: {line}" for line in output.splitlines() if line][-5:]
    return []


def painted_pages(path: Path) -> list[int]:
    """1-based numbers of the pages whose content streams paint something (as pypdf reads
    them: a reader that tolerates what others refuse says what the page holds)."""
    painted = []
    for number, pdf_page in enumerate(pypdf.PdfReader(path).pages, 1):
        contents = pdf_page.get_contents()
        if contents is not None and PAINTING.search(contents.get_data()):
            painted.append(number)
    return painted


def _uniform(image: Image.Image) -> bool:
    low, high = image.convert("L").getextrema()
    return bool(low == high)


def pdfium_blank_pages(path: Path, painted: list[int]) -> list[int]:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return [n for n in painted if _uniform(document[n - 1].render(scale=0.4).to_pil())]
    finally:
        document.close()


def poppler_problems(
    pdftoppm: subprocess.Popen[str], folder: Path, painted: list[int]
) -> list[str]:
    """Errors of poppler's ``pdftoppm``, and the painted pages it draws blank."""
    _, stderr = pdftoppm.communicate()
    errors = [line for line in stderr.splitlines() if "Error" in line]
    if pdftoppm.returncode != 0 or errors:
        return [f"poppler: {line}" for line in (errors or [stderr.strip()])][:5]
    images = sorted(folder.glob("page-*.pgm"), key=lambda p: int(p.stem.split("-")[1]))
    blank = [n for n in painted if _uniform(Image.open(images[n - 1]))]
    return [f"poppler draws page {n} blank" for n in blank]


def claimed_profiles(data: bytes) -> list[str]:
    """The ``page-validation`` profiles that the PDF's XMP metadata claims."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        metadata = pdf.Root.get("/Metadata")
        if not isinstance(metadata, pikepdf.Stream):
            return []
        xmp = metadata.read_bytes().decode("utf-8", "replace")
    profiles = []
    if re.search(r"pdfuaid:part(?:=\"|>)1", xmp):
        profiles.append("ua1")
    part = re.search(r"pdfaid:part(?:=\"|>)(\d)", xmp)
    level = re.search(r"pdfaid:conformance(?:=\"|>)([ABU])", xmp)
    if part and level:
        profiles.append(part.group(1) + level.group(1).lower())
    return [profile for profile in profiles if profile in VALIDATED_PROFILES]


def validation_problems(path: Path, profile: str) -> list[str]:
    report = page.validate_pdf(path, profile=profile)
    if report.is_compliant:
        return []
    return [f"{profile} {f.rule_id}: {f.message}" for f in report.failures][:10]


def all_problems(folder: Path) -> dict[Path, list[str]]:
    """``problems`` for every PDF below ``folder`` that has any."""
    found = {}
    for path in sorted(folder.rglob("*.pdf")):
        if path.is_file() and (issues := problems(path)):
            found[path] = issues
    return found


def report(found: dict[Path, list[str]]) -> str:
    return "PDF readers disagree:\n" + "\n".join(
        f"  {path}: {issue}" for path, issues in found.items() for issue in issues
    )
