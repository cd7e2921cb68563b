"""A Redis cache that degrades instead of failing: with Redis down, pages still render.

Reads miss, writes are dropped, `add` answers True (rate limits fail open rather than lock
everyone out), each failure is logged. Timeouts are short so a dead Redis costs milliseconds.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)


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
