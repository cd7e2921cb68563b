"""The organisers' back office: Django's admin site with the project's rules for every ModelAdmin.

Every ModelAdmin registered here (ours and the libraries') saves only the fields a change form
changed (ChangedFieldsOnly), and filters its list only by what it declares: a `list_filter` entry
or the `date_hierarchy`, with plain comparisons. Django's own rule accepts any lookup on a model's
own fields from the query string (`?body_text__regex=…`), which turns a list into an oracle for
text the change page hides (a password-reset link in a queued email, recovered one character at
a time).
"""

from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.db.models.constants import LOOKUP_SEP
from django.utils.translation import gettext_lazy as _

# What may follow a declared field in a filter's parameter: comparisons and the parts Django's
# own list filters write (`topic__id__exact`, `sent_at__isempty`, `created_at__year`), never a
# path into another model's fields or a pattern match.
SAFE_LOOKUP_PARTS = frozenset(
    {"exact", "isnull", "in", "gte", "gt", "lte", "lt", "year", "month", "day", "isempty", "id", "pk"}
)


class DeclaredLookupsOnly:
    """Mixed into every registered ModelAdmin by CivicAdminSite.register."""

    def lookup_allowed(self, lookup, value, request=None):
        names, paths = set(), set()
        if self.date_hierarchy:
            paths.add(self.date_hierarchy)
        for item in self.get_list_filter(request) if request is not None else self.list_filter:
            if isinstance(item, type) and issubclass(item, admin.SimpleListFilter):
                names.add(item.parameter_name)
            elif isinstance(item, list | tuple):
                paths.add(item[0])
            else:
                paths.add(item)
        if lookup in names:
            return True
        for path in paths:
            if isinstance(path, str) and (lookup == path or lookup.startswith(path + LOOKUP_SEP)):
                rest = lookup[len(path) :].split(LOOKUP_SEP)[1:]
                if all(part in SAFE_LOOKUP_PARTS for part in rest):
                    return True
        # The raw-id popup of a ForeignKey with limit_choices_to passes those lookups: Django's rule.
        for fk_lookup in self.model._meta.related_fkey_lookups:
            if callable(fk_lookup):
                fk_lookup = fk_lookup()
            if (lookup, value) in widgets.url_params_from_lookup_dict(fk_lookup).items():
                return True
        return False


class ChangedFieldsOnly:
    """Mixed into every registered ModelAdmin by CivicAdminSite.register: a change form writes only
    the fields the organiser changed. Django's writes the whole row it loaded, so a vote, a
    verification or a moderation action landing meanwhile was written over with old values."""

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        concrete = {f.name: f for f in obj._meta.concrete_fields}
        fields = [name for name in form.changed_data if name in concrete]
        if fields:
            fields += [name for name, f in concrete.items() if getattr(f, "auto_now", False) and name not in fields]
            obj.save(update_fields=fields)
        return None


class CivicAdminSite(admin.AdminSite):
    site_header = _("civicnet back office")
    site_title = _("civicnet")
    index_title = _("Organisers' back office")
    # The app list is one click away on every page; on a 1280 px screen the lists need the width.
    enable_nav_sidebar = False

    def each_context(self, request):
        """The back office is the city's network's: its name heads every page."""
        from civicnet.city.models import CityProfile

        context = super().each_context(request)
        city = CityProfile.current()
        if city:
            context["site_header"] = _("%(network)s back office") % {"network": city.network_name}
            context["site_title"] = city.network_name
        return context

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, DeclaredLookupsOnly):
            # A ModelAdmin that saves through a service of its own keeps its save_model.
            own_save = admin_class.save_model is not admin.ModelAdmin.save_model
            mixins = (DeclaredLookupsOnly,) if own_save else (DeclaredLookupsOnly, ChangedFieldsOnly)
            admin_class = type(admin_class.__name__, (*mixins, admin_class), {"__module__": admin_class.__module__})
        super().register(model_or_iterable, admin_class, **options)

    def login(self, request, extra_context=None):
        """Admin sign-in goes through allauth: the same throttling, email verification and MFA as everyone."""
        from civicnet.views import admin_login

        return admin_login(request, extra_context)


class AdminConfig(DjangoAdminConfig):
    default_site = "civicnet.adminsite.CivicAdminSite"


class RecordAdmin:
    """A record that only services write (votes, the moderation log, reports, notifications):
    organisers may look, not add, change or delete, so no count or log is ever skipped."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NoBulkDelete:
    """Deleting these runs a service or a check per object: no "delete selected" action."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
