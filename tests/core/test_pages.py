import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


@pytest.mark.parametrize(
    ("language", "title", "theme"),
    [
        ("fr", "Réparons Bruxelles ensemble", "Urbanisme"),
        ("nl", "Samen Brussel verbeteren", "Stedenbouw"),
        ("en", "Fix Brussels together", "Urbanism"),
    ],
)
def test_home_speaks_each_language(client, city, language, title, theme):
    response = client.get(reverse("home"), headers={"accept-language": language})
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    assert title in content
    assert theme in content
    assert content.count('class="topic-card"') == 9
    assert content.count('<li class="cycle-step') == 5


def test_language_switch_sets_cookie_and_profile(client, citizen, city):
    client.force_login(citizen)
    response = client.post(reverse("language_switch"), {"language": "nl", "next": "/organisations/"})
    assert response["Location"] == "/organisations/"
    assert response.cookies["django_language"].value == "nl"
    citizen.refresh_from_db()
    assert citizen.preferred_language == "nl"
    assert "Organisaties" in client.get("/organisations/").content.decode()


def test_preferred_language_applies_on_a_new_browser(client, citizen, city):
    citizen.preferred_language = "fr"
    citizen.save()
    client.force_login(citizen)
    assert '<html lang="fr">' in client.get(reverse("home"), headers={"accept-language": "en"}).content.decode()


def test_city_stylesheet_carries_the_city_colours(client, city):
    response = client.get(reverse("city_css"))
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert "--primary:#1d4f91;--on-primary:#ffffff;" in response.content.decode()


def _public_urls(organisation):
    return [
        reverse("home"),
        reverse("privacy"),
        reverse("terms"),
        reverse("accounts:organisation_list"),
        organisation.get_absolute_url(),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
    ]


def _member_urls(organisation):
    return [
        reverse("accounts:profile"),
        reverse("accounts:organisation_create"),
        reverse("accounts:organisation_edit", args=[organisation.slug]),
        reverse("accounts:organisation_members", args=[organisation.slug]),
        reverse("notifications:list"),
        reverse("notifications:preferences"),
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("mfa_index"),
    ]


def test_pages_carry_csp_and_no_inline_script(client, city, citizen):
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, user=citizen, role="admin")
    checked = 0
    for urls, login in ((_public_urls(organisation), False), (_member_urls(organisation), True)):
        if login:
            client.force_login(citizen)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            policy = response["Content-Security-Policy"]
            script_src = re.search(r"script-src ([^;]+)", policy).group(1)
            assert script_src == "'self'", url
            assert "unsafe-inline" not in policy, url
            assert "frame-ancestors 'none'" in policy
            html = response.content.decode()
            for attrs, body in SCRIPT_TAG.findall(html):
                # Only external scripts, or JSON data blocks that browsers never execute.
                assert "src=" in attrs or 'type="application/json"' in attrs, (url, attrs, body[:80])
                assert "src=" not in attrs or not body.strip(), url
            assert not EVENT_HANDLER.search(html), url
            assert "http://" not in re.sub(r'href="http[^"]*"|xmlns="http[^"]*"', "", html), url
            checked += 1
    assert checked == 17


def test_security_headers(client, city):
    response = client.get(reverse("home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k7Jf2mQp9vXz4LwR8tYb3nHc6sDg1aEu0oIyTrWqZxCvBnMlKjHgFdSaPoIuYt",
    "SITE_URL": "https://civic.example.org",
    "ALLOWED_HOSTS": "civic.example.org",
}


def test_check_deploy_is_clean_in_production_settings():
    env = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "SECRET_KEY")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**env, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off():
    env = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "SECRET_KEY")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, "DEBUG": "false", "SECRET_KEY": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_healthz_reports_each_part(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["cache"] == "ok"
    assert body["broker"] == ("ok" if os.environ.get("REDIS_URL") else "not configured")


@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_when_the_database_is_unreachable(client, tmp_path):
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = str(tmp_path / "missing-dir" / "db.sqlite3")
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT="1")  # nothing listens on port 1
    try:
        response = client.get(reverse("healthz"))
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert response.json()["status"] == "error"


def test_missing_page_is_a_friendly_404_in_the_users_language(client, city):
    response = client.get("/organisations/nobody-here/", headers={"accept-language": "fr"})
    assert response.status_code == 404
    content = response.content.decode()
    assert '<html lang="fr">' in content
    assert "Nous ne trouvons pas cette page" in content


def test_home_renders_with_the_production_static_storage(client, city, settings, tmp_path):
    """Tests use plain static storage; production hashes names from a manifest, which must list every file."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'href="/static/css/site\.[0-9a-f]{12}\.css"', html)
    assert re.search(r'src="/static/img/topics/urbanism\.[0-9a-f]{12}\.svg"', html)


def test_markdown_lists_right_after_a_line_of_text_are_lists():
    from civicnet.markdown import markdown_render

    html = markdown_render("What is broken:\n- the lamp\n- the bench\nSince May.")
    assert "<ul>\n<li>the lamp</li>\n<li>the bench<br>\nSince May.</li>\n</ul>" in html
    assert "- the" not in html
    assert markdown_render("Steps:\n1. call\n2. wait") == "<p>Steps:</p>\n<ol>\n<li>call</li>\n<li>wait</li>\n</ol>"
    assert markdown_render("a - b") == "<p>a - b</p>"  # a dash inside a sentence stays text


def test_markdown_texts_do_not_leak_into_each_other():
    """The converter is reused between texts: a link reference or a half-open block in one text
    must not change how the next one renders."""
    from civicnet.markdown import markdown_render

    assert markdown_render("[site]: https://evil.example/\n\nhello") == "" + "<p>hello</p>"
    assert markdown_render("[site] here") == "<p>[site] here</p>"
    markdown_render("```\nunclosed code")
    assert markdown_render("*calm* words") == "<p><em>calm</em> words</p>"


def test_every_management_command_of_the_project_loads():
    """A command nobody runs in the tests (the benchmark's) must not break silently when code
    it imports moves."""
    from django.core.management import get_commands, load_command_class

    ours = {name: app for name, app in get_commands().items() if app.startswith(("civicnet", "openwall", "calls"))}
    assert {
        "seed_demo",
        "seed_scale",
        "bench_setup",
        "bench_digest",
        "load_city_pack",
        "bench_review_assignment",
    } <= set(ours)
    for name, app in ours.items():
        assert load_command_class(app, name).help, name
