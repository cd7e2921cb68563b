from django.db.models import F, Prefetch
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from civicnet.access import object_or_404
from civicnet.pagecache import shared_page
from openwall.models import Issue

from ..models import Call, Proposal


@require_GET
@shared_page("calls")
def call_list(request):
    """Open calls first, then those that open later, then the past ones."""
    calls = Call.objects.visible_to(request.user).only("title", "state", "opens_at", "closes_at", "rewards")
    now = timezone.now()
    context = {
        "open_calls": calls.open_now(now).order_by("closes_at", "id"),
        "upcoming_calls": calls.upcoming(now).order_by("opens_at", "id"),
        "past_calls": calls.past(now).order_by("-closes_at", "-id"),
        "drafts": calls.filter(state=Call.State.DRAFT) if request.user.has_perm("calls.change_call") else [],
        "now": now,
    }
    return render(request, "calls/call_list.html", context)


@require_GET
@shared_page("calls", lambda pk: f"call:{pk}")
def call_detail(request, pk):
    answered = Issue.objects.public().for_cards().annotate(all_votes=F("vote_count") + F("offline_vote_count"))
    calls = Call.objects.visible_to(request.user).prefetch_related(
        Prefetch("issues", queryset=answered.order_by("-all_votes", "id")), "criteria", "topics"
    )
    call = object_or_404(calls, user=request.user, pk=pk)
    accepted = []
    if call.state == Call.State.DECIDED:  # read only once there is something to show
        accepted = call.proposals.filter(state=Proposal.State.ACCEPTED).select_related("organisation").order_by("title")
    return render(request, "calls/call_detail.html", {"call": call, "now": timezone.now(), "accepted": accepted})
