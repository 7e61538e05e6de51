"""Money across a fleet: totals per stake currency, and one total only with exchange rates.

FreqUI adds profits across stake currencies and labels the sum ``USDT``. Here a sum never
crosses currencies by accident:

* :func:`per_currency` totals the money columns of a fleet frame per ``stake_currency``;
* :func:`total` gives one figure: directly when every bot stakes the same currency, else
  only with :class:`Rates`; without them it raises
  :class:`~ftnotebook.fleet.MixedCurrencies`, naming the currencies;
* :class:`Rates` holds one :class:`Rate` per currency (reporting units per unit, when it
  was read and where from): from a dict (:meth:`Rates.from_dict`) or read from a bot
  that trades the cross pair (:meth:`ftnotebook.fleet.Fleet.rates`).

>>> import pandas as pd
>>> df = pd.DataFrame({"bot": ["a", "b", "c"], "stake_currency": ["USDT", "USDT", "BTC"],
...                    "profit_all_coin": [10.0, -2.0, 0.001]})
>>> per_currency(df, ["profit_all_coin"])["profit_all_coin"].to_dict()
{'BTC': 0.001, 'USDT': 8.0}
>>> total(df, "profit_all_coin")
Traceback (most recent call last):
...
ftnotebook.fleet._errors.MixedCurrencies: a single total would add BTC and USDT together: ...
>>> t = total(df, "profit_all_coin", rates=Rates.from_dict("USDT", {"BTC": 90_000.0}))
>>> t.value, t.currency
(98.0, 'USDT')
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd

from ftnotebook.fleet._errors import MixedCurrencies

__all__ = ["Rate", "Rates", "Total", "per_currency", "total"]


@dataclass(frozen=True)
class Rate:
    """``1 currency = value reporting``, as of ``as_of`` (UTC), read from ``source``."""

    currency: str
    reporting: str
    value: float
    as_of: datetime
    source: str

    def __post_init__(self) -> None:
        if (
            not isinstance(self.value, int | float)
            or not math.isfinite(self.value)
            or self.value <= 0
        ):
            raise ValueError(
                f"rate {self.currency}->{self.reporting} must be > 0, got {self.value!r}"
            )
        if self.as_of.tzinfo is None:
            raise ValueError("Rate.as_of must be timezone-aware (UTC)")


@dataclass(frozen=True)
class Rates:
    """Conversion into one reporting currency: a :class:`Rate` per other currency."""

    reporting: str
    rates: Mapping[str, Rate] = field(default_factory=dict)

    @classmethod
    def from_dict(
        cls, reporting: str, values: Mapping[str, float], *, as_of: datetime | None = None
    ) -> Rates:
        """Rates given by the user: ``{"BTC": 90_000.0}`` means 1 BTC = 90,000 ``reporting``.

        Raises:
            ValueError: an empty currency name, or a rate that is not a positive number.
        """
        if not isinstance(reporting, str) or not reporting:
            raise ValueError(f"reporting must be a currency name such as 'USDT', got {reporting!r}")
        stamp = as_of or datetime.now(UTC)
        made = {}
        for currency, value in values.items():
            if not isinstance(currency, str) or not currency:
                raise ValueError(
                    f"rates: currency names must be non-empty strings, got {currency!r}"
                )
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"rates[{currency!r}] must be a number, got {value!r}")
            made[currency] = Rate(currency, reporting, float(value), stamp, "user")
        return cls(reporting, made)

    def rate(self, currency: str) -> float:
        """Reporting units per unit of ``currency`` (1.0 for the reporting currency itself).

        Raises:
            MixedCurrencies: no rate for ``currency``.
        """
        if currency == self.reporting:
            return 1.0
        if currency not in self.rates:
            raise MixedCurrencies(
                [currency, self.reporting], f"converting {currency} into {self.reporting} (no rate)"
            )
        return self.rates[currency].value

    def covers(self, currencies: Sequence[str]) -> bool:
        """True when every currency converts."""
        return all(c == self.reporting or c in self.rates for c in currencies)

    def frame(self) -> pd.DataFrame:
        """One row per rate: currency, reporting, rate, as_of, source."""
        rows = [
            {"currency": r.currency, "reporting": r.reporting, "rate": r.value,
             "as_of": r.as_of, "source": r.source}
            for r in self.rates.values()
        ]  # fmt: skip
        return pd.DataFrame(rows, columns=["currency", "reporting", "rate", "as_of", "source"])


@dataclass(frozen=True)
class Total:
    """One fleet-wide figure: ``value`` in ``currency``, with what it was made of.

    ``per_currency`` holds the sums before conversion; ``rates`` the rates used (empty
    when every bot staked ``currency``).
    """

    value: float
    currency: str
    per_currency: Mapping[str, float]
    rates: Mapping[str, Rate]

    def __str__(self) -> str:
        return f"{self.value:,.8g} {self.currency}"


def _check(frame: pd.DataFrame, columns: Sequence[str], currency_col: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in (currency_col, *columns) if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks the column(s) {missing}; it has {list(frame.columns)}")


def per_currency(
    frame: pd.DataFrame, columns: Sequence[str], *, currency_col: str = "stake_currency"
) -> pd.DataFrame:
    """Sum ``columns`` per currency: one row per currency (sorted), never across them."""
    _check(frame, columns, currency_col)
    grouped = frame.groupby(frame[currency_col].astype(str), sort=True)[list(columns)].sum()
    grouped.index.name = currency_col
    return grouped


def total(
    frame: pd.DataFrame,
    column: str,
    *,
    rates: Rates | None = None,
    currency_col: str = "stake_currency",
) -> Total:
    """One total of ``column`` over the fleet.

    Without ``rates`` this works only when every row has the same currency. With
    ``rates``, each currency's sum is converted into ``rates.reporting``.

    Raises:
        MixedCurrencies: several currencies and no rates, or a currency ``rates`` lacks.
        ValueError: ``frame`` lacks ``column`` or ``currency_col``.
    """
    sums = per_currency(frame, [column], currency_col=currency_col)[column]
    by_currency = {str(k): float(v) for k, v in sums.items()}
    if rates is None:
        if len(by_currency) > 1:
            raise MixedCurrencies(by_currency)
        currency = next(iter(by_currency), "")
        return Total(sum(by_currency.values()), currency, by_currency, {})
    if not rates.covers(list(by_currency)):
        missing = [c for c in by_currency if c != rates.reporting and c not in rates.rates]
        raise MixedCurrencies(
            [*missing, rates.reporting],
            f"a total in {rates.reporting} needs a rate for {', '.join(missing)}; it",
        )
    value = sum(v * rates.rate(c) for c, v in by_currency.items())
    used = {c: rates.rates[c] for c in by_currency if c != rates.reporting}
    return Total(value, rates.reporting, by_currency, used)
