"""Reference data: bidang urusan, national priorities, the RPJPN's misi and arah pembangunan,
SDGs, and the regions we ship data for.

The JSON files in rpjmd/data/ are copies of the project's shared domain files; the app never
reads anything outside the project at run time. Loading is idempotent and matches rows on their
natural keys. National data (Permendagri 90/2019, RPJMN, SDGs) is official and is brought back to
the source on every load. A region's kecamatan and agencies are only created when missing: from
then on the admin keeps them, and reloading must not undo their edits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.db import transaction

from rpjmd.models import (
    Affair,
    Agency,
    District,
    NationalLongTermGoal,
    NationalPriority,
    Region,
    Sdg,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
KUKAR_CODE = "64.02"


@cache
def read(name: str):
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return json.load(handle)


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    present: dict[str, int] = field(default_factory=dict)

    def count(self, label: str, created: bool) -> None:
        bucket = self.created if created else self.present
        bucket[label] = bucket.get(label, 0) + 1


def load_national(report: LoadReport) -> None:
    for row in read("urusan.json"):
        _, created = Affair.objects.update_or_create(
            code=row["kode"],
            defaults={
                "group_code": row["kode_urusan"],
                "group_name": row["urusan"],
                "name": row["bidang"],
                "nomenclature": row["nomenklatur"],
                "kind": row["jenis"],
            },
        )
        report.count("bidang urusan", created)
    for period_label, period in read("prioritas_nasional.json").items():
        period_key = period_label.removeprefix("RPJMN ").strip()
        for item in period["items"]:
            _, created = NationalPriority.objects.update_or_create(
                period=period_key,
                code=item["kode"],
                defaults={"name": item["nama"], "legal_basis": period["dasar"]},
            )
            report.count("prioritas nasional", created)
    load_long_term(report)
    for row in read("sdgs.json"):
        _, created = Sdg.objects.update_or_create(
            number=row["tujuan"], defaults={"name": row["nama"]}
        )
        report.count("TPB/SDGs", created)


def load_long_term(report: LoadReport) -> None:
    """RPJPN misi and, under each, its arah (tujuan) pembangunan (rpjpn.json cites the law)."""
    order = 0
    for period_label, period in read("rpjpn.json").items():
        period_key = period_label.removeprefix("RPJPN ").strip()
        for mission_row in period["misi"]:
            order += 1
            mission, created = NationalLongTermGoal.objects.update_or_create(
                period=period_key,
                code=mission_row["kode"],
                defaults={
                    "level": NationalLongTermGoal.Level.MISSION,
                    "name": mission_row["nama"],
                    "legal_basis": period["dasar"],
                    "mission": None,
                    "order": order,
                },
            )
            report.count("misi RPJPN", created)
            for row in mission_row["arah"]:
                order += 1
                _, created = NationalLongTermGoal.objects.update_or_create(
                    period=period_key,
                    code=row["kode"],
                    defaults={
                        "level": NationalLongTermGoal.Level.DIRECTION,
                        "name": row["nama"],
                        "legal_basis": period["dasar"],
                        "mission": mission,
                        "order": order,
                    },
                )
                report.count("arah pembangunan RPJPN", created)


def rpjpn_vision(period: str) -> str:
    return read("rpjpn.json").get(f"RPJPN {period}", {}).get("visi", "")


def load_kutai_kartanegara(report: LoadReport) -> Region:
    data = read("kutai_kartanegara.json")
    facts = data["wilayah"]
    region, created = Region.objects.get_or_create(
        code=facts["kode_kemendagri"],
        defaults={
            "name": facts["nama"].removeprefix("Kabupaten ").strip(),
            "kind": Region.Kind.REGENCY,
            "province": facts["provinsi"],
            "capital": facts["ibukota"],
            "time_zone": facts["zona_waktu"].split()[0],
        },
    )
    report.count("daerah", created)
    for row in data["kecamatan"]:
        _, created = District.objects.get_or_create(
            region=region, name=row["nama"], defaults={"code": row["kode"] or ""}
        )
        report.count("kecamatan", created)
    affairs = {a.code: a for a in Affair.objects.all()}
    for row in data["opd"]:
        agency, created = Agency.objects.get_or_create(
            region=region,
            short_name=row["singkatan"],
            defaults={"name": row["nama"], "is_planning_agency": row["singkatan"] == "Bappeda"},
        )
        if created:
            agency.affairs.set([affairs[code] for code in row["bidang_urusan"]])
        report.count("perangkat daerah", created)
    return region


def load_reference() -> LoadReport:
    report = LoadReport()
    with transaction.atomic():
        load_national(report)
        load_kutai_kartanegara(report)
    return report
