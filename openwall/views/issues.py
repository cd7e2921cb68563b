"""The wall and an issue's page: lists, the story, raising and editing, votes and follows."""

from collections import defaultdict

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicnet import machine_translation, phases
from civicnet.access import local_url, object_or_404, permission_required
from civicnet.city.models import District, Topic, active_language, site_language_codes, site_languages
from civicnet.maps import map_config
from civicnet.pagecache import shared_page
from civicnet.pagination import CachedCountPaginator, keyset_page
from civicnet.personal import render_fragment
from civicnet.ratelimit import rate_limit_take, rate_limited

from .. import services, story
from ..filters import KEYSETS, SORTS, IssueFilter
from ..forms import CommentForm, IssueEditForm, IssueForm, TranslationForm
from ..models import Comment, Issue, IssueTranslation, StoryStep, Vote

PAGE_SIZE = 20


# What becomes of a top issue is said from where the calls for projects stand (civicnet.phases).
CALLS_PHASE = 2


def _issue_for(request, pk, permission=None, *, merged=False) -> Issue:
    issues = Issue.objects.visible_to(request.user, merged=merged).with_related().select_related("meetup")
    return object_or_404(issues, user=request.user, permission=permission, pk=pk)


def _voted_ids(user, issues) -> set[int]:
    return Vote.objects.issue_ids_voted_by(user, [issue.pk for issue in issues])


def _back(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or request.headers.get("referer") or fallback
    return local_url(request, target, fallback)


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
@shared_page(
    "wall", params=[*IssueFilter.Meta.fields, "page", "after", "before"], htmx_targets=["results"], members=True
)
def issue_list(request):
    filterset = IssueFilter(request.GET or None, queryset=Issue.objects.public().for_cards())
    current_sort = filterset.sort_name  # the label says what the list is sorted by, whatever was asked
    keyset = KEYSETS[current_sort]
    page = _wall_page(request, CachedCountPaginator(filterset.ordered(), PAGE_SIZE), keyset)
    query = request.GET.copy()
    for name in ("page", "after", "before"):
        query.pop(name, None)
    rows = list(page.object_list)
    _translated_cards(rows)
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
    chosen["languages"] = request.GET.getlist("language")
    chosen["active"] = sum(1 for name in ("topic", "district", "status") if chosen[name]) + (current_sort != "top")
    chosen["active"] += bool(chosen["languages"])
    context |= {
        "chosen": chosen,
        "current_sort": current_sort,
        "sorts": SORTS,
        "statuses": Issue.Status.choices,
        "topics": Topic.objects.active(),
        "districts": District.objects.in_reader_order(),
        "calls_stage": phases.stage_of(CALLS_PHASE),
        "has_map": bool(settings.CIVICNET_MAP_TILES),
        "languages": site_languages(),
    }
    return render(request, "openwall/issue_list.html", context)


@require_GET
@shared_page("wall", members=True)
def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.active(), slug=slug)
    issues = list(Issue.objects.public().for_cards().filter(topic=topic).ranked()[:PAGE_SIZE])
    _translated_cards(issues)
    return render(
        request,
        "openwall/topic_detail.html",
        {"topic": topic, "issues": issues, "voted": _voted_ids(request.user, issues)},
    )


def _story(issue, user) -> list:
    """The issue's steps, each with the partial template its kind registered (openwall/story.py)
    and its target: one query per kind of target, whatever the number of steps; a target whose
    model or row is gone is None. Steps of kinds that are not public are for organisers."""
    steps = list(issue.story_steps.select_related("actor", "target_type"))
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
    target = StoryStep._meta.get_field("target")
    for step in steps:
        step.template_name = story.template_of(step.kind)
        target.set_cached_value(step, found.get((step.target_type_id, step.target_id)))
    return steps


# What a comment on the page shows: its rendered text (not its source) and, of its author, the
# public name (not the whole account: password hash, email, preferences).
COMMENT_SHOWN = ("issue", "parent", "author", "author__display_name", "body_html", "official", "removed", "hidden")
COMMENT_SHOWN += ("created_at", "edited_at")


def _detail_context(request, issue, comment_form) -> dict:
    shown = Comment.objects.select_related("author").only(*COMMENT_SHOWN)
    # A list, not the related manager: `comment.replies.all` in the template cloned a queryset
    # twice per comment, a tenth of a long discussion's render.
    replies = Prefetch("replies", queryset=shown.order_by("created_at", "id"), to_attr="reply_list")
    comments = shown.filter(issue=issue, parent=None).prefetch_related(replies)
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
        "tallies": issue.tallies.select_related("meetup").order_by("meetup__starts_at")
        if issue.offline_vote_count
        else [],
        "map": map_config(),
        **_languages_context(request, issue),
    }


def _languages_context(request, issue) -> dict:
    """The text to show (the reader's language when a translation is accepted, unless they asked
    for the original), the languages it reads in, and those still to translate into."""
    # Issue.translated_text holds every accepted translation (for search): empty, there is none.
    accepted = {t.language: t for t in issue.translations.accepted()} if issue.translated_text else {}
    reader = active_language()
    shown = None if request.GET.get("original") else accepted.get(reader)
    names = dict(settings.LANGUAGES)
    return {
        "shown": shown,
        "original_language": names.get(issue.language, issue.language),
        "read_in": [(code, names[code]) for code in accepted],
        "to_translate": [
            (code, name) for code, name in site_languages() if code != issue.language and code not in accepted
        ],
    }


def _translated_cards(issues) -> None:
    IssueTranslation.objects.give_cards(issues, active_language())


def _not_a_moderator(request) -> bool:
    """Moderators see hidden comments: the page is rendered for them. Asked of the rule itself
    (django-rules), not through every auth backend: the model backend would read two tables of
    permissions no rule lives in, on each signed-in visit."""
    return not rules.has_perm("openwall.moderate", request.user)


@require_GET
@shared_page(lambda pk: f"issue:{pk}", params=["original"], members=_not_a_moderator)
def issue_detail(request, pk):
    issue = _issue_for(request, pk, merged=True)
    if issue.merged_into_id and not request.user.has_perm("openwall.moderate"):
        return redirect(issue.merged_into)
    return render(request, "openwall/issue_detail.html", _detail_context(request, issue, CommentForm()))


@login_required
@permission_required("openwall.raise_issue")
@rate_limited("issue_create")
def issue_create(request):
    form = IssueForm(request.POST or None, request.FILES or None, initial={"topic": request.GET.get("topic")})
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "website_url"}
        issue = services.issue_create(author=request.user, **data)
        messages.success(request, _("Your issue is on the wall. Share it so others can vote."), extra_tags="share")
        return redirect(issue)
    context = {"form": form, "calls_stage": phases.stage_of(CALLS_PHASE), "map": map_config()}
    return render(request, "openwall/issue_form.html", context)


@login_required
@rate_limited("issue_edit")
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
    return render(request, "openwall/issue_form.html", {"form": form, "issue": issue, "map": map_config()})


def _translation_target(request, pk, language, permission) -> tuple[Issue, str]:
    issue = _issue_for(request, pk, permission)
    if language not in site_language_codes() or language == issue.language:
        raise Http404("Not a language this issue can be translated into.")
    return issue, language


@login_required
@rate_limited("translate")
def issue_translate(request, pk, language):
    """Propose the issue's text in another site language (a machine draft first, where one is
    configured and asked for); its author or an organiser accepts it."""
    issue, language = _translation_target(request, pk, language, "openwall.translate")
    current = issue.translations.filter(language=language).select_related("proposed_by").first()
    if request.method == "POST":
        form = TranslationForm(request.POST)
        if form.is_valid():
            try:
                translation = services.translation_propose(
                    issue=issue, by=request.user, language=language, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if translation.status == IssueTranslation.Status.ACCEPTED:
                    messages.success(request, _("Thank you: readers of this language now see your translation."))
                else:
                    messages.success(request, _("Thank you: the issue's author will look at your translation."))
                return redirect(issue)
    else:
        initial = {"title": current.title, "description": current.description} if current else {}
        drafted = None
        if not current and request.GET.get("draft") and machine_translation.available():
            # Each draft costs the service (and a worker's seconds): counted like a write.
            if rate_limit_take(scope="machine_draft", request=request) is None:
                drafted = None
            else:
                drafted = machine_translation.draft(
                    [issue.title, issue.description], source=issue.language, target=language
                )
            if drafted:
                initial = {"title": drafted[0][:140], "description": drafted[1], "machine_draft": True}
            else:
                messages.warning(request, _("The translation service did not answer; write the translation yourself."))
        form = TranslationForm(initial=initial)
    names = dict(settings.LANGUAGES)
    context = {
        "issue": issue,
        "form": form,
        "language": language,
        "language_name": names[language],
        "original_language": names.get(issue.language, issue.language),
        "current": current,
        "can_accept": request.user.has_perm("openwall.accept_translation", issue),
        "publishes": request.user.has_perm("openwall.publish_translation", issue),
        "machine": machine_translation.available(),
    }
    return render(request, "openwall/translate.html", context, status=400 if request.method == "POST" else 200)


@require_POST
@login_required
@rate_limited("translate")
def translation_accept(request, pk, language):
    issue, language = _translation_target(request, pk, language, "openwall.accept_translation")
    translation = get_object_or_404(issue.translations, language=language)
    try:
        services.translation_accept(translation=translation, by=request.user, version=request.POST.get("version", ""))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("openwall:issue_translate", pk=issue.pk, language=language)
    messages.success(request, _("The translation is accepted: readers of this language see it now."))
    return redirect(issue)


MAP_LIMIT = 2000  # the most pins one map shows; the filters narrow it


def _map_or_404() -> None:
    if not settings.CIVICNET_MAP_TILES:
        raise Http404("This site has no map (no tile server is configured).")


@require_GET
@shared_page("wall", params=IssueFilter.Meta.fields, members=True)
def issue_map(request):
    """The wall's filtered issues on a map (where the site has a tile server)."""
    _map_or_404()
    query = request.GET.urlencode()
    context = {
        "map": map_config(),
        "query": query,
        "points_url": reverse("openwall:map_points") + (f"?{query}" if query else ""),
    }
    return render(request, "openwall/issue_map.html", context)


@require_GET
@shared_page("wall", params=IssueFilter.Meta.fields, members=True)
def issue_map_points(request):
    """The filtered issues that have a point, for the map: id, title, where, address."""
    _map_or_404()
    filterset = IssueFilter(request.GET or None, queryset=Issue.objects.public().filter(latitude__isnull=False))
    rows = filterset.ordered().values("pk", "title", "latitude", "longitude")[:MAP_LIMIT]
    address = reverse("openwall:issue_detail", args=[987654321]).replace("987654321", "{}")
    issues = [
        {
            "id": row["pk"],
            "title": row["title"],
            "latitude": row["latitude"],
            "longitude": row["longitude"],
            "url": address.format(row["pk"]),
        }
        for row in rows
    ]
    return JsonResponse({"issues": issues})


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
    issue = object_or_404(Issue.objects.public().only(*fields), user=request.user, permission="openwall.vote", pk=pk)
    # The button says what it asks for, so a double click repeats the same wish instead of undoing it.
    wanted = {"vote": True, "unvote": False}.get(request.POST.get("action"))
    try:
        if wanted is None:
            voted = services.vote_toggle(user=request.user, issue=issue)
        else:
            voted = services.vote_set(user=request.user, issue=issue, voted=wanted)
    except ValidationError as exc:
        raise PermissionDenied(exc.messages[0]) from exc
    if request.htmx:  # the service left the issue's current count on it
        return render_fragment(request, "openwall/_vote.html", {"issue": issue, "voted": voted})
    return redirect(_back(request, issue.get_absolute_url()))


@require_POST
@login_required
@rate_limited("follow")
def follow(request, pk):
    issue = _issue_for(request, pk, "openwall.follow")
    following = services.follow_toggle(user=request.user, issue=issue)
    if request.htmx:
        return render_fragment(request, "openwall/_follow.html", {"issue": issue, "following": following})
    messages.success(request, _("You follow this issue.") if following else _("You no longer follow this issue."))
    return redirect(issue)
