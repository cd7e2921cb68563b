import hashlib
import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import connection, models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from civicnet.city.models import language_choices
from civicnet.dbfunctions import unaccent
from civicnet.uploads import Picture

TITLE_MAX = 140
# What an issue's card reads (IssueQuerySet.for_cards), the wall's cursors included.
CARD_FIELDS = [
    *("title", "excerpt", "language", "status", "photo", "photo_sizes", "created_at", "meetup"),
    *("comment_count", "vote_count", "offline_vote_count", "trend_score", "topic", "district"),
    *("author", "author__display_name"),
]
DESCRIPTION_MAX = 5000
COMMENT_MAX = 3000


class Authored:
    """What readers see as the author: their public name, or "former participant" once erased."""

    @property
    def author_name(self) -> str:
        return self.author.public_name if self.author else str(_("Former participant"))


class IssueQuerySet(models.QuerySet):
    def public(self):
        """What anyone may see: not hidden by moderation, not merged into another issue."""
        return self.filter(hidden=False, merged_into__isnull=True)

    def visible_to(self, user, *, merged: bool = False):
        """What `user` may open: everything for moderators; for others the public issues, and with
        `merged` the merged ones too (their page leads to the issue they joined)."""
        if user.has_perm("openwall.moderate"):
            return self
        return self.filter(hidden=False) if merged else self.public()

    def open_for_discussion(self):
        """Issues that take votes and comments (the same rule as Issue.is_open_for_discussion)."""
        return self.public().exclude(status=Issue.Status.CLOSED)

    def with_related(self):
        return self.select_related("topic", "district", "author")

    def for_cards(self):
        """What a card shows, and no more: the author's public name, not their account; the
        excerpt, not the whole text; whether a translation is accepted (`has_translation`, so
        that a list in one language reads no translations at all)."""
        translated = models.ExpressionWrapper(~Q(translated_text=""), output_field=models.BooleanField())
        cards = self.with_related().only(*CARD_FIELDS)
        return cards.annotate(has_translation=translated)

    def ranked(self):
        """Top first: online votes plus the tallies of offline meetups."""
        return self.alias(all_votes=F("vote_count") + F("offline_vote_count")).order_by("-all_votes", "-id")

    def trending(self):
        """Most recent support first: the trend score (see services.trending_refresh), then votes."""
        return self.order_by("-trend_score", "-vote_count", "-id")

    def search(self, text: str):
        """Issues that contain every word of `text` (or a word starting with it).

        PostgreSQL: full-text search, accent- and case-insensitive, on a stored, GIN-indexed vector
        (migrations 0007, 0022).
        Elsewhere: every word must appear in the title or description (case- and accent-insensitive).
        """
        words = [w for w in re.findall(r"\w+", text.lower()) if len(w) > 1][:8]
        if not words:
            return self
        if connection.vendor == "postgresql":
            # Each word becomes one quoted lexeme, quoted after unaccent: unaccent turns some
            # characters into tsquery syntax ("⑴" into "(1)"), so quoting first would not be enough.
            # quote_literal makes anything inside a plain string; no input can be an operator.
            lexeme = "to_tsquery('simple'::regconfig, quote_literal(civicnet_unaccent(%s)) || ':*')"
            # The vector lives beside the issue, not on its row (migration 0022). The matches are
            # gathered first (ARRAY(...), computed once), then sorted: as a join, the planner walked
            # the ranking index and probed each issue, 1 s for a common word instead of 15 ms.
            query = " && ".join([lexeme] * len(words))
            match = RawSQL(  # noqa: S611 (the words are parameters; the SQL is constant pieces)
                f"openwall_issue.id = ANY(ARRAY(SELECT issue_id FROM openwall_issue_search WHERE document @@ ({query})))",  # noqa: E501, S608
                tuple(words),
                output_field=models.BooleanField(),
            )
            return self.filter(match)
        # SQLite: the same accent folding (civicnet/dbfunctions.py), then a substring per word.
        text = Concat(
            "title",
            models.Value(" "),
            "description",
            models.Value(" "),
            "translated_text",
            output_field=models.TextField(),
        )
        folded = models.Func(text, function="civicnet_unaccent", output_field=models.TextField())
        queryset = self.alias(search_text=Lower(folded))
        for word in words:
            queryset = queryset.filter(search_text__contains=unaccent(word))
        return queryset

    def similar_to(self, text: str, limit: int = 5):
        """Up to `limit` issues that look like `text`: trigram similarity on PostgreSQL, shared words elsewhere."""
        text = " ".join(text.split())[:TITLE_MAX]
        if len(text) < 4:
            return self.none()
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity

            # The trigram indexes are on openwall_issue_search (migration 0022): find there, score here.
            near = RawSQL(
                "openwall_issue.id = ANY(ARRAY(SELECT issue_id FROM openwall_issue_search"
                " WHERE title %% %s OR %s <%% description))",
                (text, text),
                output_field=models.BooleanField(),
            )
            return (
                self.filter(near)
                .annotate(similarity=TrigramSimilarity("title", text) + TrigramWordSimilarity(text, "description") / 2)
                .order_by("-similarity", "-vote_count")[:limit]
            )
        words = [word for word in text.split() if len(word) >= 4]
        if not words:
            return self.none()
        matches = Q()
        for word in words:
            matches |= Q(title__icontains=word)
        return self.filter(matches).order_by("-vote_count", "-id")[:limit]

    def top_per_topic(self, per_topic: int = 5):
        """The `per_topic` best-ranked issues of every theme, in one query (a window function)."""
        from django.db.models import Window
        from django.db.models.functions import RowNumber

        ranked = self.annotate(
            all_votes=F("vote_count") + F("offline_vote_count"),
            place=Window(RowNumber(), partition_by=F("topic_id"), order_by=[F("all_votes").desc(), F("id").desc()]),
        )
        return ranked.filter(place__lte=per_topic).order_by("topic__order", "topic_id", "place")

    def newest(self):
        return self.order_by("-created_at", "-id")

    def most_discussed(self):
        return self.order_by("-comment_count", "-id")


class Issue(Authored, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PRIORITISED = "prioritised", _("Prioritised")
        IN_CALL = "in_call", _("In a call for projects")
        BEING_TACKLED = "being_tackled", _("Being tackled")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class CloseReason(models.TextChoices):
        DUPLICATE = "duplicate", _("Duplicate of another issue")
        OFF_TOPIC = "off_topic", _("Off-topic")
        ALREADY_SOLVED = "already_solved", _("Already solved")
        OUT_OF_SCOPE = "out_of_scope", _("Outside what the network can act on")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX)
    description_html = models.TextField(editable=False, blank=True)
    # The description's first words as plain text, for the wall's cards (civicnet.markdown.excerpt).
    excerpt = models.TextField(editable=False, blank=True)
    # The accepted translations' titles and descriptions, so that search finds the issue in every
    # language it has (in the same indexed vector on PostgreSQL, migration 0021).
    translated_text = models.TextField(editable=False, blank=True)
    topic = models.ForeignKey("city.Topic", verbose_name=_("theme"), on_delete=models.PROTECT, related_name="issues")
    district = models.ForeignKey(
        "city.District",
        verbose_name=_("district"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issues",
    )
    # Where it is: a street address anyone can type, and a point picked on a map when the site has one.
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    photo = models.ImageField(_("photo"), upload_to="issues/%Y/%m/", blank=True)
    # The photo's stored copies, [[name, width, height], ...] narrowest first (civicnet.uploads).
    photo_sizes = models.JSONField(editable=False, default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, related_name="issues"
    )
    language = models.CharField(_("language"), max_length=8, choices=language_choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    close_reason = models.CharField(_("reason for closing"), max_length=20, choices=CloseReason.choices, blank=True)
    vote_count = models.PositiveIntegerField(_("votes"), default=0)
    offline_vote_count = models.PositiveIntegerField(_("offline votes"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    trend_score = models.PositiveIntegerField(
        _("trend score"), default=0, help_text=_("Votes of the last week, the most recent weighing most.")
    )
    hidden = models.BooleanField(_("hidden"), default=False, help_text=_("Hidden by moderation."))
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    meetup = models.ForeignKey(
        "openwall.Meetup",
        verbose_name=_("raised at"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issues",
        help_text=_("The meetup where participants raised it, recorded by a facilitator."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        indexes = [
            models.Index((F("vote_count") + F("offline_vote_count")).desc(), F("id").desc(), name="issue_top_idx"),
            models.Index(F("created_at").desc(), F("id").desc(), name="issue_newest_idx"),
            models.Index(F("trend_score").desc(), F("vote_count").desc(), F("id").desc(), name="issue_trending_idx"),
            models.Index(F("comment_count").desc(), F("id").desc(), name="issue_discussed_idx"),
            models.Index(fields=["topic", "status"], name="issue_topic_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__gte=-90, latitude__lte=90) & Q(longitude__gte=-180, longitude__lte=180)),
                name="issue_point_whole_and_on_earth",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("openwall:issue_detail", kwargs={"pk": self.pk})

    @cached_property
    def picture(self) -> Picture | None:
        """The photo with its thumbnails, for srcset; None without a photo."""
        return Picture.of(self.photo_sizes)

    @property
    def total_votes(self) -> int:
        return self.vote_count + self.offline_vote_count

    @property
    def is_open_for_discussion(self) -> bool:
        """Takes votes and comments: public and not closed (IssueQuerySet.open_for_discussion)."""
        return not self.hidden and self.merged_into_id is None and self.status != Issue.Status.CLOSED


class IssueTranslationQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(status=IssueTranslation.Status.ACCEPTED)

    def give_cards(self, issues, language: str) -> None:
        """Give each listed issue its accepted translation into `language`, if any (`issue.shown`,
        read by the card): one query for a whole list, none when every issue is in `language` or,
        listed `for_cards()`, none has an accepted translation."""
        wanted = [
            issue.pk for issue in issues if issue.language != language and getattr(issue, "has_translation", True)
        ]
        found = {}
        if wanted:
            translations = self.accepted().filter(language=language, issue_id__in=wanted)
            found = {t.issue_id: t for t in translations.only("issue_id", "language", "title", "excerpt")}
        for issue in issues:
            issue.shown = found.get(issue.pk)


class IssueTranslation(models.Model):
    """An issue's title and description in another site language, written by its author or any
    signed-in person (or drafted by a machine-translation service and corrected by a person), and
    shown to readers once the author or an organiser has accepted it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")

    issue = models.ForeignKey(Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=language_choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX)
    description_html = models.TextField(editable=False, blank=True)
    excerpt = models.TextField(editable=False, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    machine_draft = models.BooleanField(
        _("machine draft"), default=False, help_text=_("Started from a machine translation, then read by a person.")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = IssueTranslationQuerySet.as_manager()

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [models.UniqueConstraint(fields=["issue", "language"], name="translation_once_per_language")]
        indexes = [models.Index(fields=["language", "status"], name="translation_language_idx")]

    def __str__(self):
        return f"{self.issue_id} → {self.language}"

    @property
    def version(self) -> str:
        """Names the text as it is: an acceptance says which text it accepts."""
        return hashlib.sha256(f"{self.title}\0{self.description}".encode()).hexdigest()[:16]


class VoteQuerySet(models.QuerySet):
    def issue_ids_voted_by(self, user, issue_ids) -> set[int]:
        """Which of these issues the person votes for: one query, none for a visitor."""
        if not user.is_authenticated:
            return set()
        return set(self.filter(user=user, issue_id__in=list(issue_ids)).values_list("issue_id", flat=True))


class Vote(models.Model):
    issue = models.ForeignKey(Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("voter"), on_delete=models.CASCADE, related_name="votes"
    )
    created_at = models.DateTimeField(_("voted at"), default=timezone.now)

    objects = VoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["issue", "user"], name="vote_one_per_user")]
        indexes = [
            models.Index(fields=["issue", "created_at"], name="vote_recent_idx"),
            models.Index(fields=["created_at"], name="vote_created_idx"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.issue_id}"


class Follow(models.Model):
    issue = models.ForeignKey(Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("follower"), on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(_("followed since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [models.UniqueConstraint(fields=["issue", "user"], name="follow_one_per_user")]

    def __str__(self):
        return f"{self.user_id} follows {self.issue_id}"


class CommentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Comments whose text this user may see: not removed, and for non-moderators, not hidden
        and on a public issue."""
        comments = self.filter(removed=False)
        if user.has_perm("openwall.moderate"):
            return comments
        return comments.filter(hidden=False, issue__in=Issue.objects.public())


class Comment(Authored, models.Model):
    issue = models.ForeignKey(Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        help_text=_("Replies are one level deep."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="comments",
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX)
    body_html = models.TextField(editable=False, blank=True)
    official = models.BooleanField(_("official answer"), default=False)
    removed = models.BooleanField(_("removed"), default=False)
    hidden = models.BooleanField(_("hidden"), default=False, help_text=_("Hidden by moderation."))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["issue", "created_at"], name="comment_issue_idx")]

    def __str__(self):
        return self.body[:60]


class StoryStep(models.Model):
    """One step of an issue's public story: raised, status changed, official answer, and the steps
    later phases add. What each kind means and how it shows is registered in openwall/story.py;
    steps are added by services.issue_story_add.
    """

    class Kind(models.TextChoices):  # the Open Wall's own kinds; later apps register theirs
        RAISED = "raised", _("Raised")
        STATUS = "status", _("Status changed")
        OFFICIAL_ANSWER = "official_answer", _("Official answer")
        MERGED = "merged", _("Merged")
        PAPER_VOTES = "paper_votes", _("Paper votes counted at a meetup")

    issue = models.ForeignKey(Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="story_steps")
    kind = models.CharField(_("kind"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    old_status = models.CharField(_("previous status"), max_length=20, choices=Issue.Status.choices, blank=True)
    new_status = models.CharField(_("new status"), max_length=20, choices=Issue.Status.choices, blank=True)
    note = models.TextField(_("public note"), blank=True)
    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the step points at, in any app (a call, a proposal, a match, a collaboration…).
    target_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("story step")
        verbose_name_plural = _("story steps")

    def __str__(self):
        from . import story

        kind = story.get(self.kind)
        return str(kind.label) if kind else self.kind


class Flag(models.Model):
    """Someone signed in thinks an issue or a comment breaks the rules."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSIVE = "abusive", _("Abusive or hateful")
        PERSONAL_DATA = "personal_data", _("Reveals someone's personal data")
        OFF_TOPIC = "off_topic", _("Off-topic")
        OTHER = "other", _("Something else")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.CASCADE, related_name="+"
    )
    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    upheld = models.BooleanField(
        _("upheld"), null=True, blank=True, help_text=_("Whether a moderator agreed (hid it) or dismissed the report.")
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(issue__isnull=False, comment__isnull=True) | Q(issue__isnull=True, comment__isnull=False),
                name="flag_one_target",
            ),
            models.UniqueConstraint(fields=["user", "issue"], condition=Q(issue__isnull=False), name="flag_once_issue"),
            models.UniqueConstraint(
                fields=["user", "comment"], condition=Q(comment__isnull=False), name="flag_once_comment"
            ),
        ]
        indexes = [models.Index(fields=["resolved_at", "created_at"], name="flag_open_idx")]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.target}"

    @property
    def target(self):
        return self.issue or self.comment


class ModerationAction(models.Model):
    """The log of moderation: who did what to which issue or comment, and why."""

    class Action(models.TextChoices):
        AUTO_HIDE = "auto_hide", _("Hidden automatically after reports")
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Restored")
        DISMISS = "dismiss", _("Reports dismissed")
        CLOSE = "close", _("Closed")
        MERGE = "merge", _("Merged into another issue")

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    issue = models.ForeignKey(
        Issue,
        verbose_name=_("issue"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="moderation_actions",
    )
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="moderation_actions",
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation log")

    def __str__(self):
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d})"


class MeetupQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "id")

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-id")


class Meetup(models.Model):
    """A weekly offline meetup with a community partner, feeding the same wall."""

    title = models.CharField(_("title"), max_length=140)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    address = models.CharField(_("address"), max_length=200)
    district = models.ForeignKey(
        "city.District", verbose_name=_("district"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    host = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("hosting partner"),
        on_delete=models.PROTECT,
        related_name="meetups",
    )
    topics = models.ManyToManyField("city.Topic", verbose_name=_("themes"), blank=True, related_name="+")
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty when there is no limit.")
    )
    published = models.BooleanField(_("published"), default=True)
    attendance = models.PositiveIntegerField(
        _("attendance"), null=True, blank=True, help_text=_("How many people came, counted by a facilitator.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MeetupQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meetup")
        verbose_name_plural = _("meetups")
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meetup_ends_after_start")]
        indexes = [models.Index(fields=["published", "ends_at"], name="meetup_upcoming_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("openwall:meetup_detail", kwargs={"pk": self.pk})

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()


class MeetupRegistration(models.Model):
    meetup = models.ForeignKey(Meetup, verbose_name=_("meetup"), on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="meetup_registrations",
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [models.UniqueConstraint(fields=["meetup", "user"], name="registration_once")]

    def __str__(self):
        return f"{self.user_id} → {self.meetup_id}"


class OfflineTally(models.Model):
    """Paper votes counted at a meetup for one issue. Issue.offline_vote_count is the sum of its tallies."""

    meetup = models.ForeignKey(Meetup, verbose_name=_("meetup"), on_delete=models.CASCADE, related_name="tallies")
    issue = models.ForeignKey(Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="tallies")
    votes = models.PositiveIntegerField(_("paper votes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("offline tally")
        verbose_name_plural = _("offline tallies")
        constraints = [models.UniqueConstraint(fields=["meetup", "issue"], name="tally_once_per_meetup")]

    def __str__(self):
        return f"{self.votes} @ {self.meetup_id} → {self.issue_id}"
