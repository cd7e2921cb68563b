import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from civicnet.city.models import Topic
from openwall import services
from openwall.models import Follow, Issue, StoryStep
from tests.factories import IssueFactory, UserFactory

pytestmark = pytest.mark.django_db


def _jpeg_with_gps(size=(800, 600)) -> bytes:
    image = Image.new("RGB", size, "#336699")
    exif = Image.Exif()
    exif[0x8825] = {2: (50.0, 51.0, 0.0), 4: (4.0, 21.0, 0.0)}  # GPSInfo: latitude, longitude
    exif[0x010F] = "CameraMaker"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _post(client, city, **overrides):
    data = {
        "title": "No bike parking near Gare du Midi",
        "description": "Bikes are locked to every railing because there is no parking at all.",
        "topic": Topic.objects.get(slug="urbanism").pk,
        "district": "",
        "language": "en",
        "website_url": "",
        **overrides,
    }
    return client.post(reverse("openwall:issue_create"), data)


def test_citizen_raises_an_issue_and_follows_it(client, city, citizen):
    client.force_login(citizen)
    response = _post(client, city, description="Bikes are locked **everywhere**, even <b>on</b> the trees.")
    issue = Issue.objects.get()
    assert response["Location"] == issue.get_absolute_url()
    assert issue.author == citizen
    assert issue.language == "en"
    assert issue.status == "open"
    assert "<strong>everywhere</strong>" in issue.description_html
    assert "&lt;b&gt;on&lt;/b&gt;" in issue.description_html  # harmless HTML is shown as typed, not run
    assert Follow.objects.filter(user=citizen, issue=issue).exists()
    assert list(issue.story_steps.values_list("kind", flat=True)) == ["raised"]


def test_markup_that_would_run_is_escaped_even_past_the_form(city, citizen):
    issue = services.issue_create(
        author=citizen,
        title="Anything",
        description="x <img src=x onerror=alert(1)>",
        topic=Topic.objects.first(),
        language="en",
    )
    assert "<img" not in issue.description_html
    assert "&lt;img" in issue.description_html


def test_the_form_asks_the_language_of_the_text(client, city, citizen):
    client.force_login(citizen)
    page = client.get(reverse("openwall:issue_create"), headers={"accept-language": "nl"}).content.decode()
    assert '<option value="nl" selected>' in page  # proposed from the interface language
    _post(client, city, language="fr", title="Trottoir cassé rue Haute")
    assert Issue.objects.get().language == "fr"


def test_links_in_descriptions_are_nofollow(client, city, citizen):
    client.force_login(citizen)
    _post(client, city, description="See [the map](https://example.org/map) and [this](javascript:alert(1)) please.")
    html = Issue.objects.get().description_html
    assert '<a href="https://example.org/map" rel="nofollow ugc noopener">the map</a>' in html
    assert "javascript:" not in html


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"title": ""}, "This field is required."),
        ({"title": "x" * 141}, "Ensure this value has at most 140 characters"),
        ({"title": "short"}, "at least 8 characters"),
        ({"description": "   "}, "This field is required."),
        ({"description": "x" * 5001}, "Ensure this value has at most 5000 characters"),
        ({"description": "Look <script>alert(1)</script> here please"}, "HTML code is not allowed here."),
        ({"title": "Click <img src=x onerror=alert(1)>"}, "HTML code is not allowed here."),
        ({"topic": ""}, "This field is required."),
        ({"website_url": "http://spam.example"}, "looks automated"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client, city, citizen, overrides, error):
    client.force_login(citizen)
    response = _post(client, city, **overrides)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Issue.objects.exists()


def test_photo_is_reencoded_without_location(client, city, citizen):
    client.force_login(citizen)
    _post(client, city, photo=SimpleUploadedFile("street.jpg", _jpeg_with_gps(), "image/jpeg"))
    issue = Issue.objects.get()
    with Image.open(issue.photo.path) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (800, 600)
        exif = stored.getexif()
        assert 0x8825 not in exif
        assert 0x010F not in exif
    assert issue.photo.name.endswith(".jpg")
    assert "street" not in issue.photo.name


def test_a_photo_gets_webp_thumbnails_once_that_cards_and_pages_offer(client, city, citizen):
    client.force_login(citizen)
    _post(client, city, photo=SimpleUploadedFile("street.jpg", _jpeg_with_gps((1600, 1200)), "image/jpeg"))
    issue = Issue.objects.get()
    small, large, original = issue.photo_sizes
    assert (small[1:], large[1:], original[1:]) == ([320, 240], [800, 600], [1600, 1200])
    for name, width, height in (small, large):
        with Image.open(issue.photo.storage.path(name)) as thumbnail:
            assert (thumbnail.format, thumbnail.size) == ("WEBP", (width, height))
    client.logout()
    wall = client.get(reverse("openwall:list")).content.decode()
    card = re.search(r'<img class="issue-thumb"[^>]*>', wall).group(0)
    assert f'src="/media/{small[0]}"' in card
    assert f"/media/{small[0]} 320w, /media/{large[0]} 800w, /media/{original[0]} 1600w" in card
    assert 'width="320" height="240"' in card
    assert 'loading="lazy"' in card
    page = client.get(issue.get_absolute_url()).content.decode()
    photo = re.search(r'<img class="issue-photo"[^>]*>', page).group(0)
    assert f'src="/media/{large[0]}"' in photo
    assert 'width="800" height="600"' in photo


def test_a_small_photo_is_never_blown_up(city, citizen):
    upload = SimpleUploadedFile("tiny.png", _png((200, 100)), "image/png")
    issue = services.issue_create(
        author=citizen, title="Tiny", description="Small", topic=Topic.objects.first(), language="en", photo=upload
    )
    assert [size[1:] for size in issue.photo_sizes] == [[200, 100]]
    assert issue.picture.small == issue.picture.large == issue.picture.original


def test_photos_uploaded_before_thumbnails_get_them_in_the_migration(city, citizen):
    from importlib import import_module

    from django.apps import apps

    upload = SimpleUploadedFile("old.jpg", _jpeg_with_gps(), "image/jpeg")
    issue = services.issue_create(
        author=citizen, title="Old", description="From before", topic=Topic.objects.first(), language="en", photo=upload
    )
    missing = IssueFactory()
    Issue.objects.filter(pk=missing.pk).update(photo="issues/2020/01/gone.jpg")
    Issue.objects.update(photo_sizes=[])
    import_module("openwall.migrations.0015_fill_photo_sizes").fill_photo_sizes(apps, None)
    issue.refresh_from_db()
    missing.refresh_from_db()
    assert [size[1:] for size in issue.photo_sizes] == [[320, 240], [800, 600]]
    assert missing.photo_sizes == []
    wall_card = IssueFactory.build()  # an issue without a photo has no picture at all
    assert wall_card.picture is None


def _png(size) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", size, (10, 120, 90, 200)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "payload", "error"),
    [
        ("fake.jpg", b"<?php echo 1; ?>" * 10, "Upload a valid image"),
        ("big.jpg", _jpeg_with_gps() + b"\0" * (6 * 1024 * 1024), "the limit is 5.0"),
        ("truncated.jpg", _jpeg_with_gps()[:300], "Upload a valid image"),
    ],
)
def test_bad_photos_are_refused(client, city, citizen, name, payload, error):
    client.force_login(citizen)
    response = _post(client, city, photo=SimpleUploadedFile(name, payload, "image/jpeg"))
    assert error in response.content.decode()
    assert not Issue.objects.exists()


def test_posting_needs_a_verified_email(client, city):
    client.force_login(UserFactory(verified=False))
    response = _post(client, city)
    assert response.status_code == 403
    assert not Issue.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, city):
    response = client.get(reverse("openwall:issue_create"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_raising_is_rate_limited(client, city, citizen, settings):
    settings.CIVICNET_RATE_LIMITS = {**settings.CIVICNET_RATE_LIMITS, "issue_create": "2/h"}
    client.force_login(citizen)
    for n in range(2):
        assert _post(client, city, title=f"Problem number {n} here").status_code == 302
    response = _post(client, city, title="One problem too many")
    assert response.status_code == 429
    assert Issue.objects.count() == 2


def test_author_can_edit_until_the_first_vote(client, city, citizen, other_citizen):
    issue = IssueFactory(author=citizen, topic=Topic.objects.get(slug="urbanism"))
    client.force_login(citizen)
    edit = reverse("openwall:issue_edit", args=[issue.pk])
    data = {
        "title": "A clearer title for it",
        "description": "A clearer description of the problem.",
        "topic": issue.topic_id,
        "district": "",
        "website_url": "",
    }
    assert client.post(edit, data).status_code == 302
    issue.refresh_from_db()
    assert issue.title == "A clearer title for it"

    services.vote_toggle(user=other_citizen, issue=issue)
    assert client.get(edit).status_code == 403
    assert client.post(edit, {**data, "title": "Changed after a vote"}).status_code == 403
    issue.refresh_from_db()
    assert issue.title == "A clearer title for it"


def test_author_cannot_edit_after_thirty_minutes(client, city, citizen):
    issue = IssueFactory(author=citizen, created_at=timezone.now() - timezone.timedelta(minutes=31))
    client.force_login(citizen)
    assert client.get(reverse("openwall:issue_edit", args=[issue.pk])).status_code == 403


def test_someone_else_cannot_edit(client, city, citizen, outsider):
    issue = IssueFactory(author=citizen)
    client.force_login(outsider)
    assert client.get(reverse("openwall:issue_edit", args=[issue.pk])).status_code == 403


def test_hidden_issue_is_404_for_citizens_and_visible_to_organisers(client, city, citizen, organiser):
    issue = IssueFactory(hidden=True)
    client.force_login(citizen)
    assert client.get(issue.get_absolute_url()).status_code == 404
    assert issue.title not in client.get(reverse("openwall:list")).content.decode()
    client.force_login(organiser)
    assert "Hidden by moderation" in client.get(issue.get_absolute_url()).content.decode()


def test_status_change_goes_on_the_timeline_and_tells_followers(
    city, citizen, organiser, django_capture_on_commit_callbacks
):
    from django.core import mail

    from civicnet.notifications.models import Notification

    citizen.preferred_language = "fr"
    citizen.save()
    issue = services.issue_create(
        author=citizen,
        title="Dark street at night",
        topic=Topic.objects.first(),
        description="No light works on the whole street.",
        language="en",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.issue_status_set(issue=issue, by=organiser, status="prioritised", note="Top 10 this month")
    assert not services.issue_status_set(issue=issue, by=organiser, status="prioritised")
    step = issue.story_steps.get(kind=StoryStep.Kind.STATUS)
    assert (step.old_status, step.new_status, step.note) == ("open", "prioritised", "Top 10 this month")
    notification = Notification.objects.get(recipient=citizen)
    from django.utils import translation

    with translation.override("fr"):
        assert notification.text == "« Dark street at night » est maintenant : Priorisé."
    assert len(mail.outbox) == 1
    assert "Priorisé" in mail.outbox[0].body


def test_closing_needs_a_reason(city, organiser):
    from django.core.exceptions import ValidationError

    issue = IssueFactory()
    with pytest.raises(ValidationError):
        services.issue_status_set(issue=issue, by=organiser, status="closed")
    services.issue_status_set(issue=issue, by=organiser, status="closed", close_reason="duplicate")
    issue.refresh_from_db()
    assert (issue.status, issue.close_reason) == ("closed", "duplicate")
    from openwall.models import ModerationAction

    log = ModerationAction.objects.get()
    assert (log.action, log.moderator, log.reason) == ("close", organiser, "Duplicate of another issue")


def test_followers_hear_once_even_if_the_fan_out_runs_twice(
    city, citizen, organiser, django_capture_on_commit_callbacks
):
    from django.core import mail

    from civicnet.notifications.models import Notification
    from openwall.tasks import notify_followers

    issue = services.issue_create(
        author=citizen,
        title="Dark street at night",
        topic=Topic.objects.first(),
        description="No light works on the whole street.",
        language="en",
    )
    services.follow_ensure(user=organiser, issue=issue)  # the one who acts is not told about it
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.issue_status_set(issue=issue, by=organiser, status="prioritised")
    assert not Notification.objects.exists()  # nobody is told before the change commits
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert list(Notification.objects.values_list("recipient", flat=True)) == [citizen.pk]
    step = issue.story_steps.get(kind="status")
    with django_capture_on_commit_callbacks(execute=True):
        notify_followers.apply(
            kwargs={
                "issue_id": issue.pk,
                "kind": "openwall.status_changed",
                "actor_id": organiser.pk,
                "data": {"issue": issue.title, "status": "prioritised"},
                "key": f"story:{step.pk}",
            }
        )
    assert len([m for m in mail.outbox if m.to == [citizen.email]]) == 1


def test_the_message_after_raising_offers_to_share_the_issue(client, city, citizen):
    client.force_login(citizen)
    response = _post(client, city)
    html = client.get(response["Location"]).content.decode()
    message = re.search(r'<p class="message message-success">(.*?)</p>', html, re.S).group(1)
    assert "Share it so others can vote." in message
    assert f'data-share-url="{response["Location"]}"' in message
