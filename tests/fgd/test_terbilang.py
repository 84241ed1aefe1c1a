import datetime as dt

import pytest

from fgd.terbilang import date_in_words, day_name, long_date, ordinal_word, terbilang


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (7, "tujuh"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (31, "tiga puluh satu"),
        (100, "seratus"),
        (111, "seratus sebelas"),
        (250, "dua ratus lima puluh"),
        (1000, "seribu"),
        (1945, "seribu sembilan ratus empat puluh lima"),
        (2020, "dua ribu dua puluh"),
        (2026, "dua ribu dua puluh enam"),
        (11000, "sebelas ribu"),
        (100000, "seratus ribu"),
        (1_000_000, "satu juta"),
        (2_500_000_000, "dua miliar lima ratus juta"),
        (-5, "minus lima"),
    ],
)
def test_terbilang_spells_numbers_as_official_documents_do(number, words):
    assert terbilang(number) == words


@pytest.mark.parametrize(
    ("number", "word"),
    [
        (1, "KESATU"),
        (2, "KEDUA"),
        (3, "KETIGA"),
        (4, "KEEMPAT"),
        (10, "KESEPULUH"),
        (11, "KESEBELAS"),
        (12, "KEDUA BELAS"),
        (21, "KEDUA PULUH SATU"),
    ],
)
def test_decisions_are_numbered_kesatu_kedua_ketiga(number, word):
    assert ordinal_word(number) == word


def test_ordinals_start_at_one():
    with pytest.raises(ValueError):
        ordinal_word(0)


def test_the_seed_fgd_date_in_words():
    day = dt.date(2020, 3, 7)
    assert day_name(day) == "Sabtu"
    assert long_date(day) == "7 Maret 2020"
    assert date_in_words(day) == "hari Sabtu tanggal tujuh bulan Maret tahun dua ribu dua puluh"
    assert day_name(dt.date(2020, 3, 8)) == "Minggu"
    assert long_date(dt.date(2021, 2, 1)) == "1 Februari 2021"
