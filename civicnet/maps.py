"""Maps, only where a tile server is configured (settings.CIVICNET_MAP_TILES).

Without one (the embedded default) no page shows a map, loads Leaflet or asks any other host for
anything: an issue's address and district say where it is. With one, the Content-Security-Policy
lets images come from that tile host alone (settings.py, tile_origin).
"""

from urllib.parse import urlsplit


def tile_origin(url: str) -> str:
    """The origin a tile URL template loads from, for the CSP: 'https://tile.example.org'.
    A "{s}" subdomain placeholder becomes a wildcard ('https://*.tile.example.org')."""
    parts = urlsplit(url.replace("{s}", "*"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"MAP_TILES must be an http(s) URL template with {{z}}/{{x}}/{{y}}, not {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def map_config() -> dict | None:
    """What a page's map needs (tiles, attribution, the city's centre and zoom), or None: no map."""
    from django.conf import settings

    from civicnet.city.models import CityProfile

    if not settings.CIVICNET_MAP_TILES:
        return None
    city = CityProfile.current()
    return {
        "tiles": settings.CIVICNET_MAP_TILES,
        "attribution": settings.CIVICNET_MAP_ATTRIBUTION,
        "latitude": city.map_latitude if city and city.map_latitude is not None else 0,
        "longitude": city.map_longitude if city and city.map_longitude is not None else 0,
        "zoom": city.map_zoom if city and city.map_zoom else 2,
    }
