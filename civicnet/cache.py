"""A Redis cache that degrades instead of failing: with Redis down or frozen, pages still render,
and authentication throttles still hold.

- Every call goes through the server's circuit breaker (civicnet/circuit.py): after a failure,
  Redis is left alone for a few seconds instead of being waited for on every call.
- Keys that throttle someone (allauth's rate limits and used-TOTP markers, civicnet's rate
  limits: `CIVICNET_CACHE_FALLBACK_PREFIXES`) move to the fallback cache, in the database, while
  Redis is unavailable, so that a dead Redis never opens sign-in to brute force.
- Every other key degrades: reads miss, writes are dropped, `add` answers True. Each failure is
  logged by the breaker.

The fallback counts from zero when it takes over, and Redis's counts are used again once it is
back: at each switch a limit can let through up to its count once more, never unlimited.
"""

import functools

import redis
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError as RedisResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from civicnet import circuit

# Unreachable, too slow, or refusing (out of memory, read-only replica): all degrade the same way.
FAILURES = (RedisConnectionError, RedisTimeoutError, RedisResponseError, OSError)


def _first_key(args, kwargs):
    value = args[0] if args else kwargs.get("key", kwargs.get("keys"))
    if isinstance(value, dict):
        value = list(value)
    return value


def throttles(key) -> bool:
    """Whether `key` (or every key of a list) counts attempts that must hold without Redis."""
    prefixes = tuple(settings.CIVICNET_CACHE_FALLBACK_PREFIXES)
    if isinstance(key, str):
        return key.startswith(prefixes)
    return bool(key) and all(isinstance(k, str) and k.startswith(prefixes) for k in key)


def fallback_cache():
    return caches[settings.CIVICNET_CACHE_FALLBACK]


def _resilient(name, degraded):
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if not self.breaker.is_open():
            try:
                return method(self, *args, **kwargs)
            except FAILURES as exc:
                self.breaker.trip(exc)
        if throttles(_first_key(args, kwargs)):
            return getattr(fallback_cache(), name)(*args, **kwargs)
        return degraded(*args, **kwargs) if callable(degraded) else degraded

    return wrapper


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else server[0]
        self.breaker = circuit.breaker_for(self._location)
        self._pipeline_client = None
        self._socket_options = {k: v for k, v in params.get("OPTIONS", {}).items() if k.startswith("socket_")}

    def _pipelines(self):
        """A redis-py client of our own for MULTI/EXEC pipelines, which Django's RedisCache does
        not offer (its client is private); same server and timeouts as the cache."""
        if self._pipeline_client is None:
            self._pipeline_client = redis.Redis.from_url(self._location, **self._socket_options)
        return self._pipeline_client

    get = _resilient("get", lambda key, default=None, version=None: default)
    get_many = _resilient("get_many", {})
    has_key = _resilient("has_key", False)
    set = _resilient("set", None)
    set_many = _resilient("set_many", [])
    add = _resilient("add", True)
    touch = _resilient("touch", False)
    delete = _resilient("delete", False)
    delete_many = _resilient("delete_many", None)
    clear = _resilient("clear", False)
    incr = _resilient("incr", lambda key, delta=1, version=None: delta)
    decr = _resilient("decr", lambda key, delta=1, version=None: -delta)

    def counters_incr(self, keys: list[str], *, start: int, timeout: int) -> list[int] | None:
        """See counters_incr. One round trip: SET NX EX then INCR per key, in one MULTI/EXEC so
        that a key cannot expire between the two (a single Redis server is assumed)."""
        if not self.breaker.is_open():
            try:
                full_keys = [self.make_and_validate_key(key) for key in keys]
                pipe = self._pipelines().pipeline(transaction=True)
                for key in full_keys:
                    pipe.set(key, start, ex=timeout, nx=True)
                    pipe.incr(key)
                return pipe.execute()[1::2]
            except FAILURES as exc:
                self.breaker.trip(exc)
        if throttles(keys):
            return _counters_incr_plain(fallback_cache(), keys, start=start, timeout=timeout)
        return None


def _counters_incr_plain(cache, keys, *, start, timeout):
    values = []
    for key in keys:
        cache.add(key, start, timeout)
        try:
            values.append(cache.incr(key))
        except ValueError:  # expired between add and incr
            cache.set(key, start + 1, timeout)
            values.append(start + 1)
    return values


def counters_incr(keys: list[str], *, start: int, timeout: int, using=None) -> list[int] | None:
    """Add one to each counter in `keys`, creating a missing one at `start` (so it reads
    `start + 1`) that expires after `timeout` seconds. Returns the new values, or None when the
    cache does not answer (throttle keys are then counted in the fallback cache instead).

    On Redis this is one round trip; Django's own incr() costs two per key, and add-then-incr
    three. Elsewhere it falls back to add() and incr().
    """
    cache = using or caches["default"]  # the backend itself: django.core.cache.cache is a proxy
    if isinstance(cache, ResilientRedisCache):
        return cache.counters_incr(keys, start=start, timeout=timeout)
    return _counters_incr_plain(cache, keys, start=start, timeout=timeout)


def delete_on_commit(key: str) -> None:
    """Drop a cached value computed from rows that are changing: once the transaction commits
    (before, a reader would compute the old value again), or at once outside one."""
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: cache.delete(key))
    else:
        cache.delete(key)
