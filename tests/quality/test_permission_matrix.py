"""Every URL pattern of the project, for seven personas: what each one gets.

The table is checked both ways: a pattern missing from it fails (so a new view cannot escape
it), and every listed answer must match. Codes: a number is the status; "L" is a redirect to
sign in; "R" any other redirect. Personas, in order: anonymous, citizen (owns the issue and the
comment, administers the verified 'house'), another citizen, innovator (administers the
unverified 'lab'), partner (member of 'house'), reviewer, organiser.
"""

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.quality.conftest import PERSONAS
from tests.quality.urls_for_matrix import build

pytestmark = pytest.mark.django_db

#                                        anon  cit   other innov partn revw  organiser
GET = {
    "home": "200 200 200 200 200 200 200",
    "privacy": "200 200 200 200 200 200 200",
    "terms": "200 200 200 200 200 200 200",
    "city_css": "200 200 200 200 200 200 200",
    "language_switch": "405 405 405 405 405 405 405",
    "healthz": "200 200 200 200 200 200 200",
    "favicon.ico": "301 301 301 301 301 301 301",
    "account_login": "200 R R R R R R",
    "account_logout": "R 200 200 200 200 200 200",
    "account_inactive": "200 200 200 200 200 200 200",
    "account_signup": "200 R R R R R R",
    "account_reauthenticate": "L 200 200 200 200 200 200",
    "account_request_reauthentication_code": "L 200 200 200 200 200 200",
    "account_confirm_reauthentication_code": "L R R R R R R",
    "account_email": "L 200 200 200 200 200 200",
    "account_email_verification_sent": "200 200 200 200 200 200 200",
    "account_change_password": "L 200 200 200 200 200 200",
    "account_set_password": "L R R R R R R",
    "account_reset_password": "200 200 200 200 200 200 200",
    "account_confirm_login_code": "L R R R R R R",
    "account_confirm_email": "200 200 200 200 200 200 200",
    "account_reset_password_from_key_done": "200 200 200 200 200 200 200",
    "account_reset_password_from_key": "200 200 200 200 200 200 200",
    "account_reset_password_done": "200 200 200 200 200 200 200",
    "mfa_index": "L 200 200 200 200 200 200",
    "mfa_authenticate": "L R R R R R R",
    "mfa_reauthenticate": "L R R R R R 200",
    "mfa_activate_totp": "L R R R R R R",
    "mfa_deactivate_totp": "L 404 404 404 404 404 R",
    "mfa_view_recovery_codes": "L 404 404 404 404 404 404",
    "mfa_generate_recovery_codes": "L R R R R R R",
    "mfa_download_recovery_codes": "L 404 404 404 404 404 404",
    "notifications:list": "L 200 200 200 200 200 200",
    "notifications:read_all": "405 405 405 405 405 405 405",
    "notifications:preferences": "L 200 200 200 200 200 200",
    "notifications:open": "L R 404 404 404 404 404",
    "notifications:unsubscribe": "200 200 200 200 200 200 200",
    "accounts:profile": "L 200 200 200 200 200 200",
    "accounts:data_export": "L 200 200 200 200 200 200",
    "accounts:account_delete": "L 200 200 200 200 200 200",
    "accounts:organisation_list": "200 200 200 200 200 200 200",
    "accounts:organisation_create": "L 200 200 200 200 200 200",
    "accounts:organisation_detail": "200 200 200 200 200 200 200",
    "accounts:organisation_edit": "L 200 403 403 403 403 200",
    "accounts:organisation_members": "L 200 403 403 200 403 200",
    "accounts:organisation_leave": "405 405 405 405 405 405 405",
    "accounts:membership_change": "405 405 405 405 405 405 405",
    "accounts:invitation_revoke": "405 405 405 405 405 405 405",
    "accounts:invitation_accept": "L 200 200 200 200 200 200",
    "openwall:list": "200 200 200 200 200 200 200",
    "openwall:issue_create": "L 200 200 200 200 200 200",
    "openwall:issue_similar": "200 200 200 200 200 200 200",
    "openwall:board": "L 403 403 403 403 403 200",
    "openwall:event_list": "200 200 200 200 200 200 200",
    "openwall:event_detail": "200 200 200 200 200 200 200",
    "openwall:event_rsvp": "405 405 405 405 405 405 405",
    "openwall:event_ics": "200 200 200 200 200 200 200",
    "openwall:event_record_issue": "L 200 403 403 200 403 200",
    "openwall:event_tally": "405 405 405 405 405 405 405",
    "openwall:export_csv": "200 200 200 200 200 200 200",
    "openwall:export_json": "200 200 200 200 200 200 200",
    "openwall:topic_feed": "200 200 200 200 200 200 200",
    "openwall:prioritise": "405 405 405 405 405 405 405",
    "openwall:poster": "200 200 200 200 200 200 200",
    "openwall:qr_code": "200 200 200 200 200 200 200",
    "openwall:topic_detail": "200 200 200 200 200 200 200",
    "openwall:issue_detail": "200 200 200 200 200 200 200",
    "openwall:issue_edit": "L 200 403 403 403 403 403",
    "openwall:vote": "405 405 405 405 405 405 405",
    "openwall:follow": "405 405 405 405 405 405 405",
    "openwall:comment_create": "405 405 405 405 405 405 405",
    "openwall:issue_flag": "L 200 200 200 200 200 200",
    "openwall:comment_flag": "L 200 200 200 200 200 200",
    "openwall:comment_edit": "L 200 403 403 403 403 403",
    "openwall:comment_remove": "405 405 405 405 405 405 405",
}

# Objects that belong to someone else, reached by changing the address.
GET_OTHERS = {
    "unverified organisation": (
        lambda w: reverse("accounts:organisation_detail", args=[w["lab"].slug]),
        "404 404 404 200 404 404 200",
    ),
    "unverified organisation's members": (
        lambda w: reverse("accounts:organisation_members", args=[w["lab"].slug]),
        "L 404 404 200 404 404 200",
    ),
    "hidden issue": (lambda w: reverse("openwall:issue_detail", args=[w["hidden"].pk]), "404 404 404 404 404 404 200"),
    "hidden issue's poster": (
        lambda w: reverse("openwall:poster", args=[w["hidden"].pk]),
        "404 404 404 404 404 404 200",
    ),
}

# What a POST does (each persona on a fresh world, so one success cannot change the next).
POST = {
    "language_switch": ({"language": "nl", "next": "/"}, "R R R R R R R"),
    "notifications:read_all": ({}, "L R R R R R R"),
    "accounts:organisation_leave": ({}, "L R 403 403 R 403 403"),
    "accounts:membership_change": ({"action": "remove"}, "L R 403 403 403 403 403"),
    "accounts:invitation_revoke": ({}, "L R 403 403 403 403 403"),
    "openwall:vote": ({}, "L R R R R R R"),
    "accounts:data_export": ({}, "L 200 200 200 200 200 200"),
    "accounts:account_delete": ({"password": "wrong"}, "L 200 200 200 200 200 200"),
    "openwall:follow": ({}, "L R R R R R R"),
    "openwall:comment_create": ({"body": "Me too."}, "L R R R R R R"),
    "openwall:comment_remove": ({}, "L R 403 403 403 403 R"),
    "openwall:prioritise": ({}, "L 403 403 403 403 403 R"),
    "openwall:event_rsvp": ({}, "L R R R R R R"),
    "openwall:event_tally": (lambda w: {"tally-issue": w["issue"].pk, "tally-votes": 3}, "L R 403 403 R 403 R"),
}


def _code(response) -> str:
    if response.status_code == 302:
        return "L" if response["Location"].startswith(reverse("account_login")) else "R"
    return str(response.status_code)


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or route)
            yield route, name


def _login(client, world, persona):
    client.logout()
    if persona != "anonymous":
        client.force_login(world["people"][persona])


def test_every_url_pattern_is_in_the_table():
    names = {name for route, name in _walk(get_resolver().url_patterns) if not route.startswith("admin/")}
    names.discard("media/<path:path>")  # served only with DEBUG on
    assert names - set(GET) == set(), "add these patterns to the permission matrix"
    assert set(GET) - names == set(), "these patterns no longer exist"
    assert set(POST) <= set(GET)


def test_get_matrix(client, world):
    urls = build(world)
    mismatches = []
    for name, expected in GET.items():
        got = []
        for persona in PERSONAS:
            _login(client, world, persona)
            got.append(_code(client.get(urls[name])))
        if got != expected.split():
            mismatches.append(f"{name}: expected {expected}, got {' '.join(got)}")
    assert mismatches == []


def test_others_objects_are_unreachable_by_address(client, world):
    mismatches = []
    for label, (url_of, expected) in GET_OTHERS.items():
        got = []
        for persona in PERSONAS:
            _login(client, world, persona)
            got.append(_code(client.get(url_of(world))))
        if got != expected.split():
            mismatches.append(f"{label}: expected {expected}, got {' '.join(got)}")
    assert mismatches == []


@pytest.mark.parametrize("name", sorted(POST))
@pytest.mark.parametrize("persona", PERSONAS)
def test_post_matrix(client, world, name, persona):
    data, expected = POST[name]
    data = data(world) if callable(data) else data
    _login(client, world, persona)
    response = client.post(build(world)[name], data)
    assert _code(response) == expected.split()[PERSONAS.index(persona)]


def test_admin_is_for_staff_with_permission(client, world):
    """Every model in the admin, generated from its registry: a new model cannot escape."""
    organiser = world["people"]["organiser"]
    mismatches = []
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        allowed = organiser.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
        expected = ["L", "403", "403", "403", "403", "403", "200" if allowed else "403"]
        got = []
        for persona in PERSONAS:
            _login(client, world, persona)
            response = client.get(url, follow=True)
            to_login = any(reverse("account_login") in hop for hop, _status in response.redirect_chain)
            got.append("L" if to_login else str(response.status_code))
        if got != expected:
            mismatches.append(f"{url}: expected {expected}, got {got}")
    assert mismatches == []
