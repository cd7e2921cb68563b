"""Forms for texts that a city writes in each of its languages (the `<field>_i18n` JSON fields)."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.functional import cached_property
from django.utils.text import capfirst

from .models import reader_sort_key, site_languages
from .services import text_max_length


def texts_form(model, texts: dict[str, bool], *, base=forms.ModelForm, long: frozenset = frozenset()):
    """A model form class for `model` that edits each text in `texts` ({field: required}) as one
    box per language the city speaks, `name__nl`, `name__en`..., in the pack's order.

    Built per request, because the city's languages are data. Texts in a language the city no
    longer speaks are kept, not erased: adding the language back brings them back.
    """
    languages = site_languages()
    declared = {}
    for name, required in texts.items():
        verbose = capfirst(model._meta.get_field(f"{name}_i18n").verbose_name)
        for code, language in languages:
            declared[f"{name}__{code}"] = forms.CharField(
                label=f"{verbose} ({language})",
                required=required,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 4}) if name in long else forms.TextInput(attrs={"size": 60}),
                max_length=text_max_length(model, name),
            )

    def __init__(self, *args, **kwargs):
        base.__init__(self, *args, **kwargs)
        for name in texts:
            current = getattr(self.instance, f"{name}_i18n") or {}
            for code, _language in languages:
                self.fields[f"{name}__{code}"].initial = current.get(code, "")

    def clean(self):
        cleaned = base.clean(self)
        for name in texts:
            kept = dict(getattr(self.instance, f"{name}_i18n") or {})
            for code, _language in languages:
                text = cleaned.get(f"{name}__{code}", "")
                if text:
                    kept[code] = text
                else:
                    kept.pop(code, None)
            setattr(self.instance, f"{name}_i18n", kept)
        return cleaned

    @cached_property
    def changed_data(self):
        """A changed box changes its JSON field: the admin saves only changed fields."""
        changed = base.changed_data.func(self)
        return changed + [
            f"{name}_i18n" for name in texts if any(f"{name}__{code}" in changed for code, _l in languages)
        ]

    attrs = {**declared, "__init__": __init__, "clean": clean, "changed_data": changed_data}
    return type(f"{model.__name__}TextsForm", (base,), attrs)


def text_field_names(texts, fields):
    """`fields` (a fieldset's list) with each `<text>_i18n` replaced by its boxes per language."""
    codes = [code for code, _language in site_languages()]
    out = []
    for field in fields:
        name = field.removesuffix("_i18n")
        if field.endswith("_i18n") and name in texts:
            out.extend(f"{name}__{code}" for code in codes)
        else:
            out.append(field)
    return out


class ReaderOrderChoiceIterator(ModelChoiceIterator):
    """Choices sorted by name in the reader's language (District.objects.in_reader_order)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in sorted(self.queryset, key=lambda obj: reader_sort_key(str(obj))):
            yield self.choice(obj)
