"""The catalogues keep to docs/glossary.md: one word per action, never another action's word."""

import re
from gettext import GNUTranslations
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _rules():
    """(english words, {language: forbidden stems}) for each row of the glossary's first table."""
    text = (ROOT / "docs" / "glossary.md").read_text()
    table = text.split("## Actions whose words must never be mixed", 1)[1].split("##", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| Action")]
    for row in rows:
        _action, english, _fr, never_fr, _nl, never_nl = (cell.strip() for cell in row.strip("|").split("|"))
        yield [w.strip() for w in english.split(",")], {"fr": never_fr.split(", "), "nl": never_nl.split(", ")}


def _catalogue(language):
    with (ROOT / "locale" / language / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        return GNUTranslations(mo)._catalog


def test_the_glossary_has_the_two_actions_french_used_to_confuse():
    words = [english for english, _never in _rules()]
    assert words == [["raise"], ["report", "reported", "reports"]]


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_no_translation_uses_the_word_of_another_action(language):
    catalogue = _catalogue(language)
    wrong = []
    for english, never in _rules():
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, english)) + r")", re.IGNORECASE)
        for key, translation in catalogue.items():
            msgid = key[0] if isinstance(key, tuple) else key
            if msgid and pattern.search(msgid.split("\x04")[-1]):
                wrong += [(msgid, translation) for stem in never[language] if stem in translation.lower()]
    assert wrong == []


def test_raising_and_reporting_read_differently_in_french(client, city, citizen):
    from django.urls import reverse

    from tests.factories import IssueFactory

    issue = IssueFactory()
    client.force_login(citizen)
    wall = client.get(reverse("openwall:list"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Soulever un problème" in wall
    assert "Signaler" not in wall
    page = client.get(issue.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Signaler aux modérateurs" in page
