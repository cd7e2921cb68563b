import pytest

from openwall.models import Issue
from tests.factories import PASSWORD, IssueFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.locator(".account-menu summary").wait_for()


def test_raise_vote_comment_and_hear_about_it(browser, page, live_server, city, screenshot):
    from civicnet.city.models import Topic

    UserFactory(email="amina@example.org", display_name="Amina")
    UserFactory(email="bram@example.org", display_name="Bram")
    IssueFactory(title="Dangerous crossing near the school in Jette", topic=Topic.objects.get(slug="urbanism"))

    # Amina raises an issue and is shown a similar one while she types.
    _sign_in(page, live_server, "amina@example.org")
    page.goto(f"{live_server.url}/wall/new/")
    page.get_by_label("Title").press_sequentially("Dangerous crossing at school", delay=20)
    page.get_by_text("Dangerous crossing near the school in Jette").wait_for()
    assert page.get_by_role("button", name="Vote for this one instead").is_visible()
    screenshot(page, "wall-raise-similar")
    page.get_by_label("Title").fill("No light on the footpath along the canal")
    page.get_by_label("Description").fill("Since October the lamps along the canal path are off; people avoid it.")
    page.get_by_label("Theme").select_option(label="Urbanism")
    page.get_by_role("button", name="Post the issue").click()
    page.get_by_role("heading", level=1, name="No light on the footpath along the canal").wait_for()
    issue_url = page.url
    screenshot(page, "wall-issue")

    # Bram votes without a reload, then comments.
    other = browser.new_context(viewport={"width": 360, "height": 780}, locale="en-GB")
    bram = other.new_page()
    _sign_in(bram, live_server, "bram@example.org")
    bram.goto(issue_url)
    bram.evaluate("window.notReloaded = true")
    vote = bram.locator(".vote-button").first
    assert vote.locator(".vote-count").inner_text() == "0"
    vote.click()
    bram.locator(".vote-button.is-voted .vote-count", has_text="1").wait_for()
    assert bram.evaluate("window.notReloaded") is True
    assert Issue.objects.get(title__startswith="No light").vote_count == 1
    bram.get_by_label("Your comment").fill("Same in the evening near Porte de Ninove.")
    bram.get_by_role("button", name="Comment", exact=True).click()
    bram.get_by_text("Same in the evening near Porte de Ninove.").wait_for()
    other.close()

    # Amina replies to Bram, and Bram gets a notification; Amina sees the vote.
    page.reload()
    assert page.locator(".vote-count").first.inner_text() == "1"
    page.locator("details.reply summary").first.click()
    page.get_by_label("Your reply").fill("Thanks, I will add it to the description.")
    page.get_by_role("button", name="Reply", exact=True).last.click()
    page.get_by_text("Thanks, I will add it to the description.").wait_for()
    screenshot(page, "wall-discussion")

    bram_again = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB").new_page()
    _sign_in(bram_again, live_server, "bram@example.org")
    assert bram_again.locator(".notif-link .badge").inner_text().startswith("1")
    bram_again.locator(".notif-link").click()
    bram_again.get_by_role("link", name="Amina replied to your comment").click()
    bram_again.get_by_role("heading", level=1, name="No light on the footpath along the canal").wait_for()


def test_wall_filters_without_reload(page, live_server, city, screenshot):
    from civicnet.city.models import Topic

    IssueFactory(title="Heat in the schoolyard", topic=Topic.objects.get(slug="education"))
    IssueFactory(title="Potholes on the avenue", topic=Topic.objects.get(slug="urbanism"))
    page.goto(f"{live_server.url}/wall/")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Theme").select_option(label="Education")
    page.locator(".result-count", has_text="1 issue").wait_for()
    assert page.locator(".issue-title").all_inner_texts() == ["Heat in the schoolyard"]
    assert page.evaluate("window.notReloaded") is True
    assert "topic=education" in page.url
    screenshot(page, "wall-list")


def test_on_a_phone_the_filters_fold_and_issues_show_first(page, live_server, city, screenshot):
    from civicnet.city.models import Topic

    IssueFactory(title="Heat in the schoolyard", topic=Topic.objects.get(slug="education"))
    IssueFactory(title="Potholes on the avenue", topic=Topic.objects.get(slug="urbanism"))
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/wall/")
    assert page.get_by_label("Search").is_visible()
    assert not page.get_by_label("Theme").is_visible()
    first_issue = page.locator(".issue-card").first.bounding_box()
    assert first_issue["y"] < 740  # on the first screen
    screenshot(page, "wall-phone")  # (leaves the page at laptop size)

    page.set_viewport_size({"width": 360, "height": 740})
    page.get_by_text("Filter and sort").click()
    page.get_by_label("Theme").select_option(label="Education")
    page.locator(".result-count", has_text="1 issue").wait_for()
    page.reload()  # the address keeps the filter, and the fold opens to show it
    assert page.get_by_label("Theme").is_visible()
    assert page.get_by_text("Filter and sort (1)").is_visible()

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/wall/")
    assert page.get_by_label("Sort by").is_visible()  # wider screens: never folded
    assert not page.get_by_text("Filter and sort").is_visible()


def test_organiser_signs_in_with_a_code_and_hides_a_flagged_comment(page, live_server, city, screenshot):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    from openwall import services
    from openwall.models import Comment
    from tests.factories import TOTP_SECRET, OrganiserFactory

    OrganiserFactory(email="olivia@example.org", display_name="Olivia")
    issue = IssueFactory(title="Noise at night")
    comment = services.comment_create(author=UserFactory(), issue=issue, body="You are all idiots")
    services.flag_create(user=UserFactory(), comment=comment, reason="abusive")

    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Email").fill("olivia@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    counters = list(yield_hotp_counters_from_time())
    page.get_by_label("Code").fill(format_hotp_value(hotp_value(TOTP_SECRET, counters[len(counters) // 2])))
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="Reports").first.click()
    page.get_by_role("checkbox").nth(1).check()
    page.locator("select[name=action]").select_option("hide_targets")
    page.get_by_role("button", name="Go").click()
    page.get_by_label("Why? (kept in the moderation log)").fill("Insults other participants")
    screenshot(page, "admin-hide-reason")
    page.get_by_role("button", name="Apply").click()
    page.get_by_text("Hidden, and the reports resolved.").wait_for()
    assert Comment.objects.get(pk=comment.pk).hidden
    page.goto(f"{live_server.url}{issue.get_absolute_url()}")
    assert page.get_by_text("You are all idiots").count() == 1  # organisers still see it, marked
    assert page.get_by_text("Hidden by moderation").count() >= 1


def test_a_visitor_shares_an_issue_by_copying_its_link(page, live_server, city):
    """Where the browser has no share sheet (desktop Chromium on Linux), the button copies the link."""
    issue = IssueFactory(title="Broken bench on Place Flagey")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.add_init_script("delete Navigator.prototype.share")
    page.goto(f"{live_server.url}{issue.get_absolute_url()}")
    page.get_by_role("button", name="Share").click()
    page.get_by_role("status").filter(has_text="Link copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}{issue.get_absolute_url()}"


def test_without_a_way_to_share_no_share_button_is_shown(page, live_server, city):
    issue = IssueFactory(title="Broken bench on Place Flagey")
    page.add_init_script("delete Navigator.prototype.share; delete Navigator.prototype.clipboard")
    page.goto(f"{live_server.url}{issue.get_absolute_url()}")
    page.get_by_role("link", name="Poster for a meetup").wait_for()
    assert not page.get_by_role("button", name="Share").is_visible()
