"""Relative times read as people say them, coarsely, in each language (civicnet/relative.py)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import translation

from civicnet.relative import ago

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("elapsed", "en", "fr", "nl"),
    [
        (timedelta(seconds=5), "just now", "à l\u2019instant", "zojuist"),
        (timedelta(seconds=-30), "just now", "à l\u2019instant", "zojuist"),  # a clock a little ahead
        (timedelta(minutes=1, seconds=59), "1 minute ago", "il y a 1 minute", "1 minuut geleden"),
        (timedelta(minutes=45), "45 minutes ago", "il y a 45 minutes", "45 minuten geleden"),
        (timedelta(hours=5, minutes=59), "5 hours ago", "il y a 5 heures", "5 uur geleden"),
        (timedelta(days=1, hours=23), "1 day ago", "il y a 1 jour", "1 dag geleden"),
        (timedelta(days=3, hours=2), "3 days ago", "il y a 3 jours", "3 dagen geleden"),
        (timedelta(days=75), "2 months ago", "il y a 2 mois", "2 maanden geleden"),
        (timedelta(days=362), "11 months ago", "il y a 11 mois", "11 maanden geleden"),
        (timedelta(days=800), "2 years ago", "il y a 2 ans", "2 jaar geleden"),
    ],
)
def test_one_coarse_unit_in_each_language(elapsed, en, fr, nl):
    for language, expected in (("en", en), ("fr", fr), ("nl", nl)):
        with translation.override(language):
            assert ago(NOW - elapsed, now=NOW) == expected


def test_the_filter_is_built_in_and_ignores_what_is_not_a_time():
    html = Template("[{{ when|ago }}][{{ missing|ago }}]").render(Context({"when": datetime.now(UTC)}))
    assert html == "[just now][]"


def test_times_in_attributes_are_to_the_second_with_their_offset():
    when = datetime(2026, 12, 2, 12, 0, 5, 123456, tzinfo=UTC)
    html = Template('<time datetime="{{ when|machine }}">').render(Context({"when": when}))
    assert html == '<time datetime="2026-12-02T12:00:05+00:00">'
