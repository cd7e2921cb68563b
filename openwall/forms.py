import re

from django import forms
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from civicnet.city.forms import ReaderOrderChoiceIterator
from civicnet.city.models import District, Topic, city_area_word, default_language, site_language_codes, site_languages
from civicnet.uploads import image_validate

from .models import DESCRIPTION_MAX, TITLE_MAX, Comment, Flag, Issue

PHOTO_MAX_BYTES = 5 * 1024 * 1024


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS, skipped by screen readers) and bots fill in."""

    website_url = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website_url"):
            raise forms.ValidationError(_("This form looks automated; please try again."), code="honeypot")
        return cleaned


ACTIVE_HTML = re.compile(
    r"<\s*/?\s*(script|style|iframe|object|embed|svg|math|form|link|meta)\b|<[^>]*\son[a-z]+\s*=", re.IGNORECASE
)


def clean_text(value: str) -> str:
    """NUL bytes break PostgreSQL and mean nothing to people; trailing space is noise. Markup that
    would run code is refused with a message (it would be escaped anyway, but nobody means it)."""
    value = value.replace("\x00", "").strip()
    if ACTIVE_HTML.search(value):
        raise forms.ValidationError(
            _("HTML code is not allowed here. Use plain text; **bold**, *italics*, lists and links work.")
        )
    return value


class IssueForm(HoneypotMixin, forms.ModelForm):
    class Meta:
        model = Issue
        fields = ["title", "description", "language", "topic", "district", "address", "latitude", "longitude", "photo"]
        widgets = {
            "title": forms.TextInput(attrs={"autocomplete": "off"}),
            "description": forms.Textarea(attrs={"rows": 7}),
            "address": forms.TextInput(attrs={"autocomplete": "off"}),  # the problem's place, not the author's
            # Set by the map, where there is one (static/js/map.js); typed by nobody.
            "latitude": forms.HiddenInput,
            "longitude": forms.HiddenInput,
        }
        help_texts = {
            "title": _("What is the problem, in one sentence?"),
            "description": _("Where, since when, who is affected. You can use **bold**, *italics*, lists and links."),
            "photo": _("Optional. JPEG, PNG or WebP, 5 MB at most. We remove the location and camera details."),
            "address": _("Optional. A street and number, a square, a station: where people can see the problem."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "language" in self.fields:
            self.fields["language"].label = _("Language of your text")
            self.fields["language"].help_text = _("So that readers and search find it in the right language.")
            if not self.initial.get("language"):
                current = (get_language() or "")[:2]
                self.initial["language"] = current if current in site_language_codes() else default_language()
            self.fields["language"].choices = site_languages()
        self.fields["topic"].queryset = Topic.objects.active()
        self.fields["topic"].empty_label = _("Choose a theme")
        self.fields["district"].iterator = ReaderOrderChoiceIterator  # first: the queryset builds the choices
        self.fields["district"].queryset = District.objects.all()
        self.fields["district"].label = capfirst(city_area_word())
        self.fields["district"].empty_label = _("Anywhere in the city")
        for name in ("latitude", "longitude"):
            if name in self.fields:
                self.fields[name].error_messages["invalid"] = _("The point on the map is not readable: pick it again.")

    def clean_title(self):
        title = " ".join(clean_text(self.cleaned_data["title"]).split())
        if len(title) < 8:
            raise forms.ValidationError(_("Say a little more: at least 8 characters."))
        return title

    def clean_description(self):
        description = clean_text(self.cleaned_data["description"])
        if len(description) < 20:
            raise forms.ValidationError(_("Describe the problem in at least 20 characters."))
        return description

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "size") and photo != self.initial.get("photo"):
            image_validate(photo, max_bytes=PHOTO_MAX_BYTES)
        return photo

    def _get_validation_exclusions(self):
        # clean() checks the point; Django would check the same CheckConstraint again, with queries.
        return {*super()._get_validation_exclusions(), "latitude", "longitude"}

    def clean_address(self):
        return " ".join(clean_text(self.cleaned_data.get("address") or "").split())

    def clean(self):
        data = super().clean()
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (latitude is None) != (longitude is None):
            raise forms.ValidationError(_("The point on the map is incomplete: pick it again."))
        if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise forms.ValidationError(_("The point on the map is not on Earth: pick it again."))
        return data


class IssueEditForm(IssueForm):
    class Meta(IssueForm.Meta):
        fields = ["title", "description", "topic", "district", "address", "latitude", "longitude"]


class CommentForm(HoneypotMixin, forms.ModelForm):
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}
        labels = {"body": _("Your comment")}

    def clean_body(self):
        body = clean_text(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError(_("Write something first."))
        return body


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong?"), choices=Flag.Reason.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Anything to add? (optional)"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_note(self):
        return clean_text(self.cleaned_data["note"])


class MeetupIssueForm(IssueEditForm):
    """An issue raised in the room, typed in by the facilitator, with the paper votes it got."""

    paper_votes = forms.IntegerField(label=_("Paper votes in the room"), min_value=0, max_value=100_000, initial=0)

    class Meta(IssueEditForm.Meta):
        fields = ["title", "description", "topic", "district", "address"]  # no map in the room


class TallyForm(forms.Form):
    """The issue is found by its title (the picker lists the matches as choices, issue_candidates)."""

    search = forms.CharField(label=_("Find the issue by its title"), required=False, max_length=TITLE_MAX)
    issue = forms.IntegerField(
        label=_("Issue"),
        min_value=1,
        error_messages={"required": _("Search for the issue, then choose it in the list.")},
    )
    votes = forms.IntegerField(label=_("Paper votes"), min_value=0, max_value=100_000)

    def clean_issue(self):
        issue = Issue.objects.public().filter(pk=self.cleaned_data["issue"]).first()
        if issue is None:
            raise forms.ValidationError(_("There is no public issue with this number."))
        return issue


class AttendanceForm(forms.Form):
    attendance = forms.IntegerField(label=_("People who came"), min_value=0, max_value=100_000)


class TranslationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 7})
    )
    machine_draft = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_title(self):
        title = " ".join(clean_text(self.cleaned_data["title"]).split())
        if len(title) < 4:
            raise forms.ValidationError(_("Say a little more: at least 4 characters."))
        return title

    def clean_description(self):
        description = clean_text(self.cleaned_data["description"])
        if not description:
            raise forms.ValidationError(_("Write something first."))
        return description
