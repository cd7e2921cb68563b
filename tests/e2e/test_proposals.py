"""A civic innovator answers a call in Chromium: the draft saves itself as they type (htmx), a
PDF is attached, the proposal is submitted and its copy arrives by email."""

from pathlib import Path

import pytest
from django.core import mail

from calls import services
from calls.models import CallQuestion, Proposal
from tests.e2e.test_openwall import _sign_in
from tests.factories import CallFactory, IssueFactory, MembershipFactory, OrganisationFactory, UserFactory, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_innovator_drafts_attaches_a_pdf_and_submits(page, live_server, city, organiser, screenshot, tmp_path):
    issue = IssueFactory(title="Dark canal path")
    call = CallFactory(title="Light for the canal", issues=[issue])
    CallQuestion.objects.create(
        call=call, text="How far along is the project?", kind="single", choices="An idea\nA prototype"
    )
    services.call_open(call=call, by=organiser)
    lab = OrganisationFactory(name="Lamp lab")
    innovator = UserFactory(display_name="Amina", email="amina@example.org")
    MembershipFactory(organisation=lab, user=innovator, role="admin")
    plan = tmp_path / "plan.pdf"
    plan.write_bytes(pdf_bytes(pages=2))

    _sign_in(page, live_server, innovator.email)
    page.goto(f"{live_server.url}{call.get_absolute_url()}")
    page.get_by_role("link", name="Write a proposal").click()
    page.get_by_label("Title of your project").fill("Lamps neighbours repair")
    page.get_by_role("button", name="Start the draft").click()
    page.get_by_text("Your draft is started.").wait_for()

    # Typing is enough: the draft saves itself, without a button.
    page.get_by_label("Summary").fill("Neighbours repair the lamps with the city.")
    page.get_by_text("Draft saved at").wait_for()
    proposal = Proposal.objects.get()
    assert proposal.summary == "Neighbours repair the lamps with the city."

    page.get_by_label("PDF file").set_input_files(str(plan))
    page.get_by_role("button", name="Attach the file").click()
    page.get_by_text("“plan.pdf” is attached.").wait_for()

    page.get_by_label("Description").fill("Six workshops along the canal.")
    page.get_by_label("Dark canal path").check()
    page.get_by_label("Team").fill("Amina, electrician")
    page.get_by_label("Budget requested (€)").fill("9000")
    page.get_by_role("button", name="Submit the proposal").click()
    # A required question left unanswered: said, and nothing typed is lost.
    page.get_by_text("Please correct the errors below.").wait_for()
    assert page.get_by_label("Team").input_value() == "Amina, electrician"
    page.get_by_label("A prototype").check()
    screenshot(page, "proposal-edit")
    page.get_by_role("button", name="Submit the proposal").click()
    page.get_by_text("Version 1 is submitted.").wait_for()
    screenshot(page, "proposal-submitted")

    proposal.refresh_from_db()
    assert (proposal.state, proposal.versions.count(), proposal.attachments.get().pages) == ("submitted", 1, 2)
    to_amina = [message.subject for message in mail.outbox if message.to == [innovator.email]]
    assert to_amina == ["Proposal submitted: Lamps neighbours repair"]
    with page.expect_download() as download:
        page.get_by_role("link", name="plan.pdf").click()
    assert download.value.suggested_filename == "plan.pdf"
    assert Path(download.value.path()).read_bytes() == plan.read_bytes()
