"""Whole pages kept for anonymous visitors, dropped as soon as what they show changes.

Most visitors are not signed in and see the same pages: the wall, an issue, a theme. A view
wrapped in `shared_page(...)` answers such a visitor (GET, no message waiting) from the cache,
keyed by language, path with query string and htmx target; only the query parameters and htmx
targets the view declares are kept. A page is stored only when rendering it touched nothing
personal: status 200, no CSRF token asked for, no session write, no cookie.

Freshness comes from generations, not from deleting keys. Each page is stored under the current
generation of every scope it depends on: "site" (names, themes, the city) for all of them, "wall"
for the lists, "issue:<pk>" for one issue's page. `invalidate(scope, ...)` bumps those generations
at once and again when the transaction commits; the next visitor gets a fresh page, and the old
entries, never read again, expire on their own. Apps call it from signals and from the services
that write with `update()`.

Numbers that move all the time are not a reason to drop a page. A template marks such a number
`<span data-live="votes:42">17</span>`, and each time a stored page is served its marked numbers
are read afresh, in one call per kind for the whole page, from the source a phase declares
(`PhaseConfig.live_counts`), through the cache: each value is kept `CIVICNET_LIVE_COUNT_SECONDS`
(2) and dropped by the change when it commits (`live_changed`). So a vote drops no
page: the issue's page, and every list showing it, serve the count as it is now. Lags: a reader
racing a vote may keep the old count for those 2 seconds; the *order* of a list sorted by votes
may be up to `CIVICNET_PAGE_CACHE_SECONDS` old.

With the cache down, pages are rendered as if this module did not exist.
"""

import hashlib
import logging
import re
import time
import zlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import translation

from civicnet import personal, phases
from civicnet.cache import counters_incr, delete_on_commit

logger = logging.getLogger(__name__)

PAGE = "page:"
GENERATION = "page-gen:"
MAX_PATH = 512  # longer addresses are someone making up keys: render them, keep nothing


# Only this exact shape is filled in; user text never carries it (it is escaped, or sanitised
# without data- attributes).
LIVE = re.compile(rb'<span class="([a-z -]+)" data-live="([a-z_]+):(\d+)">-?\d+</span>')


LIVE_KEY = "live:"


def _live_key(name: str, pk: int) -> str:
    return f"{LIVE_KEY}{name}:{pk}"


def _live_current(marks, found: dict, fetched) -> dict[str, int]:
    """Each marked number's current value, by its cache key: from `found` (read with the page;
    `fetched` are the keys asked for then) or the cache where a recent one is kept, else from the
    phase's source, one call per kind, kept `CIVICNET_LIVE_COUNT_SECONDS`."""
    keys = {_live_key(name, pk): (name, pk) for _start, _end, _css, name, pk in marks}
    unread = [key for key in keys if key not in fetched]
    values = {key: found[key] for key in keys if key in found}
    if unread:
        values |= cache.get_many(unread)
    missing: dict[str, set[int]] = {}
    for key, (name, pk) in keys.items():
        if key not in values:
            missing.setdefault(name, set()).add(pk)
    sources = phases.live_sources()
    fresh = {}
    for name, pks in missing.items():
        if name in sources:
            fresh |= {_live_key(name, pk): value for pk, value in sources[name](sorted(pks)).items()}
    if fresh:
        cache.set_many(fresh, settings.CIVICNET_LIVE_COUNT_SECONDS)
    return values | fresh


def live_changed(name: str, pk: int) -> None:
    """A live number moved: the next page served reads it from its source. Dropped once the
    transaction commits (before, the source still has the old value), or at once outside one."""
    delete_on_commit(_live_key(name, pk))


def _live_marks(body: bytes) -> list[tuple]:
    """Where the page's live numbers are, found once when it is stored: (start, end, css, name, pk)."""
    return [(m.start(), m.end(), m.group(1), m.group(2).decode(), int(m.group(3))) for m in LIVE.finditer(body)]


def _fill_live(body: bytes, marks, values: dict[str, int]) -> bytes:
    """The stored page with every marked number replaced by its current value."""
    out, position = [], 0
    for start, end, css, name, pk in marks:
        value = values.get(_live_key(name, pk))
        if not isinstance(value, int):
            continue  # gone since (the page is dropped by the change that removed it), or not a number
        out += [body[position:start], b'<span class="%s" data-live="%s:%d">%d</span>' % (css, name.encode(), pk, value)]
        position = end
    out.append(body[position:])
    return b"".join(out)


# The live keys each stored page showed when this process last served it: read with the page
# itself, in one round trip (bounded; a page whose numbers changed is corrected on the spot).
_live_keys_of: dict[str, list[str]] = {}


def _generation_timeout() -> int:
    return max(3600, 10 * settings.CIVICNET_PAGE_CACHE_SECONDS)


# Scopes whose bump the cache did not take (it was down): bumped again before this process next
# reads a generation, so a page stored before the outage is not served after it.
_unbumped: set[str] = set()


def _bump(scopes) -> None:
    # A missing generation is created from the clock, past any value an older entry used.
    keys = [GENERATION + scope for scope in scopes]
    if counters_incr(keys, start=time.time_ns(), timeout=_generation_timeout()) is None:
        _unbumped.update(scopes)
    else:
        _unbumped.difference_update(scopes)


def _generations(scopes: list[str]) -> list[int] | None:
    if _unbumped:
        _bump(list(_unbumped))
        if _unbumped:
            return None  # still down
    keys = [GENERATION + scope for scope in scopes]
    found = cache.get_many(keys)
    if len(found) < len(keys):
        # First use, or evicted: start from the clock, which is past any value an older entry used.
        for key in keys:
            if key not in found:
                cache.add(key, time.time_ns(), timeout=_generation_timeout())
        found = cache.get_many(keys)
        if len(found) < len(keys):
            return None  # the cache is not answering
    return [found[key] for key in keys]


def invalidate(*scopes: str) -> None:
    """Drop every stored page that depends on one of `scopes`, now and again once the transaction commits.

    Now, so that nothing older is served from here on; again after the commit, because a visitor
    may render the page in between, from data that do not show this write yet.
    """
    _bump(scopes)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(scopes))


def _may_use(request, params: frozenset[str], targets: frozenset[str]) -> bool:
    # Only the query parameters and htmx targets the view knows: anything else is someone making
    # up keys, which would only fill the cache (shared with rate limits and the task queue).
    return (
        request.method == "GET"
        and len(request.get_full_path()) <= MAX_PATH
        and set(request.GET) <= params
        and (not request.headers.get("HX-Request") or request.headers.get("HX-Target", "") in targets)
        and not len(get_messages(request))
    )


def _may_store(request, response) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
        and "private" not in response.get("Cache-Control", "")
    )


def _key(request, generations: list[int], *, shell: bool) -> str:
    parts = [
        f"shell:{personal.fingerprint()}" if shell else "anonymous",
        # A new release's static files have new names: pages of the previous one are not served.
        getattr(staticfiles_storage, "manifest_hash", ""),
        translation.get_language() or "",
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        request.get_full_path(),
        *map(str, generations),
    ]
    return PAGE + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _render_shell(view, request, *args, **kwargs):
    """The page as an anonymous visitor would get it, with every personal block in all its
    variants (civicnet/personal.py): nothing of the person asking can end up in it."""
    person = request.user
    request.user = AnonymousUser()
    # Nor the person's CSRF secret: a {% csrf_token %} left outside a personal block would get a
    # throwaway one, and the page (flagged by get_token) is then rendered for the person instead.
    csrf_keys = ("CSRF_COOKIE", "CSRF_COOKIE_NEEDS_UPDATE")
    csrf = {name: request.META.pop(name) for name in csrf_keys if name in request.META}
    marker = personal.rendering_shell.set(True)
    try:
        response = view(request, *args, **kwargs)
        response.personal_leak = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        return response
    finally:
        personal.rendering_shell.reset(marker)
        request.user = person
        for name in csrf_keys:
            request.META.pop(name, None)
        request.META.update(csrf)


def _from_store(key: str, body_of, extra=()) -> HttpResponse | None:
    """The stored page under `key`, its live numbers filled in, or None. The `extra` keys are
    read in the same round trip and handed to `body_of` (the shell's personal parts)."""
    wanted = [key, *_live_keys_of.get(key, ()), *extra]
    found = cache.get_many(wanted)
    stored = found.get(key)
    if not isinstance(stored, tuple) or len(stored) != 4:
        return None  # not there, or kept by an earlier release in another shape
    try:
        return _served(key, stored, body_of, found, set(wanted), known={name: found.get(name) for name in extra})
    except (KeyError, ValueError):
        logger.warning("A stored page could not be filled in; rendering it instead.", exc_info=True)
        return None


def _served(
    key: str, stored, body_of, found=None, fetched=(), *, rendered: bytes | None = None, known=None
) -> HttpResponse:
    """The stored page, its live numbers filled in; or, just `rendered`, the page as it was
    rendered, whose numbers are the current ones."""
    status, headers, body, marks = stored
    body = zlib.decompress(body) if rendered is None else rendered
    if marks:
        if rendered is None:
            body = _fill_live(body, marks, _live_current(marks, found or {}, fetched))
        if len(_live_keys_of) > 5000:
            _live_keys_of.clear()
        _live_keys_of[key] = list(dict.fromkeys(_live_key(name, pk) for _s, _e, _c, name, pk in marks))
    response = HttpResponse(body_of(body, known), status=status)
    for header, value in headers:
        response[header] = value
    return response


def shared_page(*scopes: str | Callable[..., str], params=(), htmx_targets=(), members=False):
    """Serve the view's page from the cache; `scopes` name what it shows.

    A scope is a string, or a function of the view's keyword arguments returning one or a list
    (`lambda pk: f"issue:{pk}"`).
    `params` are the query parameters the page reads, `htmx_targets` the fragments it answers
    htmx with; a request with any other is rendered and not kept. Anonymous visitors get the
    stored page; with `members=True`, signed-in visitors get a stored shell with their own parts
    put in (civicnet/personal.py): only for a page whose templates mark every part that differs
    for a signed-in person with `{% personal %}` or `{% personal_include %}`. `members` may be a
    function of the request: who gets the shell (the others get the page rendered for them).
    """
    params, htmx_targets = frozenset(params), frozenset(htmx_targets)

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            seconds = settings.CIVICNET_PAGE_CACHE_SECONDS
            if not seconds or not _may_use(request, params, htmx_targets):
                return view(request, *args, **kwargs)
            shell = request.user.is_authenticated
            if shell and not (members(request) if callable(members) else members):
                return view(request, *args, **kwargs)
            names = ["site"]
            for scope in scopes:
                named = scope(**kwargs) if callable(scope) else scope
                names += [named] if isinstance(named, str) else named
            generations = _generations(names)
            if generations is None:
                return view(request, *args, **kwargs)
            key = _key(request, generations, shell=shell)

            # A shell is filled in for the person asking; an anonymous page is served as it is.
            def body_of(body: bytes, known: dict | None) -> bytes:
                return personal.fill(request, body.decode(), known).encode() if shell else body

            served = _from_store(key, body_of, personal.prefetch_keys(request) if shell else ())
            if served is not None:
                return served
            response = _render_shell(view, request, *args, **kwargs) if shell else view(request, *args, **kwargs)
            if not _may_store(request, response) or getattr(response, "personal_leak", False):
                return view(request, *args, **kwargs) if shell else response
            stored = _entry(response, response.content)
            cache.set(key, stored, seconds)
            # Served as rendered: its live numbers are the ones just read.
            return _served(key, stored, body_of, rendered=response.content) if shell else response

        return wrapped

    return decorate


def _entry(response, content: bytes) -> tuple:
    """What is stored for a page: status, headers, the body compressed, where its live numbers are."""
    return (response.status_code, list(response.items()), zlib.compress(content, 1), _live_marks(content))
