"""Password storage and policy (QUALITY B1, B2)."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from rpjmd.models import User
from tests.factories import make_user, sign_in

PASSWORD = "Sandi-Uji-Yang-Panjang-1"


def errors_for(password: str, user=None) -> list[str]:
    with translation.override("id"):
        try:
            validate_password(password, user)
        except ValidationError as error:
            return list(error.messages)
    return []


def test_a_user_created_in_the_admin_gets_an_argon2id_hash(world):
    admin = Client()
    sign_in(admin, world.admin)
    password = "kopi susu di tepi sungai setiap pagi"
    response = admin.post(
        "/admin/rpjmd/user/add/",
        {
            "username": "baru",
            "full_name": "Pengguna Baru",
            "email": "baru@example.org",
            "role": "opd",
            "region": world.region.pk,
            "agency": world.agency_a.pk,
            "password1": password,
            "password2": password,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content[:3000]
    user = User.objects.get(username="baru")
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(password)
    assert make_password("x").startswith("argon2$")


@pytest.mark.parametrize(
    "password",
    [
        "kukar-tempat-kelahiranku",
        "Tenggarong 2026 Indah",
        "sayang-kutai-selamanya",
        "Kartanegara!Jaya!Selalu",
        "B4pp3da-kerja-keras",  # character swaps do not hide the word
        "rpjmd-2025-2029-final",
        "pemkab-nomor-satu-hebat",
        "Kaltim-Berdaulat-Maju",
        "KUKARKAB.go.id-admin",
    ],
)
def test_passwords_with_local_words_are_refused_in_indonesian(password):
    messages = errors_for(password)
    assert any("nama daerah, instansi atau aplikasi" in m for m in messages), messages


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Pendek7", "terlalu pendek"),  # 7 characters (minimum 10)
        ("password123", "terlalu umum"),
        ("12345678901234", "seluruhnya terdiri dari angka"),
    ],
)
def test_djangos_validators_refuse_short_common_and_numeric_passwords(password, expected):
    messages = " ".join(errors_for(password))
    assert expected in messages, messages


def test_a_password_like_the_username_is_refused(world):
    user = make_user("opd", agency=world.agency_a, username="ahmadfauzi")
    assert errors_for("ahmadfauzi1", user)


@pytest.mark.parametrize(
    "password",
    [
        "kopi susu di tepi sungai",  # only lower-case letters and spaces: no composition rules
        "a" * 3 + "kapal-layar-mengarungi-samudra-biru-" * 2,
        ("ikan pesut? berenang: di sungai yang tenang ") * 2,
        "x" * 20 + "burung enggang terbang tinggi di atas hutan hujan tropis" + "y" * 8,
        "kelapa sawit dan padi tumbuh berdampingan " * 3,
    ],
)
def test_long_passphrases_without_composition_rules_are_accepted(password):
    assert errors_for(password) == []


@pytest.mark.parametrize("length", [64, 128])
def test_64_and_128_character_passwords_are_accepted_and_work(world, length):
    password = ("burung enggang terbang tinggi di atas hutan hujan tropis " * 3)[:length]
    assert len(password) == length
    assert errors_for(password) == []
    make_user("opd", agency=world.agency_a, username="panjang", password=password)
    client = Client()
    response = client.post("/masuk/", {"username": "panjang", "password": password})
    assert response.status_code == 302


def test_the_password_page_explains_a_refused_password_in_indonesian(world):
    make_user("opd", agency=world.agency_a, username="ahmad", password=PASSWORD)
    client = Client()
    client.post("/masuk/", {"username": "ahmad", "password": PASSWORD})
    response = client.post(
        "/akun/kata-sandi/",
        {
            "old_password": PASSWORD,
            "new_password1": "Tenggarong-Kota-Raja",
            "new_password2": "Tenggarong-Kota-Raja",
        },
    )
    assert response.status_code == 200
    assert "tidak boleh memuat nama daerah" in response.text
    assert "ditemukan: tenggarong" in response.text
    assert "onpaste" not in response.text  # pasting from a password manager is allowed
    user = User.objects.get(username="ahmad")
    assert user.check_password(PASSWORD)  # unchanged
