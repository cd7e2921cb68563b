import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import service_missing

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_catalogue_is_complete(language):
    if not shutil.which("msgfmt"):
        service_missing("msgfmt (Debian package 'gettext')")
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr
    assert "translated message" in result.stderr


def test_every_ui_string_is_in_the_catalogues(tmp_path):
    """makemessages would add nothing: a new UI string cannot ship untranslated.

    It runs on a copy of the sources, so the tracked catalogues are never touched.
    """
    import os
    import sys

    if not shutil.which("xgettext"):
        service_missing("xgettext (Debian package 'gettext')")
    root = LOCALE.parent
    copy = tmp_path / "src"
    phase_apps = ("openwall", "calls", "matchmaking", "summit", "followup")
    for name in ("civicnet", *(app for app in phase_apps if (root / app).is_dir()), "templates", "locale"):
        shutil.copytree(root / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(root / "manage.py", copy / "manage.py")
    env = {**os.environ, "SECRET_KEY": "test-only", "DEBUG": "false"}
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "fr",
            "-l",
            "nl",
            "--no-obsolete",
            "--no-location",
            "-v",
            "0",
        ],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    for language in ("fr", "nl"):
        po = str(copy / "locale" / language / "LC_MESSAGES" / "django.po")
        for selection in ("--untranslated", "--only-fuzzy"):  # a new string msgmerge guessed is fuzzy
            result = subprocess.run(
                ["msgattrib", selection, "--no-wrap", po], capture_output=True, text=True, check=True
            )
            missing = [line for line in result.stdout.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
            assert missing == [], f"{language}: not translated yet (run makemessages, then translate): {missing[:5]}"
