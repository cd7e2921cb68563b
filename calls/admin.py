from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from openwall.models import Issue

from . import services
from .models import Call, CallQuestion, Proposal, ReviewCriterion


class ReviewCriterionInline(admin.TabularInline):
    model = ReviewCriterion
    extra = 1
    fields = ["name", "description", "weight", "order"]


class CallQuestionInline(admin.StackedInline):
    model = CallQuestion
    extra = 0
    fields = [("text", "kind", "required"), "help_text", ("max_length", "visibility", "order"), "choices"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["choices"].widget.attrs["rows"] = 3
        return formset


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "state", "opens_at", "closes_at"]
    list_filter = ["state"]
    search_fields = ["title"]
    # Opening goes through the service (the issues' stories, their followers): never the form.
    readonly_fields = ["state", "opened_at"]
    autocomplete_fields = ["issues"]
    filter_horizontal = ["topics"]
    inlines = [ReviewCriterionInline, CallQuestionInline]
    actions = ["open_calls"]
    fieldsets = [
        (None, {"fields": ["title", "description", "issues", "topics", "state", "opened_at"]}),
        (_("Timeline"), {"fields": ["opens_at", "closes_at"]}),
        (
            _("Who may answer, and what they get"),
            {"fields": ["eligibility", "proposals_per_organisation", "rewards", "rewards_detail"]},
        ),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "rewards":
            from django import forms

            return forms.TypedMultipleChoiceField(
                label=db_field.verbose_name,
                choices=Call.Reward.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Once open, its issues have been moved and their followers told: the list stays.
        if obj is not None and obj.state != Call.State.DRAFT:
            return [*self.readonly_fields, "issues"]
        return self.readonly_fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "issues":
            kwargs["queryset"] = Issue.objects.public()  # a hidden or merged issue is no call's
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # An opened call is in its issues' stories: it closes, it is not deleted.
        if obj is not None and obj.state != Call.State.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # drafts are deleted one by one, from their page
        return actions

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Open the selected calls (their issues' followers are told)"), permissions=["change"])
    def open_calls(self, request, queryset):
        opened = 0
        for call in queryset:
            try:
                services.call_open(call=call, by=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    self.message_user(request, f"{call}: {message}", messages.ERROR)
            else:
                opened += 1
        if opened:
            self.message_user(
                request, ngettext("%(count)d call opened.", "%(count)d calls opened.", opened) % {"count": opened}
            )


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """What organisers read of the proposals; the teams write them on the site (the services),
    so that the deadline and the versions hold whatever the back office does."""

    list_display = ["title", "organisation", "call", "state", "submitted_at"]
    list_filter = ["state", "call"]
    list_select_related = ["organisation", "call"]
    search_fields = ["title", "organisation__name"]
    readonly_fields = [
        "call",
        "organisation",
        "created_by",
        "title",
        "summary",
        "description",
        "issues",
        "team",
        "budget",
        "answers",
        "state",
        "submitted_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
