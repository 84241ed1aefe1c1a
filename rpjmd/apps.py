from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RpjmdConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rpjmd"
    verbose_name = _("Rencana dan pengguna")

    def ready(self):
        # lazy: AppConfig.ready, the app registry must be loaded before these modules' models
        from django.contrib.auth.signals import user_logged_in

        from rpjmd import audit, two_factor
        from rpjmd.middleware import start_session_clock

        # Audit receivers for login, logout, failed logins and lockouts (rpjmd/audit.py).
        audit.connect_signals()
        # The absolute session timeout counts from the login (rpjmd/middleware.py).
        user_logged_in.connect(start_session_clock, dispatch_uid="rpjmd.session_clock")
        user_logged_in.connect(two_factor.note_at_login, dispatch_uid="rpjmd.two_factor_note")
