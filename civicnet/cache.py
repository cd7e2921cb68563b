"""A Redis cache that degrades instead of failing: with Redis down, pages still render.

Reads miss, writes are dropped, `add` answers True (rate limits fail open rather than lock
everyone out), each failure is logged. Timeouts are short so a dead Redis costs milliseconds.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError as RedisResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
# Unreachable, too slow, or refusing (out of memory, read-only replica): all degrade the same way.
FAILURES = (RedisConnectionError, RedisTimeoutError, RedisResponseError, OSError)


def _degrade(fallback):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except FAILURES as exc:
                logger.warning("cache unavailable for %s: %r", method.__name__, exc)
                return fallback(*args, **kwargs) if callable(fallback) else fallback

        return wrapper

    return decorate


class ResilientRedisCache(RedisCache):
    get = _degrade(lambda key, default=None, version=None: default)(RedisCache.get)
    get_many = _degrade({})(RedisCache.get_many)
    has_key = _degrade(False)(RedisCache.has_key)
    set = _degrade(None)(RedisCache.set)
    set_many = _degrade([])(RedisCache.set_many)
    add = _degrade(True)(RedisCache.add)
    touch = _degrade(False)(RedisCache.touch)
    delete = _degrade(False)(RedisCache.delete)
    delete_many = _degrade(None)(RedisCache.delete_many)
    clear = _degrade(False)(RedisCache.clear)
    incr = _degrade(lambda key, delta=1, version=None: delta)(RedisCache.incr)
    decr = _degrade(lambda key, delta=1, version=None: -delta)(RedisCache.decr)


def counters_incr(keys: list[str], *, start: int, timeout: int, using=None) -> list[int] | None:
    """Add one to each counter in `keys`, creating a missing one at `start` (so it reads
    `start + 1`) that expires after `timeout` seconds. Returns the new values, or None when the
    cache does not answer.

    On Redis this is one round trip: SET NX EX then INCR per key, in one MULTI/EXEC so that a
    key cannot expire between the two (a single Redis server is assumed). Django's own incr()
    costs two round trips per key, and add-then-incr three. Elsewhere it
    falls back to add() and incr().
    """
    from django.core.cache import caches

    cache = using or caches["default"]  # the backend itself: django.core.cache.cache is a proxy
    if isinstance(cache, RedisCache):
        try:
            full_keys = [cache.make_and_validate_key(key) for key in keys]
            pipe = cache._cache.get_client(full_keys[0], write=True).pipeline(transaction=True)
            for key in full_keys:
                pipe.set(key, start, ex=timeout, nx=True)
                pipe.incr(key)
            return pipe.execute()[1::2]
        except FAILURES as exc:
            logger.warning("cache unavailable for counters_incr: %r", exc)
            return None
    values = []
    for key in keys:
        cache.add(key, start, timeout)
        try:
            values.append(cache.incr(key))
        except ValueError:  # expired between add and incr
            cache.set(key, start + 1, timeout)
            values.append(start + 1)
    return values
