"""The history of a section follows the visibility of its drafts (issue 13): staff of another
agency read an approved section, and its approved versions, but never the unfinished drafts
before them."""

from __future__ import annotations

import pytest

from drafts import editing
from drafts.permissions import can_read_unfinished
from tests.drafts.factories import make_section

pytestmark = pytest.mark.django_db

DRAFT_1 = "Draf-awal-rahasia-Disdikbud"
APPROVED_2 = "Teks-disetujui-pertama"
DRAFT_3 = "Draf-revisi-rahasia"
APPROVED_4 = "Teks-disetujui-kedua"


@pytest.fixture
def approved_twice(world):
    """Agency A's section: v1 draft, v2 approved, v3 draft (approval lifted), v4 approved."""
    section = make_section(
        world.plan, agency=world.agency_a, body=f"<p>{DRAFT_1}</p>", by=world.staff_a
    )
    editing.save_section(
        section_id=section.pk, body=f"<p>{APPROVED_2}</p>", base_version=1, by=world.staff_a
    )
    editing.change_status(section=section, action="approve", by=world.planner)
    editing.save_section(
        section_id=section.pk, body=f"<p>{DRAFT_3}</p>", base_version=2, by=world.staff_a
    )
    editing.save_section(
        section_id=section.pk, body=f"<p>{APPROVED_4}</p>", base_version=3, by=world.staff_a
    )
    editing.change_status(section=section, action="approve", by=world.planner)
    section.refresh_from_db()
    assert section.version == 4 and section.status == "approved"
    return section


def test_another_agency_sees_only_the_approved_versions(world, client_for, approved_twice):
    section = approved_twice
    other = client_for("opd_b")
    listing = other.get(f"/bagian/{section.pk}/versi/")
    assert listing.status_code == 200
    text = listing.text
    assert f"/bagian/{section.pk}/versi/2/" in text and f"/bagian/{section.pk}/versi/4/" in text
    assert f"/bagian/{section.pk}/versi/1/" not in text
    assert f"/bagian/{section.pk}/versi/3/" not in text
    # "Perubahan" compares an approved version with the approved one before it.
    assert "?a=2&amp;b=4" in text and "?a=3&amp;b=4" not in text
    for hidden in (1, 3):
        assert other.get(f"/bagian/{section.pk}/versi/{hidden}/").status_code == 404
    assert APPROVED_2 in other.get(f"/bagian/{section.pk}/versi/2/").text
    # Comparisons that would reveal a draft are refused; approved ones open.
    for query in ("a=1&b=2", "a=2&b=3", "a=3&b=4"):
        assert other.get(f"/bagian/{section.pk}/bandingkan/?{query}").status_code == 404, query
    page = other.get(f"/bagian/{section.pk}/bandingkan/?a=2&b=4")
    assert page.status_code == 200
    assert DRAFT_1 not in page.text and DRAFT_3 not in page.text
    # The default comparison is the last two approved versions.
    default = other.get(f"/bagian/{section.pk}/bandingkan/")
    assert default.status_code == 200
    assert APPROVED_2 in default.text and DRAFT_3 not in default.text


def test_the_section_owner_and_bappeda_see_every_version(world, client_for, approved_twice):
    section = approved_twice
    for role in ("opd", "planner", "leader"):
        client = client_for(role)
        text = client.get(f"/bagian/{section.pk}/versi/").text
        for version in (1, 2, 3, 4):
            assert f"/bagian/{section.pk}/versi/{version}/" in text, (role, version)
        assert DRAFT_3 in client.get(f"/bagian/{section.pk}/versi/3/").text, role
        assert client.get(f"/bagian/{section.pk}/bandingkan/?a=1&b=3").status_code == 200


def test_a_never_approved_history_stays_hidden_once_approved(world, client_for):
    section = make_section(
        world.plan, agency=world.agency_a, body=f"<p>{DRAFT_1}</p>", by=world.staff_a
    )
    other = client_for("opd_b")
    assert other.get(f"/bagian/{section.pk}/versi/").status_code == 404  # not approved: unseen
    editing.save_section(
        section_id=section.pk, body=f"<p>{APPROVED_2}</p>", base_version=1, by=world.staff_a
    )
    editing.change_status(section=section, action="approve", by=world.planner)
    text = other.get(f"/bagian/{section.pk}/versi/").text
    assert f"/bagian/{section.pk}/versi/2/" in text
    assert f"/bagian/{section.pk}/versi/1/" not in text
    assert "bandingkan" not in text.split("Semua perubahan")[0]  # one approved: nothing to compare
    assert other.get(f"/bagian/{section.pk}/versi/1/").status_code == 404
    assert other.get(f"/bagian/{section.pk}/bandingkan/").status_code == 200
    assert DRAFT_1 not in other.get(f"/bagian/{section.pk}/bandingkan/").text


def test_a_deactivated_account_reads_no_unfinished_version(world):
    section = make_section(world.plan, agency=world.agency_a)
    planner = world.planner
    assert can_read_unfinished(planner, section)
    planner.is_active = False
    assert not can_read_unfinished(planner, section)
