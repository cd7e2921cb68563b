from django.utils.translation import gettext_lazy as _

from civicnet.phases import PhaseConfig


class CallsConfig(PhaseConfig):
    """Phase 2: calls for civic projects on the issues citizens prioritised (issue 13).

    Its first part is the reviewer assignment (calls/assignment.py), a pure function with its
    benchmark; the calls, proposals and reviews it will assign come next. Until then the phase
    declares nothing else, and the home page says, from the data, that it has not started.
    """

    name = "calls"
    verbose_name = _("Calls for projects")
    phase = 2
