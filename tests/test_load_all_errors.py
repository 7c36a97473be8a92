"""A rule directory's problems come in one run, sorted by file and line: a schema problem does not
hide an unknown name elsewhere, and a broken definition is reported once, at itself, never again
as "unknown" at each rule that uses it."""

from __future__ import annotations

from pathlib import Path

import pytest

import harness
from tests.support import MINIMAL_RULES

# A second routing rule (lines 1-7 of its block) whose condition names a term list nobody defines.
SELLER = """\
  - id: p-seller
    description: d
    source: s
    priority: 0
    set: {persona: seller}
    examples: {match: ["x"], no_match: ["y"]}
    when: {terms: nope}
"""
MISSPELT = MINIMAL_RULES.replace("    priority: 0", "    prority: 0")
SCHEMA_LINES = (
    "rules/a.yaml:7:5: rule 'p-shopper': missing key 'priority'; add it\n"
    "rules/a.yaml:10:5: rule 'p-shopper': unknown key 'prority' (did you mean 'priority'?);"
    " remove it or correct the spelling\n"
)


def _user(name: str, term_list: str) -> str:
    """A rule like SELLER, for creators, using `term_list`."""
    return SELLER.replace("p-seller", name).replace("nope", term_list).replace("seller}", "creator}")


CASES = {
    "schema problem in one file, unknown term list in another": (
        {"rules/a.yaml": MISSPELT, "rules/b.yaml": "routing:\n" + SELLER},
        SCHEMA_LINES + "rules/b.yaml:8:19: rule 'p-seller': unknown term list 'nope'; define it under `terms`",
    ),
    "schema problem and unknown term list in one file": (
        {"rules/a.yaml": MISSPELT + SELLER},
        SCHEMA_LINES + "rules/a.yaml:20:19: rule 'p-seller': unknown term list 'nope'; define it under `terms`",
    ),
    "a broken term list is defined: its users are not told it is unknown": (
        {
            "rules/a.yaml": MINIMAL_RULES.replace("terms:\n", "terms:\n  broken:\n    phrases: []\n")
            + SELLER
            + _user("p-creator", "broken")
        },
        "rules/a.yaml:5:14: term list 'broken': phrases: [] should be non-empty; correct the value\n"
        "rules/a.yaml:22:19: rule 'p-seller': unknown term list 'nope'; define it under `terms`",
    ),
    "a term list RE2 rejects is reported once, not at each rule using it": (
        {
            "rules/a.yaml": MINIMAL_RULES.replace("terms:\n", "terms:\n  bad:\n    regex: ['(?<=a)b']\n")
            + SELLER
            + _user("p-creator", "bad")
        },
        "rules/a.yaml:4:3: term list 'bad': RE2 cannot compile '(?<=a)b': invalid perl operator: (?<=;"
        " fix the pattern\n"
        "rules/a.yaml:22:19: rule 'p-seller': unknown term list 'nope'; define it under `terms`",
    ),
    "a broken shared condition is defined: its users are not told it is unknown": (
        {
            "rules/a.yaml": MINIMAL_RULES.replace("routing:", "conditions:\n  c1: {bogus: 1}\nrouting:").replace(
                "when: {ticket: {persona: [null]}}", "when: {use: c1}"
            )
            + SELLER
        },
        "rules/a.yaml:7:8: condition 'c1': unknown key 'bogus'; remove it or correct the spelling\n"
        "rules/a.yaml:22:19: rule 'p-seller': unknown term list 'nope'; define it under `terms`",
    ),
    "what every rule set needs is reported beside schema problems": (
        {
            "rules/a.yaml": MINIMAL_RULES.replace("  greeting:\n", "  other:\n").replace(
                "description: d", "description: 5"
            )
        },
        "rules: term list 'greeting' is not defined; add it under `terms:` in a rule file\n"
        "rules/a.yaml:8:18: rule 'p-shopper': description must be text, not a whole number; change its value",
    ),
    "a broken greeting is defined: not also 'not defined'": (
        {"rules/a.yaml": MINIMAL_RULES.replace("phrases: [hi]", "phrases: hi")},
        "rules/a.yaml:5:14: term list 'greeting': phrases must be a list, not text; change its value",
    ),
    "a rule with a schema problem still owns its id": (
        {"rules/a.yaml": MISSPELT + SELLER.replace("p-seller", "p-shopper")},
        SCHEMA_LINES
        + "rules/a.yaml:14:5: rule 'p-shopper': duplicate rule id, first defined at rules/a.yaml:7:5;"
        " rename or remove one",
    ),
    # A file that cannot be parsed may define any name: no "unknown term list 'nope'" (it may be
    # there), but the problems that do not depend on names are reported in the same run.
    "a syntax error elsewhere: the other files' own problems still come": (
        {
            "rules/a.yaml": "terms:\n  x: [\n",
            "rules/b.yaml": MINIMAL_RULES.replace(
                "when: {ticket: {persona: [null]}}", "when: {terms: nope, decision: {issue: [order]}}"
            ),
        },
        "rules/a.yaml:3:1: YAML syntax error: did not find expected node content; fix the YAML syntax\n"
        "rules/b.yaml:13:43: rule 'p-shopper': a rule that decides persona cannot test the decision's issue;"
        " it is decided later (order: persona, issue, channel)",
    ),
    "a misspelt section may define any name": (
        {"rules/a.yaml": MINIMAL_RULES.replace("terms:", "term:")},
        "rules/a.yaml:3:1: unknown key 'term' (did you mean 'terms'?); remove it or correct the spelling",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_problem_in_one_run(case: str, write) -> None:  # type: ignore[no-untyped-def]
    files, expected = CASES[case]
    root = write(files)
    with pytest.raises(harness.HarnessError) as caught:
        harness.load_rules(root / "rules")
    assert str(caught.value).replace(f"{root}/", "").replace(str(root / "rules"), "rules") == expected


def test_only_a_clean_load_is_cached(tmp_path: Path, write, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    cache = tmp_path / "cache"
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(cache))
    root = write({"rules/a.yaml": MISSPELT + SELLER}) / "rules"
    for _ in range(2):  # the second load checks again: nothing was kept of the first
        with pytest.raises(harness.HarnessError) as caught:
            harness.load_rules(root)
        assert len(caught.value.problems) == 3
    assert list(cache.glob("rules-*.json")) == []
    (root / "a.yaml").write_text(MINIMAL_RULES + SELLER.replace("{terms: nope}", "{terms: greeting}"))
    assert [r.id for r in harness.load_rules(root).rules] == ["p-seller", "p-shopper"]
    assert len(list(cache.glob("rules-*.json"))) == 1
    assert [r.id for r in harness.load_rules(root).rules] == ["p-seller", "p-shopper"]
