"""`make run`'s demo data: every phase app seeds through the core's seam, and the accounts a
newcomer needs are the last thing printed."""

import pytest
from django.core.management import call_command

from civicnet.accounts.models import User
from openwall.models import Issue


@pytest.mark.django_db(transaction=True)  # a real commit: the demo's emails go out, as in make run
def test_seed_demo_seeds_every_phase_and_prints_the_accounts_last(settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert Issue.objects.count() >= 50  # the Open Wall's seeder ran
    from calls.models import Call

    opened = Call.objects.open_now().get()  # the calls' seeder ran after it, on its top issues
    assert set(opened.issues.all()) == set(Issue.objects.public().ranked()[:3])
    assert Call.objects.upcoming().count() == 1
    assert User.objects.filter(email="organiser@demo.civicnet.test", is_staff=True).exists()
    tail = out[out.rindex("Demo data ready.") :]
    assert "Subject:" not in tail  # no printed email after the accounts
    assert "citizen@demo.civicnet.test" in tail and "password: civicnet-demo" in tail
    assert out.count("Subject:") >= 1  # the emails were printed, before

    call_command("seed_demo")  # idempotent
    assert Issue.objects.count() == Issue.objects.values("title").distinct().count()


def test_the_demo_texts_are_the_city_packs():
    """The Open Wall's demo issues come from the pack's demo file, and every theme and district
    they name is one the pack defines (a typo would drop an issue's place silently)."""
    import json

    from civicnet.city.demo import DEMO_DIR
    from civicnet.city.services import city_pack_read

    content = json.loads((DEMO_DIR / "brussels.json").read_text(encoding="utf-8"))["openwall"]
    pack = city_pack_read(name="brussels")
    topics = {topic["slug"] for topic in pack["topics"]}
    districts = {district["slug"] for district in pack["districts"]}
    issues = content["issues"] + [m["raised_there"] for m in content["meetups"] if "raised_there" in m]
    assert len(issues) >= 50
    assert {issue["topic"] for issue in issues} <= topics
    assert {issue["district"] for issue in issues if issue["district"]} <= districts
    assert {slug for meetup in content["meetups"] for slug in meetup["topics"]} <= topics
    assert set(content["comments"]) == set(content["official_answers"]) == set(pack["city"]["languages"])
    core = json.loads((DEMO_DIR / "brussels.json").read_text(encoding="utf-8"))["core"]
    assert set(core["accounts"].values()) <= districts
    circles = {circle["slug"] for circle in pack["circles"]}
    assert {o["circle"] for o in core["organisations"] if o.get("circle")} <= circles


def test_the_generic_demo_names_themes_by_icons_that_exist():
    """A theme hint that is no icon would land every such issue on the first theme."""
    import json

    from civicnet.city.demo import GENERIC, ICONS

    content = json.loads(GENERIC.read_text(encoding="utf-8"))["openwall"]
    hints = {issue["topic"] for issue in content["issues"]} | {t for m in content["meetups"] for t in m["topics"]}
    assert hints <= set(ICONS)
    for text in (issue["title"] for issue in content["issues"]):
        assert set(text) == {"fr", "nl", "en"}  # every catalogue language, for any city


# A pack without demo texts gets the generic demo, told in its own names: tests/city/test_another_city.py.
