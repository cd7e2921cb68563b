from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import signing
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from civicnet.accounts.models import User
from openwall.models import Issue

from . import services
from .models import (
    Call,
    CallQuestion,
    CallReviewer,
    DecisionEmail,
    Proposal,
    Review,
    ReviewConflict,
    ReviewCriterion,
)


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


class CallReviewerInline(admin.TabularInline):
    model = CallReviewer
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "topics"]


def assign_reviewers(modeladmin, request, queryset):
    """Propose the optimal assignment of the selected call's reviewers, show it with its figures
    and the greedy baseline's, and apply it when the organiser confirms."""
    if queryset.count() != 1:
        modeladmin.message_user(request, _("Choose one call at a time."), messages.WARNING)
        return None
    call = queryset.get()
    if "apply" in request.POST:
        try:
            pairs = signing.loads(request.POST.get("pairs", ""), salt="calls.assignment", max_age=3600)
            count = services.assignment_apply(call=call, pairs=pairs, by=request.user)
        except signing.BadSignature:
            modeladmin.message_user(
                request, _("This preview is too old: propose the assignment again."), messages.ERROR
            )
        except ValidationError as exc:
            for message in exc.messages:
                modeladmin.message_user(request, message, messages.ERROR)
        else:
            modeladmin.message_user(
                request, ngettext("%(count)d review assigned.", "%(count)d reviews assigned.", count) % {"count": count}
            )
        return None
    proposed = services.assignment_propose(call=call)
    proposals = {p.pk: p for p in call.proposals.filter(pk__in=list(proposed["pairs"])).select_related("organisation")}
    people = {u.pk: u for u in User.objects.filter(pk__in=list(proposed["loads"]))}
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Assign the reviewers of “%(call)s”") % {"call": call},
        "call": call,
        "rows": [(proposals[pk], [people[r] for r in chosen]) for pk, chosen in proposed["pairs"].items()],
        "loads": [(people[pk], load) for pk, load in sorted(proposed["loads"].items(), key=lambda kv: -kv[1])],
        "figures": proposed["figures"],
        "greedy": proposed["greedy"],
        "signed": signing.dumps({str(k): v for k, v in proposed["pairs"].items()}, salt="calls.assignment"),
        "action": request.POST["action"],
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        "opts": modeladmin.model._meta,
    }
    return TemplateResponse(request, "admin/calls/assign.html", context)


class ExpertsForm(forms.Form):
    emails = forms.CharField(label=_("Their email addresses, one per line"), widget=forms.Textarea(attrs={"rows": 5}))

    def clean_emails(self):
        emails = [line.strip() for line in self.cleaned_data["emails"].splitlines() if line.strip()]
        field = forms.EmailField()
        for email in emails:
            field.clean(email)  # a mistyped address is said, and nothing is sent
        if len(emails) > 50:
            raise forms.ValidationError(_("At most 50 at a time."))
        return emails


def invite_experts(modeladmin, request, queryset):
    """Ask for addresses, then send each an invitation to review the selected call."""
    if queryset.count() != 1:
        modeladmin.message_user(request, _("Choose one call at a time."), messages.WARNING)
        return None
    call = queryset.get()
    form = ExpertsForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        sent = services.reviewers_invite(call=call, emails=form.cleaned_data["emails"], by=request.user)
        modeladmin.message_user(
            request, ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", sent) % {"count": sent}
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Invite outside experts to review “%(call)s”") % {"call": call},
        "form": form,
        "queryset": queryset,
        "action": request.POST["action"],
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        "opts": modeladmin.model._meta,
    }
    return TemplateResponse(request, "admin/openwall/action_form.html", context)


invite_experts.short_description = _("Invite outside experts to review (by email)")
invite_experts.allowed_permissions = ["change"]

assign_reviewers.short_description = _("Assign reviewers (shows the result before applying it)")
assign_reviewers.allowed_permissions = ["change"]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "state", "opens_at", "closes_at", "ranking_link"]
    list_filter = ["state"]
    search_fields = ["title"]
    # Opening goes through the service (the issues' stories, their followers): never the form.
    readonly_fields = ["state", "opened_at"]
    autocomplete_fields = ["issues"]
    filter_horizontal = ["topics"]
    inlines = [ReviewCriterionInline, CallQuestionInline, CallReviewerInline]
    actions = ["open_calls", "add_reviewers_group", invite_experts, assign_reviewers, "apply_decisions"]
    fieldsets = [
        (None, {"fields": ["title", "description", "issues", "topics", "state", "opened_at"]}),
        (_("Timeline"), {"fields": ["opens_at", "closes_at"]}),
        (
            _("Who may answer, and what they get"),
            {"fields": ["eligibility", "proposals_per_organisation", "rewards", "rewards_detail"]},
        ),
        (_("Review"), {"fields": ["reviews_per_proposal", "blind_review", "reviews_shown_after_own"]}),
    ]

    @admin.display(description=_("Reviews"))
    def ranking_link(self, call):
        return format_html('<a href="{}">{}</a>', reverse("calls:ranking", args=[call.pk]), _("Ranking"))

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

    @admin.action(description=_("Apply the staged decisions (the emails wait in the outbox)"), permissions=["change"])
    def apply_decisions(self, request, queryset):
        for call in queryset:
            try:
                counts = services.decisions_apply(call=call, by=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    self.message_user(request, f"{call}: {message}", messages.ERROR)
                continue
            done = ", ".join(f"{Proposal.State(state).label}: {count}" for state, count in sorted(counts.items()))
            self.message_user(
                request,
                _("%(call)s: %(done)s. Read the emails in the outbox, then release them.")
                % {"call": call, "done": done},
            )

    @admin.action(description=_("Make the Reviewers group reviewers of the selected calls"), permissions=["change"])
    def add_reviewers_group(self, request, queryset):
        added = sum(services.reviewers_add_group(call=call) for call in queryset)
        self.message_user(
            request, ngettext("%(count)d reviewer added.", "%(count)d reviewers added.", added) % {"count": added}
        )

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

    list_display = ["title", "organisation", "call", "state", "staged_decision", "submitted_at"]
    list_filter = ["state", "staged_decision", "call"]
    actions = ["stage_shortlist", "stage_accept", "stage_reject", "stage_clear"]
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

    def has_decide_permission(self, request):
        # Proposals are not changed here (the teams write them), but organisers decide on them.
        return request.user.has_perm("calls.change_proposal")

    def _stage(self, request, queryset, decision):
        staged = services.decision_stage(proposals=queryset, decision=decision, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d proposal staged. Apply the decisions from the calls' list.",
                "%(count)d proposals staged. Apply the decisions from the calls' list.",
                staged,
            )
            % {"count": staged},
            messages.SUCCESS if staged else messages.WARNING,
        )

    @admin.action(description=_("Stage: shortlist"), permissions=["decide"])
    def stage_shortlist(self, request, queryset):
        self._stage(request, queryset, Proposal.State.SHORTLISTED)

    @admin.action(description=_("Stage: accept"), permissions=["decide"])
    def stage_accept(self, request, queryset):
        self._stage(request, queryset, Proposal.State.ACCEPTED)

    @admin.action(description=_("Stage: not selected"), permissions=["decide"])
    def stage_reject(self, request, queryset):
        self._stage(request, queryset, Proposal.State.REJECTED)

    @admin.action(description=_("Take back the staged decision"), permissions=["decide"])
    def stage_clear(self, request, queryset):
        self._stage(request, queryset, "")


class ReviewAdminForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ["proposal", "reviewer"]

    def clean(self):
        cleaned = super().clean()
        proposal, reviewer = cleaned.get("proposal"), cleaned.get("reviewer")
        fresh = self.instance.pk is None and proposal and reviewer
        if fresh and (problems := services.review_assign_problems(proposal=proposal, reviewer=reviewer)):
            raise forms.ValidationError(problems)
        return cleaned


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """The assignments, adjusted by hand: a review is added here for one reviewer and one
    proposal (the conflicts hold), or removed before it is submitted. Its scores are the
    reviewer's: read here, written on the site."""

    form = ReviewAdminForm
    list_display = ["proposal", "reviewer", "recommendation", "submitted_at"]
    list_filter = ["proposal__call", "recommendation"]
    list_select_related = ["proposal", "reviewer"]
    search_fields = ["proposal__title", "reviewer__display_name", "reviewer__email"]
    autocomplete_fields = ["proposal", "reviewer"]

    def get_readonly_fields(self, request, obj=None):
        return ["proposal", "reviewer", "recommendation", "comment", "submitted_at"] if obj else []

    def get_fields(self, request, obj=None):
        return (
            ["proposal", "reviewer", "recommendation", "comment", "submitted_at"] if obj else ["proposal", "reviewer"]
        )

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.submitted_at is not None:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        obj.pk = services.review_assign(proposal=obj.proposal, reviewer=obj.reviewer, by=request.user).pk


@admin.register(ReviewConflict)
class ReviewConflictAdmin(admin.ModelAdmin):
    list_display = ["reviewer", "proposal", "organisation", "reason", "created_at"]
    list_select_related = ["reviewer", "proposal", "organisation"]
    autocomplete_fields = ["reviewer", "proposal", "organisation"]
    search_fields = ["reviewer__display_name", "reviewer__email", "reason"]


@admin.register(DecisionEmail)
class DecisionEmailAdmin(admin.ModelAdmin):
    """The outbox: decision emails wait here, to be read and edited, then released."""

    list_display = ["subject", "recipient", "decision", "created_at", "released_at"]
    list_filter = ["decision", "proposal__call", ("released_at", admin.EmptyFieldListFilter)]
    list_select_related = ["recipient"]
    search_fields = ["subject", "recipient__email", "proposal__title"]
    actions = ["release"]

    def get_fields(self, request, obj=None):
        return ["proposal", "decision", "recipient", "language", "subject", "body", "released_at", "released_by"]

    def get_readonly_fields(self, request, obj=None):
        fixed = ["proposal", "decision", "recipient", "language", "released_at", "released_by"]
        return [*fixed, "subject", "body"] if obj is not None and obj.released_at else fixed

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.released_at is None

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Release the selected emails"), permissions=["change"])
    def release(self, request, queryset):
        released = services.decision_emails_release(emails=queryset, by=request.user)
        self.message_user(
            request, ngettext("%(count)d email released.", "%(count)d emails released.", released) % {"count": released}
        )
