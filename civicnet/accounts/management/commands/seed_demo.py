"""Demo data for the city that is loaded: one account per role, the pack's demo organisations,
then each phase's demo. Safe to run again."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from civicnet import phases
from civicnet.accounts.models import Membership, Organisation, User
from civicnet.accounts.services import organiser_grant
from civicnet.city.demo import demo_content
from civicnet.city.models import Circle, CityProfile, District, default_language, site_language_codes

DEMO_PASSWORD = "civicnet-demo"
# A fixed, public secret so a demo organiser can add it to an authenticator app.
# Demo only: `seed_demo` refuses nothing, so never run it on a real instance.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPCIVICNETDEMO2345"

ACCOUNTS = [
    # email, display name, language (if the city speaks it; else its default). Their districts
    # and the organisations are the pack's demo content (civicnet/city/demo.py).
    ("citizen@demo.civicnet.test", "Amina El Idrissi", "fr"),
    ("innovator@demo.civicnet.test", "Pieter Janssens", "nl"),
    ("partner@demo.civicnet.test", "Claire Dubois", "fr"),
    ("reviewer@demo.civicnet.test", "Tom Verhaegen", "nl"),
    ("organiser@demo.civicnet.test", "Sofia Martins", "en"),
]


class Command(BaseCommand):
    help = (
        "Load demo data for the loaded city (loading --city first, or the brussels pack on an empty "
        "database): one account per role, organisations, each phase's demo. Idempotent; demo only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--city", default="", help="a city pack to load first: a name or a path to a .json file")

    def handle(self, *args, city, **options):
        with transaction.atomic():
            # The loaded city is the one seeded; another pack is never loaded over it.
            if city or not CityProfile.objects.exists():
                call_command("load_city_pack", city or "brussels", stdout=self.stdout)
            timezone.activate(CityProfile.current().time_zone)
            self._seed()
        # Last, after the commit has sent (printed) the demo's emails: what a newcomer needs to read.
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at /accounts/login/ with:"))
        for email, _name, _language in ACCOUNTS:
            self.stdout.write(f"  {email:<32} password: {DEMO_PASSWORD}")
        self.stdout.write(
            f"  The organiser's back office (/admin/) asks for an authenticator code: add the secret "
            f"{DEMO_TOTP_SECRET} to an authenticator app, or run `make totp` for the current code."
        )

    def _seed(self):
        content = demo_content("core")
        districts = content.get("accounts", {})
        languages = site_language_codes()
        users = {}
        for email, name, language in ACCOUNTS:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={
                    "display_name": name,
                    "preferred_language": language if language in languages else default_language(),
                    "district": District.objects.filter(slug=districts.get(email.split("@")[0])).first(),
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
            users[email] = user

        organiser = users["organiser@demo.civicnet.test"]
        organiser_grant(user=organiser)
        if not Authenticator.objects.filter(user=organiser, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(organiser, DEMO_TOTP_SECRET)

        circles = {circle.slug: circle for circle in Circle.objects.all()}
        roles = {email.split("@")[0]: user for email, user in users.items()}
        for data in content.get("organisations", []):
            admin = roles.get(data.get("admin", ""))
            organisation, _created = Organisation.objects.get_or_create(
                name=data["name"],
                defaults={
                    "slug": slugify(data["name"]),
                    "kind": data["kind"],
                    "description": data.get("description", ""),
                    "website": data.get("website", ""),
                    "verified": data.get("verified", False),
                    "verified_at": timezone.now() if data.get("verified") else None,
                    "created_by": admin,
                    "circle": circles.get(data.get("circle", "")),
                },
            )
            if admin:
                Membership.objects.get_or_create(
                    user=admin, organisation=organisation, defaults={"role": Membership.Role.ADMIN}
                )

        phases.demo_seed(users=roles, stdout=self.stdout)
