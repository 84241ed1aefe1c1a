"""Accessibility in Chromium (issue 8): axe-core on every page of every role, the keyboard alone,
visible focus, and form errors that assistive technology announces. The same visit checks each
page at a phone's width (issue 16): nothing may poke out past 390 px.

The pages come from the authorization matrix: every route whose GET answers 200 for a role is
visited as that role's demo user, with the matrix's own kwargs builders run against a World made
of the demo's objects. A route that is not an HTML page (downloads, JSON, htmx fragments) must be
in NOT_PAGES with its reason, so a new page cannot slip past the walk.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from rpjmd.demo import DEMO_PASSWORD
from rpjmd.models import Agency, Plan, User
from tests.authz_matrix import MATRIX
from tests.conftest import World
from tests.e2e.conftest import SCREENSHOTS, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The demo user who plays each role of the matrix.
ACCOUNTS = {
    "planner": "perencana",
    "opd": "opd.disdikbud",
    "resource_person": "sumedi",
    "leader": "wiyono",
    "admin": "admin",
}

# Routes that answer 200 on GET but are not pages a person reads in the browser (reviewed).
NOT_PAGES = {
    "health": "JSON for the load balancer's health check",
    "drafts:references": "JSON for the editor's cross-reference picker",
    "drafts:block_preview": "htmx fragment inside the editor, checked on the section edit page",
    "drafts:image": "image file embedded in sections",
    "fgd:document": "PDF download (attendance list, minutes, official record)",
    "issues:attachment_download": "file download",
    "issues:export_csv": "CSV download",
    "issues:export_table": "XLSX download",
    "issues:template": "XLSX import template download",
    "strategic:export": "XLSX download of the strategic issue results",
    "drafts:export_download": "PDF download of an export",
    "drafts:export_latest": "PDF download of the newest export",
    "drafts:chapter_pdf": "PDF preview of a chapter",
    "drafts:export_progress": "htmx fragment of one export row, checked on the export page",
    "fgd:addendum_document": "PDF download of an issued addendum",
    "regional:indicator_template": "XLSX import template download",
    "regional:finance_template": "XLSX import template download",
    "regional:evaluation_template": "XLSX import template download",
    "issues:similar": "htmx fragment under the masalah field, checked on the problem form",
}

# What fails the walk: axe's two worst impact levels. Moderate and minor are printed only.
BLOCKING = {"serious", "critical"}

# Chromium renders this page width; the layout switches below 48rem and is walked at 1280 px.
VIEWPORT = {"width": 1280, "height": 900}

# A phone held upright (issue 16): OPD staff check in to an FGD and follow up on theirs.
PHONE = {"width": 390, "height": 844}

# What pokes out: the elements that reach past the viewport's right edge while their parent does
# not (so the culprit is named, not every ancestor it drags along), skipping whatever sits inside
# a box that scrolls or clips on its own (a wide table in .table-wrap is fine).
OVERFLOW_SCRIPT = """() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    if (root.scrollWidth <= width) return null;
    // A box clips what it contains, but an absolutely placed element only from its containing
    // block (offsetParent) outwards: a hidden label in a scrolled table escapes otherwise.
    const clipped = (el) => {
        const placed = ['absolute', 'fixed'].includes(getComputedStyle(el).position);
        const start = placed ? el.offsetParent : el.parentElement;
        for (let p = start; p && p !== document.body; p = p.parentElement) {
            if (getComputedStyle(p).overflowX !== 'visible') return true;
        }
        return false;
    };
    const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + [...el.classList].map((c) => '.' + c).join('')
        + (el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : '');
    const culprits = [];
    for (const el of document.body.querySelectorAll('*')) {
        const right = el.getBoundingClientRect().right;
        if (right <= width + 1 || clipped(el)) continue;
        const parent = el.parentElement;
        const parentRight = parent ? parent.getBoundingClientRect().right : 0;
        if (parent && parent !== document.body && parentRight > width + 1) continue;
        const where = parent ? name(parent) : '-';
        culprits.push(`${name(el)} (right edge ${Math.round(right)} px, in ${where})`);
        if (culprits.length === 5) break;
    }
    return {scrollWidth: root.scrollWidth, width, culprits};
}"""


def demo_world() -> World:
    """The matrix's World, cast from the demo: agency A is Disdikbud, as opd.disdikbud."""
    plan = Plan.objects.select_related("region").get(start_year=2021)
    agencies = {a.short_name: a for a in Agency.objects.filter(region=plan.region)}
    users = {role: User.objects.get(username=name) for role, name in ACCOUNTS.items()}
    return World(
        region=plan.region,
        agency_a=agencies["Disdikbud"],
        agency_b=agencies["Dinkes"],
        bappeda=agencies["Bappeda"],
        plan=plan,
        stage=plan.stages.order_by("order").first(),
        staff_a=users["opd"],
        staff_b=User.objects.get(username="opd.dinkes"),
        planner=users["planner"],
        resource_person=users["resource_person"],
        leader=users["leader"],
        admin=users["admin"],
        # Outsiders are for the 404 walk, not for pages anyone reads: no builder uses them.
        other_region=None,
        other_plan=None,
        other_stage=None,
        other_planner=None,
        other_staff=None,
    )


def pages_by_role(world: World) -> dict[str, list[tuple[str, str]]]:
    """(route name, path) of every page each role may GET, each route's kwargs built once."""
    paths = {}
    pages: dict[str, list[tuple[str, str]]] = {role: [] for role in ACCOUNTS}
    for name, route in sorted(MATRIX.items()):
        roles = [role for role in ACCOUNTS if route.get[role] == 200]
        if not roles or name in NOT_PAGES:
            continue
        paths[name] = reverse(name, kwargs=route.kwargs(world))
        for role in roles:
            pages[role].append((name, paths[name]))
    return pages


def wait_for_editor(page) -> None:
    # Polled from here: wait_for_function evaluates strings, which the CSP would refuse.
    for _ in range(100):
        if page.evaluate("() => !!(window.tinymce?.activeEditor?.initialized)"):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the editor did not start on {page.url}")


def blocking(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.fixture
def axe_page(browser, live_server):
    # axe is injected with page.evaluate; bypass_csp keeps the strict CSP of the app from
    # refusing it, in a context of its own so the other browser tests still run under the CSP.
    context = browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        timezone_id="Asia/Makassar",
        viewport=VIEWPORT,
        bypass_csp=True,
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


class Walk:
    """One role's walk: axe on each page, then the same page at a phone's width."""

    def __init__(self, page):
        self.page = page
        self.axe = Axe()
        self.failures: dict[str, list[str]] = {}
        self.wide: dict[str, dict] = {}
        self.minor: Counter = Counter()
        self.visited = 0

    def check(self, label: str) -> None:
        page = self.page
        results = self.axe.run(page)
        self.visited += 1
        # The same page at a phone's width (one visit serves both walks): nothing pokes out.
        page.set_viewport_size(PHONE)
        too_wide = page.evaluate(OVERFLOW_SCRIPT)
        page.set_viewport_size(VIEWPORT)
        if too_wide:
            self.wide[label] = too_wide
        found = blocking(results)
        for violation in results.response["violations"]:
            if violation["impact"] not in BLOCKING:
                self.minor[f"{violation['id']} ({violation['impact']})"] += 1
        if found:
            self.failures[label] = found
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            safe = label.replace("/", "_").replace(":", "_").replace(" ", "_")
            page.screenshot(path=str(SCREENSHOTS / f"axe-{safe}.png"), full_page=True)

    def report(self, who: str) -> str:
        """What the walk saw, printed at the end of the run (tests/conftest.py)."""
        lines = [
            f"axe-core, {who}: {self.visited} pages, {len(self.failures)} with serious/critical"
        ]
        for label, found in self.failures.items():
            lines.append(f"  {label}:\n    " + "\n    ".join(found))
        if self.minor:
            lines.append(
                "  moderate/minor (not blocking): "
                + ", ".join(f"{k} ×{n}" for k, n in self.minor.items())
            )
        lines.append(f"  phone width {PHONE['width']} px: {len(self.wide)} pages wider")
        for label, found in self.wide.items():
            culprits = "\n    ".join(found["culprits"])
            lines.append(f"  {label}: {found['scrollWidth']} px wide\n    {culprits}")
        return "\n".join(lines)

    def verdict(self) -> None:
        assert not self.failures, (
            f"serious or critical axe violations on {len(self.failures)} pages"
        )
        assert not self.wide, f"{len(self.wide)} pages are wider than a {PHONE['width']} px phone"


def test_the_pages_before_login_pass_axe_fit_a_phone_and_the_walk_can_fail(
    axe_page, record_property
):
    page = axe_page
    call_command("demo", "--quiet")
    walk = Walk(page)
    # Anonymous: the login page, and the error page anyone may meet.
    page.goto("/masuk/")
    walk.check("anonymous login")
    page.goto("/tidak-ada/")
    walk.check("anonymous 404")
    page.goto("/masuk/")

    # The authenticator-code step of a planner's login (only reached by logging in).
    page.get_by_label("Nama pengguna").fill("perencana")
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile("/akun/dua-langkah/verifikasi/"))
    walk.check("planner two-factor code step")

    # The walk can fail: an image without a text alternative is caught, and a block wider
    # than the phone is caught and named.
    page.evaluate("() => document.querySelector('main').append(document.createElement('img'))")
    assert any(v["id"] == "image-alt" for v in walk.axe.run(page).response["violations"])
    page.set_viewport_size(PHONE)
    page.evaluate(
        "() => { const wide = document.createElement('div'); wide.id = 'too-wide';"
        " wide.style.width = '600px'; wide.style.height = '1px';"
        " document.querySelector('main').append(wide); }"
    )
    caught = page.evaluate(OVERFLOW_SCRIPT)
    assert caught and any(c.startswith("div#too-wide") for c in caught["culprits"]), caught
    record_property("report", walk.report("before login"))
    walk.verdict()


# One test per role, so that `make e2e`'s two processes share the walk (about 230 pages).
@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_every_page_of_a_role_passes_axe_and_fits_a_phone(role, axe_page, record_property):
    page = axe_page
    call_command("demo", "--quiet")
    world = demo_world()
    pages = pages_by_role(world)[role]
    assert set(NOT_PAGES) <= set(MATRIX), "NOT_PAGES names a route that no longer exists"
    assert pages, f"the matrix gives {role} no page to walk"
    walk = Walk(page)
    log_in(page, ACCOUNTS[role], DEMO_PASSWORD)
    expect(page.locator("main")).to_be_visible()
    walk.check(f"{role} after login ({page.url})")
    for name, path in pages:
        response = page.goto(path)
        assert response is not None and response.status == 200, (role, name, path)
        if page.locator("#editor-form").count():
            wait_for_editor(page)  # the editor's own buttons and menus are scanned too
        walk.check(f"{role} {name} {path}")
    record_property("report", walk.report(f"{role} ({ACCOUNTS[role]})"))
    walk.verdict()


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                id: el.id, tag: el.tagName, name: el.getAttribute('name'),
                text: (el.textContent || '').trim(), href: el.getAttribute('href'),
                inNav: !!el.closest('nav.main-nav'),
                outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
            };
        }"""
    )


def tab_until(page, wanted, limit: int = 40) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if wanted(now):
            return now
    raise AssertionError(f"Tab never reached the element; last focus: {focused(page)}")


def test_keyboard_only_login_skip_link_and_main_navigation_with_visible_focus(page, live_server):
    call_command("demo", "--quiet")
    page.goto("/masuk/")
    # Log in with the keyboard alone: the name field has the focus (or is reached with Tab),
    # Tab moves to the password, Enter submits. (OPD staff: no authenticator code step.)
    if focused(page)["name"] != "username":
        tab_until(page, lambda f: f["name"] == "username")
    page.keyboard.type("opd.disdikbud")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "password"
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Rancangan Teknokratik RPJMD")
    # The first Tab on a page lands on the skip link, which shows up with a drawn focus ring.
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["href"] == "#main", first
    assert first["outline"] != "none" and first["outlineWidth"] >= 2, first
    expect(page.locator(".skip-link")).to_be_in_viewport()
    # The skip link moves focus into the main content.
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    # From the top, Tab reaches the main navigation; a link is followed with Enter, and the
    # focused link shows its focus ring.
    page.goto(page.url)
    link = tab_until(page, lambda f: f["inNav"] and f["text"] == "Rencana")
    assert link["outline"] != "none" and link["outlineWidth"] >= 2, link
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/rencana/")
    expect(page.locator("h1")).to_be_visible()


def test_form_errors_are_announced_and_tied_to_their_fields(page):
    call_command("demo", "--quiet")
    # A wrong password: the summary is an alert.
    log_in(page, "perencana", "salah-sekali")
    expect(page.get_by_role("alert")).to_be_visible()
    log_in(page, "perencana", DEMO_PASSWORD)
    # An empty form: each field is marked invalid and described by its own error message.
    page.goto("/akun/kata-sandi/")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()
    invalid = page.locator("main form [aria-invalid=true]")
    expect(invalid.first).to_be_visible()
    assert invalid.count() >= 2
    for n in range(invalid.count()):
        field = invalid.nth(n)
        described = (field.get_attribute("aria-describedby") or "").split()
        error_ids = [i for i in described if i.endswith("_error")]
        assert error_ids, field.get_attribute("name")
        expect(page.locator(f"#{error_ids[0]}")).not_to_be_empty()
