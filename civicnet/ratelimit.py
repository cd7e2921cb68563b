"""Rate limits kept in the cache (Redis in production), so they hold across processes.

A fixed window per (scope, user) and per (scope, client IP): simple, cheap (one cache
round-trip per key), and good enough to stop floods of posts, votes or invitations.
"""

import functools
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _


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


def _hit(key: str, rate: Rate) -> int:
    bucket = int(time.time() // rate.seconds)
    cache_key = f"ratelimit:{key}:{bucket}"
    if cache.add(cache_key, 1, rate.seconds + 1):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, rate.seconds + 1)
        return 1


def rate_limit_exceeded(*, scope: str, request) -> bool:
    """Count one action of `scope` for this user and this IP; True once either is over its limit."""
    rate = Rate.parse(settings.CIVICNET_RATE_LIMITS[scope])
    keys = [f"{scope}:ip:{client_ip(request)}"]
    if request.user.is_authenticated:
        keys.append(f"{scope}:user:{request.user.pk}")
    # Every key is counted, so that switching IP does not reset the user's count, and vice versa.
    return max(_hit(key, rate) for key in keys) > rate.count


def rate_limited(scope: str, methods=("POST",)):
    """View decorator: answer 429 with a friendly page when `scope`'s limit is reached."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods and rate_limit_exceeded(scope=scope, request=request):
                return render(
                    request,
                    "429.html",
                    {"message": _("You are going a bit fast. Please wait a few minutes and try again.")},
                    status=429,
                )
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
