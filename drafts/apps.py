from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftsConfig(AppConfig):
    """The document: chapters and sections, versions, comments, snapshots and PDF export."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "drafts"
    verbose_name = _("Dokumen rancangan")

    def ready(self):
        # Each module's data blocks, lampiran and final-snapshot checks register themselves
        # (issues/blocks.py, issues/document.py, fgd/document.py, drafts/completeness.py).
        # lazy: AppConfig.ready, these modules import models of every app
        from drafts import completeness  # noqa: F401
        from drafts.blocks import autodiscover

        autodiscover()
