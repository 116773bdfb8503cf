"""Which links a document may carry: web, e-mail and phone links, and no more than they need.

- ``http:`` and ``https:`` addresses, as they are;
- ``mailto:`` one e-mail address, keeping only the ``subject`` and ``body`` fields of its
  query (``attach=``, ``cc=`` or ``bcc=`` would ask the mail program for more);
- ``tel:`` a number of digits and the separators ``+ - . ( )``.

Anything else (``javascript:``, ``file:``, relative paths, ``data:``) is not a link:
Markdown leaves it as text, and the output check refuses a PDF that carries it.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote

from livret.model.schema import EMAIL_PATTERN

_WEB = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)
_EMAIL = re.compile(EMAIL_PATTERN)
_PHONE = re.compile(r"\+?(?=[().-]*+[0-9])[0-9().-]++")  # at least one digit; linear
MAIL_FIELDS = ("subject", "body")
_MAX_LINK_CHARS = 2000


def safe_link(url: str) -> str | None:
    """The link as a document may carry it, or None when it may not be a link.

    ``safe_link`` of its own result gives the result back unchanged.
    """
    url = url.strip()
    scheme, colon, rest = url.partition(":")
    scheme = scheme.lower()
    if not colon or len(url) > _MAX_LINK_CHARS:
        return None
    if scheme in ("http", "https"):
        return url if _WEB.fullmatch(url) else None
    if scheme == "mailto":
        return _mail_link(rest)
    if scheme == "tel":
        number = unquote(rest)
        return f"tel:{number}" if _PHONE.fullmatch(number) else None
    return None


def _mail_link(rest: str) -> str | None:
    address, _, query = rest.partition("?")
    address = unquote(address)
    if not _EMAIL.fullmatch(address):
        return None
    fields = [
        (name.lower(), value)
        for name, value in parse_qsl(query, keep_blank_values=False)
        if name.lower() in MAIL_FIELDS
    ]
    kept = "&".join(f"{name}={quote(value, safe='')}" for name, value in fields)
    return f"mailto:{quote(address, safe='@+')}" + (f"?{kept}" if kept else "")
