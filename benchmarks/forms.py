"""What a browser would submit: the fields of one form on a page (stdlib `html.parser`).

`form_fields(page, action)` returns name → list of values of the form posting to `action`, as
the form currently holds them: inputs (hidden ones and formset management forms included),
checked checkboxes and radios, selected options (several for `<select multiple>`) and textarea
text, entities unescaped. Like a browser it leaves out file inputs, buttons, disabled fields and
anything inside `<template>` (the formsets' empty rows).
"""

from __future__ import annotations

from html.parser import HTMLParser

SKIPPED_INPUTS = {"file", "submit", "button", "reset", "image"}


class FormReader(HTMLParser):
    def __init__(self, action: str, page_url: str):
        super().__init__(convert_charrefs=True)
        self.action, self.page_url = action, page_url
        self.fields: dict[str, list[str]] = {}
        self.found = False  # the form was seen (it may have no fields)
        self.inside = False  # within the wanted form
        self.done = False
        self.templates = 0  # depth of <template> elements
        self.select: str | None = None  # name of the open <select>
        self.multiple = False
        self.options: list[tuple[str, bool]] = []  # the open select's (value, selected)
        self.option: list[str] | None = None  # text of an option without a value attribute
        self.textarea: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "template":
            self.templates += 1
        if self.done:
            return
        if tag == "form":
            # A form without an action posts to the page's own URL.
            self.inside = (a.get("action") or self.page_url) == self.action
            self.found = self.found or self.inside
            return
        if not self.inside or self.templates or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in SKIPPED_INPUTS:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.add(name, a.get("value") or "on")
            else:
                self.add(name, a.get("value") or "")
        elif tag == "select" and name:
            self.select, self.multiple, self.options = name, "multiple" in a, []
        elif tag == "option" and self.select is not None:
            self.options.append((a.get("value") or "", "selected" in a))
            self.option = [] if a.get("value") is None else None
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text.append(data)
        elif self.option is not None:
            self.option.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self.templates = max(0, self.templates - 1)
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "option" and self.option is not None:
            value, selected = self.options[-1]
            self.options[-1] = ("".join(self.option).strip(), selected)
            self.option = None
        elif tag == "select" and self.select is not None:
            chosen = [value for value, selected in self.options if selected]
            if not chosen and not self.multiple and self.options:
                chosen = [self.options[0][0]]  # a single select always sends one option
            for value in chosen:
                self.add(self.select, value)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            text = "".join(self.text)
            # HTML drops one newline right after <textarea> (Django writes one there).
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            self.add(self.textarea, text)
            self.textarea = None

    def add(self, name: str, value: str) -> None:
        self.fields.setdefault(name, []).append(value)


def form_fields(page: str, action: str, page_url: str = "") -> dict[str, list[str]]:
    """The fields of the first form on `page` that posts to `action` (a form without an action
    attribute posts to `page_url`, the address the page was fetched from)."""
    reader = FormReader(action, page_url)
    reader.feed(page)
    reader.close()
    if not reader.found:
        raise LookupError(f"no form posting to {action} on the page")
    return reader.fields
