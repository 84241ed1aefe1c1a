from django.urls import path

from regional import views

app_name = "regional"

urlpatterns = [
    path("rencana/<int:plan_id>/data-daerah/", views.indicator_list, name="indicator_list"),
    path(
        "rencana/<int:plan_id>/data-daerah/indikator/baru/",
        views.indicator_create,
        name="indicator_create",
    ),
    path(
        "rencana/<int:plan_id>/data-daerah/indikator/templat.xlsx",
        views.indicator_template,
        name="indicator_template",
    ),
    path(
        "rencana/<int:plan_id>/data-daerah/indikator/impor/",
        views.indicator_import,
        name="indicator_import",
    ),
    path("rencana/<int:plan_id>/evaluasi-rpjmd/", views.evaluation_list, name="evaluation_list"),
    path(
        "rencana/<int:plan_id>/evaluasi-rpjmd/baru/",
        views.evaluation_create,
        name="evaluation_create",
    ),
    path(
        "rencana/<int:plan_id>/evaluasi-rpjmd/templat.xlsx",
        views.evaluation_template,
        name="evaluation_template",
    ),
    path(
        "rencana/<int:plan_id>/evaluasi-rpjmd/impor/",
        views.evaluation_import,
        name="evaluation_import",
    ),
    path("indikator-daerah/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("indikator-daerah/<int:pk>/ubah/", views.indicator_update, name="indicator_update"),
    path("indikator-daerah/<int:pk>/tinjau/", views.indicator_review, name="indicator_review"),
    path("rencana/<int:plan_id>/data-daerah/keuangan/", views.finance_edit, name="finance"),
    path(
        "rencana/<int:plan_id>/data-daerah/keuangan/templat.xlsx",
        views.finance_template,
        name="finance_template",
    ),
    path(
        "rencana/<int:plan_id>/data-daerah/keuangan/impor/",
        views.finance_import,
        name="finance_import",
    ),
]
