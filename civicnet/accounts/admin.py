from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import privacy, services
from .models import Invitation, Membership, Organisation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["-date_joined"]
    list_display = ["email", "display_name", "preferred_language", "district", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "preferred_language"]
    list_select_related = ["district"]
    search_fields = ["email", "display_name"]
    raw_id_fields = ["district"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name", "preferred_language", "district"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    actions = ["make_organiser"]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return [
            "email",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
            "last_login",
            "date_joined",
        ]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("make_organiser", None)
        return actions

    def get_deleted_objects(self, objs, request):
        # Their votes and reports are read-only records in the admin, but the erasure (delete_model)
        # removes them itself, keeping the counts right: no permission on those is needed.
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request, obj):
        privacy.user_delete(user=obj)  # votes, counters and personal data go as on the site

    def delete_queryset(self, request, queryset):
        for user in queryset:
            privacy.user_delete(user=user)

    @admin.action(description=_("Make organiser (admin access, MFA required)"))
    def make_organiser(self, request, queryset):
        for user in queryset:
            services.organiser_grant(user=user)
        self.message_user(
            request,
            ngettext("%d user is now an organiser.", "%d users are now organisers.", len(queryset)) % len(queryset),
        )


class MembershipFormSet(BaseInlineFormSet):
    def clean(self):
        """The rule of the site (services.membership_role_set): an organisation with members keeps
        at least one administrator. Judged on the memberships as they will be in the database,
        not only on the forms sent (a form left out of the post changes nothing)."""
        super().clean()
        if self.instance.pk is None:
            return
        roles = dict(self.instance.memberships.values_list("pk", "role"))
        for form in self.forms:
            if not form.instance.pk or form.instance.pk not in roles or not form.cleaned_data:
                continue
            if form.cleaned_data.get("DELETE"):
                del roles[form.instance.pk]
            else:
                roles[form.instance.pk] = form.cleaned_data.get("role", roles[form.instance.pk])
        if roles and Membership.Role.ADMIN not in roles.values():
            raise ValidationError(_("An organisation needs at least one administrator."), code="last_admin")


class MembershipInline(admin.TabularInline):
    """Organisers may change a member's role or remove them; people join through invitations."""

    model = Membership
    formset = MembershipFormSet
    extra = 0
    fields = ["user", "role", "joined_at"]
    readonly_fields = ["user", "joined_at"]

    def has_add_permission(self, request, obj=None):
        return False


class InvitationInline(admin.TabularInline):
    """Invitations are sent from the organisation's page (checked, limited and emailed there);
    organisers may withdraw one here."""

    model = Invitation
    extra = 0
    fields = ["email", "role", "invited_by", "created_at", "sent_at", "accepted_at", "revoked_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AdministratorsFilter(admin.SimpleListFilter):
    """The organisers' queue of organisations nobody runs (their last administrator left the platform)."""

    title = _("administrators")
    parameter_name = "administrators"

    def lookups(self, request, model_admin):
        return [("none", _("None left"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.exclude(memberships__role=Membership.Role.ADMIN)
        return queryset


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "circle", "verified", "member_count", "created_at"]
    list_filter = ["verified", "kind", "circle", AdministratorsFilter]
    list_select_related = ["circle"]
    search_fields = ["name", "slug", "website"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["verified", "verified_at", "created_by", "created_at"]
    inlines = [MembershipInline, InvitationInline]
    actions = ["verify"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    @admin.action(description=_("Verify the selected organisations (tells their members)"))
    def verify(self, request, queryset):
        count = sum(services.organisation_verify(organisation=org, by=request.user) for org in queryset)
        self.message_user(
            request,
            ngettext("%d organisation verified.", "%d organisations verified.", count) % count,
            messages.SUCCESS,
        )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "invited_by", "created_at", "accepted_at"]
    list_filter = ["role"]
    list_select_related = ["organisation", "invited_by"]
    search_fields = ["email", "organisation__name"]
    fields = [
        "organisation",
        "email",
        "role",
        "invited_by",
        "created_at",
        "sent_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # sent from the organisation's page, where it is checked, limited and emailed

    def has_change_permission(self, request, obj=None):
        return False
