"""Dates and times as an Indonesian reader writes them: 13 Maret 2020, pukul 08.00 (PUEBI);
the English pages keep 08:00. Every PDF marks a draft with the same word, DRAF."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import timezone, translation

from fgd.documents import document_html
from rpjmd.clock import format_time
from tests.fgd.factories import make_follow_up, make_meeting

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
AT = dt.datetime(2020, 3, 13, 8, 5, 9, tzinfo=WITA)
PAGE = Template('{{ at|time:"H:i" }} | {{ at|date:"j F Y, H:i T" }} | {{ at|time:"H:i:s" }}')


def rendered(language: str) -> str:
    with translation.override(language), timezone.override(WITA):
        return PAGE.render(Context({"at": AT}))


def test_times_on_indonesian_pages_use_dots():
    assert rendered("id") == "08.05 | 13 Maret 2020, 08.05 WITA | 08.05.09"


def test_times_on_english_pages_keep_colons():
    assert rendered("en") == "08:05 | 13 March 2020, 08:05 WITA | 08:05:09"


def test_times_written_in_python_follow_the_same_rule():
    with translation.override("id"):
        assert format_time(AT, "j F Y H:i") == "13 Maret 2020 08.05"
    with translation.override("en"):
        assert format_time(AT, "j F Y H:i") == "13 March 2020 08:05"


@pytest.mark.django_db
def test_fgd_documents_write_dates_in_words_whatever_the_readers_language(world):
    meeting = make_meeting(world.plan)
    make_follow_up(meeting, world.agency_a, due_on=dt.date(2020, 3, 13))
    with translation.override("en"):
        minutes = document_html(meeting, "notulensi")
    assert "13 Maret 2020" in minutes
    assert not re.search(r"\b\d{1,2}-\d{1,2}-\d{4}\b", minutes)


@pytest.mark.django_db
def test_every_pdf_marks_a_draft_with_the_same_word(world):
    meeting = make_meeting(world.plan)
    record = document_html(meeting, "berita-acara", draft=True)
    # The RPJMD's pages carry the mark themselves (drafts/pdf/_mark.html, in every part).
    pages = render_to_string("drafts/pdf/_mark.html", {"draft": True, "export_stamp": "x"})
    marks = {
        re.search(r'class="draft-watermark">([^<]+)<', record).group(1),
        re.search(r'class="draft-mark"[^>]*>([^<]+)<', pages).group(1),
    }
    assert marks == {"DRAF"}
