import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Every test stores its evidence files in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT / "private" / "attachments"


@pytest.fixture
def affairs(world):
    """The two agencies' bidang urusan, as the reference data gives them."""
    from tests.issues.factories import affair

    education, health = affair("1.01", "Pendidikan"), affair("1.02", "Kesehatan")
    world.agency_a.affairs.add(education)
    world.agency_b.affairs.add(health)
    return {"education": education, "health": health}
