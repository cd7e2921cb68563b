"""Faults, with real services: Redis dies under the site; PostgreSQL drops its connections."""

import shutil
import socket
import subprocess
import time
from datetime import timedelta

import pytest
import redis
from django.core.cache import caches
from django.db import connection
from django.urls import reverse

from civicnet.celery import app as celery_app
from civicnet.notifications.models import OutgoingEmail
from civicnet.notifications.services import emails_requeue_unsent
from openwall.models import Issue, Vote
from tests.conftest import service_missing
from tests.factories import IssueFactory

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
        "default": {
            "BACKEND": "civicnet.cache.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")}
    celery_app.conf.update(broker_url=url, task_always_eager=False, task_default_queue="faults")
    celery_app._after_fork()
    state = {"process": process, "port": port, "url": url}
    yield state
    state["process"].terminate()
    state["process"].wait(timeout=10)
    celery_app.conf.update(saved)
    celery_app._after_fork()


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
    email = OutgoingEmail.objects.get(to="new.member@example.org")
    assert email.sent_at is None  # kept, not lost

    health = client.get(reverse("healthz"))
    assert health.status_code == 503
    assert health.json()["broker"] == "error"

    # Redis comes back: the waiting email is queued again.
    own_redis["process"] = _start_redis(own_redis["port"])
    celery_app._after_fork()
    assert emails_requeue_unsent(older_than=timedelta(0)) >= 1
    queued = redis.Redis.from_url(own_redis["url"]).llen("faults")
    assert queued >= 1
    assert client.get(reverse("healthz")).status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_requests_recover_after_postgres_drops_connections(client, city):
    assert client.get(reverse("openwall:list")).status_code == 200
    with connection.cursor() as cursor:  # as a failover or an admin would: end every other session
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connection.close()
    statuses = [client.get(reverse("openwall:list")).status_code for _ in range(5)]
    assert statuses == [200] * 5
