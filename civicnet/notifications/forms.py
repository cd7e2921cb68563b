from django import forms

from . import kinds
from .models import EmailPreference


class EmailPreferencesForm(forms.Form):
    """One choice per registered notification kind."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds.all_kinds():
            choices = EmailPreference.Choice.choices
            if not (kind.digestible and kinds.digest_available()):
                choices = [c for c in choices if c[0] != EmailPreference.Choice.WEEKLY]
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                choices=choices,
                initial=current.get(kind.key, kind.default_frequency),
                widget=forms.RadioSelect,
            )
