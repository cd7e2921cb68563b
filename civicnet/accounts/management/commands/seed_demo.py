"""Demo data: the Brussels pack, one account per role, a few organisations. Safe to run again."""

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
from civicnet.city.models import Circle, District

DEMO_PASSWORD = "civicnet-demo"
# A fixed, public secret so a demo organiser can add it to an authenticator app.
# Demo only: `seed_demo` refuses nothing, so never run it on a real instance.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPCIVICNETDEMO2345"

ACCOUNTS = [
    # email, display name, language, district slug
    ("citizen@demo.civicnet.test", "Amina El Idrissi", "fr", "molenbeek-saint-jean"),
    ("innovator@demo.civicnet.test", "Pieter Janssens", "nl", "schaerbeek"),
    ("partner@demo.civicnet.test", "Claire Dubois", "fr", "ixelles"),
    ("reviewer@demo.civicnet.test", "Tom Verhaegen", "nl", "jette"),
    ("organiser@demo.civicnet.test", "Sofia Martins", "en", "bruxelles"),
]

ORGANISATIONS = [
    # name, kind, administrator's email (None: nobody in the demo), verified, description, website,
    # circle of the network (a slug of the pack's circles)
    (
        "Buurtlab Schaerbeek",
        Organisation.Kind.CIVIC_INNOVATOR,
        "innovator@demo.civicnet.test",
        True,
        "A neighbourhood lab building open-source tools with residents: repair maps, shared tool libraries, "
        "street-level air sensors.",
        "https://example.org/buurtlab",
        "core-members",
    ),
    (
        "Zinneke Logistics",
        Organisation.Kind.COMPANY,
        "partner@demo.civicnet.test",
        True,
        "A Brussels cargo-bike delivery company that lends riders, bikes and route data to civic projects.",
        "https://example.org/zinneke",
        "stakeholders",
    ),
    (
        "Regional Mobility Office",
        Organisation.Kind.PUBLIC_INSTITUTION,
        "partner@demo.civicnet.test",
        True,
        "The public body that plans streets, cycle lanes and public transport stops across the region.",
        "",
        "stakeholders",
    ),
    (
        "Maison de quartier des Marolles",
        Organisation.Kind.COMMUNITY,
        "citizen@demo.civicnet.test",
        True,
        "A neighbourhood house hosting the weekly Open Wall meetups in the Marolles.",
        "",
        "supporting-communities",
    ),
    (
        "Fablab Anderlecht",
        Organisation.Kind.CIVIC_INNOVATOR,
        "innovator@demo.civicnet.test",
        False,
        "A young maker space; waiting for the organisers to verify it.",
        "",
        "",
    ),
    # The network's contributing networks in Brussels.
    (
        "Hackistan",
        Organisation.Kind.COMMUNITY,
        None,
        True,
        "A community of makers and civic hackers that runs hack nights on the city's open data.",
        "",
        "contributing-networks",
    ),
    (
        "OuiShare",
        Organisation.Kind.COMMUNITY,
        None,
        True,
        "A network for a fairer collaborative economy that brings its Brussels community to the meetups.",
        "",
        "contributing-networks",
    ),
    (
        "MakeSense",
        Organisation.Kind.COMMUNITY,
        None,
        True,
        "A community that helps citizens and entrepreneurs start projects with a social and environmental impact.",
        "",
        "contributing-networks",
    ),
    (
        "BIDs Belgium",
        Organisation.Kind.COMMUNITY,
        None,
        True,
        "The association of Belgian business improvement districts, linking local traders to neighbourhood projects.",
        "",
        "contributing-networks",
    ),
]


class Command(BaseCommand):
    help = "Load demo data (Brussels pack, one account per role, organisations). Idempotent; demo only."

    def handle(self, *args, **options):
        with transaction.atomic():
            self._seed()
        # Last, after the commit has sent (printed) the demo's emails: what a newcomer needs to read.
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at /accounts/login/ with:"))
        for email, _name, _language, _district in ACCOUNTS:
            self.stdout.write(f"  {email:<32} password: {DEMO_PASSWORD}")
        self.stdout.write(
            f"  The organiser's back office (/admin/) asks for an authenticator code: add the secret "
            f"{DEMO_TOTP_SECRET} to an authenticator app, or run `make totp` for the current code."
        )

    def _seed(self):
        call_command("load_city_pack", "brussels", stdout=self.stdout)
        users = {}
        for email, name, language, district in ACCOUNTS:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={
                    "display_name": name,
                    "preferred_language": language,
                    "district": District.objects.filter(slug=district).first(),
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
        for name, kind, email, verified, description, website, circle in ORGANISATIONS:
            organisation, _created = Organisation.objects.get_or_create(
                name=name,
                defaults={
                    "slug": slugify(name),
                    "kind": kind,
                    "description": description,
                    "website": website,
                    "verified": verified,
                    "verified_at": timezone.now() if verified else None,
                    "created_by": users.get(email),
                    "circle": circles.get(circle),
                },
            )
            if email:
                Membership.objects.get_or_create(
                    user=users[email], organisation=organisation, defaults={"role": Membership.Role.ADMIN}
                )

        roles = {email.split("@")[0]: user for email, user in users.items()}
        phases.demo_seed(users=roles, stdout=self.stdout)
