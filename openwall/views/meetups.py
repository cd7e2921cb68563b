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
from ..forms import AttendanceForm, MeetupIssueForm, TallyForm
from ..models import Issue, Meetup, OfflineTally


def _meetup_for(request, pk, permission=None) -> Meetup:
    meetups = Meetup.objects.all() if request.user.has_perm("openwall.moderate") else Meetup.objects.published()
    return object_or_404(meetups.select_related("host", "district"), user=request.user, permission=permission, pk=pk)


@require_GET
def meetup_list(request):
    meetups = Meetup.objects.published().select_related("host", "district").annotate(seats_taken=Count("registrations"))
    return render(request, "openwall/meetup_list.html", {"upcoming": meetups.upcoming(), "past": meetups.past()[:12]})


PICK_LIMIT = 8


def issue_candidates(term: str) -> list[Issue]:
    """The public issues a facilitator may mean by `term`: its words in the title or description,
    the most voted first; "42" or "#42" also finds issue 42."""
    term = term.strip()
    if not term:
        return []
    issues = Issue.objects.public().select_related("topic")
    found = list(issues.search(term).ranked()[:PICK_LIMIT])
    number = term.lstrip("#")
    if number.isdigit() and int(number) not in {issue.pk for issue in found}:
        found = list(issues.filter(pk=int(number))) + found[: PICK_LIMIT - 1]
    return found


def _attendance_form(meetup) -> AttendanceForm:
    return AttendanceForm(prefix="attendance", initial={"attendance": meetup.attendance})


def _meetup_context(request, meetup, issue_form=None, tally_form=None, attendance_form=None) -> dict:
    user = request.user
    facilitator = user.has_perm("openwall.facilitate_meetup", meetup)
    seats_taken = meetup.registrations.count()
    if facilitator and tally_form is None:
        tally_form = TallyForm(prefix="tally", initial={"search": request.GET.get("tally-search", "")})
    return {
        "meetup": meetup,
        "topics": meetup.topics.all(),
        "tallies": OfflineTally.objects.filter(meetup=meetup, issue__in=Issue.objects.public())
        .select_related("issue", "issue__topic")
        .order_by("-votes"),
        "raised": Issue.objects.public().filter(meetup=meetup).exclude(tallies__meetup=meetup).order_by("-created_at"),
        "registered": user.is_authenticated and meetup.registrations.filter(user=user).exists(),
        "seats_taken": seats_taken,
        "full": meetup.capacity is not None and seats_taken >= meetup.capacity,
        "is_past": meetup.is_past,
        "started": meetup.starts_at <= timezone.now(),
        "facilitator": facilitator,
        "attendance_form": (attendance_form or _attendance_form(meetup)) if facilitator else None,
        "issue_form": (issue_form or MeetupIssueForm(prefix="issue")) if facilitator else None,
        "tally_form": tally_form,
        "candidates": issue_candidates(tally_form["search"].value() or "") if tally_form else [],
    }


@require_GET
def meetup_detail(request, pk):
    meetup = _meetup_for(request, pk)
    return render(request, "openwall/meetup_detail.html", _meetup_context(request, meetup))


@require_POST
@login_required
@rate_limited("rsvp")
def meetup_rsvp(request, pk):
    meetup = _meetup_for(request, pk)
    try:
        registered = services.meetup_registration_toggle(user=request.user, meetup=meetup)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, _("You are registered. See you there!") if registered else _("Your registration is cancelled.")
        )
    return redirect(meetup)


@require_GET
@login_required
def meetup_issue_pick(request, pk):
    """The issues matching what a facilitator typed, as choices for the paper-vote form (htmx)."""
    meetup = _meetup_for(request, pk, "openwall.facilitate_meetup")
    term = request.GET.get("tally-search", "")
    context = {"meetup": meetup, "candidates": issue_candidates(term), "term": term}
    return render(request, "openwall/_issue_pick.html", context)


@require_GET
def meetup_ics(request, pk):
    """The meetup as an iCalendar file, for any calendar app."""
    meetup = _meetup_for(request, pk)
    content = ics_calendar(
        [
            {
                # The UID stays "event-<pk>" (an iCalendar event; calendars that imported it keep one entry).
                "uid": f"event-{meetup.pk}@{request.get_host().split(':')[0]}",
                "starts_at": meetup.starts_at,
                "ends_at": meetup.ends_at,
                "summary": meetup.title,
                "location": meetup.address,
                "description": meetup.description,
                "url": site_url() + meetup.get_absolute_url(),
            }
        ]
    )
    return ics_response(content, filename=f"meetup-{meetup.pk}.ics")


@login_required
@rate_limited("facilitate")
def meetup_record_issue(request, pk):
    """A facilitator types in an issue raised in the room, with its paper votes."""
    meetup = _meetup_for(request, pk, "openwall.facilitate_meetup")
    form = MeetupIssueForm(request.POST or None, prefix="issue")
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "website_url"}
        try:
            issue = services.meetup_issue_record(facilitator=request.user, meetup=meetup, **data)
        except ValidationError as exc:
            form.add_error("paper_votes", exc)
        else:
            messages.success(
                request, _("“%(title)s” is on the wall, attributed to this meetup.") % {"title": issue.title}
            )
            return redirect(meetup)
    return render(
        request,
        "openwall/meetup_detail.html",
        _meetup_context(request, meetup, issue_form=form),
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
@rate_limited("facilitate")
def meetup_tally(request, pk):
    """A facilitator enters the paper votes an issue got in the room (replacing an earlier count)."""
    meetup = _meetup_for(request, pk, "openwall.facilitate_meetup")
    form = TallyForm(request.POST, prefix="tally")
    if form.is_valid():
        try:
            services.tally_set(
                facilitator=request.user,
                meetup=meetup,
                issue=form.cleaned_data["issue"],
                votes=form.cleaned_data["votes"],
            )
        except ValidationError as exc:
            form.add_error("votes", exc)
        else:
            messages.success(request, _("Paper votes saved."))
            return redirect(meetup)
    return render(request, "openwall/meetup_detail.html", _meetup_context(request, meetup, tally_form=form), status=400)


@require_POST
@login_required
@rate_limited("facilitate")
def meetup_attendance(request, pk):
    """A facilitator records how many people came."""
    meetup = _meetup_for(request, pk, "openwall.facilitate_meetup")
    form = AttendanceForm(request.POST, prefix="attendance")
    if form.is_valid():
        try:
            services.meetup_attendance_set(
                facilitator=request.user, meetup=meetup, attendance=form.cleaned_data["attendance"]
            )
        except ValidationError as exc:
            form.add_error("attendance", exc)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect(meetup)
    context = _meetup_context(request, meetup, attendance_form=form)
    return render(request, "openwall/meetup_detail.html", context, status=400)
