from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicnet.accounts.models import Organisation
from civicnet.notifications.services import email_send_template
from civicnet.uploads import file_delete_on_commit
from openwall.models import Issue
from openwall.services import issue_story_add

from .models import Call, CallQuestion, Proposal, ProposalAttachment, ProposalVersion, attachment_path

# An issue a call answers moves to "in a call" unless it is already past that.
MOVES_TO_CALL = (Issue.Status.OPEN, Issue.Status.PRIORITISED)


@transaction.atomic
def call_open(*, call: Call, by) -> Call:
    """Open a draft call. Side effects: each issue it answers gets a step in its story (its
    followers are told, after commit) and moves to "in a call" if it was open or prioritised.

    Refused, with a message saying why, unless the call is a draft with at least one issue and
    one criterion and closes in the future.
    """
    locked = Call.objects.select_for_update().get(pk=call.pk)
    problems = []
    if locked.state != Call.State.DRAFT:
        problems.append(
            _("Only a draft call can be opened; this one is %(state)s.") % {"state": locked.get_state_display()}
        )
    if locked.closes_at <= timezone.now():
        problems.append(_("The closing date has passed: move it to the future first."))
    if not locked.issues.public().exists():
        problems.append(_("Link at least one issue of the Open Wall: a call answers what citizens asked for."))
    if not locked.criteria.exists():
        problems.append(_("Add at least one evaluation criterion: proposals are scored on them."))
    if problems:
        raise ValidationError(problems)
    locked.state = Call.State.OPEN
    locked.opened_at = timezone.now()
    locked.save(update_fields=["state", "opened_at", "updated_at"])
    # Only what the public sees: a hidden or merged issue is nobody's call to answer.
    for issue in Issue.objects.public().select_for_update().filter(calls=locked).order_by("pk"):
        old = issue.status
        if old in MOVES_TO_CALL:
            issue.status = Issue.Status.IN_CALL
            issue.save(update_fields=["status", "updated_at"])
        issue_story_add(
            issue=issue,
            kind="calls.opened",
            actor=by,
            target=locked,
            data={"call": locked.title},
            old_status=old if old != issue.status else "",
            new_status=issue.status if old != issue.status else "",
        )
    call.state, call.opened_at = locked.state, locked.opened_at
    return locked


# Proposals ---------------------------------------------------------------------------------------


def _deadline_check(call: Call) -> None:
    if not call.is_taking_proposals:
        if call.state == Call.State.OPEN and call.opens_at > timezone.now():
            raise ValidationError(_("This call does not take proposals yet."), code="not_yet")
        raise ValidationError(
            _("This call closed on %(date)s: proposals can no longer be submitted or changed.")
            % {"date": formats.date_format(timezone.localtime(call.closes_at), "DATETIME_FORMAT")},
            code="closed",
        )


def _locked(proposal: Proposal) -> Proposal:
    """The proposal's row, locked until the transaction ends, with its call read afresh: the
    deadline and the state are checked on what is committed, not on what a view loaded."""
    locked = Proposal.objects.select_for_update(of=("self",)).select_related("call", "organisation").get(pk=proposal.pk)
    _deadline_check(locked.call)
    return locked


def _member_check(proposal: Proposal, by) -> None:
    if proposal.organisation.role_of(by) is None:
        raise ValidationError(
            _("Only the members of %(organisation)s may change this proposal.")
            % {"organisation": proposal.organisation.name},
            code="not_member",
        )


@transaction.atomic
def proposal_create(*, call: Call, organisation: Organisation, by, title: str) -> Proposal:
    """Start a draft for `organisation` (a civic innovator `by` belongs to). Refused after the
    deadline, and beyond the call's cap of proposals per organisation (withdrawn ones do not
    count); the organisation's row is locked while counting, so two drafts started at once
    cannot both pass the cap."""
    locked_org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    call = Call.objects.get(pk=call.pk)
    _deadline_check(call)
    if locked_org.kind != Organisation.Kind.CIVIC_INNOVATOR:
        raise ValidationError(_("Proposals come from civic-innovator organisations."), code="not_innovator")
    if locked_org.role_of(by) is None:
        raise ValidationError(
            _("Only its members may propose on behalf of %(organisation)s.") % {"organisation": locked_org.name},
            code="not_member",
        )
    cap = call.proposals_per_organisation
    if cap is not None and call.proposals.counting().filter(organisation=locked_org).count() >= cap:
        raise ValidationError(
            ngettext(
                "%(organisation)s already has %(cap)s proposal in this call, the most it may have. "
                "Withdraw it to start another.",
                "%(organisation)s already has %(cap)s proposals in this call, the most it may have. "
                "Withdraw one to start another.",
                cap,
            )
            % {"organisation": locked_org.name, "cap": cap},
            code="cap",
        )
    return Proposal.objects.create(call=call, organisation=locked_org, created_by=by, title=title)


PROPOSAL_FIELDS = ("title", "summary", "description", "team", "budget")


def _write(proposal: Proposal, data: dict) -> None:
    for name in PROPOSAL_FIELDS:
        if name in data:
            setattr(proposal, name, data[name])
    if "answers" in data:
        proposal.answers = data["answers"]
    proposal.save()
    if "issues" in data:
        # Only among the call's issues, whatever was sent.
        proposal.issues.set(Issue.objects.public().filter(calls=proposal.call, pk__in=[i.pk for i in data["issues"]]))


@transaction.atomic
def proposal_save(*, proposal: Proposal, by, data: dict) -> Proposal:
    """Save a draft as it is, half-written or not (the form saves it as the team types).

    A submitted proposal changes only by being submitted again (proposal_submit), so that what
    reviewers read is always a submitted version."""
    locked = _locked(proposal)
    _member_check(locked, by)
    if locked.state != Proposal.State.DRAFT:
        raise ValidationError(
            _("This proposal is %(state)s: submit your changes to keep them.") % {"state": locked.get_state_display()},
            code="not_draft",
        )
    _write(locked, data)
    return locked


def proposal_missing(proposal: Proposal) -> list[str]:
    """What a submission still needs, in words: each required field and question left empty."""
    missing = []
    labels = {name: Proposal._meta.get_field(name).verbose_name for name in PROPOSAL_FIELDS}
    for name in ("title", "summary", "description", "team"):
        if not getattr(proposal, name).strip():
            missing.append(_("%(field)s is empty.") % {"field": capfirst(labels[name])})
    if proposal.budget is None:
        missing.append(_("%(field)s is empty.") % {"field": capfirst(labels["budget"])})
    if not proposal.issues.exists():
        missing.append(_("Say which of the call's issues it addresses."))
    answered_by_file = set(proposal.attachments.exclude(question=None).values_list("question_id", flat=True))
    for question in proposal.call.questions.filter(required=True):
        if question.kind == CallQuestion.Kind.FILE:
            answered = question.pk in answered_by_file
        else:
            answered = proposal.answers.get(str(question.pk)) not in (None, "", [])
        if not answered:
            missing.append(_("“%(question)s” needs an answer.") % {"question": question.text})
    return missing


@transaction.atomic
def proposal_submit(*, proposal: Proposal, by, data: dict | None = None) -> ProposalVersion:
    """Submit a draft, or a submitted proposal's changes, until the deadline. Side effects: the
    submitted text is kept as a new version (every version stays, to compare), and the person
    who submitted gets an email with a copy of it.

    Refused, with what is missing, unless every required field and question is answered."""
    locked = _locked(proposal)
    _member_check(locked, by)
    if locked.state not in (Proposal.State.DRAFT, Proposal.State.SUBMITTED):
        raise ValidationError(
            _("This proposal is %(state)s: it cannot be submitted.") % {"state": locked.get_state_display()},
            code="state",
        )
    if data is not None:
        _write(locked, data)
    if missing := proposal_missing(locked):
        raise ValidationError(missing, code="incomplete")
    first = locked.state == Proposal.State.DRAFT
    locked.state = Proposal.State.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["state", "submitted_at", "updated_at"])
    version = _version_record(locked, by)
    email_send_template(
        to=by.email,
        template="calls_proposal_submitted",
        context={"proposal": locked, "call": locked.call, "version": version, "first": first},
        language=by.language,
        recipient=by,
        sensitive=True,  # a copy of what only the team and the reviewers may read
        about_id=by.pk,
    )
    proposal.state, proposal.submitted_at = locked.state, locked.submitted_at
    return version


def _version_record(proposal: Proposal, by) -> ProposalVersion:
    number = (proposal.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    return ProposalVersion.objects.create(
        proposal=proposal, number=number, submitted_by=by, content=proposal_snapshot(proposal)
    )


def proposal_snapshot(proposal: Proposal) -> dict:
    """The proposal as its readers see it, in plain data: what a version keeps."""
    questions = list(proposal.call.questions.all())
    files = list(proposal.attachments.all())
    answers = []
    for question in questions:
        if question.kind == CallQuestion.Kind.FILE:
            value = [attachment.name for attachment in files if attachment.question_id == question.pk]
        else:
            value = proposal.answers.get(str(question.pk), "")
        answers.append(
            {
                "id": question.pk,
                "question": question.text,
                "kind": question.kind,
                "visibility": question.visibility,
                "value": value,
            }
        )
    return {
        "title": proposal.title,
        "summary": proposal.summary,
        "description": proposal.description,
        "team": proposal.team,
        "budget": None if proposal.budget is None else str(proposal.budget),
        "issues": [{"id": issue.pk, "title": issue.title} for issue in proposal.issues.order_by("title", "id")],
        "answers": answers,
        "attachments": [{"id": a.pk, "name": a.name, "size": a.size, "pages": a.pages} for a in files],
    }


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, by) -> Proposal:
    """Withdraw a submitted proposal before the deadline: reviewers will not read it, and it no
    longer counts towards the organisation's cap. Its versions are kept."""
    locked = _locked(proposal)
    _member_check(locked, by)
    if locked.state != Proposal.State.SUBMITTED:
        raise ValidationError(_("Only a submitted proposal can be withdrawn."), code="state")
    locked.state = Proposal.State.WITHDRAWN
    locked.save(update_fields=["state", "updated_at"])
    proposal.state = locked.state
    return locked


@transaction.atomic
def proposal_attachment_add(*, proposal: Proposal, by, upload, name: str, pages: int, question=None):
    """Join a PDF (already checked by content: calls.forms.AttachmentForm) to a draft or a
    submitted proposal before the deadline. On a submitted one the change is a new version."""
    locked = _locked(proposal)
    _member_check(locked, by)
    if locked.state not in (Proposal.State.DRAFT, Proposal.State.SUBMITTED):
        raise ValidationError(_("This proposal can no longer be changed."), code="state")
    if question is not None and question.call_id != locked.call_id:
        raise ValidationError(_("This question is not one of the call's."), code="question")
    if locked.attachments.count() >= ProposalAttachment.MAX_PER_PROPOSAL:
        raise ValidationError(
            _("A proposal has %(count)s files at most: remove one first.")
            % {"count": ProposalAttachment.MAX_PER_PROPOSAL},
            code="too_many",
        )
    attachment = ProposalAttachment(
        proposal=locked, question=question, name=name, size=upload.size, pages=pages, uploaded_by=by
    )
    attachment.file.save(attachment_path(attachment, name), upload, save=False)
    # The file is on disk before the row: if the row cannot be written, nothing would name it.
    try:
        attachment.save()
        if locked.state == Proposal.State.SUBMITTED:
            _version_record(locked, by)
    except Exception:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def proposal_attachment_remove(*, attachment: ProposalAttachment, by) -> None:
    """Remove a file before the deadline; on a submitted proposal the change is a new version
    (the older versions keep its name, not the file)."""
    locked = _locked(attachment.proposal)
    _member_check(locked, by)
    if locked.state not in (Proposal.State.DRAFT, Proposal.State.SUBMITTED):
        raise ValidationError(_("This proposal can no longer be changed."), code="state")
    row = ProposalAttachment.objects.get(pk=attachment.pk, proposal=locked)
    row.delete()
    if locked.state == Proposal.State.SUBMITTED:
        # What reviewers will read must stay complete: a file a required question asks for
        # is replaced, not removed.
        if missing := proposal_missing(locked):
            raise ValidationError(missing, code="incomplete")
        _version_record(locked, by)
    file_delete_on_commit(row.file)
