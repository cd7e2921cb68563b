"""`make run`'s demo data: every phase app seeds through the core's seam, and the accounts a
newcomer needs are the last thing printed."""

import pytest
from django.core.management import call_command

from civicnet.accounts.models import User
from openwall.models import Issue


@pytest.mark.django_db(transaction=True)  # a real commit: the demo's emails go out, as in make run
def test_seed_demo_seeds_every_phase_and_prints_the_accounts_last(settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert Issue.objects.count() >= 50  # the Open Wall's seeder ran
    assert User.objects.filter(email="organiser@demo.civicnet.test", is_staff=True).exists()
    tail = out[out.rindex("Demo data ready.") :]
    assert "Subject:" not in tail  # no printed email after the accounts
    assert "citizen@demo.civicnet.test" in tail and "password: civicnet-demo" in tail
    assert out.count("Subject:") >= 1  # the emails were printed, before

    call_command("seed_demo")  # idempotent
    assert Issue.objects.count() == Issue.objects.values("title").distinct().count()
