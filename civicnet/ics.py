"""Calendar files (.ics, RFC 5545) through the `icalendar` package: escaping, line folding and
UTC times are its job. Meetups use it now; summit sessions and screening slots will too."""

from datetime import UTC, datetime

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event


def ics_calendar(events: list[dict]) -> bytes:
    """One calendar holding `events`: dicts with uid, starts_at, ends_at, summary and, optionally,
    location, description and url."""
    calendar = Calendar()
    calendar.add("prodid", "-//civicnet//civicnet//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    stamp = timezone.now().astimezone(UTC)
    for data in events:
        event = Event()
        event.add("uid", data["uid"])
        event.add("dtstamp", stamp)
        event.add("dtstart", _utc(data["starts_at"]))
        event.add("dtend", _utc(data["ends_at"]))
        event.add("summary", data["summary"])
        for key in ("location", "description", "url"):
            if data.get(key):
                event.add(key, data[key])
        calendar.add_component(event)
    return calendar.to_ical()


def ics_response(content: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
