"""Document kinds: the one table of what a guide, a checklist and a cheat sheet are.

A document in ``livret.yaml`` names its kind (``template: checklist``). The kind gives
its content schema, its template and stylesheet, whether it must fit on one page (and
how far its type may shrink), which of its boxes have a fixed height that their content
must not overrun, and what chapter editions share with the national one (the body pages
of a guide, all of a checklist but its footer). Adding a
kind means one row here, a schema and a template.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from livret.model.content import CHEATSHEETS, CHECKLIST, GUIDE
from livret.model.schema import Type
from livret.pdf.fit import TypeScale

SHARED_STYLESHEET = "base.css"


@dataclass(frozen=True)
class DocumentKind:
    """The rules of one kind of document."""

    name: str
    schema: Type = field(compare=False)  # validates the content file
    one_page: TypeScale | None = None  # set when the document must fit on one page
    shared_body: bool = False  # chapter editions differ only on the cover and back cover
    markdown: bool = False  # content is a folder of Markdown files, not one YAML file
    fixed_boxes: str | None = None  # class of the boxes whose content must not overrun them
    chapter_footer: str | None = None  # class of the one box where chapter editions differ

    @property
    def template(self) -> str:
        return f"{self.name}.html.j2"

    @property
    def stylesheet(self) -> str:
        return f"{self.name}.css"


KINDS: dict[str, DocumentKind] = {
    kind.name: kind
    for kind in (
        DocumentKind("guide", GUIDE, shared_body=True, markdown=True),
        DocumentKind(
            "checklist",
            CHECKLIST,
            one_page=TypeScale(start=11, floor=8.5, step=0.5),
            chapter_footer="sheet-foot",
        ),
        DocumentKind("cheatsheets", CHEATSHEETS, fixed_boxes="card-body"),
    )
}


def kind_of_template_file(name: str) -> DocumentKind | None:
    """The kind that a file at the top of ``templates/`` belongs to, or None when it is shared.

    ``checklist.html.j2`` and ``checklist.css`` belong to checklists; ``base.html.j2``,
    ``base.css`` and the files in subfolders serve every kind.
    """
    return KINDS.get(name.split(".", 1)[0])
