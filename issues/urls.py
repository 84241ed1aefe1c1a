from django.urls import path

from issues import collection_views, potential_views, views

app_name = "issues"

urlpatterns = [
    path("rencana/<int:plan_id>/permasalahan/", views.problem_list, name="list"),
    path("rencana/<int:plan_id>/permasalahan/baru/", views.problem_create, name="create"),
    path("rencana/<int:plan_id>/permasalahan/serupa/", views.problem_similar, name="similar"),
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
    path("permasalahan/<int:pk>/faktor/", potential_views.problem_factors, name="factors"),
    path("rencana/<int:plan_id>/potensi/", potential_views.potential_list, name="potential_list"),
    path(
        "rencana/<int:plan_id>/potensi/baru/",
        potential_views.potential_create,
        name="potential_create",
    ),
    path("potensi/<int:pk>/", potential_views.potential_detail, name="potential_detail"),
    path("potensi/<int:pk>/ubah/", potential_views.potential_update, name="potential_update"),
    path("lampiran/<int:pk>/unduh/", views.attachment_download, name="attachment_download"),
    path("lampiran/<int:pk>/hapus/", views.attachment_delete, name="attachment_delete"),
]
