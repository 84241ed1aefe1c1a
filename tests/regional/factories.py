"""Regional data for tests."""

from __future__ import annotations

from decimal import Decimal

from regional.models import Aspect, FinanceEntry, RegionalIndicator
from tests.issues.factories import affair


def make_indicator(
    world,
    *,
    status: str = RegionalIndicator.Status.SUBMITTED,
    aspect: str = Aspect.SERVICES,
    code: str = "1.01",
    name: str = "Angka partisipasi murni SMP",
    actuals: dict | None = None,
    targets: dict | None = None,
    polarity: str = RegionalIndicator.Polarity.UP,
    plan=None,
    **fields,
) -> RegionalIndicator:
    """An indicator of bidang urusan `code` (1.01 belongs to world.agency_a)."""
    education = affair("1.01", "Pendidikan")
    world.agency_a.affairs.add(education)
    chosen = affair(code, fields.pop("affair_name", "Pendidikan")) if code else None
    return RegionalIndicator.objects.create(
        plan=plan or world.plan,
        aspect=aspect,
        affair=chosen,
        name=name,
        unit=fields.pop("unit", "persen"),
        polarity=polarity,
        actuals=actuals if actuals is not None else {"2018": "70.5", "2019": "72"},
        targets=targets if targets is not None else {"2018": "75", "2019": "80"},
        source=fields.pop("source", "Dapodik"),
        status=status,
        created_by=fields.pop("created_by", world.staff_a),
        **fields,
    )


def set_finance(plan, table: dict[str, dict[int, int | str]]) -> None:
    for account, years in table.items():
        for year, amount in years.items():
            FinanceEntry.objects.update_or_create(
                plan=plan, year=year, account=account, defaults={"amount": Decimal(str(amount))}
            )
