"""Writes for accounts and organisations: one function per action, keyword-only, transactional."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicnet import phases
from civicnet.city.models import active_language, site_language_codes
from civicnet.notifications import kinds
from civicnet.notifications.services import email_send_template, notify
from civicnet.uploads import file_delete_on_commit, image_reencode

from .models import Invitation, Membership, Organisation, User

ORGANISATION_VERIFIED = kinds.register(
    kinds.Kind(
        key="organisation.verified",
        label=gettext_lazy("An organisation you belong to is verified"),
        message=gettext_lazy("%(organisation)s is now verified by the organisers."),
        email_template="organisation_verified",
    )
)
INVITATION_ACCEPTED = kinds.register(
    kinds.Kind(
        key="organisation.invitation_accepted",
        label=gettext_lazy("Someone accepts your invitation to an organisation"),
        message=gettext_lazy("%(user)s joined %(organisation)s."),
        email_template="organisation_invitation_accepted",
    )
)

ORGANISATION_ORPHANED = kinds.register(
    kinds.Kind(
        key="organisation.orphaned",
        label=gettext_lazy("An organisation is left without an administrator (organisers)"),
        message=gettext_lazy("%(organisation)s has no administrator any more: its last one deleted their account."),
        digestible=False,
    )
)

# Core apps whose models organisers manage in the admin; phase apps declare theirs (civicnet.phases).
ORGANISER_APPS = ["accounts", "city", "notifications"]
# Power over accounts stays with superusers: organisers may look people up, not change them
# (a changed email or password is an account takeover; a changed flag is a privilege escalation).
ORGANISER_EXCLUDED_PERMISSIONS = ["add_user", "change_user", "delete_user"]


def email_verified_sync(*, user_id: int) -> None:
    """User.email_verified says whether one of the person's addresses is confirmed."""
    from allauth.account.models import EmailAddress

    verified = Exists(EmailAddress.objects.filter(user_id=OuterRef("pk"), verified=True))
    with transaction.atomic():
        # The person's row first: two address changes at once are counted one after the other,
        # each on what the other committed.
        User.objects.select_for_update().filter(pk=user_id).values_list("pk").first()
        User.objects.filter(pk=user_id).update(email_verified=verified)


def organisers_group_sync(**kwargs) -> Group:
    """Create the Organisers group and give it every permission on the apps they manage.

    Run after each migrate, so new models reach organisers without a manual step.
    """
    group, _created = Group.objects.get_or_create(name=settings.CIVICNET_ORGANISERS_GROUP)
    labels = [*ORGANISER_APPS, *phases.organiser_app_labels()]
    permissions = Permission.objects.filter(content_type__app_label__in=labels).exclude(
        content_type__app_label="accounts", codename__in=ORGANISER_EXCLUDED_PERMISSIONS
    )
    group.permissions.set(permissions)
    return group


def organisers():
    """The organisers who act: active staff in the Organisers group."""
    return User.objects.filter(
        is_active=True, is_staff=True, groups__name=settings.CIVICNET_ORGANISERS_GROUP
    ).distinct()


def organisers_notify(*, kind: str, target, data: dict, url: str) -> None:
    """Tell every organiser, in the app (and by email as the kind says)."""
    for organiser in organisers():
        notify(recipient=organiser, kind=kind, target=target, data=data, url=url)


@transaction.atomic
def organiser_grant(*, user: User) -> User:
    """Make `user` an organiser: admin access, member of Organisers. MFA is then required."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(organisers_group_sync())
    return user


# Slugs that are fixed URL segments under /organisations/.
RESERVED_SLUGS = {"new"}


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "organisation"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organisation_create(
    *, user: User, name: str, kind: str, description: str = "", website: str = "", logo=None
) -> Organisation:
    """Create an unverified organisation with `user` as its administrator."""
    organisation = Organisation.objects.create(
        name=name,
        slug=_unique_slug(name),
        kind=kind,
        description=description,
        website=website,
        logo=image_reencode(logo) if logo else "",
        created_by=user,
    )
    Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.ADMIN)
    return organisation


# Changing any of these changes who the organisation claims to be: the organisers check again.
IDENTITY_FIELDS = ("name", "kind", "website")


@transaction.atomic
def organisation_update(*, organisation: Organisation, by: User, **fields) -> bool:
    """Change an organisation's public details. Returns whether it lost its verification.

    A verified organisation that changes its name, kind or website goes back to unverified,
    so that the badge cannot be carried over to another identity. A new logo is re-encoded;
    the replaced one is deleted from storage after commit.
    """
    logo = fields.pop("logo", None)
    reverify = organisation.verified and any(
        fields[key] != getattr(organisation, key) for key in IDENTITY_FIELDS if key in fields
    )
    for key, value in fields.items():
        setattr(organisation, key, value)
    old_logo = organisation.logo
    if logo is False:  # the form's "clear" box
        organisation.logo = ""
    elif logo and logo != organisation.logo:
        organisation.logo = image_reencode(logo)
    if old_logo and organisation.logo != old_logo:
        file_delete_on_commit(old_logo)
    if reverify:
        organisation.verified, organisation.verified_at = False, None
    organisation.save()
    return reverify


@transaction.atomic
def organisation_verify(*, organisation: Organisation, by: User) -> bool:
    """Mark verified, tell its members, and send the invitations that waited for it.
    Returns False if it already was."""
    updated = Organisation.objects.filter(pk=organisation.pk, verified=False).update(
        verified=True, verified_at=timezone.now()
    )
    if not updated:
        return False
    organisation.refresh_from_db()
    # Every invitation that waited, however long: its 14 days start when it is sent.
    held = organisation.invitations.pending().filter(sent_at__isnull=True)
    for invitation in held.select_related("organisation", "invited_by"):
        _invitation_send(invitation)
    for membership in organisation.memberships.select_related("user"):
        notify(
            recipient=membership.user,
            kind=ORGANISATION_VERIFIED.key,
            actor=by,
            target=organisation,
            data={"organisation": organisation.name},
            url=organisation.get_absolute_url(),
            email_context={"organisation": organisation},
        )
    return True


@transaction.atomic
def invitation_create(*, organisation: Organisation, by: User, email: str, role: str) -> Invitation:
    """Invite `email` to join. Returns the invitation; `invitation.held` says whether it waits.

    A verified organisation's invitation is emailed at once, in the invitee's language (or the
    inviter's). An unverified one's is kept, unsent, until an organiser verifies the
    organisation (organisation_verify sends it): nobody can use the platform's name to mail
    strangers before the organisers know who is writing. Raises ValidationError if the address
    is already a member or invited, or if the organisation has sent its day's invitations.
    """
    email = email.strip().lower()
    # Locked: a verification committing meanwhile either sees this invitation, or is seen by it.
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError(_("%(email)s is already a member.") % {"email": email}, code="member")
    # Counted in the database, per organisation: its administrators together, Redis or not, and
    # withdrawn invitations too (withdrawing gives nothing back).
    limit = settings.CIVICNET_INVITATIONS_PER_ORGANISATION_PER_DAY
    since = timezone.now() - timedelta(days=1)
    if organisation.invitations.filter(created_at__gte=since).count() >= limit:
        raise ValidationError(
            _("This organisation has sent %(count)s invitations in the last 24 hours, the most it may. Try tomorrow.")
            % {"count": limit},
            code="organisation_limit",
        )
    if not organisation.verified and organisation.invitations.pending().filter(sent_at__isnull=True).count() >= limit:
        raise ValidationError(
            _("%(count)s invitations already wait for the organisers to verify this organisation.") % {"count": limit},
            code="held_limit",
        )
    organisation.invitations.filter(email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True).exclude(
        pk__in=organisation.invitations.pending()
    ).delete()  # an expired invitation gives way to a new one
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(organisation=organisation, email=email, role=role, invited_by=by)
    except IntegrityError as exc:
        raise ValidationError(
            _("%(email)s already has a pending invitation.") % {"email": email}, code="pending"
        ) from exc
    if organisation.verified:
        _invitation_send(invitation)
    return invitation


def _invitation_send(invitation: Invitation) -> None:
    """Email the invitation now; its 14 days start today.

    The email carries the link (sensitive: stored encrypted until sent). The names the
    organisation chose appear only in the body, never in the subject, and as plain text."""
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=now, created_at=now)
    invitation.sent_at = invitation.created_at = now
    invitee = User.objects.filter(email__iexact=invitation.email).first()
    inviter = invitation.invited_by
    fallback = inviter.language if inviter else active_language()
    email_send_template(
        to=invitation.email,
        template="organisation_invitation",
        context={"invitation": invitation, "organisation": invitation.organisation, "inviter": inviter},
        language=invitee.language if invitee else fallback,
        recipient=invitee,
        sensitive=True,
        about_id=inviter.pk if inviter else None,
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Join the organisation through an invitation sent to one of the user's verified addresses.

    Side effects: creates the membership, marks the invitation used, notifies the inviter.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.held:
        raise ValidationError(_("This invitation has not been sent yet."), code="held")
    if invitation.revoked_at is not None:
        raise ValidationError(_("This invitation was withdrawn."), code="revoked")
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if invitation.expired:
        raise ValidationError(_("This invitation has expired; ask for a new one."), code="expired")
    verified = user.emailaddress_set.filter(verified=True).values_list("email", flat=True)
    if invitation.email.lower() not in {address.lower() for address in verified}:
        raise PermissionDenied(_("This invitation was sent to another email address."))
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if created and invitation.invited_by is not None:
        organisation = invitation.organisation
        notify(
            recipient=invitation.invited_by,
            kind=INVITATION_ACCEPTED.key,
            actor=user,
            target=organisation,
            data={"user": user.public_name, "organisation": organisation.name},
            url=organisation.get_absolute_url(),
            email_context={"organisation": organisation, "member": user},
        )
    return membership


def _lock(organisation: Organisation) -> None:
    """Serialise membership changes of one organisation (two admins leaving at once, say)."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()


def _other_admins(organisation: Organisation, user_id: int) -> bool:
    return organisation.memberships.filter(role=Membership.Role.ADMIN).exclude(user_id=user_id).exists()


@transaction.atomic
def membership_leave(*, organisation: Organisation, user: User) -> None:
    """Leave an organisation. Someone must stay to run it: the last administrator cannot leave."""
    _lock(organisation)
    membership = organisation.memberships.filter(user=user).first()
    if membership is None:
        raise ValidationError(_("You are not a member of this organisation."), code="not_member")
    if not organisation.memberships.exclude(user=user).exists():
        raise ValidationError(
            _("You are its only member. To close the organisation, write to the organisers."), code="only_member"
        )
    if membership.role == Membership.Role.ADMIN and not _other_admins(organisation, user.pk):
        raise ValidationError(
            _("You are the last administrator: make another member an administrator before you leave."),
            code="last_admin",
        )
    membership.delete()


@transaction.atomic
def membership_role_set(*, membership: Membership, by: User, role: str) -> Membership:
    """Make a member an administrator or a plain member; an organisation always keeps one administrator."""
    _lock(membership.organisation)
    if role == Membership.Role.MEMBER and not _other_admins(membership.organisation, membership.user_id):
        raise ValidationError(_("An organisation needs at least one administrator."), code="last_admin")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    """Remove someone else from the organisation (administrators leave through membership_leave)."""
    _lock(membership.organisation)
    if membership.user_id == by.pk:
        raise ValidationError(_("Use “Leave” to leave the organisation yourself."), code="self")
    if membership.role == Membership.Role.ADMIN and not _other_admins(membership.organisation, membership.user_id):
        raise ValidationError(_("An organisation needs at least one administrator."), code="last_admin")
    membership.delete()


def invitation_revoke(*, invitation: Invitation, by: User) -> None:
    """Withdraw a pending invitation: its link stops working; the row stays (see invitation_create)."""
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def profile_update(*, user: User, display_name: str, preferred_language: str, district=None) -> User:
    fields = ["preferred_language", "district"]
    # Others see the name: only a real change refreshes their pages (the stored one is compared,
    # a model form may have set the new one on `user` already).
    if display_name != User.objects.filter(pk=user.pk).values_list("display_name", flat=True).first():
        fields.append("display_name")
    user.display_name = display_name
    user.preferred_language = preferred_language
    user.district = district
    user.save(update_fields=fields)
    return user


def user_language_set(*, user: User, language: str) -> None:
    if language in site_language_codes() and user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


def signup_complete(*, user: User, display_name: str) -> User:
    """What sign-up adds to allauth's account: the public name chosen (blank: stays anonymous) and
    when the terms of use were accepted."""
    user.display_name = display_name
    user.terms_accepted_at = timezone.now()
    user.save(update_fields=["display_name", "terms_accepted_at"])
    return user
