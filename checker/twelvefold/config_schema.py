"""The JSON schema of `[tool.twelvefold]`, built from the settings table (`config.SETTINGS`).

The package ships it as `twelvefold.schema.json` (a test keeps the file in step with the
table) for editors and SchemaStore: `pyproject.toml`'s `tool.twelvefold` and a
`twelvefold.toml` are the same object. Regenerate with `python -m twelvefold.config_schema`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMA_FILE = Path(__file__).with_name("twelvefold.schema.json")


def settings_schema() -> dict[str, Any]:
    from twelvefold import project
    from twelvefold.config import SETTINGS

    properties: dict[str, Any] = {}
    for key, setting in SETTINGS.items():
        schema = json.loads(json.dumps(setting.schema))  # a copy the enum may go into
        if setting.enum_of is not None:
            choices = list(getattr(project, setting.enum_of))
            target = schema["additionalProperties"] if schema["type"] == "object" else schema
            target.pop("type")
            target["enum"] = choices
        properties[key] = {"description": setting.description, **schema}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "twelvefold settings",
        "description": "The [tool.twelvefold] table of pyproject.toml, or a twelvefold.toml.",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


def schema_text() -> str:
    return json.dumps(settings_schema(), indent=2) + "\n"


if __name__ == "__main__":
    SCHEMA_FILE.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")
