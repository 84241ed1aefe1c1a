from urllib.parse import parse_qsl, urlencode

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q
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

PROVINCE_CHOSEN = "province"
# Rows a page of the lists that span every region (users, agencies, kecamatan): Django's 100
# rows of nine columns were most of a page's 80-90 ms at national size, and an administrator
# narrows a list by province, region or search rather than paging through 12,000 users.
NATIONAL_LIST_ROWS = 50
REGION_CHOSEN = "region__id__exact"
AGENCY_CHOSEN = ("agency__id__exact", "agency__isnull")
REGION_OR_AGENCY_CHOSEN = (REGION_CHOSEN, "region__isnull", *AGENCY_CHOSEN)


def _without(query_string: str, names: tuple[str, ...]) -> str:
    kept = [(k, v) for k, v in parse_qsl(query_string.lstrip("?")) if k not in names]
    return f"?{urlencode(kept)}"


def _province(value: str) -> str | None:
    """The province named in the query string, or None where no province can have that name (a
    NUL, which PostgreSQL refuses in text, or longer than the column): then nothing matches,
    instead of a server error."""
    if "\x00" in value or len(value) > Region._meta.get_field("province").max_length:
        return None
    return value


class ProvinceFilter(admin.SimpleListFilter):
    """The provinces of the regions: a national installation has 546 regions, too many to read
    and to render beside every page of users, agencies or kecamatan, so a province comes first."""

    title = _("provinsi")
    parameter_name = PROVINCE_CHOSEN

    def lookups(self, request, model_admin):
        provinces = Region.objects.exclude(province="").order_by("province")
        return [(p, p) for p in provinces.values_list("province", flat=True).distinct()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        province = _province(self.value())
        return queryset.filter(region__province=province) if province else queryset.none()

    def choices(self, changelist):
        # The region and agency chosen belong to the province left behind.
        for choice in super().choices(changelist):
            yield choice | {
                "query_string": _without(choice["query_string"], REGION_OR_AGENCY_CHOSEN)
            }


class RegionFilter(admin.RelatedFieldListFilter):
    """The regions of the province chosen; before one is chosen, only the regions without a
    province. A region already chosen stays listed. Choosing another region (or all) drops the
    agency chosen in the last one."""

    def field_choices(self, field, request, model_admin):
        province = request.GET.get(PROVINCE_CHOSEN)
        chosen = [pk for pk in map(positive_int, self.lookup_val or []) if pk is not None]
        if province:
            province = _province(province)
            in_province = Q(province=province) if province else Q(pk__in=[])
        else:
            in_province = Q(province="")
        within = in_province | Q(pk__in=chosen)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, ordering=ordering, limit_choices_to=within)

    def __init__(self, field, request, *args, **kwargs):
        super().__init__(field, request, *args, **kwargs)
        if not request.GET.get(PROVINCE_CHOSEN):
            self.title = _("daerah (pilih provinsi dulu)")

    def has_output(self):
        return True  # the hint in the title, even before a province is chosen

    def choices(self, changelist):
        for choice in super().choices(changelist):
            yield choice | {"query_string": _without(choice["query_string"], AGENCY_CHOSEN)}


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
    list_per_page = NATIONAL_LIST_ROWS
    list_display = ["username", "full_name", "role", "agency", "region", "is_active", "last_login"]
    # One query for the page, not two per row (a national list was 211 queries a page).
    list_select_related = ["agency", "region"]
    list_filter = [
        "role",
        "is_active",
        ProvinceFilter,
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
    list_per_page = NATIONAL_LIST_ROWS
    list_display = ["short_name", "name", "region", "is_planning_agency"]
    list_select_related = ["region"]
    list_filter = [ProvinceFilter, ("region", RegionFilter), "is_planning_agency"]
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
    list_per_page = NATIONAL_LIST_ROWS
    list_display = ["name", "code", "region"]
    list_select_related = ["region"]
    list_filter = [ProvinceFilter, ("region", RegionFilter)]
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
