from django.shortcuts import get_object_or_404

from rpjmd.models import Plan, Stage
from rpjmd.permissions import get_visible_or_404


def plan_detail(request, plan_id):
    # ruleid: rpjmd-views-fetch-through-visible-to
    plan = Plan.objects.get(pk=plan_id)
    return plan


def stage_detail(request, pk):
    # ruleid: rpjmd-views-fetch-through-visible-to
    stage = get_object_or_404(Stage, pk=pk)
    return stage


def stage_edit(request, pk):
    # ok: rpjmd-views-fetch-through-visible-to
    stage = get_visible_or_404(request, Stage.objects.visible_to(request.user), pk=pk)
    return stage


def plan_page(request, plan_id):
    # ok: rpjmd-views-fetch-through-visible-to
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=plan_id)
    return plan
