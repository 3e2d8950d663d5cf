"""What the CLI's commands do, apart from parsing arguments."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from twelvefold.config import Config, ConfigError, find_config_file, load_config

if TYPE_CHECKING:
    from twelvefold.engine import RunResult

EXIT_OK, EXIT_VIOLATIONS, EXIT_USAGE = 0, 1, 2
_RANK = {"info": 1, "warning": 2, "error": 3}


@dataclass
class CheckOptions:
    paths: list[Path]
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    output_format: str | None = None
    output: Path | None = None
    fail_on: str | None = None
    exclude: list[str] = field(default_factory=list)
    config: Path | None = None
    quiet: bool = False
    statistics: bool = False


def _config_for(root: Path, options: CheckOptions) -> Config:
    if options.config is not None:
        if not options.config.is_file():
            raise ConfigError(f"{options.config}: config file not found")
        base = load_config(options.config)
    else:
        found = find_config_file(root)
        base = load_config(found[0], is_pyproject=found[1]) if found else Config()
    return replace(
        base,
        select=options.select if options.select is not None else base.select,
        ignore=[*base.ignore, *options.ignore],
        extend_select=[*base.extend_select, *options.extend_select],
        exclude=[*base.exclude, *options.exclude],
        fail_on=options.fail_on or base.fail_on,
    )


def _targets(paths: list[Path]) -> list[tuple[Path, set[str] | None]]:
    """Folders are audited whole; files (as pre-commit passes them) restrict the
    per-file rules of their repository to those files."""
    folders: list[Path] = []
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            folders.append(path)
        elif path.is_file() or path.is_symlink():
            files.append(path)
        else:
            raise ConfigError(f"{path}: no such file or directory")
    targets: list[tuple[Path, set[str] | None]] = [(folder, None) for folder in folders]
    if files:
        root = _project_root(Path.cwd())
        only = set()
        for file in files:
            try:
                only.add(file.resolve().relative_to(root.resolve()).as_posix())
            except ValueError:
                raise ConfigError(f"{file}: outside the repository {root}") from None
        targets.append((root, only))
    return targets


def _project_root(start: Path) -> Path:
    from twelvefold.discovery import _git_toplevel

    return _git_toplevel(start) or start


def run_check(options: CheckOptions) -> int:
    from twelvefold.engine import Target, factor_status, run
    from twelvefold.registry import all_rules
    from twelvefold.report import Report, render

    targets = _targets(options.paths)
    multiple = len(targets) > 1
    merged: RunResult | None = None
    fail_on = "warning"
    output_format = options.output_format or "text"
    for root, only in targets:
        config = _config_for(root, options)
        fail_on = config.fail_on
        result = run([Target(root, only)], config)
        if multiple:
            result = _prefixed(result, root)
        if merged is None:
            merged = result
        else:
            merged.findings.extend(result.findings)
            merged.diagnostics.extend(result.diagnostics)
            merged.usage_errors.extend(result.usage_errors)
            merged.files_checked += result.files_checked
            for factor, applies in result.applicable.items():
                merged.applicable[factor] = merged.applicable.get(factor, False) or applies
    assert merged is not None
    stream_is_tty = options.output is None and sys.stdout.isatty()
    report = Report(
        findings=merged.findings,
        diagnostics=merged.diagnostics,
        scorecard=dict(factor_status(merged)),
        rules=[type(rule) for rule in merged.rules] or list(all_rules().values()),
        files_checked=merged.files_checked,
        output_format=output_format,
        color=stream_is_tty and "NO_COLOR" not in os.environ,
        statistics=options.statistics,
        quiet=options.quiet,
    )
    text = render(report)
    if options.output is not None:
        try:
            options.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{options.output}: cannot write report ({exc.strerror})") from None
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    from twelvefold.report import escape_control

    for diagnostic in merged.diagnostics:
        if diagnostic.internal or not options.quiet:
            sys.stderr.write(escape_control(diagnostic.render()) + "\n")
    if merged.usage_errors:
        for message in merged.usage_errors:
            sys.stderr.write(f"twelvefold: error: {escape_control(message)}\n")
        return EXIT_USAGE
    if merged.internal_errors:
        return EXIT_VIOLATIONS
    if fail_on != "never" and any(f.severity.rank >= _RANK[fail_on] for f in merged.findings):
        return EXIT_VIOLATIONS
    return EXIT_OK


def _prefixed(result: RunResult, root: Path) -> RunResult:
    prefix = root.as_posix().rstrip("/")
    result.findings = [
        replace(f, path=f"{prefix}/{f.path}" if f.path else prefix) for f in result.findings
    ]
    result.diagnostics = [
        replace(d, path=f"{prefix}/{d.path}" if d.path else prefix) for d in result.diagnostics
    ]
    return result


def list_rules(output_format: str) -> int:
    from twelvefold.factors import FACTORS
    from twelvefold.registry import all_rules

    rules = list(all_rules().values())
    if output_format == "json":
        data = [
            {
                "code": rule.code,
                "name": rule.name,
                "factor": rule.factor,
                "factor_name": FACTORS[rule.factor].slug,
                "severity": rule.severity.value,
                "summary": rule.summary,
                "fix": rule.fix,
                "origin": rule.origin,
                "documentation": rule.documentation(),
            }
            for rule in rules
        ]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return EXIT_OK
    for rule in rules:
        origin = "" if rule.origin == "twelvefold" else f"  [{rule.origin}]"
        sys.stdout.write(
            f"{rule.code:<7} {rule.name:<32} F{rule.factor:<3} {rule.severity.value:<8}{rule.summary}{origin}\n"
        )
    return EXIT_OK


def explain(code: str) -> int:
    from twelvefold.factors import FACTORS
    from twelvefold.registry import all_rules

    rules = all_rules()
    rule = rules.get(code.upper()) or next((r for r in rules.values() if r.name == code), None)
    if rule is None:
        sys.stderr.write(
            f"twelvefold: error: unknown rule {code!r}; `twelvefold rules` lists them\n"
        )
        return EXIT_USAGE
    factor = FACTORS[rule.factor]
    header = [
        f"# {rule.code} {rule.name}",
        "",
        f"Factor {factor.number}: {factor.title}",
        f"Default severity: {rule.severity.value}",
        f"Summary: {rule.summary}",
        f"Fix: {rule.fix}",
    ]
    if rule.options:
        header.append(
            "Options: " + ", ".join(f"{k} (default {v!r})" for k, v in rule.options.items())
        )
    if rule.origin != "twelvefold":
        header.append(f"From: {rule.origin}")
    sys.stdout.write("\n".join(header) + "\n\n" + rule.documentation() + "\n")
    return EXIT_OK
