"""How every report writes a value: three decimals, n/a for undefined, yes/no for flags."""

from __future__ import annotations

from typing import Any


def fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


#: What a spreadsheet takes for the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A cell made safe to open in a spreadsheet: text that starts like a formula gets a leading `'`
    (OWASP's advice), so `=cmd|' /C calc'!A0` shows as text instead of running. Numbers, negative
    ones included, and other non-text values are returned as they are. Every CSV writer uses this."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
