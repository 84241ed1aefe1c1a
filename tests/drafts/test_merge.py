"""Word-level comparison and three-way merge of section bodies."""

import pytest

from drafts.diffing import compare, merge, merge_sequences
from drafts.html import sanitize

BASE = sanitize(
    "<p>Kutai Kartanegara memiliki luas daratan 27.263,1 km² dengan ibu kota Tenggarong.</p>"
    "<p>Penduduk hasil Sensus Penduduk 2020 berjumlah 729.382 jiwa.</p>"
    "<table><caption>Penduduk</caption><tr><td>Samboja</td><td>66.617</td></tr>"
    "<tr><td>Loa Janan</td><td>67.471</td></tr></table>"
    "<p>Penutup bagian.</p>"
)


def test_changes_to_different_paragraphs_merge():
    theirs = BASE.replace("ibu kota Tenggarong", "ibu kota di Tenggarong")
    mine = BASE.replace("729.382 jiwa", "729.382 jiwa (BPS)")
    result = merge(BASE, theirs, mine)
    assert result.clean
    assert "ibu kota di Tenggarong" in result.html and "729.382 jiwa (BPS)" in result.html


def test_changes_to_different_words_of_one_sentence_merge():
    theirs = BASE.replace("luas daratan", "luas wilayah daratan")
    mine = BASE.replace("ibu kota Tenggarong", "ibu kota Kabupaten di Tenggarong")
    result = merge(BASE, theirs, mine)
    assert result.clean
    assert (
        "luas wilayah daratan 27.263,1 km² dengan ibu kota Kabupaten di Tenggarong" in result.html
    )


def test_changes_to_different_cells_of_a_table_merge():
    theirs = BASE.replace("66.617", "66.620")
    mine = BASE.replace("67.471", "67.500")
    result = merge(BASE, theirs, mine)
    assert result.clean
    assert "66.620" in result.html and "67.500" in result.html


def test_a_paragraph_added_by_each_at_different_places_merges():
    theirs = "<p>Pembuka dari rekan.</p>\n" + BASE
    mine = BASE + "\n<p>Catatan tambahan saya.</p>"
    result = merge(BASE, theirs, mine)
    assert result.clean
    lines = result.html.splitlines()
    assert lines[0] == "<p>Pembuka dari rekan.</p>" and lines[-1] == "<p>Catatan tambahan saya.</p>"


def test_changes_to_neighbouring_words_merge_word_by_word():
    theirs = BASE.replace("729.382 jiwa", "729.382 orang")
    mine = BASE.replace("729.382 jiwa", "734.485 jiwa")
    result = merge(BASE, theirs, mine)
    assert result.clean and "734.485 orang" in result.html


def test_the_same_change_on_both_sides_is_kept_once():
    both = BASE.replace("Penutup", "Akhir")
    result = merge(BASE, both, both)
    assert result.clean and result.html.count("Akhir bagian") == 1


def test_overlapping_changes_are_reported_and_nothing_is_chosen():
    theirs = BASE.replace("729.382 jiwa", "729.400 jiwa")
    mine = BASE.replace("729.382 jiwa", "734.485 jiwa")
    result = merge(BASE, theirs, mine)
    assert not result.clean
    [conflict] = result.conflicts
    assert "729.400 jiwa" in conflict.theirs and "734.485 jiwa" in conflict.mine
    assert "729.382 jiwa" in conflict.base
    with pytest.raises(ValueError):
        result.html  # noqa: B018 - a merge with conflicts has no text


def test_edit_against_delete_of_the_same_paragraph_is_a_conflict():
    theirs = BASE.replace("<p>Penutup bagian.</p>", "")
    mine = BASE.replace("Penutup bagian.", "Penutup bagian yang diperluas.")
    result = merge(BASE, theirs.strip("\n"), mine)
    assert not result.clean


def test_both_appending_at_the_end_is_a_conflict_resolved_by_choice():
    theirs = BASE + "\n<p>Dari rekan.</p>"
    mine = BASE + "\n<p>Dari saya.</p>"
    result = merge(BASE, theirs, mine)
    assert len(result.conflicts) == 1
    assert result.resolve(["theirs"]).endswith("<p>Dari rekan.</p>")
    assert result.resolve(["mine"]).endswith("<p>Dari saya.</p>")
    assert result.resolve(["both"]).endswith("<p>Dari rekan.</p>\n<p>Dari saya.</p>")
    with pytest.raises(ValueError):
        result.resolve([])
    with pytest.raises(ValueError):
        result.resolve(["keduanya"])


def test_non_overlapping_changes_survive_next_to_a_conflict():
    theirs = BASE.replace("Tenggarong", "Tenggarong (ibu kota)").replace("Penutup", "PENUTUP")
    mine = BASE.replace("729.382 jiwa", "729.382 penduduk").replace("Penutup", "Akhir")
    result = merge(BASE, theirs, mine)
    assert len(result.conflicts) == 1
    resolved = result.resolve(["mine"])
    assert (
        "Tenggarong (ibu kota)" in resolved
        and "729.382 penduduk" in resolved
        and "Akhir" in resolved
    )


def test_merge_sequences_is_diff3():
    base, theirs, mine = list("abcdefg"), list("aXcdefg"), list("abcdeYg")
    result = [part for _kind, _b, _t, part in merge_sequences(base, theirs, mine)]
    assert "".join("".join(p) for p in result) == "aXcdeYg"


def test_compare_marks_inserted_and_deleted_words():
    new = BASE.replace("729.382 jiwa", "734.485 jiwa")
    diff = str(compare(BASE, new))
    assert "<del>729.382</del>" in diff and "<ins>734.485</ins>" in diff
    assert "Kutai Kartanegara memiliki" in diff  # unchanged text is shown as it is


def test_compare_reaches_inside_table_cells():
    new = BASE.replace("66.617", "66.620")
    diff = str(compare(BASE, new))
    assert "<td><del>66.617</del><ins>66.620</ins></td>" in diff


def test_compare_marks_whole_new_and_removed_paragraphs():
    new = BASE.replace("<p>Penutup bagian.</p>", "").strip("\n") + "\n<h3>Subjudul baru</h3>"
    diff = str(compare(BASE, new))
    assert '<del class="diff-block"><p>Penutup bagian.</p></del>' in diff
    assert '<ins class="diff-block"><h3>Subjudul baru</h3></ins>' in diff


def test_compare_output_is_always_well_formed_and_safe():
    old = sanitize("<table><tr><td>a</td><td>b</td></tr></table>")
    new = sanitize("<p>pengganti</p><ul><li>satu</li></ul>")
    diff = str(compare(old, new))
    assert diff.count("<table") == diff.count("</table>")
    assert "script" not in diff


def test_keeping_both_sides_of_a_conflict_keeps_each_change_once():
    theirs = BASE.replace("729.382 jiwa", "729.400 jiwa")
    mine = BASE.replace("729.382 jiwa", "734.485 jiwa")
    [conflict] = merge(BASE, theirs, mine).conflicts
    resolved = merge(BASE, theirs, mine).resolve(["both"])
    assert "Penduduk hasil Sensus Penduduk 2020 berjumlah 729.400 734.485 jiwa." in resolved
    # The sentence nobody changed is there once, not once per side.
    assert resolved.count("Penduduk hasil Sensus") == 1
    assert resolved.count("<p>") == BASE.count("<p>")
    assert "729.382" in conflict.base and "729.382" not in resolved


def test_keeping_both_of_a_rewritten_paragraph_keeps_their_edit_then_the_rewrite():
    theirs = BASE.replace("ibu kota Tenggarong", "ibu kota di Tenggarong")
    mine = BASE.replace(
        "Kutai Kartanegara memiliki luas daratan 27.263,1 km² dengan ibu kota Tenggarong.",
        "Kabupaten ini luas.",
    )
    lines = merge(BASE, theirs, mine).resolve(["both"]).splitlines()
    # Too little in common to interleave word by word: their paragraph, then mine, each once.
    assert lines[0] == (
        "<p>Kutai Kartanegara memiliki luas daratan 27.263,1 km² dengan ibu kota di Tenggarong.</p>"
    )
    assert lines[1] == "<p>Kabupaten ini luas.</p>"
    assert lines[2].startswith("<p>Penduduk hasil")


def test_keeping_both_additions_to_one_paragraph_keeps_each_once():
    theirs = BASE.replace("729.382 jiwa.", "729.382 jiwa. Sumber: BPS.")
    mine = BASE.replace("729.382 jiwa.", "729.382 jiwa. Laju pertumbuhan 2,1 persen.")
    result = merge(BASE, theirs, mine)
    assert len(result.conflicts) == 1
    resolved = result.resolve(["both"])
    assert (
        "<p>Penduduk hasil Sensus Penduduk 2020 berjumlah 729.382 jiwa. Sumber: BPS. "
        "Laju pertumbuhan 2,1 persen.</p>"
    ) in resolved
    assert resolved.count("Penduduk hasil Sensus") == 1
