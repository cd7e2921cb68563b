"""Reviews: each reviewer's queue and the review of one proposal (anonymised when the call says
so), and the organisers' ranking. A review is loaded through the reviewer's own reviews: an id
edited in the address gives a 404."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicnet.access import object_or_404, permission_required
from civicnet.city.models import Topic
from civicnet.ratelimit import rate_limited
from civicnet.uploads import pdf_without_metadata, private_file_response
from openwall.exports import csv_safe
from openwall.models import Issue

from .. import ranking, services
from ..forms import ConflictForm, ReviewForm
from ..models import Call, Proposal, Review, ReviewScore

# Every proposal reviewers scored: under review, or decided since.
RANKED = (*services.REVIEWED_STATES, Proposal.State.ACCEPTED, Proposal.State.REJECTED)


def _my_reviews(user):
    return services.reviews_allowed(user=user).select_related("proposal__call", "proposal__organisation")


@login_required
@require_GET
def review_queue(request):
    reviews = list(_my_reviews(request.user).order_by("proposal__call__closes_at", "proposal_id"))
    calls = {}
    for review in reviews:
        calls.setdefault(review.proposal.call, []).append(review)
    queues = [
        {"call": call, "reviews": rows, "done": sum(1 for r in rows if r.submitted_at), "total": len(rows)}
        for call, rows in calls.items()
    ]
    return render(request, "calls/review_queue.html", {"queues": queues})


def _shown_files(proposal, blind):
    """The files as the reviewer sees them: their own names, or numbered when anonymised."""
    files = list(proposal.attachments.all())
    return [
        (index, attachment, f"attachment-{index}.pdf" if blind else attachment.name)
        for index, attachment in enumerate(files, 1)
    ]


@login_required
@rate_limited("review")
def review(request, pk):
    review = object_or_404(_my_reviews(request.user), user=request.user, pk=pk)
    proposal, call = review.proposal, review.proposal.call
    criteria = list(call.criteria.all())
    scores = Review.objects.filter(pk=review.pk).prefetch_related("scores")[0]
    form = ReviewForm(request.POST or None, criteria=criteria, review=scores)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.review_save(
                review=review,
                by=request.user,
                scores=form.scores(),
                recommendation=form.cleaned_data["recommendation"],
                comment=form.cleaned_data["comment"],
                submit=submit,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if not submit:
                messages.success(request, _("Review saved. Submit it when every criterion is scored."))
                return redirect(review)
            messages.success(request, _("Review submitted. Thank you."))
            following = (
                _my_reviews(request.user)
                .filter(submitted_at__isnull=True, proposal__call=call)
                .exclude(pk=review.pk)
                .order_by("proposal_id")
                .first()
            )
            return redirect(following or "calls:review_queue")
    version = proposal.versions.order_by("-number").first()
    others = []
    if review.submitted_at or not call.reviews_shown_after_own:
        others = list(
            Review.objects.submitted()
            .filter(proposal=proposal)
            .exclude(pk=review.pk)
            .prefetch_related(Prefetch("scores", queryset=ReviewScore.objects.select_related("criterion")))
        )
    context = {
        "review": review,
        "proposal": proposal,
        "call": call,
        "blind": call.blind_review,
        "content": version.content if version else None,
        "files": _shown_files(proposal, call.blind_review),
        "form": form,
        "others": others,
        "in_review": call.is_in_review and proposal.state in services.REVIEWED_STATES,
        "conflict_form": ConflictForm(),
    }
    return render(request, "calls/review.html", context)


@login_required
@require_GET
def review_attachment(request, pk, number):
    """A proposal's file, to a reviewer it is assigned to, under a number when anonymised."""
    review = object_or_404(_my_reviews(request.user), user=request.user, pk=pk)
    files = _shown_files(review.proposal, review.proposal.call.blind_review)
    if not 1 <= number <= len(files):
        raise Http404("No such file.")
    _index, attachment, name = files[number - 1]
    # Anonymised: its author, title and producer could name the team.
    blind = review.proposal.call.blind_review
    return private_file_response(
        attachment.file,
        filename=name,
        content_type="application/pdf",
        transform=pdf_without_metadata if blind else None,
    )


@login_required
@require_POST
@rate_limited("review")
def review_conflict(request, pk):
    review = object_or_404(_my_reviews(request.user), user=request.user, pk=pk)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("reason", [])))
        return redirect(review)
    try:
        services.review_conflict_declare(review=review, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(review)
    messages.success(request, _("Thank you: this proposal goes to another reviewer, and never back to you."))
    return redirect("calls:review_queue")


@login_required
@permission_required("calls.rank_proposals")
@require_GET
def ranking_table(request, pk):
    """Every reviewed proposal of a call, best adjusted score first; as CSV with ?format=csv."""
    call = get_object_or_404(Call, pk=pk)
    # Ranked among every reviewed proposal of the call (decided ones too), so that each
    # reviewer's habits, and the call's scale, are read from all their reviews; a filter then
    # only chooses which rows to show.
    reviewed = call.proposals.filter(state__in=RANKED).select_related("organisation")
    proposals = {p.pk: p for p in reviewed.annotate(assigned=Count("reviews", distinct=True))}
    scores = [
        ranking.Score(*row)
        for row in ReviewScore.objects.filter(review__proposal__call=call, review__submitted_at__isnull=False)
        .filter(review__proposal__state__in=RANKED)
        .values_list("review_id", "review__reviewer_id", "review__proposal_id", "criterion__weight", "score")
    ]
    rows = [(row, proposals[row.proposal]) for row in ranking.rank(scores, list(proposals))]
    issue, topic = request.GET.get("issue", ""), request.GET.get("topic", "")
    if issue.isdigit() or topic:
        chosen = reviewed.filter(issues=int(issue)) if issue.isdigit() else reviewed
        chosen = set((chosen.filter(issues__topic__slug=topic) if topic else chosen).values_list("pk", flat=True))
        rows = [(row, proposal) for row, proposal in rows if proposal.pk in chosen]
    if request.GET.get("format") == "csv":
        return _ranking_csv(call, rows)
    context = {
        "call": call,
        "rows": rows,
        "issues": Issue.objects.filter(calls=call).only("id", "title").order_by("title"),
        "topics": Topic.objects.filter(issues__calls=call).distinct(),
        "chosen_issue": issue,
        "chosen_topic": topic,
        "query": request.GET.urlencode(),
    }
    return render(request, "calls/ranking.html", context)


def _ranking_csv(call, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ranking-call-{call.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["rank", "proposal", "organisation", "reviews", "mean", "median", "spread", "adjusted", "disagreement"]
    )

    def number(value):
        return "" if value is None else f"{value:.2f}"

    for position, (row, proposal) in enumerate(rows, 1):
        writer.writerow(
            [
                position,
                csv_safe(proposal.title),
                csv_safe(proposal.organisation.name),
                row.reviews,
                number(row.mean),
                number(row.median),
                number(row.spread),
                number(row.adjusted),
                "yes" if row.disagreement else "",
            ]
        )
    return response


@login_required
@rate_limited("review")
def reviewer_join(request, pk, token):
    """An outside expert's invitation: a page that says which call, and a button to accept it."""
    invitation = services.reviewer_invitation_read(token)
    if invitation is None or invitation["call"] != pk:
        raise Http404("No such invitation.")
    call = get_object_or_404(Call.objects.exclude(state=Call.State.DRAFT), pk=pk)
    if request.method == "POST":
        try:
            services.reviewer_join(call=call, email=invitation["email"], user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("You are a reviewer of this call. Proposals come to you once it closes."))
            return redirect("calls:review_queue")
    return render(request, "calls/reviewer_join.html", {"call": call, "email": invitation["email"]})
