from django.utils.translation import gettext_lazy as _

from civicnet.notifications import kinds

# To the followers of each issue a call answers, when it opens.
CALL_OPENED = kinds.register(
    kinds.Kind(
        key="calls.opened",
        label=_("A call for projects answers an issue you follow"),
        message=_("A call for projects answers “%(issue)s”: %(call)s."),
        email_template="openwall_issue_update",
    )
)

# To the followers of each issue an accepted project answers, when the call is decided.
PROJECT_ACCEPTED = kinds.register(
    kinds.Kind(
        key="calls.accepted",
        label=_("A project is accepted for an issue you follow"),
        message=_("A project is accepted for “%(issue)s”: %(project)s, by %(organisation)s."),
        email_template="openwall_issue_update",
    )
)

# To each reviewer, when the organisers apply an assignment.
REVIEWS_ASSIGNED = kinds.register(
    kinds.Kind(
        key="calls.reviews_assigned",
        label=_("Proposals are given to you to review"),
        message=_("Proposals to review for “%(call)s”: %(count)s."),
        email_template="calls_notice",
        digestible=False,
    )
)
