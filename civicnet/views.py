"""Pages of the shared core: home, legal pages, the city's stylesheet, language switch, health."""

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST, require_safe
from django.views.i18n import set_language

from civicnet import phases
from civicnet.access import local_url
from civicnet.accounts.services import user_language_set
from civicnet.city.models import CityProfile
from civicnet.pagecache import shared_page
from civicnet.ratelimit import rate_limited

logger = logging.getLogger(__name__)


# The network's cycle, as the home page tells it; where each phase stands comes from its app.
CYCLE = (
    (
        1,
        _("Open Wall"),
        _("Citizens raise the city's problems, online and at weekly meetups, and vote for the ones that matter most."),
    ),
    (
        2,
        _("Calls for projects"),
        _("Organisers open calls on the top issues; civic innovators answer with proposals that reviewers score."),
    ),
    (
        3,
        _("Matchmaking"),
        _(
            "Pre-screening sessions record what innovators need and what companies and public institutions can "
            "offer, then suggest matches."
        ),
    ),
    (
        4,
        _("Civic Tech Summit"),
        _("Three days of talks, action labs and one-to-one meetings where matched parties sign their collaborations."),
    ),
    (
        5,
        _("Follow-up"),
        _("Collaborations are followed to implementation, and everyone who raised the issue hears what became of it."),
    ),
)


def cycle(stages: dict[int, phases.Stage]) -> list[dict]:
    """The cycle's steps, each with where it stands (a phase whose app is not installed has not started)."""
    return [
        {"number": number, "title": title, "text": text, "stage": stages.get(number, phases.Stage())}
        for number, title, text in CYCLE
    ]


@require_safe
@shared_page(phases.home_scopes, members=True)
def home(request):
    sections = phases.home_sections()
    context = {
        "sections": [(section.template, section.context(request)) for section in sections],
        "leads": [section.lead for section in sections if section.lead],
        "actions": phases.home_actions(),
        "cycle": cycle(phases.stages()),
        "Stage": phases.Stage,
    }
    return render(request, "home.html", context)


@require_safe
@shared_page(members=True)
def privacy(request):
    return render(request, "pages/privacy.html")


@require_safe
@shared_page(members=True)
def terms(request):
    return render(request, "pages/terms.html")


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name none (the admin's)."""
    return redirect(static("img/favicon.svg"), permanent=True)


def admin_login(request, extra_context=None):
    """Replaces the admin's own login form, which would bypass allauth's throttling and MFA."""
    next_url = local_url(request, request.GET.get("next", ""), reverse("admin:index"))
    if request.user.is_authenticated:
        if request.user.is_staff:
            return redirect(next_url)
        raise PermissionDenied
    return redirect_to_login(next_url, login_url=reverse("account_login"))


def _readable_on(colour: str) -> str:
    """Black or white, whichever contrasts more with `colour` (WCAG relative luminance)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


@require_GET
def city_css(request):
    """The city's colours as CSS custom properties, so the stylesheet needs no inline style."""
    city = CityProfile.current()
    primary = city.primary_colour if city else "#1d4ed8"
    accent = city.accent_colour if city else "#b45309"
    css = (
        ":root{"
        f"--primary:{primary};--on-primary:{_readable_on(primary)};"
        f"--accent:{accent};--on-accent:{_readable_on(accent)};"
        "}\n"
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["ETag"] = f'"{hashlib.sha256(css.encode()).hexdigest()[:16]}"'
    patch_cache_control(response, public=True, max_age=300)
    return response


@csrf_protect
def _language_switch_signed_in(request):
    response = set_language(request)
    language = request.POST.get("language")
    if language:
        user_language_set(user=request.user, language=language)
    return response


@csrf_exempt
@require_POST
@rate_limited("preferences")
def language_switch(request):
    """Django's set_language, and for a signed-in user, remember the choice on their profile.

    An anonymous switch only sets the language cookie, so it needs no CSRF token: that keeps
    a per-visitor token out of every anonymous page, which can then be cached
    (civicnet/pagecache.py). A signed-in user's switch changes their profile and is checked.
    """
    if request.user.is_authenticated:
        return _language_switch_signed_in(request)
    return set_language(request)


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return what was stored")
    return "ok"


def _check_broker() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    from civicnet.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """200 when every configured part answers, 503 otherwise; the body says which part failed."""
    checks = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}
    result, healthy = {}, True
    for name, check in checks.items():
        try:
            result[name] = check()
        except Exception as exc:  # any failure of a part is that part being down
            logger.warning("healthz: %s failed: %r", name, exc)
            result[name] = "error"
            healthy = False
    return JsonResponse({"status": "ok" if healthy else "error", **result}, status=200 if healthy else 503)
