import os
from decimal import Decimal

from django import forms
from django.core.exceptions import SuspiciousFileOperation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from civicnet.accounts.models import Organisation
from civicnet.uploads import pdf_validate
from openwall.forms import clean_text
from openwall.models import Issue

from .models import SCORE_MAX, SCORE_MIN, CallQuestion, Proposal, ProposalAttachment, Review


class ProposalStartForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), empty_label=None
    )
    title = forms.CharField(label=_("Title of your project"), max_length=Proposal._meta.get_field("title").max_length)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean_title(self):
        return clean_text(self.cleaned_data["title"])


def question_field_name(question) -> str:
    return f"q{question.pk}"


class ProposalForm(forms.ModelForm):
    """The proposal and the answers to the call's questions (file questions are answered with an
    attachment). `complete`: what a submission needs (every required field and question); a
    draft needs only its title, and may be saved half-written."""

    REQUIRED_TO_SUBMIT = ("summary", "description", "issues", "team", "budget")

    class Meta:
        model = Proposal
        fields = ["title", "summary", "description", "issues", "team", "budget"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 10}),
            "team": forms.Textarea(attrs={"rows": 4}),
            "issues": forms.CheckboxSelectMultiple,
            "budget": forms.NumberInput(attrs={"min": "0", "step": "0.01", "inputmode": "decimal"}),
        }
        help_texts = {
            "description": _("What you will do, with whom, where and by when; how you will know it worked."),
            "issues": _("Among the issues this call answers."),
            "budget": _("In euros. 0 if you ask for no money."),
        }

    def __init__(self, *args, call, questions, complete=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.call, self.questions, self.complete = call, [q for q in questions if q.kind != "file"], complete
        self.fields["issues"].queryset = Issue.objects.public().filter(calls=call).order_by("title", "id")
        self.fields["budget"].min_value = Decimal(0)
        self.fields["budget"].widget.attrs["min"] = "0"
        for name in self.REQUIRED_TO_SUBMIT:
            self.fields[name].required = complete
        for field in ("summary", "description", "team"):
            self.fields[field].max_length = Proposal._meta.get_field(field).max_length
        answers = self.instance.answers or {}
        for question in self.questions:
            field = self._question_field(question)
            field.required = complete and question.required
            field.initial = answers.get(str(question.pk))
            self.fields[question_field_name(question)] = field

    def _question_field(self, question) -> forms.Field:
        label, help_text = question.text, question.help_text
        kind = question.kind
        if kind in (CallQuestion.Kind.SHORT, CallQuestion.Kind.LONG):
            widget = forms.Textarea(attrs={"rows": 5}) if kind == CallQuestion.Kind.LONG else forms.TextInput
            return forms.CharField(label=label, help_text=help_text, max_length=question.longest, widget=widget)
        if kind in (CallQuestion.Kind.SINGLE, CallQuestion.Kind.MULTIPLE):
            choices = [(choice, choice) for choice in question.choice_list]
            if kind == CallQuestion.Kind.SINGLE:
                return forms.ChoiceField(label=label, help_text=help_text, choices=choices, widget=forms.RadioSelect)
            return forms.MultipleChoiceField(
                label=label, help_text=help_text, choices=choices, widget=forms.CheckboxSelectMultiple
            )
        if kind == CallQuestion.Kind.NUMBER:
            return forms.DecimalField(label=label, help_text=help_text, max_digits=14, decimal_places=2)
        return forms.URLField(label=label, help_text=help_text, max_length=500, assume_scheme="https")

    def clean(self):
        cleaned = super().clean()
        for name in ("title", "summary", "description", "team"):
            if isinstance(cleaned.get(name), str):
                try:
                    cleaned[name] = clean_text(cleaned[name])
                except forms.ValidationError as error:
                    self.add_error(name, error)
        for question in self.questions:
            name = question_field_name(question)
            if question.kind in (CallQuestion.Kind.SHORT, CallQuestion.Kind.LONG) and cleaned.get(name):
                try:
                    cleaned[name] = clean_text(cleaned[name])
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def answers(self) -> dict:
        """The answers as they are stored: {question id: text, choice, list of choices or number}."""
        stored = {}
        for question in self.questions:
            value = self.cleaned_data.get(question_field_name(question))
            if value in (None, "", []):
                continue
            stored[str(question.pk)] = str(value) if isinstance(value, Decimal) else value
        return stored

    def data_for_service(self) -> dict:
        data = {name: self.cleaned_data[name] for name in ("title", "summary", "description", "team", "budget")}
        return {**data, "issues": list(self.cleaned_data["issues"]), "answers": self.answers()}


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("PDF file"),
        help_text=_("A PDF of 10 MB at most, without a password."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    question = forms.ModelChoiceField(
        label=_("It answers"),
        queryset=CallQuestion.objects.none(),
        required=False,
        empty_label=_("No question: an annex"),
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        asked = [question.pk for question in questions if question.kind == CallQuestion.Kind.FILE]
        if asked:
            self.fields["question"].queryset = CallQuestion.objects.filter(pk__in=asked)
        else:
            del self.fields["question"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.pages = pdf_validate(upload, max_bytes=ProposalAttachment.MAX_BYTES)
        return upload

    def shown_name(self) -> str:
        """The name given back on download: the person's, made safe for a header and a disk."""
        stem = os.path.splitext(os.path.basename(self.cleaned_data["file"].name))[0]
        try:
            stem = get_valid_filename(stem)[:100]
        except SuspiciousFileOperation:  # nothing usable left in it (only dots, say)
            stem = ""
        return f"{stem or 'attachment'}.pdf"


class ReviewForm(forms.Form):
    """A score from 0 to 5 and a comment per criterion, a recommendation and a comment. Fields
    may be left empty while saving; submitting needs them (calls.services.review_save)."""

    SCALE = [(str(n), str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]

    recommendation = forms.ChoiceField(
        label=_("Your recommendation"), choices=Review.Recommendation.choices, required=False, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment to the organisers"),
        required=False,
        max_length=Review._meta.get_field("comment").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, criteria, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        given = {score.criterion_id: score for score in review.scores.all()}
        self.initial.update({"recommendation": review.recommendation, "comment": review.comment})
        fields = {}
        for criterion in self.criteria:
            score = given.get(criterion.pk)
            fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.description,
                choices=self.SCALE,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                initial=str(score.score) if score else None,
            )
            fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Why this score (optional)"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=score.comment if score else "",
            )
        self.fields = {**fields, **self.fields}

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if (name == "comment" or name.startswith("note_")) and value:
                try:
                    cleaned[name] = clean_text(value)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def scores(self) -> dict:
        return {
            criterion.pk: (
                self.cleaned_data.get(f"score_{criterion.pk}"),
                self.cleaned_data.get(f"note_{criterion.pk}", ""),
            )
            for criterion in self.criteria
        }

    def criterion_fields(self):
        """(criterion, score field, note field), for the template."""
        return [(c, self[f"score_{c.pk}"], self[f"note_{c.pk}"]) for c in self.criteria]


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("Why (for the organisers)"), max_length=200, required=False)

    def clean_reason(self):
        return clean_text(self.cleaned_data["reason"])
