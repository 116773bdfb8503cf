"""Decoding the QR codes printed on a PDF page with a real decoder (zbarimg)."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pypdfium2


def page_qr_codes(path: Path, page: int, scale: float = 3) -> list[str]:
    """Every QR code zbarimg finds on a page rasterised at ``scale`` × 72 dpi."""
    document = pypdfium2.PdfDocument(str(path))
    try:
        image = document[page].render(scale=scale).to_pil()
    finally:
        document.close()
    with tempfile.TemporaryDirectory() as folder:
        png = Path(folder) / "page.png"
        image.save(png)
        result = subprocess.run(
            ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
            capture_output=True,
            text=True,
            check=False,
        )
    # zbarimg exits 4 when it finds no symbol at all.
    assert result.returncode in (0, 4), result.stderr
    return result.stdout.splitlines()
