from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "civicnet.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from django.core import checks

        from civicnet import dbfunctions, phases, uploads

        from . import services

        dbfunctions.install()
        post_migrate.connect(services.organisers_group_sync, sender=self)
        # The core reads the phase apps' declarations here, once every app is loaded.
        checks.register(phases.check_phases)
        checks.register(uploads.check_private_root)
        phases.page_cache_connect()
        post_migrate.connect(phases.periodic_tasks_sync, sender=self, dispatch_uid="phases-periodic-tasks")

        from django.db.models.signals import post_delete, post_save, pre_save

        from .models import User

        post_save.connect(_name_changed, sender=User, dispatch_uid="accounts-pages-user-save")
        post_delete.connect(_name_changed, sender=User, dispatch_uid="accounts-pages-user-delete")

        from allauth.account.models import EmailAddress

        pre_save.connect(_address_moving, sender=EmailAddress, dispatch_uid="accounts-email-verified-pre-save")
        post_save.connect(_address_changed, sender=EmailAddress, dispatch_uid="accounts-email-verified-save")
        post_delete.connect(_address_changed, sender=EmailAddress, dispatch_uid="accounts-email-verified-delete")


# Saves that cannot change what others see of a person.
PRIVATE_FIELDS = frozenset({"last_login", "password", "preferred_language", "district"})


def _name_changed(sender, instance, created=False, update_fields=None, **kwargs):
    """People's names are on the pages kept for anonymous visitors (civicnet/pagecache.py)."""
    if created or (update_fields and set(update_fields) <= PRIVATE_FIELDS):
        return
    from civicnet import pagecache

    pagecache.invalidate("site")


def _address_moving(sender, instance, **kwargs):
    """An address given to another person (in the admin): its former owner is counted again too."""
    if instance.pk:
        instance._former_user_id = sender.objects.filter(pk=instance.pk).values_list("user_id", flat=True).first()


def _address_changed(sender, instance, **kwargs):
    """An address was confirmed, added, moved or removed: User.email_verified follows (one UPDATE,
    no signal of its own: nothing anyone sees changed)."""
    from .services import email_verified_sync

    email_verified_sync(user_id=instance.user_id)
    former = getattr(instance, "_former_user_id", None)
    if former and former != instance.user_id:
        email_verified_sync(user_id=former)
