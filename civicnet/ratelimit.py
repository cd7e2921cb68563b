"""Rate limits kept in the cache (Redis in production), so they hold across processes.

A fixed window per (scope, person): a signed-in action counts against its author, so a room of
people behind one meetup's Wi-Fi does not block itself. Per client address, the same limit for
anonymous requests, and a backstop `CIVICNET_RATE_LIMIT_ADDRESS_FACTOR` times higher for
signed-in ones (against someone cycling through fresh accounts). Simple, cheap (one cache round
trip for both keys). While Redis is unavailable the counts live in the fallback cache
(civicnet/cache.py).

Why not django-ratelimit: it counts with add-then-incr (two or three round trips per key, this
is one, see counters_incr), has no way to refund a failed attempt (here a form sent back with
errors costs nothing), and with the cache down either fails open or raises; it has no per-person
key with a per-address backstop either. What it would save is these hundred lines.
"""

import contextlib
import functools
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _

from civicnet.cache import counters_incr


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """'5/h', '30/m', '100/d', '10/15m'."""
        count, _slash, period = text.partition("/")
        units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
        multiplier = int(period[:-1] or 1)
        return cls(int(count), multiplier * units[period[-1]])


def client_ip(request) -> str:
    """The client's address. Behind a proxy, the last hop that a trusted proxy appended."""
    hops = settings.CIVICNET_TRUSTED_PROXY_HOPS
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(addresses) >= hops:
            return addresses[-hops]
    return request.META.get("REMOTE_ADDR", "")


def _limits(scope: str, request, rate: Rate) -> dict[str, int]:
    """The counters this request moves, each with its limit."""
    bucket = int(time.time() // rate.seconds)
    address = f"ratelimit:{scope}:ip:{client_ip(request)}:{bucket}"
    if not request.user.is_authenticated:
        return {address: rate.count}
    return {
        f"ratelimit:{scope}:user:{request.user.pk}:{bucket}": rate.count,
        address: rate.count * settings.CIVICNET_RATE_LIMIT_ADDRESS_FACTOR,
    }


def rate_limit_take(*, scope: str, request) -> list[str] | None:
    """Count one action for this person (and their address). Returns the keys counted (to refund
    a failed attempt), or None, with nothing counted, when any is over its limit.

    The count goes up first, atomically, then is checked: parallel requests cannot all slip
    under the limit. Both keys are counted, so switching address does not reset a person.
    """
    rate = Rate.parse(settings.CIVICNET_RATE_LIMITS[scope])
    limits = _limits(scope, request, rate)
    keys = list(limits)
    counts = counters_incr(keys, start=0, timeout=rate.seconds + 1)
    if counts is None:
        return keys  # neither Redis nor the fallback answers: let people act rather than lock everyone out
    if any(count > limit for count, limit in zip(counts, limits.values(), strict=True)):
        rate_limit_refund(keys=keys)
        return None
    return keys


def rate_limit_refund(*, keys: list[str]) -> None:
    for key in keys:
        with contextlib.suppress(ValueError):  # the window ended meanwhile
            cache.decr(key)


def _succeeded(request, response) -> bool:
    """A successful form post redirects, an htmx action answers with a fragment and a download
    with a file; a plain 200 to a POST is the form shown again with its errors, and an error
    status is a failure."""
    if response.status_code >= 400:
        return False
    if response.has_header("Content-Disposition"):
        return True
    return response.status_code != 200 or bool(getattr(request, "htmx", False))


def rate_limited(scope: str, methods=("POST",), *, count_failures=False):
    """View decorator: answer 429 with a friendly page once `scope`'s limit is reached.

    Only actions that succeed count: a form sent back with errors costs nothing. Except where a
    failure is what an attacker repeats (`count_failures`: a password asked for again).
    The wrapper says its scope (`rate_limit_scope`), so a test can check every write has one.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                return view(request, *args, **kwargs)
            keys = rate_limit_take(scope=scope, request=request)
            if keys is None:
                return render(
                    request,
                    "429.html",
                    {"message": _("You are going a bit fast. Please wait a few minutes and try again.")},
                    status=429,
                )
            try:
                response = view(request, *args, **kwargs)
            except Exception:
                rate_limit_refund(keys=keys)
                raise
            if not count_failures and not _succeeded(request, response):  # a failed attempt costs nothing
                rate_limit_refund(keys=keys)
            return response

        wrapper.rate_limit_scope = scope
        return wrapper

    return decorator
