from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicnet.accounts.models import Membership, Organisation, User
from civicnet.notifications.services import email_queue, email_render, email_send_template, notify
from civicnet.siteurl import site_url
from civicnet.uploads import file_delete_on_commit
from openwall.models import Issue
from openwall.services import issue_story_add

from . import assignment
from .models import (
    SCORE_MAX,
    SCORE_MIN,
    Call,
    CallQuestion,
    CallReviewer,
    DecisionEmail,
    Proposal,
    ProposalAttachment,
    ProposalVersion,
    Review,
    ReviewConflict,
    ReviewScore,
    attachment_path,
)

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


# Review ------------------------------------------------------------------------------------------

REVIEWED_STATES = (Proposal.State.SUBMITTED, Proposal.State.SHORTLISTED)


@transaction.atomic
def reviewers_add_group(*, call: Call) -> int:
    """Make every active member of the Reviewers group a reviewer of `call`; returns how many
    were added (those already there stay as they are)."""
    users = User.objects.filter(is_active=True, groups__name=settings.CIVICNET_REVIEWERS_GROUP)
    existing = set(call.reviewers.values_list("user_id", flat=True))
    fresh = [CallReviewer(call=call, user=user) for user in users if user.pk not in existing]
    CallReviewer.objects.bulk_create(fresh)
    return len(fresh)


def assignment_problem(call: Call) -> tuple[list, list]:
    """The call's submitted proposals and its reviewers as the solver's plain data: each
    reviewer's organisations and declared conflicts, each proposal's themes (its issues')."""
    proposals = list(call.proposals.filter(state__in=REVIEWED_STATES).prefetch_related("issues").order_by("pk"))
    reviewers = list(call.reviewers.prefetch_related("topics").order_by("user_id"))
    user_ids = [reviewer.user_id for reviewer in reviewers]
    memberships, conflicts, conflicting = {}, {}, {}
    for user_id, organisation_id in Membership.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "organisation_id"
    ):
        memberships.setdefault(user_id, set()).add(organisation_id)
    for user_id, proposal_id, organisation_id in ReviewConflict.objects.filter(reviewer_id__in=user_ids).values_list(
        "reviewer_id", "proposal_id", "organisation_id"
    ):
        if proposal_id:
            conflicts.setdefault(user_id, set()).add(proposal_id)
        if organisation_id:
            conflicting.setdefault(user_id, set()).add(organisation_id)
    plain_proposals = [
        assignment.Proposal(
            id=proposal.pk,
            organisations=frozenset({proposal.organisation_id}),
            themes=frozenset(issue.topic_id for issue in proposal.issues.all()),
        )
        for proposal in proposals
    ]
    plain_reviewers = [
        assignment.Reviewer(
            id=reviewer.user_id,
            organisations=frozenset(memberships.get(reviewer.user_id, ())),
            conflicts=frozenset(conflicts.get(reviewer.user_id, ())),
            conflicting_organisations=frozenset(conflicting.get(reviewer.user_id, ())),
            themes=frozenset(topic.pk for topic in reviewer.topics.all()),
        )
        for reviewer in reviewers
    ]
    return plain_proposals, plain_reviewers


def assignment_propose(*, call: Call) -> dict:
    """What the optimal assignment would be, with its figures and the greedy baseline's, for the
    organisers to read before applying it. Writes nothing."""
    proposals, reviewers = assignment_problem(call)
    n = call.reviews_per_proposal
    best = assignment.assign(proposals, reviewers, per_proposal=n)
    baseline = assignment.greedy(proposals, reviewers, per_proposal=n)
    return {
        "pairs": best.pairs,
        "loads": best.loads(reviewers),
        "figures": assignment.figures(proposals, reviewers, best, per_proposal=n),
        "greedy": assignment.figures(proposals, reviewers, baseline, per_proposal=n),
    }


def _reviews_started(call: Call) -> bool:
    begun = Q(submitted_at__isnull=False) | Q(scores__isnull=False) | ~Q(recommendation="") | ~Q(comment="")
    return Review.objects.filter(proposal__call=call).filter(begun).exists()


def reviews_allowed(*, user):
    """The reviews `user` may read and write now: theirs, on calls they still review, never of an
    organisation they belong to or declared a conflict with (which may have changed since the
    assignment)."""
    conflicts = ReviewConflict.objects.filter(reviewer=user)
    return (
        Review.objects.filter(reviewer=user, proposal__call__reviewers__user=user)
        .exclude(proposal__organisation__memberships__user=user)
        .exclude(proposal_id__in=conflicts.exclude(proposal=None).values("proposal_id"))
        .exclude(proposal__organisation_id__in=conflicts.exclude(organisation=None).values("organisation_id"))
    )


@transaction.atomic
def assignment_apply(*, call: Call, pairs: dict, by) -> int:
    """Replace the call's assignments by `pairs` ({proposal id: [reviewer user ids]}, as
    assignment_propose gave them). Refused once a review has started (adjust by hand then), and
    for any pair a conflict forbids, whatever was posted. Returns how many reviews it assigned."""
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if not locked.is_in_review:
        raise ValidationError(_("Reviews are assigned once the call has closed."), code="not_closed")
    if _reviews_started(locked):
        raise ValidationError(
            _("Reviewers have started: change the assignments one by one in the reviews' list."), code="started"
        )
    proposals, reviewers = assignment_problem(locked)
    proposal_of = {proposal.id: proposal for proposal in proposals}
    reviewer_of = {reviewer.id: reviewer for reviewer in reviewers}
    rows = []
    for proposal_id, reviewer_ids in pairs.items():
        for reviewer_id in reviewer_ids:
            proposal, reviewer = proposal_of.get(int(proposal_id)), reviewer_of.get(int(reviewer_id))
            if proposal is None or reviewer is None or not reviewer.may_review(proposal):
                raise ValidationError(_("The assignment names a pair that is not allowed: propose it again."))
            rows.append(Review(proposal_id=proposal.id, reviewer_id=reviewer.id))
    Review.objects.filter(proposal__call=locked).delete()
    Review.objects.bulk_create(rows)
    loads = {}
    for row in rows:
        loads[row.reviewer_id] = loads.get(row.reviewer_id, 0) + 1
    for reviewer in User.objects.filter(pk__in=list(loads)):
        notify(
            recipient=reviewer,
            kind="calls.reviews_assigned",
            actor=by,
            target=locked,
            data={"count": loads[reviewer.pk], "call": locked.title},
            url=reverse("calls:review_queue"),
        )
    return len(rows)


def review_assign_problems(*, proposal: Proposal, reviewer) -> list[str]:
    """Why `reviewer` may not be given `proposal`, in words (nothing: they may)."""
    proposals, reviewers = assignment_problem(proposal.call)
    plain = next((p for p in proposals if p.id == proposal.pk), None)
    person = next((r for r in reviewers if r.id == reviewer.pk), None)
    if plain is None:
        return [_("Only a submitted proposal is reviewed.")]
    if person is None:
        return [_("Make them a reviewer of the call first.")]
    if not person.may_review(plain):
        return [
            _("%(reviewer)s may not review this proposal: they belong to its organisation or declared a conflict.")
            % {"reviewer": reviewer.public_name}
        ]
    if Review.objects.filter(proposal=proposal, reviewer=reviewer).exists():
        return [_("This reviewer has this proposal already.")]
    return []


@transaction.atomic
def review_assign(*, proposal: Proposal, reviewer, by) -> Review:
    """Give one proposal to one reviewer by hand (the organisers' adjustment); refused if they
    are not the call's reviewer, belong to its organisation or declared a conflict."""
    Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
    if problems := review_assign_problems(proposal=proposal, reviewer=reviewer):
        raise ValidationError(problems, code="not_allowed")
    return Review.objects.create(proposal=proposal, reviewer=reviewer)


@transaction.atomic
def review_save(*, review: Review, by, scores: dict, recommendation: str, comment: str, submit: bool) -> Review:
    """Keep a reviewer's scores ({criterion id: (score, comment)}), recommendation and comment;
    with `submit`, every criterion needs a score and the review a recommendation. A submitted
    review stays complete; it may be corrected until the call is decided, unless reviewers see
    each other's reviews only after their own (then a submitted review is final: nobody
    submits a token review to read the others and rewrites it)."""
    locked = Review.objects.select_for_update(of=("self",)).select_related("proposal__call").get(pk=review.pk)
    if locked.reviewer_id != by.pk or not reviews_allowed(user=by).filter(pk=locked.pk).exists():
        raise ValidationError(_("Only its reviewer writes a review."), code="not_reviewer")
    call = locked.proposal.call
    if not call.is_in_review or locked.proposal.state not in REVIEWED_STATES:
        raise ValidationError(_("This proposal is not in review now."), code="not_in_review")
    if locked.submitted_at is not None and call.reviews_shown_after_own:
        raise ValidationError(_("This review is submitted, and final: you have read the others."), code="final")
    submit = submit or locked.submitted_at is not None
    criteria = {criterion.pk: criterion for criterion in call.criteria.all()}
    unknown = set(scores) - set(criteria)
    if unknown:
        raise ValidationError(_("A score is for a criterion this call does not have."), code="criterion")
    if submit:
        missing = [criteria[pk].name for pk in criteria if scores.get(pk, (None, ""))[0] is None]
        problems = [_("Score “%(criterion)s”.") % {"criterion": name} for name in missing]
        if not recommendation:
            problems.append(_("Choose a recommendation."))
        if problems:
            raise ValidationError(problems, code="incomplete")
    for pk, (score, score_comment) in scores.items():
        if score is None:
            ReviewScore.objects.filter(review=locked, criterion_id=pk).delete()
        elif not SCORE_MIN <= score <= SCORE_MAX:
            raise ValidationError(_("Scores go from 0 to 5."), code="scale")
        else:
            ReviewScore.objects.update_or_create(
                review=locked, criterion_id=pk, defaults={"score": score, "comment": score_comment}
            )
    locked.recommendation, locked.comment = recommendation, comment
    if submit and locked.submitted_at is None:
        locked.submitted_at = timezone.now()
    locked.save(update_fields=["recommendation", "comment", "submitted_at", "updated_at"])
    review.submitted_at = locked.submitted_at
    return locked


@transaction.atomic
def review_conflict_declare(*, review: Review, by, reason: str) -> ReviewConflict:
    """A reviewer who finds they know the proposal's team: the conflict is kept (no assignment
    gives it to them again), the unsubmitted review goes, and the organisers reassign it."""
    locked = Review.objects.select_for_update(of=("self",)).select_related("proposal__call").get(pk=review.pk)
    if locked.reviewer_id != by.pk:
        raise ValidationError(_("Only its reviewer declares a conflict."), code="not_reviewer")
    if locked.proposal.call.state == Call.State.DECIDED:
        raise ValidationError(_("This call is decided."), code="decided")
    if locked.submitted_at is not None:
        raise ValidationError(_("This review is submitted: tell the organisers instead."), code="submitted")
    conflict = ReviewConflict.objects.create(reviewer=by, proposal_id=locked.proposal_id, reason=reason)
    locked.delete()
    return conflict


# Decisions ---------------------------------------------------------------------------------------

FINAL = (Proposal.State.ACCEPTED, Proposal.State.REJECTED)


@transaction.atomic
def decision_stage(*, proposals, decision: str, by) -> int:
    """Stage `decision` (shortlisted, accepted, rejected, or "" to take it back) on each of
    `proposals` under review; nothing changes for the teams until decisions_apply. Returns how
    many were staged (the others are not under review)."""
    if decision not in ("", *Proposal.State.values) or decision in (
        Proposal.State.DRAFT,
        Proposal.State.SUBMITTED,
        Proposal.State.WITHDRAWN,
    ):
        raise ValidationError(_("Not a decision."), code="decision")
    ids = [p.pk for p in proposals]
    under_review = Proposal.objects.select_for_update().filter(pk__in=ids, state__in=REVIEWED_STATES)
    under_review = [p for p in under_review.select_related("call") if p.call.is_in_review and p.state != decision]
    Proposal.objects.filter(pk__in=[p.pk for p in under_review]).update(staged_decision=decision)
    return len(under_review)


@transaction.atomic
def decisions_apply(*, call: Call, by) -> dict:
    """Apply every staged decision of `call` at once. Side effects: an email per member of each
    decided team waits in the outbox (DecisionEmail) for an organiser to release it; the call
    moves to "in review" while proposals are still shortlisted, to "decided" when none are, and
    then each accepted project is published: on the call's page, and as a step of the story of
    every issue it addresses (their followers are told). Returns the counts per decision."""
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if not locked.is_in_review:
        raise ValidationError(_("Decisions are taken once the call has closed, until it is decided."), code="state")
    staged = list(
        locked.proposals.select_for_update(of=("self",))
        .exclude(staged_decision="")
        .filter(state__in=REVIEWED_STATES)
        .select_related("organisation")
    )
    if not staged:
        raise ValidationError(_("No decision is staged: stage some in the proposals' list first."), code="empty")
    counts = {}
    for proposal in staged:
        proposal.state, proposal.staged_decision = proposal.staged_decision, ""
        proposal.save(update_fields=["state", "staged_decision", "updated_at"])
        counts[proposal.state] = counts.get(proposal.state, 0) + 1
    pending = locked.proposals.filter(state__in=REVIEWED_STATES).exists()
    locked.state = Call.State.IN_REVIEW if pending else Call.State.DECIDED
    locked.save(update_fields=["state", "updated_at"])
    for proposal in staged:  # the emails say whether the accepted projects are published yet
        _decision_emails_write(proposal, locked)
    call.state = locked.state
    if locked.state == Call.State.DECIDED:
        _accepted_publish(locked, by)
    return counts


def _decision_emails_write(proposal: Proposal, call: Call) -> None:
    members = User.objects.filter(memberships__organisation=proposal.organisation, is_active=True).distinct()
    for member in members:
        subject, text, _html = email_render(
            template="calls_decision",
            context={"proposal": proposal, "call": call, "decision": proposal.state, "recipient": member},
            language=member.language,
        )
        DecisionEmail.objects.create(
            proposal=proposal,
            decision=proposal.state,
            recipient=member,
            language=member.language,
            subject=subject[:255],
            body=text,
        )


def _accepted_publish(call: Call, by) -> None:
    accepted = list(call.proposals.filter(state=Proposal.State.ACCEPTED).select_related("organisation"))
    for proposal in accepted:
        for issue in Issue.objects.public().select_for_update().filter(proposals=proposal).order_by("pk"):
            issue_story_add(
                issue=issue,
                kind="calls.accepted",
                actor=by,
                target=proposal,
                data={"project": proposal.title, "organisation": proposal.organisation.name, "call": call.title},
            )


@transaction.atomic
def decision_emails_release(*, emails, by) -> int:
    """Send the outbox's emails as the organisers left them (each once, whatever happens twice)."""
    released = 0
    unreleased = DecisionEmail.objects.select_for_update(of=("self",)).select_related("recipient")
    for email in unreleased.filter(pk__in=[e.pk for e in emails], released_at=None):
        email_queue(
            to=email.recipient.email,
            subject=email.subject,
            body_text=email.body,
            language=email.language,
            recipient=email.recipient,
            template="calls_decision",
            dedupe_key=f"calls.decision:{email.pk}",
            about_id=by.pk,
        )
        email.released_at, email.released_by = timezone.now(), by
        email.save(update_fields=["released_at", "released_by"])
        released += 1
    return released


# Outside experts -------------------------------------------------------------------------------

INVITATION_DAYS = 30


def reviewer_invitation_token(*, call: Call, email: str) -> str:
    return signing.dumps({"call": call.pk, "email": email.strip().lower()}, salt="calls.reviewer-invitation")


def reviewer_invitation_read(token: str) -> dict | None:
    """The call and address an invitation names, or None when forged or older than 30 days."""
    try:
        return signing.loads(token, salt="calls.reviewer-invitation", max_age=INVITATION_DAYS * 86400)
    except signing.BadSignature:
        return None


def reviewers_invite(*, call: Call, emails: list[str], by) -> int:
    """Invite outside experts to review `call`: each address gets a link (valid 30 days) that
    makes whoever signs in with that verified address one of its reviewers. Returns how many
    were sent."""
    sent = 0
    for email in sorted({email.strip().lower() for email in emails if email.strip()}):
        link = site_url() + reverse(
            "calls:reviewer_join", args=[call.pk, reviewer_invitation_token(call=call, email=email)]
        )
        email_send_template(
            to=email,
            template="calls_reviewer_invitation",
            context={"call": call, "link": link, "inviter": by, "days": INVITATION_DAYS},
            language=by.language,
            sensitive=True,  # the link is the invitation
            about_id=by.pk,
        )
        sent += 1
    return sent


@transaction.atomic
def reviewer_join(*, call: Call, email: str, user) -> CallReviewer:
    """Make `user` a reviewer of `call` through an invitation to `email`, one of their verified
    addresses (whoever else has the link cannot use it)."""
    verified = {
        address.lower() for address in user.emailaddress_set.filter(verified=True).values_list("email", flat=True)
    }
    if email.lower() not in verified:
        raise ValidationError(
            _("This invitation was sent to %(email)s: sign in with that address (confirmed) to accept it.")
            % {"email": email},
            code="other_address",
        )
    if call.state == Call.State.DECIDED:
        raise ValidationError(_("This call is decided: it needs no more reviewers."), code="decided")
    reviewer, _created = CallReviewer.objects.get_or_create(call=call, user=user)
    return reviewer
