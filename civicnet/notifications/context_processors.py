from django.utils.functional import SimpleLazyObject

from .models import unread_count


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    # Lazy: only pages that show the count look it up (in the cache, else one query).
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
