import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.urls import reverse

from civicnet.accounts.services import INVITATION_ACCEPTED, ORGANISATION_VERIFIED
from civicnet.notifications import kinds, services
from civicnet.notifications.models import EmailPreference, Notification, OutgoingEmail
from civicnet.notifications.tasks import send_email
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


class FailsOnceBackend(EmailBackend):
    """The SMTP server drops the first message, as a real one sometimes does."""

    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls == 1:
            raise ConnectionResetError("connection reset by peer")
        return super().send_messages(messages)


def _queue(**kwargs):
    return services.email_queue(to="amina@example.org", subject="Hello", body_text="Body", language="en", **kwargs)


def test_email_retried_after_a_failure_is_sent_exactly_once(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.notifications.test_email.FailsOnceBackend"
    FailsOnceBackend.calls = 0
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()  # the first try fails: the SMTP server drops it
    email.refresh_from_db()
    assert (email.sent_at, email.attempts, mail.outbox) == (None, 1, [])
    assert "connection reset" in email.last_error

    assert send_email.apply(kwargs={"email_id": email.pk}).get() is True  # the retry
    email.refresh_from_db()
    assert len(mail.outbox) == 1
    assert email.sent_at is not None
    assert email.attempts == 2
    assert email.last_error == ""

    # A duplicate delivery of the same task (redelivered after the worker was lost) sends nothing.
    assert send_email.apply(kwargs={"email_id": email.pk}).get() is False
    assert len(mail.outbox) == 1


def test_retries_back_off():
    from civicnet.notifications.tasks import retry_countdown

    assert [retry_countdown(n) for n in range(10)] == [15, 30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_sensitive_email_text_is_erased_once_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(sensitive=True)
    email.refresh_from_db()
    assert mail.outbox[0].body == "Body"
    assert (email.body_text, email.body_html, email.sealed) == ("", "", "")
    assert email.sent_at is not None


def test_a_waiting_sensitive_email_is_not_readable_in_the_database(settings):
    """While the broker or SMTP is down, a password-reset link waits in the outbox: encrypted."""
    email = services.email_queue(
        to="amina@example.org",
        subject="Reset your password",
        body_text="Reset: https://example.org/accounts/password/reset/key/3-abc123secret/",
        body_html="<a href='https://example.org/accounts/password/reset/key/3-abc123secret/'>Reset</a>",
        language="en",
        sensitive=True,
    )
    stored = OutgoingEmail.objects.filter(pk=email.pk).values().get()
    assert "abc123secret" not in repr(stored)
    assert OutgoingEmail.objects.filter(sealed__contains="abc123").count() == 0
    # It goes out whole all the same, even after the secret key was rotated.
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-after-rotation"
    assert services.email_deliver(email_id=email.pk) is True
    assert "abc123secret" in mail.outbox[0].body
    assert "abc123secret" in mail.outbox[0].alternatives[0][0]


def test_allauths_password_reset_email_waits_encrypted(client, django_capture_on_commit_callbacks):
    UserFactory(email="amina@example.org")
    with django_capture_on_commit_callbacks(execute=False):  # the broker has not taken it yet
        client.post(reverse("account_reset_password"), {"email": "amina@example.org"})
    email = OutgoingEmail.objects.get(to="amina@example.org")
    assert (email.sensitive, email.sent_at) == (True, None)
    assert "/password/reset/key/" not in email.body_text + email.body_html + email.subject
    assert services.email_deliver(email_id=email.pk) is True
    assert "/password/reset/key/" in mail.outbox[0].body


def test_plain_text_email_is_not_html_escaped(django_capture_on_commit_callbacks):
    recipient = UserFactory()
    organisation = OrganisationFactory(name="Smith & O'Brien <Co>")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipient=recipient,
            kind=ORGANISATION_VERIFIED.key,
            data={"organisation": organisation.name},
            email_context={"organisation": organisation},
        )
    message = mail.outbox[0]
    assert message.subject == "Smith & O'Brien <Co> is verified"
    assert "Smith & O'Brien <Co>" in message.body
    assert "Smith &amp; O&#x27;Brien &lt;Co&gt;" in message.alternatives[0][0]


def test_failure_is_recorded_on_the_email(settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_email.FailsOnceBackend"
    FailsOnceBackend.calls = 0
    email = OutgoingEmail.objects.create(to="a@example.org", subject="s", body_text="b", language="en")
    with pytest.raises(ConnectionResetError):
        services.email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert email.sent_at is None
    assert email.attempts == 1
    assert "connection reset" in email.last_error


def test_dedupe_key_queues_one_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _queue(dedupe_key="digest:1:2026-W48")
        second = _queue(dedupe_key="digest:1:2026-W48")
    assert first.pk == second.pk
    assert len(mail.outbox) == 1


def test_email_goes_out_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _queue()
    assert len(mail.outbox) == 0
    assert len(callbacks) == 1


def test_notify_emails_in_the_recipients_language(django_capture_on_commit_callbacks):
    recipient = UserFactory(preferred_language="fr")
    organisation = OrganisationFactory(name="Fablab Evere")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipient=recipient,
            kind=ORGANISATION_VERIFIED.key,
            target=organisation,
            data={"organisation": organisation.name},
            url=organisation.get_absolute_url(),
            email_template="organisation_verified",
            email_context={"organisation": organisation},
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Fablab Evere est vérifiée"
    assert message.extra_headers["Content-Language"] == "fr"
    html = message.alternatives[0][0]
    assert "Fablab Evere" in html
    notification = Notification.objects.get(recipient=recipient)
    assert notification.target == organisation


def test_notify_respects_never(django_capture_on_commit_callbacks):
    recipient = UserFactory()
    EmailPreference.objects.create(user=recipient, kind=ORGANISATION_VERIFIED.key, frequency="never")
    organisation = OrganisationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipient=recipient,
            kind=ORGANISATION_VERIFIED.key,
            data={"organisation": "X"},
            email_template="organisation_verified",
            email_context={"organisation": organisation},
        )
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=recipient).count() == 1


def test_notify_rejects_unknown_kind():
    with pytest.raises(KeyError):
        services.notify(recipient=UserFactory(), kind="nobody.registered.this")


def test_preferences_page_saves_choices(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("notifications:preferences"))
    assert str(ORGANISATION_VERIFIED.label) in response.content.decode()
    defaults = {kind.key: kind.default_frequency for kind in kinds.all_kinds()}
    response = client.post(
        reverse("notifications:preferences"),
        {**defaults, ORGANISATION_VERIFIED.key: "never", INVITATION_ACCEPTED.key: "immediately"},
    )
    assert response.status_code == 302
    assert dict(EmailPreference.objects.filter(user=user).values_list("kind", "frequency")) == {
        ORGANISATION_VERIFIED.key: "never"
    }
    response = client.post(reverse("notifications:preferences"), {**defaults, ORGANISATION_VERIFIED.key: "hourly"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("count", [1, 30])
def test_notification_list_query_budget(client, django_assert_max_num_queries, count):
    user = UserFactory()
    for _ in range(count):
        services.notify(
            recipient=user, kind=ORGANISATION_VERIFIED.key, actor=UserFactory(), data={"organisation": "Fablab"}
        )
    client.force_login(user)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("notifications:list"))
    content = response.content.decode()
    assert content.count("Fablab is now verified by the organisers.") == count


def test_opening_a_notification_marks_it_read_and_follows_it(client):
    user = UserFactory()
    notification = services.notify(
        recipient=user, kind=ORGANISATION_VERIFIED.key, data={"organisation": "F"}, url="/organisations/"
    )
    client.force_login(user)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == "/organisations/"
    notification.refresh_from_db()
    assert notification.is_read


def test_someone_elses_notification_is_404(client):
    notification = services.notify(recipient=UserFactory(), kind=ORGANISATION_VERIFIED.key, data={})
    client.force_login(UserFactory())
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


def test_unread_count_shows_in_header_and_clears(client, django_capture_on_commit_callbacks):
    """The count is kept in the cache (a stored page costs no query for it) and follows every
    change as soon as it is committed."""
    user = UserFactory()
    services.notify(recipient=user, kind=ORGANISATION_VERIFIED.key, data={"organisation": "F"})
    services.notify(recipient=user, kind=ORGANISATION_VERIFIED.key, data={"organisation": "G"})
    client.force_login(user)
    assert "2 unread" in client.get(reverse("home")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notifications:read_all"))
    assert "unread" not in client.get(reverse("home")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=user, kind=ORGANISATION_VERIFIED.key, data={"organisation": "H"})
    assert "1 unread" in client.get(reverse("home")).content.decode()


def test_external_notification_url_is_not_followed(client):
    user = UserFactory()
    notification = services.notify(
        recipient=user, kind=ORGANISATION_VERIFIED.key, data={}, url="https://evil.example/phish"
    )
    client.force_login(user)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:list")


def _test_database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_real_celery_worker_delivers_a_notification_email(redis_url, celery_broker, tmp_path):
    """A worker process, fed by Redis, sends the email that a notification queued."""
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": celery_broker,
        "EMAIL_URL": f"filemail:///{outbox}",  # environ drops one leading slash
        "SECRET_KEY": "test-only-not-secret",
        "DEBUG": "false",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "civicnet",
            "worker",
            "--pool=solo",
            "-Q",
            celery_broker,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        recipient = UserFactory(email="worker@example.org", preferred_language="nl")
        services.notify(
            recipient=recipient,
            kind=ORGANISATION_VERIFIED.key,
            data={"organisation": "Fablab Evere"},
            email_template="organisation_verified",
            email_context={"organisation": OrganisationFactory(name="Fablab Evere")},
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not OutgoingEmail.objects.filter(sent_at__isnull=False).exists():
            assert worker.poll() is None, worker.stdout.read().decode()
            time.sleep(0.25)
        files = list(outbox.iterdir())
        assert len(files) == 1, "the worker sent nothing within 60 s"
        sent = files[0].read_text()
        assert "To: worker@example.org" in sent
        assert "Fablab Evere is geverifieerd" in sent
        assert OutgoingEmail.objects.get(to="worker@example.org").attempts == 1
    finally:
        worker.terminate()
        worker.wait(timeout=20)


def test_weekly_digest_is_offered_only_once_a_phase_contributes_to_it(client, monkeypatch):
    from django.apps import apps

    client.force_login(UserFactory())
    monkeypatch.setattr(apps.get_app_config("openwall"), "digest_sections", ())
    monkeypatch.setattr(apps.get_app_config("calls"), "digest_sections", ())
    assert "In the weekly digest" not in client.get(reverse("notifications:preferences")).content.decode()
    monkeypatch.setattr(apps.get_app_config("openwall"), "digest_sections", ("openwall.digest.SECTION",))
    assert "In the weekly digest" in client.get(reverse("notifications:preferences")).content.decode()
