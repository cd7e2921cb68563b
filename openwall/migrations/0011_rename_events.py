"""Name apart the three things the Open Wall called "event": IssueEvent becomes StoryStep (an
issue's `events` its `story_steps`), CommunityEvent becomes Meetup, EventRegistration becomes
MeetupRegistration, and every `event` field that points at a meetup becomes `meetup`
(Issue.meetup, "raised at"; MeetupRegistration.meetup; OfflineTally.meetup).

Renames only, so every row stays where it is: tables and columns are renamed in place, and
migrate renames the content types. Constraints that name the renamed field are dropped before the
rename and added again after it (Django does not carry a constraint's field list through a
RenameField). The raw SQL of earlier migrations (0002, 0004, 0007) only names openwall_issue's
title, description and search_vector, none of which change, so no trigger, function or index
needs rewriting.

Django does not rename permissions with a model: the last step renames add_/change_/delete_/view_
codenames and their names, so groups and people who were granted them keep them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

ACTIONS = ("add", "change", "delete", "view")
# (old model, new model, old verbose name, new verbose name), as Permission rows spell them.
RENAMED_MODELS = [
    ("issueevent", "storystep", "story step", "story step"),
    ("communityevent", "meetup", "community event", "meetup"),
    ("eventregistration", "meetupregistration", "registration", "registration"),
]


def _rename_permissions(apps, schema_editor, *, backwards: bool):
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    for old_model, new_model, old_name, new_name in RENAMED_MODELS:
        if backwards:
            old_model, new_model, old_name, new_name = new_model, old_model, new_name, old_name
        for action in ACTIONS:
            Permission.objects.using(db).filter(
                content_type__app_label="openwall", codename=f"{action}_{old_model}"
            ).update(codename=f"{action}_{new_model}", name=f"Can {action} {new_name}")


def permissions_forward(apps, schema_editor):
    _rename_permissions(apps, schema_editor, backwards=False)


def permissions_backward(apps, schema_editor):
    _rename_permissions(apps, schema_editor, backwards=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("openwall", "0010_story_steps"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # 1. A step of an issue's story.
        migrations.RenameModel(old_name="IssueEvent", new_name="StoryStep"),
        migrations.AlterField(
            model_name="storystep",
            name="issue",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="story_steps",
                to="openwall.issue",
                verbose_name="issue",
            ),
        ),
        # 2. A weekly offline meetup, its registrations and its paper-vote tallies.
        migrations.RenameModel(old_name="CommunityEvent", new_name="Meetup"),
        migrations.RenameModel(old_name="EventRegistration", new_name="MeetupRegistration"),
        migrations.AlterModelOptions(
            name="meetup",
            options={"ordering": ["-starts_at"], "verbose_name": "meetup", "verbose_name_plural": "meetups"},
        ),
        migrations.AlterField(
            model_name="meetup",
            name="host",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="meetups",
                to="accounts.organisation",
                verbose_name="hosting partner",
            ),
        ),
        migrations.RemoveConstraint(model_name="meetup", name="event_ends_after_start"),
        migrations.AddConstraint(
            model_name="meetup",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_at__gt", models.F("starts_at"))), name="meetup_ends_after_start"
            ),
        ),
        migrations.RenameIndex(model_name="meetup", new_name="meetup_upcoming_idx", old_name="event_upcoming_idx"),
        migrations.RemoveConstraint(model_name="meetupregistration", name="registration_once"),
        migrations.RenameField(model_name="meetupregistration", old_name="event", new_name="meetup"),
        migrations.AlterField(
            model_name="meetupregistration",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="meetup_registrations",
                to=settings.AUTH_USER_MODEL,
                verbose_name="participant",
            ),
        ),
        migrations.AddConstraint(
            model_name="meetupregistration",
            constraint=models.UniqueConstraint(fields=("meetup", "user"), name="registration_once"),
        ),
        migrations.RemoveConstraint(model_name="offlinetally", name="tally_once_per_event"),
        migrations.RenameField(model_name="offlinetally", old_name="event", new_name="meetup"),
        migrations.AddConstraint(
            model_name="offlinetally",
            constraint=models.UniqueConstraint(fields=("meetup", "issue"), name="tally_once_per_meetup"),
        ),
        # 3. The meetup an issue was raised at (its verbose name stays "raised at").
        migrations.RenameField(model_name="issue", old_name="event", new_name="meetup"),
        # Groups keep what they were granted on the renamed models.
        migrations.RunPython(permissions_forward, permissions_backward),
    ]
