"""Every URL pattern of the project, for seven personas: what each one gets.

The table is checked both ways: a pattern missing from it fails (so a new view cannot escape
it), and every listed answer must match. Codes: a number is the status; "L" is a redirect to
sign in; "R" any other redirect. Personas, in order: anonymous, citizen (owns the issue and the
comment, administers the verified 'house'), another citizen, innovator (administers the
unverified 'lab'), partner (member of 'house'), reviewer, organiser.
"""

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.quality.conftest import PERSONAS
from tests.quality.urls_for_matrix import build, matrices, merged

pytestmark = pytest.mark.django_db

# Each app brings its rows in tests/<app>/matrix.py: `urls(world)`, GET, POST, GET_OTHERS and
# ADMIN; a new app joins by adding that file.
MATRICES = matrices()
GET = merged(MATRICES, "GET")
GET_OTHERS = merged(MATRICES, "GET_OTHERS")
POST = merged(MATRICES, "POST")
ADMIN = merged(MATRICES, "ADMIN")


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
    assert {name for name in POST if not name.startswith("@")} <= set(GET)


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


def test_post_matrix(client, world, settings):
    """Every write, as every persona, each on the same world as it was: the world is built once
    and each post runs inside a savepoint rolled back after it (about 40 times cheaper than a
    fresh world per case), with the cache emptied between cases."""
    settings.CIVICNET_RATE_LIMITS = dict.fromkeys(settings.CIVICNET_RATE_LIMITS, "100000/h")
    urls = build(world)
    mismatches = []
    for name in sorted(POST):
        for persona in PERSONAS:
            savepoint = transaction.savepoint()
            try:
                if name.startswith("@"):  # another's or a hidden object, reached by changing the address
                    url_of, data, expected = POST[name]
                    url = url_of(world)
                else:
                    data, expected = POST[name]
                    url = urls[name]
                data = data(world) if callable(data) else data
                _login(client, world, persona)
                got = _code(client.post(url, data))
            finally:
                transaction.savepoint_rollback(savepoint)
                cache.clear()
            want = expected.split()[PERSONAS.index(persona)]
            if got != want:
                mismatches.append(f"{name} as {persona}: expected {want}, got {got}")
    assert mismatches == []


def test_every_admin_model_is_in_the_table():
    labels = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    assert labels - set(ADMIN) == set(), "add these admin models to an app's matrix (ADMIN)"
    assert set(ADMIN) - labels == set(), "these admin models no longer exist"


def test_admin_is_for_staff_with_permission(client, world):
    """Every model's list in the admin, against a written-down table (the organiser's column):
    everyone else is sent to sign in or refused."""
    mismatches = []
    for label, organiser_code in ADMIN.items():
        app_label, model_name = label.split(".")
        url = reverse(f"admin:{app_label}_{model_name}_changelist")
        expected = ["L", "403", "403", "403", "403", "403", organiser_code]
        got = []
        for persona in PERSONAS:
            _login(client, world, persona)
            response = client.get(url, follow=True)
            to_login = any(reverse("account_login") in hop for hop, _status in response.redirect_chain)
            got.append("L" if to_login else str(response.status_code))
        if got != expected:
            mismatches.append(f"{label}: expected {expected}, got {got}")
    assert mismatches == []


def test_the_personas_are_really_different(world):
    people = world["people"]
    kinds = {name: set(user.memberships.values_list("organisation__kind", flat=True)) for name, user in people.items()}
    assert kinds["other_citizen"] == set()  # the outsider belongs to nothing
    assert "civic_innovator" in kinds["innovator"]
    assert kinds["partner"] & {"company", "public_institution"}
    assert people["reviewer"].groups.filter(name="Reviewers").exists()
    assert not people["citizen"].is_staff and people["organiser"].is_staff
