"""The link policy (livret/html/links.py): what a document may link to, and how much of it."""

from __future__ import annotations

import pytest

from livret.html.links import safe_link

KEPT = [
    ("https://phares-solidaires.example/a?b=c#d", "https://phares-solidaires.example/a?b=c#d"),
    ("HTTP://x.example", "HTTP://x.example"),
    ("mailto:a@b.example", "mailto:a@b.example"),
    ("mailto:a@b.example?subject=Bonjour", "mailto:a@b.example?subject=Bonjour"),
    (
        "mailto:a@b.example?subject=Un%20mot&body=Salut",
        "mailto:a@b.example?subject=Un%20mot&body=Salut",
    ),
    # Only subject and body survive: attach=, cc= and bcc= would ask the mail program for more.
    ("mailto:a@b.example?attach=/etc/passwd", "mailto:a@b.example"),
    (
        "mailto:a@b.example?subject=x&attach=/etc/passwd&bcc=c@d.example",
        "mailto:a@b.example?subject=x",
    ),
    ("mailto:a@b.example?ATTACH=x&Body=y", "mailto:a@b.example?body=y"),
    ("tel:+33 1 23 45 67 89".replace(" ", "%20"), None),  # spaces are not separators here
    ("tel:+33-1-23-45-67-89", "tel:+33-1-23-45-67-89"),
    ("tel:(01).23.45", "tel:(01).23.45"),
]
REFUSED = [
    "javascript:alert(1)",
    "file:///etc/passwd",
    "data:text/html,x",
    "../livret.yaml",
    "brand/logo.svg",
    "mailto:a@b.example,c@d.example",  # one address only
    "mailto:?to=a@b.example",
    "mailto:not-an-address",
    "tel:+33;ext=1",
    "tel:-().",  # no digit
    "tel:0123?x=1",
    "https://x.example/\x00",
    "https://" + "a" * 3000 + ".example",
]


@pytest.mark.parametrize(("url", "expected"), KEPT)
def test_kept_with_only_what_it_needs(url: str, expected: str | None) -> None:
    assert safe_link(url) == expected
    if expected is not None:
        assert safe_link(expected) == expected  # the policy is stable on its own output


@pytest.mark.parametrize("url", REFUSED)
def test_refused(url: str) -> None:
    assert safe_link(url) is None
