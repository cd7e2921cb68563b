import csv
import io

import pytest
from django.urls import reverse

from openwall import services
from openwall.models import Comment, Flag, Follow, Issue, ModerationAction, Vote
from tests.factories import IssueFactory, UserFactory

pytestmark = pytest.mark.django_db


def _flag(client, user, url, reason="spam"):
    client.force_login(user)
    return client.post(url, {"reason": reason, "note": "Selling sunglasses"})


def test_flags_hide_a_comment_after_the_threshold(client, city, settings, citizen):
    settings.OPENWALL_FLAGS_TO_HIDE = 2
    issue = IssueFactory()
    comment = services.comment_create(author=citizen, issue=issue, body="Cheap sunglasses here!")
    url = reverse("openwall:comment_flag", args=[comment.pk])
    first = UserFactory()
    assert _flag(client, first, url).status_code == 302
    _flag(client, first, url)  # twice by the same person counts once
    assert Flag.objects.count() == 1
    assert not Comment.objects.get(pk=comment.pk).hidden
    _flag(client, UserFactory(), url)
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
    with pytest.raises(Exception, match="Say why"):
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
    Issue.objects.filter(pk=duplicate.pk).update(offline_vote_count=4)
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
    with pytest.raises(Exception, match="another issue"):
        services.issue_merge(duplicate=a, into=a, by=organiser)
    services.issue_merge(duplicate=b, into=c, by=organiser)
    with pytest.raises(Exception, match="another issue"):
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
