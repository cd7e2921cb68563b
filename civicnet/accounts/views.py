from collections import defaultdict

from allauth.account.decorators import verified_email_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicnet import phases
from civicnet.access import local_url, object_or_404, permission_required
from civicnet.city.models import Circle
from civicnet.ratelimit import rate_limited

from . import privacy, services
from .forms import AccountDeleteForm, InvitationForm, OrganisationForm, ProfileForm
from .models import Invitation, Membership, Organisation


def _organisation_for(request, slug, permission=None):
    """The organisation if the user may see it (404 otherwise) and, if asked, do `permission` (403)."""
    visible = Organisation.objects.visible_to(request.user)
    return object_or_404(visible, user=request.user, permission=permission, slug=slug)


@login_required
@rate_limited("profile")
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = services.profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        response = redirect("accounts:profile")
        # The language cookie wins over the profile (see UserLanguageMiddleware): keep them in step.
        if user.preferred_language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.preferred_language,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                samesite="Lax",
            )
        else:
            response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
        return response
    memberships = request.user.memberships.select_related("organisation").order_by("organisation__name")
    sections = [(section.template, section.context(request.user)) for section in phases.profile_sections()]
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships, "sections": sections})


@login_required
@require_GET
def welcome(request):
    """Where a new member lands once their email is confirmed: what they can do next, and first
    the page they were going to when they joined, if any (this site's pages only)."""
    going = local_url(request, request.GET.get("next", ""))
    return render(request, "accounts/welcome.html", {"actions": phases.home_actions(), "going": going})


def organisation_list(request):
    organisations = Organisation.objects.verified()
    kind = request.GET.get("kind")
    if kind in Organisation.Kind.values:
        organisations = organisations.filter(kind=kind)
    page = Paginator(organisations, 24).get_page(request.GET.get("page"))
    mine = (
        Organisation.objects.of_member(request.user) if request.user.is_authenticated else Organisation.objects.none()
    )
    return render(
        request,
        "accounts/organisation_list.html",
        {"page": page, "kinds": Organisation.Kind.choices, "kind": kind, "mine": mine},
    )


@require_GET
def network(request):
    """The coalition as the city sees it: the pack's circles, the verified organisations in each,
    and what each does on the platform (every phase says its part, civicnet.phases)."""
    organisations = list(Organisation.objects.verified().filter(circle__isnull=False).order_by("name", "pk"))
    activity = phases.network_activity(organisations)
    members = defaultdict(list)
    for organisation in organisations:
        organisation.activity = activity.get(organisation.pk, [])
        members[organisation.circle_id].append(organisation)
    circles = [(circle, members[circle.pk]) for circle in Circle.objects.all()]
    return render(request, "accounts/network.html", {"circles": circles})


def organisation_detail(request, slug):
    organisation = _organisation_for(request, slug)
    members = None
    if request.user.has_perm("organisation.view_members", organisation):
        members = organisation.memberships.select_related("user").order_by("-role", "joined_at")
    return render(
        request,
        "accounts/organisation_detail.html",
        {"organisation": organisation, "members": members, "role": organisation.role_of(request.user)},
    )


@verified_email_required
@permission_required("organisation.create")
@rate_limited("organisation_create")
def organisation_create(request):
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(user=request.user, **form.cleaned_data)
        messages.success(
            request, _("%(name)s is created. An organiser will verify it soon.") % {"name": organisation.name}
        )
        return redirect(organisation)
    return render(request, "accounts/organisation_form.html", {"form": form})


@login_required
@rate_limited("organisation_edit")
def organisation_edit(request, slug):
    organisation = _organisation_for(request, slug, "organisation.edit")
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        organisation.refresh_from_db()  # the form wrote its values on the instance; compare with the stored ones
        if services.organisation_update(organisation=organisation, by=request.user, **form.cleaned_data):
            messages.warning(
                request, _("Changes saved. The new name, kind or website will be checked by an organiser.")
            )
        else:
            messages.success(request, _("Changes saved."))
        return redirect(organisation)
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
@rate_limited("invitation_send")
def organisation_members(request, slug):
    organisation = _organisation_for(request, slug, "organisation.view_members")
    can_invite = request.user.has_perm("organisation.invite", organisation)
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not can_invite:
            raise PermissionDenied
        if form.is_valid():
            try:
                invitation = services.invitation_create(organisation=organisation, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error("email", exc)
            else:
                if invitation.held:
                    messages.success(
                        request,
                        _(
                            "Invitation to %(email)s saved. It will be sent once the organisers have verified "
                            "your organisation."
                        )
                        % {"email": invitation.email},
                    )
                else:
                    messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
                return redirect("accounts:organisation_members", slug=organisation.slug)
    context = {
        "organisation": organisation,
        "members": organisation.memberships.select_related("user").order_by("-role", "joined_at"),
        "invitations": organisation.invitations.pending().select_related("invited_by") if can_invite else [],
        "form": form if can_invite else None,
        "can_manage": request.user.has_perm("organisation.manage_members", organisation),
        "roles": Membership.Role.choices,
    }
    return render(request, "accounts/organisation_members.html", context)


@require_POST
@login_required
@rate_limited("membership")
def organisation_leave(request, slug):
    organisation = _organisation_for(request, slug, "organisation.leave")
    try:
        services.membership_leave(organisation=organisation, user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(organisation)
    messages.success(request, _("You have left %(name)s.") % {"name": organisation.name})
    return redirect("accounts:organisation_list")


@login_required
@rate_limited("membership")
def invitation_accept(request, token):
    # A withdrawn invitation, or one not sent yet, is no invitation at all for whoever has its link.
    sent = Invitation.objects.filter(sent_at__isnull=False, revoked_at__isnull=True)
    invitation = get_object_or_404(sent.select_related("organisation", "invited_by"), token=token)
    error = None
    if invitation.accepted_at is not None:
        error = _("This invitation has already been used.")
    elif invitation.expired:
        error = _("This invitation has expired; ask for a new one.")
    if request.method == "POST" and error is None:
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            error = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        else:
            messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.organisation.name})
            return redirect(invitation.organisation)
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "error": error, "roles": dict(Membership.Role.choices)},
        status=400 if error and request.method == "POST" else 200,
    )


@require_POST
@login_required
@rate_limited("membership")
def membership_change(request, slug, pk):
    """An administrator changes a member's role or removes them."""
    organisation = _organisation_for(request, slug, "organisation.manage_members")
    membership = get_object_or_404(organisation.memberships.select_related("user", "organisation"), pk=pk)
    action = request.POST.get("action")
    try:
        if action == "remove":
            services.membership_remove(membership=membership, by=request.user)
            messages.success(request, _("%(name)s is no longer a member.") % {"name": membership.user.public_name})
        elif action in Membership.Role.values:
            services.membership_role_set(membership=membership, by=request.user, role=action)
            messages.success(
                request,
                _("%(name)s is now %(role)s.")
                % {"name": membership.user.public_name, "role": membership.get_role_display()},
            )
        else:
            return HttpResponseBadRequest()
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("accounts:organisation_members", slug=organisation.slug)


@require_POST
@login_required
@rate_limited("membership")
def invitation_revoke(request, slug, pk):
    organisation = _organisation_for(request, slug, "organisation.manage_members")
    invitation = get_object_or_404(organisation.invitations.pending(), pk=pk)
    services.invitation_revoke(invitation=invitation, by=request.user)
    messages.success(request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email})
    return redirect("accounts:organisation_members", slug=organisation.slug)


@login_required
@rate_limited("data_export")
def data_export(request):
    """Download everything the platform holds about you (a zip with one JSON file)."""
    if request.method == "POST":
        response = HttpResponse(privacy.user_data_export(user=request.user), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="my-civicnet-data.zip"'
        return response
    return render(request, "accounts/data_export.html")


@login_required
@rate_limited("account_delete", count_failures=True)
def account_delete(request):
    """Erase your account after confirming with your password."""
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        privacy.user_delete(user=user)
        messages.success(request, _("Your account is deleted. What you posted stays, signed “former participant”."))
        return redirect("home")
    return render(request, "accounts/account_delete.html", {"form": form})
