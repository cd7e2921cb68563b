"""Migration 0011 renames the three "events" in place: rows, links and granted permissions survive it."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from civicnet.city.models import Topic
from tests.factories import OrganisationFactory, UserFactory

BEFORE = ("openwall", "0010_story_steps")


@pytest.fixture
def old_apps(transactional_db):
    """The models as they were before the rename, with the database migrated back to match.

    `migrate` (not a bare executor) as in production, so content types are renamed too; afterwards
    the database is migrated to the latest state again, whatever the test did.
    """
    call_command("migrate", *BEFORE, verbosity=0)
    try:
        yield MigrationExecutor(connection).loader.project_state([BEFORE]).apps
    finally:
        call_command("migrate", verbosity=0)


def test_renaming_keeps_meetups_story_steps_and_the_permissions_groups_were_granted(old_apps):
    OldPermission = old_apps.get_model("auth", "Permission")
    OldGroup = old_apps.get_model("auth", "Group")
    OldMeetup = old_apps.get_model("openwall", "CommunityEvent")
    OldRegistration = old_apps.get_model("openwall", "EventRegistration")
    OldTally = old_apps.get_model("openwall", "OfflineTally")
    OldStep = old_apps.get_model("openwall", "IssueEvent")
    OldIssue = old_apps.get_model("openwall", "Issue")
    OldContentType = old_apps.get_model("contenttypes", "ContentType")

    host, author, participant = OrganisationFactory(), UserFactory(), UserFactory()
    start = timezone.now() - timedelta(days=1)
    old_meetup = OldMeetup.objects.create(
        title="Open Wall, Marolles", starts_at=start, ends_at=start + timedelta(hours=2), address="x", host_id=host.pk
    )
    topic, _created = Topic.objects.get_or_create(
        slug="urbanism", defaults={"name_i18n": {"fr": "Urbanisme", "nl": "Stedenbouw", "en": "Urbanism"}}
    )
    issue = OldIssue.objects.create(
        title="Benches",
        description="None on the square.",
        topic_id=topic.pk,
        author_id=author.pk,
        language="fr",
        event=old_meetup,  # the historical field names
    )
    OldRegistration.objects.create(event=old_meetup, user_id=participant.pk)
    OldTally.objects.create(event=old_meetup, issue=issue, votes=12)
    meetup_type = OldContentType.objects.get(app_label="openwall", model="communityevent")
    step = OldStep.objects.create(
        issue=issue, kind="paper_votes", note="12", target_type=meetup_type, target_id=old_meetup.pk
    )
    hosts = OldGroup.objects.create(name="Meetup hosts")
    hosts.permissions.add(
        OldPermission.objects.get(content_type__app_label="openwall", codename="change_communityevent"),
        OldPermission.objects.get(content_type__app_label="openwall", codename="view_issueevent"),
    )

    call_command("migrate", "openwall", verbosity=0)

    from openwall.models import Meetup, MeetupRegistration, OfflineTally, StoryStep

    meetup = Meetup.objects.get(pk=old_meetup.pk)
    assert meetup.title == "Open Wall, Marolles"
    assert list(meetup.issues.values_list("pk", flat=True)) == [issue.pk]
    assert list(MeetupRegistration.objects.filter(meetup=meetup).values_list("user", flat=True)) == [participant.pk]
    assert OfflineTally.objects.get(meetup=meetup).votes == 12
    assert list(meetup.issues.get().story_steps.values_list("pk", flat=True)) == [step.pk]
    assert ContentType.objects.get_for_model(Meetup).pk == meetup_type.pk  # renamed, not replaced
    assert StoryStep.objects.get(pk=step.pk).target == meetup

    group = Group.objects.get(name="Meetup hosts")
    granted = {(p.codename, p.name) for p in group.permissions.all()}
    assert granted == {("change_meetup", "Can change meetup"), ("view_storystep", "Can view story step")}
    member = UserFactory()
    member.groups.add(group)
    assert member.has_perm("openwall.change_meetup")
    assert member.has_perm("openwall.view_storystep")
    assert not member.has_perm("openwall.change_communityevent")
    old_names = [
        f"{action}_{model}"
        for action in ("add", "change", "delete", "view")
        for model in ("communityevent", "issueevent", "eventregistration")
    ]
    assert not Permission.objects.filter(content_type__app_label="openwall", codename__in=old_names).exists()
