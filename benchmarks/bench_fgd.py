"""FGD figures: the pages of a big FGD (35 agencies, 300 attendees, 200 inputs) and its PDFs.

Budgets: pages within 300 ms median; each PDF within 10 s, QUALITY's budget for 100 pages (the
berita acara is rendered once, when signed; the other documents on each download).
"""

from benchmarks.common import fresh_database, measure, report, setup_django

fresh_database()
setup_django()

import datetime as dt  # noqa: E402
import io  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from fgd.documents import render_document  # noqa: E402
from fgd.models import Attendance, Input, Meeting  # noqa: E402
from rpjmd.models import User  # noqa: E402
from tests.factories import sign_in  # noqa: E402

call_command("demo", "--quiet")
meeting = Meeting.objects.get(plan__start_year=2021)  # the 2020 FGD, with its attendance
agencies = list({a.agency for a in meeting.attendances.exclude(agency=None)})
Attendance.objects.bulk_create(
    Attendance(
        meeting=meeting,
        guest_name=f"Peserta Tamu {n:03d}",
        guest_position="Staf perencanaan",
        agency=agencies[n % len(agencies)],
        guest_institution=agencies[n % len(agencies)].name,
        checked_in_at=meeting.starts_at + dt.timedelta(seconds=n),
        method="guest",
    )
    for n in range(300)
)
Input.objects.bulk_create(
    Input(
        meeting=meeting,
        agency=agencies[n % len(agencies)],
        speaker="Staf",
        kind="suggestion",
        text=f"Masukan nomor {n}: perbarui data indikator dengan sumber resmi terbaru.",
        response="accepted",
        response_reason="Sesuai data.",
        landed_in="Bab IV",
    )
    for n in range(200)
)
print(
    f"FGD with {meeting.attendances.count()} attendees, {meeting.inputs.count()} inputs, "
    f"{meeting.invitations.count()} invitations",
    flush=True,
)

planner = Client(HTTP_HOST="127.0.0.1")
sign_in(planner, User.objects.get(username="perencana"))
opd = Client(HTTP_HOST="127.0.0.1")
sign_in(opd, User.objects.get(username="opd.dinkes"))
for name, client, url in [
    ("meeting page (planner)", planner, f"/fgd/{meeting.pk}/"),
    ("meeting page (OPD)", opd, f"/fgd/{meeting.pk}/"),
    ("attendance page", planner, f"/fgd/{meeting.pk}/daftar-hadir/"),
    ("minutes page", planner, f"/fgd/{meeting.pk}/notulensi/"),
    ("meeting list", planner, f"/rencana/{meeting.plan_id}/fgd/"),
]:
    assert client.get(url).status_code == 200, url
    report(name, measure(lambda c=client, u=url: c.get(u), runs=20), budget_median_ms=300)

for slug in ["daftar-hadir", "notulensi", "berita-acara"]:
    pages = len(PdfReader(io.BytesIO(render_document(meeting, slug, draft=True))).pages)
    timings = measure(lambda s=slug: render_document(meeting, s, draft=True), runs=3, warmup=0)
    report(f"PDF {slug} ({pages} pages)", timings, budget_median_ms=10000)
