"""Writes harness/schemas/*.json from harness/data/contract.yaml (run from the repo root)."""

import json

import yaml

from harness.contract import Contract
from harness.evaluate.names import FRACTION_METRICS
from harness.load.validate import label_defs

with open("harness/data/contract.yaml", encoding="utf-8") as handle:
    labels = label_defs(Contract.from_data(yaml.safe_load(handle)))


def strlist():
    return {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}


def one_or_many():
    return {
        "type": ["string", "array"],
        "minLength": 1,
        "items": {"type": "string", "minLength": 1},
        "minItems": 1,
    }


threshold = {"type": ["integer", "string"], "minimum": 0, "minLength": 1}


def labellist(ref, nullable=False):
    item = {"$ref": f"#/$defs/{ref}_or_null" if nullable else f"#/$defs/{ref}"}
    return {"type": "array", "items": item, "minItems": 1}


example = {
    "type": ["string", "object"],
    "minLength": 1,
    "additionalProperties": False,
    "required": ["text"],
    "properties": {
        "text": {"type": "string", "minLength": 1},
        "persona": {"$ref": "#/$defs/persona"},
        "submitted_via": {"$ref": "#/$defs/arrival_channel"},
        "attachments": {"type": "array", "items": {"type": "string"}},
    },
}
condition = {
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "properties": {
        "any": {"type": "array", "items": {"$ref": "#/$defs/condition"}, "minItems": 1},
        "all": {"type": "array", "items": {"$ref": "#/$defs/condition"}, "minItems": 1},
        "none": {"type": "array", "items": {"$ref": "#/$defs/condition"}, "minItems": 1},
        "phrases": strlist(),
        "terms": one_or_many(),
        "regex": one_or_many(),
        "scope": {"enum": ["all", "opening"], "title": "scope"},
        "min_count": {"type": ["integer", "string"], "minimum": 1, "minLength": 1},
        "not_within": one_or_many(),
        "near": {
            "type": "object",
            "additionalProperties": False,
            "required": ["within"],
            "minProperties": 2,
            "properties": {
                "phrases": strlist(),
                "terms": one_or_many(),
                "regex": one_or_many(),
                "within": {"type": ["integer", "string"], "minimum": 0, "maximum": 50, "minLength": 1},
            },
        },
        "use": {"type": "string", "minLength": 1},
        "case_sensitive": {"type": "boolean"},
        "ticket": {
            "type": "object",
            "additionalProperties": False,
            "minProperties": 1,
            "properties": {
                "persona": labellist("persona", True),
                "submitted_via": labellist("arrival_channel", True),
                "attachments": {"enum": ["present", "absent"], "title": "attachments value"},
                "arrival": {"enum": ["matches_route", "elsewhere"], "title": "arrival value"},
            },
        },
        "decision": {
            "type": "object",
            "additionalProperties": False,
            "minProperties": 1,
            "properties": {
                "persona": labellist("persona"),
                "issue": labellist("issue"),
                "channel": labellist("channel"),
            },
        },
        "words": {
            "type": "object",
            "additionalProperties": False,
            "minProperties": 1,
            "properties": {"more_than": threshold, "at_most": threshold},
        },
        "quantity": {
            "type": "object",
            "additionalProperties": False,
            "required": ["of", "at_least"],
            "properties": {"of": {"type": "string", "minLength": 1}, "at_least": threshold},
        },
    },
}
common = {
    "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_.-]*(?!\\n)$"},
    "description": {"type": "string", "minLength": 1},
    "source": {"type": "string", "minLength": 1},
    "owner": {"type": "string", "minLength": 1},
    "when": {"$ref": "#/$defs/condition"},
    "examples": {
        "type": "object",
        "additionalProperties": False,
        "required": ["match", "no_match"],
        "properties": {
            "match": {"type": "array", "items": {"$ref": "#/$defs/example"}, "minItems": 1},
            "no_match": {"type": "array", "items": {"$ref": "#/$defs/example"}, "minItems": 1},
        },
    },
}
routing = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "description", "source", "priority", "set", "examples"],
    "properties": {
        **common,
        "priority": {"type": "integer", "minimum": 0, "maximum": 1000},
        "set": {
            "type": "object",
            "additionalProperties": False,
            "minProperties": 1,
            "maxProperties": 1,
            "properties": {
                "persona": {"$ref": "#/$defs/persona"},
                "issue": {"$ref": "#/$defs/issue"},
                "channel": {"$ref": "#/$defs/channel"},
            },
        },
    },
}
lint = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "description", "source", "finding", "message", "when", "examples"],
    "properties": {
        **common,
        "finding": {"$ref": "#/$defs/finding"},
        "message": {"type": "string", "minLength": 1},
    },
}
rules_schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "urn:support-routing-harness:rules",
    "title": "rule file",
    "description": "A rule file of the support-routing harness. Generated by tools/genschema.py from harness/data/contract.yaml; edit that script, not this file.",
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "properties": {
        "parameters": {
            "type": "object",
            "additionalProperties": {"type": "integer", "minimum": 0},
            "propertyNames": {"pattern": "^[a-z][a-z0-9_]*(?!\\n)$"},
        },
        "terms": {
            "type": "object",
            "propertyNames": {"pattern": "^[a-z][a-z0-9_]*(?!\\n)$"},
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "minProperties": 1,
                "properties": {"description": {"type": "string"}, "phrases": strlist(), "regex": strlist()},
            },
        },
        "conditions": {
            "type": "object",
            "propertyNames": {"pattern": "^[a-z][a-z0-9_]*(?!\\n)$"},
            "additionalProperties": {"$ref": "#/$defs/condition"},
        },
        "catalogue": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "channels": {
                    "type": "object",
                    "propertyNames": {"$ref": "#/$defs/channel"},
                    "additionalProperties": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["name", "path", "expect", "source"],
                        "properties": {
                            "name": {"type": "string"},
                            "path": strlist(),
                            "expect": strlist(),
                            "source": {"type": "string"},
                            "reaches": labellist("channel"),
                        },
                    },
                },
                "issues": {
                    "type": "object",
                    "propertyNames": {"$ref": "#/$defs/issue"},
                    "additionalProperties": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["needs", "expect", "source"],
                        "properties": {
                            "needs": {"type": "array", "items": {"type": "string"}},
                            "expect": {"type": "array", "items": {"type": "string"}},
                            "source": {"type": "string"},
                        },
                    },
                },
            },
        },
        "routing": {"type": "array", "items": {"$ref": "#/$defs/routing_rule"}, "minItems": 1},
        "lint": {"type": "array", "items": {"$ref": "#/$defs/lint_rule"}, "minItems": 1},
    },
    "$defs": {
        **labels,
        "condition": condition,
        "example": example,
        "routing_rule": routing,
        "lint_rule": lint,
    },
}
scenario_schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "urn:support-routing-harness:scenario",
    "title": "scenario",
    "description": "One labelled scenario (DOMAIN.md format). Generated by tools/genschema.py from harness/data/contract.yaml.",
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "ticket", "expect"],
    "properties": {
        "id": {"type": ["string", "integer"], "minLength": 1, "maxLength": 200},
        "source": {"type": ["string", "null"], "maxLength": 2000},
        "tags": {"type": ["array", "null"], "items": {"type": "string", "maxLength": 200}, "maxItems": 100},
        "ticket": {
            "type": "object",
            "additionalProperties": False,
            "required": ["text"],
            "properties": {
                "text": {"type": "string", "minLength": 1, "maxLength": 100000},
                "persona": {"$ref": "#/$defs/persona_or_null"},
                "submitted_via": {"$ref": "#/$defs/arrival_channel_or_null"},
                "attachments": {
                    "type": ["array", "null"],
                    "items": {"type": "string", "maxLength": 500},
                    "maxItems": 100,
                },
            },
        },
        "expect": {
            "type": "object",
            "additionalProperties": False,
            "required": ["persona", "issue", "channel"],
            "properties": {
                "persona": {"$ref": "#/$defs/persona"},
                "issue": {"$ref": "#/$defs/issue"},
                "channel": {"$ref": "#/$defs/channel"},
                "findings": {
                    "type": ["array", "null"],
                    "items": {"$ref": "#/$defs/finding"},
                    "uniqueItems": True,
                },
            },
        },
    },
    "$defs": labels,
}
def _metric_bounds(minimum: float, maximum: float | None) -> dict[str, object]:
    number: dict[str, object] = {"type": "number", "minimum": minimum}
    if maximum is not None:
        number["maximum"] = maximum
    return {
        "type": "object",
        "additionalProperties": number,
        "propertyNames": {
            "enum": list(FRACTION_METRICS),
            "title": "metric",
        },
    }


policy_schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "urn:support-routing-harness:gate-policy",
    "title": "gate policy",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "max_drop": _metric_bounds(0, None),
        # The holdout split (scenarios tagged `holdout`) bounded apart from the whole corpus.
        "holdout_max_drop": _metric_bounds(0, None),
        "holdout_min": _metric_bounds(0, 1),
        "max_unroutable_increase": {"type": "integer", "minimum": 0},
        "max_broken": {"type": "integer", "minimum": 0},
        "golden_tag": {"type": "string", "minLength": 1},
        "min_rule_coverage": {"type": "number", "minimum": 0, "maximum": 1},
        "no_new_dead_rules": {"type": "boolean"},
        "no_new_failing_examples": {"type": "boolean"},
        "no_missing_contract_labels": {"type": "boolean"},
        "require_declared_relabels": {"type": "boolean"},
        "relabels_file": {"type": "string", "minLength": 1},
        "statistical": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "enabled": {"type": "boolean"},
                "alpha": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
            },
        },
    },
}
relabels_schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "urn:support-routing-harness:relabels",
    "title": "relabels",
    "type": "array",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "reason"],
        "properties": {"id": {"type": ["string", "integer"]}, "reason": {"type": "string", "minLength": 1}},
    },
}
for name, s in [
    ("policy.schema.json", policy_schema),
    ("relabels.schema.json", relabels_schema),
    ("rules.schema.json", rules_schema),
    ("scenario.schema.json", scenario_schema),
]:
    with open(f"harness/schemas/{name}", "w") as f:
        json.dump(s, f, indent=1, sort_keys=True)
        f.write("\n")
