from django.urls import path

from drafts.views import comments, completeness, document, editor, export, sections, snapshots

app_name = "drafts"

urlpatterns = [
    # The document of a plan.
    path("rencana/<int:plan_id>/dokumen/", document.document, name="document"),
    path("rencana/<int:plan_id>/dokumen/buat/", document.document_create, name="document_create"),
    path("rencana/<int:plan_id>/dokumen/papan/", document.board, name="board"),
    path("rencana/<int:plan_id>/dokumen/pengaturan/", document.settings, name="settings"),
    path("rencana/<int:plan_id>/dokumen/rujukan/", document.references, name="references"),
    path(
        "rencana/<int:plan_id>/dokumen/blok/<slug:key>/",
        document.block_preview,
        name="block_preview",
    ),
    path("rencana/<int:plan_id>/dokumen/gambar/", editor.image_upload, name="image_upload"),
    path("rencana/<int:plan_id>/dokumen/snapshot/", snapshots.snapshot_list, name="snapshot_list"),
    path(
        "rencana/<int:plan_id>/dokumen/snapshot/bandingkan/",
        snapshots.snapshot_compare,
        name="snapshot_compare",
    ),
    # PDF export.
    path(
        "rencana/<int:plan_id>/dokumen/kelengkapan/",
        completeness.completeness_page,
        name="completeness",
    ),
    path("rencana/<int:plan_id>/dokumen/ekspor/", export.export_list, name="export_list"),
    path(
        "rencana/<int:plan_id>/dokumen/ekspor/terbaru/",
        export.export_latest,
        name="export_latest",
    ),
    path(
        "rencana/<int:plan_id>/dokumen/ekspor/<int:pk>/kemajuan/",
        export.export_progress,
        name="export_progress",
    ),
    path(
        "rencana/<int:plan_id>/dokumen/ekspor/<int:pk>/unduh/",
        export.export_download,
        name="export_download",
    ),
    # Chapters and sections.
    path("bab/<int:pk>/", document.chapter, name="chapter"),
    path("bab/<int:pk>/pdf/", export.chapter_pdf, name="chapter_pdf"),
    path("bab/<int:pk>/bagian/baru/", sections.section_create, name="section_create"),
    path("bagian/<int:pk>/", sections.section, name="section"),
    path("bagian/<int:pk>/ubah/", editor.section_edit, name="section_edit"),
    path("bagian/<int:pk>/gabung/", editor.section_resolve, name="section_resolve"),
    path("bagian/<int:pk>/simpan-otomatis/", editor.section_autosave, name="section_autosave"),
    path(
        "bagian/<int:pk>/salinan-kerja/buang/",
        editor.section_discard_copy,
        name="section_discard_copy",
    ),
    path("bagian/<int:pk>/kehadiran/", editor.section_presence, name="section_presence"),
    path("bagian/<int:pk>/status/", sections.section_status, name="section_status"),
    path("bagian/<int:pk>/versi/", sections.section_versions, name="section_versions"),
    path("bagian/<int:pk>/versi/<int:version>/", sections.section_version, name="section_version"),
    path(
        "bagian/<int:pk>/versi/<int:version>/pulihkan/",
        sections.section_restore,
        name="section_restore",
    ),
    path("bagian/<int:pk>/bandingkan/", sections.section_compare, name="section_compare"),
    path("bagian/<int:pk>/pengaturan/", sections.section_settings, name="section_settings"),
    path("bagian/<int:pk>/bagikan/", sections.section_share, name="section_share"),
    path("bagian/<int:pk>/pindah/", sections.section_move, name="section_move"),
    path("bagian/<int:pk>/hapus/", sections.section_delete, name="section_delete"),
    path("bagian/<int:pk>/komentar/", comments.comment_create, name="comment_create"),
    path("komentar/<int:pk>/selesai/", comments.comment_resolve, name="comment_resolve"),
    # Snapshots and images.
    path("snapshot/<int:pk>/", snapshots.snapshot, name="snapshot"),
    path("snapshot/<int:pk>/setujui/", snapshots.snapshot_approve, name="snapshot_approve"),
    path("gambar/<uuid:uuid>/", editor.image, name="image"),
]
