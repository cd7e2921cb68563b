"""Demo content belongs to the city pack, not to the code: `packs/demo/<pack>.json`.

Each phase app's demo seeder asks for its own section (`demo_content("openwall")`), so the texts
are in the city's voice and languages, and a pack without demo content gets none.
"""

import json

from .models import CityProfile
from .services import PACKS_DIR

DEMO_DIR = PACKS_DIR / "demo"


def demo_content(section: str) -> dict:
    """The loaded pack's demo texts for one app: {} when the pack ships none."""
    city = CityProfile.current()
    path = DEMO_DIR / f"{city.pack}.json" if city and city.pack else None
    if path is None or not path.is_file():
        return {}
    content = json.loads(path.read_text(encoding="utf-8"))
    if content.get("format") != 1:
        raise ValueError(f"{path}: unknown demo content format {content.get('format')!r}")
    return content.get(section, {})
