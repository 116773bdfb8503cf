"""Merge a template into a catalog, as ``msgmerge --previous`` does.

For each template entry, in the template's order:

1. an exact match (same context and msgid) in the catalog, obsolete entries included,
   keeps its translation, its translator comments and its state: a string that comes
   back is restored as it was, never matched fuzzily to something else;
2. else an exact match in a compendium (another catalog, an earlier edition) gives the
   translation;
3. else the closest translated entry that left the template gives its translation,
   marked fuzzy, with the previous msgid (``#|``) for review;
4. else the entry starts untranslated (a regional variant's catalog leaves it out: the
   string comes from the parent language).

Entries of the catalog that were used by none of these become obsolete (``#~``), those
without a translation are dropped. The header keeps its comments and every field; only
``POT-Creation-Date`` follows the template.
"""

from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass

import polib

from livret.i18n.po import Key, entry_key

FUZZY_CUTOFF = 0.6  # as Babel and msgmerge: the share of matching characters


@dataclass(frozen=True)
class MergeCounts:
    """What a merge changed."""

    added: int = 0
    fuzzy: int = 0
    obsolete: int = 0
    unchanged: int = 0
    restored: int = 0
    from_compendium: int = 0


def is_translated(entry: polib.POEntry) -> bool:
    """True when an entry has a translation (fuzzy or not)."""
    if entry.msgid_plural:
        return any(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def _from_template(source: polib.POEntry) -> polib.POEntry:
    entry = copy.copy(source)
    entry.flags = [flag for flag in source.flags if flag != "fuzzy"]
    entry.occurrences = list(source.occurrences)
    entry.msgstr_plural = {}
    entry.obsolete = False
    entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
    return entry


def _translate(entry: polib.POEntry, old: polib.POEntry, nplurals: int) -> None:
    """Give ``entry`` the translation and translator comments of ``old``."""
    entry.tcomment = old.tcomment
    if entry.msgid_plural:
        forms = dict(old.msgstr_plural) if old.msgid_plural else {0: old.msgstr}
        entry.msgstr_plural = {i: forms.get(i, "") for i in range(max(nplurals, len(forms)))}
    else:
        entry.msgstr = old.msgstr if not old.msgid_plural else old.msgstr_plural.get(0, "")


def _keep_state(entry: polib.POEntry, old: polib.POEntry) -> None:
    """An exact match keeps its fuzzy flag and previous msgid, as it was."""
    if old.fuzzy:
        entry.flags.insert(0, "fuzzy")
        entry.previous_msgctxt = old.previous_msgctxt
        entry.previous_msgid = old.previous_msgid
        entry.previous_msgid_plural = old.previous_msgid_plural
    if bool(old.msgid_plural) != bool(entry.msgid_plural) and "fuzzy" not in entry.flags:
        _mark_fuzzy(entry, old)  # singular became plural, or the reverse


def _mark_fuzzy(entry: polib.POEntry, old: polib.POEntry) -> None:
    entry.flags.insert(0, "fuzzy")
    entry.previous_msgctxt = old.msgctxt
    entry.previous_msgid = old.msgid
    entry.previous_msgid_plural = old.msgid_plural or None


def _as_obsolete(old: polib.POEntry) -> polib.POEntry:
    entry = copy.copy(old)
    entry.obsolete = True
    entry.occurrences = []
    entry.comment = ""
    return entry


class _Fuzzy:
    """Finds the closest translated entry among those that left the template."""

    def __init__(self, entries: list[polib.POEntry]) -> None:
        self.by_msgid: dict[str, polib.POEntry] = {}
        for entry in entries:
            self.by_msgid.setdefault(entry.msgid, entry)

    def find(self, entry: polib.POEntry) -> polib.POEntry | None:
        candidates = [
            msgid
            for msgid, old in self.by_msgid.items()
            if bool(old.msgid_plural) == bool(entry.msgid_plural)
        ]
        found = difflib.get_close_matches(entry.msgid, candidates, n=1, cutoff=FUZZY_CUTOFF)
        return self.by_msgid[found[0]] if found else None


def _nplurals(po: polib.POFile) -> int:
    header = po.metadata.get("Plural-Forms", "")
    for part in header.split(";"):
        name, _, value = part.partition("=")
        if name.strip() == "nplurals" and value.strip().isdigit():
            return int(value)
    return 2


def merge(
    catalog: polib.POFile,
    template: polib.POFile,
    compendium: polib.POFile | None = None,
    add_new: bool = True,
) -> tuple[polib.POFile, MergeCounts]:
    """A new catalog: ``template``'s entries with ``catalog``'s translations."""
    active = {entry_key(entry): entry for entry in catalog if not entry.obsolete}
    obsolete = {entry_key(entry): entry for entry in catalog if entry.obsolete}
    known = {entry_key(entry): entry for entry in compendium or () if not entry.obsolete}
    wanted = {entry_key(entry) for entry in template}
    leaving = [
        entry
        for key, entry in (*obsolete.items(), *active.items())
        if key not in wanted and is_translated(entry) and not entry.fuzzy
    ]
    fuzzy = _Fuzzy(leaving)
    nplurals = _nplurals(catalog)
    result = polib.POFile()
    result.header = catalog.header
    result.metadata = dict(catalog.metadata)
    result.metadata_is_fuzzy = catalog.metadata_is_fuzzy
    if "POT-Creation-Date" in template.metadata:
        result.metadata["POT-Creation-Date"] = template.metadata["POT-Creation-Date"]
    counts = {"added": 0, "fuzzy": 0, "unchanged": 0, "restored": 0, "from_compendium": 0}
    used: set[Key] = set()
    for source in template:
        key = entry_key(source)
        entry = _from_template(source)
        old = active.get(key) or obsolete.get(key)
        if old is not None:
            _translate(entry, old, nplurals)
            _keep_state(entry, old)
            counts["unchanged" if key in active else "restored"] += 1
            used.add(key)
        elif key in known and is_translated(known[key]) and not known[key].fuzzy:
            _translate(entry, known[key], nplurals)
            entry.tcomment = ""
            counts["from_compendium"] += 1
        elif (close := fuzzy.find(entry)) is not None:
            _translate(entry, close, nplurals)
            _mark_fuzzy(entry, close)
            counts["fuzzy"] += 1
            used.add(entry_key(close))
        elif add_new:
            if entry.msgid_plural:
                entry.msgstr_plural = dict.fromkeys(range(nplurals), "")
            counts["added"] += 1
        else:
            continue
        result.append(entry)
    newly_obsolete = 0
    for key, old in (*active.items(), *obsolete.items()):
        if key in used or key in wanted or not is_translated(old):
            continue
        newly_obsolete += key in active
        result.append(_as_obsolete(old))
    return result, MergeCounts(obsolete=newly_obsolete, **counts)
