import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from civicnet.notifications.models import Notification
from openwall import services
from openwall.models import Comment, Flag, Follow, Issue, ModerationAction, Vote
from tests.factories import IssueFactory, UserFactory

pytestmark = pytest.mark.django_db


def _trusted():
    """A reporter whose account is older than OPENWALL_FLAG_TRUSTED_AFTER_DAYS."""
    return UserFactory(date_joined=timezone.now() - timedelta(days=30))


def _flag(client, user, url, reason="spam"):
    client.force_login(user)
    return client.post(url, {"reason": reason, "note": "Selling sunglasses"})


def test_flags_hide_a_comment_after_the_threshold(client, city, settings, citizen):
    settings.OPENWALL_FLAGS_TO_HIDE = 2
    issue = IssueFactory()
    comment = services.comment_create(author=citizen, issue=issue, body="Cheap sunglasses here!")
    url = reverse("openwall:comment_flag", args=[comment.pk])
    first = _trusted()
    assert _flag(client, first, url).status_code == 302
    _flag(client, first, url)  # twice by the same person counts once
    assert Flag.objects.count() == 1
    assert not Comment.objects.get(pk=comment.pk).hidden
    _flag(client, _trusted(), url)
    assert Comment.objects.get(pk=comment.pk).hidden
    log = ModerationAction.objects.get()
    assert (log.action, log.moderator, log.comment_id) == ("auto_hide", None, comment.pk)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "Cheap sunglasses" not in page
    assert "Comment hidden by the moderators." in page


def test_flag_form_explains_errors(client, city, citizen):
    issue = IssueFactory()
    client.force_login(citizen)
    response = client.post(reverse("openwall:issue_flag", args=[issue.pk]), {"reason": "because"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Flag.objects.exists()


def test_organiser_hides_and_restores_with_a_logged_reason(city, organiser, citizen):
    issue = IssueFactory()
    services.flag_create(user=citizen, issue=issue, reason="abusive")
    with pytest.raises(ValidationError, match="Say why"):
        services.moderation_hide(by=organiser, issue=issue, reason=" ")
    services.moderation_hide(by=organiser, issue=issue, reason="Insults a neighbour by name")
    assert Issue.objects.get(pk=issue.pk).hidden
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    services.moderation_restore(by=organiser, issue=issue, reason="Edited by the author")
    assert not Issue.objects.get(pk=issue.pk).hidden
    assert list(ModerationAction.objects.order_by("created_at").values_list("action", "moderator", "reason")) == [
        ("hide", organiser.pk, "Insults a neighbour by name"),
        ("restore", organiser.pk, "Edited by the author"),
    ]


def test_admin_moderation_queue_hides_with_a_reason(client, city, organiser, citizen):
    issue = IssueFactory()
    comment = services.comment_create(author=citizen, issue=issue, body="Rude words")
    flag, _created = services.flag_create(user=UserFactory(), comment=comment, reason="abusive")
    client.force_login(organiser)
    url = reverse("admin:openwall_flag_changelist")
    page = client.post(url, {"action": "hide_targets", "_selected_action": [flag.pk]})
    assert page.status_code == 200
    assert "Why? (kept in the moderation log)" in page.content.decode()
    client.post(
        url, {"action": "hide_targets", "_selected_action": [flag.pk], "apply": "1", "reason": "Abusive language"}
    )
    assert Comment.objects.get(pk=comment.pk).hidden
    assert ModerationAction.objects.get().reason == "Abusive language"


def test_merge_keeps_one_vote_per_person(client, city, organiser):
    keep, duplicate = IssueFactory(title="Keep me"), IssueFactory(title="Duplicate")
    both, only_dup, only_keep = UserFactory(), UserFactory(), UserFactory()
    for user, issue in [(both, keep), (both, duplicate), (only_dup, duplicate), (only_keep, keep)]:
        services.vote_toggle(user=user, issue=issue)
    services.comment_create(author=only_dup, issue=duplicate, body="Said on the duplicate")
    from datetime import timedelta

    from django.utils import timezone

    from openwall.models import Meetup
    from tests.factories import OrganisationFactory

    meetup = Meetup.objects.create(
        title="M",
        starts_at=timezone.now(),
        address="x",
        ends_at=timezone.now() + timedelta(hours=1),
        host=OrganisationFactory(),
    )
    services.tally_set(facilitator=organiser, meetup=meetup, issue=duplicate, votes=4)
    duplicate.refresh_from_db()

    services.issue_merge(duplicate=duplicate, into=keep, by=organiser)

    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert sorted(Vote.objects.filter(issue=keep).values_list("user_id", flat=True)) == sorted(
        [both.pk, only_dup.pk, only_keep.pk]
    )
    assert (keep.vote_count, keep.offline_vote_count, keep.comment_count) == (3, 4, 1)
    assert not Vote.objects.filter(issue=duplicate).exists()
    assert (
        Follow.objects.filter(issue=keep).values("user").distinct().count() == Follow.objects.filter(issue=keep).count()
    )
    assert (duplicate.status, duplicate.close_reason, duplicate.merged_into_id) == ("closed", "duplicate", keep.pk)
    response = client.get(duplicate.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == keep.get_absolute_url()
    assert "Duplicate" not in [i.title for i in client.get(reverse("openwall:list")).context["page"].object_list]
    assert ModerationAction.objects.get().action == "merge"


def test_merge_through_the_admin(client, city, organiser):
    keep, duplicate = IssueFactory(), IssueFactory()
    client.force_login(organiser)
    client.post(
        reverse("admin:openwall_issue_changelist"),
        {"action": "merge", "_selected_action": [duplicate.pk], "apply": "1", "into": keep.pk},
    )
    assert Issue.objects.get(pk=duplicate.pk).merged_into_id == keep.pk


def test_merge_refuses_itself_and_chains(city, organiser):
    a, b, c = IssueFactory(), IssueFactory(), IssueFactory()
    with pytest.raises(ValidationError, match="another issue"):
        services.issue_merge(duplicate=a, into=a, by=organiser)
    services.issue_merge(duplicate=b, into=c, by=organiser)
    with pytest.raises(ValidationError, match="another issue"):
        services.issue_merge(duplicate=a, into=Issue.objects.get(pk=b.pk), by=organiser)


@pytest.mark.parametrize("count", [1, 30])
def test_moderation_queue_query_budget(client, city, organiser, django_assert_max_num_queries, count):
    for _ in range(count):
        issue = IssueFactory()
        services.flag_create(user=UserFactory(), issue=issue, reason="spam")
        comment = services.comment_create(author=UserFactory(), issue=issue, body="x")
        services.flag_create(user=UserFactory(), comment=comment, reason="spam")
    client.force_login(organiser)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:openwall_flag_changelist"), {"state": "open"})
    assert response.context["cl"].result_count == 2 * count


def test_admin_exports_selected_issues_and_filters_flagged(client, city, organiser):
    flagged, calm = IssueFactory(title="=cmd|' /C calc'!A0"), IssueFactory(title="Calm")
    services.flag_create(user=UserFactory(), issue=flagged, reason="spam")
    client.force_login(organiser)
    url = reverse("admin:openwall_issue_changelist")
    response = client.get(url, {"flagged": "yes"})
    assert [issue.pk for issue in response.context["cl"].result_list] == [flagged.pk]
    response = client.post(url, {"action": "export_csv", "_selected_action": [flagged.pk, calm.pk]})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(response.content.decode().lstrip("\ufeff")))}
    assert rows[str(flagged.pk)]["title"] == "'=cmd|' /C calc'!A0"
    assert (rows[str(flagged.pk)]["open_flags"], rows[str(calm.pk)]["open_flags"]) == ("1", "0")


def test_hidden_comment_cannot_be_read_through_the_report_page(client, city, citizen, organiser):
    issue = IssueFactory()
    comment = services.comment_create(author=UserFactory(), issue=issue, body="Lives at Rue X 12")
    services.moderation_hide(by=organiser, comment=comment, reason="Personal data")
    client.force_login(citizen)
    assert client.get(reverse("openwall:comment_flag", args=[comment.pk])).status_code == 404
    assert client.post(reverse("openwall:comment_edit", args=[comment.pk]), {"body": "x"}).status_code == 404


def test_comment_count_follows_what_readers_see(city, citizen, organiser):
    issue = IssueFactory()
    a = services.comment_create(author=citizen, issue=issue, body="One")
    b = services.comment_create(author=citizen, issue=issue, body="Two")
    services.comment_create(author=citizen, issue=issue, body="Three")
    services.comment_remove(comment=a, by=citizen)
    services.moderation_hide(by=organiser, comment=b, reason="Spam")
    assert Issue.objects.get(pk=issue.pk).comment_count == 1
    services.moderation_restore(by=organiser, comment=Comment.objects.get(pk=b.pk), reason="Not spam")
    assert Issue.objects.get(pk=issue.pk).comment_count == 2


def test_merge_moves_meetup_tallies_and_adds_shared_ones(city, organiser):
    from datetime import timedelta

    from django.utils import timezone

    from openwall.models import Meetup, OfflineTally
    from tests.factories import OrganisationFactory

    start = timezone.now()
    host = OrganisationFactory()
    shared = Meetup.objects.create(
        title="A", starts_at=start, ends_at=start + timedelta(hours=2), address="x", host=host
    )
    other = Meetup.objects.create(
        title="B", starts_at=start, ends_at=start + timedelta(hours=2), address="x", host=host
    )
    keep, duplicate = IssueFactory(), IssueFactory()
    services.tally_set(facilitator=organiser, meetup=shared, issue=keep, votes=10)
    services.tally_set(facilitator=organiser, meetup=shared, issue=duplicate, votes=5)
    services.tally_set(facilitator=organiser, meetup=other, issue=duplicate, votes=40)
    services.issue_merge(duplicate=Issue.objects.get(pk=duplicate.pk), into=Issue.objects.get(pk=keep.pk), by=organiser)
    assert dict(OfflineTally.objects.filter(issue=keep).values_list("meetup__title", "votes")) == {"A": 15, "B": 40}
    assert Issue.objects.get(pk=keep.pk).offline_vote_count == 55
    services.tally_set(facilitator=organiser, meetup=shared, issue=Issue.objects.get(pk=keep.pk), votes=16)
    assert Issue.objects.get(pk=keep.pk).offline_vote_count == 56


def test_merge_refuses_a_hidden_or_closed_target(city, organiser):
    hidden, closed, duplicate = IssueFactory(hidden=True), IssueFactory(status="closed"), IssueFactory()
    for target in (hidden, closed):
        with pytest.raises(ValidationError, match="closed, hidden or merged"):
            services.issue_merge(duplicate=duplicate, into=target, by=organiser)


def test_no_vote_or_comment_lands_on_a_merged_issue(city, organiser, citizen):
    keep, duplicate = IssueFactory(), IssueFactory()
    stale = Issue.objects.get(pk=duplicate.pk)  # loaded before the merge, as a request would have
    services.issue_merge(duplicate=duplicate, into=keep, by=organiser)
    with pytest.raises(ValidationError, match="no longer takes votes"):
        services.vote_toggle(user=citizen, issue=stale)
    with pytest.raises(ValidationError, match="no longer takes comments"):
        services.comment_create(author=citizen, issue=stale, body="Late")
    assert not Vote.objects.filter(issue=stale).exists()


def test_three_new_accounts_cannot_hide_an_issue(client, city, organiser, django_capture_on_commit_callbacks):
    issue = IssueFactory()
    url = reverse("openwall:issue_flag", args=[issue.pk])
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            _flag(client, UserFactory(), url)  # accounts made today
    issue.refresh_from_db()
    assert not issue.hidden
    assert client.get(issue.get_absolute_url()).status_code == 200
    assert not ModerationAction.objects.exists()
    # The organisers hear about it all the same, and the reports wait in their queue.
    notification = Notification.objects.get(recipient=organiser, kind="openwall.reported")
    assert "reported 3 times" in notification.text
    assert "waiting for your review" in notification.text
    assert Flag.objects.filter(resolved_at__isnull=True).count() == 3
    assert not mail.outbox  # in the app only: reports that hide nothing fill no inbox


def test_trusted_reporters_hide_an_issue_and_organisers_hear_of_it(
    client, city, organiser, django_capture_on_commit_callbacks
):
    issue = IssueFactory()
    url = reverse("openwall:issue_flag", args=[issue.pk])
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            _flag(client, _trusted(), url)
    assert [m.to for m in mail.outbox] == [[organiser.email]]
    issue.refresh_from_db()
    assert issue.hidden
    notification = Notification.objects.get(recipient=organiser, kind="openwall.reported_hidden")
    assert "hidden until you review it" in notification.text


def test_a_reporter_whose_report_was_upheld_is_trusted(client, city, organiser):
    earlier = IssueFactory()
    newcomer = UserFactory()
    services.flag_create(user=newcomer, issue=earlier, reason="spam")
    services.moderation_hide(by=organiser, reason="Spam indeed", issue=earlier)
    assert Flag.objects.get(user=newcomer).upheld is True
    issue = IssueFactory()
    url = reverse("openwall:issue_flag", args=[issue.pk])
    for reporter in (newcomer, _trusted(), _trusted()):
        _flag(client, reporter, url)
    issue.refresh_from_db()
    assert issue.hidden


def test_an_issue_many_people_support_waits_for_an_organiser(client, city, organiser, settings):
    settings.OPENWALL_FLAGS_PROTECTED_VOTES = 10
    issue = IssueFactory()
    for _ in range(10):
        services.vote_toggle(user=UserFactory(), issue=issue)
    url = reverse("openwall:issue_flag", args=[issue.pk])
    for _ in range(4):
        _flag(client, _trusted(), url)
    issue.refresh_from_db()
    assert not issue.hidden
    assert Notification.objects.filter(recipient=organiser, kind="openwall.reported").count() == 1
