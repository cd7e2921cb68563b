"""Printable A4 posters of an issue, with a QR code to its page."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from civicnet.qr import qr_svg
from civicnet.siteurl import site_url

from .issues import _issue_for


@require_GET
def poster(request, pk):
    """An A4 poster of the issue for the next meetup's wall, with a QR code to its page."""
    issue = _issue_for(request, pk)
    return render(request, "openwall/poster.html", {"issue": issue, "url": site_url() + issue.get_absolute_url()})


@require_GET
@cache_control(public=True, max_age=86400)
def qr_code(request, pk):
    """The QR code of an issue's address, drawn here as SVG (nothing is fetched from elsewhere)."""
    issue = _issue_for(request, pk)
    return HttpResponse(qr_svg(site_url() + issue.get_absolute_url()), content_type="image/svg+xml")
