"""Proposals: started, written (saved as the team types), submitted, changed and withdrawn until
the deadline, their PDFs, their versions. Every proposal is loaded through a user-scoped
queryset: its organisation's members find it, an outsider gets a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicnet.access import object_or_404
from civicnet.accounts.models import Organisation
from civicnet.ratelimit import rate_limited
from civicnet.uploads import private_file_response
from openwall.models import Issue

from .. import services
from ..diff import versions_compare
from ..forms import AttachmentForm, ProposalForm, ProposalStartForm
from ..models import Call, CallQuestion, Proposal, ProposalAttachment


def _innovator_organisations(user):
    return Organisation.objects.filter(kind=Organisation.Kind.CIVIC_INNOVATOR, memberships__user=user).order_by(
        "name", "id"
    )


@login_required
@rate_limited("proposal_create")
def proposal_create(request, pk):
    """Start a proposal to a call on behalf of one of the person's civic-innovator organisations."""
    call = object_or_404(Call.objects.visible_to(request.user), user=request.user, pk=pk)
    organisations = list(_innovator_organisations(request.user))
    form = ProposalStartForm(request.POST or None, organisations=_innovator_organisations(request.user))
    if request.method == "POST" and organisations and form.is_valid():
        try:
            proposal = services.proposal_create(call=call, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your draft is started. It saves itself as you write."))
            return redirect("calls:proposal_edit", proposal.pk)
    existing = Proposal.objects.of_member(request.user).filter(call=call).select_related("organisation")
    context = {"call": call, "form": form, "organisations": organisations, "existing": existing, "now": timezone.now()}
    return render(request, "calls/proposal_start.html", context)


@login_required
@require_GET
def proposal_list(request):
    proposals = (
        Proposal.objects.of_member(request.user).select_related("call", "organisation").order_by("-updated_at", "-id")
    )
    return render(request, "calls/proposal_list.html", {"proposals": proposals})


def _team_proposal(request, pk) -> Proposal:
    """A proposal of one of the person's organisations (its team's pages), or a 404."""
    proposals = Proposal.objects.of_member(request.user).select_related("call", "organisation")
    return object_or_404(proposals, user=request.user, pk=pk)


def _readable(request, pk) -> Proposal:
    """A proposal the person may read whole (its team, organisers), or a 404: the public parts
    of an accepted one are on its page, its files and versions are not."""
    proposals = Proposal.objects.visible_to(request.user).select_related("call", "organisation")
    proposal = object_or_404(proposals, user=request.user, pk=pk)
    if not request.user.has_perm("calls.read_proposal", proposal):
        raise Http404("Not a proposal this person may read whole.")
    return proposal


@require_GET
def proposal_detail(request, pk):
    proposals = Proposal.objects.visible_to(request.user).select_related("call", "organisation")
    proposal = object_or_404(
        proposals.prefetch_related(
            Prefetch("issues", queryset=Issue.objects.public().only("id", "title").order_by("title", "id"))
        ),
        user=request.user,
        pk=pk,
    )
    whole = request.user.has_perm("calls.read_proposal", proposal)
    questions = proposal.call.questions.all()
    if not whole:
        questions = questions.filter(visibility=CallQuestion.Visibility.PUBLIC)
    answers = [(question, proposal.answers.get(str(question.pk))) for question in questions]
    context = {
        "proposal": proposal,
        "call": proposal.call,
        "whole": whole,
        "answers": answers,
        "attachments": proposal.attachments.all() if whole else [],
        "versions": proposal.versions.all() if whole else [],
        "can_edit": request.user.has_perm("calls.edit_proposal", proposal),
        "can_withdraw": request.user.has_perm("calls.withdraw_proposal", proposal),
    }
    return render(request, "calls/proposal_detail.html", context)


def _edit_page(request, proposal, form, attachment_form=None, status=200):
    questions = list(proposal.call.questions.all())
    context = {
        "proposal": proposal,
        "call": proposal.call,
        "form": form,
        "attachment_form": attachment_form or AttachmentForm(questions=questions),
        "attachments": proposal.attachments.select_related("question"),
        "file_questions": [question for question in questions if question.kind == CallQuestion.Kind.FILE],
        "can_withdraw": request.user.has_perm("calls.withdraw_proposal", proposal),
    }
    return render(request, "calls/proposal_edit.html", context, status=status)


def _closed(request, proposal):
    messages.error(
        request, _("This proposal can no longer be changed: the call is closed or the proposal was withdrawn.")
    )
    return redirect(proposal)


@login_required
@rate_limited("proposal_edit")
def proposal_edit(request, pk):
    """The proposal's form. "Save" keeps a draft as it is; "Submit" needs every required answer
    and keeps a version; a submitted proposal changes only by being submitted again."""
    proposal = _team_proposal(request, pk)
    if not request.user.has_perm("calls.edit_proposal", proposal):
        return _closed(request, proposal)
    questions = list(proposal.call.questions.all())
    submit = request.POST.get("action") == "submit" or proposal.state == Proposal.State.SUBMITTED
    form = ProposalForm(
        request.POST or None, instance=proposal, call=proposal.call, questions=questions, complete=submit
    )
    if request.method == "POST" and form.is_valid():
        data = form.data_for_service()
        try:
            if submit:
                version = services.proposal_submit(proposal=proposal, by=request.user, data=data)
            else:
                services.proposal_save(proposal=proposal, by=request.user, data=data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if not submit:
                messages.success(request, _("Draft saved."))
                return redirect("calls:proposal_edit", proposal.pk)
            messages.success(
                request,
                _("Version %(number)s is submitted. We sent you a copy by email.") % {"number": version.number},
            )
            return redirect(proposal)
    return _edit_page(request, proposal, form)


@login_required
@require_POST
@rate_limited("proposal_autosave")
def proposal_autosave(request, pk):
    """What the draft's form sends as the team types (htmx): saved as it is, or nothing saved
    and the reason said; the fields on the page are left as they were typed."""
    proposal = _team_proposal(request, pk)
    status = {"proposal": proposal}
    if not request.user.has_perm("calls.edit_proposal", proposal) or proposal.state != Proposal.State.DRAFT:
        status["problem"] = _("Not saved automatically: use the buttons below.")
        return render(request, "calls/_autosave_status.html", status)
    form = ProposalForm(request.POST, instance=proposal, call=proposal.call, questions=proposal.call.questions.all())
    if not form.is_valid():
        status["problem"] = _("Not saved: a field needs correcting. Press “Save draft” to see which.")
        return render(request, "calls/_autosave_status.html", status)
    try:
        services.proposal_save(proposal=proposal, by=request.user, data=form.data_for_service())
    except ValidationError as exc:
        status["problem"] = " ".join(exc.messages)
    else:
        status["saved_at"] = timezone.now()
    return render(request, "calls/_autosave_status.html", status)


@login_required
@require_POST
@rate_limited("proposal_edit")
def proposal_withdraw(request, pk):
    proposal = _team_proposal(request, pk)
    try:
        services.proposal_withdraw(proposal=proposal, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The proposal is withdrawn. Reviewers will not read it."))
    return redirect(proposal)


@login_required
@require_POST
# Each upload is read whole by pypdf: a refused one costs a try too.
@rate_limited("proposal_attach", count_failures=True)
def attachment_add(request, pk):
    proposal = _team_proposal(request, pk)
    if not request.user.has_perm("calls.edit_proposal", proposal):
        return _closed(request, proposal)
    questions = list(proposal.call.questions.all())
    form = AttachmentForm(request.POST, request.FILES, questions=questions)
    if form.is_valid():
        try:
            attachment = services.proposal_attachment_add(
                proposal=proposal,
                by=request.user,
                upload=form.cleaned_data["file"],
                name=form.shown_name(),
                pages=form.pages,
                question=form.cleaned_data.get("question"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("“%(name)s” is attached.") % {"name": attachment.name})
            return redirect("calls:proposal_edit", proposal.pk)
    edit_form = ProposalForm(instance=proposal, call=proposal.call, questions=questions)
    return _edit_page(request, proposal, edit_form, attachment_form=form)


@login_required
@require_POST
@rate_limited("proposal_edit")
def attachment_remove(request, pk, file_pk):
    proposal = _team_proposal(request, pk)
    attachment = get_object_or_404(proposal.attachments, pk=file_pk)
    try:
        services.proposal_attachment_remove(attachment=attachment, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(proposal)
    messages.success(request, _("“%(name)s” is removed.") % {"name": attachment.name})
    return redirect("calls:proposal_edit", proposal.pk)


@login_required
@require_GET
def attachment_download(request, pk, file_pk):
    """The file, to those who may read the whole proposal."""
    proposal = _readable(request, pk)
    attachment = get_object_or_404(ProposalAttachment.objects.filter(proposal=proposal), pk=file_pk)
    return private_file_response(attachment.file, filename=attachment.name, content_type="application/pdf")


@login_required
@require_GET
def proposal_versions(request, pk):
    """Two submitted versions side by side (the last two unless others are asked for)."""
    proposal = _readable(request, pk)
    versions = list(proposal.versions.select_related("submitted_by"))
    by_number = {version.number: version for version in versions}

    def chosen(name, default):
        try:
            return by_number[int(request.GET[name])]
        except (KeyError, ValueError):
            return default

    new = chosen("b", versions[-1] if versions else None)
    old = chosen("a", by_number.get(new.number - 1) if new else None)
    context = {
        "proposal": proposal,
        "versions": versions,
        "old": old,
        "new": new,
        "rows": versions_compare(old.content if old else None, new.content) if new else [],
    }
    return render(request, "calls/proposal_versions.html", context)
