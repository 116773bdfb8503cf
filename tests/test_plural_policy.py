"""Plural forms by policy (livret/plurals.py): the answers are fixed here, never read from Babel.

Babel 2.18 (CLDR 45) and 2.19 (CLDR 46) disagree on French, Spanish, Italian and
Portuguese; these tests pass with either, because they state the expected formulas.
"""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from test_i18n_workflow import edit, msgfmt_check

from livret.i18n import translator_for
from livret.i18ncheck import check_catalog
from livret.plurals import PluralRule, is_accepted, policy_rule

GETTEXT_FR = "nplurals=2; plural=(n > 1);"
GETTEXT_OTHERS = "nplurals=2; plural=(n != 1);"
# CLDR 46 (Babel 2.19) for French: one (0, 1), many (a million and its multiples), other.
CLDR_FR = "nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;"


@pytest.mark.parametrize(
    ("lang", "header"),
    [("fr_CA", GETTEXT_FR), ("es", GETTEXT_OTHERS), ("pt_BR", GETTEXT_FR), ("it", GETTEXT_OTHERS)],
)
def test_init_writes_the_gettext_formula(project: Path, cli, lang: str, header: str) -> None:
    result = cli("--project", str(project), "i18n", "init", lang)
    assert result.exit_code == 0, result.output
    po_path = project / f"locales/{lang}/LC_MESSAGES/livret.po"
    assert polib.pofile(str(po_path)).metadata["Plural-Forms"] == header
    msgfmt_check(po_path)


def catalog(plural_forms: str, *entries: str) -> polib.POFile:
    header = (
        'msgid ""\nmsgstr ""\n"Language: fr_CA\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Plural-Forms: {plural_forms}\\n"\n\n'
    )
    return polib.pofile(header + "".join(entries))


def plural_entry(*forms: str) -> str:
    strings = "".join(f'msgstr[{index}] "{form}"\n' for index, form in enumerate(forms))
    return f'msgid "%(n)s page"\nmsgid_plural "%(n)s pages"\n{strings}\n'


@pytest.mark.parametrize("header", [GETTEXT_FR, CLDR_FR])
def test_check_accepts_the_gettext_and_the_cldr_formula(header: str) -> None:
    forms = ("%(n)s page", "%(n)s de pages", "%(n)s pages")[: int(header[9])]
    po = catalog(header, plural_entry(*forms))
    assert check_catalog(po, "fr_CA.po", "fr_CA") == []


def test_check_warns_on_a_formula_of_another_language() -> None:
    po = catalog(GETTEXT_OTHERS, plural_entry("%(n)s page", "%(n)s pages"))
    [finding] = check_catalog(po, "fr_CA.po", "fr_CA")
    assert finding.warning and finding.line == 1
    assert GETTEXT_OTHERS in finding.message and GETTEXT_FR in finding.message


def test_check_fails_when_an_entry_has_fewer_forms_than_the_header() -> None:
    po = catalog(CLDR_FR, plural_entry("%(n)s page", "%(n)s pages"))
    [finding] = check_catalog(po, "fr_CA.po", "fr_CA")
    assert not finding.warning
    assert "2 plural forms, but the header's Plural-Forms says nplurals=3" in finding.message


def test_rules_compare_by_meaning_not_spelling() -> None:
    assert PluralRule(2, "n>1").same_as(policy_rule("fr"))
    assert not PluralRule(2, "(n != 1)").same_as(policy_rule("fr"))  # differs at 0
    assert is_accepted(PluralRule(3, CLDR_FR.split("plural=")[1].rstrip(";")), "fr")
    assert not is_accepted(PluralRule(3, "(n > 1)"), "fr")


def test_an_empty_many_form_uses_other_never_the_source(tmp_path: Path) -> None:
    po_path = tmp_path / "locales/fr_CA/LC_MESSAGES/livret.po"
    po_path.parent.mkdir(parents=True)
    po_path.write_text(
        str(catalog(CLDR_FR, plural_entry("%(n)s feuille", "", "%(n)s feuilles"))),
        encoding="utf-8",
    )
    translator = translator_for(tmp_path / "locales", "fr_CA", "en", tmp_path)
    forms = [translator.ngettext("%(n)s page", "%(n)s pages", n) for n in (1, 2, 10**6)]
    assert forms == ["%(n)s feuille", "%(n)s feuilles", "%(n)s feuilles"]
    assert not translator.untranslated and not translator.fuzzy


def test_stats_count_an_empty_many_form_as_translated(project: Path, cli) -> None:
    config = project / "livret.yaml"
    edit(config, "languages: [fr, en]", "languages: [fr, en, es]")
    template = project / "templates/guide.html.j2"
    block = (
        "<p>{% trans count=2 %}{{ count }} page{% pluralize %}{{ count }} pages{% endtrans %}</p>"
    )
    edit(template, '  <h2 class="toc-title">', block + '\n  <h2 class="toc-title">')
    assert cli("--project", str(project), "i18n", "init", "es").exit_code == 0
    po_path = project / "locales/es/LC_MESSAGES/livret.po"
    po = polib.pofile(str(po_path))
    po.metadata["Plural-Forms"] = (
        "nplurals=3; plural=(n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;"
    )
    entry = po.find("%(count)s page")
    assert entry is not None
    entry.msgstr_plural = {0: "%(count)s página", 1: "", 2: "%(count)s páginas"}
    po.save(str(po_path))
    stats = json.loads(cli("--project", str(project), "i18n", "stats", "--format", "json").output)
    assert stats["es"]["translated"] == 1
    check = cli("--project", str(project), "i18n", "check")
    assert check.exit_code == 0, check.output
    assert "locales/es/" not in check.output  # neither the header nor the entry
