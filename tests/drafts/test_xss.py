"""Stored XSS (QUALITY D2): every payload through every text field of the drafts module, on every
page and fragment that shows it."""

import re

import pytest
from django.utils.html import escape

from drafts import editing
from drafts.comments import add_comment
from drafts.models import Section
from drafts.snapshots import take_snapshot
from tests.drafts.factories import make_section
from tests.xss import XSS_PAYLOADS, assert_no_injection


@pytest.mark.parametrize("n", range(0, len(XSS_PAYLOADS), 4))
def test_payloads_in_titles_bodies_notes_comments_and_snapshot_names_stay_text(
    world, client_for, n
):
    payloads = XSS_PAYLOADS[n : n + 4]
    planner, opd = client_for("planner"), client_for("opd")
    for payload in payloads:
        section = make_section(world.plan, agency=world.agency_a, title=payload)
        Section.objects.filter(pk=section.pk).update(hint=payload)
        document = section.chapter.document
        document.cover_place = payload
        document.save()
        body = f"<p>Awal {payload} akhir.</p>"
        editing.save_section(
            section_id=section.pk, body=body, base_version=0, by=world.staff_a, note=payload
        )
        editing.save_section(
            section_id=section.pk,
            body=body.replace("Awal", "Mula") + f"<p>{payload}</p>",
            base_version=1,
            by=world.planner,
            note=payload,
        )
        add_comment(
            section=section,
            by=world.leader,
            body=payload,
            quote=payload[:60],
            prefix=payload,
            suffix=payload,
        )
        snapshot = take_snapshot(
            document=document, name=f"{payload} {section.pk}", by=world.planner
        )
        editing.autosave(section=section, body=payload, base_version=2, by=world.staff_a)
        conflict = opd.post(
            f"/bagian/{section.pk}/ubah/",
            {"body": f"<p>Permulaan {payload} akhir.</p>", "base_version": 1, "note": payload},
        )
        pages = {
            "document": planner.get(f"/rencana/{world.plan.pk}/dokumen/"),
            "board": planner.get(f"/rencana/{world.plan.pk}/dokumen/papan/"),
            "board fragment": planner.get(
                f"/rencana/{world.plan.pk}/dokumen/papan/", headers={"HX-Request": "true"}
            ),
            "chapter": planner.get(f"/bab/{section.chapter_id}/"),
            "section": opd.get(f"/bagian/{section.pk}/"),
            "comments fragment": opd.get(
                f"/bagian/{section.pk}/?part=comments", headers={"HX-Request": "true"}
            ),
            "editor": opd.get(f"/bagian/{section.pk}/ubah/"),
            "editor with working copy": opd.get(f"/bagian/{section.pk}/ubah/?salinan=1"),
            "conflict": conflict,
            "versions": planner.get(f"/bagian/{section.pk}/versi/"),
            "version": planner.get(f"/bagian/{section.pk}/versi/1/"),
            "compare": planner.get(f"/bagian/{section.pk}/bandingkan/?a=1&b=2"),
            "section settings": planner.get(f"/bagian/{section.pk}/pengaturan/"),
            "document settings": planner.get(f"/rencana/{world.plan.pk}/dokumen/pengaturan/"),
            "snapshots": planner.get(f"/rencana/{world.plan.pk}/dokumen/snapshot/"),
            "snapshot": client_for("leader").get(f"/snapshot/{snapshot.pk}/"),
            "snapshot compare": planner.get(
                f"/rencana/{world.plan.pk}/dokumen/snapshot/bandingkan/"
            ),
            "presence": planner.post(f"/bagian/{section.pk}/kehadiran/", {"editing": "1"}),
        }
        for where, response in pages.items():
            assert response.status_code == (409 if where == "conflict" else 200), where
            assert_no_injection(response.text, f"{payload!r} on {where}")
        assert escape(payload)[:20] in pages["section"].text


def test_the_editor_receives_the_body_as_escaped_text(world, client_for, section_a):
    editing.save_section(
        section_id=section_a.pk,
        body="<p>a &lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt; b</p>",
        base_version=1,
        by=world.staff_a,
    )
    page = client_for("opd").get(f"/bagian/{section_a.pk}/ubah/").text
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1)
    assert "&amp;lt;/textarea&amp;gt;&amp;lt;script&amp;gt;" in textarea
    assert_no_injection(page, "editor")


@pytest.mark.parametrize("n", range(0, len(XSS_PAYLOADS), 8))
def test_payloads_stay_text_in_the_html_that_feeds_the_pdf(
    world, client_for, settings, tmp_path, n
):
    """Issue 7: chapter and section titles, bodies, snapshot names and the cover place in the
    HTML given to the renderer (chapters, front matter), and on the export pages."""
    from drafts import export
    from drafts.models import Chapter, Export
    from drafts.outline import create_document
    from drafts.snapshots import assemble_live, assemble_snapshot

    settings.PDF_CACHE_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path
    document = create_document(plan=world.plan, by=world.planner)
    payloads = XSS_PAYLOADS[n : n + 8]
    chapter = Chapter.objects.get(document=document, order=4)
    chapter.title = " ".join(payloads[:2])
    chapter.save()
    document.cover_place = payloads[2]
    document.save()
    for payload in payloads:
        section = make_section(chapter=chapter, title=payload)
        editing.save_section(
            section_id=section.pk,
            body=f"<p>Awal {payload} akhir.</p><table><caption>{payload}</caption>"
            f"<tr><td>{payload}</td></tr></table>",
            base_version=0,
            by=world.planner,
        )
    snapshot = take_snapshot(document=document, name=" ".join(payloads[3:5]), by=world.planner)
    images = export._Images(document)
    for assembled in (assemble_live(document), assemble_snapshot(snapshot)):
        for view in assembled.body_chapters:
            for make, _ in export.chapter_parts(
                document, assembled, view, images=images, draft=True
            ):
                assert_no_injection(make(2), f"chapter {view.order} PDF source")
    result = export.build_pdf(document, snapshot=snapshot)
    for front in (part for part in result.parts if part.key in ("cover", "front")):
        assert_no_injection(front.html, f"{front.key} PDF source")
    Export.objects.create(
        document=document,
        snapshot=snapshot,
        snapshot_name=snapshot.name,
        created_by=world.planner,
        status="failed",
        failure=payloads[0],
    )
    planner = client_for("planner")
    for url in (
        f"/rencana/{world.plan.pk}/dokumen/ekspor/",
        f"/rencana/{world.plan.pk}/dokumen/ekspor/{Export.objects.get().pk}/kemajuan/",
    ):
        response = planner.get(url)
        assert response.status_code == 200
        assert_no_injection(response.content.decode(), url)
