from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.http import urlencode

from civicnet.city.models import CityProfile, active_language
from civicnet.notifications.services import email_queue
from civicnet.siteurl import site_url

from .models import User


class CitySite:
    """What allauth's emails call the site ("Hello from {{ site_name }}!"): the network's name,
    read when the email is rendered, so in its reader's language."""

    @property
    def name(self):
        city = CityProfile.current()
        return city.network_name if city else "civicnet"

    @property
    def domain(self):
        return urlsplit(site_url()).netloc


# Set when a new member confirms their first address: the sign-in that follows leads to the welcome.
WELCOME = "civicnet-welcome"


class AccountAdapter(DefaultAccountAdapter):
    def confirm_email(self, request, email_address):
        confirmed = super().confirm_email(request, email_address)
        if confirmed and email_address.user.last_login is None:
            request.session[WELCOME] = True
        return confirmed

    def get_login_redirect_url(self, request):
        if request.session.pop(WELCOME, False):
            return reverse("accounts:welcome")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        return self.get_login_redirect_url(request)

    def post_login(self, request, user, *, redirect_url=None, **kwargs):
        """A newcomer who was on their way somewhere (they clicked "Raise an issue" and joined)
        is welcomed first, and the welcome leads on to where they were going."""
        if redirect_url and request.session.pop(WELCOME, False):
            from allauth.account.utils import get_login_redirect_url

            going = get_login_redirect_url(request, redirect_url)  # the welcome view keeps it only if it is ours
            redirect_url = f"{reverse('accounts:welcome')}?{urlencode({'next': going})}"
        return super().post_login(request, user, redirect_url=redirect_url, **kwargs)

    def send_mail(self, template_prefix, email, context):
        """allauth's mail (verification, password reset...) goes through the one email task.

        It is rendered now, in the recipient's language when we know it, and queued.
        """
        user = context.get("user")
        language = user.language if isinstance(user, User) else active_language()
        context = {**context, "current_site": CitySite()}
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        if message.content_subtype == "html":
            text, html = strip_tags(message.body), message.body
        else:
            alternatives = getattr(message, "alternatives", [])
            text, html = message.body, next((body for body, mimetype in alternatives if mimetype == "text/html"), "")
        email_queue(
            to=email,
            subject=message.subject,
            body_text=text,
            body_html=html,
            language=language[:2],
            recipient=user if getattr(user, "pk", None) else None,
            template=template_prefix,
            sensitive=True,  # verification and reset links sign people in
        )

    def populate_username(self, request, user):
        # No username field: email is the login.
        return None
