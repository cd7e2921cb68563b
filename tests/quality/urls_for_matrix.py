"""The permission matrix's rows, gathered from each app's tests/<app>/matrix.py."""

import importlib
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent


def matrices() -> list:
    return [importlib.import_module(f"tests.{path.parent.name}.matrix") for path in sorted(TESTS.glob("*/matrix.py"))]


def merged(modules, table: str) -> dict:
    """One table from every app's; a row two apps both claim is an error."""
    rows = {}
    for module in modules:
        for key, value in getattr(module, table, {}).items():
            if key in rows:
                raise ValueError(f"{key!r} is in more than one app's {table}")
            rows[key] = value
    return rows


def build(world) -> dict:
    """The address of every named URL pattern, built from the `world` fixture's objects."""
    urls = {}
    for module in matrices():
        urls |= module.urls(world)
    return urls
