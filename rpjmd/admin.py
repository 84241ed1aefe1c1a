from urllib.parse import parse_qsl, urlencode

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from rpjmd.models import (
    Affair,
    Agency,
    AuditEvent,
    District,
    NationalPriority,
    Plan,
    Region,
    Sdg,
    Stage,
    User,
)
from rpjmd.requests import positive_int

REGION_CHOSEN = "region__id__exact"
AGENCY_CHOSEN = ("agency__id__exact", "agency__isnull")


def _without_agency(query_string: str) -> str:
    kept = [(k, v) for k, v in parse_qsl(query_string.lstrip("?")) if k not in AGENCY_CHOSEN]
    return f"?{urlencode(kept)}"


class RegionFilter(admin.RelatedFieldListFilter):
    """The regions; choosing another one (or all) drops the agency chosen in the last one."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            yield choice | {"query_string": _without_agency(choice["query_string"])}


class AgencyOfRegionFilter(admin.RelatedFieldListFilter):
    """The agencies of the region chosen in the region filter, and none before one is chosen:
    a national installation has thousands (6,041 in the national benchmark), too many to read
    and to scroll for every page of users. An agency already chosen stays listed."""

    def field_choices(self, field, request, model_admin):
        region = positive_int(request.GET.get(REGION_CHOSEN))
        chosen = [pk for pk in map(positive_int, self.lookup_val or []) if pk is not None]
        if region is not None:
            within = {"region_id": region}
        elif chosen:
            within = {"pk__in": chosen}
        else:
            return []
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, ordering=ordering, limit_choices_to=within)

    def __init__(self, field, request, *args, **kwargs):
        super().__init__(field, request, *args, **kwargs)
        if positive_int(request.GET.get(REGION_CHOSEN)) is None:
            self.title = _("perangkat daerah (pilih daerah dulu)")

    def has_output(self):
        return True  # the hint in the title, even before a region is chosen


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "agency", "region", "is_active", "last_login"]
    # One query for the page, not two per row (a national list was 211 queries a page).
    list_select_related = ["agency", "region"]
    list_filter = [
        "role",
        "is_active",
        ("region", RegionFilter),
        ("agency", AgencyOfRegionFilter),
    ]
    search_fields = ["username", "full_name", "email", "position"]
    # The index user_name_order serves it; username, unique, makes the order total, so the
    # admin adds no "-pk" the index would not cover.
    ordering = ["full_name", "username"]
    autocomplete_fields = ["agency"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Identitas"), {"fields": ["full_name", "position", "email"]}),
        (_("Peran"), {"fields": ["role", "region", "agency"]}),
        (_("Status"), {"fields": ["is_active", "is_superuser", "groups", "user_permissions"]}),
        (_("Waktu"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "full_name",
                    "email",
                    "role",
                    "region",
                    "agency",
                    "password1",
                    "password2",
                ],
            },
        )
    ]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "province", "time_zone"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "region", "is_planning_agency"]
    list_select_related = ["region"]
    list_filter = ["region", "is_planning_agency"]
    search_fields = ["name", "short_name"]
    filter_horizontal = ["affairs"]


@admin.register(Affair)
class AffairAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group_name", "kind"]
    search_fields = ["code", "name"]


@admin.register(NationalPriority)
class NationalPriorityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "period"]
    list_filter = ["period"]


@admin.register(Sdg)
class SdgAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region"]
    list_select_related = ["region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "region", "start_year", "end_year", "rpjmn_period"]
    inlines = [StageInline]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is written by the application, never edited by hand."""

    list_display = ["created_at", "action", "outcome", "username", "object_type", "object_id"]
    list_filter = ["action", "outcome", "created_at"]
    search_fields = ["username", "object_type", "object_id", "ip_address", "path"]
    date_hierarchy = "created_at"
    list_select_related = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
