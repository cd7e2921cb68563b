from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation
from django.utils.html import strip_tags

from civicnet.notifications.services import email_queue


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """allauth's mail (verification, password reset...) goes through the one email task.

        It is rendered now, in the recipient's language when we know it, and queued.
        """
        user = context.get("user")
        language = getattr(user, "preferred_language", "") or translation.get_language() or settings.LANGUAGE_CODE
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
