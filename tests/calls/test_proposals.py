"""Proposals: a civic innovator's team writes, submits, changes and withdraws one until the
deadline; its PDFs are private; nobody outside the team (and the organisers) reads it."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from calls import services
from calls.models import Call, CallQuestion, Proposal, ProposalAttachment
from civicnet.notifications.models import OutgoingEmail
from tests.factories import (
    PROPOSAL_TEXT,
    CallFactory,
    IssueFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    pdf_bytes,
    pdf_upload,
    proposal_make,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(city, organiser):
    issue = IssueFactory(title="Dark canal path")
    call = CallFactory(title="Light for the canal", issues=[issue])
    services.call_open(call=call, by=organiser)
    return call


@pytest.fixture
def lab(db):
    return OrganisationFactory(name="Lamp lab", verified=False)


@pytest.fixture
def amina(lab):
    user = UserFactory(display_name="Amina", email="amina@example.org")
    MembershipFactory(organisation=lab, user=user, role="admin")
    return user


@pytest.fixture
def rival(db):
    """A member of another civic innovator: the outsider who has the addresses."""
    other = OrganisationFactory(name="Rival lab")
    user = UserFactory(display_name="Rival")
    MembershipFactory(organisation=other, user=user)
    return user


def _form(call, **changes):
    return {**PROPOSAL_TEXT, "issues": [call.issues.get().pk], **changes}


def _closes(call, when):
    Call.objects.filter(pk=call.pk).update(closes_at=when)
    call.refresh_from_db()


def test_an_innovator_starts_writes_and_submits_a_proposal(
    client, call, lab, amina, django_capture_on_commit_callbacks
):
    question = CallQuestion.objects.create(call=call, text="Which streets?", kind="short")
    client.force_login(amina)
    page = client.get(reverse("calls:proposal_create", args=[call.pk])).content.decode()
    assert "Lamp lab" in page
    response = client.post(
        reverse("calls:proposal_create", args=[call.pk]), {"organisation": lab.pk, "title": "Lamps we repair"}
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == reverse("calls:proposal_edit", args=[proposal.pk])
    assert (proposal.state, proposal.organisation, proposal.created_by) == ("draft", lab, amina)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("calls:proposal_edit", args=[proposal.pk]),
            _form(call, **{"action": "submit", f"q{question.pk}": "Quai de Mariemont"}),
        )
    assert response["Location"] == proposal.get_absolute_url()
    proposal.refresh_from_db()
    assert (proposal.state, proposal.budget, proposal.answers) == (
        "submitted",
        Decimal("12000.00"),
        {str(question.pk): "Quai de Mariemont"},
    )
    assert list(proposal.issues.all()) == list(call.issues.all())
    version = proposal.versions.get()
    assert (version.number, version.submitted_by, version.content["title"]) == (
        1,
        amina,
        "Lamps that neighbours repair",
    )
    # The confirmation carries a copy of the answers, and is kept sealed until it is sent.
    [message] = mail.outbox
    assert message.to == ["amina@example.org"]
    assert message.subject == "Proposal submitted: Lamps that neighbours repair"
    assert "Which streets?\nQuai de Mariemont" in message.body
    assert "Amina, electrician\nBram, coordinator" in message.body
    assert OutgoingEmail.objects.get().body_text == ""


def test_a_submission_needs_every_required_answer_and_says_which(client, call, lab, amina):
    text = CallQuestion.objects.create(call=call, text="Which streets?", kind="short")
    CallQuestion.objects.create(call=call, text="Optional link", kind="url", required=False)
    plan = CallQuestion.objects.create(call=call, text="Your plan", kind="file")
    proposal = proposal_make(call=call, organisation=lab, by=amina)
    client.force_login(amina)
    url = reverse("calls:proposal_edit", args=[proposal.pk])
    response = client.post(url, _form(call, action="submit", summary="", **{f"q{text.pk}": ""}))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="errorlist') == 2  # the summary and the question, each under its field
    assert 'value="Lamps that neighbours repair"' in page  # what was typed is kept
    # The form passes; the file the call asks for is not there: the service says so.
    response = client.post(url, _form(call, action="submit", **{f"q{text.pk}": "Quai"}))
    assert "“Your plan” needs an answer." in response.content.decode()
    proposal.refresh_from_db()
    assert (proposal.state, proposal.versions.count()) == ("draft", 0)
    services.proposal_attachment_add(
        proposal=proposal, by=amina, upload=pdf_upload(), name="plan.pdf", pages=1, question=plan
    )
    assert client.post(url, _form(call, action="submit", **{f"q{text.pk}": "Quai"})).status_code == 302
    assert Proposal.objects.get().state == "submitted"


def test_the_service_refuses_an_incomplete_submission_whatever_the_form(call, lab, amina):
    proposal = proposal_make(call=call, organisation=lab, by=amina, description="")
    with pytest.raises(ValidationError) as excinfo:
        services.proposal_submit(proposal=proposal, by=amina)
    assert excinfo.value.messages == ["Description is empty."]


def test_a_draft_saves_itself_as_the_team_types(client, call, lab, amina):
    proposal = proposal_make(call=call, organisation=lab, by=amina, summary="")
    client.force_login(amina)
    url = reverse("calls:proposal_autosave", args=[proposal.pk])
    response = client.post(url, _form(call, summary="Half a sentence"), headers={"HX-Request": "true"})
    assert "Draft saved at" in response.content.decode()
    proposal.refresh_from_db()
    assert (proposal.summary, proposal.state) == ("Half a sentence", "draft")
    response = client.post(url, _form(call, summary="<script>alert(1)</script>"), headers={"HX-Request": "true"})
    assert "Not saved: a field needs correcting." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.summary == "Half a sentence"


def test_a_submitted_proposal_changes_only_by_a_new_submission_and_versions_compare(client, call, lab, amina):
    proposal = proposal_make(call=call, organisation=lab, by=amina, submit=True)
    client.force_login(amina)
    autosave = client.post(reverse("calls:proposal_autosave", args=[proposal.pk]), _form(call, summary="Sneaky"))
    assert "Not saved automatically" in autosave.content.decode()
    # "save" on a submitted proposal is a submission: complete, and a new version.
    client.post(
        reverse("calls:proposal_edit", args=[proposal.pk]),
        _form(call, action="save", description="Eight workshops, spare parts from the city."),
    )
    proposal.refresh_from_db()
    assert [v.number for v in proposal.versions.all()] == [1, 2]
    assert proposal.summary == PROPOSAL_TEXT["summary"]
    page = client.get(reverse("calls:proposal_versions", args=[proposal.pk])).content.decode()
    assert (
        "<dd><del>Six</del><ins>Eight</ins> workshops, spare parts from the "
        "<del>city, a map of the lamps that are out.</del><ins>city.</ins></dd>"
    ) in page
    assert "<dt>Summary</dt>" in page  # unchanged: no mark
    first = client.get(reverse("calls:proposal_versions", args=[proposal.pk]) + "?a=1&b=1").content.decode()
    assert "<del>" not in first and "<ins>" not in first


def test_after_the_deadline_nothing_is_submitted_or_changed_whatever_is_sent(client, call, lab, amina):
    draft = proposal_make(call=call, organisation=lab, by=amina, title="Draft")
    submitted = proposal_make(call=call, organisation=lab, by=amina, submit=True, title="Sent")
    attachment = services.proposal_attachment_add(
        proposal=submitted, by=amina, upload=pdf_upload(), name="a.pdf", pages=1
    )
    _closes(call, timezone.now() - timedelta(minutes=1))
    client.force_login(amina)
    posts = [
        (reverse("calls:proposal_edit", args=[draft.pk]), _form(call, action="submit")),
        (reverse("calls:proposal_edit", args=[submitted.pk]), _form(call, action="submit", title="Late")),
        (reverse("calls:proposal_autosave", args=[draft.pk]), _form(call, title="Late")),
        (reverse("calls:proposal_withdraw", args=[submitted.pk]), {}),
        (reverse("calls:attachment_add", args=[submitted.pk]), {"file": pdf_upload()}),
        (reverse("calls:attachment_remove", args=[submitted.pk, attachment.pk]), {}),
        (reverse("calls:proposal_create", args=[call.pk]), {"organisation": lab.pk, "title": "Late one"}),
    ]
    for url, data in posts:
        response = client.post(url, data, follow=True)
        assert response.status_code == 200, url
    assert sorted(Proposal.objects.values_list("title", "state")) == [("Draft", "draft"), ("Sent", "submitted")]
    assert submitted.versions.count() == 2 and ProposalAttachment.objects.count() == 1
    # And the services themselves, for whatever calls them without a form.
    for action in (
        lambda: services.proposal_submit(proposal=draft, by=amina),
        lambda: services.proposal_save(proposal=draft, by=amina, data={"title": "x"}),
        lambda: services.proposal_withdraw(proposal=submitted, by=amina),
        lambda: services.proposal_create(call=call, organisation=lab, by=amina, title="x"),
    ):
        with pytest.raises(ValidationError) as excinfo:
            action()
        assert "proposals can no longer be submitted or changed" in excinfo.value.messages[0]


def test_another_organisation_cannot_read_or_change_a_draft_a_submission_or_a_file(client, call, lab, amina, rival):
    draft = proposal_make(call=call, organisation=lab, by=amina)
    submitted = proposal_make(call=call, organisation=lab, by=amina, submit=True, title="Sent")
    attachment = services.proposal_attachment_add(
        proposal=submitted, by=amina, upload=pdf_upload(), name="a.pdf", pages=1
    )
    client.force_login(rival)
    for proposal in (draft, submitted):
        for name in ("calls:proposal_detail", "calls:proposal_edit", "calls:proposal_versions"):
            assert client.get(reverse(name, args=[proposal.pk])).status_code == 404, name
        for name in (
            "calls:proposal_edit",
            "calls:proposal_autosave",
            "calls:proposal_withdraw",
            "calls:attachment_add",
        ):
            assert client.post(reverse(name, args=[proposal.pk]), _form(call, title="Mine now")).status_code == 404
    assert client.get(attachment.get_absolute_url()).status_code == 404
    assert client.post(reverse("calls:attachment_remove", args=[submitted.pk, attachment.pk])).status_code == 404
    assert "Sent" not in client.get(reverse("calls:proposal_list")).content.decode()
    assert sorted(Proposal.objects.values_list("title", "state")) == [("A project", "draft"), ("Sent", "submitted")]
    # Nor by starting a proposal on its behalf.
    response = client.post(reverse("calls:proposal_create", args=[call.pk]), {"organisation": lab.pk, "title": "x"})
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(ValidationError):
        services.proposal_save(proposal=draft, by=rival, data={"title": "Mine now"})


def test_a_citizen_reads_only_the_public_parts_of_an_accepted_proposal(client, call, lab, amina, citizen):
    public = CallQuestion.objects.create(call=call, text="What will neighbours see?", kind="short", visibility="public")
    private = CallQuestion.objects.create(call=call, text="Your margins?", kind="short")
    proposal = proposal_make(
        call=call,
        organisation=lab,
        by=amina,
        submit=True,
        answers={str(public.pk): "Lit paths", str(private.pk): "12 %"},
    )
    attachment = services.proposal_attachment_add(
        proposal=proposal, by=amina, upload=pdf_upload(), name="a.pdf", pages=1
    )
    client.force_login(citizen)
    assert client.get(proposal.get_absolute_url()).status_code == 404  # not accepted yet
    Proposal.objects.filter(pk=proposal.pk).update(state=Proposal.State.ACCEPTED)
    Call.objects.filter(pk=call.pk).update(state=Call.State.DECIDED)
    for who in (citizen, None):
        client.logout()
        if who:
            client.force_login(who)
        page = client.get(proposal.get_absolute_url()).content.decode()
        assert "Neighbours learn to repair" in page and "Lit paths" in page and "Lamp lab" in page
        for secret in ("Six workshops", "Amina, electrician", "12 %", "Your margins?", "12,000", "a.pdf"):
            assert secret not in page, secret
    client.force_login(citizen)
    assert client.get(attachment.get_absolute_url()).status_code == 404
    assert client.get(reverse("calls:proposal_versions", args=[proposal.pk])).status_code == 404


def test_an_attachment_is_private_and_served_as_a_download(client, call, lab, amina, organiser, settings):
    proposal = proposal_make(call=call, organisation=lab, by=amina)
    client.force_login(amina)
    content = pdf_bytes(pages=2)
    response = client.post(
        reverse("calls:attachment_add", args=[proposal.pk]),
        {"file": SimpleUploadedFile("Plan financier (v2).pdf", content, "application/pdf")},
    )
    assert response.status_code == 302
    attachment = ProposalAttachment.objects.get()
    assert (attachment.name, attachment.pages, attachment.size) == ("Plan_financier_v2.pdf", 2, len(content))
    assert attachment.file.path.startswith(str(settings.PRIVATE_ROOT))
    assert not attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        _ = attachment.file.url  # a private file has no public address
    for who in (amina, organiser):
        client.force_login(who)
        response = client.get(attachment.get_absolute_url())
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="Plan_financier_v2.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "#123456").save(buffer, "PNG")
    return buffer.getvalue()


def _encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _scripted_pdf(where="document") -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    if where == "document":
        writer.add_open_action(JavaScript("app.alert('hello');"))
    elif where == "page":  # run when the page opens, not the document
        script = {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
        page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): DictionaryObject(script)})
    else:  # a program started on opening
        launch = {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
        writer.root_object[NameObject("/OpenAction")] = DictionaryObject(launch)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "payload", "message"),
    [
        ("photo.pdf", _png(), "This file is not a PDF."),
        ("page.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "This file is not a PDF."),
        # A web page with a whole PDF after it: a PDF reader opens it, a browser would run it.
        ("polyglot.pdf", b"<html><script>alert(1)</script>" + pdf_bytes(), "This file is not a PDF."),
        ("broken.pdf", pdf_bytes()[:60], "This PDF is damaged: we cannot read it."),
        ("locked.pdf", _encrypted_pdf(), "This PDF is protected by a password"),
        ("scripted.pdf", _scripted_pdf(), "This PDF runs a script or a program"),
        ("page-script.pdf", _scripted_pdf("page"), "This PDF runs a script or a program"),
        ("launch.pdf", _scripted_pdf("launch"), "This PDF runs a script or a program"),
        ("empty.pdf", b"", "The submitted file is empty."),
    ],
    ids=[
        "renamed png",
        "html",
        "html-pdf polyglot",
        "truncated",
        "encrypted",
        "javascript",
        "page script",
        "launch",
        "empty",
    ],
)
def test_a_file_that_is_not_a_plain_pdf_is_refused_and_nothing_is_stored(
    client, call, lab, amina, settings, name, payload, message
):
    proposal = proposal_make(call=call, organisation=lab, by=amina)
    client.force_login(amina)
    stored = set(settings.PRIVATE_ROOT.rglob("*"))
    response = client.post(
        reverse("calls:attachment_add", args=[proposal.pk]),
        {"file": SimpleUploadedFile(name, payload, "application/pdf")},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ProposalAttachment.objects.count() == 0
    assert set(settings.PRIVATE_ROOT.rglob("*")) == stored


def test_a_pdf_over_10_mb_is_refused(client, call, lab, amina):
    proposal = proposal_make(call=call, organisation=lab, by=amina)
    client.force_login(amina)
    big = SimpleUploadedFile("big.pdf", pdf_bytes() + b"%" * (10 * 1024 * 1024), "application/pdf")
    response = client.post(reverse("calls:attachment_add", args=[proposal.pk]), {"file": big})
    assert "the limit is 10.0\xa0MB" in response.content.decode()
    assert ProposalAttachment.objects.count() == 0


def test_adding_or_removing_a_file_of_a_submitted_proposal_is_a_new_version(call, lab, amina):
    proposal = proposal_make(call=call, organisation=lab, by=amina, submit=True)
    attachment = services.proposal_attachment_add(
        proposal=proposal, by=amina, upload=pdf_upload(), name="a.pdf", pages=1
    )
    services.proposal_attachment_remove(attachment=attachment, by=amina)
    contents = [v.content["attachments"] for v in proposal.versions.all()]
    assert [[file["name"] for file in files] for files in contents] == [[], ["a.pdf"], []]


def test_the_cap_per_organisation_counts_all_but_withdrawn_proposals(client, call, lab, amina):
    Call.objects.filter(pk=call.pk).update(proposals_per_organisation=1)
    call.refresh_from_db()
    first = proposal_make(call=call, organisation=lab, by=amina, submit=True)
    client.force_login(amina)
    url = reverse("calls:proposal_create", args=[call.pk])
    response = client.post(url, {"organisation": lab.pk, "title": "A second one"})
    assert "Lamp lab already has 1 proposal in this call, the most it may have." in response.content.decode()
    client.post(reverse("calls:proposal_withdraw", args=[first.pk]))
    first.refresh_from_db()
    assert first.state == "withdrawn"
    assert client.post(url, {"organisation": lab.pk, "title": "A second one"}).status_code == 302
    assert Proposal.objects.count() == 2


def test_only_the_calls_issues_can_be_addressed(client, call, lab, amina):
    proposal = proposal_make(call=call, organisation=lab, by=amina)
    elsewhere = IssueFactory(title="Elsewhere")
    client.force_login(amina)
    response = client.post(
        reverse("calls:proposal_edit", args=[proposal.pk]), _form(call, issues=[elsewhere.pk], action="save")
    )
    assert "Select a valid choice." in response.content.decode()
    assert list(proposal.issues.all()) == list(call.issues.all())


def test_someone_without_an_innovators_organisation_is_told_how_to_get_one(client, call, citizen):
    client.force_login(citizen)
    page = client.get(reverse("calls:proposal_create", args=[call.pk])).content.decode()
    assert "You are not a member of one yet." in page
    assert 'href="/accounts/organisations/new/"' in page or reverse("accounts:organisation_create") in page


def _queries(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
    assert response.status_code < 400, (url, response.status_code)
    return len(queries)


@pytest.mark.parametrize("count", [1, 3])
def test_the_team_pages_cost_the_same_queries_with_1_or_3_of_everything(client, call, lab, amina, count):
    """Proposals in the list, and on one proposal: questions, files and versions."""
    for n in range(count):
        CallQuestion.objects.create(call=call, text=f"Question {n}", kind="short", required=False)
        CallQuestion.objects.create(call=call, text=f"Choice {n}", kind="multiple", choices="A\nB", required=False)
    proposals = [proposal_make(call=call, organisation=lab, by=amina, submit=True, title=f"P{n}") for n in range(count)]
    proposal = proposals[0]
    for n in range(count):
        services.proposal_attachment_add(proposal=proposal, by=amina, upload=pdf_upload(), name=f"{n}.pdf", pages=1)
    client.force_login(amina)
    pages = {
        "list": reverse("calls:proposal_list"),
        "detail": proposal.get_absolute_url(),
        "edit": reverse("calls:proposal_edit", args=[proposal.pk]),
        "versions": reverse("calls:proposal_versions", args=[proposal.pk]),
        "start": reverse("calls:proposal_create", args=[call.pk]),
        "file": proposal.attachments.first().get_absolute_url(),
    }
    for url in pages.values():
        _queries(client, "get", url)  # warm: the session, the city
    got = {name: _queries(client, "get", url) for name, url in pages.items()}
    assert got == {"list": 3, "detail": 10, "edit": 9, "versions": 7, "start": 9, "file": 7}
    draft = proposal_make(call=call, organisation=lab, by=amina, title="Draft")
    writes = {
        "autosave": _queries(client, "post", reverse("calls:proposal_autosave", args=[draft.pk]), _form(call)),
        "resubmit": _queries(client, "post", pages["edit"], _form(call, action="submit")),
        "attach": _queries(client, "post", reverse("calls:attachment_add", args=[proposal.pk]), {"file": pdf_upload()}),
    }
    assert writes == {"autosave": 17, "resubmit": 27, "attach": 16}


def test_a_private_root_inside_the_media_folder_is_refused_at_start(settings, tmp_path):
    from civicnet.uploads import check_private_root

    settings.MEDIA_ROOT, settings.STATIC_ROOT = tmp_path / "media", tmp_path / "static"
    settings.PRIVATE_ROOT = tmp_path / "private"
    assert check_private_root() == []
    settings.PRIVATE_ROOT = tmp_path / "media" / "private"
    assert [error.id for error in check_private_root()] == ["civicnet.E010"]
