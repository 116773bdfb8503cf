"""The declared schema on small YAML files: every rule names the file, the line and the key."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from livret.errors import LivretError
from livret.model.schema import (
    Bool,
    Choice,
    Field,
    ListOf,
    Month,
    ProjectPath,
    Record,
    Str,
    email,
    web_address,
)
from livret.model.yamlfile import LocatedDict, load_yaml


def loaded(tmp_path: Path, text: str) -> LocatedDict:
    path = tmp_path / "file.yaml"
    path.write_text(text, encoding="utf-8")
    return load_yaml(path, "file.yaml", path.parent)


def refused(schema: Record, data: LocatedDict, message: str) -> None:
    with pytest.raises(LivretError) as caught:
        schema.check(data, None, ("file.yaml",))
    assert re.fullmatch(message, str(caught.value)), str(caught.value)


def test_choice_names_the_key_and_suggests_the_closest(tmp_path: Path) -> None:
    schema = Record({"kind": Field(Choice(["guide", "checklist"], "template"))})
    assert schema.check(loaded(tmp_path, "kind: guide\n"), None, ("file.yaml",)) == {
        "kind": "guide"
    }
    refused(
        schema,
        loaded(tmp_path, "\nkind: gide\n"),
        r"file\.yaml:2: 'kind': unknown template 'gide' \(did you mean 'guide'\?\)",
    )
    refused(
        schema,
        loaded(tmp_path, "kind: poster\n"),
        r"file\.yaml:1: 'kind': unknown template 'poster' \(use one of: guide, checklist\)",
    )


def test_unique_lists_refuse_the_second_copy_at_its_line(tmp_path: Path) -> None:
    words = Record({"words": Field(ListOf(Str(), "word", unique=True))})
    refused(
        words,
        loaded(tmp_path, "words:\n  - a\n  - b\n  - a\n"),
        r"file\.yaml:4: duplicate 'a' in 'words'",
    )
    records = Record({"items": Field(ListOf(Record({"id": Field(Str())}), "item", unique="id"))})
    refused(
        records,
        loaded(tmp_path, "items:\n  - id: x\n  - id: y\n  - id: x\n"),
        r"file\.yaml:4: duplicate id 'x' in 'items'",
    )
    data = loaded(tmp_path, "items:\n  - id: x\n  - id: y\n")
    assert records.check(data, None, ("file.yaml",)) == {"items": [{"id": "x"}, {"id": "y"}]}


def test_project_paths_stay_inside_the_project(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "content").mkdir(parents=True)
    (root / "content/guide.yaml").write_text("title: x\n", encoding="utf-8")
    (root / "content/escape.yaml").symlink_to("/etc/passwd")
    schema = Record({"content": Field(ProjectPath(root))})
    ok = schema.check(loaded(tmp_path, "content: content/guide.yaml\n"), None, ("file.yaml",))
    assert ok == {"content": (root / "content/guide.yaml").resolve()}
    refused(
        schema,
        loaded(tmp_path, "\n\ncontent: ../secret.yaml\n"),
        r"file\.yaml:3: 'content': path '\.\./secret\.yaml' leaves the project folder",
    )
    refused(
        schema,
        loaded(tmp_path, "content: content/escape.yaml\n"),
        r"file\.yaml:1: 'content': path 'content/escape\.yaml' leaves the project folder",
    )


@dataclass(frozen=True)
class Point:
    x: int
    label: str


def test_records_can_build_dataclasses(tmp_path: Path) -> None:
    from livret.model.schema import Int

    schema = Record({"point": Field(Record({"x": Field(Int()), "label": Field(Str())}, Point))})
    data = loaded(tmp_path, "point: {x: 3, label: here}\n")
    assert schema.check(data, None, ("file.yaml",)) == {"point": Point(3, "here")}


@pytest.mark.parametrize(
    ("value", "kind", "ok"),
    [
        ("comms@phares-solidaires.example", email, True),
        ("comms-at-phares-solidaires.example", email, False),
        ("https://www.instagram.com/pharessolidaires", web_address, True),
        ("javascript:alert(1)", web_address, False),
        ("ftp://files.example/guide.pdf", web_address, False),
    ],
)
def test_one_set_of_address_patterns(tmp_path: Path, value: str, kind, ok: bool) -> None:
    schema = Record({"address": Field(kind())})
    data = loaded(tmp_path, f"address: '{value}'\n")
    if ok:
        assert schema.check(data, None, ("file.yaml",)) == {"address": value}
    else:
        refused(schema, data, rf"file\.yaml:1: 'address': invalid value '{re.escape(value)}' .*")


def test_month_is_the_first_day_of_a_written_month(tmp_path: Path) -> None:
    schema = Record({"as_of": Field(Month()), "unconfirmed": Field(Bool())})
    data = loaded(tmp_path, "as_of: 2026-12\nunconfirmed: true\n")
    assert schema.check(data, None, ("file.yaml",)) == {
        "as_of": dt.date(2026, 12, 1),
        "unconfirmed": True,
    }
    for written in ("2026-13", "2026-12-01", "December 2026", "202612"):
        bad = loaded(tmp_path, f"as_of: {written}\nunconfirmed: false\n")
        refused(schema, bad, r"file\.yaml:1: 'as_of' must be a month written YYYY-MM, not .*")
    bad = loaded(tmp_path, "as_of: 2026-12\nunconfirmed: maybe\n")
    refused(schema, bad, r"file\.yaml:2: 'unconfirmed' must be true or false, not 'maybe'")
