"""The one euro formatter: integer cents as Dutch text (``123456`` -> ``€ 1.234,56``), and
the one conversion of a form's euro amount to cents."""

from decimal import Decimal


def euro(cents: int | None, *, empty: str = "-") -> str:
    """Cents as Dutch euros with thousands dots and a decimal comma; `empty` for None."""
    if cents is None or cents == "":
        return empty
    cents = int(cents)
    whole, part = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    return f"{sign}€ {whole:,}".replace(",", ".") + f",{part:02d}"


def amount(cents: int) -> str:
    """Cents as a bare Dutch amount without the euro sign (``123456`` -> ``1.234,56``)."""
    return euro(cents).replace("€ ", "")


def to_cents(value) -> int:
    """A form's decimal euro amount (``Decimal("12.34")``) as integer cents; empty is 0."""
    return int(((value or Decimal("0")) * 100).to_integral_value())
