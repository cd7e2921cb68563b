from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from civicnet.ratelimit import rate_limited

from . import kinds, services
from .forms import EmailPreferencesForm
from .models import EmailPreference, Notification


@login_required
def notification_list(request):
    notifications = Notification.objects.for_user(request.user).select_related("actor")
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
def notification_open(request, pk):
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.notifications_mark_read(user=request.user, notification_ids=[notification.pk])
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("notifications:list")


@require_POST
@login_required
@rate_limited("preferences")
def notifications_read_all(request):
    count = services.notifications_mark_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@login_required
@rate_limited("preferences")
def email_preferences(request):
    current = dict(EmailPreference.objects.filter(user=request.user).values_list("kind", "frequency"))
    form = EmailPreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        services.email_preferences_set(user=request.user, frequencies=form.cleaned_data)
        messages.success(request, _("Your email preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # the signed token is the credential; mail clients post here without a session (RFC 8058)
@rate_limited("unsubscribe")
def unsubscribe(request, token):
    """Turn off one kind of email from a link in that email, without signing in.

    GET shows one button (link checkers that follow links change nothing); POST unsubscribes.
    """
    found = services.unsubscribe_token_read(token)
    if found is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    user_id, key = found
    user = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    done = False
    if request.method == "POST":
        services.email_preferences_set(user=user, frequencies={key: EmailPreference.Choice.NEVER})
        done = True
    return render(request, "notifications/unsubscribe.html", {"kind": kinds.get(key), "done": done})
