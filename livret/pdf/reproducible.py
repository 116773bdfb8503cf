"""Byte-identical PDFs whichever font subsetter WeasyPrint uses.

With HarfBuzz subsetting (``libharfbuzz-subset0``) WeasyPrint writes no clock into a
PDF. Without it, WeasyPrint falls back to fontTools, which stamps every embedded font
with the current time unless ``SOURCE_DATE_EPOCH`` is set. So while livret renders, it
sets ``SOURCE_DATE_EPOCH`` from the edition date when the user has not set it: both
paths then give the same bytes from one run to the next.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

VARIABLE = "SOURCE_DATE_EPOCH"
_lock = threading.Lock()
_state = {"users": 0, "ours": False}


def epoch(date: dt.date) -> int:
    """Seconds since 1970 at midnight UTC of ``date``."""
    return int(dt.datetime.combine(date, dt.time(), dt.UTC).timestamp())


@contextmanager
def source_date_epoch(date: dt.date) -> Iterator[None]:
    """Set ``SOURCE_DATE_EPOCH`` to ``date`` for the duration, unless it is already set.

    Safe across threads: the variable is removed when the last renderer is done, and a
    value the user set is never changed.
    """
    with _lock:
        if _state["users"] == 0 and VARIABLE not in os.environ:
            os.environ[VARIABLE] = str(epoch(date))
            _state["ours"] = True
        _state["users"] += 1
    try:
        yield
    finally:
        with _lock:
            _state["users"] -= 1
            if _state["users"] == 0 and _state["ours"]:
                os.environ.pop(VARIABLE, None)
                _state["ours"] = False
