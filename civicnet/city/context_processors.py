from .models import CityProfile


def city(request):
    return {"city": CityProfile.current()}
