from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civicnet.city.forms import ReaderOrderChoiceIterator
from civicnet.city.models import District, city_area_word, site_languages
from civicnet.uploads import image_validate

from .models import Invitation, Membership, Organisation, User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "preferred_language", "district"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].iterator = ReaderOrderChoiceIterator  # first: the queryset builds the choices
        self.fields["district"].queryset = District.objects.all()
        self.fields["district"].label = capfirst(city_area_word())
        self.fields["preferred_language"].choices = [("", _("Follow my browser")), *site_languages()]


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "kind", "description", "website", "logo"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"logo": _("JPEG, PNG or WebP, 2 MB at most.")}

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the organisation a name."))
        return name

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "size") and logo != self.initial.get("logo"):
            image_validate(logo, max_bytes=settings.CIVICNET_LOGO_MAX_BYTES)
        return logo


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "role"]
        help_texts = {"email": _("We send them a link; it works for 14 days.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].initial = Membership.Role.MEMBER


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password


class SignupExtraForm(forms.Form):
    """What allauth's sign-up asks besides the email and password (ACCOUNT_SIGNUP_FORM_CLASS):
    the public name, unless the person chooses to stay anonymous, and the terms of use."""

    display_name = forms.CharField(
        label=_("Public name"),
        max_length=80,
        required=False,
        help_text=_("Shown next to what you post, for instance “Amina B.”. Your email address is never shown."),
    )
    # A box to tick: its label reads as a sentence, without the colon of a field's name.
    anonymous = forms.BooleanField(
        label=_("Stay anonymous: show me as “Participant” and a number"), required=False, label_suffix=""
    )
    accept_terms = forms.BooleanField(required=True, label_suffix="")

    field_order = ["display_name", "anonymous", "email", "password1", "password2", "accept_terms"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept_terms"].label = format_html(
            gettext('I accept the <a href="{}">terms of use</a>'), reverse("terms")
        )
        self.fields["accept_terms"].error_messages["required"] = _("Accept the terms of use to join.")

    def clean(self):
        data = super().clean()
        data["display_name"] = " ".join(data.get("display_name", "").split())
        if data.get("anonymous"):
            data["display_name"] = ""
        elif not data["display_name"] and "display_name" not in self.errors:
            self.add_error("display_name", _("Choose a public name, or tick “stay anonymous”."))
        return data

    def signup(self, request, user):
        from .services import signup_complete

        signup_complete(user=user, display_name=self.cleaned_data["display_name"])
