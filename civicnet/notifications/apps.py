from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "civicnet.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from . import digest  # noqa: F401 (registers the digest's notification kind)
