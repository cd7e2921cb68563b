import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicnet.settings")

app = Celery("civicnet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
def _city_time_zone(**kwargs):
    """A task formats times (emails, reminders) in the city's time zone, as its pages do."""
    from django.utils import timezone

    from civicnet.city.models import CityProfile

    city = CityProfile.current()
    if city:
        timezone.activate(city.time_zone)
