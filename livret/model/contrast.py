"""WCAG 2.x contrast ratios for the colour pairs the templates actually use."""

from __future__ import annotations

from dataclasses import dataclass

from livret.model.brand import Colors

WHITE = "#ffffff"
BODY_MINIMUM = 4.5
LARGE_MINIMUM = 3.0


@dataclass(frozen=True)
class ColorPair:
    """A foreground on a background, where the templates use it, and the ratio it needs."""

    foreground: str
    background: str
    usage: str
    minimum: float


def _channel(value: int) -> float:
    srgb = value / 255
    return srgb / 12.92 if srgb <= 0.03928 else ((srgb + 0.055) / 1.055) ** 2.4


def luminance(color: str) -> float:
    """Relative luminance of a ``#rrggbb`` colour."""
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def ratio(foreground: str, background: str) -> float:
    """The WCAG contrast ratio, from 1 to 21."""
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# The combinations used by the shipped templates (keep in step with the CSS). Text of
# 14 pt bold or 18 pt and more is large text; smaller text needs the body minimum.
TEMPLATE_PAIRS = (
    ColorPair("text", "background", "body text", BODY_MINIMUM),
    ColorPair("primary", "background", "headings", LARGE_MINIMUM),
    ColorPair(
        "primary",
        "background",
        "links, the guide's chapter numbers and the checklists' group numbers",
        BODY_MINIMUM,
    ),
    ColorPair(
        "white", "primary", "text on primary badges, table headers and the cover", BODY_MINIMUM
    ),
    ColorPair("secondary", "primary", "the association name on the cover", LARGE_MINIMUM),
    ColorPair(
        "accent", "background", "warning titles and the cheat sheets' don't lists", BODY_MINIMUM
    ),
)


@dataclass(frozen=True)
class LowContrast:
    """A pair below its minimum, and the brand colour to change (``colors.<key>``)."""

    color: str
    message: str


def low_contrast(colors: Colors) -> list[LowContrast]:
    """One finding per pair below its WCAG minimum."""
    values = {"white": WHITE, **vars(colors)}
    found = []
    for pair in TEMPLATE_PAIRS:
        measured = ratio(values[pair.foreground], values[pair.background])
        if measured < pair.minimum:
            message = (
                f"low contrast for {pair.usage}: {pair.foreground} {values[pair.foreground]} on "
                f"{pair.background} {values[pair.background]} is {measured:.2f}:1 "
                f"(WCAG needs {pair.minimum:g}:1)"
            )
            color = pair.foreground if pair.foreground != "white" else pair.background
            found.append(LowContrast(color, message))
    return found
