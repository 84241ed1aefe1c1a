"""The administrator's cross-region lists read each page in a fixed number of queries: at a
national scale (12,000 users) a query per row was 200 queries and half a second a page."""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import make_agency, make_region, make_user, sign_in


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_user_agency_and_kecamatan_lists_do_not_grow_with_their_rows(world):
    from rpjmd.models import District

    admin = Client()
    sign_in(admin, world.admin)
    urls = ["/admin/rpjmd/user/", "/admin/rpjmd/agency/", "/admin/rpjmd/district/"]
    for url in urls:  # the first request fills per-process caches (content types, …)
        queries(admin, url)
    before = {url: queries(admin, url) for url in urls}
    for n in range(12):
        region = make_region(name=f"Kabupaten Tambahan {n}")
        agency = make_agency(region, name=f"Dinas Tambahan {n}", short_name=f"DT{n}")
        make_user("opd", agency=agency)
        District.objects.create(region=region, name=f"Kecamatan Tambahan {n}")
    after = {url: queries(admin, url) for url in urls}
    # The filters beside the list read their choices once each; the rows add nothing.
    assert after == before


def agency_filter(response):
    return next(spec for spec in response.context["cl"].filter_specs if spec.field_path == "agency")


def test_user_list_lists_agencies_only_of_the_chosen_region(world):
    """A national installation has thousands of agencies: the users list offers them once a
    region is chosen, that region's only (issue 15)."""
    admin = Client()
    sign_in(admin, world.admin)
    page = admin.get("/admin/rpjmd/user/")
    assert agency_filter(page).lookup_choices == []
    assert "pilih daerah dulu" in page.text
    assert "Disdikbud" not in page.text.split('id="changelist-filter"')[1]

    page = admin.get(f"/admin/rpjmd/user/?region__id__exact={world.region.pk}")
    listed = {pk for pk, _ in agency_filter(page).lookup_choices}
    assert listed == {world.bappeda.pk, world.agency_a.pk, world.agency_b.pk}
    assert "pilih daerah dulu" not in page.text


def test_choosing_another_region_drops_the_agency_chosen(world):
    admin = Client()
    sign_in(admin, world.admin)
    chosen = f"?region__id__exact={world.region.pk}&agency__id__exact={world.agency_a.pk}"
    page = admin.get(f"/admin/rpjmd/user/{chosen}")
    assert [u.username for u in page.context["cl"].result_list] == ["staff_a"]
    region_filter = next(
        spec for spec in page.context["cl"].filter_specs if spec.field_path == "region"
    )
    links = [choice["query_string"] for choice in region_filter.choices(page.context["cl"])]
    assert links and not any("agency" in link for link in links)
    # A link kept from before (the region removed by hand) still shows the agency it filters by.
    page = admin.get(f"/admin/rpjmd/user/?agency__id__exact={world.agency_a.pk}")
    assert [pk for pk, _ in agency_filter(page).lookup_choices] == [world.agency_a.pk]
    assert [u.username for u in page.context["cl"].result_list] == ["staff_a"]


def test_user_list_order_is_the_one_its_index_serves(world, rf):
    """Sorting 12,000 users by name on every page is what made the national list slow: the
    admin's order is exactly an index's columns, with no "-pk" added after them."""
    from django.contrib.admin import site

    from rpjmd.models import User

    request = rf.get("/admin/rpjmd/user/")
    request.user = world.admin
    changelist = site.get_model_admin(User).get_changelist_instance(request)
    order = str(changelist.queryset.query).rsplit(" ORDER BY ", 1)[1]
    columns = re.findall(r'"rpjmd_user"\."(\w+)" ASC', order)
    assert len(columns) == order.count(",") + 1  # every column ascending, as the index
    assert columns in [list(index.fields) for index in User._meta.indexes]
