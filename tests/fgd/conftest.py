import pytest

from tests.fgd.factories import make_agenda_item, scoped_meeting


@pytest.fixture
def meeting(world):
    """An FGD in half an hour: agency A (staff_a) and the narasumber (resource_person) invited."""
    return scoped_meeting(world)


@pytest.fixture
def agenda_item(meeting):
    return make_agenda_item(meeting, title="Paparan arah kebijakan RPJMN")
