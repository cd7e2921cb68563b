from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Every criterion is scored on the same scale, so that weighted means compare across criteria.
SCORE_MIN, SCORE_MAX = 0, 5


class CallQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What `user` may open: every call but drafts; drafts too for organisers (the preview)."""
        if user.has_perm("calls.change_call"):
            return self
        return self.exclude(state=Call.State.DRAFT)

    def open_now(self, now=None):
        now = now or timezone.now()
        return self.filter(state=Call.State.OPEN, opens_at__lte=now, closes_at__gt=now)

    def upcoming(self, now=None):
        """Opened by the organisers, taking proposals from a later date."""
        return self.filter(state=Call.State.OPEN, opens_at__gt=now or timezone.now())

    def past(self, now=None):
        now = now or timezone.now()
        ended = Q(state=Call.State.OPEN, closes_at__lte=now)
        return self.filter(ended | Q(state__in=[Call.State.CLOSED, Call.State.IN_REVIEW, Call.State.DECIDED]))


class Call(models.Model):
    """A call for civic projects on issues the citizens prioritised (calls/services.py opens it)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        IN_REVIEW = "in_review", _("In review")
        DECIDED = "decided", _("Decided")

    class Reward(models.TextChoices):
        FUNDING = "funding", _("Funding")
        MENTORING = "mentoring", _("Mentoring")
        PILOT_SITE = "pilot_site", _("A pilot site")
        VISIBILITY = "visibility", _("Visibility")

    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"))
    issues = models.ManyToManyField(
        "openwall.Issue",
        verbose_name=_("issues it answers"),
        related_name="calls",
        help_text=_("The prioritised issues of the Open Wall that projects should solve."),
    )
    topics = models.ManyToManyField("city.Topic", verbose_name=_("themes"), related_name="calls", blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    eligibility = models.TextField(_("who may answer"), blank=True)
    rewards = models.JSONField(_("what winners get"), default=list, blank=True)
    rewards_detail = models.CharField(
        _("in detail"),
        max_length=200,
        blank=True,
        help_text=_("For instance: up to €20,000 and six months of mentoring."),
    )
    proposals_per_organisation = models.PositiveSmallIntegerField(
        _("proposals per organisation"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("call for projects")
        verbose_name_plural = _("calls for projects")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("calls:detail", args=[self.pk])

    @property
    def is_taking_proposals(self) -> bool:
        return self.state == self.State.OPEN and self.opens_at <= timezone.now() < self.closes_at

    @property
    def shown_state(self) -> str:
        """The state a reader is told: an open call whose closing date has passed is closed,
        whether or not an organiser has moved it on yet."""
        if self.state == self.State.OPEN and self.closes_at <= timezone.now():
            return self.State.CLOSED.label
        return self.get_state_display()

    @property
    def reward_labels(self) -> list[str]:
        return [self.Reward(reward).label for reward in self.rewards if reward in self.Reward.values]


class ReviewCriterion(models.Model):
    """What reviewers score a call's proposals on, each from 0 to 5, weighted in the ranking."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("what reviewers look for"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=10), name="criterion_weight_1_to_10")
        ]

    def __str__(self):
        return self.name
