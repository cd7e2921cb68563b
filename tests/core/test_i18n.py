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


def test_every_template_string_is_in_the_catalogue():
    """makemessages would add nothing: a new UI string cannot ship untranslated."""
    import os
    import sys

    if not shutil.which("xgettext"):
        service_missing("xgettext (Debian package 'gettext')")
    root = LOCALE.parent
    before = (LOCALE / "fr" / "LC_MESSAGES" / "django.po").read_text()
    env = {**os.environ, "SECRET_KEY": "test-only", "DEBUG": "false"}
    try:
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "fr",
                "--ignore=.venv",
                "--ignore=tests",
                "--ignore=test-artifacts",
                "--no-obsolete",
                "--no-location",
                "-v",
                "0",
            ],
            cwd=root,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
        after = (LOCALE / "fr" / "LC_MESSAGES" / "django.po").read_text()
    finally:
        (LOCALE / "fr" / "LC_MESSAGES" / "django.po").write_text(before)

    def msgids(text):
        return {block.split("msgstr")[0] for block in text.split("\n\n")[1:] if not block.startswith("#~")}

    def strip_comments(text):
        return "\n".join(line for line in text.splitlines() if not line.startswith("#"))

    missing = msgids(strip_comments(after)) - msgids(strip_comments(before))
    assert not missing, f"strings not in the catalogue (run makemessages and translate): {sorted(missing)[:5]}"
