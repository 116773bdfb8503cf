"""Warnings about the brand kit that do not stop a build: colour pairs below their WCAG
contrast, and accounts under a key that no network of the cheat sheets uses.

``livret check`` and ``livret build`` both show them, with the line in ``brand.yaml``.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from livret.errors import LivretError, did_you_mean
from livret.model.brand import BRAND_FILE, Brand
from livret.model.contrast import low_contrast
from livret.model.project import Project, load_content


@dataclass(frozen=True)
class BrandWarning:
    """One warning, at a line of ``brand/brand.yaml``."""

    message: str
    line: int | None
    file: str = BRAND_FILE

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


def brand_warnings(project: Project, brand: Brand) -> list[BrandWarning]:
    """Low-contrast colour pairs, then accounts that no network shows."""
    found = [
        BrandWarning(item.message, brand.key_lines.get(f"colors.{item.color}"))
        for item in low_contrast(brand.colors)
    ]
    networks = known_networks(project)
    if networks:
        for key in brand.accounts:
            if key not in networks:
                hint = did_you_mean(key, networks) or f" (the networks: {', '.join(networks)})"
                found.append(
                    BrandWarning(
                        f"'accounts': '{key}' is not a network of the cheat sheets{hint}: "
                        "no cheat sheet shows this account",
                        brand.key_lines.get(f"accounts.{key}"),
                    )
                )
    return found


def known_networks(project: Project) -> list[str]:
    """The account keys that the cheat sheets look up: each network's ``account``, or its id.

    A content file that does not load adds nothing here: its own build reports it.
    """
    keys: list[str] = []
    for document in project.documents.values():
        if document.template != "cheatsheets":
            continue
        with contextlib.suppress(LivretError):
            for network in load_content(project, document)["networks"]:
                keys.append(network["account"] or network["id"])
    return list(dict.fromkeys(keys))
