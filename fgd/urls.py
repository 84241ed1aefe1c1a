from django.urls import path

from fgd import (
    views,
    views_attendance,
    views_links,
    views_minutes,
    views_people,
    views_record,
    views_tabling,
)

app_name = "fgd"

urlpatterns = [
    path("rencana/<int:plan_id>/fgd/", views.meeting_list, name="meeting_list"),
    path("rencana/<int:plan_id>/fgd/baru/", views.meeting_create, name="meeting_create"),
    path("rencana/<int:plan_id>/tindak-lanjut/", views.followup_list, name="followup_list"),
    path("fgd/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("fgd/<int:pk>/ubah/", views.meeting_update, name="meeting_update"),
    path("fgd/<int:pk>/mulai/", views.meeting_start, name="meeting_start"),
    path("fgd/<int:pk>/tutup/", views.meeting_close, name="meeting_close"),
    path("fgd/<int:pk>/buka-kembali/", views.meeting_reopen, name="meeting_reopen"),
    path("fgd/<int:pk>/acara/baru/", views.agenda_add, name="agenda_add"),
    path("acara/<int:pk>/hapus/", views.agenda_delete, name="agenda_delete"),
    path("fgd/<int:pk>/undangan/baru/", views.invitation_add, name="invitation_add"),
    path("undangan/<int:pk>/hapus/", views.invitation_delete, name="invitation_delete"),
    # Problems tabled for discussion
    path("fgd/<int:pk>/permasalahan/", views_tabling.tabling, name="tabling"),
    path(
        "permasalahan-dibahas/<int:pk>/hapus/",
        views_tabling.tabled_delete,
        name="tabled_delete",
    ),
    path("fgd/<int:pk>/masukan/baru/", views.input_create, name="input_create"),
    path("masukan/<int:pk>/tanggapan/", views.input_respond, name="input_respond"),
    path("masukan/<int:pk>/potensi/", views.input_potential, name="input_potential"),
    path("fgd/<int:pk>/kesepakatan/baru/", views.agreed_add, name="agreed_add"),
    path("kesepakatan/<int:pk>/hapus/", views.agreed_delete, name="agreed_delete"),
    path("fgd/<int:pk>/tindak-lanjut/baru/", views.followup_add, name="followup_add"),
    path("tindak-lanjut/<int:pk>/selesai/", views_record.followup_done, name="followup_done"),
    # Attendance and check-in
    path("fgd/<int:pk>/daftar-hadir/", views_attendance.attendance, name="attendance"),
    path(
        "fgd/<int:pk>/daftar-hadir/tandai/",
        views_attendance.attendance_mark,
        name="attendance_mark",
    ),
    path(
        "fgd/<int:pk>/daftar-hadir/tamu/",
        views_attendance.attendance_guest,
        name="attendance_guest",
    ),
    path("kehadiran/<int:pk>/hapus/", views_attendance.attendance_delete, name="attendance_delete"),
    path(
        "fgd/<int:pk>/presensi/<str:token>/", views_attendance.check_in_link, name="check_in_link"
    ),
    path("presensi/", views_attendance.check_in_code, name="check_in_code"),
    # Minutes
    path("fgd/<int:pk>/notulensi/", views_minutes.minutes, name="minutes"),
    path("acara/<int:pk>/notulensi/", views_minutes.minutes_save, name="minutes_save"),
    path(
        "acara/<int:pk>/notulensi/versi/", views_minutes.minutes_versions, name="minutes_versions"
    ),
    # Berita acara and documents
    path("fgd/<int:pk>/berita-acara/", views_record.record_edit, name="record_edit"),
    path("fgd/<int:pk>/berita-acara/tandatangani/", views_record.record_sign, name="record_sign"),
    path(
        "fgd/<int:pk>/berita-acara/penanda-tangan/",
        views_record.signatory_add,
        name="signatory_add",
    ),
    path("penanda-tangan/<int:pk>/hapus/", views_record.signatory_delete, name="signatory_delete"),
    path("fgd/<int:pk>/dokumen/<slug:slug>.pdf", views_record.document, name="document"),
    path(
        "fgd/<int:pk>/berita-acara/addendum/baru/",
        views_record.addendum_create,
        name="addendum_create",
    ),
    path(
        "fgd/<int:pk>/berita-acara/addendum/<int:number>.pdf",
        views_record.addendum_document,
        name="addendum_document",
    ),
    # Narasumber
    path("narasumber/", views_people.resource_person_list, name="resource_person_list"),
    path("narasumber/baru/", views_people.resource_person_create, name="resource_person_create"),
    path(
        "narasumber/<int:pk>/ubah/",
        views_people.resource_person_update,
        name="resource_person_update",
    ),
    path(
        "narasumber/<int:pk>/akun/",
        views_people.resource_person_account,
        name="resource_person_account",
    ),
    # Linking inputs to a strategic issue, at the address under the issue users know.
    path("isu-strategis/<int:pk>/masukan-fgd/", views_links.issue_inputs, name="strategic_inputs"),
]
