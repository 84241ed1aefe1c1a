"""A stored-XSS corpus and a checker (QUALITY D2), shared by every module's tests.

Each payload carries the marker "XSS"; `find_injections(html)` parses a rendered page and reports
every place where a payload became markup instead of text: an element or attribute that came
from user input, or script/style content holding a marker. Escaped payloads (the payload shown as
text, or inside an inert attribute such as value="…") are fine.
"""

from __future__ import annotations

from html.parser import HTMLParser

XSS_PAYLOADS = [
    "<script>alert('XSS1')</script>",
    '"><img src=x onerror=alert("XSS2")>',
    "'><svg onload=alert('XSS3')>",
    "<img src=\"javascript:alert('XSS4')\">",
    "<a href=\"javascript:alert('XSS5')\">klik di sini</a>",
    '<div hx-get="/keluar/" hx-trigger="load" id="XSS6">',
    "<button hx-on:click=\"alert('XSS7')\">tombol</button>",
    "</textarea><script>alert('XSS8')</script>",
    "</title><script>alert('XSS9')</script>",
    "<iframe src=\"javascript:alert('XSS10')\"></iframe>",
    "<body onload=alert('XSS11')>",
    "<style>@import 'http://127.0.0.1:9/XSS12.css';</style>",
    "<link rel=stylesheet href=http://127.0.0.1:9/XSS13.css>",
    "x onmouseover=alert('XSS14') x",
    "' onfocus='alert(\"XSS15\")' autofocus='",
    '" onfocus="alert(\'XSS16\')" autofocus="',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('XSS17')>",
    "<details open ontoggle=alert('XSS18')>",
    "<input autofocus onfocus=alert('XSS19')>",
    "javascript:alert('XSS20')",
    "<object data=\"javascript:alert('XSS21')\"></object>",
    "<embed src=\"data:text/html,<script>alert('XSS22')</script>\">",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'XSS23\')">',
    "{{ 7|add:42 }}XSS24",
    "<form action=\"javascript:alert('XSS25')\"><button>kirim</button></form>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==" id="XSS26">data</a>',
    "<svg><script>alert('XSS27')</script></svg>",
    "<img src=x:alert(alt) onerror=eval(src) alt='XSS28'>",
    "<scr<script>ipt>alert('XSS29')</scr</script>ipt>",
    "<div style=\"background:url(javascript:alert('XSS30'))\">gaya</div>",
    "<template><img src=x onerror=alert('XSS31')></template>",
    '<a hx-post="/keluar/" hx-trigger="load" data-x="XSS32">keluar</a>',
    '<base href="http://127.0.0.1:9/XSS33/">',
    "<video><source onerror=\"alert('XSS34')\"></video>",
    "<marquee onstart=alert('XSS35')>",
    "\u202e<script>alert('XSS36')</script>",
]

# Attributes whose value is shown as inert text: an escaped payload may legitimately sit there.
INERT_ATTRIBUTES = {
    "value",
    "title",
    "alt",
    "placeholder",
    "aria-label",
    "aria-description",
    "data-confirm",
    "label",
    "data-original",
    "datetime",
}


class _InjectionFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._raw_text_tag: str | None = None

    def handle_starttag(self, tag, attrs):
        if "xss" in tag.lower():
            self.found.append(f"element <{tag}>")
        for name, value in attrs:
            if "xss" in name.lower():
                self.found.append(f"attribute {name} on <{tag}>")
            elif value and "XSS" in value and name.lower() not in INERT_ATTRIBUTES:
                self.found.append(f'<{tag} {name}="{value[:60]}">')
        if tag in ("script", "style"):
            self._raw_text_tag = tag

    def handle_endtag(self, tag):
        if tag == self._raw_text_tag:
            self._raw_text_tag = None

    def handle_data(self, data):
        if self._raw_text_tag and "XSS" in data:
            self.found.append(f"<{self._raw_text_tag}> content {data[:60]!r}")


def find_injections(html: str) -> list[str]:
    finder = _InjectionFinder()
    finder.feed(html)
    finder.close()
    found = finder.found
    if "49XSS24" in html:  # user input must never be evaluated as template code
        found.append("template code in user input was evaluated")
    return found


def assert_no_injection(html: str, where: str = "") -> None:
    found = find_injections(html)
    assert not found, f"stored XSS {where}: {found[:5]}"
