"""User text to safe HTML: a small Markdown subset, then a strict sanitiser.

Raw HTML in the source is escaped, not passed through; links get rel="nofollow ugc".
"""

import html as html_lib
import re
import threading

import markdown as markdown_lib
import nh3
from django.utils.html import strip_tags
from django.utils.text import Truncator
from markdown.preprocessors import Preprocessor

ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d+[.)])\s+\S")


class _ListsAfterText(Preprocessor):
    """People write a list straight under a line of text, as in any chat or email; Markdown wants a
    blank line between them and would show the dashes raw. Add the blank line (not inside code)."""

    def run(self, lines):
        out, fenced = [], False
        for line in lines:
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
            previous = out[-1] if out else ""
            if (
                not fenced
                and LIST_ITEM.match(line)
                and previous.strip()
                and not LIST_ITEM.match(previous)
                and not previous.startswith((" ", "\t"))
            ):
                out.append("")
            out.append(line)
        return out


class _CitizenMarkdown(markdown_lib.Extension):
    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")  # raw HTML is escaped, not passed through
        md.inlinePatterns.deregister("html")
        md.preprocessors.register(_ListsAfterText(md), "lists_after_text", 25)


_local = threading.local()


def _converter() -> markdown_lib.Markdown:
    """One converter per thread, reset between texts: building one per call (what
    `markdown.markdown()` does) costs more than the conversion itself."""
    md = getattr(_local, "md", None)
    if md is None:
        md = _local.md = markdown_lib.Markdown(
            extensions=[_CitizenMarkdown(), "nl2br", "sane_lists"], output_format="html"
        )
    return md.reset()


def markdown_render(text: str) -> str:
    html = _converter().convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
    )


EXCERPT_WORDS = 30


def excerpt(html: str, words: int = EXCERPT_WORDS) -> str:
    """The plain text of rendered (sanitised) HTML, cut after `words` words: what a card shows,
    kept beside the HTML when the text is written, and escaped where it is shown like any text."""
    text = " ".join(html_lib.unescape(strip_tags(html)).split())
    return Truncator(text).words(words, truncate="…")
