"""The editor schemas are written from the registry: they accept the sample data and refuse unknown keys."""

import jsonschema
import pytest
import yaml

from generator.records.schema import schemas

from .conftest import DATA, SECOND_BODY

YAML_KINDS = {"site": "site.yml", "flows": "flows/*.yml", "projects": "projects/*.yml", "powers": "powers/*.yml"}


@pytest.mark.parametrize("root", [DATA, SECOND_BODY], ids=["sample", "second"])
def test_data_files_validate_against_their_schema(root):
    checked = 0
    for kind, pattern in YAML_KINDS.items():
        for path in sorted(root.glob(pattern)):
            # BaseLoader: every scalar a string, as the generator reads it.
            jsonschema.validate(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader), schemas()[kind])
            checked += 1
    assert checked >= 4


def test_schema_refuses_an_unknown_key_and_a_missing_required_one():
    flow = {"id": "F", "name": "流程", "steps": [{"id": "A", "name": "甲", "colour": "red"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(flow, schemas()["flows"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"编号": "F", "环节": []}, schemas()["flows"])
    jsonschema.validate({"编号": "F", "名称": "流程", "环节": [{"编号": "A", "名称": "甲"}]}, schemas()["flows"])
