"""The generated rules page and JSON Schemas in the repository stay in step with the code."""

from __future__ import annotations

import json

import jsonschema
import yaml

from bot.docs import explain, json_schemas, rules_page
from bot.rulebook import load_pack
from tests.conftest import ROOT

BOOK = load_pack()


def test_rules_page_is_in_sync():
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert page == rules_page(BOOK), "run: claim-review docs -o docs/rules.md"


def test_explain_and_page_render_the_same_text():
    page = rules_page(BOOK)
    for spec in BOOK.rules:
        assert f"## {spec.name}" in page
        assert " ".join(spec.why.split()) in page
        assert " ".join(spec.why.split()) in explain(spec)


def test_json_schemas_are_in_sync_and_accept_the_shipped_files():
    folder = ROOT / "docs" / "schemas"
    for name, schema in json_schemas().items():
        on_disk = json.loads((folder / name).read_text(encoding="utf-8"))
        assert on_disk == schema, "run: claim-review schemas docs/schemas"
    rule_schema = json_schemas()["claim-review-rule.schema.json"]
    for path in sorted((ROOT / "rules").glob("*.yml")):
        jsonschema.validate(yaml.safe_load(path.read_text()), rule_schema)
    schema_schema = json_schemas()["claim-review-frontmatter-schema.schema.json"]
    for path in sorted((ROOT / "rules" / "schemas").glob("*.yml")):
        jsonschema.validate(yaml.safe_load(path.read_text()), schema_schema)
    config_schema = json_schemas()["claim-review-config.schema.json"]
    example = {"rules": {"disable": ["CR201"], "severity": {"CR202": "warning"}}}
    jsonschema.validate(example, config_schema)
