"""The weekly digest is the core's, built from the sections phase apps contribute."""

import pytest
from django.core import mail

from civicnet.accounts.models import User
from civicnet.notifications import digest
from openwall import services
from openwall.digest import SECTION as OPEN_WALL
from tests.factories import IssueFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def later_section(settings, tmp_path):
    """A section as a later phase (here a made-up one) would contribute it."""
    (tmp_path / "emails" / "digest").mkdir(parents=True)
    (tmp_path / "emails" / "digest" / "later.txt").write_text(
        "{% for item in news.items %}Call closing soon: {{ item }}\n{% endfor %}"
    )
    (tmp_path / "emails" / "digest" / "later.html").write_text(
        "{% for item in news.items %}<p>Call closing soon: {{ item }}</p>{% endfor %}"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    return digest.DigestSection(
        key="later",
        readers=lambda: User.objects.filter(display_name="Innovator").values("pk"),
        news=lambda users, since, until: {u.pk: {"items": ["Cleaner streets"]} for u in users},
        template="emails/digest/later",
    )


def test_each_section_adds_its_part_in_the_cycles_order(
    city, monkeypatch, later_section, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(digest, "sections", lambda: [OPEN_WALL, later_section])
    both = UserFactory(display_name="Innovator")
    issue = IssueFactory(title="Bins overflow")
    services.follow_ensure(user=both, issue=issue)
    services.comment_create(author=UserFactory(), issue=issue, body="Again this weekend")
    only_calls = UserFactory(display_name="Innovator")
    with django_capture_on_commit_callbacks(execute=True):
        digest.digest_send_all()
    body = next(m.body for m in mail.outbox if m.to == [both.email])
    assert body.index("Bins overflow") < body.index("Call closing soon: Cleaner streets")
    assert "news on 2 things you follow" in next(m.subject for m in mail.outbox if m.to == [both.email])
    lone = next(m for m in mail.outbox if m.to == [only_calls.email])
    assert "Call closing soon: Cleaner streets" in lone.body
    assert "issues you follow" not in lone.body  # the Open Wall had nothing for them


def test_without_any_section_nobody_gets_a_digest_of_news(city, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(digest, "sections", lambda: [])
    issue = IssueFactory()
    services.comment_create(author=UserFactory(), issue=issue, body="News")
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.digest_send_all() == 0
