"""A stored-XSS corpus and a checker (QUALITY D2), shared by every module's tests.

Each payload carries the marker "XSS_<n>"; an underscore never occurs in CSRF tokens or other
random values a page carries, so the marker cannot appear by chance. `find_injections(html)`
parses a rendered page and reports every place where a payload became markup instead of text:
an element or attribute that came from user input, an event-handler attribute, an inline script,
or script/style content holding a marker. Escaped payloads (shown as text, or inside an inert
attribute such as value="…") are fine.
"""

from __future__ import annotations

from html.parser import HTMLParser

XSS_PAYLOADS = [
    "<script>alert('XSS_1')</script>",
    '"><img src=x onerror=alert("XSS_2")>',
    "'><svg onload=alert('XSS_3')>",
    "<img src=\"javascript:alert('XSS_4')\">",
    "<a href=\"javascript:alert('XSS_5')\">klik di sini</a>",
    '<div hx-get="/keluar/" hx-trigger="load" id="XSS_6">',
    "<button hx-on:click=\"alert('XSS_7')\">tombol</button>",
    "</textarea><script>alert('XSS_8')</script>",
    "</title><script>alert('XSS_9')</script>",
    "<iframe src=\"javascript:alert('XSS_10')\"></iframe>",
    "<body onload=alert('XSS_11')>",
    "<style>@import 'http://127.0.0.1:9/XSS_12.css';</style>",
    "<link rel=stylesheet href=http://127.0.0.1:9/XSS_13.css>",
    "x onmouseover=alert('XSS_14') x",
    "' onfocus='alert(\"XSS_15\")' autofocus='",
    '" onfocus="alert(\'XSS_16\')" autofocus="',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('XSS_17')>",
    "<details open ontoggle=alert('XSS_18')>",
    "<input autofocus onfocus=alert('XSS_19')>",
    "javascript:alert('XSS_20')",
    "<object data=\"javascript:alert('XSS_21')\"></object>",
    "<embed src=\"data:text/html,<script>alert('XSS_22')</script>\">",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'XSS_23\')">',
    "{{ 7|add:42 }}XSS_24",
    "<form action=\"javascript:alert('XSS_25')\"><button>kirim</button></form>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==" id="XSS_26">data</a>',
    "<svg><script>alert('XSS_27')</script></svg>",
    "<img src=x:alert(alt) onerror=eval(src) alt='XSS_28'>",
    "<scr<script>ipt>alert('XSS_29')</scr</script>ipt>",
    "<div style=\"background:url(javascript:alert('XSS_30'))\">gaya</div>",
    "<template><img src=x onerror=alert('XSS_31')></template>",
    '<a hx-post="/keluar/" hx-trigger="load" data-x="XSS_32">keluar</a>',
    '<base href="http://127.0.0.1:9/XSS_33/">',
    "<video><source onerror=\"alert('XSS_34')\"></video>",
    "<marquee onstart=alert('XSS_35')>",
    "\u202e<script>alert('XSS_36')</script>",
]

MARKER = "XSS_"

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
        if tag == "script" and not dict(attrs).get("src"):
            self.found.append("inline <script> (our pages load scripts from files only)")
        for name, value in attrs:
            if name.lower().startswith("on"):  # our templates never use event-handler attributes
                self.found.append(f"event handler {name} on <{tag}>")
            elif "xss" in name.lower():
                self.found.append(f"attribute {name} on <{tag}>")
            elif value and MARKER in value and name.lower() not in INERT_ATTRIBUTES:
                self.found.append(f'<{tag} {name}="{value[:60]}">')
        if tag in ("script", "style"):
            self._raw_text_tag = tag

    def handle_endtag(self, tag):
        if tag == self._raw_text_tag:
            self._raw_text_tag = None

    def handle_data(self, data):
        if self._raw_text_tag and MARKER in data:
            self.found.append(f"<{self._raw_text_tag}> content {data[:60]!r}")


def find_injections(html: str) -> list[str]:
    finder = _InjectionFinder()
    finder.feed(html)
    finder.close()
    found = finder.found
    if "49XSS_24" in html:  # user input must never be evaluated as template code
        found.append("template code in user input was evaluated")
    return found


def assert_no_injection(html: str, where: str = "") -> None:
    found = find_injections(html)
    assert not found, f"stored XSS {where}: {found[:5]}"
