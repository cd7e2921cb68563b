"""Input that used to reach the database or the decoder and come back as a server error."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from civicnet.accounts.models import Organisation
from civicnet.city.models import Topic
from openwall.models import Issue
from tests.factories import IssueFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _truncated_jpeg() -> bytes:
    """A JPEG cut off two thirds of the way: its header is whole (Pillow's verify() passes it),
    its pixels are not."""
    image = Image.effect_noise((400, 300), 60).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    data = buffer.getvalue()
    return data[: len(data) * 2 // 3]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#336699").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "path",
    ["/wall/similar/?title=abcd%00", "/invitations/ab%00cd/", "/wall/?q=velo%00", "/wall/?topic%00=x"],
)
def test_a_null_byte_anywhere_in_the_address_is_a_clear_400(client, city, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "null byte" in response.content.decode()


def test_a_null_byte_in_a_form_field_is_a_clear_400_and_stores_nothing(client, city, citizen):
    client.force_login(citizen)
    response = client.post(
        reverse("openwall:issue_create"),
        {
            "title": "Lamps out on the canal\x00path",
            "description": "Dark since October, people avoid it.",
            "topic": Topic.objects.get(slug="urbanism").pk,
            "language": "en",
        },
    )
    assert response.status_code == 400
    assert not Issue.objects.exists()


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, city, citizen, settings):
    settings.CIVICNET_MAX_REQUEST_BYTES = 1_000_000
    client.force_login(citizen)
    big = SimpleUploadedFile("big.jpg", b"\xff" * 1_200_000, "image/jpeg")
    response = client.post(reverse("openwall:issue_create"), {"title": "x", "photo": big})
    assert response.status_code == 413
    assert "larger than 1 MB" in response.content.decode()
    assert not Issue.objects.exists()


def test_a_truncated_jpeg_photo_is_a_form_error(client, city, citizen):
    client.force_login(citizen)
    response = client.post(
        reverse("openwall:issue_create"),
        {
            "title": "Lamps out on the canal path",
            "description": "Dark since October, people avoid it.",
            "topic": Topic.objects.get(slug="urbanism").pk,
            "district": "",
            "language": "en",
            "website_url": "",
            "photo": SimpleUploadedFile("lamp.jpg", _truncated_jpeg(), "image/jpeg"),
        },
    )
    assert response.status_code == 200
    assert "This file is not an image we can read." in response.content.decode()
    assert "Lamps out on the canal path" in response.content.decode()  # what was typed is kept
    assert not Issue.objects.exists()


def test_a_truncated_jpeg_logo_is_a_form_error(client, citizen):
    client.force_login(citizen)
    response = client.post(
        reverse("accounts:organisation_create"),
        {"name": "Logo Lab", "kind": "company", "logo": SimpleUploadedFile("logo.jpg", _truncated_jpeg())},
    )
    assert response.status_code == 200
    assert "This file is not an image we can read." in response.content.decode()
    assert not Organisation.objects.exists()


def test_a_replaced_logo_leaves_the_disk_after_commit(
    client, citizen, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    organisation = OrganisationFactory(verified=False)
    MembershipFactory(organisation=organisation, user=citizen, role="admin")
    client.force_login(citizen)
    url = reverse("accounts:organisation_edit", args=[organisation.slug])
    data = {"name": organisation.name, "kind": organisation.kind, "description": "", "website": ""}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**data, "logo": SimpleUploadedFile("a.png", _png(), "image/png")})
    first = Organisation.objects.get().logo
    assert (tmp_path / first.name).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**data, "logo": SimpleUploadedFile("b.png", _png(), "image/png")})
    second = Organisation.objects.get().logo
    assert second.name != first.name
    assert (tmp_path / second.name).exists()
    assert not (tmp_path / first.name).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**data, "logo-clear": "on"})
    assert not Organisation.objects.get().logo
    assert not (tmp_path / second.name).exists()


# unaccent turns these into tsquery syntax: "⑴" into "(1)", the triangular colon U+02D0 into ":".
SYNTAX_AFTER_UNACCENT = ["⑴⑴", "a\u02d0b", "x ⑴ & !", "'quoted' \\\\ back", "café:* | (bus"]


@pytest.mark.postgres
@pytest.mark.parametrize("text", SYNTAX_AFTER_UNACCENT)
def test_search_text_is_never_tsquery_syntax(client, city, text):
    IssueFactory(title="Bus stop without a shelter")
    response = client.get(reverse("openwall:list"), {"q": text})
    assert response.status_code == 200
    for export in ("openwall:export_json", "openwall:export_csv"):
        response = client.get(reverse(export), {"q": text})
        assert response.status_code == 200
        body = b"".join(response.streaming_content).decode()
        if export == "openwall:export_json":
            assert isinstance(json.loads(body)["issues"], list)  # whole: not cut off after "issues": [


@pytest.mark.postgres
def test_search_still_finds_words_next_to_such_characters(client, city):
    issue = IssueFactory(title="Bus stop without a shelter")
    response = client.get(reverse("openwall:list"), {"q": "⑴⑴ shelter"})
    assert [i.pk for i in response.context["page"].object_list] == []  # every word must match
    response = client.get(reverse("openwall:list"), {"q": "shelt"})
    assert [i.pk for i in response.context["page"].object_list] == [issue.pk]


@pytest.mark.parametrize("export", ["openwall:export_json", "openwall:export_csv"])
def test_an_export_whose_query_fails_fails_before_the_first_byte(client, city, monkeypatch, export):
    """A query the database refuses is a 500 page, never a 200 whose body stops half-way."""
    IssueFactory()
    refused = Issue.objects.extra(where=["no_such_column = 1"])
    monkeypatch.setattr("openwall.exports.IssueFilter.ordered", lambda self: refused)
    client.raise_request_exception = False
    response = client.get(reverse(export))
    assert response.status_code == 500
    assert not response.streaming
