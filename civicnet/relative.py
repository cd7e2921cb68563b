"""`{{ when|ago }}`: how long ago, coarsely, in the reader's language ("3 days ago", "il y a 3
jours", "3 dagen geleden"). One unit, rounded down, never "0 minutes": under a minute is "just
now". Coarse on purpose: stored pages are served for a minute or more after they are rendered,
and nobody needs "3 days, 2 hours" to read a comment. `{{ when|machine }}` is the same time for a
`<time datetime>` attribute. Built in (settings.TEMPLATES), no `{% load %}`.
"""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext, ngettext

register = template.Library()

MINUTE, HOUR, DAY = 60, 3600, 86400


def ago(when: datetime, now: datetime | None = None) -> str:
    seconds = max(0, int(((now or timezone.now()) - when).total_seconds()))
    if seconds < MINUTE:
        return gettext("just now")
    if seconds < HOUR:
        n = seconds // MINUTE
        return ngettext("%(count)d minute ago", "%(count)d minutes ago", n) % {"count": n}
    if seconds < DAY:
        n = seconds // HOUR
        return ngettext("%(count)d hour ago", "%(count)d hours ago", n) % {"count": n}
    days = seconds // DAY
    if days < 30:
        return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}
    if days < 365:
        n = min(days // 30, 11)  # 360 to 364 days are not "12 months"
        return ngettext("%(count)d month ago", "%(count)d months ago", n) % {"count": n}
    n = days // 365
    return ngettext("%(count)d year ago", "%(count)d years ago", n) % {"count": n}


@register.filter(name="ago", expects_localtime=False)
def ago_filter(value):
    return ago(value) if isinstance(value, datetime) else ""


@register.filter(name="machine", expects_localtime=False)
def machine_filter(value):
    """A time as a `datetime` attribute wants it: to the second (`date:'c'` writes microseconds,
    which the HTML checker refuses), with its offset."""
    return value.replace(microsecond=0).isoformat() if isinstance(value, datetime) else ""
