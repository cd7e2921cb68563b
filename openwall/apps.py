from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenWallConfig(AppConfig):
    name = "openwall"
    verbose_name = _("Open Wall")

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
