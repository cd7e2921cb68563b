import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicnet.city.models import default_language, language_choices, site_language_codes

INVITATION_VALID_FOR = timedelta(days=14)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"), max_length=80, blank=True, help_text=_("Shown next to what you post.")
    )
    terms_accepted_at = models.DateTimeField(
        _("terms accepted at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When they accepted the terms of use."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=language_choices,
        blank=True,
        help_text=_("Pages and emails use it; leave empty to follow your browser."),
    )
    district = models.ForeignKey(
        "city.District",
        verbose_name=_("district"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Optional: where you live or work."),
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    # Kept from allauth's EmailAddress rows (accounts/apps.py): read with the user on every
    # request, so that rules asking for a verified address cost no query of their own.
    email_verified = models.BooleanField(
        _("email address verified"), default=False, editable=False, help_text=_("One of their addresses is confirmed.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.public_name

    def save(self, *args, **kwargs):
        """A whole save never writes email_verified: the user may have been loaded before one of
        their addresses was confirmed (allauth's password reset saves such a user), and the flag
        belongs to the addresses (accounts/apps.py)."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "email_verified"
            ]
        super().save(*args, **kwargs)

    @property
    def public_name(self) -> str:
        """What others see: never the email address."""
        return self.display_name or _("Participant %(number)s") % {"number": self.pk}

    def get_short_name(self):
        return self.public_name

    def get_full_name(self):
        return self.public_name

    @property
    def language(self) -> str:
        """What their emails speak: their choice, if the city still speaks it, else its default."""
        return self.preferred_language if self.preferred_language in site_language_codes() else default_language()


class OrganisationQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(verified=True)

    def visible_to(self, user):
        """Verified organisations for everyone; unverified ones for their members and organisers."""
        if user.is_authenticated and (user.is_superuser or user.has_perm("accounts.view_organisation")):
            return self
        if user.is_authenticated:
            is_member = Membership.objects.filter(organisation=models.OuterRef("pk"), user=user)
            return self.filter(models.Q(verified=True) | models.Exists(is_member))
        return self.verified()

    def of_member(self, user):
        return self.filter(memberships__user=user)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        CIVIC_INNOVATOR = "civic_innovator", _("Civic innovator")
        COMPANY = "company", _("Company")
        PUBLIC_INSTITUTION = "public_institution", _("Public institution")
        COMMUNITY = "community", _("Community organisation")
        GOVERNMENT = "government", _("Government")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="organisations/logos/", blank=True)
    circle = models.ForeignKey(
        "city.Circle",
        verbose_name=_("circle of the network"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("Where it stands in the network, as the network page shows it."),
    )
    verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Checked by an organiser: the organisation is who it says it is.")
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["verified", "name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("accounts:organisation_detail", kwargs={"slug": self.slug})

    def role_of(self, user) -> str | None:
        """The user's role here (admin/member) or None; cached on the instance for permission checks."""
        if not user.is_authenticated:
            return None
        cache = self.__dict__.setdefault("_roles", {})
        if user.pk not in cache:
            cache[user.pk] = self.memberships.filter(user=user).values_list("role", flat=True).first()
        return cache[user.pk]


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.role})"


def _invitation_token():
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        """Neither used nor withdrawn, and either waiting to be sent or sent less than 14 days ago."""
        fresh = models.Q(sent_at__isnull=True) | models.Q(created_at__gte=timezone.now() - INVITATION_VALID_FOR)
        return self.filter(fresh, accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=16, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Empty while the organisation is unverified: its invitations wait for an organiser's check.
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # Withdrawn invitations stay (their link no longer works): they count in the day's allowance.
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                "organisation",
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_pending_per_email",
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    def get_absolute_url(self):
        return reverse("accounts:invitation_accept", kwargs={"token": self.token})

    @property
    def expired(self) -> bool:
        """Sent more than 14 days ago (one still waiting to be sent has not started its 14 days)."""
        return self.sent_at is not None and self.created_at < timezone.now() - INVITATION_VALID_FOR

    @property
    def held(self) -> bool:
        """Not sent yet: the organisation waits for verification."""
        return self.sent_at is None
