"""Filters for the text of emails."""

import re

from django import template

register = template.Library()

_DOT = re.compile(r"(?<=\w)\.(?=\w)")
_AT = re.compile(r"(?<=\w)@(?=\w)")
_SCHEME = re.compile(r":(?=//)")


@register.filter
def inert(value) -> str:
    """A name someone chose (an organisation's, a person's), made unable to become a link.

    Mail clients turn anything that looks like an address ("visit evil.example now", "www.x.be",
    "a@b.c", "http://…") into a link, whatever the sender meant. Dots, at signs and "://" inside
    such names are replaced with look-alike characters (one dot leader, full-width at, a modifier
    colon), so the name still reads the same but points nowhere."""
    text = str(value)
    text = _DOT.sub("\u2024", text)
    text = _AT.sub("\uff20", text)
    return _SCHEME.sub("\ua789", text)
