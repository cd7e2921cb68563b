"""Open data: public issue data as CSV, JSON and Atom. No personal data: no authors, no comments' text."""

import csv
import json

from django.contrib.syndication.views import Feed
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from civicnet.city.models import Topic
from civicnet.siteurl import site_url

from .filters import IssueFilter
from .models import Issue

FIELDS = [
    "id",
    "title",
    "description",
    "topic",
    "district",
    "status",
    "votes",
    "offline_votes",
    "comments",
    "language",
    "created_at",
    "url",
]


def _issues(request):
    """The issues asked for, checked: the query runs once here, in the view, for its first row, so
    that a query the database refuses is a clean error page, not a 200 whose body stops half-way.
    (Only then does the stream start; it holds no cursor open between the view and the stream.)"""
    filterset = IssueFilter(request.GET or None, queryset=Issue.objects.public().select_related("topic", "district"))
    issues = filterset.ordered()
    list(issues[:1])
    return issues


def _rows(issues, base: str):
    for issue in issues.iterator(chunk_size=2000):
        yield {
            "id": issue.pk,
            "title": issue.title,
            "description": issue.description,
            "topic": issue.topic.slug,
            "district": issue.district.slug if issue.district else "",
            "status": issue.status,
            "votes": issue.vote_count,
            "offline_votes": issue.offline_vote_count,
            "comments": issue.comment_count,
            "language": issue.language,
            "created_at": issue.created_at.isoformat(),
            "url": base + issue.get_absolute_url(),
        }


class _Echo:
    def write(self, value):
        return value


def csv_safe(value):
    """Spreadsheets run cells that start with = + - @ as formulas: neutralise them (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@require_GET
def export_csv(request):
    writer = csv.DictWriter(_Echo(), fieldnames=FIELDS)
    rows = _rows(_issues(request), site_url())  # read now: the stream runs after the request's middleware

    def lines():
        yield "\ufeff" + ",".join(FIELDS) + "\r\n"  # the BOM tells spreadsheets it is UTF-8
        for row in rows:
            yield writer.writerow({key: csv_safe(value) for key, value in row.items()})

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="open-wall-issues.csv"'
    return response


@require_GET
def export_json(request):
    rows = _rows(_issues(request), site_url())  # read now: the stream runs after the request's middleware

    def chunks():
        yield '{"licence": "CC0-1.0", "issues": ['
        for index, row in enumerate(rows):
            yield ("," if index else "") + json.dumps(row, ensure_ascii=False)
        yield "]}"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="open-wall-issues.json"'
    return response


class TopicFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Topic.objects.active(), slug=slug)

    def title(self, topic):
        return _("Open Wall: %(topic)s") % {"topic": topic.name}

    def subtitle(self, topic):
        return _("The newest issues raised under this theme.")

    def link(self, topic):
        return f"/wall/themes/{topic.slug}/"

    def items(self, topic):
        return Issue.objects.public().filter(topic=topic).select_related("district").newest()[:30]

    def item_title(self, issue):
        return issue.title

    def item_description(self, issue):
        return issue.description_html  # sanitised when it was written

    def item_pubdate(self, issue):
        return issue.created_at

    def item_updateddate(self, issue):
        return issue.updated_at
