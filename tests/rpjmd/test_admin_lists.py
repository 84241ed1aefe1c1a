"""The administrator's cross-region lists read each page in a fixed number of queries: at a
national scale (12,000 users) a query per row was 200 queries and half a second a page."""

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
