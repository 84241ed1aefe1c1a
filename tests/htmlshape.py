"""The shape of an HTML fragment as a browser reads it: tags, their attributes in any order and
the text. Two renderings with equal shapes differ at most in attribute order and whitespace."""

from __future__ import annotations

from html.parser import HTMLParser


class _Shape(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.seen: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, sorted(attrs, key=lambda pair: pair[0])))

    def handle_endtag(self, tag):
        self.seen.append(("/" + tag,))

    def handle_data(self, data):
        if data.strip():
            self.seen.append(("text", data.strip()))


def shape(html: str) -> list[tuple]:
    parser = _Shape()
    parser.feed(html)
    parser.close()
    return parser.seen
