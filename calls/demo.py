"""Demo calls for `seed_demo`, from the city pack's demo content (section "calls"): each is
opened through the service, on the top issues of the wall, so that their stories show it."""

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from civicnet.accounts.models import Organisation
from civicnet.city.demo import demo_content
from openwall.models import Issue

from . import services
from .models import Call, CallQuestion, CallReviewer, DecisionEmail, Review, ReviewCriterion


def seed(*, users, stdout):
    content = demo_content("calls").get("calls", [])
    if Call.objects.exists() or not content:
        stdout.write("Calls: nothing to add.")
        return
    top = list(Issue.objects.public().ranked()[:3])
    if not top:
        stdout.write("Calls: no issue to answer, no demo call.")
        return
    now, organiser = timezone.now(), users["organiser"]
    for data in content:
        # A past call is opened and answered as if it were today, then its closing date is put
        # back where the pack says: its proposals, reviews and decisions came through the services.
        past = data["closes_in_days"] < 0
        call = Call.objects.create(
            title=data["title"],
            description=data["description"],
            opens_at=now + timedelta(days=data["opens_in_days"]),
            closes_at=now + timedelta(days=1 if past else data["closes_in_days"]),
            reviews_per_proposal=data.get("reviews_per_proposal", 3),
            eligibility=data.get("eligibility", ""),
            rewards=data.get("rewards", []),
            rewards_detail=data.get("rewards_detail", ""),
            proposals_per_organisation=data.get("proposals_per_organisation"),
            created_by=organiser,
        )
        call.issues.set(top[: data.get("issues", 3)])
        for order, criterion in enumerate(data["criteria"]):
            ReviewCriterion.objects.create(
                call=call,
                name=criterion["name"],
                description=criterion.get("description", ""),
                weight=criterion.get("weight", 1),
                order=order,
            )
        questions = [
            CallQuestion.objects.create(
                call=call,
                order=order,
                text=question["text"],
                help_text=question.get("help_text", ""),
                kind=question["kind"],
                required=question.get("required", True),
                max_length=question.get("max_length"),
                visibility=question.get("visibility", CallQuestion.Visibility.REVIEWERS),
                choices="\n".join(question.get("choices", [])),
            )
            for order, question in enumerate(data.get("questions", []))
        ]
        services.call_open(call=call, by=organiser)
        if call.is_taking_proposals:
            proposals = _proposals(call, questions, data.get("proposals", []), users["innovator"])
        if past:
            Call.objects.filter(pk=call.pk).update(closes_at=now + timedelta(days=data["closes_in_days"]))
            call.refresh_from_db()
            _reviews_and_decisions(call, proposals, data["proposals"], users)
    stdout.write(f"Calls: {len(content)} demo calls added.")


def _reviews_and_decisions(call, proposals, content, users):
    """The reviewer and the partner (an outside expert here) review; the organiser decides. The
    reviewer keeps a review to finish where the pack says so; the emails of a decided call are
    released, those of one still in review wait in the outbox."""
    organiser = users["organiser"]
    if not proposals:  # no innovator's lab to answer it: nothing to review
        return
    experts = [users["reviewer"], users["partner"]]
    for expert in experts:
        CallReviewer.objects.create(call=call, user=expert)
    services.assignment_apply(call=call, pairs=services.assignment_propose(call=call)["pairs"], by=organiser)
    criteria = list(call.criteria.all())
    for proposal, data in zip(proposals, content, strict=True):
        for review in Review.objects.filter(proposal=proposal).order_by("reviewer_id"):
            given = data["scores"][experts.index(review.reviewer)]
            pending = data.get("review_pending") and review.reviewer == users["reviewer"]
            services.review_save(
                review=review,
                by=review.reviewer,
                scores={criterion.pk: (score, "") for criterion, score in zip(criteria, given, strict=False)},
                recommendation="" if pending else ("accept" if sum(given) / len(given) >= 4 else "maybe"),
                comment="",
                submit=not pending,
            )
        if data.get("decision"):
            services.decision_stage(proposals=[proposal], decision=data["decision"], by=organiser)
    if any(data.get("decision") for data in content):
        services.decisions_apply(call=call, by=organiser)
        call.refresh_from_db()
        if call.state == Call.State.DECIDED:
            services.decision_emails_release(emails=DecisionEmail.objects.filter(proposal__call=call), by=organiser)


def _proposals(call, questions, content, innovator):
    """The innovator's labs answer the call: drafts and submitted proposals, through the services,
    so that each has its versions and its PDF. Returns them, in the pack's order."""
    labs = list(
        Organisation.objects.filter(kind=Organisation.Kind.CIVIC_INNOVATOR, memberships__user=innovator).order_by(
            "-verified", "name"
        )
    )
    if not labs:
        return []
    made = []
    for data in content:
        lab = labs[data.get("organisation", 0) % len(labs)]
        proposal = services.proposal_create(call=call, organisation=lab, by=innovator, title=data["title"])
        made.append(proposal)
        answered = [q for q in questions if q.kind != CallQuestion.Kind.FILE]
        answers = {str(q.pk): a for q, a in zip(answered, data.get("answers", []), strict=False) if a}
        fields = {
            "summary": data["summary"],
            "description": data["description"],
            "team": data["team"],
            "budget": Decimal(data["budget"]) if data.get("budget") else None,
            "issues": list(call.issues.all()[:1]),
            "answers": answers,
        }
        services.proposal_save(proposal=proposal, by=innovator, data=fields)
        if data.get("attachment"):
            asked = next((q for q in questions if q.kind == CallQuestion.Kind.FILE), None)
            upload = SimpleUploadedFile("plan.pdf", demo_pdf([data["title"], data["attachment"]]), "application/pdf")
            services.proposal_attachment_add(
                proposal=proposal, by=innovator, upload=upload, name="plan.pdf", pages=1, question=asked
            )
        if data.get("state") in ("submitted", "withdrawn"):
            services.proposal_submit(proposal=proposal, by=innovator)
        if data.get("state") == "withdrawn":
            services.proposal_withdraw(proposal=proposal, by=innovator)
    return made


def demo_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a few lines of text (Helvetica, Latin-1): a demo attachment."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
    )

    def escaped(text):
        return text.encode("cp1252", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    commands = (
        b"BT /F1 20 Tf 72 760 Td " + b" ".join(b"(" + escaped(line) + b") Tj 0 -30 Td" for line in lines) + b" ET"
    )
    stream = DecodedStreamObject()
    stream.set_data(commands)
    page.replace_contents(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
