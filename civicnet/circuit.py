"""A circuit breaker per Redis server: after one failure, stop calling it for a few seconds.

A refused connection fails in milliseconds, but a Redis that stops answering (frozen, or a
network that drops packets) makes every call wait out its socket timeout. Without a breaker
each request would pay that wait once per cache call; with it, the first call that fails opens
the breaker, and for `CIVICNET_REDIS_BREAKER_SECONDS` the cache, the rate limits and the broker
run degraded without touching the network. Then one call tries again (half-open): if it fails,
the breaker opens again.

State is per process (gunicorn worker, Celery worker), which is what it protects.
"""

import logging
import time
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)


class Breaker:
    def __init__(self, name: str):
        self.name = name
        self._open_until = 0.0

    def is_open(self) -> bool:
        return time.monotonic() < self._open_until

    def trip(self, exc: BaseException | None = None) -> None:
        if not self.is_open():
            logger.warning("%s unavailable, running degraded for %ss: %r", self.name, _seconds(), exc)
        self._open_until = time.monotonic() + _seconds()

    def reset(self) -> None:
        self._open_until = 0.0


def _seconds() -> float:
    return settings.CIVICNET_REDIS_BREAKER_SECONDS


_breakers: dict[str, Breaker] = {}


def breaker_for(url: str) -> Breaker:
    """The breaker of the server `url` points at: the cache and the broker on one Redis share it,
    so a cache call that found Redis frozen spares the next publish the wait too."""
    parts = urlsplit(url.split(",")[0].split(";")[0])
    name = f"{parts.scheme}://{parts.hostname}:{parts.port}" if parts.hostname else url
    return _breakers.setdefault(name, Breaker(name))


def breakers_reset() -> None:
    """Close every breaker (tests, and a process that knows the server is back)."""
    for breaker in _breakers.values():
        breaker.reset()
