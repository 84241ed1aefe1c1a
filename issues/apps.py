from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuesConfig(AppConfig):
    """Permasalahan and Isu Strategis (chapter IV of the RPJMD)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "issues"
    verbose_name = _("Permasalahan dan isu strategis")
