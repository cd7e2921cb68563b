"""The whole of a call in Chromium, each person in their own browser: an organiser opens a call
in the back office on a top issue; an innovator drafts, attaches a PDF and submits; the
deadline passes; the organiser assigns the reviewers; a reviewer scores; the organiser
shortlists, releases the email from the outbox, then accepts; a citizen who voted for the issue
sees the news on the issue page and in their notifications."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from calls.models import Call, DecisionEmail, Proposal
from openwall import services as wall_services
from openwall.models import Follow
from tests.e2e.conftest import LAPTOP
from tests.e2e.test_openwall import _sign_in
from tests.e2e.test_organisers import _sign_in_with_a_code
from tests.factories import IssueFactory, MembershipFactory, OrganisationFactory, UserFactory, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _person(browser):
    context = browser.new_context(viewport=LAPTOP, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def _admin_action(page, live_server, changelist, pks, action):
    page.goto(f"{live_server.url}{changelist}")
    for pk in pks:
        page.locator(f'input[name="_selected_action"][value="{pk}"]').check()
    page.locator('select[name="action"]').select_option(action)
    page.get_by_role("button", name="Go").click()


def test_a_call_from_opening_to_an_accepted_project(browser, page, live_server, city, organiser, screenshot, tmp_path):
    issue = IssueFactory(title="Dark canal path")
    citizen = UserFactory(display_name="Citizen", email="citizen@example.org")
    wall_services.vote_toggle(user=citizen, issue=issue)
    assert Follow.objects.filter(user=citizen, issue=issue).exists()  # a vote follows the issue
    lab = OrganisationFactory(name="Lamp lab")
    innovator = UserFactory(display_name="Amina", email="amina@example.org")
    MembershipFactory(organisation=lab, user=innovator, role="admin")
    reviewer = UserFactory(display_name="Rev", email="rev@example.org")
    reviewer.groups.add(Group.objects.get_or_create(name="Reviewers")[0])
    plan = tmp_path / "plan.pdf"
    plan.write_bytes(pdf_bytes())

    # The organiser writes the call in the back office and opens it.
    _sign_in_with_a_code(page, live_server, organiser.email)
    page.goto(f"{live_server.url}/admin/calls/call/add/")
    page.get_by_label("Title").fill("Light for the canal")
    page.get_by_label("Description").fill("Projects that light the canal path.")
    page.locator(".field-issues .select2-selection").click()
    page.locator(".select2-search__field").fill("Dark canal")
    page.locator(".select2-results__option", has_text="Dark canal path").click()
    today = timezone.localdate()
    page.locator("#id_opens_at_0").fill(f"{today - timedelta(days=1):%Y-%m-%d}")
    page.locator("#id_opens_at_1").fill("09:00:00")
    page.locator("#id_closes_at_0").fill(f"{today + timedelta(days=20):%Y-%m-%d}")
    page.locator("#id_closes_at_1").fill("17:00:00")
    page.locator("#id_reviews_per_proposal").fill("1")
    page.locator("#id_criteria-0-name").fill("Answers the issue")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("was added successfully").wait_for()
    call = Call.objects.get()
    _admin_action(page, live_server, "/admin/calls/call/", [call.pk], "open_calls")
    page.get_by_text("1 call opened.").wait_for()

    # The innovator answers it.
    innovator_page = _person(browser)
    _sign_in(innovator_page, live_server, innovator.email)
    innovator_page.goto(f"{live_server.url}{call.get_absolute_url()}")
    innovator_page.get_by_role("link", name="Write a proposal").click()
    innovator_page.get_by_label("Title of your project").fill("Lamps neighbours repair")
    innovator_page.get_by_role("button", name="Start the draft").click()
    innovator_page.get_by_label("Summary").fill("Neighbours repair the lamps with the city.")
    innovator_page.get_by_text("Draft saved at").wait_for()
    innovator_page.get_by_label("PDF file").set_input_files(str(plan))
    innovator_page.get_by_role("button", name="Attach the file").click()
    innovator_page.get_by_text("“plan.pdf” is attached.").wait_for()
    innovator_page.get_by_label("Description").fill("Six workshops along the canal.")
    innovator_page.get_by_label("Dark canal path").check()
    innovator_page.get_by_label("Team").fill("Amina, electrician")
    innovator_page.get_by_label("Budget requested (€)").fill("9000")
    innovator_page.get_by_role("button", name="Submit the proposal").click()
    innovator_page.get_by_text("Version 1 is submitted.").wait_for()
    proposal = Proposal.objects.get()

    # The deadline passes; the organiser makes the Reviewers group the call's and assigns.
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    _admin_action(page, live_server, "/admin/calls/call/", [call.pk], "add_reviewers_group")
    page.get_by_text("1 reviewer added.").wait_for()
    _admin_action(page, live_server, "/admin/calls/call/", [call.pk], "assign_reviewers")
    page.get_by_text("Load per reviewer").wait_for()
    screenshot(page, "call-assignment-preview")
    page.get_by_role("button", name="Apply this assignment").click()
    page.get_by_text("1 review assigned.").wait_for()

    # The reviewer scores it.
    reviewer_page = _person(browser)
    _sign_in(reviewer_page, live_server, reviewer.email)
    reviewer_page.goto(f"{live_server.url}/calls/reviews/")
    reviewer_page.get_by_role("link", name="Lamps neighbours repair").click()
    reviewer_page.locator("fieldset.score-field").get_by_label("4", exact=True).check()
    reviewer_page.get_by_label("Accept", exact=True).check()
    screenshot(reviewer_page, "call-review")
    reviewer_page.get_by_role("button", name="Submit and go to the next").click()
    reviewer_page.get_by_text("Review submitted. Thank you.").wait_for()

    # The organiser shortlists, reads the email in the outbox and releases it; then accepts.
    _admin_action(page, live_server, "/admin/calls/proposal/", [proposal.pk], "stage_shortlist")
    _admin_action(page, live_server, "/admin/calls/call/", [call.pk], "apply_decisions")
    page.get_by_text("Read the emails in the outbox, then release them.").wait_for()
    page.goto(f"{live_server.url}/admin/calls/decisionemail/")
    page.get_by_role("link", name="Shortlisted: Lamps neighbours repair").click()
    page.get_by_label("Text").fill("Dear Amina, you are shortlisted. We call you on Monday.")
    page.get_by_role("button", name="Save", exact=True).click()
    email = DecisionEmail.objects.get()
    _admin_action(page, live_server, "/admin/calls/decisionemail/", [email.pk], "release")
    page.get_by_text("1 email released.").wait_for()
    sent = [m for m in mail.outbox if m.to == [innovator.email] and m.subject.startswith("Shortlisted")]
    assert [m.body for m in sent] == ["Dear Amina, you are shortlisted. We call you on Monday."]
    _admin_action(page, live_server, "/admin/calls/proposal/", [proposal.pk], "stage_accept")
    _admin_action(page, live_server, "/admin/calls/call/", [call.pk], "apply_decisions")
    page.get_by_text("Read the emails in the outbox, then release them.").wait_for()

    # The citizen who voted hears of it.
    citizen_page = _person(browser)
    _sign_in(citizen_page, live_server, citizen.email)
    citizen_page.goto(f"{live_server.url}{issue.get_absolute_url()}")
    citizen_page.get_by_text("A project is accepted for it: Lamps neighbours repair, by Lamp lab.").wait_for()
    screenshot(citizen_page, "call-issue-news")
    citizen_page.goto(f"{live_server.url}/notifications/")
    citizen_page.get_by_text(
        "A project is accepted for “Dark canal path”: Lamps neighbours repair, by Lamp lab."
    ).wait_for()
    citizen_page.goto(f"{live_server.url}{call.get_absolute_url()}")
    citizen_page.get_by_role("heading", name="Accepted projects").wait_for()
    screenshot(citizen_page, "call-decided")
    for other in (innovator_page, reviewer_page, citizen_page):
        other.context.close()
