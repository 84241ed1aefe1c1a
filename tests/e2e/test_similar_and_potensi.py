"""Similar problems and potensi in Chromium, on the demo: Dinkes staff typing a masalah see the
stunting problems already handed in (theirs, and the village agency's near-duplicate tabled at
the FGD) before they save; the planner merges the duplicate in one step; the narasumber's
potensi from the FGD of 7 March 2020 stands in Bab IV's table."""

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from issues.models import Potential, Problem
from rpjmd.demo import DEMO_PASSWORD
from tests.e2e.conftest import SCREENSHOTS, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TYPED = "Prevalensi stunting balita di desa tinggi karena sanitasi dan air bersih buruk"
KEEP = Path("/work/wt/shots/similar")


def keep(page, name: str) -> None:
    """A screenshot for people to look at (var/screenshots), copied for the team if it can be."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if KEEP.is_dir():
        shutil.copy(path, KEEP / path.name)


@pytest.fixture
def demo():
    call_command("demo", "--quiet")


def test_typing_a_masalah_shows_similar_problems_before_saving(page, demo):
    log_in(page, "opd.dinkes", DEMO_PASSWORD)
    plan = Problem.objects.get(agency__short_name="DPMD", plan__start_year=2021).plan
    page.goto(f"/rencana/{plan.pk}/permasalahan/baru/")
    statement = page.get_by_label("Masalah", exact=True)
    statement.press_sequentially(TYPED, delay=5)
    suggestions = page.locator("#similar-problems .similar-problem")
    expect(suggestions.first).to_be_visible()
    own = Problem.objects.get(
        agency__short_name="Dinkes", statement__startswith="Prevalensi", plan__start_year=2021
    )
    village = Problem.objects.get(agency__short_name="DPMD", plan__start_year=2021)
    expect(page.locator("#similar-problems")).to_contain_text(f"#{own.pk}")
    expect(page.locator("#similar-problems")).to_contain_text(f"#{village.pk}")
    expect(page.locator("#similar-problems")).to_contain_text("DPMD")
    expect(page.locator("#similar-problems")).to_contain_text("Diajukan")
    keep(page, "similar-while-typing")
    # Nothing was saved by typing.
    assert Problem.objects.filter(statement=TYPED).count() == 0


def test_the_planner_merges_the_near_duplicate_from_its_review_page(page, demo):
    log_in(page, "perencana", DEMO_PASSWORD)
    village = Problem.objects.get(agency__short_name="DPMD", plan__start_year=2021)
    own = Problem.objects.get(
        agency__short_name="Dinkes", statement__startswith="Prevalensi", plan__start_year=2021
    )
    page.goto(f"/permasalahan/{village.pk}/")
    section = page.locator("section", has=page.get_by_role("heading", name="Permasalahan serupa"))
    expect(section).to_contain_text(f"#{own.pk}")
    keep(page, "similar-on-review-page")
    page.once("dialog", lambda dialog: dialog.accept())
    section.get_by_role("button", name=f"Gabungkan ke #{own.pk}").click()
    expect(page.locator("#workflow")).to_contain_text("Duplikat")
    village.refresh_from_db()
    assert village.status == Problem.Status.DUPLICATE and village.duplicate_of == own


def test_the_narasumbers_potensi_from_the_fgd_is_tabled_in_chapter_four(page, demo):
    log_in(page, "sumedi", DEMO_PASSWORD)
    fishing = Potential.objects.get(title__startswith="Perikanan")
    page.goto(f"/rencana/{fishing.plan_id}/potensi/")
    expect(page.get_by_role("link", name=fishing.title)).to_be_visible()
    page.get_by_role("link", name=fishing.title).click()
    expect(page.locator("main")).to_contain_text("7 Maret 2020")
    keep(page, "potensi-from-fgd-input")
