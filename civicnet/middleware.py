from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from civicnet.city.models import REQUEST_CITY, CityProfile, default_language, site_language_codes


class CityLocaleMiddleware(LocaleMiddleware):
    """Speak one of the languages the city's pack lists, and show times in its time zone.

    Django's LocaleMiddleware offers every catalogue (settings.LANGUAGES); a Dutch-and-English
    city must never answer in French, whatever the cookie or the browser asks. The choice, in
    order: the language cookie, the browser's languages, the city's default language.
    """

    async_capable = False  # the city is remembered for the request around a synchronous call

    def __call__(self, request):
        try:
            remembered = REQUEST_CITY.set((CityProfile.current(),))
        except DatabaseError:
            remembered = None
        try:
            return super().__call__(request)
        finally:
            if remembered is not None:
                REQUEST_CITY.reset(remembered)

    def process_request(self, request):
        try:
            city = CityProfile.current()  # remembered for the request by __call__
        except DatabaseError:
            # The health check answers 503 (and a page's view its error page) rather than
            # this middleware a 500: speak the catalogues' default until the database is back.
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            return
        codes = site_language_codes()
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in codes:
            # Django's only parser of the header; its public get_language_from_request would pick
            # among every catalogue, not the city's languages.
            accepted = (
                code.split("-")[0].lower()
                for code, _q in parse_accept_lang_header(request.headers.get("Accept-Language", ""))
            )
            language = next((code for code in accepted if code in codes), None) or default_language()
        translation.activate(language)
        request.LANGUAGE_CODE = language
        timezone.activate(city.time_zone if city else settings.TIME_ZONE)


class UserLanguageMiddleware:
    """A signed-in user's preferred language wins over the browser's, unless they just switched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.preferred_language
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.preferred_language in site_language_codes()
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


class StaffMFAMiddleware:
    """Staff use their powers (the admin, and organiser rights on the site) only with an authenticator app.

    Until they have set one up, every page but the account pages sends them to set it up.
    """

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/media/", "/healthz", "/city.css", "/language/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.is_staff
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            messages.warning(request, _("Organisers must protect their account with an authenticator app first."))
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)


class RequestGuardMiddleware:
    """Refuse, before anything reads them, requests no page could serve well:

    - a body larger than `CIVICNET_MAX_REQUEST_BYTES` (413), judged by its Content-Length, so a
      huge upload is not read first and refused after (the proxy in front has its own limit,
      docs/deploy.md);
    - a NUL character in the path, a query parameter or a form field (400): no text we store or
      look up may contain one, and PostgreSQL refuses it with an error deep inside a query.

    It sits after the authentication middleware so that the error page has the reader's language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.CIVICNET_MAX_REQUEST_BYTES:
            return _refuse(
                request,
                413,
                _("Too large"),
                _("What you sent is larger than %(size)s MB. Send smaller files, or fewer at once.")
                % {"size": settings.CIVICNET_MAX_REQUEST_BYTES // 1_000_000},
            )
        if _has_nul(request):
            return _refuse(
                request,
                400,
                _("This address cannot be read"),
                _("It contains a character that is not allowed (a null byte). Check the link or the text you sent."),
            )
        return self.get_response(request)


def _has_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    parts = [request.GET]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        parts.append(request.POST)
    return any(
        "\x00" in key or any("\x00" in value for value in values) for part in parts for key, values in part.lists()
    )


def _refuse(request, status: int, title: str, message: str):
    from django.shortcuts import render

    return render(request, "error.html", {"title": title, "message": message}, status=status)
