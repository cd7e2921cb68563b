from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civicnet.city.models import District
from civicnet.uploads import image_validate

from .models import Invitation, Membership, Organisation, User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "preferred_language", "district"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.all()
        self.fields["preferred_language"].choices = [("", _("Follow my browser")), *settings.LANGUAGES]


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
