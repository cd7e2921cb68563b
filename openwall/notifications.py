"""The notification kinds the Open Wall sends."""

from django.utils.translation import gettext_lazy as _

from civicnet.notifications import kinds


def _status_label(data: dict) -> dict:
    from .models import Issue

    return {**data, "status": Issue.Status(data["status"]).label}


STATUS_CHANGED = kinds.register(
    kinds.Kind(
        key="openwall.status_changed",
        label=_("An issue you follow changes status"),
        message=_("“%(issue)s” is now: %(status)s."),
        prepare=_status_label,
        email_template="openwall_issue_update",
    )
)
OFFICIAL_ANSWER = kinds.register(
    kinds.Kind(
        key="openwall.official_answer",
        label=_("The organisers answer an issue you follow"),
        message=_("The organisers answered “%(issue)s”."),
        email_template="openwall_issue_update",
    )
)
REPLY = kinds.register(
    kinds.Kind(
        key="openwall.reply",
        label=_("Someone replies to your comment"),
        message=_("%(user)s replied to your comment on “%(issue)s”."),
        email_template="openwall_issue_update",
    )
)


def _language_label(data: dict) -> dict:
    from django.conf import settings

    code = data.get("language", "")
    names = dict(settings.LANGUAGES)
    return {**data, "language": _(names[code]) if code in names else code}


# To the issue's author: somebody translated it; readers see it once the author accepts it.
TRANSLATION_PROPOSED = kinds.register(
    kinds.Kind(
        key="openwall.translation_proposed",
        label=_("Someone translates an issue you raised"),
        message=_("%(user)s translated “%(issue)s” into %(language)s: read it, accept it if it says what you meant."),
        prepare=_language_label,
        email_template="openwall_issue_update",
    )
)


def _reported_outcome(data: dict) -> dict:
    outcomes = {
        "hidden": _("hidden until you review it"),
        "waiting": _("still shown, waiting for your review"),
    }
    return {**data, "outcome": outcomes.get(data.get("outcome"), "")}


REPORTED = kinds.register(
    kinds.Kind(
        key="openwall.reported",
        label=_("Something on the wall is reported several times (organisers)"),
        message=_("“%(title)s” was reported %(count)s times: %(outcome)s."),
        prepare=_reported_outcome,
        digestible=False,
    )
)
# Hidden by reports: it has vanished from the public until someone looks, so this one is emailed.
# Reports that only wait are not: three fresh accounts must not be able to fill organisers' inboxes.
REPORTED_HIDDEN = kinds.register(
    kinds.Kind(
        key="openwall.reported_hidden",
        label=_("Something on the wall is hidden after reports (organisers)"),
        message=_("“%(title)s” was reported %(count)s times: %(outcome)s."),
        prepare=_reported_outcome,
        email_template="openwall_reported",
        digestible=False,
    )
)
