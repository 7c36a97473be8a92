"""`harness evaluate --compare` in the terminal: per field, the scenarios fixed and broken; then
each scenario with what it expected, what it got before and now, and the deciding rules; then the
rules whose status (live, never decisive, dead) changed."""

from __future__ import annotations

from harness.evaluate.changes import Changes, Flip


def _flip_lines(flip: Flip) -> list[str]:
    lines = [f"  {flip.kind} {flip.id} ({flip.where}): {flip.excerpt}"]
    for f in flip.fields:
        lines.append(
            f"    {f.field}: expected {f.expected or '(none)'}; was {f.before or '(none)'}"
            f" ({f.rule_before or 'no rule'}), now {f.after or '(none)'} ({f.rule_after or 'no rule'})"
        )
    return lines


def changes_lines(changes: Changes, since: str, shown: int) -> list[str]:
    lines = [f"since {since}: {len(changes.fixed)} fixed, {len(changes.broken)} broken"]
    fields: dict[str, tuple[list[str], list[str]]] = {}
    for kind, flips in (("fixed", changes.fixed), ("broken", changes.broken)):
        for flip in flips:
            for f in flip.fields:
                fields.setdefault(f.field, ([], []))[kind == "broken"].append(flip.id)
    for name, (fixed, broken) in fields.items():
        lines.append(f"  {name}: {len(fixed)} fixed, {len(broken)} broken")
    for flips in (changes.broken, changes.fixed):
        for flip in flips[:shown]:
            lines.extend(_flip_lines(flip))
        if len(flips) > shown:
            lines.append(f"  ... {len(flips) - shown} more {flips[0].kind} (--json lists them all)")
    lines.extend(f"  rule {s.rule}: {s.before} -> {s.after}" for s in changes.statuses)
    return lines
