from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FgdConfig(AppConfig):
    """FGD meetings: agenda, invitations, attendance, minutes, inputs and berita acara."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "fgd"
    verbose_name = _("FGD")
