from __future__ import annotations

import io

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from drafts import appendices
from drafts.html import MAX_BODY_CHARS
from drafts.models import Comment, Document, Section, Snapshot
from rpjmd.forms import DateInput
from rpjmd.models import Agency, Plan, User
from rpjmd.versioning import VersionCheck

NO_NUL = _("Teks tidak boleh memuat karakter NUL.")


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValidationError(NO_NUL)
    return value


class SectionEditForm(forms.Form):
    body = forms.CharField(
        label=_("Isi bagian"),
        required=False,
        max_length=MAX_BODY_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "class": "editor-source"}),
    )
    base_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Catatan versi"),
        required=False,
        max_length=300,
        help_text=_("Opsional, mis. “Menambah tabel IPM 2016–2019”."),
    )

    def clean_note(self):
        return _no_nul(self.cleaned_data["note"])


class ResolveForm(forms.Form):
    mine = forms.CharField(
        required=False, strip=False, max_length=MAX_BODY_CHARS, widget=forms.HiddenInput
    )
    base_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    theirs_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    note = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)

    def __init__(self, *args, conflicts: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict_count = conflicts

    def choices(self) -> list[str]:
        return [self.data.get(f"choice-{i}", "") for i in range(self.conflict_count)]


class SectionForm(VersionCheck, forms.ModelForm):
    """Title, level and hint of a section (planners)."""

    version_attr = "settings_version"

    class Meta:
        model = Section
        fields = ["title", "depth", "hint"]
        widgets = {"hint": forms.Textarea(attrs={"rows": 3})}

    def clean_title(self):
        return _no_nul(self.cleaned_data["title"])

    def clean_hint(self):
        return _no_nul(self.cleaned_data["hint"])


class SectionCreateForm(SectionForm):
    after = forms.ModelChoiceField(
        label=_("Letakkan setelah"),
        queryset=Section.objects.none(),
        required=False,
        empty_label=_("(di akhir bab)"),
    )

    def __init__(self, *args, chapter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["after"].queryset = chapter.sections.order_by("order")


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["assigned_agency", "assigned_user", "due_date"]
        widgets = {"due_date": DateInput()}
        help_texts = {
            "assigned_agency": _("Staf OPD perangkat daerah ini dapat menyunting bagian ini."),
            "assigned_user": _("Opsional: satu orang penulis (staf OPD atau perencana)."),
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_agency"].queryset = Agency.objects.filter(region_id=plan.region_id)
        self.fields["assigned_user"].queryset = User.objects.filter(
            region_id=plan.region_id,
            is_active=True,
            role__in=[User.Role.OPD, User.Role.PLANNER],
        ).select_related("agency")

    def clean(self):
        data = super().clean()
        agency, user = data.get("assigned_agency"), data.get("assigned_user")
        if agency and user and user.is_opd and user.agency_id != agency.pk:
            self.add_error("assigned_user", _("Penulis harus staf perangkat daerah yang ditugasi."))
        return data


class ShareForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("Narasumber yang dapat membaca dan mengomentari"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = User.objects.filter(
            region_id=plan.region_id, role=User.Role.RESOURCE_PERSON, is_active=True
        )


class StatusForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("submit", _("Ajukan untuk ditinjau")),
            ("approve", _("Setujui")),
            ("return", _("Kembalikan ke draf")),
        ]
    )
    note = forms.CharField(label=_("Alasan"), required=False, max_length=500)

    def clean(self):
        data = super().clean()
        if data.get("action") == "return" and not data.get("note", "").strip():
            self.add_error("note", _("Tuliskan alasan mengembalikan bagian ini ke draf."))
        return data


class DocumentSettingsForm(VersionCheck, forms.ModelForm):
    appendices = forms.MultipleChoiceField(
        label=_("Lampiran"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Dicetak setelah bab terakhir, dalam urutan ini, dan tercantum di daftar isi."),
    )

    class Meta:
        model = Document
        fields = [
            "kind",
            "include_closing",
            "paper",
            "page_numbering",
            "running_header",
            "cover_place",
            "cover_date",
            "reference_date",
            "appendices",
            "opd_may_export",
        ]
        widgets = {"cover_date": DateInput(), "reference_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["appendices"].choices = appendices.choices(self.instance.plan)

    def clean_cover_place(self):
        return _no_nul(self.cleaned_data["cover_place"])

    def clean_cover_date(self):
        # Only the month and year are printed: kept as the first of the month.
        value = self.cleaned_data["cover_date"]
        return value.replace(day=1) if value else value


class CommentForm(forms.ModelForm):
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Comment
        fields = ["body", "quote", "prefix", "suffix"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 3}),
            "quote": forms.HiddenInput,
            "prefix": forms.HiddenInput,
            "suffix": forms.HiddenInput,
        }
        labels = {"body": _("Komentar")}
        help_texts = {"body": _("Sebut rekan dengan @namapengguna agar mereka diberi tahu.")}

    def clean_body(self):
        return _no_nul(self.cleaned_data["body"])

    def clean_quote(self):
        return _no_nul(self.cleaned_data["quote"])


class SnapshotForm(forms.ModelForm):
    class Meta:
        model = Snapshot
        fields = ["name"]
        labels = {"name": _("Nama versi beku")}
        help_texts = {"name": _("Mis. “Bahan FGD II, 1 April 2020” atau “Final — disampaikan”.")}

    def __init__(self, *args, document: Document, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document

    def clean_name(self):
        name = _no_nul(self.cleaned_data["name"]).strip()
        if Snapshot.objects.filter(document=self.document, name=name).exists():
            raise ValidationError(_("Nama versi beku ini sudah dipakai."))
        return name


MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000


class ImageUploadForm(forms.Form):
    file = forms.FileField(label=_("Gambar"))

    def clean_file(self):
        """Accept PNG, JPEG (and GIF/WebP, converted to PNG) by their content, not their name;
        re-encode them, which drops metadata and anything hidden after the picture."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMAGE_BYTES:
            raise ValidationError(_("Gambar terlalu besar (paling besar 5 MB)."))
        data = upload.read()
        try:
            with PILImage.open(io.BytesIO(data)) as probe:
                kind = probe.format
                width, height = probe.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ValidationError(
                        _("Ukuran gambar terlalu besar (paling banyak 40 megapiksel).")
                    )
                probe.verify()
            if kind not in {"PNG", "JPEG", "GIF", "WEBP"}:
                raise ValidationError(
                    _("Hanya gambar PNG, JPEG, GIF atau WebP yang dapat diunggah.")
                )
            with PILImage.open(io.BytesIO(data)) as picture:
                picture.load()
                out = io.BytesIO()
                if kind == "JPEG":
                    picture = picture.convert("RGB")
                    picture.info = {}  # PNG and JPEG writers copy ICC profiles, text from it
                    picture.save(out, "JPEG", quality=90, optimize=True)
                    content_type = "image/jpeg"
                else:
                    if picture.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                        picture = picture.convert("RGBA")
                    picture.info = {}
                    picture.save(out, "PNG", optimize=True)
                    content_type = "image/png"
        except ValidationError:
            raise
        except (
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            ValueError,
            PILImage.DecompressionBombError,
        ) as error:
            raise ValidationError(_("Berkas ini bukan gambar yang utuh.")) from error
        self.cleaned_data["content_type"] = content_type
        self.cleaned_data["width"], self.cleaned_data["height"] = width, height
        return out.getvalue()
