from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "civicnet.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_schedule_requeue, sender=self, dispatch_uid="notifications-requeue-schedule")


def _schedule_requeue(**kwargs):
    """Every five minutes, emails the broker never took are queued again."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every, _created = IntervalSchedule.objects.get_or_create(every=5, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.get_or_create(
        name="Queue unsent emails again", defaults={"task": "notifications.requeue_unsent_emails", "interval": every}
    )
