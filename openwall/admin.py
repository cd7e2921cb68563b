import csv

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from civicnet.adminsite import NoBulkDelete, RecordAdmin

from . import services, story
from .exports import csv_safe
from .models import (
    Comment,
    Flag,
    Issue,
    IssueTranslation,
    Meetup,
    MeetupRegistration,
    ModerationAction,
    OfflineTally,
    StoryStep,
    Vote,
)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why? (kept in the moderation log)"), widget=forms.Textarea(attrs={"rows": 3}))


class MergeForm(forms.Form):
    into = forms.IntegerField(label=_("Number of the issue to keep"), min_value=1)


def _ask(modeladmin, request, queryset, form_class, title):
    """An admin action's intermediate page: returns the cleaned form once submitted, else the page."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data, None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "queryset": queryset,
        "action": request.POST["action"],
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        "opts": modeladmin.model._meta,
    }
    return None, TemplateResponse(request, "admin/openwall/action_form.html", context)


def _moderate_each(modeladmin, request, queryset, service, field, title):
    data, page = _ask(modeladmin, request, queryset, ReasonForm, title)
    if page:
        return page
    for obj in queryset:
        service(by=request.user, reason=data["reason"], **{field: obj})
    modeladmin.message_user(
        request, ngettext("%d item updated.", "%d items updated.", len(queryset)) % len(queryset), messages.SUCCESS
    )
    return None


class StoryStepInline(admin.TabularInline):
    model = StoryStep

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    extra = 0
    fields = ["created_at", "kind_label", "note", "actor"]
    readonly_fields = fields
    can_delete = False

    @admin.display(description=_("step"))
    def kind_label(self, obj):
        kind = story.get(obj.kind)
        label = str(kind.label) if kind else obj.kind
        if obj.kind == StoryStep.Kind.STATUS:
            label += f": {obj.get_new_status_display()}"
        return label

    def has_add_permission(self, request, obj=None):
        return False


def _set_status(modeladmin, request, queryset, status, **kwargs):
    changed = sum(
        services.issue_status_set(issue=issue, by=request.user, status=status, **kwargs) for issue in queryset
    )
    modeladmin.message_user(
        request, ngettext("%d issue updated.", "%d issues updated.", changed) % changed, messages.SUCCESS
    )


class FlaggedFilter(admin.SimpleListFilter):
    title = _("reports")
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("yes", _("Has reports waiting for review"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(open_flags__gt=0)
        return queryset


@admin.register(Issue)
class IssueAdmin(NoBulkDelete, admin.ModelAdmin):
    """Issues are raised on the site and leave it through hiding, closing or merging (logged, and
    followers told); deleting one would take its moderation log with it."""

    # Fits a 1280 px screen: online and paper votes share a column, "hidden" shows in the status.
    list_display = ["title", "topic", "district", "shown_status", "votes", "comment_count", "flag_count", "created_at"]
    list_filter = ["status", "topic", "district", "hidden", FlaggedFilter, "language"]
    list_select_related = ["topic", "district", "author"]
    search_fields = ["title", "description"]

    def get_search_results(self, request, queryset, search_term):
        # Where another app's form picks issues (a call's, say), the public ones come, top first.
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if request.path == reverse("admin:autocomplete"):
            queryset = queryset.public().ranked()
        return queryset, duplicates

    # Changes that matter go through the actions (and so the services, the log and the counters);
    # the form itself only corrects where an issue belongs.
    fields = [
        "title",
        "description",
        "topic",
        "district",
        "address",
        "photo",
        "author",
        "language",
        "meetup",
        "status",
        "close_reason",
        "hidden",
        "merged_into",
        "vote_count",
        "offline_vote_count",
        "comment_count",
        "trend_score",
        "created_at",
        "updated_at",
    ]
    readonly_fields = [name for name in fields if name not in ("topic", "district")]
    date_hierarchy = "created_at"
    inlines = [StoryStepInline]
    actions = [
        "prioritise",
        "mark_being_tackled",
        "mark_resolved",
        "close_duplicate",
        "close_off_topic",
        "hide",
        "restore",
        "merge",
        "export_csv",
    ]

    @admin.action(description=_("Export the selected issues as CSV"))
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="issues.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(
            [
                "id",
                "title",
                "topic",
                "district",
                "status",
                "votes",
                "offline_votes",
                "comments",
                "open_flags",
                "hidden",
                "created_at",
            ]
        )
        for issue in queryset.select_related("topic", "district"):
            writer.writerow(
                [
                    issue.pk,
                    csv_safe(issue.title),
                    issue.topic.slug,
                    issue.district.slug if issue.district else "",
                    issue.status,
                    issue.vote_count,
                    issue.offline_vote_count,
                    issue.comment_count,
                    issue.open_flags,
                    issue.hidden,
                    issue.created_at.isoformat(),
                ]
            )
        return response

    @admin.action(description=_("Mark as prioritised (tells followers)"))
    def prioritise(self, request, queryset):
        _set_status(self, request, queryset, Issue.Status.PRIORITISED)

    @admin.action(description=_("Mark as being tackled (tells followers)"))
    def mark_being_tackled(self, request, queryset):
        _set_status(self, request, queryset, Issue.Status.BEING_TACKLED)

    @admin.action(description=_("Mark as resolved (tells followers)"))
    def mark_resolved(self, request, queryset):
        _set_status(self, request, queryset, Issue.Status.RESOLVED)

    @admin.action(description=_("Close as duplicate"))
    def close_duplicate(self, request, queryset):
        _set_status(self, request, queryset, Issue.Status.CLOSED, close_reason=Issue.CloseReason.DUPLICATE)

    @admin.action(description=_("Close as off-topic"))
    def close_off_topic(self, request, queryset):
        _set_status(self, request, queryset, Issue.Status.CLOSED, close_reason=Issue.CloseReason.OFF_TOPIC)

    @admin.action(description=_("Hide from the wall (asks why)"))
    def hide(self, request, queryset):
        return _moderate_each(self, request, queryset, services.moderation_hide, "issue", _("Hide these issues"))

    @admin.action(description=_("Show on the wall again (asks why)"))
    def restore(self, request, queryset):
        return _moderate_each(
            self, request, queryset, services.moderation_restore, "issue", _("Show these issues again")
        )

    @admin.action(description=_("Merge into another issue (asks which)"))
    def merge(self, request, queryset):
        data, page = _ask(self, request, queryset, MergeForm, _("Merge duplicates into one issue"))
        if page:
            return page
        into = Issue.objects.filter(pk=data["into"]).first()
        if into is None:
            self.message_user(request, _("There is no issue with that number."), messages.ERROR)
            return None
        merged = 0
        for duplicate in queryset.exclude(pk=into.pk):
            try:
                services.issue_merge(duplicate=duplicate, into=into, by=request.user)
                merged += 1
            except ValidationError as exc:
                self.message_user(request, f"{duplicate}: {exc.messages[0]}", messages.ERROR)
        self.message_user(request, ngettext("%d issue merged.", "%d issues merged.", merged) % merged, messages.SUCCESS)
        return None

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        open_flags = Count("flags", filter=Q(flags__resolved_at__isnull=True))
        return super().get_queryset(request).annotate(open_flags=open_flags)

    @admin.display(description=_("open reports"), ordering="open_flags")
    def flag_count(self, obj):
        return obj.open_flags

    @admin.display(description=_("votes"), ordering=F("vote_count") + F("offline_vote_count"))
    def votes(self, obj):
        if not obj.offline_vote_count:
            return obj.vote_count
        return _("%(online)s + %(paper)s at meetups") % {"online": obj.vote_count, "paper": obj.offline_vote_count}

    @admin.display(description=_("status"), ordering="status")
    def shown_status(self, obj):
        status = obj.get_status_display()
        return _("%(status)s, hidden") % {"status": status} if obj.hidden else status


@admin.register(Comment)
class CommentAdmin(NoBulkDelete, admin.ModelAdmin):
    list_display = ["__str__", "issue", "author", "official", "removed", "hidden", "created_at"]
    list_filter = ["official", "removed", "hidden"]
    actions = ["hide", "restore"]

    @admin.action(description=_("Hide (asks why)"))
    def hide(self, request, queryset):
        return _moderate_each(self, request, queryset, services.moderation_hide, "comment", _("Hide these comments"))

    @admin.action(description=_("Show again (asks why)"))
    def restore(self, request, queryset):
        return _moderate_each(
            self, request, queryset, services.moderation_restore, "comment", _("Show these comments again")
        )

    list_select_related = ["issue", "author"]
    search_fields = ["body"]
    fields = ["issue", "parent", "author", "body", "official", "removed", "hidden", "created_at", "edited_at"]
    readonly_fields = fields  # hide/restore with the actions; authors edit their own text on the site

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the issue's comment count and the moderation log would not follow


class RegistrationInline(admin.TabularInline):
    model = MeetupRegistration
    extra = 0
    fields = ["user", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class TallyInline(admin.TabularInline):
    model = OfflineTally
    extra = 0
    fields = ["issue", "votes", "recorded_by", "recorded_at"]
    readonly_fields = fields  # facilitators enter counts on the meetup page (checked and logged there)
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("issue", "recorded_by")


@admin.register(Meetup)
class MeetupAdmin(NoBulkDelete, admin.ModelAdmin):
    list_display = ["title", "starts_at", "host", "district", "capacity", "registration_count", "published"]
    list_filter = ["published", "host", "district"]
    list_select_related = ["host", "district"]
    search_fields = ["title", "address", "host__name"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["host"]
    filter_horizontal = ["topics"]
    inlines = [RegistrationInline, TallyInline]

    def has_delete_permission(self, request, obj=None):
        # Its paper votes count in issues' totals: a meetup that has some is unpublished, not deleted.
        if obj is not None and obj.tallies.exists():
            return False
        return super().has_delete_permission(request, obj)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(registration_total=Count("registrations"))

    @admin.display(description=_("registrations"), ordering="registration_total")
    def registration_count(self, obj):
        return obj.registration_total


class TranslationAdminForm(forms.ModelForm):
    """Carries the version of the text the organiser read, so that a text changed since is
    neither accepted nor overwritten unseen."""

    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = IssueTranslation
        fields = ["title", "description"]
        help_texts = {
            "description": _("Saving accepts the text as you read it; what you correct is published as yours."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and cleaned.get("seen") != self.instance.version:
            raise forms.ValidationError(
                _("This translation changed while you read it: read it again before you accept it.")
            )
        return cleaned


@admin.register(IssueTranslation)
class IssueTranslationAdmin(NoBulkDelete, admin.ModelAdmin):
    """Translations are proposed on the site; here an organiser reads one and saves it: unchanged,
    it is accepted as read; corrected, their text is published. Removing one goes through the
    service too (the page text, the excerpt and what search reads follow)."""

    list_display = ["issue", "language", "status", "machine_draft", "proposed_by", "created_at"]
    list_filter = ["status", "language", "machine_draft"]
    list_select_related = ["issue", "proposed_by"]
    search_fields = ["title", "description", "issue__title"]
    form = TranslationAdminForm
    fields = ["issue", "language", "title", "description", "seen", "status", "machine_draft", "proposed_by"]
    fields += ["accepted_by", "accepted_at", "created_at"]
    readonly_fields = [name for name in fields if name not in ("title", "description", "seen")]

    def has_add_permission(self, request):
        return False  # proposed on the issue's page, by a person who read it

    def has_change_permission(self, request, obj=None):
        if obj is not None and not request.user.has_perm("openwall.publish_translation", obj.issue):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        try:
            if set(form.changed_data) - {"seen"}:  # corrected: the organiser's text is published at once
                services.translation_propose(
                    issue=obj.issue,
                    by=request.user,
                    language=obj.language,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                )
            elif obj.status != IssueTranslation.Status.ACCEPTED:  # read and saved as it was: accepted
                services.translation_accept(translation=obj, by=request.user, version=form.cleaned_data["seen"])
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(request, " ".join(getattr(exc, "messages", [str(exc)])), messages.ERROR)
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        services.translation_remove(translation=obj, by=request.user)


@admin.register(Vote)
class VoteAdmin(RecordAdmin, admin.ModelAdmin):
    list_display = ["issue", "user", "created_at"]
    list_select_related = ["issue", "user"]
    raw_id_fields = ["issue", "user"]
    date_hierarchy = "created_at"


class OpenFlagFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", _("Waiting for review")), ("resolved", _("Resolved"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(Flag)
class FlagAdmin(RecordAdmin, admin.ModelAdmin):
    """The moderation queue: what people reported, oldest first."""

    list_display = ["target_text", "reason", "note", "user", "created_at", "resolved_at"]
    list_filter = [OpenFlagFilter, "reason"]
    list_select_related = ["issue", "comment", "comment__issue", "user"]
    raw_id_fields = ["user", "issue", "comment"]
    ordering = ["resolved_at", "created_at"]
    actions = ["hide_targets", "restore_targets"]

    @admin.display(description=_("reported"))
    def target_text(self, obj):
        return obj.issue.title if obj.issue_id else f"{obj.comment.issue.title} — {obj.comment.body[:80]}"

    def _targets(self, queryset):
        return {(flag.issue_id and ("issue", flag.issue)) or ("comment", flag.comment) for flag in queryset}

    @admin.action(description=_("Hide what was reported (asks why)"))
    def hide_targets(self, request, queryset):
        data, page = _ask(self, request, queryset, ReasonForm, _("Hide what was reported"))
        if page:
            return page
        for field, target in self._targets(queryset):
            services.moderation_hide(by=request.user, reason=data["reason"], **{field: target})
        self.message_user(request, _("Hidden, and the reports resolved."), messages.SUCCESS)
        return None

    @admin.action(description=_("Keep what was reported: dismiss the reports (asks why)"))
    def restore_targets(self, request, queryset):
        data, page = _ask(self, request, queryset, ReasonForm, _("Dismiss the reports"))
        if page:
            return page
        for field, target in self._targets(queryset):
            services.moderation_restore(by=request.user, reason=data["reason"], **{field: target})
        self.message_user(request, _("Reports dismissed; shown again."), messages.SUCCESS)
        return None


@admin.register(ModerationAction)
class ModerationActionAdmin(RecordAdmin, admin.ModelAdmin):
    list_display = ["created_at", "action", "moderator", "issue", "comment", "reason"]
    list_filter = ["action"]
    list_select_related = ["moderator", "issue", "comment"]
    search_fields = ["reason", "issue__title"]
    date_hierarchy = "created_at"
