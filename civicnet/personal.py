"""Signed-in visitors get stored pages too: what is a person's own is put in when serving.

A page wrapped in `shared_page(..., members=True)` is kept in a second form for signed-in
visitors, the *shell*. The shell is rendered as an anonymous visitor would see it, so nothing of
the person who happened to ask first can be in it, except inside two template tags (built in,
no `{% load %}`):

- `{% personal "kind" key %}…{% endpersonal %}`: the block is kept in each variant its kind
  declares, rendered for a generic signed-in person (`MEMBER`, no name, no id) with a placeholder
  CSRF token. Serving the shell picks each person's variant with one call per kind for the whole
  page (`Kind.choose`: one query for the votes among the page's issues). The core's kind
  `signed_in` has one variant: what any signed-in person sees (a form instead of "sign in to…").
- `{% personal_include "template.html" %}`: rendered for the person on every request (the account
  menu with their name and unread count), with `request`, `user`, `csrf_token` and
  `unread_notifications` only.

Then the CSRF placeholder becomes the person's token. Outside a shell both tags render their
content as usual. A phase declares its kinds in `PhaseConfig.personal_parts`.

The markers are HTML comments, which no user text can carry (it is escaped, and the Markdown
sanitiser drops comments); the placeholder is derived from SECRET_KEY, so it cannot be guessed.
"""

import contextvars
import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from django import template
from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe

register = template.Library()

# Set while a shell is rendered (civicnet.pagecache).
rendering_shell: contextvars.ContextVar[bool] = contextvars.ContextVar("rendering_shell", default=False)


@dataclass(frozen=True)
class Kind:
    """A kind of personal block: its variants, and which one each key's block shows a person:
    `choose(request, keys) -> {key: variant}` (the first variant when a key is not returned).

    A variant is what the block's context gets: a dict, or a function of the context returning
    one (`lambda context: {"user": Member(pk=context["comment"].author_id)}`: "as its author")."""

    name: str
    variants: dict[str, dict | Callable]
    choose: Callable[..., dict[str, str]]


class Nobody:
    """An id equal to no row's, not even a missing one (an erased author's None)."""

    def __eq__(self, other):
        return False

    def __hash__(self):
        return 0

    def __str__(self):
        return ""


class Member:
    """Who a shell's personal blocks are rendered for: signed in, and nobody in particular (or,
    for a variant "as its author", only the author's id)."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_superuser = False
    public_name = display_name = ""

    def __init__(self, pk=None):
        self.pk = self.id = Nobody() if pk is None else pk

    def has_perm(self, *args, **kwargs):
        return False


MEMBER = Member()


def _placeholder() -> str:
    return _placeholder_for(settings.SECRET_KEY)


@functools.lru_cache(maxsize=4)
def _placeholder_for(secret_key: str) -> str:
    return "csrf-" + hashlib.sha256(f"personal-csrf:{secret_key}".encode()).hexdigest()[:40]


SIGNED_IN = Kind(name="signed_in", variants={"member": {}}, choose=lambda request, keys: {})


class _Kinds:
    @cached_property
    def all(self) -> dict[str, Kind]:
        from django.utils.module_loading import import_string

        from civicnet import phases

        kinds = {SIGNED_IN.name: SIGNED_IN}
        for config in phases.phases():
            for name, path in config.personal_parts.items():
                kinds[name] = import_string(path)
        return kinds


KINDS = _Kinds()

KEY = re.compile(r"[\w.-]*", re.ASCII)
INCLUDE = re.compile(r"<!--personal-include ([\w/.-]+\.html)-->")


class PersonalNode(template.Node):
    def __init__(self, kind: str, key, nodelist):
        self.kind, self.key, self.nodelist = kind, key, nodelist

    def render(self, context):
        if not rendering_shell.get():
            return self.nodelist.render(context)
        if context.get("_personal_block"):
            raise template.TemplateSyntaxError(f"{{% personal {self.kind!r} %}} inside another personal block")
        kind = KINDS.all[self.kind]
        key = str(self.key.resolve(context)) if self.key is not None else ""
        if not KEY.fullmatch(key):
            raise template.TemplateSyntaxError(f"{{% personal {self.kind!r} %}}: key {key!r} is not [A-Za-z0-9_.-]*")
        parts = [f"<!--personal {kind.name} {key}-->"]
        for variant, values in kind.variants.items():
            values = values(context) if callable(values) else values
            with context.push({"user": MEMBER, "csrf_token": _placeholder(), "_personal_block": True, **values}):
                parts.append(f"<!--variant {variant}-->{self.nodelist.render(context)}")
        parts.append("<!--/personal-->")
        return mark_safe("".join(parts))


@register.tag("personal")
def personal(parser, token):
    bits = token.split_contents()
    if len(bits) not in (2, 3) or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError('{% personal "kind" [key] %} … {% endpersonal %}')
    nodelist = parser.parse(("endpersonal",))
    parser.delete_first_token()
    key = parser.compile_filter(bits[2]) if len(bits) == 3 else None
    return PersonalNode(bits[1][1:-1], key, nodelist)


class PersonalIncludeNode(template.Node):
    def __init__(self, name: str):
        self.name = name

    def render(self, context):
        if rendering_shell.get():
            return mark_safe(f"<!--personal-include {self.name}-->")
        return context.template.engine.get_template(self.name).render(context)


@register.tag("personal_include")
def personal_include(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError('{% personal_include "template.html" %}')
    return PersonalIncludeNode(bits[1][1:-1])


def fingerprint() -> str:
    """What a stored shell depends on besides the page: the kinds and their variants, and the
    CSRF placeholder (so a release that renames a variant, or a new SECRET_KEY, reads no old shell)."""
    return _fingerprint(settings.SECRET_KEY)


@functools.lru_cache(maxsize=4)
def _fingerprint(secret_key: str) -> str:
    kinds = sorted((name, *kind.variants) for name, kind in KINDS.all.items())
    return hashlib.sha256(repr((kinds, _placeholder())).encode()).hexdigest()[:16]


def prefetch_keys(request) -> list[str]:
    """Cache keys a served shell reads together with the page (one round trip): the unread count."""
    from civicnet.notifications.models import unread_key

    return [unread_key(request.user.pk)]


def _include_context(request, known: dict | None) -> dict:
    """What a personal include is rendered with when a shell is served: the person, their CSRF
    token (the placeholder, replaced below) and their unread count (from `known`, the values of
    `prefetch_keys` read with the page); not every context processor, each of which costs a
    lookup on every signed-in request."""
    from civicnet.notifications.models import unread_count

    unread = unread_count(request.user, known)
    return {"request": request, "user": request.user, "csrf_token": _placeholder(), "unread_notifications": unread}


def render_fragment(request, template_name: str, context: dict) -> HttpResponse:
    """An htmx answer for the person asking (a vote button, a follow button): `context` with the
    request, the person and their CSRF token, and no context processor. The page around the
    fragment already shows the city, the navigation and the unread count; reading them again
    would cost lookups on the busiest writes."""
    values = {"request": request, "user": request.user, "csrf_token": get_token(request), **context}
    return HttpResponse(render_to_string(template_name, values))


OPEN, CLOSE, VARIANT_OPEN = "<!--personal ", "<!--/personal-->", "<!--variant "
HEAD = re.compile(r"<!--personal ([a-z_]+) ([\w.-]*)-->")


def _blocks(shell: str):
    """The shell cut at its personal blocks: (text before, kind, key, {variant: html}) for each,
    then (the rest, None, None, None). Found with str.find: a lazy regular expression over every
    block's body cost more than the rest of serving a signed-in wall. Anything that only looks
    like a block's start (a developer's comment) is left as text."""
    position = search = 0
    while (start := shell.find(OPEN, search)) != -1:
        head = HEAD.match(shell, start)
        end = shell.find(CLOSE, start) if head else -1
        if end == -1:
            search = start + len(OPEN)
            continue
        variants = {}
        for part in shell[head.end() : end].split(VARIANT_OPEN)[1:]:
            name, html = part.split("-->", 1)
            variants[name] = html
        yield shell[position:start], head.group(1), head.group(2), variants
        position = search = end + len(CLOSE)
    yield shell[position:], None, None, None


def fill(request, shell: str, known: dict | None = None) -> str:
    """The shell as this signed-in person sees it: their variant of each block, the parts
    rendered for them, their CSRF token. `known`: the values of `prefetch_keys` read with it."""
    blocks = list(_blocks(shell))
    wanted: dict[str, set[str]] = {}
    for _text, kind, key, _variants in blocks[:-1]:
        wanted.setdefault(kind, set()).add(key)
    chosen = {kind: KINDS.all[kind].choose(request, sorted(keys)) for kind, keys in wanted.items()}
    parts = []
    for text, kind, key, variants in blocks:
        parts.append(text)
        if kind is not None:
            default = next(iter(KINDS.all[kind].variants))
            parts.append(variants[chosen[kind].get(key, default)])
    html = "".join(parts)
    rendered: dict[str, str] = {}

    def include(match):
        name = match.group(1)
        if name not in rendered:
            rendered[name] = render_to_string(name, _include_context(request, known))
        return rendered[name]

    html = INCLUDE.sub(include, html)
    placeholder = _placeholder()
    if placeholder in html:
        html = html.replace(placeholder, get_token(request))
    return html
