"""Links that leave the page carry the address people reach the site at."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import IssueFactory

pytestmark = pytest.mark.django_db


def _invite(client, organisation, django_capture_on_commit_callbacks, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:organisation_members", args=[organisation.slug]),
            {"email": "bram@example.org", "role": "member"},
            **extra,
        )
    return re.search(r"(https?://\S+)/invitations/", mail.outbox[-1].body).group(1)


def test_in_development_links_follow_the_port_people_use(
    client, settings, citizen, organisation, django_capture_on_commit_callbacks
):
    settings.CIVICNET_SITE_URL_FROM_REQUEST = True  # DEBUG without SITE_URL (make run PORT=8310)
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    client.force_login(citizen)
    assert _invite(client, organisation, django_capture_on_commit_callbacks, HTTP_HOST="127.0.0.1:8310") == (
        "http://127.0.0.1:8310"
    )


def test_in_production_links_use_site_url_whatever_the_host_header(
    client, settings, citizen, organisation, django_capture_on_commit_callbacks
):
    settings.CIVICNET_SITE_URL_FROM_REQUEST = False
    settings.SITE_URL = "https://civic.example.org"
    settings.ALLOWED_HOSTS = ["civic.example.org", "testserver"]
    client.force_login(citizen)
    assert _invite(client, organisation, django_capture_on_commit_callbacks) == "https://civic.example.org"


def test_a_posters_link_follows_the_request_in_development(client, settings, city):
    settings.CIVICNET_SITE_URL_FROM_REQUEST = True
    settings.ALLOWED_HOSTS = ["localhost"]
    issue = IssueFactory()
    page = client.get(reverse("openwall:poster", args=[issue.pk]), HTTP_HOST="localhost:8310").content.decode()
    assert f"http://localhost:8310/wall/{issue.pk}/" in page


@pytest.mark.parametrize(("hosts", "follows"), [("127.0.0.1,localhost", "True"), ("*", "False")])
def test_links_follow_the_request_only_in_development_and_never_for_any_host(hosts, follows):
    import os
    import subprocess
    import sys

    env = {**os.environ, "DEBUG": "true", "SITE_URL": "", "ALLOWED_HOSTS": hosts, "SECRET_KEY": "x"}
    code = "from django.conf import settings; print(settings.CIVICNET_SITE_URL_FROM_REQUEST)"
    result = subprocess.run(
        [sys.executable, "-c", f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='civicnet.settings'; {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == follows
