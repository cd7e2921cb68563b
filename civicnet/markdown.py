"""User text to safe HTML: a small Markdown subset, then a strict sanitiser.

Raw HTML in the source is escaped, not passed through; links get rel="nofollow ugc".
"""

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


class _EscapeHtml(markdown_lib.Extension):
    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def markdown_render(text: str) -> str:
    html = markdown_lib.markdown(text, extensions=[_EscapeHtml(), "nl2br", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
    )
