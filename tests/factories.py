from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from civicnet.accounts.models import Membership, Organisation, User
from civicnet.accounts.services import organiser_grant

PASSWORD = "correct horse battery staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPTESTSECRET234567"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        """A verified primary address, as every signed-up user has; pass verified=False for one who has not."""
        user.save()
        if create:
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=extracted is not False)
            user.email_verified = extracted is not False  # as the address's signal wrote it (accounts/apps.py)


class OrganiserFactory(UserFactory):
    @factory.post_generation
    def organiser(user, create, extracted, **kwargs):
        if create:
            organiser_grant(user=user)
            if extracted is not False:
                TOTP.activate(user, TOTP_SECRET)
                assert Authenticator.objects.filter(user=user).exists()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Organisation.Kind.CIVIC_INNOVATOR
    description = "We build things with neighbours."
    verified = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "openwall.Issue"

    title = factory.Sequence(lambda n: f"Broken pavement on street number {n}")
    description = "The pavement has been broken for months; wheelchairs cannot pass."
    topic = factory.LazyFunction(lambda: _topic())
    author = factory.SubFactory(UserFactory)
    language = "en"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Raised through the service: the "raised" step and the author's follow exist, as on the site.
        Anything else a test sets (status, hidden, counts, dates) is written on the row afterwards."""
        from openwall import services

        if kwargs.get("author") is None:  # a former participant's issue: no one to follow it
            kwargs.setdefault("description_html", f"<p>{kwargs['description']}</p>")
            return super()._create(model_class, *args, **kwargs)
        created = {key: kwargs.pop(key) for key in ISSUE_SERVICE_FIELDS if key in kwargs}
        issue = services.issue_create(**created)
        if kwargs:
            model_class.objects.filter(pk=issue.pk).update(**kwargs)
            issue.refresh_from_db()
        return issue


ISSUE_SERVICE_FIELDS = ("author", "title", "description", "topic", "district", "language", "photo", "address")


def _topic():
    from civicnet.city.models import Topic

    topic, _created = Topic.objects.get_or_create(
        slug="urbanism", defaults={"name_i18n": {"fr": "Urbanisme", "nl": "Stedenbouw", "en": "Urbanism"}}
    )
    return topic


class CallFactory(factory.django.DjangoModelFactory):
    """A draft call with one criterion, open from yesterday for a month once opened
    (calls.services.call_open); `issues=[...]` links the issues it answers."""

    class Meta:
        model = "calls.Call"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Call for projects {n}")
    description = "Projects for the issues citizens voted to the top."
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))

    @factory.post_generation
    def issues(call, create, extracted, **kwargs):
        if create and extracted:
            call.issues.set(extracted)

    @factory.post_generation
    def criteria(call, create, extracted, **kwargs):
        if create:
            from calls.models import ReviewCriterion

            for name in extracted or ["Answers the issue"]:
                ReviewCriterion.objects.create(call=call, name=name)


def pdf_bytes(pages: int = 1) -> bytes:
    """A real PDF (blank A4 pages), as pypdf writes it."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name: str = "plan.pdf", pages: int = 1):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, pdf_bytes(pages), "application/pdf")


# What a submission needs, for proposal_submit(data=...) and the proposal form.
PROPOSAL_TEXT = {
    "title": "Lamps that neighbours repair",
    "summary": "Neighbours learn to repair the canal's lamps with the city's technicians.",
    "description": "Six workshops, spare parts from the city, a map of the lamps that are out.",
    "team": "Amina, electrician\nBram, coordinator",
    "budget": "12000.00",
}


def proposal_make(*, call, organisation, by, submit=False, **fields):
    """A proposal through the services (as a team writes it): a draft, or submitted once."""
    from decimal import Decimal

    from calls import services

    proposal = services.proposal_create(
        call=call, organisation=organisation, by=by, title=fields.pop("title", "A project")
    )
    data = {**{k: v for k, v in PROPOSAL_TEXT.items() if k != "title"}, "issues": list(call.issues.all()), **fields}
    data["budget"] = Decimal(data["budget"]) if data.get("budget") not in (None, "") else None
    if submit:
        services.proposal_submit(proposal=proposal, by=by, data=data)
    else:
        services.proposal_save(proposal=proposal, by=by, data=data)
    proposal.refresh_from_db()
    return proposal
