import pytest

from drafts.outline import create_document
from tests.drafts.factories import make_section


@pytest.fixture
def document(world):
    """The world's plan with its document created from the outline, as a planner would."""
    return create_document(plan=world.plan, by=world.planner)


@pytest.fixture
def section_a(world):
    """A section of chapter II assigned to agency A (Disdikbud), already written once."""
    return make_section(
        world.plan,
        agency=world.agency_a,
        body="<p>Angka partisipasi sekolah meningkat.</p><p>Ruang kelas rusak berkurang.</p>",
        by=world.staff_a,
        title="Urusan Wajib Pelayanan Dasar",
    )
