from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .forms import text_field_names, texts_form
from .models import Circle, CityProfile, District, Topic


class TextsPerLanguageAdmin(admin.ModelAdmin):
    """Edits each `<field>_i18n` text as one box per language the city speaks (city/forms.py)."""

    texts: dict[str, bool] = {}  # text -> required
    long_texts: frozenset = frozenset()

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = texts_form(self.model, self.texts, base=self.form, long=self.long_texts)
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if self.fieldsets:
            return [
                (title, {**options, "fields": text_field_names(self.texts, options["fields"])})
                for title, options in self.fieldsets
            ]
        return super().get_fieldsets(request, obj)

    def get_fields(self, request, obj=None):
        return [field for field in super().get_fields(request, obj) if not field.endswith("_i18n")]

    @admin.display(description=_("name"))
    def display_name(self, obj):
        return obj.name


@admin.register(CityProfile)
class CityProfileAdmin(TextsPerLanguageAdmin):
    texts = {"name": True, "network_name": True, "tagline": False, "privacy_text": False, "terms_text": False}
    long_texts = frozenset({"privacy_text", "terms_text"})
    list_display = ["display_name", "pack", "primary_colour", "accent_colour", "updated_at"]
    # What the site speaks and its clock are the pack's: a new pack version changes them, with
    # its checks (every text in each language) and the beat's schedules moved to the new zone.
    readonly_fields = ["languages", "default_language", "time_zone", "pack"]
    fieldsets = [
        (None, {"fields": ["name_i18n", "network_name_i18n", "languages", "default_language", "time_zone", "pack"]}),
        (_("Tagline"), {"fields": ["tagline_i18n"]}),
        (_("Look"), {"fields": ["primary_colour", "accent_colour", "logo"]}),
        (
            _("Contact and legal"),
            {"fields": ["contact_email", "operator_name", "operator_address", "privacy_text_i18n", "terms_text_i18n"]},
        ),
    ]

    def has_add_permission(self, request):
        return not CityProfile.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Topic)
class TopicAdmin(TextsPerLanguageAdmin):
    texts = {"name": True, "description": False}
    long_texts = frozenset({"description"})
    list_display = ["slug", "display_name", "order", "active"]
    list_editable = ["order", "active"]
    list_filter = ["active"]
    search_fields = ["slug", "name_i18n"]


@admin.register(District)
class DistrictAdmin(TextsPerLanguageAdmin):
    texts = {"name": True}
    list_display = ["slug", "display_name", "postal_codes"]
    search_fields = ["slug", "name_i18n"]


@admin.register(Circle)
class CircleAdmin(TextsPerLanguageAdmin):
    texts = {"name": True, "description": False}
    long_texts = frozenset({"description"})
    list_display = ["slug", "display_name", "order"]
    list_editable = ["order"]
    search_fields = ["slug", "name_i18n"]
