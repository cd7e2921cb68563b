"""Every form of the project, found by reading the pages (so new forms join by themselves),
receives every entry of the bad-input corpus. Expected: either the form is refused with a message,
keeps what was typed and stores nothing, or it is saved, and then nothing stored is rendered by
any page as active content. Never a server error."""

import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD
from tests.quality.corpus import ENTRIES, FILES, MARK, SAMPLE, TEXTS
from tests.quality.urls_for_matrix import build

pytestmark = pytest.mark.django_db

# Forms that end the session or need no input worth fuzzing.
SKIP_ACTIONS = {"/accounts/logout/"}
ACTIVE = re.compile(
    rf"<script[^>]*>[^<]*{MARK}|<[a-z][^>]*\son[a-z]+\s*=\s*['\"]?[^>]*{MARK}|(?:href|src)\s*=\s*['\"]?\s*javascript:[^>]*{MARK}",
    re.IGNORECASE,
)


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._form = {
                "action": attrs.get("action") or "",
                "fields": {},
                "files": [],
                "enctype": attrs.get("enctype"),
            }
            self.forms.append(self._form)
        elif self._form is None or "name" not in attrs:
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind == "file":
                self._form["files"].append(attrs["name"])
            elif kind in ("checkbox", "radio"):
                self._form["fields"].setdefault(attrs["name"], ("choice", attrs.get("value", "on")))
            elif kind not in ("submit", "button", "image", "reset"):
                value = attrs.get("value") or ""
                texty = kind in ("text", "email", "search", "url", "tel", "number", "date")
                self._form["fields"][attrs["name"]] = (
                    "password" if kind == "password" else "text" if texty else "fixed",
                    value,
                )
        elif tag == "textarea":
            self._form["fields"][attrs["name"]] = ("text", "")
        elif tag == "select":
            self._select = attrs["name"]
            self._form["fields"][self._select] = ("choice", "")
        elif tag == "option" and self._select and not self._form["fields"][self._select][1]:
            self._form["fields"][self._select] = ("choice", attrs.get("value", ""))
        elif tag == "button" and attrs.get("name"):
            self._form["fields"].setdefault(attrs["name"], ("fixed", attrs.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


# Tables a refused form may still write: the session and the rate limits' counters.
BOOKKEEPING = re.compile(r'^(INSERT INTO|UPDATE|DELETE FROM) "?(django_session|civicnet_cache_fallback)"?', re.I)
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)


def _writes(queries) -> list[str]:
    return [q["sql"][:100] for q in queries if WRITE.match(q["sql"]) and not BOOKKEEPING.match(q["sql"].strip())]


def _refused(response) -> bool:
    """A form error re-rendered (Django's error list or the page's alert), or a 4xx answer."""
    if response.status_code >= 400:
        return True
    html = response.content.decode(errors="replace")
    return response.status_code == 200 and ('class="errorlist' in html or "message-error" in html)


def _forms(client, pages):
    found = {}
    for page in pages:
        response = client.get(page)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = FormParser()
        parser.feed(response.content.decode())
        for form in parser.forms:
            action = form["action"] or page
            if action.startswith("/") and action not in SKIP_ACTIONS:
                found.setdefault((action, tuple(sorted(form["fields"]))), form)
    return found


class _ActiveParts(HTMLParser):
    """The parts of HTML a browser would run: script-like elements, on* handlers, javascript: links."""

    RUNNABLE = {"script", "iframe", "object", "embed", "svg", "math", "style", "link", "meta", "base", "form"}

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in self.RUNNABLE:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or "javascript:" in (value or "").replace(" ", "").lower():
                self.found.append(f"{tag}[{name}]")


def _active(html: str) -> list[str]:
    parser = _ActiveParts()
    parser.feed(html)
    return parser.found


def test_the_corpus_is_big_enough():
    assert ENTRIES >= 200


def test_every_form_class_takes_the_whole_corpus(city, citizen):
    """Each entry in every text field of every form class: a form error or clean data, never an
    exception; text meant to be rendered as Markdown comes out inert."""
    from calls.forms import ProposalForm, ProposalStartForm
    from calls.models import CallQuestion, Proposal
    from civicnet.accounts.forms import AccountDeleteForm, InvitationForm, OrganisationForm, ProfileForm
    from civicnet.accounts.models import Organisation
    from civicnet.city.models import Topic
    from civicnet.markdown import markdown_render
    from openwall.forms import CommentForm, FlagForm, IssueEditForm, IssueForm, MeetupIssueForm, TallyForm
    from tests.factories import PROPOSAL_TEXT, CallFactory, IssueFactory

    topic = Topic.objects.get(slug="urbanism").pk
    issue = {"title": "Lamps out on the canal", "description": "Dark since October, people avoid it.", "topic": topic}
    answered = IssueFactory()
    call = CallFactory(issues=[answered])
    asked = CallQuestion.objects.create(call=call, text="Which streets?", kind="long", max_length=500)
    proposal = {**PROPOSAL_TEXT, "issues": [answered.pk], f"q{asked.pk}": "Along the canal."}
    proposal_kwargs = {"instance": Proposal(call=call), "call": call, "questions": [asked], "complete": True}
    lab = Organisation.objects.create(name="Lab", slug="corpus-lab", kind="civic_innovator")
    valid = [
        (IssueForm, {**issue, "language": "en"}, {}),
        (IssueEditForm, issue, {}),
        (MeetupIssueForm, {**issue, "paper_votes": 3}, {}),
        (CommentForm, {"body": "I agree."}, {}),
        (FlagForm, {"reason": "spam", "note": ""}, {}),
        (TallyForm, {"issue": IssueFactory().pk, "votes": 3}, {}),
        (OrganisationForm, {"name": "Repair café", "kind": "community", "description": "", "website": ""}, {}),
        (InvitationForm, {"email": "bram@example.org", "role": "member"}, {}),
        (ProfileForm, {"display_name": "Amina", "preferred_language": "fr", "district": ""}, {"instance": citizen}),
        (AccountDeleteForm, {"password": PASSWORD}, {"user": citizen}),
        (ProposalForm, proposal, proposal_kwargs),
        (ProposalStartForm, {"organisation": lab.pk, "title": "Lamps"}, {"organisations": Organisation.objects.all()}),
    ]
    markdown_fields = {"description", "body"}  # a proposal's texts are shown as plain text (linebreaks)
    checked, accepted = 0, 0
    for form_class, base, kwargs in valid:
        if "instance" in kwargs and kwargs["instance"].pk:  # a model form writes onto its instance: a fresh one
            kwargs = {**kwargs, "instance": type(kwargs["instance"]).objects.get(pk=kwargs["instance"].pk)}
        assert form_class(data=base, **kwargs).is_valid(), f"{form_class.__name__}: the base data must be valid"
        texts = [
            name
            for name, field in form_class(**kwargs).fields.items()
            if isinstance(field, forms.CharField) and name != "website_url"
        ]
        for name in texts:
            for entry in TEXTS:
                form = form_class(data={**base, name: entry}, **kwargs)
                if form.is_valid():  # an exception here fails the test
                    accepted += 1
                    value = form.cleaned_data[name]
                    if name in markdown_fields:
                        active = _active(markdown_render(value))
                        assert active == [], f"{form_class.__name__}.{name}: {entry[:60]!r} gives {active}"
                checked += 1
    assert checked >= 10 * len(TEXTS)
    assert 0 < accepted < checked  # some entries are refused with a message, some are fine text


def test_every_form_survives_the_corpus(client, world, settings):
    settings.CIVICNET_RATE_LIMITS = dict.fromkeys(settings.CIVICNET_RATE_LIMITS, "100000/h")
    people = world["people"]
    pages = list(build(world).values())
    forms = {}
    for persona in ("citizen", "innovator", "organiser"):  # the innovator writes proposals
        client.force_login(people[persona])
        forms.update({(persona, *key): form for key, form in _forms(client, pages).items()})
    assert len(forms) >= 15, sorted(forms)  # the forms of every app were found
    print(f"{len(forms)} forms, {ENTRIES} corpus entries")

    failures, refused, accepted = [], 0, 0
    for (persona, action, _fields), form in forms.items():
        client.force_login(people[persona])
        # Every text field but the honeypot, which people leave empty.
        texts = [name for name, (kind, _value) in form["fields"].items() if kind == "text" and name != "website_url"]
        secrets = [name for name, (kind, _value) in form["fields"].items() if kind == "password"]
        base = {name: value for name, (_kind, value) in form["fields"].items()}
        typed = texts + secrets
        attempts = [(entry, {**base, **dict.fromkeys(typed, entry)}) for entry in SAMPLE] if typed else [(None, base)]
        for entry, data in attempts:
            with CaptureQueriesContext(connection) as queries:
                response = client.post(action, data)
            if response.status_code >= 500:
                failures.append(f"{persona} {action}: {response.status_code} for {str(data)[:120]!r}")
                break
            if not _refused(response):
                accepted += 1
                continue
            refused += 1
            if writes := _writes(queries):
                failures.append(f"{persona} {action}: refused {entry!r:.60} but wrote {writes}")
            # A re-rendered form keeps what was typed (escaped): nothing to type again.
            keeps = response.status_code == 200 and texts and entry and MARK in entry and len(entry) < 2000
            if keeps and MARK not in response.content.decode(errors="replace"):
                failures.append(f"{persona} {action}: refused {entry!r:.60} and lost what was typed")
        for name in form["files"]:
            for filename, payload, content_type in FILES:
                upload = SimpleUploadedFile(filename, payload, content_type)
                response = client.post(action, {**base, **dict.fromkeys(texts, "A proper title here"), name: upload})
                if response.status_code >= 500:
                    failures.append(f"{persona} {action}: {response.status_code} for the file {filename}")
    assert failures == []
    assert refused > 0 and accepted > 0, (refused, accepted)  # both outcomes were seen and checked

    # Whatever was stored is shown as text, never as active content, to anyone.
    client.force_login(people["organiser"])
    shown = [
        reverse("openwall:list"),
        reverse("accounts:organisation_list"),
        reverse("notifications:list"),
        reverse("accounts:profile"),
        world["issue"].get_absolute_url(),
        reverse("openwall:meetup_list"),
    ]
    from openwall.models import Comment, Issue

    stored = Comment.objects.filter(body__contains=MARK).count() + Issue.objects.filter(title__contains=MARK).count()
    assert stored > 0, "no entry was stored: the check below would prove nothing"
    shown += [issue.get_absolute_url() for issue in Issue.objects.filter(title__contains=MARK)[:40]]
    active = []
    for url in shown:
        html = client.get(url, follow=True).content.decode()
        match = ACTIVE.search(html)
        if match:
            active.append(f"{url}: {match.group(0)[:100]}")
    assert active == []
