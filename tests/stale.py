"""Two tabs of the same edit form (issue 13): the helpers the per-app tests share.

Each tab reads its form from the page as a browser would (benchmarks/forms.py), so the hidden
version travels exactly as it does in production."""

from __future__ import annotations

from django.test import Client

from benchmarks.forms import form_fields


def open_form(client: Client, url: str, action: str | None = None) -> dict[str, list[str]]:
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return form_fields(page.content.decode(), action=action or url, page_url=url)


def typed(fields: dict[str, list[str]], **changes) -> dict[str, list[str]]:
    """The form's fields with some of them changed (a value or a list of values)."""
    return fields | {
        name: value if isinstance(value, list) else [str(value)] for name, value in changes.items()
    }


def save_twice(
    first: Client,
    second: Client,
    url: str,
    mine: dict,
    theirs: dict,
    *,
    action: str | None = None,
    saved: int = 302,
):
    """Both open the form; `first` saves `mine`, then `second` saves `theirs` from its stale
    form. Returns the second response (expected: 409 with the conflict page)."""
    form_a = open_form(first, url, action)
    form_b = open_form(second, url, action)
    response = first.post(action or url, typed(form_a, **mine))
    assert response.status_code == saved, response.content.decode()[:3000]
    return second.post(action or url, typed(form_b, **theirs))


def assert_conflict(response, *shown: str) -> str:
    """409, the conflict page, and each of `shown` (values of both sides) on it."""
    text = response.content.decode()
    assert response.status_code == 409, (response.status_code, text[:3000])
    assert "Sudah diubah orang lain" in text
    for value in shown:
        assert value in text, value
    return text


def save_on_top(client: Client, conflict_page: str, url: str, action: str | None = None):
    """Submit the form of the conflict page as it stands: the user's values, knowingly."""
    fields = form_fields(conflict_page, action=action or url, page_url=url)
    return client.post(action or url, fields)
