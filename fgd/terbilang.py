"""Numbers, dates and ordinals written out in Indonesian, as official documents spell them.

A berita acara says "Pada hari Sabtu tanggal tujuh bulan Maret tahun dua ribu dua puluh" and
numbers its decisions KESATU, KEDUA, …; these words never depend on the UI language.
"""

from __future__ import annotations

import datetime as dt

_UNITS = [
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
]

DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def terbilang(number: int) -> str:
    """Spell a whole number in Indonesian: 2020 → "dua ribu dua puluh", 1000 → "seribu"."""
    if number < 0:
        return f"minus {terbilang(-number)}"
    if number < 12:
        return _UNITS[number]
    if number < 20:
        return f"{_UNITS[number - 10]} belas"
    if number < 100:
        tens, rest = divmod(number, 10)
        return f"{_UNITS[tens]} puluh" + (f" {_UNITS[rest]}" if rest else "")
    if number < 200:
        return "seratus" + (f" {terbilang(number - 100)}" if number > 100 else "")
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return f"{_UNITS[hundreds]} ratus" + (f" {terbilang(rest)}" if rest else "")
    if number < 2000:
        return "seribu" + (f" {terbilang(number - 1000)}" if number > 1000 else "")
    for size, word in [(10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu")]:
        if number >= size:
            head, rest = divmod(number, size)
            return f"{terbilang(head)} {word}" + (f" {terbilang(rest)}" if rest else "")
    raise AssertionError("unreachable")  # pragma: no cover


def ordinal_word(number: int) -> str:
    """KESATU, KEDUA, …, KESEBELAS, KEDUA BELAS: how decisions of a berita acara are numbered."""
    if number < 1:
        raise ValueError("ordinals start at one")
    return f"ke{terbilang(number)}".upper()


def day_name(day: dt.date) -> str:
    return DAYS[day.weekday()]


def month_name(day: dt.date) -> str:
    return MONTHS[day.month - 1]


def long_date(day: dt.date) -> str:
    """7 Maret 2020."""
    return f"{day.day} {month_name(day)} {day.year}"


def date_in_words(day: dt.date) -> str:
    """ "hari Sabtu tanggal tujuh bulan Maret tahun dua ribu dua puluh"."""
    return (
        f"hari {day_name(day)} tanggal {terbilang(day.day)} bulan {month_name(day)} "
        f"tahun {terbilang(day.year)}"
    )
