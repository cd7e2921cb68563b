"""Translations of an issue into the other site languages: proposed, accepted, shown."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civicnet.markdown import excerpt, markdown_render
from civicnet.notifications.services import notify

from ..models import Issue, IssueTranslation
from ..notifications import TRANSLATION_PROPOSED


@transaction.atomic
def translation_propose(
    *, issue: Issue, by, language: str, title: str, description: str, machine_draft: bool = False
) -> IssueTranslation:
    """Propose (or correct) the issue's text in `language`. From an organiser, or from its author
    while the issue may still be edited, it is published at once; anyone else's waits for the
    author or an organiser, and an accepted one is not replaced by them."""
    if language == issue.language:
        raise ValidationError(_("This is the language the issue is written in."))
    accepts = by.has_perm("openwall.publish_translation", issue)
    # The issue's row first: two first proposals for one language wait for each other instead of
    # both inserting (the unique constraint would turn the second into an error).
    Issue.objects.select_for_update().filter(pk=issue.pk).first()
    current = IssueTranslation.objects.select_for_update().filter(issue=issue, language=language).first()
    if current and current.status == IssueTranslation.Status.ACCEPTED and not accepts:
        raise ValidationError(_("This translation is accepted already; its author can still correct it."))
    news = not accepts and issue.author_id not in (None, by.pk) and _newly_proposed(current, by)
    html = markdown_render(description)
    values = {
        "title": title,
        "description": description,
        "description_html": html,
        "excerpt": excerpt(html),
        "proposed_by": by,
        "machine_draft": machine_draft,
        "status": IssueTranslation.Status.ACCEPTED if accepts else IssueTranslation.Status.PROPOSED,
        "accepted_by": by if accepts else None,
        "accepted_at": timezone.now() if accepts else None,
    }
    # Saving drops the wall's and the issue's stored pages (OpenWallConfig.page_cache).
    if current is None:
        translation = IssueTranslation.objects.create(issue=issue, language=language, **values)
    else:  # already locked above: one UPDATE, no savepoint
        for name, value in values.items():
            setattr(current, name, value)
        current.save(update_fields=[*values])
        translation = current
    if accepts:
        _searchable(issue)
    elif news:
        _author_tell(issue=issue, translation=translation, by=by)
    return translation


def _newly_proposed(previous: IssueTranslation | None, by) -> bool:
    """Whether the author has news: a first proposal, or one by somebody else than the last
    proposer. A proposer correcting their own text again does not write to the author again."""
    return previous is None or previous.status != IssueTranslation.Status.PROPOSED or previous.proposed_by_id != by.pk


def _author_tell(*, issue: Issue, translation: IssueTranslation, by) -> None:
    data = {"issue": issue.title, "user": by.public_name, "language": translation.language}
    notify(
        recipient=issue.author,
        kind=TRANSLATION_PROPOSED.key,
        actor=by,
        target=issue,
        data=data,
        url=reverse("openwall:issue_translate", args=[issue.pk, translation.language]),
        email_context={"issue": issue, "kind": TRANSLATION_PROPOSED.key, "data": data},
    )


def _searchable(issue: Issue) -> None:
    """Put the accepted translations where search reads them (Issue.translated_text)."""
    texts = IssueTranslation.objects.accepted().filter(issue=issue).order_by("language")
    joined = "\n".join(f"{title}\n{text}" for title, text in texts.values_list("title", "description"))
    Issue.objects.filter(pk=issue.pk).update(translated_text=joined)


@transaction.atomic
def translation_accept(*, translation: IssueTranslation, by, version: str) -> IssueTranslation:
    """The issue's author (or an organiser) accepts the proposed text they read (`version`):
    readers see it. A text changed since is not accepted unseen."""
    if not by.has_perm("openwall.accept_translation", translation.issue):
        raise PermissionDenied(_("Only the issue's author or an organiser accepts a translation."))
    translation = IssueTranslation.objects.select_for_update().get(pk=translation.pk)
    if translation.version != version:
        raise ValidationError(_("This translation changed while you read it: read it again before you accept it."))
    if translation.proposed_by_id == by.pk and not by.has_perm("openwall.publish_translation", translation.issue):
        raise ValidationError(_("People have voted on this issue: an organiser accepts your own translation."))
    translation.status = IssueTranslation.Status.ACCEPTED
    translation.accepted_by, translation.accepted_at = by, timezone.now()
    translation.save(update_fields=["status", "accepted_by", "accepted_at"])
    _searchable(translation.issue)
    return translation


@transaction.atomic
def translation_remove(*, translation: IssueTranslation, by) -> None:
    """An organiser takes a translation away (it said something else): readers see the original
    again and search no longer finds the issue by that text."""
    if not by.has_perm("openwall.moderate"):
        raise PermissionDenied(_("Only an organiser removes a translation."))
    issue = translation.issue
    Issue.objects.select_for_update().filter(pk=issue.pk).first()
    translation.delete()  # drops the wall's and the issue's stored pages (OpenWallConfig.page_cache)
    _searchable(issue)
