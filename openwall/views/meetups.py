"""Weekly meetups: the list, a meetup's page, registration, calendar files, the facilitators' forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicnet.access import object_or_404
from civicnet.ics import ics_calendar, ics_response
from civicnet.ratelimit import rate_limited
from civicnet.siteurl import site_url

from .. import services
from ..forms import EventIssueForm, TallyForm
from ..models import CommunityEvent, Issue, OfflineTally


def _event_for(request, pk, permission=None) -> CommunityEvent:
    events = (
        CommunityEvent.objects.all()
        if request.user.has_perm("openwall.moderate")
        else CommunityEvent.objects.published()
    )
    return object_or_404(events.select_related("host", "district"), user=request.user, permission=permission, pk=pk)


@require_GET
def event_list(request):
    events = (
        CommunityEvent.objects.published()
        .select_related("host", "district")
        .annotate(seats_taken=Count("registrations"))
    )
    return render(request, "openwall/event_list.html", {"upcoming": events.upcoming(), "past": events.past()[:12]})


def _event_context(request, event, issue_form=None, tally_form=None) -> dict:
    user = request.user
    facilitator = user.has_perm("openwall.facilitate_event", event)
    seats_taken = event.registrations.count()
    return {
        "event": event,
        "topics": event.topics.all(),
        "tallies": OfflineTally.objects.filter(event=event, issue__in=Issue.objects.public())
        .select_related("issue", "issue__topic")
        .order_by("-votes"),
        "raised": Issue.objects.public().filter(event=event).exclude(tallies__event=event).order_by("-created_at"),
        "registered": user.is_authenticated and event.registrations.filter(user=user).exists(),
        "seats_taken": seats_taken,
        "full": event.capacity is not None and seats_taken >= event.capacity,
        "is_past": event.ends_at < timezone.now(),
        "facilitator": facilitator,
        "issue_form": (issue_form or EventIssueForm(prefix="issue")) if facilitator else None,
        "tally_form": (tally_form or TallyForm(prefix="tally")) if facilitator else None,
    }


@require_GET
def event_detail(request, pk):
    event = _event_for(request, pk)
    return render(request, "openwall/event_detail.html", _event_context(request, event))


@require_POST
@login_required
def event_rsvp(request, pk):
    event = _event_for(request, pk)
    try:
        registered = services.event_registration_toggle(user=request.user, event=event)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, _("You are registered. See you there!") if registered else _("Your registration is cancelled.")
        )
    return redirect(event)


@require_GET
def event_ics(request, pk):
    """The meetup as an iCalendar file, for any calendar app."""
    event = _event_for(request, pk)
    content = ics_calendar(
        [
            {
                "uid": f"event-{event.pk}@{request.get_host().split(':')[0]}",
                "starts_at": event.starts_at,
                "ends_at": event.ends_at,
                "summary": event.title,
                "location": event.address,
                "description": event.description,
                "url": site_url() + event.get_absolute_url(),
            }
        ]
    )
    return ics_response(content, filename=f"meetup-{event.pk}.ics")


@login_required
@rate_limited("facilitate")
def event_record_issue(request, pk):
    """A facilitator types in an issue raised in the room, with its paper votes."""
    event = _event_for(request, pk, "openwall.facilitate_event")
    form = EventIssueForm(request.POST or None, prefix="issue")
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "website_url"}
        try:
            issue = services.event_issue_record(facilitator=request.user, event=event, **data)
        except ValidationError as exc:
            form.add_error("paper_votes", exc)
        else:
            messages.success(
                request, _("“%(title)s” is on the wall, attributed to this meetup.") % {"title": issue.title}
            )
            return redirect(event)
    return render(
        request,
        "openwall/event_detail.html",
        _event_context(request, event, issue_form=form),
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def event_tally(request, pk):
    """A facilitator enters the paper votes an issue got in the room (replacing an earlier count)."""
    event = _event_for(request, pk, "openwall.facilitate_event")
    form = TallyForm(request.POST, prefix="tally")
    if form.is_valid():
        try:
            services.tally_set(
                facilitator=request.user,
                event=event,
                issue=form.cleaned_data["issue"],
                votes=form.cleaned_data["votes"],
            )
        except ValidationError as exc:
            form.add_error("votes", exc)
        else:
            messages.success(request, _("Paper votes saved."))
            return redirect(event)
    return render(request, "openwall/event_detail.html", _event_context(request, event, tally_form=form), status=400)
