"""The organisers' and facilitators' tools in Chromium: the board's confirmation and undo, the
paper-vote picker at a meetup, a past meetup's page."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from civicnet.city.models import Topic
from openwall import services
from openwall.models import Issue, Meetup
from tests.e2e.test_openwall import _sign_in
from tests.factories import IssueFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in_with_a_code(page, live_server, email):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    from tests.factories import PASSWORD, TOTP_SECRET

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    counters = list(yield_hotp_counters_from_time())
    page.get_by_label("Code").fill(format_hotp_value(hotp_value(TOTP_SECRET, counters[len(counters) // 2])))
    page.get_by_role("button", name="Sign In").click()
    page.locator(".account-menu summary").wait_for()


def test_prioritising_on_the_board_is_confirmed_then_undone(
    page, live_server, city, organiser, screenshot, monkeypatch
):
    from openwall.tasks import notify_followers

    # A broker holds the followers' task for its minute; tests run tasks at once, so hold it here
    # (what happens once it has run is tests/openwall/test_open_data.py's).
    held = []
    monkeypatch.setattr(notify_followers, "apply_async", lambda **options: held.append(options))
    top = IssueFactory(title="Safer crossings near schools", vote_count=40)
    IssueFactory(title="More benches on Place Flagey", vote_count=12)
    _sign_in_with_a_code(page, live_server, organiser.email)
    page.goto(f"{live_server.url}/wall/board/")
    row = page.locator(".board-table tr", has_text="Safer crossings near schools")
    row.get_by_text("Prioritise…").click()
    row.get_by_text("You can undo this for a minute.").wait_for()
    screenshot(page, "board-confirm")
    row.get_by_role("button", name="Yes, prioritise it").click()
    row.get_by_role("button", name="Undo").wait_for()
    assert " ".join(row.locator(".status-done").inner_text().split()) == "✓ Prioritised"
    assert Issue.objects.get(pk=top.pk).status == "prioritised"
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # a list, not a table to scroll
    screenshot(page, "board-prioritised")
    row.get_by_role("button", name="Undo").click()
    row.get_by_text("Prioritise…").wait_for()
    assert Issue.objects.get(pk=top.pk).status == "open"
    assert [options["countdown"] for options in held] == [60]


def test_a_facilitator_finds_the_issue_by_typing_its_title(page, live_server, city, screenshot):
    host = OrganisationFactory(name="Maison de quartier")
    facilitator = UserFactory(email="fatima@example.org", display_name="Fatima")
    MembershipFactory(organisation=host, user=facilitator)
    now = timezone.now()
    meetup = Meetup.objects.create(
        title="Open Wall, Marolles",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
        address="Rue Haute 1",
        host=host,
        capacity=40,
    )
    bins = IssueFactory(title="Overflowing bins on Place du Jeu de Balle")
    IssueFactory(title="Dark streets in Marolles")
    _sign_in(page, live_server, facilitator.email)
    page.goto(f"{live_server.url}{meetup.get_absolute_url()}")
    page.get_by_label("Find the issue by its title").press_sequentially("bins", delay=30)
    choice = page.get_by_label("Overflowing bins on Place du Jeu de Balle", exact=False)
    choice.wait_for()
    assert page.locator("#tally-choices").get_by_text("Dark streets").count() == 0
    choice.check()
    page.locator("#id_tally-votes").fill("9")
    screenshot(page, "meetup-tally-picker")
    page.get_by_role("button", name="Save the count").click()
    page.get_by_text("Paper votes saved.").wait_for()
    assert Issue.objects.get(pk=bins.pk).offline_vote_count == 9


def test_cards_show_the_photo_thumbnail_and_a_past_meetup_says_it_took_place(page, live_server, city, screenshot):
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), "#2f855a").save(buffer, "JPEG")
    author = UserFactory(display_name="Amina")
    issue = services.issue_create(
        author=author,
        title="A tree fell on the Rue Blaes cycle lane",
        description="It blocks the lane.",
        topic=Topic.objects.first(),
        language="en",
        photo=SimpleUploadedFile("tree.jpg", buffer.getvalue(), "image/jpeg"),
    )
    IssueFactory(title="No photo on this one")
    page.goto(f"{live_server.url}/wall/")
    thumb = page.locator(".issue-card", has_text="A tree fell").locator("img.issue-thumb")
    thumb.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
    assert page.locator(".issue-card", has_text="No photo on this one").locator("img").count() == 0
    screenshot(page, "wall-thumbnails")
    page.goto(f"{live_server.url}{issue.get_absolute_url()}")
    screenshot(page, "issue-photo")

    host = OrganisationFactory(name="Maison de quartier")
    ended = timezone.now() - timedelta(days=3)
    meetup = Meetup.objects.create(
        title="Open Wall, Marolles",
        starts_at=ended - timedelta(hours=2),
        ends_at=ended,
        address="Rue Haute 1",
        host=host,
        attendance=23,
    )
    Issue.objects.filter(pk=issue.pk).update(meetup=meetup)
    page.goto(f"{live_server.url}{meetup.get_absolute_url()}")
    page.get_by_text("23 people came.").wait_for()
    assert page.get_by_text("Add to my calendar").count() == 0
    screenshot(page, "meetup-past")


def test_the_admin_uses_the_sites_words_and_its_issue_list_fits_a_laptop(page, live_server, city, organiser):
    for n in range(3):
        issue = IssueFactory(title=f"A rather long title for an issue about the canal path, number {n}, at night")
    Issue.objects.filter(pk=issue.pk).update(offline_vote_count=7, vote_count=5)
    _sign_in_with_a_code(page, live_server, organiser.email)
    page.goto(f"{live_server.url}/admin/")
    for words in ("Themes", "Meetups", "Reports"):
        assert page.get_by_role("link", name=words, exact=True).count() == 1
    assert page.get_by_role("link", name="Flags").count() == 0
    page.goto(f"{live_server.url}/admin/openwall/issue/")
    page.get_by_text("5 + 7 at meetups").wait_for()
    results = page.locator("#changelist .results")
    assert results.evaluate("element => element.scrollWidth <= element.clientWidth")  # nothing cut off at 1280 px
