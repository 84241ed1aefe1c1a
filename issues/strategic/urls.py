"""Strategic issues (isu strategis): their own URL namespace `strategic:`; the paths stay the
ones users know (under /rencana/<plan>/isu-strategis/ and /isu-strategis/<pk>/)."""

from django.urls import path

from issues.strategic import views

app_name = "strategic"

urlpatterns = [
    path("rencana/<int:plan_id>/isu-strategis/", views.issue_list, name="list"),
    path("rencana/<int:plan_id>/isu-strategis/baru/", views.issue_create, name="create"),
    path(
        "rencana/<int:plan_id>/isu-strategis/belum-dipetakan/",
        views.unmapped_action,
        name="unmapped",
    ),
    path(
        "rencana/<int:plan_id>/isu-strategis/kriteria/",
        views.criteria,
        name="criteria",
    ),
    path(
        "rencana/<int:plan_id>/isu-strategis/kriteria/tanpa-janji-politik/",
        views.drop_political,
        name="drop_political",
    ),
    path("rencana/<int:plan_id>/isu-strategis/penilai/", views.raters, name="raters"),
    path("rencana/<int:plan_id>/isu-strategis/penilaian/", views.sheet, name="sheet"),
    path("rencana/<int:plan_id>/isu-strategis/hasil/", views.results, name="results"),
    path(
        "rencana/<int:plan_id>/isu-strategis/hasil/status/",
        views.results_state,
        name="results_state",
    ),
    path(
        "rencana/<int:plan_id>/isu-strategis/hasil/tetapkan/",
        views.adopt,
        name="adopt",
    ),
    path("rencana/<int:plan_id>/isu-strategis/hasil.xlsx", views.export, name="export"),
    path(
        "rencana/<int:plan_id>/isu-strategis/ketertelusuran/",
        views.traceability,
        name="trace",
    ),
    path("isu-strategis/<int:pk>/", views.issue_detail, name="detail"),
    path("isu-strategis/<int:pk>/ubah/", views.issue_update, name="update"),
    path("isu-strategis/<int:pk>/permasalahan/", views.issue_problems, name="problems"),
    path("isu-strategis/<int:pk>/keselarasan/", views.issue_alignment, name="alignment"),
    path("isu-strategis/<int:pk>/gabung/", views.issue_merge, name="merge"),
    path("isu-strategis/<int:pk>/pecah/", views.issue_split, name="split"),
]
