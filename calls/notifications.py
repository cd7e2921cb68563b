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
