import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data" / "360giving"
#: The URL by which the package schema refers to the grant schema (its own $id says 1.4.3).
GRANT_SCHEMA_REF = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json"


@pytest.fixture(scope="session")
def package_validator():
    """The official 360Giving package schema, validated offline: the grant schema's URL resolves to the
    local copy, the draft is named explicitly, and formats (date-time, uri) are checked."""
    package_schema = json.loads((SCHEMA_DIR / "360-giving-package-schema.json").read_text())
    grant_schema = json.loads((SCHEMA_DIR / "360-giving-schema.json").read_text())
    grant = Resource(contents=grant_schema, specification=DRAFT202012)
    registry = Registry().with_resources([(GRANT_SCHEMA_REF, grant), (grant_schema["$id"], grant)])
    return Draft202012Validator(package_schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
