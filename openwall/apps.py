from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenWallConfig(AppConfig):
    name = "openwall"
    verbose_name = _("Open Wall")

    @staticmethod
    def export_personal_data(user):
        return _export(user)

    @staticmethod
    def erase_personal_data(user):
        _erase(user)

    def ready(self):
        from civicnet.accounts.services import organiser_apps_register

        from . import notifications  # noqa: F401 (registers the notification kinds)

        organiser_apps_register("openwall")

        from civicnet.accounts.signals import demo_seeded

        from .demo import seed

        demo_seeded.connect(seed, dispatch_uid="openwall-demo")

        from django.db.models.signals import post_migrate

        from civicnet.notifications import kinds

        kinds.digest_enable()
        post_migrate.connect(_schedule_digest, sender=self, dispatch_uid="openwall-digest-schedule")

        from django.db.models.signals import post_delete, post_save

        from .models import Comment, CommunityEvent, Issue, IssueEvent, OfflineTally

        for model in (Issue, Comment, IssueEvent, OfflineTally, CommunityEvent):
            for signal in (post_save, post_delete):
                signal.connect(_pages_changed, sender=model, dispatch_uid=f"openwall-pages-{model.__name__}")


def _pages_changed(sender, instance, **kwargs):
    """What anonymous visitors see of the wall changed (civicnet/pagecache.py).

    Services that write with update() or bulk deletes (votes, moderation) call
    pagecache.invalidate themselves."""
    from civicnet import pagecache

    from .models import CommunityEvent, Issue

    if isinstance(instance, Issue):
        pagecache.invalidate("wall", f"issue:{instance.pk}")
    elif isinstance(instance, CommunityEvent):
        pagecache.invalidate("site")  # its name is on the page of every issue raised there
    else:
        pagecache.invalidate(f"issue:{instance.issue_id}")


def _export(user):
    from .models import Comment, EventRegistration, Flag, Follow, Issue, Vote

    def rows(queryset, *fields):
        return [
            {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}
            for r in queryset.values(*fields)
        ]

    return {
        "issues": rows(
            Issue.objects.filter(author=user), "id", "title", "description", "topic__slug", "status", "created_at"
        ),
        "comments": rows(Comment.objects.filter(author=user, removed=False), "id", "issue_id", "body", "created_at"),
        "votes": rows(Vote.objects.filter(user=user), "issue_id", "created_at"),
        "follows": rows(Follow.objects.filter(user=user), "issue_id", "created_at"),
        "meetup_registrations": rows(EventRegistration.objects.filter(user=user), "event__title", "created_at"),
        "reports": rows(
            Flag.objects.filter(user=user),
            "issue_id",
            "comment_id",
            "reason",
            "note",
            "created_at",
            "resolved_at",
            "upheld",
        ),
    }


def _erase(user):
    from civicnet.accounts.privacy import counters_after_removing_votes

    from .models import Issue, Vote

    votes = Vote.objects.filter(user=user)
    counters_after_removing_votes(votes, Issue)
    votes.delete()


def _schedule_digest(**kwargs):
    """The weekly digest goes out on Monday at 08:00, city time, and trend scores are refreshed every
    ten minutes; superusers can change either in the admin."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    schedule, _created = CrontabSchedule.objects.get_or_create(
        minute="0", hour="8", day_of_week="1", day_of_month="*", month_of_year="*", timezone="Europe/Brussels"
    )
    PeriodicTask.objects.get_or_create(
        name="Open Wall weekly digest", defaults={"task": "openwall.send_weekly_digests", "crontab": schedule}
    )
    every, _created = IntervalSchedule.objects.get_or_create(every=10, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.get_or_create(
        name="Open Wall trend scores", defaults={"task": "openwall.refresh_trending", "interval": every}
    )
