from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from rpjmd import views, views_two_factor
from rpjmd.two_factor import two_factor_exempt

admin.site.site_header = "Administrasi Meja Kerja RPJMD"
admin.site.site_title = "Admin RPJMD"

urlpatterns = [
    # First: an admin list resolves its own URL again for each of its 100 rows (to keep its
    # filters in the row's link); behind every app pattern that was 126 µs a row, 45 µs here.
    path("admin/", admin.site.urls),
    path("", views.home, name="home"),
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", two_factor_exempt(auth_views.LogoutView.as_view()), name="logout"),
    path("akun/kata-sandi/", views.password_change, name="password_change"),
    path("akun/dua-langkah/", views_two_factor.setup, name="two_factor_setup"),
    path("akun/dua-langkah/verifikasi/", views_two_factor.verify, name="two_factor_verify"),
    path(
        "akun/dua-langkah/kode-cadangan/",
        views_two_factor.recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("health/", views.health, name="health"),
    path("bahasa/", views.set_language, name="set_language"),
    path("rencana/", views.plan_list, name="plan_list"),
    path("rencana/baru/", views.plan_create, name="plan_create"),
    path("rencana/<int:plan_id>/", views.plan_dashboard, name="plan_dashboard"),
    path("rencana/<int:plan_id>/ubah/", views.plan_update, name="plan_update"),
    path("rencana/<int:plan_id>/rpjpd/", views.rpjpd, name="rpjpd"),
    path("rencana/<int:plan_id>/tahapan/", views.stage_list, name="stage_list"),
    path("rencana/<int:plan_id>/tahapan/baru/", views.stage_create, name="stage_create"),
    path("tahapan/<int:pk>/ubah/", views.stage_update, name="stage_update"),
    path("tahapan/<int:pk>/hapus/", views.stage_delete, name="stage_delete"),
    path("tahapan/<int:pk>/status/", views.stage_set_state, name="stage_set_state"),
    path("notifikasi/", views.notification_list, name="notification_list"),
    path("notifikasi/<int:pk>/buka/", views.notification_open, name="notification_open"),
    path("notifikasi/baca-semua/", views.notification_read_all, name="notification_read_all"),
    path("", include("issues.urls")),
    path("", include("issues.strategic.urls")),
    path("", include("fgd.urls")),
    path("", include("drafts.urls")),
    path("", include("regional.urls")),
]

# Generic error answers in Indonesian; htmx requests get a fragment (rpjmd/errors.py).
handler400 = "rpjmd.errors.bad_request"
handler403 = "rpjmd.errors.permission_denied"
handler404 = "rpjmd.errors.page_not_found"
handler500 = "rpjmd.errors.server_error"
