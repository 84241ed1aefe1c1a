"""The editor: open, save (with merge), resolve conflicts, autosave, presence, images."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from drafts import blocks as block_registry
from drafts import editing
from drafts.access import document_for, editable_section, section_for
from drafts.diffing import compare
from drafts.forms import ImageUploadForm, ResolveForm, SectionEditForm
from drafts.models import Image, WorkingCopy
from drafts.outline import number_of
from drafts.permissions import can_edit_section, can_upload_images
from drafts.rendering import render_body
from drafts.snapshots import live_numbers
from rpjmd import heavy
from rpjmd.clock import format_time
from rpjmd.downloads import download
from rpjmd.requests import AuthedRequest

# TinyMCE speaks English by itself; other languages need a pack in static/vendor/tinymce/langs.
TINYMCE_LANGUAGE = {"id": "id"}


def editor_strings() -> dict[str, str]:
    """The words of the editor's own buttons and dialogs, in the reader's language (the script
    has none of its own, so English mode is English throughout)."""
    return {
        "footnote": _("Catatan kaki"),
        "footnoteText": _("Teks catatan kaki"),
        "footnoteHelp": _("Catatan kaki dicetak di kaki halaman PDF dan dinomori otomatis."),
        "insert": _("Sisipkan"),
        "save": _("Simpan"),
        "cancel": _("Batal"),
        "block": _("Blok data"),
        "blockChoose": _("Tabel dari data aplikasi"),
        "blockHelp": _("Tabel ini mengikuti data terkini dan dibekukan saat dokumen dibekukan."),
        "blockNone": _("Belum ada blok data untuk rencana ini."),
        "xref": _("Rujukan"),
        "xrefChoose": _("Tabel atau gambar yang dirujuk"),
        "xrefNone": _(
            "Belum ada tabel atau gambar berjudul yang tersimpan. Simpan bagian yang memuat "
            "tabel, lalu coba lagi."
        ),
        "xrefHelp": _("Teks rujukan selalu menampilkan nomor terkini, mis. Tabel 2.3."),
        "saving": _("Menyimpan salinan kerja…"),
        "offline": _("Tidak tersambung ke server: teks disimpan di peramban ini."),
        "localFound": _("Peramban ini menyimpan teks bagian ini yang belum terkirim ("),
        "uploadFailed": _("Gambar tidak dapat diunggah."),
        "captionTitle": _("Beri judul tabel yang ditempel"),
        "captionLabel": _("Judul tabel"),
        "captionHelp": _(
            "Tabel yang berjudul diberi nomor otomatis (mis. Tabel 2.3) dan masuk daftar tabel. "
            "Judul dapat diubah langsung di atas tabel."
        ),
        "captionLater": _("Nanti saja"),
        "captionAdd": _("Tambahkan judul"),
        "blockFormats": "; ".join(
            [
                _("Paragraf") + "=p",
                _("Subjudul 1") + "=h3",
                _("Subjudul 2") + "=h4",
                _("Subjudul 3") + "=h5",
            ]
        ),
    }


def section_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET opens the editor; POST saves a new version (merging with what others saved)."""
    item = editable_section(request, pk)
    if request.method == "POST":
        form = SectionEditForm(request.POST)
        if form.is_valid():
            try:
                result = editing.save_section(
                    section_id=item.pk,
                    body=form.cleaned_data["body"],
                    base_version=form.cleaned_data["base_version"],
                    by=request.user,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if result.conflict:
                    return _conflict_page(request, item, result, form.cleaned_data["note"])
                _announce(request, result, form.cleaned_data["base_version"])
                return redirect("drafts:section_edit", item.pk)
        return _editor(request, item, form)
    copy = None
    if request.GET.get("salinan") == "1":
        copy = WorkingCopy.objects.filter(user=request.user, section=item).first()
    form = SectionEditForm(
        initial={
            "body": _for_editor(item, copy.body if copy else item.body, request.user),
            "base_version": copy.base_version if copy else item.version,
        }
    )
    return _editor(request, item, form, restored=copy is not None)


def _for_editor(item, body: str, viewer) -> str:
    """The body with its data blocks' tables shown (what comes back inside them is dropped) and
    table numbers as attributes the editor's CSS displays."""
    doc = item.chapter.document
    shown = render_body(
        body,
        numbers=live_numbers(doc),
        resolve=block_registry.LiveBlocks(doc.plan, viewer=viewer),
        for_editor=True,
        footnotes="inline",
    )
    # A plain string, not a SafeString: the textarea must escape it, so the editor receives
    # exactly this HTML (entities such as &lt; stay text).
    return "".join([shown])


def _announce(request: AuthedRequest, result: editing.SaveResult, base_version: int) -> None:
    section = result.section
    if result.outcome == "unchanged":
        messages.info(request, _("Tidak ada perubahan untuk disimpan."))
    elif result.outcome == "merged":
        messages.success(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _(
                    "Bagian ini diubah orang lain sejak Anda mulai menyunting. Perubahan Anda "
                    "digabungkan dengan perubahan mereka dan disimpan sebagai versi %(n)s."
                )
                % {"n": section.version},
                reverse("drafts:section_compare", args=[section.pk])
                + f"?a={base_version}&b={section.version}",
                _("Lihat perbedaannya"),
            ),
        )
    else:
        messages.success(request, _("Tersimpan sebagai versi %(n)s.") % {"n": section.version})


def _editor(
    request: AuthedRequest, item, form: SectionEditForm, *, restored: bool = False
) -> HttpResponse:
    plan = item.chapter.document.plan
    copy = WorkingCopy.objects.filter(user=request.user, section=item).first()
    offer_copy = copy is not None and not restored and copy.body != item.body
    kinds = [
        {"key": k.key, "label": str(k.label), "group": str(k.group)}
        for k in block_registry.kinds_for(plan)
    ]
    return render(
        request,
        "drafts/section_edit.html",
        {
            "plan": plan,
            "section": item,
            "chapter": item.chapter,
            "number": number_of(item),
            "form": form,
            "copy": copy if offer_copy else None,
            "restored": restored,
            "editor_config": json.dumps(
                {
                    "sectionId": item.pk,
                    "version": item.version,
                    "updatedAt": item.updated_at.isoformat() if item.updated_at else "",
                    "copyAt": copy.updated_at.isoformat() if offer_copy else "",
                    "autosaveUrl": reverse("drafts:section_autosave", args=[item.pk]),
                    "uploadUrl": reverse("drafts:image_upload", args=[plan.pk]),
                    "referencesUrl": reverse("drafts:references", args=[plan.pk]),
                    "blockUrl": reverse("drafts:block_preview", args=[plan.pk, "KEY"]),
                    "blocks": kinds,
                    "language": TINYMCE_LANGUAGE.get(request.LANGUAGE_CODE, ""),
                    "locale": request.LANGUAGE_CODE,
                    "strings": editor_strings(),
                    # The editor loads its plugins next to its script (hashed names in production).
                    "tinymceBase": static("vendor/tinymce/tinymce.min.js").rsplit("/", 1)[0],
                    "contentCss": [static("css/document.css"), static("css/editor-content.css")],
                }
            ),
            "today": plan.region.today(),
        },
    )


def _conflict_page(
    request: AuthedRequest, item, result: editing.SaveResult, note: str
) -> HttpResponse:
    """Nothing was saved: show each overlapping change, theirs beside mine, to decide."""
    merge = result.merge
    conflicts = [
        {
            "index": i,
            "theirs": compare(region.base, region.theirs),
            "mine": compare(region.base, region.mine),
        }
        for i, region in enumerate(merge.conflicts)
    ]
    # The author's text travels with the form (and is kept as their working copy meanwhile).
    # The base comes from the save itself, not from the working copy: the same person saving
    # from another tab at this moment deletes that copy (found by tests/fault).
    form = ResolveForm(
        initial={
            "mine": result.mine,
            "base_version": result.base_version,
            "theirs_version": result.theirs_version,
            "note": note,
        }
    )
    latest = editing.version_row(item.pk, result.theirs_version)
    return render(
        request,
        "drafts/section_conflict.html",
        {
            "plan": item.chapter.document.plan,
            "section": item,
            "number": number_of(item),
            "form": form,
            "conflicts": conflicts,
            "agreed": len(merge.regions) - len(conflicts),
            "latest": latest,
        },
        status=409,
    )


@require_POST
def section_resolve(request: AuthedRequest, pk: int) -> HttpResponse:
    item = editable_section(request, pk)
    count = sum(1 for key in request.POST if key.startswith("choice-"))
    form = ResolveForm(request.POST, conflicts=count)
    if not form.is_valid():
        messages.error(request, _("Formulir penyelesaian tidak lengkap; buka kembali penyunting."))
        return redirect("drafts:section_edit", item.pk)
    try:
        result = editing.resolve_conflicts(
            section_id=item.pk,
            mine=form.cleaned_data["mine"],
            base_version=form.cleaned_data["base_version"],
            theirs_version=form.cleaned_data["theirs_version"],
            choices=form.choices(),
            by=request.user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("drafts:section_edit", item.pk)
    if result.conflict:
        messages.warning(
            request,
            _("Bagian ini berubah lagi sementara Anda memutuskan. Periksa bentrokan berikut."),
        )
        return _conflict_page(request, item, result, form.cleaned_data["note"])
    _announce(request, result, form.cleaned_data["base_version"])
    return redirect("drafts:section_edit", item.pk)


@require_POST
def section_autosave(request: AuthedRequest, pk: int) -> HttpResponse:
    """Keep the text being typed as the author's private working copy (called every few seconds)."""
    item = editable_section(request, pk)
    form = SectionEditForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Salinan kerja tidak dapat disimpan."), status=400)
    try:
        copy = editing.autosave(
            section=item,
            body=form.cleaned_data["body"],
            base_version=form.cleaned_data["base_version"],
            by=request.user,
        )
    except ValidationError as error:
        return HttpResponse(error.messages[0], status=400)
    saved_at = format_time(timezone.localtime(copy.updated_at), "H:i:s")
    return HttpResponse(_("Salinan kerja tersimpan pukul %(time)s.") % {"time": saved_at})


@require_POST
def section_discard_copy(request: AuthedRequest, pk: int) -> HttpResponse:
    item = editable_section(request, pk)
    WorkingCopy.objects.filter(user=request.user, section=item).delete()
    messages.info(request, _("Salinan kerja dibuang."))
    return redirect("drafts:section_edit", item.pk)


@require_POST
def section_presence(request: AuthedRequest, pk: int) -> HttpResponse:
    """The editor's heartbeat: who else has this section open right now."""
    item = section_for(request, pk)
    editing_now = request.POST.get("editing") == "1" and can_edit_section(request.user, item)
    others = editing.heartbeat(section=item, user=request.user, editing=editing_now)
    return render(request, "drafts/_presence.html", {"others": others, "section": item})


# --- images -----------------------------------------------------------------------------------


@require_POST
def image_upload(request: AuthedRequest, plan_id: int) -> JsonResponse:
    """The editor's upload handler: a checked, re-encoded picture, answered with its address."""
    doc = document_for(request, plan_id)
    if not can_upload_images(request.user, doc.plan):
        raise PermissionDenied
    form = ImageUploadForm(request.POST, request.FILES)
    try:
        # Re-encoding a picture takes a core for a moment: queue briefly for a slot (heavy.py).
        with heavy.slot(request.user.pk, wait=heavy.UPLOAD_WAIT_SECONDS):
            valid = form.is_valid()
    except heavy.Busy:
        return JsonResponse({"error": heavy.busy_message()}, status=429)
    if not valid:
        errors = form.errors.get("file") or [_("Pilih gambar untuk diunggah.")]
        return JsonResponse({"error": str(errors[0])}, status=400)
    data = form.cleaned_data
    with transaction.atomic():
        image = Image(
            document=doc,
            content_type=data["content_type"],
            width=data["width"],
            height=data["height"],
            size=len(data["file"]),
            uploaded_by=request.user,
        )
        image.file.save(f"{image.uuid}.{image.extension}", ContentFile(data["file"]), save=False)
        try:
            image.save()
        except Exception:
            image.file.delete(save=False)  # no orphan file when the row cannot be written
            raise
    return JsonResponse({"location": image.url})


@require_GET
def image(request: AuthedRequest, uuid) -> FileResponse:
    picture = get_object_or_404(Image.objects.visible_to(request.user), uuid=uuid)
    name = f"{picture.uuid}.{picture.extension}"
    return download(picture.file, name, picture.content_type, inline=True, max_age=3600)
