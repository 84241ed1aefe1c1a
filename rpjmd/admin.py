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


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "agency", "region", "is_active", "last_login"]
    # One query for the page, not two per row (a national list was 211 queries a page).
    list_select_related = ["agency", "region"]
    list_filter = ["role", "is_active", "region", "agency"]
    search_fields = ["username", "full_name", "email", "position"]
    ordering = ["full_name"]
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
