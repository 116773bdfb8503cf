"""`livret i18n check`: one crafted catalog per problem class, each caught."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from livret.i18n.check import Finding, check_catalog

HEADER = """msgid ""
msgstr ""
"Language: {lang}\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural={plural};\\n"

"""


def check(entries: str, lang: str = "en", locale: str = "en_CA") -> list[Finding]:
    plural = "(n > 1)" if lang.startswith("fr") else "(n != 1)"
    text = HEADER.format(lang=lang, plural=plural) + entries
    return check_catalog(polib.pofile(text), f"locales/{lang}/LC_MESSAGES/livret.po", locale)


def entry(msgid: str, msgstr: str, flags: str = "") -> str:
    flag_line = f"#, {flags}\n" if flags else ""
    return f"{flag_line}msgid {_quote(msgid)}\nmsgstr {_quote(msgstr)}\n\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


CASES = [
    ("brace", entry("Page {page} sur {pages}", "Page {page} of {total}"), "{…} placeholders"),
    ("named", entry("%(name)s (logo)", "%(nom)s (logo)", "python-format"), "% placeholders"),
    ("positional", entry("%s et %d", "%d and %s", "python-format"), "% placeholders"),
    ("percent", entry("Taux %(rate)s", "Rate %(rate)s, 5% off", "python-format"), "a '%'"),
    ("content-percent", entry("66 %% du don", "66% of the gift", "python-format"), "a '%'"),
    ("bold", entry("**Écouter.** Lisez tout.", "Listen. Read everything."), "Markdown **bold**"),
    ("emphasis", entry("Un *vrai* guide", "A real guide"), "Markdown *emphasis*"),
    (
        "link",
        entry("Voir [le site](https://a.example)", "See [the site](https://b.example)"),
        "link targets differ",
    ),
    ("code", entry("Tapez `livret build`", "Type livret build"), "Markdown `code` spans differs"),
    ("html", entry("Bonjour", "<b>Hello</b>"), "raw HTML that the source does not have: b"),
    ("comment", entry("Bonjour", "Hello <!-- x -->"), "raw HTML"),
    ("leading", entry(" Bonjour", "Hello"), "leading whitespace"),
    ("trailing", entry("Bonjour", "Hello\n"), "trailing whitespace"),
    (
        "plural-count",
        'msgid "%(num)d page"\nmsgid_plural "%(num)d pages"\n'
        'msgstr[0] "%(num)d page"\nmsgstr[1] "%(num)d pages"\nmsgstr[2] "%(num)d pagez"\n\n',
        "3 plural forms, but the header's Plural-Forms says nplurals=2",
    ),
    (
        "plural-placeholder",
        'msgid "%(num)d page"\nmsgid_plural "%(num)d pages"\n'
        'msgstr[0] "one page"\nmsgstr[1] "%(count)d pages"\n\n',
        "plural form 1: % placeholders",
    ),
]


@pytest.mark.parametrize(("name", "entries", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_problem_class_is_caught(name: str, entries: str, expected: str) -> None:
    findings = check(entries)
    problems = [f for f in findings if not f.warning]
    assert len(problems) == 1, findings
    assert expected in problems[0].message
    assert str(problems[0]).startswith("locales/en/LC_MESSAGES/livret.po:")
    assert problems[0].line > 5  # the entry's own line, after the header


def test_a_faithful_catalog_has_no_problem() -> None:
    findings = check(
        entry("Page {page} sur {pages}", "Page {page} of {pages}")
        + entry("%(name)s (logo)", "%(name)s logo", "python-format")
        + entry(
            "**Écouter.** Voir [le site](https://a.example).",
            "**Listen.** See [it](https://a.example).",
        )
        + entry("Taux : 100 %%", "Rate: 100%%", "python-format")  # a sign, written %%
        + 'msgid "%(num)d page"\nmsgid_plural "%(num)d pages"\n'
        'msgstr[0] "one page"\nmsgstr[1] "%(num)d pages"\n\n'
    )
    assert findings == []


def test_fuzzy_and_untranslated_entries_are_not_checked() -> None:
    assert check(entry("Bonjour {nom}", "Hello", "fuzzy") + entry("Bonjour {nom}", "")) == []


def test_french_catalog_needs_no_break_spaces() -> None:
    findings = check(
        entry("Note: yes", "Remarque : oui")
        + entry("Really?", "Vraiment?")
        + entry('"Yes"', "« Oui »")
        + entry("Note: yes!", "Remarque\u00a0: oui\u202f!")
        + entry("See https://a.example/?q=1", "Voir https://a.example/?q=1"),
        lang="fr_FR",
        locale="fr_FR",
    )
    assert [f.message.split(" (")[0] for f in findings] == [
        "an ordinary space before ':'",
        "no space before '?'",
        "« » need no-break spaces inside",
    ]


def test_quebec_catalog_follows_quebec_usage() -> None:
    findings = check(
        entry("Really?", "Vraiment?") + entry("Note: yes", "Remarque: oui"),
        lang="fr_CA",
        locale="fr_CA",
    )
    assert [f.message.split(" (")[0] for f in findings] == ["no space before ':'"]


def test_english_catalog_is_not_held_to_french_rules() -> None:
    assert check(entry("Remarque : oui !", "Note: yes!")) == []


def test_overlong_translation_is_a_warning_only() -> None:
    source = "Publiez ce que vous seriez fier de dire à voix haute."
    assert len(source) > 50
    findings = check(entry(source, source + " " + "Really, truly, honestly proud."))
    assert [f.warning for f in findings] == [True]
    assert "as long as its source" in findings[0].message
    assert check(entry("Court", "A much, much longer translation")) == []  # short source


def test_plural_forms_header_against_the_language() -> None:
    text = HEADER.replace("nplurals=2", "nplurals=3").format(lang="en", plural="(n != 1)")
    findings = check_catalog(polib.pofile(text), "x.po", "en_CA")
    assert [(f.line, f.warning) for f in findings] == [(1, True)]


def test_cli_lists_problems_and_exits_1(project: Path, cli) -> None:
    po_path = project / "locales/en/LC_MESSAGES/livret.po"
    assert cli("--project", str(project), "i18n", "check").exit_code == 0
    catalog = polib.pofile(str(po_path))
    target = catalog.find("%(name)s (logo)")
    assert target is not None
    target.msgstr = "%(nom)s (logo)"
    catalog.save(str(po_path))
    lines = po_path.read_text(encoding="utf-8").splitlines()
    line = lines.index('msgid "%(name)s (logo)"') + 1  # the msgid line, as msgfmt users expect
    result = cli("--project", str(project), "i18n", "check")
    assert result.exit_code == 1
    assert f"locales/en/LC_MESSAGES/livret.po:{line}: % placeholders differ" in result.output
