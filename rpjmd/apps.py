from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RpjmdConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rpjmd"
    verbose_name = _("Rencana dan pengguna")

    def ready(self):
        # Audit receivers for login, logout, failed logins and lockouts (rpjmd/audit.py).
        from rpjmd import audit

        audit.connect_signals()
