from django.core.management.base import BaseCommand, CommandError

from civicnet.city.services import CityPackError, city_pack_load, city_pack_read, city_pack_validate, pack_path


class Command(BaseCommand):
    help = (
        "Load a city pack (a name such as 'brussels', or a path to a .json file). All or nothing. "
        "With --check, only check it: nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("pack")
        parser.add_argument("--check", action="store_true", help="check the pack without loading it")

    def handle(self, *args, pack, check, **options):
        try:
            if check:
                validated = city_pack_validate(pack=city_pack_read(name=pack), base=pack_path(pack).resolve().parent)
                counts = f"{len(validated['topics'])} themes, {len(validated['districts'])} districts"
                self.stdout.write(self.style.SUCCESS(f"City pack '{pack}' is valid: {counts}."))
                return
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
