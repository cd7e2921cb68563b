from django.core.management.base import BaseCommand, CommandError

from civicnet.city.services import CityPackError, city_pack_load


class Command(BaseCommand):
    help = "Load a city pack (a name such as 'brussels', or a path to a .json file). All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("pack")

    def handle(self, *args, pack, **options):
        try:
            report = city_pack_load(name=pack)
        except CityPackError as exc:
            lines = "\n".join(f"  - {error}" for error in exc.errors)
            raise CommandError(f"City pack '{pack}' rejected, nothing was loaded:\n{lines}") from exc
        for line in report.created:
            self.stdout.write(f"created {line}")
        for line in report.updated:
            self.stdout.write(f"updated {line}")
        summary = f"{len(report.created)} created, {len(report.updated)} updated, {report.unchanged} unchanged"
        self.stdout.write(self.style.SUCCESS(f"City pack '{pack}' loaded: {summary}."))
