from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from calls import services as call_services
from civicnet.accounts import services as account_services
from civicnet.notifications.services import notify, unsubscribe_url
from openwall import services as wall_services
from openwall.models import Meetup
from tests.factories import (
    CallFactory,
    IssueFactory,
    MembershipFactory,
    OrganisationFactory,
    OrganiserFactory,
    UserFactory,
    pdf_upload,
    proposal_make,
)

PERSONAS = ["anonymous", "citizen", "other_citizen", "innovator", "partner", "reviewer", "organiser"]


@pytest.fixture
def world(city):
    """Seven personas and objects owned by each: what the permission matrix walks over.

    The personas are really different: the citizen runs a neighbourhood house; the other citizen
    belongs to nothing (the outsider); the innovator runs a civic-innovator lab; the partner
    works for a company (and helps at the house); the reviewer is in the Reviewers group; the
    organiser is staff with an authenticator."""
    people = {
        "citizen": UserFactory(display_name="Citizen"),
        "other_citizen": UserFactory(display_name="Other citizen"),
        "innovator": UserFactory(display_name="Innovator"),
        "partner": UserFactory(display_name="Partner"),
        "reviewer": UserFactory(display_name="Reviewer"),
        "organiser": OrganiserFactory(display_name="Organiser"),
    }
    from civicnet.city.models import Circle

    circle = Circle.objects.create(slug="supporting", name_i18n={"fr": "Soutien", "nl": "Steun", "en": "Supporting"})
    house = OrganisationFactory(
        name="Neighbourhood house", slug="house", kind="community", verified=True, circle=circle
    )
    MembershipFactory(organisation=house, user=people["citizen"], role="admin")
    MembershipFactory(organisation=house, user=people["partner"], role="member")
    lab = OrganisationFactory(name="Unverified lab", slug="lab", kind="civic_innovator", verified=False)
    MembershipFactory(organisation=lab, user=people["innovator"], role="admin")
    company = OrganisationFactory(name="Cargo bikes", slug="cargo-bikes", kind="company", verified=True)
    MembershipFactory(organisation=company, user=people["partner"], role="admin")
    people["reviewer"].groups.add(Group.objects.get_or_create(name="Reviewers")[0])
    issue = IssueFactory(author=people["citizen"], title="Citizen's issue")
    comment = wall_services.comment_create(author=people["citizen"], issue=issue, body="Citizen's comment")
    hidden = IssueFactory(author=people["other_citizen"], title="Hidden issue", hidden=True)
    now = timezone.now()
    meetup = Meetup.objects.create(
        title="Meetup",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
        address="Rue Haute 1",
        host=house,
        capacity=50,
    )
    invitation = account_services.invitation_create(
        organisation=house, by=people["citizen"], email=people["other_citizen"].email, role="member"
    )
    notification = notify(
        recipient=people["citizen"], kind="organisation.verified", data={"organisation": "x"}, url="/"
    )
    # The call answers an issue of its own: the citizen's stays open (prioritised, voted...).
    call = CallFactory(issues=[IssueFactory(author=people["other_citizen"], title="Issue in a call")])
    call_services.call_open(call=call, by=people["organiser"])
    draft_call = CallFactory(title="A draft call", issues=[issue])
    # The lab's proposal to the open call: submitted, with a PDF (the lab is not verified yet:
    # innovators may answer before the organisers have checked them).
    proposal = proposal_make(call=call, organisation=lab, by=people["innovator"], title="Lab's proposal")
    attachment = call_services.proposal_attachment_add(
        proposal=proposal, by=people["innovator"], upload=pdf_upload(), name="plan.pdf", pages=1
    )
    call_services.proposal_submit(proposal=proposal, by=people["innovator"])
    # The reviewer has it to review (the call is still open: the page says it cannot be scored yet).
    from calls.models import CallReviewer

    CallReviewer.objects.create(call=call, user=people["reviewer"])
    review = call_services.review_assign(proposal=proposal, reviewer=people["reviewer"], by=people["organiser"])
    return {
        "people": people,
        "house": house,
        "company": company,
        "lab": lab,
        "issue": issue,
        "comment": comment,
        "hidden": hidden,
        "meetup": meetup,
        "invitation": invitation,
        "membership": house.memberships.get(user=people["partner"]),
        "notification": notification,
        "call": call,
        "draft_call": draft_call,
        "proposal": proposal,
        "attachment": attachment,
        "review": review,
        "unsubscribe": unsubscribe_url(user=people["citizen"], kind="notifications.digest").split("/unsubscribe/")[1],
    }
