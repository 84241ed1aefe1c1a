from django.urls import path

from issues import collection_views, strategic_views, views

app_name = "issues"

urlpatterns = [
    path("rencana/<int:plan_id>/permasalahan/", views.problem_list, name="list"),
    path("rencana/<int:plan_id>/permasalahan/baru/", views.problem_create, name="create"),
    path(
        "rencana/<int:plan_id>/permasalahan/tinjau-massal/",
        views.bulk_review,
        name="bulk_review",
    ),
    path(
        "rencana/<int:plan_id>/permasalahan/progres/",
        collection_views.progress,
        name="progress",
    ),
    path(
        "rencana/<int:plan_id>/permasalahan/perpanjangan/",
        collection_views.extend_deadline,
        name="extend_deadline",
    ),
    path(
        "rencana/<int:plan_id>/permasalahan/pengaturan/",
        collection_views.update_settings,
        name="settings",
    ),
    path(
        "rencana/<int:plan_id>/permasalahan/templat.xlsx",
        collection_views.template_download,
        name="template",
    ),
    path(
        "rencana/<int:plan_id>/permasalahan/impor/",
        collection_views.import_problems_view,
        name="import",
    ),
    path(
        "rencana/<int:plan_id>/permasalahan/impor/<int:pk>/",
        collection_views.import_status,
        name="import_status",
    ),
    path(
        "rencana/<int:plan_id>/permasalahan/tabel-identifikasi.xlsx",
        collection_views.export_table,
        name="export_table",
    ),
    path(
        "rencana/<int:plan_id>/permasalahan/ekspor.csv",
        collection_views.export_csv,
        name="export_csv",
    ),
    path("permasalahan/<int:pk>/", views.problem_detail, name="detail"),
    path("permasalahan/<int:pk>/ubah/", views.problem_update, name="update"),
    path("permasalahan/<int:pk>/ajukan/", views.problem_submit, name="submit"),
    path("permasalahan/<int:pk>/tinjau/", views.problem_review, name="review"),
    path("permasalahan/<int:pk>/hapus/", views.problem_delete, name="delete"),
    path("lampiran/<int:pk>/unduh/", views.attachment_download, name="attachment_download"),
    path("lampiran/<int:pk>/hapus/", views.attachment_delete, name="attachment_delete"),
    # Strategic issues (isu strategis).
    path("rencana/<int:plan_id>/isu-strategis/", strategic_views.issue_list, name="si_list"),
    path(
        "rencana/<int:plan_id>/isu-strategis/baru/", strategic_views.issue_create, name="si_create"
    ),
    path(
        "rencana/<int:plan_id>/isu-strategis/belum-dipetakan/",
        strategic_views.unmapped_action,
        name="si_unmapped",
    ),
    path(
        "rencana/<int:plan_id>/isu-strategis/kriteria/",
        strategic_views.criteria,
        name="si_criteria",
    ),
    path(
        "rencana/<int:plan_id>/isu-strategis/kriteria/tanpa-janji-politik/",
        strategic_views.drop_political,
        name="si_drop_political",
    ),
    path("rencana/<int:plan_id>/isu-strategis/penilai/", strategic_views.raters, name="si_raters"),
    path("rencana/<int:plan_id>/isu-strategis/penilaian/", strategic_views.sheet, name="si_sheet"),
    path("rencana/<int:plan_id>/isu-strategis/hasil/", strategic_views.results, name="si_results"),
    path(
        "rencana/<int:plan_id>/isu-strategis/hasil/status/",
        strategic_views.results_state,
        name="si_results_state",
    ),
    path(
        "rencana/<int:plan_id>/isu-strategis/hasil/tetapkan/",
        strategic_views.adopt,
        name="si_adopt",
    ),
    path(
        "rencana/<int:plan_id>/isu-strategis/hasil.xlsx", strategic_views.export, name="si_export"
    ),
    path(
        "rencana/<int:plan_id>/isu-strategis/ketertelusuran/",
        strategic_views.traceability,
        name="si_trace",
    ),
    path("isu-strategis/<int:pk>/", strategic_views.issue_detail, name="si_detail"),
    path("isu-strategis/<int:pk>/ubah/", strategic_views.issue_update, name="si_update"),
    path(
        "isu-strategis/<int:pk>/permasalahan/", strategic_views.issue_problems, name="si_problems"
    ),
    path("isu-strategis/<int:pk>/masukan-fgd/", strategic_views.issue_inputs, name="si_inputs"),
    path(
        "isu-strategis/<int:pk>/keselarasan/", strategic_views.issue_alignment, name="si_alignment"
    ),
    path("isu-strategis/<int:pk>/gabung/", strategic_views.issue_merge, name="si_merge"),
    path("isu-strategis/<int:pk>/pecah/", strategic_views.issue_split, name="si_split"),
]
