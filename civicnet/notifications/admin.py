from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from civicnet.adminsite import RecordAdmin
from civicnet.tasks import enqueue

from .models import EmailPreference, Notification, OutgoingEmail


@admin.register(Notification)
class NotificationAdmin(RecordAdmin, admin.ModelAdmin):
    list_display = ["recipient", "kind", "text", "created_at", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "kind"]
    raw_id_fields = ["recipient", "actor"]
    date_hierarchy = "created_at"


@admin.register(EmailPreference)
class EmailPreferenceAdmin(RecordAdmin, admin.ModelAdmin):
    """People choose their own email preferences; organisers only look."""

    list_display = ["user", "kind", "frequency"]
    list_filter = ["kind", "frequency"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "language", "created_at", "sent_at", "attempts"]
    list_filter = ["language", "template", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    # The encrypted text of a sensitive email is never shown; its plain body fields are empty.
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields if f.name != "sealed"]
    actions = ["send_again"]

    def get_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None and obj.sensitive:
            fields = [name for name in fields if name not in ("body_text", "body_html")]
        return fields

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Queue the unsent selected emails again"))
    def send_again(self, request, queryset):
        ids = list(queryset.filter(sent_at__isnull=True).values_list("pk", flat=True))
        for email_id in ids:
            enqueue("notifications.send_email", inline_if_broker_down=False, email_id=email_id)
        self.message_user(request, ngettext("%d email queued.", "%d emails queued.", len(ids)) % len(ids))
