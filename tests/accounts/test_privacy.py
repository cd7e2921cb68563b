import io
import json
import zipfile

import pytest
from django.urls import reverse

from civicnet.accounts.models import User
from openwall import services
from openwall.models import Issue
from tests.factories import PASSWORD, IssueFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_download_holds_my_data_and_nobody_elses(client, city, citizen, other_citizen):
    issue = services.issue_create(
        author=citizen,
        title="My street lamp",
        description="Broken since May, really.",
        topic=IssueFactory().topic,
        language="en",
    )
    services.vote_toggle(user=citizen, issue=IssueFactory())
    services.comment_create(author=other_citizen, issue=issue, body="Someone else's words")
    client.force_login(citizen)
    assert client.get(reverse("accounts:data_export")).status_code == 200
    response = client.post(reverse("accounts:data_export"))
    assert response["Content-Type"] == "application/zip"
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("data.json"))
    assert data["profile"]["email"] == citizen.email
    assert [i["title"] for i in data["openwall"]["issues"]] == ["My street lamp"]
    assert len(data["openwall"]["votes"]) == 1
    assert "Someone else's words" not in json.dumps(data)
    assert other_citizen.email not in json.dumps(data)


def test_deleting_keeps_contributions_anonymous_and_counts_right(client, city, citizen, other_citizen):
    issue = services.issue_create(
        author=citizen,
        title="My street lamp",
        description="Broken since May, really.",
        topic=IssueFactory().topic,
        language="en",
    )
    other = IssueFactory()
    for voter in (citizen, other_citizen):
        services.vote_toggle(user=voter, issue=other)
    services.comment_create(author=citizen, issue=other, body="I agree with this")
    client.force_login(citizen)
    response = client.post(reverse("accounts:account_delete"), {"password": "wrong"})
    assert "This is not your password." in response.content.decode()
    assert User.objects.filter(pk=citizen.pk).exists()
    response = client.post(reverse("accounts:account_delete"), {"password": PASSWORD})
    assert response["Location"] == reverse("home")
    assert not User.objects.filter(email=citizen.email).exists()
    assert Issue.objects.get(pk=other.pk).vote_count == 1
    assert Issue.objects.get(pk=issue.pk).author is None
    page = client.get(other.get_absolute_url()).content.decode()
    assert "I agree with this" in page
    assert "Former participant" in page
    assert "_auth_user_id" not in client.session


def test_privacy_page_says_what_is_stored(client, city):
    html = client.get(reverse("privacy")).content.decode()
    assert "What we store, and why" in html


@pytest.mark.parametrize("count", [1, 30])
def test_privacy_pages_query_budget(client, city, django_assert_max_num_queries, count):
    user = UserFactory()
    for issue in IssueFactory.create_batch(count):
        services.vote_toggle(user=user, issue=issue)
    client.force_login(user)
    with django_assert_max_num_queries(20):
        assert client.post(reverse("accounts:data_export")).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("accounts:account_delete")).status_code == 200
