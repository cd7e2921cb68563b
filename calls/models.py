import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicnet.uploads import private_storage

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
    reviews_per_proposal = models.PositiveSmallIntegerField(
        _("reviews per proposal"), default=3, help_text=_("How many reviewers read and score each proposal.")
    )
    blind_review = models.BooleanField(
        _("anonymised review"),
        default=False,
        help_text=_("Reviewers do not see the organisation, the team or the attachments' names."),
    )
    reviews_shown_after_own = models.BooleanField(
        _("others' reviews after one's own"),
        default=True,
        help_text=_("A reviewer sees the other reviews of a proposal only once they have submitted theirs."),
    )
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
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening"),
            models.CheckConstraint(
                condition=Q(reviews_per_proposal__gte=1, reviews_per_proposal__lte=10), name="call_reviews_1_to_10"
            ),
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
    def is_in_review(self) -> bool:
        """Reviews are written once nothing can change any more: after the closing time, until
        the call is decided."""
        return self.state in (self.State.OPEN, self.State.CLOSED, self.State.IN_REVIEW) and (
            self.closes_at <= timezone.now()
        )

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


class CallQuestion(models.Model):
    """A question of the call's own, answered in every proposal (beside title, summary and the rest)."""

    class Kind(models.TextChoices):
        SHORT = "short", _("Short text")
        LONG = "long", _("Long text")
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")
        NUMBER = "number", _("Number")
        URL = "url", _("Web address")
        FILE = "file", _("File (PDF)")

    class Visibility(models.TextChoices):
        REVIEWERS = "reviewers", _("Reviewers and organisers only")
        PUBLIC = "public", _("Public once the proposal is accepted")

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help"), max_length=300, blank=True)
    kind = models.CharField(_("kind of answer"), max_length=12, choices=Kind.choices, default=Kind.LONG)
    required = models.BooleanField(_("required"), default=True)
    max_length = models.PositiveIntegerField(
        _("longest answer"),
        null=True,
        blank=True,
        help_text=_("In characters, for text answers. Empty: 300 for short text, 5,000 for long text."),
    )
    choices = models.TextField(_("choices"), blank=True, help_text=_("For choice questions: one choice per line."))
    visibility = models.CharField(
        _("who reads the answer"), max_length=12, choices=Visibility.choices, default=Visibility.REVIEWERS
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def longest(self) -> int:
        return self.max_length or (300 if self.kind == self.Kind.SHORT else 5000)


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What `user` may open: their organisations' proposals, every accepted one (its public
        parts: the views decide which), and all of them for organisers."""
        if user.has_perm("calls.view_proposal"):
            return self
        accepted = Q(state=Proposal.State.ACCEPTED, call__state=Call.State.DECIDED)
        if not user.is_authenticated:
            return self.filter(accepted)
        return self.filter(accepted | Q(organisation__memberships__user=user)).distinct()

    def of_member(self, user):
        """The proposals of the user's organisations, whatever their state."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation__memberships__user=user)

    def counting(self):
        """What counts towards a call's cap per organisation: every proposal not withdrawn."""
        return self.exclude(state=Proposal.State.WITHDRAWN)


class Proposal(models.Model):
    """A civic innovator's answer to a call (calls/services.py: proposal_create, proposal_submit…).

    The fields hold the current text; each submission keeps a frozen copy (ProposalVersion)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Not selected")

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="proposals")
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="proposals"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    title = models.CharField(_("title"), max_length=160)
    summary = models.TextField(
        _("summary"), max_length=600, blank=True, help_text=_("A few sentences; public once the proposal is accepted.")
    )
    description = models.TextField(_("description"), max_length=20000, blank=True)
    issues = models.ManyToManyField(
        "openwall.Issue", verbose_name=_("issues it addresses"), related_name="proposals", blank=True
    )
    team = models.TextField(_("team"), max_length=3000, blank=True, help_text=_("One person per line: name and role."))
    budget = models.DecimalField(_("budget requested (€)"), max_digits=10, decimal_places=2, null=True, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    # Decisions are staged one by one or in bulk, then applied together (calls.services).
    staged_decision = models.CharField(
        _("decision to apply"),
        max_length=12,
        blank=True,
        choices=[
            (State.SHORTLISTED, State.SHORTLISTED.label),
            (State.ACCEPTED, State.ACCEPTED.label),
            (State.REJECTED, State.REJECTED.label),
        ],
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0) | Q(budget__isnull=True), name="proposal_budget_positive")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("calls:proposal_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        """Whether its team may still change it (the services check again, under a lock)."""
        return self.state in (self.State.DRAFT, self.State.SUBMITTED) and self.call.is_taking_proposals


class ProposalVersion(models.Model):
    """What was submitted, frozen: one per submission, so that changes can be compared."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    # The proposal as its readers saw it: every field, each answer with its question's text, the
    # attachments' names (calls/services.py: proposal_snapshot).
    content = models.JSONField()

    class Meta:
        ordering = ["proposal", "number"]
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        constraints = [models.UniqueConstraint(fields=["proposal", "number"], name="one_version_number_per_proposal")]

    def __str__(self):
        return f"{self.proposal} v{self.number}"


def attachment_path(attachment, filename):
    # Never the name the person chose: it is kept, cleaned, in `name`, and given back on download.
    return f"proposals/{attachment.proposal_id}/{uuid.uuid4().hex}.pdf"


class ProposalAttachment(models.Model):
    """A PDF joined to a proposal, in private storage: served only by calls.views.attachment_download."""

    MAX_BYTES = 10 * 1024 * 1024
    MAX_PER_PROPOSAL = 10  # with MAX_BYTES, at most 100 MB per proposal

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    question = models.ForeignKey(
        CallQuestion,
        verbose_name=_("answers the question"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
    )
    file = models.FileField(storage=private_storage, upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=120)
    size = models.PositiveIntegerField(_("size"))
    pages = models.PositiveIntegerField(_("pages"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("calls:attachment", args=[self.proposal_id, self.pk])


class CallReviewer(models.Model):
    """Someone who reviews a call's proposals: from the Reviewers group or an outside expert."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.CASCADE, related_name="call_reviews"
    )
    topics = models.ManyToManyField(
        "city.Topic",
        verbose_name=_("themes they know"),
        blank=True,
        related_name="+",
        help_text=_("They are given proposals on these themes where the load allows."),
    )

    class Meta:
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        constraints = [models.UniqueConstraint(fields=["call", "user"], name="one_reviewer_row_per_call")]

    def __str__(self):
        return str(self.user)


class ReviewConflict(models.Model):
    """A reviewer who must not review a proposal, or any proposal of an organisation."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.CASCADE, related_name="review_conflicts"
    )
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=False) | Q(organisation__isnull=False), name="conflict_names_something"
            )
        ]

    def __str__(self):
        return f"{self.reviewer}: {self.proposal or self.organisation}"


class ReviewQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(submitted_at__isnull=False)


class Review(models.Model):
    """A reviewer's assignment to a proposal, and what they make of it once they have read it."""

    class Recommendation(models.TextChoices):
        ACCEPT = "accept", _("Accept")
        MAYBE = "maybe", _("Discuss")
        REJECT = "reject", _("Do not accept")

    proposal = models.ForeignKey(Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.CASCADE, related_name="reviews"
    )
    recommendation = models.CharField(_("recommendation"), max_length=8, choices=Recommendation.choices, blank=True)
    comment = models.TextField(_("comment to the organisers"), max_length=5000, blank=True)
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["assigned_at", "id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [models.UniqueConstraint(fields=["proposal", "reviewer"], name="one_review_per_reviewer")]

    def __str__(self):
        return f"{self.reviewer} → {self.proposal}"

    def get_absolute_url(self):
        return reverse("calls:review", args=[self.pk])


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ReviewCriterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(condition=Q(score__lte=SCORE_MAX), name="score_within_scale"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class DecisionEmail(models.Model):
    """The email telling a proposal's team a decision, written when decisions are applied and
    kept here until an organiser has read (and perhaps edited) it and released it."""

    proposal = models.ForeignKey(Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(_("decision"), max_length=12, choices=Proposal.State.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("to"), on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("released by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["released_at", "-created_at", "id"]
        verbose_name = _("decision email")
        verbose_name_plural = _("decision emails (outbox)")

    def __str__(self):
        return self.subject
