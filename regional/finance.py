"""Arithmetic of the Bab III tables: sums, average growth, proportions and projections.

Kept apart from the blocks so the figures can be tested (and reused) without rendering.
All amounts are Decimal rupiah; rates are percentages (Decimal, two places).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from regional.models import (
    REVENUE_ACCOUNTS,
    SPENDING_ACCOUNTS,
    Account,
    FinanceEntry,
    FinanceSettings,
    finance_years,
)
from rpjmd.models import Plan

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass
class Ledger:
    """The realised APBD of a plan: amounts[account][year]."""

    years: list[int]
    amounts: dict[str, dict[int, Decimal]]

    @classmethod
    def of(cls, plan: Plan) -> Ledger:
        amounts: dict[str, dict[int, Decimal]] = {a.value: {} for a in Account}
        for entry in FinanceEntry.objects.filter(plan=plan):
            amounts[entry.account][entry.year] = entry.amount
        return cls(finance_years(plan), amounts)

    def value(self, accounts: list[str], year: int) -> Decimal | None:
        """The sum of the accounts in a year; None when none of them has a figure."""
        found = [self.amounts[a][year] for a in accounts if year in self.amounts[a]]
        return sum(found, Decimal(0)) if found else None

    def series(self, accounts: list[str]) -> list[Decimal | None]:
        return [self.value(accounts, year) for year in self.years]

    def years_with_data(self) -> list[int]:
        return [y for y in self.years if any(y in values for values in self.amounts.values())]


def average_growth(series: list[Decimal | None]) -> Decimal | None:
    """The mean of the year-on-year growth rates (%), over consecutive years both known and the
    earlier one above zero: the "rata-rata pertumbuhan" of the RPJMD tables."""
    rates = [
        (current - previous) / previous * HUNDRED
        for previous, current in zip(series, series[1:], strict=False)
        if previous is not None and current is not None and previous > 0
    ]
    if not rates:
        return None
    return (sum(rates, Decimal(0)) / len(rates)).quantize(CENT)


def share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (part / whole * HUNDRED).quantize(CENT)


def base_year(ledger: Ledger, accounts: list[str]) -> int | None:
    """The latest year with a figure for any of the accounts: projections start from it."""
    known = [y for y in ledger.years if ledger.value(accounts, y) is not None]
    return known[-1] if known else None


def project(base: Decimal, rate: Decimal, years: int) -> Decimal:
    """base × (1 + rate/100)^years, rounded to the rupiah."""
    factor = (1 + rate / HUNDRED) ** years
    return (base * factor).quantize(Decimal(1))


@dataclass
class Projection:
    """Each account's projected amounts for the plan years, and the rate used for it."""

    base_year: int | None
    plan_years: list[int]
    rates: dict[str, Decimal]
    amounts: dict[str, dict[int, Decimal]]
    planner_rate: Decimal | None

    def value(self, accounts: list[str], year: int) -> Decimal | None:
        found = [self.amounts[a][year] for a in accounts if year in self.amounts.get(a, {})]
        return sum(found, Decimal(0)) if found else None


def project_accounts(
    plan: Plan, ledger: Ledger, accounts: list[str], *, rate: Decimal | None = None
) -> Projection:
    """Project each account from its latest realised year at `rate` (%), or at its own average
    growth; an account without growth history stays flat."""
    base = base_year(ledger, accounts)
    plan_years = list(range(plan.start_year, plan.end_year + 1))
    rates: dict[str, Decimal] = {}
    amounts: dict[str, dict[int, Decimal]] = {}
    for account in accounts:
        start = ledger.amounts[account].get(base) if base else None
        if start is None:
            continue
        own = rate if rate is not None else average_growth(ledger.series([account]))
        rates[account] = own if own is not None else Decimal(0)
        amounts[account] = {y: project(start, rates[account], y - base) for y in plan_years}
    return Projection(base, plan_years, rates, amounts, rate)


def revenue_projection(plan: Plan, ledger: Ledger | None = None) -> Projection:
    ledger = ledger or Ledger.of(plan)
    rate = FinanceSettings.for_plan(plan).projection_rate
    return project_accounts(plan, ledger, list(REVENUE_ACCOUNTS), rate=rate)


def average_level(series: list[Decimal | None]) -> Decimal | None:
    known = [v for v in series if v is not None]
    return (sum(known, Decimal(0)) / len(known)).quantize(Decimal(1)) if known else None


@dataclass
class Capacity:
    """Kapasitas riil kemampuan keuangan daerah and the kerangka pendanaan, per plan year."""

    years: list[int]
    revenue: dict[int, Decimal | None]
    financing_in: Decimal | None
    financing_out: Decimal | None
    operating: dict[int, Decimal | None]
    other_spending: dict[int, Decimal | None]

    def total_receipts(self, year: int) -> Decimal | None:
        if self.revenue[year] is None:
            return None
        return self.revenue[year] + (self.financing_in or 0)

    def capacity(self, year: int) -> Decimal | None:
        receipts = self.total_receipts(year)
        return None if receipts is None else receipts - (self.financing_out or 0)

    def remaining(self, year: int) -> Decimal | None:
        capacity = self.capacity(year)
        if capacity is None:
            return None
        return capacity - (self.operating[year] or 0) - (self.other_spending[year] or 0)


def capacity(plan: Plan) -> Capacity:
    """Revenue as projected; financing at its realised average (SiLPA and loan repayments do not
    grow with the economy); operating and other committed spending at their average growth."""
    ledger = Ledger.of(plan)
    revenue = revenue_projection(plan, ledger)
    spending = project_accounts(plan, ledger, list(SPENDING_ACCOUNTS))
    committed = [Account.UNEXPECTED, Account.TRANSFER_OUT]
    years = revenue.plan_years
    return Capacity(
        years=years,
        revenue={y: revenue.value(list(REVENUE_ACCOUNTS), y) for y in years},
        financing_in=average_level(ledger.series([Account.FINANCING_IN])),
        financing_out=average_level(ledger.series([Account.FINANCING_OUT])),
        operating={y: spending.value([Account.OPERATING], y) for y in years},
        other_spending={y: spending.value(committed, y) for y in years},
    )
