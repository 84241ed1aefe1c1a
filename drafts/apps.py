from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftsConfig(AppConfig):
    """The document: chapters and sections, versions, comments, snapshots and PDF export."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "drafts"
    verbose_name = _("Dokumen rancangan")

    def ready(self):
        # Each module's data blocks (issues/blocks.py, fgd/blocks.py, …) register themselves.
        # lazy: AppConfig.ready, the blocks modules import models of every app
        from drafts.blocks import autodiscover

        autodiscover()
