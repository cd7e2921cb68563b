"""A theme icon a city pack supplies: an SVG file beside the pack, checked and rewritten.

Only drawing is kept: shapes, their geometry and their paint. Anything else (scripts, links,
styles, embedded images, entities) is refused by name, so that a pack's author knows what to
remove, rather than silently dropped. The icon is shown through <img>, where an SVG can neither
run a script nor load anything; the check is a second wall, and keeps the stored text small.
"""

import re
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

from django.utils.html import escape

SVG = "{http://www.w3.org/2000/svg}"
MAX_BYTES = 20_000
MAX_DEPTH = 16
# Numbers, path commands, colours, percentages, transforms: nothing that escapes or points away.
VALUE = re.compile(r"^[#\w.,\s%()+-]*$")
ELEMENTS = {"svg", "g", "path", "circle", "ellipse", "rect", "line", "polyline", "polygon", "title", "desc"}
ATTRIBUTES = {
    *("viewBox", "width", "height", "fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin"),
    *("stroke-miterlimit", "stroke-dasharray", "fill-rule", "clip-rule", "opacity", "fill-opacity"),
    *("stroke-opacity", "transform", "d", "cx", "cy", "r", "rx", "ry", "x", "y", "x1", "y1", "x2", "y2"),
    "points",
}


class IconError(ValueError):
    pass


def icon_clean(raw: bytes) -> str:
    """The SVG rewritten from what it draws; IconError saying what is not allowed."""
    if len(raw) > MAX_BYTES:
        raise IconError(f"larger than {MAX_BYTES // 1000} KB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IconError("is not UTF-8; save it as UTF-8") from exc
    # No DOCTYPE, entity, CDATA or comment: an icon needs none, and entities are what can grow.
    if "<!" in text:
        raise IconError("has a DOCTYPE, an ENTITY, a comment or CDATA (<!...); remove it")
    try:
        root = ElementTree.fromstring(text)  # noqa: S314 (no DOCTYPE or entity can reach the parser)
    except ElementTree.ParseError as exc:
        raise IconError(f"is not valid SVG ({exc})") from exc
    if root.tag != f"{SVG}svg" or "viewBox" not in root.attrib:
        raise IconError("must be an <svg> with a viewBox (in the SVG namespace)")
    cleaned = _element(root, 0)
    if len(cleaned) > MAX_BYTES:
        raise IconError(f"larger than {MAX_BYTES // 1000} KB once read")
    return cleaned


def _element(element, depth: int) -> str:
    if depth > MAX_DEPTH:
        raise IconError(f"nests shapes more than {MAX_DEPTH} deep")
    tag = element.tag.removeprefix(SVG)
    if tag not in ELEMENTS:
        raise IconError(f"<{tag}> is not allowed in an icon (allowed: {', '.join(sorted(ELEMENTS))})")
    attributes = []
    for name, value in element.attrib.items():
        if name not in ATTRIBUTES:
            raise IconError(f"the attribute {name!r} of <{tag}> is not allowed in an icon")
        if not VALUE.match(value) or "url(" in value.replace(" ", "").lower():
            raise IconError(f"the attribute {name!r} of <{tag}> has a value an icon does not need ({value[:40]!r})")
        attributes.append(f" {name}={quoteattr(value)}")
    if tag == "svg":
        attributes.insert(0, ' xmlns="http://www.w3.org/2000/svg"')
    inner = escape((element.text or "").strip()) if tag in ("title", "desc") else ""
    inner += "".join(_element(child, depth + 1) for child in element)
    return f"<{tag}{''.join(attributes)}>{inner}</{tag}>"
