"""Form fields that every reader draws and names the same way.

WeasyPrint 70 gives text fields no appearance and sets ``/NeedAppearances``, asking the
viewer to draw them, which PDF/A forbids (ISO 19005-3, 6.4.1 and 6.3.3); its checkboxes
have an appearance for "on" only. It also builds each field's description (``/TU``, what
a screen reader announces) from the laid-out text of its label, where two words that met
at a line break lose their space ("laprésidence"). Empty fields get empty appearances,
checkboxes an "Off" one, and descriptions come from the label's words.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name

from livret.pdf.streams import Node, set_stream


def repair(pdf: pikepdf.Pdf, descriptions: dict[str, str]) -> None:
    """Give every widget an appearance for each state, and every field its label's words."""
    form = pdf.Root.get("/AcroForm")
    if form is None:
        return
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", Array()):
            if annotation.get("/Subtype") == "/Widget":
                _add_appearances(pdf, annotation)
    for field in form.get("/Fields", Array()):
        name = str(field.get("/T", ""))
        if name in descriptions:
            field.TU = pikepdf.String(descriptions[name])
    if "/NeedAppearances" in form:
        del form.NeedAppearances


def _add_appearances(pdf: pikepdf.Pdf, widget: Node) -> None:
    normal = widget.get("/AP", Dictionary()).get("/N")
    field_type = widget.get("/FT") or widget.get("/Parent", Dictionary()).get("/FT")
    if (
        field_type == "/Btn"
        and isinstance(normal, Dictionary)
        and not isinstance(normal, pikepdf.Stream)
    ):
        if "/Off" not in normal:
            normal.Off = _empty_appearance(pdf, widget, b"")
    elif normal is None:
        marked = b"/Tx BMC EMC\n" if field_type == "/Tx" else b""
        widget.AP = Dictionary(N=_empty_appearance(pdf, widget, marked))


def _empty_appearance(pdf: pikepdf.Pdf, widget: Node, content: bytes) -> Node:
    """A form XObject the size of the widget that draws nothing (an unfilled field)."""
    x1, y1, x2, y2 = (float(value) for value in widget.Rect)
    stream = pdf.make_stream(
        b"",
        Type=Name.XObject,
        Subtype=Name.Form,
        BBox=Array([0, 0, abs(x2 - x1), abs(y2 - y1)]),
        Resources=Dictionary(),
    )
    set_stream(stream, content)
    return stream
