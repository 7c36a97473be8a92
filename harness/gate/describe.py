"""Words for the gate's result, shared by the Markdown comment and the terminal lines (pure)."""

from __future__ import annotations

from typing import Any

from harness.gate.result import GateResult

NOUNS = {"rule": "rule", "terms": "term list", "parameter": "parameter", "condition": "condition"}
MAX_PHRASES = 20  # phrases listed per change; --json has all of them
MAX_AFFECTED = 5  # affected rules named per change


def _code(text: str, code: bool) -> str:
    return f"`{text}`" if code else text


def where(item: dict[str, Any]) -> str:
    return f"{item['file']}:{item['line']}" if item.get("line") else str(item["file"])


def heading(change: dict[str, Any], code: bool = False) -> str:
    """`term list lockout changed at rules/lexicon.yaml:12 (owner seller-access)`."""
    owner = f" (owner {change['owner']})" if change.get("owner") else ""
    place = _code(where(change), code)
    place = f"(was at {place})" if change["change"] == "removed" else f"at {place}"
    return f"{NOUNS[change['kind']]} {_code(change['name'], code)} {change['change']} {place}{owner}"


def _quoted(phrases: list[str]) -> str:
    shown = ", ".join(f'"{p}"' for p in phrases[:MAX_PHRASES])
    return shown + (f" and {len(phrases) - MAX_PHRASES} more" if len(phrases) > MAX_PHRASES else "")


def dead_notes(result: GateResult) -> dict[str, str]:
    """A note for each rule this change adds that fires on no scenario."""
    never = result.dead_rules.get("fire_on_no_scenario", [])
    return {rule: "fires on no scenario" for rule in never}


def change_details(change: dict[str, Any], notes: dict[str, str]) -> list[str]:
    """What changed inside the item, and which rules it reaches."""
    parts: list[str] = []
    if change["kind"] == "terms":
        for key, verb in (("removed", "removed"), ("added", "added")):
            if change.get(key):
                parts.append(f"{verb} {_quoted(change[key])}")
            if change.get(f"{key}_regex"):
                parts.append(f"regex {verb} {_quoted(change[f'{key}_regex'])}")
    elif change["kind"] == "parameter" and change["change"] == "changed":
        parts.append(f"{change['before']} → {change['after']}")
    elif change.get("keys"):
        parts.append("edited: " + ", ".join(change["keys"]))
    if change["kind"] == "rule" and change["name"] in notes:
        parts.append(notes[change["name"]])
    affects = [r for r in change.get("affects", []) if not (change["kind"] == "rule" and r == change["name"])]
    if affects:
        named = ", ".join(affects[:MAX_AFFECTED]) + (", …" if len(affects) > MAX_AFFECTED else "")
        parts.append(f"reaches {len(affects)} rule{'s' if len(affects) != 1 else ''} ({named})")
    elif change.get("cosmetic"):
        parts.append("wording or examples only: can change no outcome")
    elif change["kind"] != "rule":
        parts.append("used by no rule")
    return parts


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]"
    return "none" if value is None else str(value)


def field_flip(field: dict[str, Any]) -> str:
    return (
        f"{field['field']}: expected {_value(field['expected'])}, before {_value(field['before'])},"
        f" after {_value(field['after'])}"
    )


def group_title(group: dict[str, Any], code: bool = False) -> str:
    if not group["causes"]:
        return "other: no identified change"
    return " + ".join(
        f"{NOUNS[c['kind']]} {_code(c['name'], code)} ({_code(where(c), code)})"
        + (f", owner {c['owner']}" if c.get("owner") else "")
        for c in group["causes"]
    )
