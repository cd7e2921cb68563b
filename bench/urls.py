"""The URLconf `make bench` serves (ROOT_URLCONF when CIVICNET_BENCHMARK is on): the product's,
plus the benchmark's baseline page. The product's URLconf knows nothing of benchmarks."""

from django.shortcuts import render
from django.urls import include, path


def ceiling(request):
    """The benchmark's baseline: a trivial template through the same middleware."""
    return render(request, "bench/ceiling.html", {"now": "ok"})


urlpatterns = [
    path("bench/ceiling/", ceiling),
    path("", include("civicnet.urls")),
]
