"""Demo strategic issues: the six isu strategis of Kutai Kartanegara's RPJMD 2021–2026, linked
to the demo problems and FGD inputs, scored by three raters, results open, one adoption."""

from __future__ import annotations

import json

from django.conf import settings as django_settings
from django.db import transaction

from issues.models import (
    Alignment,
    Criterion,
    IssueChange,
    Potential,
    Problem,
    Rater,
    Score,
    StrategicIssue,
    StrategicSettings,
)
from issues.strategic import workflow as strategic
from rpjmd.models import Agency, NationalPriority, Plan, Sdg, User

RATERS = ["perencana", "sumedi", "perencana.ekonomi"]


def _issues_file() -> list[str]:
    path = django_settings.BASE_DIR / "rpjmd" / "data" / "kutai_kartanegara.json"
    return json.loads(path.read_text(encoding="utf-8"))["isu_strategis_rpjmd_2021_2026"]


# For each of the six issues (in the JSON's order): words found in the demo problems and FGD
# inputs it gathers, its lead and supporting agencies, its RPJMN priority and SDGs, and a base
# score per criterion (each rater deviates a little, deterministically).
LINKS = [
    (["sekolah", "pembelajaran"], ["SMA/SMK"], "Disdikbud", [], "PN3", [4], 5),
    (["stunting", "puskesmas"], ["Stunting"], "Dinkes", ["DP2KB"], "PN3", [2, 3], 5),
    (
        ["jalan kabupaten", "drainase"],
        ["Panjang jalan", "hulu Mahakam"],
        "DPU",
        ["Dishub"],
        "PN5",
        [9],
        4,
    ),
    (["miskin"], ["kemiskinan"], "Dinsos", ["Disnakertrans", "DPMD"], "PN1", [1, 8], 4),
    (["banjir", "lubang bekas tambang"], [], "DLHK", ["BPBD"], "PN6", [6, 13], 3),
    (["pertambangan batu bara dan"], [], "Disperindag", ["Distanak", "Disbun"], "PN1", [8], 3),
]


# The potensi each issue builds on, by words of their titles (index into LINKS).
POTENTIAL_WORDS = {0: ["sekolah satu atap"], 1: ["posyandu"], 5: ["pertanian", "perikanan"]}


def _create_issues(plan: Plan, planner: User | None) -> None:
    agencies = {a.short_name: a for a in Agency.objects.filter(region=plan.region)}
    # Only accepted problems: Tabel 4.1 lists those, and the adopted issues cite its rows.
    problems = list(Problem.objects.filter(plan=plan, status=Problem.Status.ACCEPTED))
    # Through the reverse relations the FGD app adds (plan.meetings, meeting.inputs): the FGD
    # app sits above this one and is not imported here.
    inputs = [
        i for meeting in plan.meetings.prefetch_related("inputs") for i in meeting.inputs.all()
    ]
    potentials = list(Potential.objects.filter(plan=plan))
    for index, (title, (words, input_words, lead, supporting, pn, sdgs, _base)) in enumerate(
        zip(_issues_file(), LINKS, strict=True)
    ):
        issue = StrategicIssue.objects.create(
            plan=plan,
            title=title,
            description=f"Isu strategis RPJMD Kutai Kartanegara 2021–2026: {title.lower()}.",
            rationale="Disintesis dari permasalahan perangkat daerah dan masukan FGD "
            "identifikasi permasalahan, Maret 2020.",
            lead_agency=agencies.get(lead),
            created_by=planner,
        )
        issue.supporting_agencies.set([agencies[s] for s in supporting if s in agencies])
        issue.problems.set([p for p in problems if any(w in p.statement.lower() for w in words)])
        issue.fgd_inputs.set(
            [i for i in inputs if any(w.lower() in i.text.lower() for w in input_words)]
        )
        issue.potentials.set(
            [
                p
                for p in potentials
                if any(w in p.title.lower() for w in POTENTIAL_WORDS.get(index, []))
            ]
        )
        priority = NationalPriority.objects.filter(period=plan.rpjmn_period, code=pn).first()
        if priority:
            Alignment.objects.create(
                issue=issue,
                source=Alignment.Source.RPJMN,
                national_priority=priority,
                note=f"Selaras dengan {priority.code} RPJMN {plan.rpjmn_period}",
            )
        for sdg in Sdg.objects.filter(number__in=sdgs):
            Alignment.objects.create(
                issue=issue, source=Alignment.Source.SDG, sdg=sdg, note=f"TPB {sdg.number}"
            )
        Alignment.objects.create(
            issue=issue,
            source=Alignment.Source.PROVINCIAL,
            note="Sejalan dengan isu strategis RPJMD Provinsi Kalimantan Timur 2019–2023",
        )


def _score(plan: Plan, raters: list[Rater]) -> None:
    criteria = list(Criterion.objects.filter(plan=plan))
    settings = StrategicSettings.for_plan(plan)
    bases = dict(zip(_issues_file(), (link[-1] for link in LINKS), strict=True))
    for r_index, rater in enumerate(raters):
        for i_index, issue in enumerate(StrategicIssue.objects.filter(plan=plan)):
            base = bases.get(issue.title, 3)
            for c_index, criterion in enumerate(criteria):
                wobble = (r_index + i_index + c_index) % 3 - 1  # -1, 0 or +1
                value = min(settings.scale_max, max(settings.scale_min, base + wobble))
                Score.objects.create(rater=rater, issue=issue, criterion=criterion, value=value)


def load(plan: Plan) -> None:
    """Create what is missing; never re-create what a planner has changed or removed."""
    users = {u.username: u for u in User.objects.filter(username__in=RATERS)}
    planner = users.get("perencana")
    with transaction.atomic():
        if (
            not StrategicIssue.objects.filter(plan=plan).exists()
            and not IssueChange.objects.filter(plan=plan).exists()
        ):
            _create_issues(plan, planner)
        if not Criterion.objects.filter(plan=plan).exists():
            strategic.save_default_criteria(plan)
            # The technocratic stage: campaign promises cannot be scored yet.
            strategic.drop_political_promises(plan)
        raters = [
            Rater.objects.get_or_create(plan=plan, user=users[name])[0]
            for name in RATERS
            if name in users
        ]
        if not Score.objects.filter(rater__plan=plan).exists():
            _score(plan, raters)
            strategic.set_results_open(plan, True)
            if (
                planner
                and not IssueChange.objects.filter(plan=plan, kind=IssueChange.Kind.ADOPT).exists()
            ):
                strategic.adopt(
                    plan=plan,
                    by=planner,
                    top=6,
                    note="Rapat pembahasan isu strategis Bappeda bersama narasumber, April 2020",
                )
