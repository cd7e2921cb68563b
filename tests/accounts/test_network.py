"""The network page: the pack's circles, the verified organisations in each, what each does."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from civicnet.city.models import Circle
from openwall.models import Meetup
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_circles_come_from_the_pack_in_its_order(city):
    assert list(Circle.objects.values_list("slug", flat=True)) == [
        "core-members",
        "contributing-networks",
        "supporting-communities",
        "stakeholders",
    ]
    assert Circle.objects.get(slug="contributing-networks").name_i18n["nl"] == "Bijdragende netwerken"


def test_the_page_shows_each_circle_its_organisations_and_what_they_do(client, city):
    networks = Circle.objects.get(slug="contributing-networks")
    communities = Circle.objects.get(slug="supporting-communities")
    hackistan = OrganisationFactory(name="Hackistan", kind="community", verified=True, circle=networks)
    OrganisationFactory(name="OuiShare", kind="community", verified=True, circle=networks)
    house = OrganisationFactory(name="Maison de quartier", kind="community", verified=True, circle=communities)
    OrganisationFactory(name="Not verified yet", verified=False, circle=networks)
    OrganisationFactory(name="In no circle", verified=True)
    now = timezone.now()
    for days in (-14, -7, 7):
        start = now + timedelta(days=days)
        Meetup.objects.create(
            title="Open Wall", starts_at=start, ends_at=start + timedelta(hours=2), address="Rue Haute 1", host=house
        )
    hidden = now - timedelta(days=3)
    Meetup.objects.create(
        title="Draft",
        starts_at=hidden,
        ends_at=hidden + timedelta(hours=1),
        address="x",
        host=hackistan,
        published=False,
    )

    page = client.get(reverse("accounts:network")).content.decode()
    sections = page.split('<section class="circle')[1:]
    assert [section.split("</h2>")[0].split(">", 2)[2].split(" <span")[0] for section in sections] == [
        "Core members",
        "Contributing networks",
        "Supporting communities",
        "Public and private stakeholders",
    ]
    core, contributing, supporting, _stakeholders = sections
    assert "No organisation in this circle yet." in core
    assert "2 organisations" in contributing and "Hackistan" in contributing and "OuiShare" in contributing
    assert "Nothing on the platform yet." in contributing  # a draft meetup is not something done
    assert "Not verified yet" not in page and "In no circle" not in page
    assert "Hosted 2 Open Wall meetups" in supporting and "1 meetup coming" in supporting


def test_a_city_without_circles_says_so(client, city):
    Circle.objects.all().delete()
    assert "not set up for this city yet" in client.get(reverse("accounts:network")).content.decode()


def test_the_page_speaks_the_readers_language(client, city):
    OrganisationFactory(name="MakeSense", verified=True, circle=Circle.objects.get(slug="contributing-networks"))
    page = client.get(reverse("accounts:network"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Bijdragende netwerken" in page and "Het netwerk" in page
