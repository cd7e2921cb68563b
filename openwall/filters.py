from datetime import datetime

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicnet.city.models import District, Topic, site_languages
from civicnet.pagination import Keyset

from .models import Issue, IssueTranslation

SORTS = {
    "top": _("Top"),
    "trending": _("Trending"),
    "newest": _("Newest"),
    "discussed": _("Most discussed"),
}

# Each sort's order as a keyset, so that "Next" continues along its index (IssueQuerySet, and the
# indexes on Issue.Meta). Written like the ORDER BY the querysets produce.
KEYSETS = {
    "top": Keyset(
        ("(openwall_issue.vote_count + openwall_issue.offline_vote_count)", "total_votes"),
        ("openwall_issue.id", "id"),
        types=(int, int),
    ),
    "trending": Keyset(
        ("openwall_issue.trend_score", "trend_score"),
        ("openwall_issue.vote_count", "vote_count"),
        ("openwall_issue.id", "id"),
        types=(int, int, int),
    ),
    "newest": Keyset(("openwall_issue.created_at", "created_at"), ("openwall_issue.id", "id"), types=(datetime, int)),
    "discussed": Keyset(
        ("openwall_issue.comment_count", "comment_count"), ("openwall_issue.id", "id"), types=(int, int)
    ),
}


class IssueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    topic = django_filters.ModelChoiceFilter(
        label=_("Theme"), queryset=Topic.objects.active(), to_field_name="slug", empty_label=_("All themes")
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"), queryset=District.objects.all(), to_field_name="slug", empty_label=_("All districts")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Issue.Status.choices, empty_label=_("Any status"))
    language = django_filters.MultipleChoiceFilter(
        label=_("Written or translated in"), choices=site_languages, method="in_languages"
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=list(SORTS.items()), method="sort_by", empty_label=None
    )

    class Meta:
        model = Issue
        fields = ["q", "topic", "district", "status", "language", "sort"]

    def search(self, queryset, name, value):
        return queryset.search(value)

    def in_languages(self, queryset, name, value):
        """Issues written in one of the languages, or with an accepted translation into one."""
        if not value:
            return queryset
        translated = IssueTranslation.objects.accepted().filter(language__in=value).values("issue_id")
        return queryset.filter(Q(language__in=value) | Q(pk__in=translated))

    def sort_by(self, queryset, name, value):
        return queryset  # applied after filtering, in `ordered()`

    @property
    def sort_name(self) -> str:
        """The sort the list is in: the one asked for if it is one, "top" otherwise. A filter that does
        not validate (an unknown theme) is left out, as django-filter does, and takes the sort with it
        no more than any other filter."""
        self.is_valid()  # fills cleaned_data with every field that is valid (none when unbound)
        return getattr(self.form, "cleaned_data", {}).get("sort") or "top"

    def ordered(self):
        queryset = self.qs
        return {
            "trending": queryset.trending,
            "newest": queryset.newest,
            "discussed": queryset.most_discussed,
        }.get(self.sort_name, queryset.ranked)()
