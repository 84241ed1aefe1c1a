from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionalConfig(AppConfig):
    """Data daerah: indicator series and realised APBD behind the tables of Bab II–III."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "regional"
    verbose_name = _("Data daerah")
