"""Strategic issues (isu strategis): mapping problems, merge/split, criteria, scoring, adoption.

Views stay thin; every write here runs in one transaction. The arithmetic is
issues/strategic/scoring.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from issues.models import (
    Criterion,
    IssueChange,
    NotStrategic,
    Problem,
    Rater,
    Score,
    StrategicIssue,
    StrategicSettings,
)
from issues.strategic.scoring import compute_results
from issues.tables import problem_numbers
from rpjmd.models import Plan, Stage, User
from rpjmd.requests import positive_int

CRITERIA_FILE = Path(__file__).parent.parent / "data" / "kriteria_isu_strategis.json"
POLITICAL = "janji politik"


def default_criteria() -> tuple[dict, list[dict]]:
    """The six Permendagri 54/2010 criteria and weights, and the default scale."""
    data = json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))
    return data["skala_default"], [
        {"name": c["nama"], "weight": c["bobot"]} for c in data["kriteria"]
    ]


# --- Problems: mapped, unmapped, not strategic ------------------------------------------------


def accepted_problems(plan: Plan):
    return Problem.objects.filter(plan=plan, status=Problem.Status.ACCEPTED)


def unmapped_problems(plan: Plan):
    """Accepted problems neither in an issue nor marked not strategic: the planner's to-do."""
    return (
        accepted_problems(plan)
        .filter(strategic_issues__isnull=True, not_strategic__isnull=True)
        .select_related("agency", "core_problem")
        .defer("search_text")
        .order_by("agency__short_name", "pk")
    )


def mark_not_strategic(*, problems, reason: str, by: User) -> int:
    with transaction.atomic():
        count = 0
        for problem in problems:
            NotStrategic.objects.update_or_create(
                problem=problem, defaults={"reason": reason, "by": by, "at": timezone.now()}
            )
            count += 1
        return count


def restore_problem(problem: Problem) -> None:
    with transaction.atomic():
        NotStrategic.objects.filter(problem=problem).delete()


def link_problems(issue: StrategicIssue, problems) -> None:
    with transaction.atomic():
        problems = list(problems)
        issue.problems.add(*problems)
        # Linked means considered: a "not strategic" mark no longer applies.
        NotStrategic.objects.filter(problem__in=problems).delete()


# --- Merge and split ----------------------------------------------------------------------------


def merge(*, keep: StrategicIssue, absorb: StrategicIssue, by: User) -> StrategicIssue:
    """`absorb` joins `keep`: its problems, FGD inputs, agencies and alignments move over, its
    scores go (they judged another wording), the change is recorded, then it is deleted."""
    if keep.pk == absorb.pk or keep.plan_id != absorb.plan_id:
        raise ValidationError(_("Pilih isu strategis lain dari rencana yang sama."))
    with transaction.atomic():
        problem_ids = sorted(absorb.problems.values_list("pk", flat=True))
        input_ids = sorted(absorb.fgd_inputs.values_list("pk", flat=True))
        # The inputs' history names who moved them (here and when `absorb` is deleted below).
        keep._history_user = absorb._history_user = by
        keep.problems.add(*problem_ids)
        keep.fgd_inputs.add(*input_ids)
        supporting = list(absorb.supporting_agencies.all())
        if absorb.lead_agency_id and absorb.lead_agency_id != keep.lead_agency_id:
            supporting.append(absorb.lead_agency)
        keep.supporting_agencies.add(*[a for a in supporting if a.pk != keep.lead_agency_id])
        for alignment in absorb.alignments.all():
            alignment.issue = keep
            alignment.save()
        IssueChange.objects.create(
            plan=keep.plan,
            kind=IssueChange.Kind.MERGE,
            summary=_("“%(absorbed)s” digabung ke dalam “%(kept)s”.")
            % {"absorbed": absorb.title, "kept": keep.title},
            details={
                "kept": keep.pk,
                "absorbed": absorb.pk,
                "absorbed_title": absorb.title,
                "problems": problem_ids,
                "fgd_inputs": input_ids,
            },
            by=by,
        )
        absorb.delete()
    return keep


def split(
    *, issue: StrategicIssue, title: str, problems, fgd_inputs=(), by: User
) -> StrategicIssue:
    """A new issue takes the chosen problems away from `issue`; agencies and alignments are
    copied so both keep their sources. Every problem stays linked somewhere. The chosen FGD
    inputs are linked to the new issue and stay linked to `issue` too ("masukan FGD untuk isu
    baru" on the form): one narasumber's remark often backs both halves of what was one issue,
    and the planner unlinks it on the old issue's page where it does not."""
    problems, fgd_inputs = list(problems), list(fgd_inputs)
    if not problems:
        raise ValidationError(_("Pilih sedikitnya satu permasalahan untuk isu baru."))
    with transaction.atomic():
        new = StrategicIssue.objects.create(
            plan=issue.plan,
            title=title,
            description=issue.description,
            rationale=issue.rationale,
            lead_agency=issue.lead_agency,
            created_by=by,
        )
        new.supporting_agencies.set(issue.supporting_agencies.all())
        for alignment in issue.alignments.all():
            alignment.pk = None
            alignment.issue = new
            alignment.save()
        new.problems.add(*problems)
        issue.problems.remove(*problems)
        if fgd_inputs:
            new._history_user = by  # named in the moved inputs' history
            new.fgd_inputs.add(*fgd_inputs)
        IssueChange.objects.create(
            plan=issue.plan,
            kind=IssueChange.Kind.SPLIT,
            summary=_("“%(new)s” dipecah dari “%(old)s”.") % {"new": title, "old": issue.title},
            details={
                "from": issue.pk,
                "new": new.pk,
                "problems": sorted(p.pk for p in problems),
                "fgd_inputs": sorted(i.pk for i in fgd_inputs),
            },
            by=by,
        )
    return new


# --- Criteria ------------------------------------------------------------------------------------


def reweight(weights: list[int], total: int = 100) -> list[int]:
    """Scale whole-number weights to add up to `total`, keeping proportions (largest remainder;
    equal remainders go to the earlier criterion)."""
    base = sum(weights)
    if base <= 0:
        raise ValueError("weights must add up to more than zero")
    exact = [Fraction(w * total, base) for w in weights]
    floors = [int(e) for e in exact]
    left = total - sum(floors)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for index in by_remainder[:left]:
        floors[index] += 1
    return floors


def save_default_criteria(plan: Plan) -> None:
    scale, criteria = default_criteria()
    with transaction.atomic():
        settings = StrategicSettings.for_plan(plan)
        settings.scale_min, settings.scale_max = scale["min"], scale["max"]
        settings.save()
        for order, item in enumerate(criteria, start=1):
            Criterion.objects.create(plan=plan, order=order, **item)


def drop_political_promises(plan: Plan) -> Criterion | None:
    """The technocratic stage cannot score campaign promises: drop that criterion and re-weight
    the others to 100 in proportion. Returns the dropped criterion (None if there was none)."""
    with transaction.atomic():
        criteria = list(Criterion.objects.filter(plan=plan).select_for_update())
        political = next((c for c in criteria if POLITICAL in c.name.lower()), None)
        rest = [c for c in criteria if c is not political]
        if political is None or not rest:
            return None
        political.delete()
        for criterion, weight in zip(rest, reweight([c.weight for c in rest]), strict=True):
            if criterion.weight != weight:
                criterion.weight = weight
                criterion.save()
        # The criteria page is guarded by the settings' version: a form opened before this
        # must not put the criterion back.
        settings = StrategicSettings.for_plan(plan)
        if settings.pk is not None:
            settings.save()
        return political


# --- Scoring --------------------------------------------------------------------------------------


def rater_for(user: User, plan: Plan) -> Rater | None:
    if not user.is_authenticated:
        return None
    return Rater.objects.active().filter(plan=plan, user=user).first()


def sheet_size(plan: Plan) -> int:
    return (
        StrategicIssue.objects.filter(plan=plan).count()
        * Criterion.objects.filter(plan=plan).count()
    )


def progress(rater: Rater) -> tuple[int, int]:
    """(scores given, scores needed) on the rater's sheet."""
    plan = rater.plan
    done = Score.objects.filter(rater=rater, issue__plan=plan, criterion__plan=plan).count()
    return done, sheet_size(plan)


def save_scores(*, rater: Rater, values: dict[tuple[int, int], str]) -> int:
    """Save `values[(issue_id, criterion_id)]` for the rater; an empty value clears the score.
    Everything is checked first: all saved or none."""
    plan = rater.plan
    settings = StrategicSettings.for_plan(plan)
    if settings.results_open:
        raise ValidationError(
            _("Hasil sudah dibuka; penilaian ditutup sampai perencana membukanya kembali.")
        )
    issues = set(StrategicIssue.objects.filter(plan=plan).values_list("pk", flat=True))
    criteria = set(Criterion.objects.filter(plan=plan).values_list("pk", flat=True))
    cleaned = {}
    for (issue_id, criterion_id), raw in values.items():
        if issue_id not in issues or criterion_id not in criteria:
            raise ValidationError(_("Isu atau kriteria tidak dikenal."))
        raw = (raw or "").strip()
        if raw == "":
            cleaned[(issue_id, criterion_id)] = None
            continue
        value = positive_int(raw, minimum=0)
        if value is None or value not in settings.scale:
            raise ValidationError(
                _("Nilai harus bilangan bulat dari %(min)s sampai %(max)s.")
                % {"min": settings.scale_min, "max": settings.scale_max}
            )
        cleaned[(issue_id, criterion_id)] = value
    with transaction.atomic():
        for (issue_id, criterion_id), value in cleaned.items():
            if value is None:
                for score in Score.objects.filter(
                    rater=rater, issue_id=issue_id, criterion_id=criterion_id
                ):
                    score.delete()
                continue
            score, created = Score.objects.get_or_create(
                rater=rater, issue_id=issue_id, criterion_id=criterion_id, defaults={"value": value}
            )
            if not created and score.value != value:
                score.value = value
                score.save()
    return len(cleaned)


def set_results_open(plan: Plan, is_open: bool) -> StrategicSettings:
    with transaction.atomic():
        settings = StrategicSettings.for_plan(plan)
        settings.results_open = is_open
        settings.results_opened_at = timezone.now() if is_open else None
        settings.save()
    return settings


@dataclass
class Row:
    issue: StrategicIssue
    rank: int | None
    score: Fraction | None
    spread: Fraction | None
    missing: list[User]
    rater_totals: dict[int, Fraction]


def results(plan: Plan) -> list[Row]:
    issues = {i.pk: i for i in StrategicIssue.objects.filter(plan=plan)}
    criteria = {c.pk: c.weight for c in Criterion.objects.filter(plan=plan) if c.weight > 0}
    raters = {r.pk: r.user for r in Rater.objects.active().filter(plan=plan).select_related("user")}
    if not issues or not criteria:
        return [Row(i, None, None, None, list(raters.values()), {}) for i in issues.values()]
    # Tuples, not model instances: thousands of scores are read on every results page.
    scores = {
        (rater, issue, criterion): value
        for rater, issue, criterion, value in Score.objects.filter(
            rater__plan=plan, rater__active=True, criterion_id__in=criteria
        ).values_list("rater_id", "issue_id", "criterion_id", "value")
    }
    return [
        Row(
            issue=issues[r.issue],
            rank=r.rank,
            score=r.score,
            spread=r.spread,
            missing=[raters[m] for m in r.missing_raters],
            rater_totals=r.rater_totals,
        )
        for r in compute_results(issues=issues, criteria=criteria, raters=raters, scores=scores)
    ]


# --- Adoption -----------------------------------------------------------------------------------


def adoption_locked(plan: Plan) -> bool:
    """After the finalisation stage closes, the adopted list is part of the submitted draft."""
    stage = plan.stage_of_kind(Stage.Kind.FINALISATION)
    return stage is not None and stage.state == Stage.State.CLOSED


def pending_problems(issues) -> dict[int, list[Problem]]:
    """Issue id → the problems behind it that are not accepted (submitted, returned…)."""
    pending: dict[int, list[Problem]] = {}
    through = StrategicIssue.problems.through.objects.filter(
        strategicissue__in=[i.pk for i in issues]
    ).exclude(problem__status=Problem.Status.ACCEPTED)
    for link in through.select_related("problem"):
        pending.setdefault(link.strategicissue_id, []).append(link.problem)
    return pending


def adopt(
    *,
    plan: Plan,
    by: User,
    top: int | None = None,
    threshold=None,
    note: str = "",
    reasons: dict[int, str] | None = None,
) -> list[StrategicIssue]:
    """Adopt the top `top` ranked issues, or those scoring at least `threshold`.

    Chapter IV must hold together: an issue rests on problems of Tabel 4.1, which lists accepted
    problems only. So an issue with a problem not accepted is adopted only with a reason for that
    issue (`reasons[issue_id]`, or one recorded before), which the ranking block prints."""
    if adoption_locked(plan):
        raise ValidationError(_("Tahapan finalisasi sudah ditutup; daftar isu strategis terkunci."))
    if not StrategicSettings.for_plan(plan).results_open:
        raise ValidationError(_("Buka hasil penilaian sebelum menetapkan isu strategis."))
    ranked = [r for r in results(plan) if r.rank is not None]
    if top is not None:
        chosen = ranked[:top]
    else:
        chosen = [r for r in ranked if r.score >= Fraction(str(threshold))]
    if not chosen:
        raise ValidationError(_("Tidak ada isu strategis yang memenuhi pilihan ini."))
    reasons = {k: (v or "").strip() for k, v in (reasons or {}).items()}
    pending = pending_problems([r.issue for r in chosen])
    missing = [
        r.issue
        for r in chosen
        if r.issue.pk in pending and not (reasons.get(r.issue.pk) or r.issue.adoption_reason)
    ]
    if missing:
        raise ValidationError(
            _(
                "Isu strategis berikut bersandar pada permasalahan yang belum diterima: "
                "%(issues)s. Terima permasalahannya dahulu, atau tuliskan alasan penetapan "
                "untuk isu tersebut."
            )
            % {
                "issues": "; ".join(
                    "“{}” ({})".format(
                        i.title,
                        ", ".join(f"#{p.pk} {p.get_status_display()}" for p in pending[i.pk]),
                    )
                    for i in missing
                )
            }
        )
    with transaction.atomic():
        chosen_ids = {r.issue.pk for r in chosen}
        for row in results(plan):
            issue = row.issue
            rank = row.rank if issue.pk in chosen_ids else None
            reason = issue.adoption_reason
            if rank is not None and reasons.get(issue.pk):
                reason = reasons[issue.pk]
            if issue.adopted_rank != rank or issue.adoption_reason != reason:
                issue.adopted_rank, issue.adoption_reason = rank, reason
                issue.save()
        rule = (
            _("%(n)s isu teratas") % {"n": top}
            if top is not None
            else _("skor sedikitnya %(t)s") % {"t": threshold}
        )
        IssueChange.objects.create(
            plan=plan,
            kind=IssueChange.Kind.ADOPT,
            summary=_("Ditetapkan %(count)s isu strategis (%(rule)s).")
            % {"count": len(chosen), "rule": rule},
            details={
                "rule": "top" if top is not None else "threshold",
                "top": top,
                "threshold": str(threshold) if threshold is not None else None,
                "note": note,
                "ranking": [
                    {
                        "issue": r.issue.pk,
                        "title": r.issue.title,
                        "rank": r.rank,
                        "score": str(float(r.score)),
                        "reason": r.issue.adoption_reason if r.issue.pk in pending else "",
                    }
                    for r in chosen
                ],
            },
            by=by,
        )
    return [r.issue for r in chosen]


# --- Coherence of Chapter IV ---------------------------------------------------------------------


@dataclass
class Finding:
    """One reason the plan's Chapter IV does not hold together, said to the planner."""

    message: str
    url: str


class IncoherentPlan(ValidationError):
    def __init__(self, findings: list[Finding]):
        super().__init__(
            _(
                "Dokumen belum dapat ditetapkan final: Bab IV belum utuh (%(n)s temuan). "
                "Petakan setiap permasalahan yang diterima ke isu strategis atau tandai "
                "“bukan isu strategis”."
            )
            % {"n": len(findings)}
        )
        self.findings = findings


def coherence_findings(plan: Plan) -> list[Finding]:
    """What keeps Tabel 4.1 and the ranking of strategic issues from matching: an accepted problem
    that ends in no issue and is not marked not strategic; an adopted issue resting on a problem
    not accepted without a recorded reason. Empty when Chapter IV holds together."""
    findings = []
    numbers = problem_numbers(plan)
    for problem in unmapped_problems(plan):
        findings.append(
            Finding(
                message=_(
                    "Permasalahan %(number)s “%(problem)s” (%(agency)s) sudah diterima tetapi "
                    "belum berujung pada isu strategis dan tidak ditandai bukan isu strategis."
                )
                % {
                    "number": numbers.get(problem.pk, f"#{problem.pk}"),
                    "problem": problem.statement,
                    "agency": problem.agency.short_name,
                },
                url=reverse("issues:detail", args=[problem.pk]),
            )
        )
    adopted = list(
        StrategicIssue.objects.filter(plan=plan, adopted_rank__isnull=False, adoption_reason="")
    )
    pending = pending_problems(adopted)
    for issue in adopted:
        if issue.pk in pending:
            findings.append(
                Finding(
                    message=_(
                        "Isu strategis “%(issue)s” ditetapkan, tetapi %(n)s permasalahannya "
                        "belum diterima dan alasan penetapannya belum dicatat."
                    )
                    % {"issue": issue.title, "n": len(pending[issue.pk])},
                    url=reverse("strategic:detail", args=[issue.pk]),
                )
            )
    return findings


def require_coherent(plan: Plan) -> None:
    """Raise IncoherentPlan when coherence_findings() finds anything (final snapshots)."""
    findings = coherence_findings(plan)
    if findings:
        raise IncoherentPlan(findings)


def move_problems(
    *, plan: Plan, problems, issue: StrategicIssue | None, new_title: str, by: User
) -> StrategicIssue:
    """Move unmapped problems into `issue`, or into a new issue titled `new_title`."""
    with transaction.atomic():
        if issue is None:
            issue = StrategicIssue.objects.create(plan=plan, title=new_title, created_by=by)
        link_problems(issue, problems)
    return issue


@dataclass
class Leaving:
    """A rater about to be taken off, and how many of their scores stop counting."""

    rater: Rater
    scores: int


def raters_leaving(*, plan: Plan, users) -> list[Leaving]:
    """The active raters not among `users`, with their score counts (for the question asked
    before taking them off)."""
    chosen = {u.pk for u in users}
    leaving = (
        Rater.objects.active()
        .filter(plan=plan)
        .exclude(user_id__in=chosen)
        .select_related("user")
        .annotate(score_count=Count("scores"))
    )
    return [Leaving(rater, rater.score_count) for rater in leaving]


def set_raters(*, plan: Plan, users) -> None:
    """Exactly `users` rate the plan's issues. A rater taken off is kept inactive with their
    scores, which stop counting in the ranking; ticking them again brings the scores back."""
    chosen = set(users)
    with transaction.atomic():
        for rater in Rater.objects.filter(plan=plan).select_related("user"):
            active = rater.user in chosen
            if rater.active != active:
                rater.active = active
                rater.save()
        for user in chosen:
            Rater.objects.get_or_create(plan=plan, user=user)
