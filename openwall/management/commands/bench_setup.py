"""For `make bench`: a signed-in session with a CSRF token, and the addresses to load. Prints JSON."""

import json

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand
from django.middleware.csrf import _get_new_csrf_string

from civicnet.accounts.models import User
from openwall.filters import KEYSETS
from openwall.models import Issue


class Command(BaseCommand):
    help = "Prepare a benchmark session (benchmark data only)."

    def handle(self, *args, **options):
        user, _created = User.objects.get_or_create(
            email="bench@bench.civicnet.test", defaults={"display_name": "Bench"}
        )
        EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        csrf = _get_new_csrf_string()
        detail = Issue.objects.public().filter(comment_count__gte=50).order_by("comment_count", "pk").first()
        target = Issue.objects.public().filter(status="open").order_by("-pk").first()
        # Page 500 as reached by its Next link: after the last issue of page 499.
        before_deep = Issue.objects.public().ranked()[499 * 20 - 1]
        self.stdout.write(
            json.dumps(
                {
                    "cookie": (
                        f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"
                    ),
                    "csrf": csrf,
                    "detail": detail.get_absolute_url(),
                    "detail_comments": detail.comment_count,
                    "vote": f"/wall/{target.pk}/vote/",
                    "deep": f"/wall/?page=500&after={KEYSETS['top'].cursor(before_deep)}",
                }
            )
        )
