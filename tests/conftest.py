import os
import shutil
import time

import pytest
from django.core.cache import cache

from civicnet.celery import app as celery_app
from tests import factories

STATIC_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"
IN_CI = os.environ.get("CI", "").lower() == "true"


def service_missing(what: str):
    """Skip on a developer's machine; in CI a missing service is a failure, never a skip."""
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available.", pytrace=False)
    pytest.skip(f"{what} is not available")


@pytest.fixture(autouse=True)
def _postgres_only(request):
    """Tests marked `postgres` need PostgreSQL; `make test` deselects them on other databases."""
    if request.node.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            service_missing("PostgreSQL (set DATABASE_URL)")


@pytest.fixture(scope="session")
def _media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def _private_root(tmp_path_factory):
    return tmp_path_factory.mktemp("private")


@pytest.fixture(autouse=True)
def _isolation(settings, _media_root, _private_root):
    """Each test starts with an empty cache and runs Celery tasks in-process; uploads land in a
    temporary folder, not in the checkout's media/."""
    cache.clear()
    settings.MEDIA_ROOT = _media_root
    settings.PRIVATE_ROOT = _private_root
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": STATIC_STORAGE}}
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager
    cache.clear()


@pytest.fixture
def redis_url():
    """The Redis to use for tests that need a real one (REDIS_URL, or the machine's default)."""
    import redis

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError:
        service_missing(f"Redis at {url}")
    return url


@pytest.fixture
def celery_broker(redis_url):
    """Send tasks to a real Redis broker on a queue of the test's own; yields the queue name."""
    queue = f"test-{os.getpid()}-{time.time_ns()}"
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_default_queue", "task_always_eager")}
    celery_app.conf.update(broker_url=redis_url, task_default_queue=queue, task_always_eager=False)
    celery_app._after_fork()  # drop pooled connections to the old broker
    yield queue
    celery_app.conf.update(saved)
    celery_app._after_fork()


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium")
    if not path:
        service_missing("Chromium (Debian package 'chromium')")
    return path


def superuser_login(client):
    """Sign `client` in as a superuser with an authenticator (staff must have one)."""
    from allauth.mfa.totp.internal.auth import TOTP

    user = factories.UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(user, factories.TOTP_SECRET)
    client.force_login(user)
    return user


# Personas: the people every permission test is about.
@pytest.fixture
def citizen(db):
    return factories.UserFactory(display_name="Amina")


@pytest.fixture
def other_citizen(db):
    return factories.UserFactory(display_name="Bram")


@pytest.fixture
def outsider(db):
    return factories.UserFactory(display_name="Charlie")


@pytest.fixture
def organiser(db):
    return factories.OrganiserFactory(display_name="Olivia")


@pytest.fixture
def organisation(db, citizen):
    """A verified organisation administered by `citizen`."""
    organisation = factories.OrganisationFactory(verified=True)
    factories.MembershipFactory(organisation=organisation, user=citizen, role="admin")
    return organisation


@pytest.fixture
def city(db):
    from civicnet.city.services import city_pack_load

    city_pack_load(name="brussels")
    from civicnet.city.models import CityProfile

    return CityProfile.current()
