"""Where a shared sheet keeps its footer's space: measured when the sheet is laid out,
written beside its PDF, read by each chapter edition stamped onto it (see
:mod:`livret.pdf.footers`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from livret.files import atomic_write
from livret.pdf.fit import Fit

SAME_HEIGHT = 0.01  # CSS px: footers this close in height take the same space


@dataclass(frozen=True)
class FooterPlace:
    """Where a shared sheet keeps its footer's space, and the fit it was laid out at;
    written beside the sheet's PDF."""

    fit: Fit
    top: float  # CSS px from the top of the page
    height: float

    def write(self, sheet: Path) -> None:
        data = {"fit": list(self.fit), "top": self.top, "height": self.height}
        atomic_write(place_file(sheet), json.dumps(data).encode())

    @classmethod
    def read(cls, sheet: Path) -> FooterPlace | None:
        """The place written beside ``sheet``; None when it is missing or unreadable."""
        try:
            data = json.loads(place_file(sheet).read_text(encoding="utf-8"))
            size, free = (float(value) for value in data["fit"])
            return cls((size, free), float(data["top"]), float(data["height"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def holds(self, height: float) -> bool:
        """Whether a footer of ``height`` takes exactly this footer's space."""
        return abs(height - self.height) <= SAME_HEIGHT


def place_file(sheet: Path) -> Path:
    """The file beside a shared sheet's PDF that says where its footer goes."""
    return sheet.with_suffix(".footer.json")
