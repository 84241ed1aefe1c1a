from django.utils import timezone

from rpjmd.models import Notification, Stage


def close_all(plan):
    # ruleid: rpjmd-no-bulk-write-on-history-models
    Stage.objects.filter(plan=plan).update(state="closed")


def reorder(stages):
    # ruleid: rpjmd-no-bulk-write-on-history-models
    Stage.objects.bulk_update(stages, ["order"])


def close_one(stage):
    stage.state = "closed"
    # ok: rpjmd-no-bulk-write-on-history-models
    stage.save(update_fields=["state"])


def read_all(user):
    # ok: rpjmd-no-bulk-write-on-history-models
    Notification.objects.filter(recipient=user).update(read_at=timezone.now())
