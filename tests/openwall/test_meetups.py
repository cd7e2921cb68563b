from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from civicnet.city.models import Topic
from openwall import services
from openwall.models import Issue, Meetup, MeetupRegistration, OfflineTally
from tests.factories import IssueFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetup(city):
    host = OrganisationFactory(name="Maison de quartier")
    start = timezone.now() + timedelta(days=3)
    meetup = Meetup.objects.create(
        title="Open Wall, Marolles",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        address="Rue Haute 1, Bruxelles",
        host=host,
        capacity=2,
        description="Bring your neighbours; coffee, too.",
    )
    meetup.topics.set(Topic.objects.filter(slug__in=["urbanism", "culture"]))
    return meetup


@pytest.fixture
def facilitator(meetup):
    user = UserFactory(display_name="Fatima")
    MembershipFactory(organisation=meetup.host, user=user)
    return user


def test_rsvp_respects_capacity_and_can_be_cancelled(client, meetup):
    people = UserFactory.create_batch(3)
    url = reverse("openwall:meetup_rsvp", args=[meetup.pk])
    for person in people[:2]:
        client.force_login(person)
        client.post(url)
    client.force_login(people[2])
    response = client.post(url, follow=True)
    assert "This meetup is full." in response.content.decode()
    assert MeetupRegistration.objects.count() == 2
    client.force_login(people[0])
    client.post(url)  # cancels
    client.force_login(people[2])
    client.post(url)
    assert set(MeetupRegistration.objects.values_list("user_id", flat=True)) == {people[1].pk, people[2].pk}


def test_past_meetup_takes_no_registration(client, meetup, citizen):
    Meetup.objects.filter(pk=meetup.pk).update(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=2, hours=-2)
    )
    client.force_login(citizen)
    response = client.post(reverse("openwall:meetup_rsvp", args=[meetup.pk]), follow=True)
    assert "This meetup is over." in response.content.decode()
    assert not MeetupRegistration.objects.exists()


def test_ics_file(client, meetup):
    response = client.get(reverse("openwall:meetup_ics", args=[meetup.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert "SUMMARY:Open Wall\\, Marolles\r\n" in body
    assert "DESCRIPTION:Bring your neighbours\\; coffee\\, too.\r\n" in body
    assert f"DTSTART:{meetup.starts_at.astimezone(UTC):%Y%m%dT%H%M%SZ}\r\n" in body
    assert body.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))  # folded, as RFC 5545 asks


def test_ics_file_folds_long_lines(client, meetup):
    Meetup.objects.filter(pk=meetup.pk).update(description="Bring your neighbours and their ideas. " * 8)
    body = client.get(reverse("openwall:meetup_ics", args=[meetup.pk])).content.decode()
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    unfolded = body.replace("\r\n ", "")
    assert "DESCRIPTION:" + "Bring your neighbours and their ideas. " * 7 in unfolded


def _happening_now(meetup):
    now = timezone.now()
    Meetup.objects.filter(pk=meetup.pk).update(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1))
    meetup.refresh_from_db()


def test_facilitator_records_an_issue_with_paper_votes(client, meetup, facilitator):
    _happening_now(meetup)
    Meetup.objects.filter(pk=meetup.pk).update(capacity=40)
    client.force_login(facilitator)
    response = client.post(
        reverse("openwall:meetup_record_issue", args=[meetup.pk]),
        {
            "issue-title": "No benches on Place du Jeu de Balle",
            "issue-description": "Older neighbours have nowhere to sit during the market.",
            "issue-topic": Topic.objects.get(slug="urbanism").pk,
            "issue-district": "",
            "issue-paper_votes": "12",
            "issue-website_url": "",
        },
    )
    assert response.status_code == 302
    issue = Issue.objects.get()
    assert issue.meetup == meetup
    assert (issue.vote_count, issue.offline_vote_count) == (0, 12)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "12 votes at “Open Wall, Marolles”" in page
    assert "Raised by participants of a meetup" in page


def test_tally_replaces_rather_than_adds_and_sums_meetups(client, meetup, facilitator, city):
    _happening_now(meetup)
    Meetup.objects.filter(pk=meetup.pk).update(capacity=None)
    issue = IssueFactory()
    other = Meetup.objects.create(
        title="Jette", starts_at=meetup.starts_at, ends_at=meetup.ends_at, address="x", host=meetup.host
    )
    services.tally_set(facilitator=facilitator, meetup=other, issue=issue, votes=5)
    client.force_login(facilitator)
    url = reverse("openwall:meetup_tally", args=[meetup.pk])
    client.post(url, {"tally-issue": issue.pk, "tally-votes": 10})
    client.post(url, {"tally-issue": issue.pk, "tally-votes": 8})  # a recount
    issue.refresh_from_db()
    assert issue.offline_vote_count == 13
    assert OfflineTally.objects.get(meetup=meetup, issue=issue).votes == 8
    response = client.post(url, {"tally-issue": 999999, "tally-votes": 3})
    assert response.status_code == 400
    assert "There is no public issue with this number." in response.content.decode()


def test_outsiders_cannot_facilitate(client, meetup, outsider):
    client.force_login(outsider)
    tally = client.post(reverse("openwall:meetup_tally", args=[meetup.pk]), {"tally-issue": 1, "tally-votes": 9})
    assert tally.status_code == 403
    assert client.get(reverse("openwall:meetup_record_issue", args=[meetup.pk])).status_code == 403
    assert "For facilitators" not in client.get(meetup.get_absolute_url()).content.decode()


def test_unpublished_meetup_is_404(client, meetup, citizen):
    Meetup.objects.filter(pk=meetup.pk).update(published=False)
    client.force_login(citizen)
    assert client.get(meetup.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("count", [1, 30])
def test_meetup_pages_query_budget(client, meetup, facilitator, organiser, django_assert_max_num_queries, count):
    for n in range(count):
        Meetup.objects.create(
            title=f"Meetup {n}",
            starts_at=meetup.starts_at + timedelta(days=n),
            ends_at=meetup.ends_at + timedelta(days=n),
            address="x",
            host=meetup.host,
        )
        services.tally_set(facilitator=organiser, meetup=meetup, issue=IssueFactory(), votes=n + 1)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("openwall:meetup_list"))
    assert len(response.context["upcoming"]) == count + 1
    client.force_login(facilitator)
    with django_assert_max_num_queries(16):
        response = client.get(meetup.get_absolute_url())
    assert len(response.context["tallies"]) == count


def test_facilitators_count_only_around_the_meetup_and_within_the_room(client, meetup, facilitator, organiser):
    issue = IssueFactory()
    url = reverse("openwall:meetup_tally", args=[meetup.pk])
    client.force_login(facilitator)
    response = client.post(url, {"tally-issue": issue.pk, "tally-votes": 2})  # three days early
    assert "during the meetup or in the week after it" in response.content.decode()
    _happening_now(meetup)
    response = client.post(url, {"tally-issue": issue.pk, "tally-votes": 3})  # capacity is 2
    assert "At most 2 paper votes" in response.content.decode()
    assert not OfflineTally.objects.exists()
    client.post(url, {"tally-issue": issue.pk, "tally-votes": 2})
    assert Issue.objects.get(pk=issue.pk).offline_vote_count == 2
    step = issue.story_steps.get(kind="paper_votes")
    assert (step.actor, step.note) == (facilitator, "2")
    client.force_login(organiser)  # organisers correct counts whenever needed
    client.post(url, {"tally-issue": issue.pk, "tally-votes": 30})
    assert Issue.objects.get(pk=issue.pk).offline_vote_count == 30


def test_unpublished_meetup_stays_out_of_issue_pages(client, meetup, facilitator, citizen):
    _happening_now(meetup)
    issue = IssueFactory()
    services.tally_set(facilitator=facilitator, meetup=meetup, issue=issue, votes=2)
    Meetup.objects.filter(pk=meetup.pk).update(published=False)
    client.force_login(citizen)
    assert "Open Wall, Marolles" not in client.get(issue.get_absolute_url()).content.decode()
    for name in ("openwall:meetup_ics", "openwall:meetup_detail"):
        assert client.get(reverse(name, args=[meetup.pk])).status_code == 404
    assert client.post(reverse("openwall:meetup_rsvp", args=[meetup.pk])).status_code == 404


def _took_place(meetup):
    now = timezone.now()
    ended = now - timedelta(days=2)
    Meetup.objects.filter(pk=meetup.pk).update(starts_at=ended - timedelta(hours=2), ends_at=ended)
    meetup.refresh_from_db()


def test_a_past_meetup_says_it_took_place_and_offers_no_registration_or_calendar(client, meetup, citizen):
    MeetupRegistration.objects.create(meetup=meetup, user=citizen)
    _took_place(meetup)
    raised = IssueFactory(title="Benches for the square")
    Issue.objects.filter(pk=raised.pk).update(meetup=meetup)
    client.force_login(UserFactory())
    page = client.get(meetup.get_absolute_url()).content.decode()
    assert f"This meetup took place on {meetup.starts_at:%A} " in page
    assert "Not counted · 1 had registered" in page
    assert "Benches for the square" in page
    assert "Issues raised and voted there" in page
    assert "I will come" not in page
    assert ".ics" not in page


def test_a_facilitator_records_attendance_once_the_meetup_started(client, meetup, facilitator):
    url = reverse("openwall:meetup_attendance", args=[meetup.pk])
    client.force_login(facilitator)
    early = client.post(url, {"attendance-attendance": 20})
    assert early.status_code == 400
    assert "Count the people who came once the meetup has started." in early.content.decode()
    assert "How many people came?" not in client.get(meetup.get_absolute_url()).content.decode()
    _took_place(meetup)
    assert client.post(url, {"attendance-attendance": -3}).status_code == 400
    assert client.post(url, {"attendance-attendance": 23}).status_code == 302
    meetup.refresh_from_db()
    assert meetup.attendance == 23
    client.logout()
    page = client.get(meetup.get_absolute_url()).content.decode()
    assert "23 people came." in page


def test_a_facilitator_finds_the_issue_by_its_title_to_enter_paper_votes(client, meetup, facilitator):
    _happening_now(meetup)
    bins = IssueFactory(title="Overflowing bins on Place du Jeu de Balle")
    IssueFactory(title="Dark streets in Marolles")
    hidden = IssueFactory(title="Bins that moderators hid", hidden=True)
    client.force_login(facilitator)
    pick = client.get(reverse("openwall:meetup_issue_pick", args=[meetup.pk]), {"tally-search": "bins"})
    choices = pick.content.decode()
    assert f'value="{bins.pk}"' in choices
    assert "Overflowing bins on Place du Jeu de Balle" in choices
    assert "Dark streets" not in choices
    assert f'value="{hidden.pk}"' not in choices
    # Without JavaScript the search is a plain form that reloads the page with the choices.
    page = client.get(meetup.get_absolute_url(), {"tally-search": "bins"}).content.decode()
    assert f'name="tally-issue" value="{bins.pk}" checked' in page  # the only match is chosen already
    nothing = client.get(reverse("openwall:meetup_issue_pick", args=[meetup.pk]), {"tally-search": "zzzz"})
    assert "No issue matches “zzzz”" in nothing.content.decode()
    tally = reverse("openwall:meetup_tally", args=[meetup.pk])
    unchosen = client.post(tally, {"tally-search": "bins", "tally-votes": 2})
    body = unchosen.content.decode()
    assert "Search for the issue, then choose it in the list." in body
    assert f'value="{bins.pk}"' in body  # the choices are still there, nothing to type again
    client.post(reverse("openwall:meetup_tally", args=[meetup.pk]), {"tally-issue": bins.pk, "tally-votes": 2})
    bins.refresh_from_db()
    assert bins.offline_vote_count == 2


def test_outsiders_cannot_search_through_the_picker(client, meetup, outsider):
    client.force_login(outsider)
    response = client.get(reverse("openwall:meetup_issue_pick", args=[meetup.pk]), {"tally-search": "bins"})
    assert response.status_code == 403
