"""What people write, in the other site languages: proposed by anyone signed in, accepted by the
author or an organiser, shown to readers of that language, found by search in each language."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicnet.city.models import Topic
from civicnet.notifications.models import Notification
from openwall import services
from openwall.models import IssueTranslation
from tests.factories import IssueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_issue(city, citizen):
    return services.issue_create(
        author=citizen,
        title="Trottoirs encombrés rue Haute",
        description="Les terrasses prennent tout le trottoir ; les poussettes passent sur la route.",
        topic=Topic.objects.get(slug="urbanism"),
        language="fr",
    )


def _propose(client, issue, language="nl", **text):
    data = {"title": "Volle stoepen in de Hoogstraat", "description": "De terrassen nemen het hele voetpad in.", **text}
    return client.post(reverse("openwall:issue_translate", args=[issue.pk, language]), data)


def _page(client, issue, language, **params):
    return client.get(issue.get_absolute_url(), params, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_a_proposal_waits_for_the_author_then_dutch_readers_see_it(client, french_issue, citizen, other_citizen):
    client.force_login(other_citizen)
    response = _propose(client, french_issue)
    assert response.status_code == 302
    translation = IssueTranslation.objects.get()
    assert (translation.status, translation.proposed_by) == ("proposed", other_citizen)
    client.logout()
    assert "Volle stoepen" not in _page(client, french_issue, "nl")  # not accepted yet
    client.force_login(other_citizen)
    accept = reverse("openwall:translation_accept", args=[french_issue.pk, "nl"])
    assert client.post(accept).status_code == 403  # only the author or an organiser accepts
    client.force_login(citizen)
    form = client.get(reverse("openwall:issue_translate", args=[french_issue.pk, "nl"])).content.decode()
    assert "is waiting to be accepted" in form and "Accept this translation" in form
    read = translation.version
    client.force_login(other_citizen)
    _propose(client, french_issue, title="Iets heel anders", description="Niet wat de auteur las.")
    client.force_login(citizen)
    changed = client.post(accept, {"version": read}, follow=True).content.decode()
    assert "This translation changed while you read it" in changed  # never accepted unseen
    assert IssueTranslation.objects.get().status == "proposed"
    client.force_login(other_citizen)
    _propose(client, french_issue)
    client.force_login(citizen)
    client.post(accept, {"version": IssueTranslation.objects.get().version})
    client.logout()
    dutch = _page(client, french_issue, "nl")
    assert '<h1 id="issue-title" lang="nl">Volle stoepen in de Hoogstraat</h1>' in dutch
    assert "Vertaald uit het Frans." in dutch
    original = _page(client, french_issue, "nl", original="1")
    assert "Trottoirs encombrés rue Haute</h1>" in original
    assert "Trottoirs encombrés rue Haute</h1>" in _page(client, french_issue, "fr")


def test_the_authors_own_translation_is_shown_at_once_and_cannot_be_replaced_by_others(
    client, french_issue, citizen, other_citizen
):
    client.force_login(citizen)
    _propose(client, french_issue, language="en", title="Crowded pavements on Rue Haute", description="Terraces.")
    assert IssueTranslation.objects.get().status == "accepted"
    client.force_login(other_citizen)
    response = _propose(client, french_issue, language="en", title="Something else entirely", description="No.")
    assert response.status_code == 400
    assert "This translation is accepted already" in response.content.decode()
    assert IssueTranslation.objects.get().title == "Crowded pavements on Rue Haute"


def test_no_translation_into_the_issues_own_language_or_an_unknown_one(client, french_issue, other_citizen):
    client.force_login(other_citizen)
    assert client.get(reverse("openwall:issue_translate", args=[french_issue.pk, "fr"])).status_code == 404
    assert client.get(reverse("openwall:issue_translate", args=[french_issue.pk, "de"])).status_code == 404
    assert not IssueTranslation.objects.exists()


def test_search_and_the_language_filter_know_every_language_an_issue_has(client, french_issue, citizen):
    services.translation_propose(
        issue=french_issue, by=citizen, language="nl", title="Volle stoepen in de Hoogstraat", description="Terrassen."
    )
    dutch_only = IssueFactory(title="Fietsenstalling aan het station", language="nl")
    french_only = IssueFactory(title="Éclairage en panne place Flagey", language="fr")
    wall = reverse("openwall:list")
    found = client.get(wall, {"q": "stoepen"}).content.decode()
    assert "Trottoirs encombrés" in found  # found by its Dutch words, shown in the original to an English reader
    assert "Trottoirs encombrés" in client.get(wall, {"q": "trottoirs"}).content.decode()
    in_dutch = client.get(wall, {"language": "nl"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Volle stoepen" not in in_dutch  # an English reader sees the original title...
    assert "Trottoirs encombrés" in in_dutch and dutch_only.title in in_dutch  # ...of issues readable in Dutch
    assert french_only.title not in in_dutch


@pytest.mark.parametrize("count", [1, 3])
def test_dutch_readers_see_translated_cards_for_one_query_more(client, city, citizen, count, settings):
    settings.CIVICNET_PAGE_CACHE_SECONDS = 0
    for n in range(count):
        issue = IssueFactory(title=f"Problème numéro {n}", language="fr")
        services.translation_propose(
            issue=issue, by=issue.author, language="nl", title=f"Probleem nummer {n}", description="x"
        )
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("openwall:list"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert all(f"Probleem nummer {n}" in page for n in range(count))
    # count, page, votes none (anonymous), topics, districts, where the calls stand... and the translations
    assert len(queries) == 6


@pytest.mark.parametrize("count", [1, 3])
def test_dutch_readers_see_translated_cards_on_the_home_and_theme_pages(client, city, count, settings):
    settings.CIVICNET_PAGE_CACHE_SECONDS = 0
    urbanism, issues = Topic.objects.get(slug="urbanism"), []
    for n in range(count):
        issue = IssueFactory(title=f"Problème numéro {n}", language="fr", topic=urbanism, trend_score=4 + n)
        issues.append(issue)
        services.translation_propose(
            issue=issue, by=issue.author, language="nl", title=f"Probleem nummer {n}", description="x"
        )
    for url in (reverse("home"), reverse("openwall:topic_detail", args=["urbanism"])):
        client.get(url)  # the home page's figures are counted once, then kept
        with CaptureQueriesContext(connection) as french:
            page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        assert all(f"Problème numéro {n}" in page for n in range(count))
        with CaptureQueriesContext(connection) as dutch:
            page = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
        for n, issue in enumerate(issues):
            assert f'<a href="{issue.get_absolute_url()}">Probleem nummer {n}</a>' in page, url
        assert "Problème numéro" not in page
        assert len(dutch) == len(french) + 1, url  # one query for every card's translation


class _FakeLibreTranslate(BaseHTTPRequestHandler):
    asked = []

    def do_POST(self):
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).asked.append(payload)
        body = json.dumps({"translatedText": [f"[{payload['target']}] {text}" for text in payload["q"]]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_configured_translation_service_drafts_for_a_person_to_correct(client, french_issue, other_citizen, settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeLibreTranslate)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.CIVICNET_TRANSLATION_URL = f"http://127.0.0.1:{server.server_port}/translate"
        client.force_login(other_citizen)
        url = reverse("openwall:issue_translate", args=[french_issue.pk, "nl"])
        assert "Start from a machine translation" in client.get(url).content.decode()
        page = client.get(url, {"draft": "1"}).content.decode()
    finally:
        server.shutdown()
    assert _FakeLibreTranslate.asked[-1]["source"] == "fr" and _FakeLibreTranslate.asked[-1]["target"] == "nl"
    assert 'value="[nl] Trottoirs encombrés rue Haute"' in page
    assert "A machine wrote this draft" in page
    assert not IssueTranslation.objects.exists()  # nothing is saved until a person sends it


def test_without_a_translation_service_nothing_is_sent_anywhere(client, french_issue, other_citizen, monkeypatch):
    connections = []
    real_connect = socket.socket.connect

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            connections.append(address)
            raise AssertionError(f"an outbound connection to {address}")
        return real_connect(self, address)

    client.force_login(other_citizen)
    url = reverse("openwall:issue_translate", args=[french_issue.pk, "nl"])
    monkeypatch.setattr(socket.socket, "connect", connect)
    page = client.get(url, {"draft": "1"}).content.decode()
    assert "Start from a machine translation" not in page and "A machine wrote" not in page
    assert connections == []


def test_after_the_first_vote_an_authors_own_translation_waits_for_an_organiser(
    client, french_issue, citizen, other_citizen, organiser
):
    """Otherwise a "translation" could rewrite, in another language, what people voted for."""
    services.vote_set(user=other_citizen, issue=french_issue, voted=True)
    client.force_login(citizen)
    _propose(client, french_issue, language="en", title="Something the voters never read", description="New.")
    translation = IssueTranslation.objects.get()
    assert translation.status == "proposed"
    accept = reverse("openwall:translation_accept", args=[french_issue.pk, "en"])
    refused = client.post(accept, {"version": translation.version}, follow=True).content.decode()
    assert "an organiser accepts your own translation" in refused
    client.force_login(organiser)
    client.post(accept, {"version": translation.version})
    assert IssueTranslation.objects.get().status == "accepted"


def test_editing_the_issue_sends_its_translations_back_for_a_look(client, french_issue, citizen):
    services.translation_propose(issue=french_issue, by=citizen, language="nl", title="Volle stoepen", description="x")
    french_issue.refresh_from_db()
    assert "Volle stoepen" in french_issue.translated_text
    services.issue_update(
        issue=french_issue,
        by=citizen,
        title="Trottoirs encombrés, rue Haute",
        description="Autre.",
        topic=french_issue.topic,
    )
    french_issue.refresh_from_db()
    assert IssueTranslation.objects.get().status == "proposed"
    assert french_issue.translated_text == ""


def test_the_author_is_told_of_a_proposal_once_and_in_their_language(
    client, french_issue, citizen, other_citizen, mailoutbox, django_capture_on_commit_callbacks
):
    citizen.preferred_language = "nl"
    citizen.save(update_fields=["preferred_language"])
    client.force_login(other_citizen)
    with django_capture_on_commit_callbacks(execute=True):
        _propose(client, french_issue)
        _propose(client, french_issue, description="De terrassen nemen het hele voetpad in, elke dag.")  # a correction
    told = Notification.objects.filter(recipient=citizen, kind="openwall.translation_proposed")
    assert told.count() == 1  # correcting one's own proposal does not write again
    assert [mail.to for mail in mailoutbox] == [[citizen.email]]
    client.force_login(citizen)
    inbox = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert f"{other_citizen.public_name} heeft" in inbox and "in het Nederlands" in inbox
    opened = client.get(reverse("notifications:open", args=[told.get().pk]))
    assert opened.url == reverse("openwall:issue_translate", args=[french_issue.pk, "nl"])  # where they accept it
    _propose(client, french_issue, language="en", title="Crowded pavements", description="Terraces.")
    assert told.count() == 1  # the author's own translation tells nobody


def test_organisers_accept_correct_and_remove_translations_in_the_admin_through_the_service(
    client, french_issue, other_citizen, organiser
):
    client.force_login(other_citizen)
    _propose(client, french_issue)
    translation = IssueTranslation.objects.get()
    client.force_login(organiser)
    assert client.get(reverse("admin:openwall_issuetranslation_add")).status_code == 403  # proposed on the site
    change = reverse("admin:openwall_issuetranslation_change", args=[translation.pk])
    read = {"title": translation.title, "description": translation.description, "seen": translation.version}
    client.force_login(other_citizen)
    _propose(client, french_issue, description="Iets anders dan wat de organisator las.")
    client.force_login(organiser)
    refused = client.post(change, {**read, "_continue": "1"}, follow=True).content.decode()
    assert "This translation changed while you read it" in refused  # never accepted unseen
    assert IssueTranslation.objects.get().status == "proposed"
    shown = IssueTranslation.objects.get()
    client.post(change, {"title": shown.title, "description": shown.description, "seen": shown.version})  # as read
    translation.refresh_from_db()
    assert (translation.status, translation.accepted_by, translation.proposed_by) == (
        "accepted",
        organiser,
        other_citizen,  # accepting keeps who wrote it
    )
    corrected = {"title": "Volle stoepen in de Hoogstraat", "description": "De **terrassen** versperren de stoep."}
    seen = IssueTranslation.objects.get().version
    assert client.post(change, {**corrected, "seen": seen}).status_code == 302
    translation.refresh_from_db()
    assert translation.description_html == "<p>De <strong>terrassen</strong> versperren de stoep.</p>"
    assert translation.excerpt == "De terrassen versperren de stoep."
    client.logout()
    found = client.get(reverse("openwall:list"), {"q": "versperren"}).content.decode()
    assert "Trottoirs encombrés rue Haute" in found  # search reads the corrected text
    client.force_login(organiser)
    client.post(reverse("admin:openwall_issuetranslation_delete", args=[translation.pk]), {"post": "yes"})
    assert not IssueTranslation.objects.exists()
    client.logout()
    found = client.get(reverse("openwall:list"), {"q": "versperren"}).content.decode()
    assert "Trottoirs encombrés rue Haute" not in found
    assert "Trottoirs encombrés rue Haute</h1>" in _page(client, french_issue, "nl")  # the original again
