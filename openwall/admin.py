from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Comment, Issue, IssueEvent, Vote


class IssueEventInline(admin.TabularInline):
    model = IssueEvent
    extra = 0
    fields = ["created_at", "kind", "old_status", "new_status", "note", "actor"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


def _set_status(modeladmin, request, queryset, status, **kwargs):
    changed = sum(
        services.issue_status_set(issue=issue, by=request.user, status=status, **kwargs) for issue in queryset
    )
    modeladmin.message_user(
        request, ngettext("%d issue updated.", "%d issues updated.", changed) % changed, messages.SUCCESS
    )


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "topic",
        "district",
        "status",
        "vote_count",
        "offline_vote_count",
        "comment_count",
        "hidden",
        "created_at",
    ]
    list_filter = ["status", "topic", "district", "hidden", "language"]
    list_select_related = ["topic", "district", "author"]
    search_fields = ["title", "description"]
    raw_id_fields = ["author", "merged_into"]
    readonly_fields = [
        "description",
        "vote_count",
        "comment_count",
        "created_at",
        "updated_at",
        "status",
        "close_reason",
    ]
    exclude = ["description_html"]
    date_hierarchy = "created_at"
    inlines = [IssueEventInline]
    actions = [
        "prioritise",
        "mark_being_tackled",
        "mark_resolved",
        "close_duplicate",
        "close_off_topic",
        "hide",
        "restore",
    ]

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

    @admin.action(description=_("Hide from the wall"))
    def hide(self, request, queryset):
        queryset.update(hidden=True)

    @admin.action(description=_("Show on the wall again"))
    def restore(self, request, queryset):
        queryset.update(hidden=False)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "issue", "author", "official", "removed", "created_at"]
    list_filter = ["official", "removed"]
    list_select_related = ["issue", "author"]
    search_fields = ["body"]
    raw_id_fields = ["issue", "parent", "author"]
    exclude = ["body_html"]


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["issue", "user", "created_at"]
    list_select_related = ["issue", "user"]
    raw_id_fields = ["issue", "user"]
    date_hierarchy = "created_at"
