from .models import CityProfile, site_language_codes


def city(request):
    return {"city": CityProfile.current(), "site_language_codes": site_language_codes()}
