"""mkdocs hook: the rule pages and the settings page, generated from the code.

One page per rule (`rules/TF301.md`, served as `rules/TF301/`, the address SARIF's
`helpUri` names) holds exactly what `twelvefold explain TF301` prints; `rules/index.md`
is the catalog by factor; `settings.md` lists the keys of `config.SETTINGS`.
"""

from __future__ import annotations

from typing import Any

from mkdocs.structure.files import File, Files
from twelvefold.commands import rule_page
from twelvefold.config import SETTINGS
from twelvefold.factors import FACTORS
from twelvefold.registry import all_rules


def on_files(files: Files, config: Any) -> Files:
    rules = all_rules()
    for code, rule in rules.items():
        files.append(File.generated(config, f"rules/{code}.md", content=rule_page(rule)))
    files.append(File.generated(config, "rules/index.md", content=_catalog(rules)))
    files.append(File.generated(config, "settings.md", content=_settings()))
    return files


def _catalog(rules: dict[str, Any]) -> str:
    lines = ["# Rules", ""]
    lines.append(
        "Every rule, by factor. A preview rule runs only with `--preview`; the others are "
        "stable. `twelvefold rules --output-format json` exports the same catalog."
    )
    for number, factor in sorted(FACTORS.items()):
        own = [rule for rule in rules.values() if rule.factor == number]
        if not own:
            continue
        lines += ["", f"## {number}. {factor.title}", ""]
        lines += [
            "| code | name | severity | status | summary |",
            "| --- | --- | --- | --- | --- |",
        ]
        for rule in own:
            status = "preview" if rule.preview else "stable"
            summary = rule.summary.replace("|", "\\|")
            lines.append(
                f"| [{rule.code}]({rule.code}.md) | `{rule.name}` | {rule.severity.value} "
                f"| {status} | {summary} |"
            )
    return "\n".join(lines) + "\n"


def _settings() -> str:
    lines = [
        "# Settings",
        "",
        "In `pyproject.toml` under `[tool.twelvefold]`, or at the top of a `twelvefold.toml`.",
        "Command-line options win over the file; `twelvefold check --show-settings` prints",
        "the effective settings and the file they came from. The package ships the JSON",
        "schema of this table as `twelvefold/twelvefold.schema.json`.",
        "",
        "| key | meaning |",
        "| --- | --- |",
    ]
    lines += [f"| `{key}` | {setting.description} |" for key, setting in SETTINGS.items()]
    return "\n".join(lines) + "\n"
