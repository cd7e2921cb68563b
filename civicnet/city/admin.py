from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Circle, CityProfile, District, Topic


@admin.register(CityProfile)
class CityProfileAdmin(admin.ModelAdmin):
    list_display = ["name_en", "pack", "primary_colour", "accent_colour", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name_fr", "name_nl", "name_en", "languages", "pack"]}),
        (_("Tagline"), {"fields": ["tagline_fr", "tagline_nl", "tagline_en"]}),
        (_("Look"), {"fields": ["primary_colour", "accent_colour", "logo"]}),
        (
            _("Contact and legal"),
            {
                "fields": [
                    "contact_email",
                    "privacy_text_fr",
                    "privacy_text_nl",
                    "privacy_text_en",
                    "terms_text_fr",
                    "terms_text_nl",
                    "terms_text_en",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return not CityProfile.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_fr", "name_nl", "name_en", "order", "active"]
    list_editable = ["order", "active"]
    list_filter = ["active"]
    search_fields = ["slug", "name_fr", "name_nl", "name_en"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_fr", "name_nl", "name_en", "postal_codes"]
    search_fields = ["slug", "name_fr", "name_nl", "name_en"]


@admin.register(Circle)
class CircleAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_fr", "name_nl", "name_en", "order"]
    list_editable = ["order"]
    search_fields = ["slug", "name_fr", "name_nl", "name_en"]
    prepopulated_fields = {"slug": ["name_en"]}
