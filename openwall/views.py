from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from civicnet.city.models import District, Topic
from civicnet.ics import ics_calendar, ics_response
from civicnet.pagecache import anonymous_page
from civicnet.pagination import CachedCountPaginator, keyset_page
from civicnet.qr import qr_svg
from civicnet.ratelimit import rate_limited
from civicnet.siteurl import site_url

from . import services, story
from .filters import KEYSETS, SORTS, IssueFilter
from .forms import CommentForm, EventIssueForm, FlagForm, IssueEditForm, IssueForm, TallyForm
from .models import Comment, CommunityEvent, Issue, IssueEvent, OfflineTally, Vote

PAGE_SIZE = 20


def _issue_for(request, pk, permission=None, *, merged=False) -> Issue:
    issue = get_object_or_404(
        Issue.objects.visible_to(request.user, merged=merged).with_related().select_related("event"), pk=pk
    )
    if permission and not request.user.has_perm(permission, issue):
        raise PermissionDenied
    return issue


def _voted_ids(user, issues) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(Vote.objects.filter(user=user, issue__in=[i.pk for i in issues]).values_list("issue_id", flat=True))


def _back(request, fallback: str) -> str:
    target = request.POST.get("next") or request.headers.get("referer") or fallback
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def _wall_page(request, paginator, keyset):
    """The page asked for: after (or before) a cursor when a Next or Previous link carries one,
    by number otherwise (a typed or shared address)."""
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 1
    if number > 1:
        for direction in ("after", "before"):
            values = keyset.parse(request.GET.get(direction))
            if values is not None:
                page = keyset_page(paginator, keyset, number=number, **{direction: values})
                if page is not None:
                    return page
    return paginator.get_page(request.GET.get("page"))


def _link(query, **params) -> str:
    query = query.copy()
    for name, value in params.items():
        query[name] = value
    return f"?{query.urlencode()}"


@require_GET
@anonymous_page("wall", params=[*IssueFilter.Meta.fields, "page", "after", "before"], htmx_targets=["results"])
def issue_list(request):
    filterset = IssueFilter(request.GET or None, queryset=Issue.objects.public().with_related())
    current_sort = filterset.sort_name  # the label says what the list is sorted by, whatever was asked
    keyset = KEYSETS[current_sort]
    page = _wall_page(request, CachedCountPaginator(filterset.ordered(), PAGE_SIZE), keyset)
    query = request.GET.copy()
    for name in ("page", "after", "before"):
        query.pop(name, None)
    rows = list(page.object_list)
    context = {
        "page": page,
        "query": query.urlencode(),
        "voted": _voted_ids(request.user, rows),
    }
    # A page can be empty while its count (kept a minute) says more follow: then no links.
    if rows and page.has_next():
        context["next_url"] = _link(query, page=page.number + 1, after=keyset.cursor(rows[-1]))
    if rows and page.has_previous():
        previous = {"page": page.number - 1, "before": keyset.cursor(rows[0])} if page.number > 2 else {}
        context["previous_url"] = _link(query, **previous)
    if request.htmx and request.htmx.target == "results":
        return render(request, "openwall/_issue_results.html", context)
    # The filter form is written out in the template: Django's widget templates cost a fifth of the page.
    chosen = {name: request.GET.get(name, "") for name in ("q", "topic", "district", "status")}
    chosen["active"] = sum(1 for name in ("topic", "district", "status") if chosen[name]) + (current_sort != "top")
    context |= {
        "chosen": chosen,
        "current_sort": current_sort,
        "sorts": SORTS,
        "statuses": Issue.Status.choices,
        "topics": Topic.objects.active(),
        "districts": District.objects.all(),
    }
    return render(request, "openwall/issue_list.html", context)


@require_GET
@anonymous_page("wall")
def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.active(), slug=slug)
    issues = list(Issue.objects.public().with_related().filter(topic=topic).ranked()[:PAGE_SIZE])
    return render(
        request,
        "openwall/topic_detail.html",
        {"topic": topic, "issues": issues, "voted": _voted_ids(request.user, issues)},
    )


def _story(issue, user) -> list:
    """The issue's steps, each with the partial template its kind registered (openwall/story.py)
    and its target: one query per kind of target, whatever the number of steps; a target whose
    model or row is gone is None. Steps of kinds that are not public are for organisers."""
    steps = list(issue.events.select_related("actor", "target_type"))
    if not user.has_perm("openwall.moderate"):
        steps = [step for step in steps if (kind := story.get(step.kind)) is None or kind.public]
    wanted = defaultdict(set)
    for step in steps:
        if step.target_type_id and step.target_type.model_class() is not None:
            wanted[step.target_type].add(step.target_id)
    found = {
        (content_type.pk, obj.pk): obj
        for content_type, ids in wanted.items()
        for obj in content_type.model_class()._base_manager.filter(pk__in=ids)
    }
    target = IssueEvent._meta.get_field("target")
    for step in steps:
        step.template_name = story.template_of(step.kind)
        target.set_cached_value(step, found.get((step.target_type_id, step.target_id)))
    return steps


def _detail_context(request, issue, comment_form) -> dict:
    replies = Prefetch("replies", queryset=Comment.objects.select_related("author").order_by("created_at", "id"))
    comments = Comment.objects.filter(issue=issue, parent=None).select_related("author").prefetch_related(replies)
    user = request.user
    return {
        "issue": issue,
        "story": _story(issue, user),
        "comments": comments.order_by("-official", "created_at", "id"),
        "voted": bool(_voted_ids(user, [issue])),
        "following": user.is_authenticated and issue.follows.filter(user=user).exists(),
        "comment_form": comment_form,
        "can_edit": user.has_perm("openwall.edit_issue", issue),
        "can_moderate": user.has_perm("openwall.moderate"),
        "tallies": issue.tallies.select_related("event").order_by("event__starts_at")
        if issue.offline_vote_count
        else [],
    }


@require_GET
@anonymous_page(lambda pk: f"issue:{pk}")
def issue_detail(request, pk):
    issue = _issue_for(request, pk, merged=True)
    if issue.merged_into_id and not request.user.has_perm("openwall.moderate"):
        return redirect(issue.merged_into)
    return render(request, "openwall/issue_detail.html", _detail_context(request, issue, CommentForm()))


@login_required
@rate_limited("issue_create")
def issue_create(request):
    if not request.user.has_perm("openwall.raise_issue"):
        raise PermissionDenied
    form = IssueForm(request.POST or None, request.FILES or None, initial={"topic": request.GET.get("topic")})
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "website_url"}
        issue = services.issue_create(author=request.user, **data)
        messages.success(request, _("Your issue is on the wall. Share it so others can vote."))
        return redirect(issue)
    return render(request, "openwall/issue_form.html", {"form": form})


@login_required
def issue_edit(request, pk):
    issue = _issue_for(request, pk, "openwall.edit_issue")
    form = IssueEditForm(request.POST or None, instance=issue)
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "website_url"}
        try:
            services.issue_update(issue=issue, by=request.user, **data)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Changes saved."))
        return redirect(issue)
    return render(request, "openwall/issue_form.html", {"form": form, "issue": issue})


@require_GET
def issue_similar(request):
    """The 'did you mean' list shown while someone types a new issue's title (htmx)."""
    title = request.GET.get("title", "")
    issues = Issue.objects.open_for_discussion().select_related("topic").similar_to(title)
    return render(request, "openwall/_similar.html", {"similar": issues})


@require_POST
@login_required
@rate_limited("vote")
def vote(request, pk):
    # Only what the rule, the service and the button read: this is the busiest write.
    fields = ("status", "hidden", "merged_into_id", "vote_count", "offline_vote_count")
    issue = get_object_or_404(Issue.objects.public().only(*fields), pk=pk)
    if not request.user.has_perm("openwall.vote", issue):
        raise PermissionDenied
    # The button says what it asks for, so a double click repeats the same wish instead of undoing it.
    wanted = {"vote": True, "unvote": False}.get(request.POST.get("action"))
    try:
        if wanted is None:
            voted = services.vote_toggle(user=request.user, issue=issue)
        else:
            voted = services.vote_set(user=request.user, issue=issue, voted=wanted)
    except ValidationError as exc:
        raise PermissionDenied(exc.messages[0]) from exc
    if request.htmx:
        issue.refresh_from_db(fields=["vote_count", "offline_vote_count"])
        return render(request, "openwall/_vote.html", {"issue": issue, "voted": voted})
    return redirect(_back(request, issue.get_absolute_url()))


@require_POST
@login_required
def follow(request, pk):
    issue = _issue_for(request, pk, "openwall.follow")
    following = services.follow_toggle(user=request.user, issue=issue)
    if request.htmx:
        return render(request, "openwall/_follow.html", {"issue": issue, "following": following})
    messages.success(request, _("You follow this issue.") if following else _("You no longer follow this issue."))
    return redirect(issue)


@require_POST
@login_required
@rate_limited("comment")
def comment_create(request, pk):
    issue = _issue_for(request, pk, "openwall.comment")
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = Comment.objects.filter(issue=issue, pk=form.cleaned_data["parent"]).first()
            if parent is None:
                raise Http404
        official = request.POST.get("official") == "1"
        try:
            comment = services.comment_create(
                author=request.user, issue=issue, body=form.cleaned_data["body"], parent=parent, official=official
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect(issue)
        return redirect(f"{issue.get_absolute_url()}#comment-{comment.pk}")
    # The page again, with the text kept and the error next to it.
    return render(request, "openwall/issue_detail.html", _detail_context(request, issue, form), status=400)


@login_required
def comment_edit(request, pk):
    comment = get_object_or_404(Comment.objects.visible_to(request.user).select_related("issue"), pk=pk)
    if not request.user.has_perm("openwall.edit_comment", comment):
        raise PermissionDenied
    form = CommentForm(request.POST or None, instance=comment)
    if request.method == "POST" and form.is_valid():
        services.comment_edit(comment=comment, by=request.user, body=form.cleaned_data["body"])
        return redirect(f"{comment.issue.get_absolute_url()}#comment-{comment.pk}")
    return render(request, "openwall/comment_form.html", {"form": form, "comment": comment})


@require_POST
@login_required
def comment_remove(request, pk):
    comment = get_object_or_404(Comment.objects.visible_to(request.user).select_related("issue"), pk=pk)
    services.comment_remove(comment=comment, by=request.user)
    messages.success(request, _("The comment is removed."))
    return redirect(f"{comment.issue.get_absolute_url()}#comment-{comment.pk}")


@login_required
@rate_limited("flag")
def flag(request, pk=None, comment_pk=None):
    """Report an issue or a comment to the moderators."""
    if comment_pk is not None:
        comment = get_object_or_404(Comment.objects.visible_to(request.user).select_related("issue"), pk=comment_pk)
        target, issue = {"comment": comment}, comment.issue
    else:
        issue = _issue_for(request, pk)
        target = {"issue": issue}
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _flag, created = services.flag_create(user=request.user, **form.cleaned_data, **target)
        messages.success(
            request,
            _("Thank you. The moderators will look at it.") if created else _("You have already reported this."),
        )
        return redirect(issue)
    context = {"form": form, "issue": issue, "flags_to_hide": settings.OPENWALL_FLAGS_TO_HIDE, **target}
    return render(request, "openwall/flag_form.html", context)


def _board_issues():
    return Issue.objects.public().filter(status__in=[Issue.Status.OPEN, Issue.Status.PRIORITISED]).with_related()


@login_required
def board(request):
    """The organisers' top issues, overall and per theme: what calls for projects are built from."""
    if not request.user.has_perm("openwall.moderate"):
        raise PermissionDenied
    per_topic = {}
    for issue in _board_issues().top_per_topic(5):
        per_topic.setdefault(issue.topic, []).append(issue)
    context = {"overall": list(_board_issues().ranked()[:20]), "per_topic": per_topic}
    return render(request, "openwall/board.html", context)


@require_POST
@login_required
def prioritise(request, pk):
    """One click on the board: mark an issue prioritised (followers hear about it)."""
    if not request.user.has_perm("openwall.moderate"):
        raise PermissionDenied
    issue = _issue_for(request, pk)
    services.issue_status_set(issue=issue, by=request.user, status=Issue.Status.PRIORITISED)
    if request.htmx:
        return render(request, "openwall/_board_status.html", {"issue": issue})
    return redirect("openwall:board")


@require_GET
def poster(request, pk):
    """An A4 poster of the issue for the next meetup's wall, with a QR code to its page."""
    issue = _issue_for(request, pk)
    return render(request, "openwall/poster.html", {"issue": issue, "url": site_url() + issue.get_absolute_url()})


@require_GET
@cache_control(public=True, max_age=86400)
def qr_code(request, pk):
    """The QR code of an issue's address, drawn here as SVG (nothing is fetched from elsewhere)."""
    issue = _issue_for(request, pk)
    return HttpResponse(qr_svg(site_url() + issue.get_absolute_url()), content_type="image/svg+xml")


def _event_for(request, pk, permission=None) -> CommunityEvent:
    events = (
        CommunityEvent.objects.all()
        if request.user.has_perm("openwall.moderate")
        else CommunityEvent.objects.published()
    )
    event = get_object_or_404(events.select_related("host", "district"), pk=pk)
    if permission and not request.user.has_perm(permission, event):
        raise PermissionDenied
    return event


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
