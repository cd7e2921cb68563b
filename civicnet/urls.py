from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("terms/", views.terms, name="terms"),
    path("city.css", views.city_css, name="city_css"),
    path("language/", views.language_switch, name="language_switch"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("accounts/", include("allauth.urls")),
    path("notifications/", include("civicnet.notifications.urls")),
    path("wall/", include("openwall.urls")),
    path("calls/", include("calls.urls")),
    path("", include("civicnet.accounts.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
