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
