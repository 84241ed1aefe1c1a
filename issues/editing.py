"""Writing a problem with everything that hangs from it, in one transaction."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from issues.forms import IndicatorFormSetBase, OrderedRootCauses, PotentialForm, ProblemForm
from issues.models import Attachment, CoreProblem, Factor, Potential, Problem
from issues.uploads import CheckedFile, removing_files_on_failure
from rpjmd.models import Stage, User
from rpjmd.versioning import Stale, save_if_current


def core_problem_for(*, plan, agency, chosen: CoreProblem | None, typed: str) -> CoreProblem:
    """The chosen masalah pokok, or the typed one (reusing an identical earlier one)."""
    if chosen is not None:
        return chosen
    core, _ = CoreProblem.objects.get_or_create(plan=plan, agency=agency, text=typed.strip())
    return core


def save_problem(
    *,
    form: ProblemForm,
    root_causes: OrderedRootCauses,
    indicators: IndicatorFormSetBase,
    by: User,
) -> Problem:
    """Save the problem, its core problem, root causes, indicators and new attachments.

    All or nothing: a failure anywhere leaves no row and no stored file behind. Editing an
    existing problem raises `Stale` (nothing written) when it was saved, submitted or reviewed
    since the form was opened, or is no longer editable.
    """
    if form.instance.pk is None:
        return _write(form=form, root_causes=root_causes, indicators=indicators, by=by)
    return save_if_current(
        form,
        lambda: _write(form=form, root_causes=root_causes, indicators=indicators, by=by),
        check=lambda current: current.is_editable,
    )


def _write(*, form, root_causes, indicators, by: User) -> Problem:
    with removing_files_on_failure() as stored, transaction.atomic():
        chosen, typed = form.core_problem_choice()
        problem = form.save(commit=False)
        if problem.pk is None:
            problem.plan = form.plan
            problem.agency = form.agency
            problem.created_by = by
            problem.stage = form.plan.stage_of_kind(Stage.Kind.IDENTIFICATION)
        problem.core_problem = core_problem_for(
            plan=form.plan, agency=form.agency, chosen=chosen, typed=typed
        )
        problem.save()
        form.save_m2m()
        root_causes.instance = problem
        root_causes.save_in_order()
        indicators.instance = problem
        indicators.save()
        add_attachments(
            problem=problem, files=form.cleaned_data.get("attachments") or [], by=by, stored=stored
        )
        problem.update_search_text()
    return problem


def add_attachments(
    *,
    problem: Problem | None = None,
    potential: Potential | None = None,
    files: list[tuple[CheckedFile, UploadedFile]],
    by: User,
    stored: list,
) -> list[Attachment]:
    """Store files already checked by issues.uploads.check_upload as the evidence of a problem
    or of a potensi; `stored` collects them so the caller's removing_files_on_failure() can
    delete them if the transaction fails.

    What is stored are the checked bytes (a picture re-encoded), never the upload read again."""
    attachments = []
    for checked, _upload in files:
        attachment = Attachment(
            problem=problem,
            potential=potential,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=by,
        )
        attachment.file.save(checked.name, ContentFile(checked.content), save=False)
        stored.append(attachment.file)
        attachment.save()
        attachments.append(attachment)
    return attachments


def save_potential(
    *, form: PotentialForm, by: User, agency=None, from_inputs: tuple = ()
) -> Potential:
    """Save a potensi and its new evidence files, all or nothing. A new one is recorded by `by`
    for `agency` (None: a narasumber's or the planner's choice on the form), linked to the FGD
    inputs it was recorded from (fgd.Input.potentials, through its reverse name). Editing
    raises `Stale` when someone saved it since the form was opened."""

    def write() -> Potential:
        with removing_files_on_failure() as stored, transaction.atomic():
            potential = form.save(commit=False)
            if potential.pk is None:
                potential.plan = form.plan
                potential.created_by = by
                if "agency" not in form.fields:
                    potential.agency = agency
            potential.save()
            add_attachments(
                potential=potential,
                files=form.cleaned_data.get("attachments") or [],
                by=by,
                stored=stored,
            )
            if from_inputs:
                potential.fgd_inputs.add(*from_inputs)
        return potential

    if form.instance.pk is None:
        return write()
    return save_if_current(form, write)


def factors_fingerprint(problem: Problem) -> str:
    """What the factors are now, in short: a form opened on other factors is stale."""
    rows = problem.factors.order_by("kind", "order", "pk").values_list("kind", "text")
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def save_factors(
    *, problem: Problem, driving: list[str], hindering: list[str], seen: str, by: User
) -> None:
    """Replace the problem's faktor pendorong and penghambat with the given ordered lists.

    Under the problem's row lock: when the factors changed since the form was opened (`seen`),
    nothing is written and `Stale` is raised. A list left as it was is not rewritten, so its
    history stays quiet."""
    with transaction.atomic():
        locked = Problem.objects.select_for_update().order_by().get(pk=problem.pk)
        if factors_fingerprint(locked) != seen:
            raise Stale(locked)
        for kind, texts in ((Factor.Kind.DRIVING, driving), (Factor.Kind.HINDERING, hindering)):
            current = list(locked.factors.filter(kind=kind).order_by("order", "pk"))
            if [f.text for f in current] == texts:
                continue
            for factor in current:
                factor.delete()
            for order, text in enumerate(texts, start=1):
                Factor.objects.create(problem=locked, kind=kind, order=order, text=text)
