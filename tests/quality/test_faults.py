"""Faults, with real services: Redis dies under the site; PostgreSQL drops its connections."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.urls import reverse

from civicnet import circuit
from civicnet.celery import app as celery_app
from civicnet.notifications.models import OutgoingEmail
from civicnet.notifications.services import email_queue, emails_requeue_unsent
from openwall.models import Issue, Vote
from tests.conftest import service_missing
from tests.factories import PASSWORD, TOTP_SECRET, IssueFactory, OrganiserFactory, UserFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_redis(port):
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            return process
        except redis.exceptions.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


@pytest.fixture
def own_redis(settings):
    """A Redis of this test's own (so stopping it disturbs nothing else), used as cache and broker."""
    if not shutil.which("redis-server"):
        service_missing("redis-server (Debian package 'redis-server')")
    port = _free_port()
    process = _start_redis(port)
    url = f"redis://127.0.0.1:{port}/0"
    settings.REDIS_URL = url
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "civicnet.cache.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        },
    }
    settings.CIVICNET_REDIS_BREAKER_SECONDS = 1
    circuit.breakers_reset()
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")}
    celery_app.conf.update(broker_url=url, task_always_eager=False, task_default_queue="faults")
    celery_app._after_fork()
    state = {"process": process, "port": port, "url": url}
    yield state
    state["process"].terminate()
    state["process"].wait(timeout=10)
    celery_app.conf.update(saved)
    celery_app._after_fork()
    circuit.breakers_reset()


def test_with_redis_down_the_site_works_and_emails_wait(
    client, city, citizen, organisation, own_redis, django_capture_on_commit_callbacks
):
    issue = IssueFactory()
    own_redis["process"].kill()
    own_redis["process"].wait(timeout=10)

    started = time.monotonic()
    assert caches["default"].add("probe", 1) is True  # the resilient cache answers instead of raising
    assert client.get(reverse("home")).status_code == 200
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("openwall:vote", args=[issue.pk])).status_code == 302
        response = client.post(
            reverse("openwall:issue_create"),
            {
                "title": "Lamps out on the canal path",
                "description": "Dark since October, people avoid it.",
                "topic": issue.topic_id,
                "district": "",
                "language": "en",
                "website_url": "",
            },
        )
        assert response.status_code == 302
        client.post(
            reverse("accounts:organisation_members", args=[organisation.slug]),
            {"email": "new.member@example.org", "role": "member"},
        )
    assert time.monotonic() - started < 30  # degraded, not hanging
    assert Vote.objects.filter(user=citizen, issue=issue).exists()
    assert Issue.objects.filter(title="Lamps out on the canal path").exists()
    # Pages are rendered, not served from the store: the person's own vote, the current count.
    count = f'data-live="votes:{issue.pk}">1<'
    for url in (reverse("openwall:list"), issue.get_absolute_url()):
        mine = client.get(url).content.decode()
        assert count in mine
        assert re.search(rf'action="/wall/{issue.pk}/vote/".*?aria-pressed="true"', mine, re.S)
        assert count in Client().get(url).content.decode()
    email = OutgoingEmail.objects.get(to="new.member@example.org")
    assert email.sent_at is None  # kept, not lost

    health = client.get(reverse("healthz"))
    assert health.status_code == 503
    assert health.json()["broker"] == "error"

    # Redis comes back: the waiting email is queued again.
    own_redis["process"] = _start_redis(own_redis["port"])
    celery_app._after_fork()
    time.sleep(settings.CIVICNET_REDIS_BREAKER_SECONDS)  # the breaker tries Redis again after its pause
    with django_capture_on_commit_callbacks(execute=True):
        assert emails_requeue_unsent(older_than=timedelta(0)) >= 1
    queued = redis.Redis.from_url(own_redis["url"]).llen("faults")
    assert queued >= 1
    assert client.get(reverse("healthz")).status_code == 200


def _kill(own_redis):
    own_redis["process"].kill()
    own_redis["process"].wait(timeout=10)


def test_with_redis_down_wrong_passwords_still_lock_the_account(client, city, own_redis):
    UserFactory(email="amina@example.org")
    _kill(own_redis)
    login = reverse("account_login")
    for _ in range(15):
        client.post(login, {"login": "amina@example.org", "password": "not-my-password"})
    response = client.post(login, {"login": "amina@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_with_redis_down_a_flood_of_other_counters_does_not_flush_a_lock(client, city, own_redis):
    """The fallback table keeps every live counter: filling it cannot erase someone's lock-out."""
    UserFactory(email="amina@example.org")
    _kill(own_redis)
    login = reverse("account_login")
    for _ in range(6):
        client.post(login, {"login": "amina@example.org", "password": "not-my-password"})
    cache = caches["default"]
    for n in range(400):  # as many limited actions as an attacker likes, each a new counter
        cache.set(f"ratelimit:flood:user:{n}:1", 1, 300)
    response = client.post(login, {"login": "amina@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_with_redis_down_wrong_codes_still_lock_the_second_factor(client, city, own_redis):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    organiser = OrganiserFactory(email="olivia@example.org")
    _kill(own_redis)
    response = client.post(reverse("account_login"), {"login": organiser.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    counter = int(time.time()) // 30
    valid = {format_hotp_value(hotp_value(TOTP_SECRET, counter + step)) for step in (-1, 0, 1, 2)}
    wrong = next(code for code in ("000000", "111111", "222222") if code not in valid)
    for _ in range(15):
        client.post(reverse("mfa_authenticate"), {"code": wrong})
    right = format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))
    response = client.post(reverse("mfa_authenticate"), {"code": right})
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_with_redis_down_a_used_code_cannot_be_replayed(client, city, own_redis):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    organiser = OrganiserFactory(email="olivia@example.org")
    _kill(own_redis)
    code = format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))
    for attempt in range(2):
        client.logout()
        client.post(reverse("account_login"), {"login": organiser.email, "password": PASSWORD})
        client.post(reverse("mfa_authenticate"), {"code": code})
        signed_in = client.session.get("_auth_user_id") == str(organiser.pk)
        assert signed_in is (attempt == 0)


def test_with_redis_frozen_pages_answer_fast_and_votes_count(
    client, city, citizen, organisation, own_redis, django_capture_on_commit_callbacks
):
    """A Redis that stops answering (SIGSTOP) costs one short timeout per process, then nothing:
    the circuit breaker leaves it alone and the site runs degraded."""
    issue = IssueFactory()
    pages = [reverse("home"), reverse("openwall:list"), issue.get_absolute_url()]
    for page in pages:
        assert client.get(page).status_code == 200  # cached in Redis, warm connections in the pool
    process = own_redis["process"]
    process.send_signal(signal.SIGSTOP)
    try:
        timings = {}
        for page in pages * 2:
            started = time.monotonic()
            assert client.get(page).status_code == 200
            timings[page] = max(timings.get(page, 0), time.monotonic() - started)
        client.force_login(citizen)
        started = time.monotonic()
        response = client.post(reverse("openwall:vote", args=[issue.pk]), {"action": "vote"})
        timings["vote"] = time.monotonic() - started
        assert response.status_code == 302
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):  # the invitation email goes to the broker
            response = client.post(
                reverse("accounts:organisation_members", args=[organisation.slug]),
                {"email": "new.member@example.org", "role": "member"},
            )
        timings["invite"] = time.monotonic() - started
        assert response.status_code == 302
    finally:
        process.send_signal(signal.SIGCONT)
    assert max(timings.values()) < 0.5, timings
    assert Issue.objects.get(pk=issue.pk).vote_count == 1
    assert OutgoingEmail.objects.get(to="new.member@example.org").sent_at is None  # waits for the broker


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_requests_recover_after_postgres_drops_connections(client, city, citizen):
    client.force_login(citizen)  # signed in: every page reads the database (no anonymous page cache)
    assert client.get(reverse("openwall:list")).status_code == 200
    with connection.cursor() as cursor:  # as a failover or an admin would: end every other session
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connection.close()
    statuses = [client.get(reverse("openwall:list")).status_code for _ in range(5)]
    assert statuses == [200] * 5


class StallingSMTP:
    """An SMTP server on 127.0.0.1 that keeps every message it accepts, except the first: that
    one it receives whole but never answers, as a server would while the sender is killed.

    It drops a message whose final "250" it never sent. A real server may instead deliver one it
    had fully received when the sender died; that window (between its reply and our commit) is
    the one duplicate SMTP leaves possible, as services.email_deliver says."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.messages: list[str] = []
        self.stalled = threading.Event()
        self._stall_next = True
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self):
        self.server.close()

    def _accept(self):
        while True:
            try:
                conn, _address = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        with conn, conn.makefile("rwb") as stream:

            def reply(line):
                stream.write(line.encode() + b"\r\n")
                stream.flush()

            reply("220 test ESMTP")
            lines, in_data = [], False
            for raw in stream:
                line = raw.decode(errors="replace").rstrip("\r\n")
                if in_data:
                    if line != ".":
                        lines.append(line)
                        continue
                    in_data = False
                    if self._stall_next:
                        self._stall_next = False
                        self.stalled.set()
                        stream.read()  # until the sender is gone; the message was never accepted
                        return
                    self.messages.append("\n".join(lines))
                    lines = []
                    reply("250 queued")
                    continue
                verb = line[:4].upper()
                if verb in ("EHLO", "HELO"):
                    reply("250 test")
                elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                    reply("250 ok")
                elif verb == "DATA":
                    reply("354 go ahead")
                    in_data = True
                elif verb == "QUIT":
                    reply("221 bye")
                    return
                else:
                    reply("502 not here")


def _database_url() -> str:
    """The test database, as a URL a worker process can open."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        user = quote(db["USER"], safe="")
        return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


def _start_worker(*, redis_url: str, smtp_port: int, queue: str) -> subprocess.Popen:
    """A real worker, as deployed (prefork: the main process acknowledges, a child runs the task)."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": queue,
        "CELERY_VISIBILITY_TIMEOUT": "1",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "SECRET_KEY": "test-only-not-secret",
        "DEBUG": "false",
    }
    command = [sys.executable, "-m", "celery", "-A", "civicnet", "worker", "-P", "prefork", "-c", "1"]
    command += ["-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"]
    return subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, start_new_session=True, stdout=subprocess.DEVNULL)


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"waited {seconds} s for {what}")


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_an_email_sends_it_once_after_restart(own_redis):
    smtp = StallingSMTP()
    workers = []
    try:
        workers.append(_start_worker(redis_url=own_redis["url"], smtp_port=smtp.port, queue="faults"))
        email = email_queue(to="amina@example.org", subject="Your issue was prioritised", body_text="Hi", language="en")
        assert smtp.stalled.wait(60), "the worker never reached the SMTP server"

        os.killpg(workers[0].pid, signal.SIGKILL)  # mid-send: the message is out, not yet accepted
        workers[0].wait(timeout=10)
        email.refresh_from_db()
        assert email.sent_at is None
        assert smtp.messages == []

        time.sleep(1.5)  # past the visibility timeout: the broker hands the task to the next worker
        workers.append(_start_worker(redis_url=own_redis["url"], smtp_port=smtp.port, queue="faults"))
        _wait_for(lambda: smtp.messages, 60, "the email to be sent after the restart")
        _wait_for(lambda: OutgoingEmail.objects.filter(pk=email.pk, sent_at__isnull=False).exists(), 10, "sent_at")

        # Delivered again (the beat's requeue, a duplicate in the broker): nothing more is sent.
        # A second email queued after it marks when the worker has got past the duplicate.
        celery_app.send_task("notifications.send_email", kwargs={"email_id": email.pk}, queue="faults")
        email_queue(to="bram@example.org", subject="Marker", body_text="Hi", language="en")
        _wait_for(lambda: len(smtp.messages) >= 2, 30, "the marker email")
        assert emails_requeue_unsent(older_than=timedelta(0)) == 0
        to_amina = [message for message in smtp.messages if "To: amina@example.org" in message]
        assert len(to_amina) == 1
        assert "Subject: Your issue was prioritised" in to_amina[0]
    finally:
        for worker in workers:
            _stop(worker)
        smtp.close()


def _stop(worker: subprocess.Popen) -> None:
    """Stop a worker and its children: politely, then not."""
    if worker.poll() is not None:
        return
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
