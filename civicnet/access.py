"""How views ask for access, one way everywhere: a view declares the permission it needs (a named
django-rules predicate), and every object is loaded through a user-scoped queryset, so that an
outsider gets a 404 and someone who may see but not act gets a 403."""

import functools

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme


def local_url(request, url: str, fallback: str = "") -> str:
    """`url` if it is a page of this site (same host, and https when the request is), else
    `fallback`: for every `next` a person can put in an address."""
    ours = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return url if url and ours else fallback


def permission_required(permission: str):
    """View decorator for a permission on no object (raise an issue, moderate). Goes under
    @login_required, which sends a visitor who is not signed in to sign in first."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def object_or_404(queryset, *, user, permission: str | None = None, **lookup):
    """The object of `queryset` (already scoped to what `user` may see) matching `lookup`, or a
    404; with `permission`, a 403 unless `user` has it on that object."""
    obj = get_object_or_404(queryset, **lookup)
    if permission and not user.has_perm(permission, obj):
        raise PermissionDenied
    return obj
