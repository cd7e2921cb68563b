from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CityConfig(AppConfig):
    name = "civicnet.city"
    label = "city"
    verbose_name = _("City")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import CityProfile, District, Topic

        for model in (CityProfile, District, Topic):
            for signal in (post_save, post_delete):
                signal.connect(_pages_changed, sender=model, dispatch_uid=f"city-pages-{model.__name__}")


def _pages_changed(sender, **kwargs):
    """The city's name, themes and districts are on every page (civicnet/pagecache.py)."""
    from civicnet import pagecache

    pagecache.invalidate("site")
