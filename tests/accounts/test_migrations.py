"""Migration 0007 marks everyone who had confirmed an address before User.email_verified existed."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from civicnet.accounts.models import User

BEFORE = ("accounts", "0006_circles")
ADDRESSES = ("account", "0009_emailaddress_unique_primary_email")


@pytest.fixture
def old_apps(transactional_db):
    call_command("migrate", *BEFORE, verbosity=0)
    try:
        yield MigrationExecutor(connection).loader.project_state([BEFORE, ADDRESSES]).apps
    finally:
        call_command("migrate", verbosity=0)


def test_people_who_confirmed_an_address_are_marked_verified(old_apps):
    OldUser = old_apps.get_model("accounts", "User")
    OldAddress = old_apps.get_model("account", "EmailAddress")
    confirmed, waiting, _nobody = (OldUser.objects.create(email=f"{n}@example.org") for n in ("a", "b", "c"))
    OldAddress.objects.create(user=confirmed, email="a@example.org", verified=True, primary=True)
    OldAddress.objects.create(user=confirmed, email="a2@example.org", verified=False, primary=False)
    OldAddress.objects.create(user=waiting, email="b@example.org", verified=False, primary=True)
    call_command("migrate", "accounts", "0007", verbosity=0)
    flags = dict(User.objects.values_list("email", "email_verified"))
    assert flags == {"a@example.org": True, "b@example.org": False, "c@example.org": False}
