"""How the dashboards print numbers: one format per kind, shared by the pages and their tests."""

from decimal import Decimal

Number = Decimal | int | float | None


def money(value: Number) -> str:
    """``$1,234.56``; an em dash for no value."""
    return "—" if value is None else f"${value:,.2f}"


def count(value: Number) -> str:
    """``1,234``; an em dash for no value."""
    return "—" if value is None else f"{value:,.0f}"


def percent(value: Number) -> str:
    """``12.3%`` of a ratio (0.123); an em dash for no value."""
    return "—" if value is None else f"{value * 100:.1f}%"


def signed_percent(value: Number) -> str | None:
    """``+12.3%`` of a ratio for a metric's delta; ``None`` (no delta) for no value."""
    return None if value is None else f"{value * 100:+.1f}%"
