"""Stream data that every reader and validator measures the same way.

PDF/A-3b (ISO 19005-3, 6.1.7) wants the XMP metadata readable without decoding, and a
stream's ``/Length`` to match its data. A validator that sees stream data ending in a
carriage return takes that byte for part of the end-of-line before ``endstream``, and so
finds the length off by one. WeasyPrint compresses the XMP and, by chance, some of its
compressed streams end in ``\\r``. Every stream written here is compressed at a level that
does not end so, and the XMP is left uncompressed.
"""

from __future__ import annotations

import zlib
from typing import Any

import pikepdf
from pikepdf import Name

CR = b"\r"
# A pikepdf object: whether it is a dictionary, an array or a stream is known at run time.
Node = Any


def set_stream(stream: Node, data: bytes) -> None:
    """Write ``data`` into ``stream``, Flate-compressed, never ending in a carriage return."""
    for level in (6, 9, 8, 7, 5, 4, 3, 2, 1):
        compressed = zlib.compress(data, level)
        if not compressed.endswith(CR):
            stream.write(compressed, filter=Name.FlateDecode)
            return
    # Nine levels all ending in CR is not known to happen; stored blocks end in the data.
    stream.write(data if not data.endswith(CR) else data + b"\n")


def repair(pdf: pikepdf.Pdf) -> None:
    """Uncompress the XMP metadata and re-encode every stream whose data ends in CR."""
    metadata = pdf.Root.get("/Metadata")
    if isinstance(metadata, pikepdf.Stream) and "/Filter" in metadata:
        metadata.write(metadata.read_bytes())
    for item in pdf.objects:
        if not isinstance(item, pikepdf.Stream) or not item.read_raw_bytes().endswith(CR):
            continue
        if item.get("/Filter") in (None, Name.FlateDecode) and "/DecodeParms" not in item:
            set_stream(item, item.read_bytes())
