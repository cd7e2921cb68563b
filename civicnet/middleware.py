from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


class UserLanguageMiddleware:
    """A signed-in user's preferred language wins over the browser's, unless they just switched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.preferred_language and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
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
