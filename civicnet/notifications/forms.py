from django import forms

from . import kinds
from .models import EmailPreference


class EmailPreferencesForm(forms.Form):
    """One choice per registered notification kind."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds.all_kinds():
            allowed = set(kind.frequencies)
            if not (kind.digestible and kinds.digest_available()):
                allowed.discard(EmailPreference.Choice.WEEKLY)
            choices = [choice for choice in EmailPreference.Choice.choices if choice[0] in allowed]
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                choices=choices,
                initial=current.get(kind.key, kind.default_frequency),
                widget=forms.RadioSelect,
            )
