"""Paper sizes: US Letter in the CLDR Letter territories, A4 everywhere else.

Babel has no paper data, so the territory list comes from CLDR's ``paperSize``
supplemental data. ``--paper`` overrides the locale's choice.
"""

from __future__ import annotations

from babel import Locale

# CSS page sizes (keywords are case-insensitive), also used as labels in messages.
PAPER_SIZES = {"a4": "A4", "letter": "Letter", "a5": "A5"}
LETTER_TERRITORIES = frozenset(
    {"BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE"}
)


def paper_for_locale(locale: str) -> str:
    """``letter`` for ``en_CA`` or ``fr_CA``; ``a4`` for ``fr_FR`` or a bare ``fr``."""
    territory = Locale.parse(locale).territory
    return "letter" if territory in LETTER_TERRITORIES else "a4"


def page_size(paper: str | None, locale: str) -> str:
    """The CSS ``size`` of the chosen paper, or of the locale's paper when none is chosen."""
    return PAPER_SIZES[paper or paper_for_locale(locale)]
