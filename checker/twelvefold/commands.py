"""What the CLI's commands do, apart from parsing arguments."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twelvefold.config import (
    CONFIG_FILES,
    Config,
    ConfigError,
    find_config_file,
    load_config,
    shadowed_config_files,
)
from twelvefold.notices import Notice, baseline_notices, settings_notices

if TYPE_CHECKING:
    from twelvefold.engine import RunResult
    from twelvefold.rule import Rule

EXIT_OK, EXIT_VIOLATIONS, EXIT_USAGE = 0, 1, 2
_RANK = {"info": 1, "warning": 2, "error": 3}


@dataclass
class CheckOptions:
    paths: list[Path]
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    #: `--preview` / `--no-preview`; None keeps the settings' choice.
    preview: bool | None = None
    output_format: str | None = None
    output: Path | None = None
    #: (format, file) pairs: the same report, also written in other formats.
    also_output: list[tuple[str, Path]] = field(default_factory=list)
    fail_on: str | None = None
    exclude: list[str] = field(default_factory=list)
    config: Path | None = None
    quiet: bool = False
    statistics: bool = False
    #: Report only findings not recorded in this baseline file.
    baseline: Path | None = None
    #: Record the findings in this file instead of reporting them.
    write_baseline: Path | None = None
    #: Apply the safe fixes (`fix`) or print them as a diff (`diff`).
    fix: bool = False
    diff: bool = False
    #: Reuse and update the cache of per-file results (`--no-cache` turns it off).
    cache: bool = True
    #: Print the project model (kind, roles) instead of checking.
    show_roles: bool = False
    #: Print the effective settings instead of checking.
    show_settings: bool = False
    #: List what `--fix` would change after the report.
    show_fixes: bool = False
    #: `auto`, `always` or `never` (see `use_color`).
    color: str = "auto"
    #: Exit 0 whatever the findings (`--exit-zero`).
    exit_zero: bool = False


def _config_for(root: Path, options: CheckOptions) -> Config:
    if options.config is not None:
        if not options.config.is_file():
            raise ConfigError(f"{options.config}: config file not found")
        base = load_config(options.config)
    else:
        found = find_config_file(root)
        base = load_config(found[0], is_pyproject=found[1]) if found else Config()
        if found:
            base.shadowed = shadowed_config_files(root, found[0])
    return replace(
        base,
        select=options.select if options.select is not None else base.select,
        ignore=[*base.ignore, *options.ignore],
        extend_select=[*base.extend_select, *options.extend_select],
        exclude=[*base.exclude, *options.exclude],
        fail_on=options.fail_on or base.fail_on,
        preview=base.preview if options.preview is None else options.preview,
    )


#: What marks a project root: its settings, its packaging, or the repository itself.
ROOT_MARKERS = (*CONFIG_FILES, "pyproject.toml", "setup.py", "setup.cfg")


def find_project_root(folder: Path) -> Path:
    """The project a folder belongs to, as ruff finds its settings: the folder itself or
    the nearest folder above it holding `twelvefold.toml`, `.twelvefold.toml`,
    `pyproject.toml`, `setup.py` or `setup.cfg`, or the root of the git work tree it is
    in; the folder itself when none is found."""
    from twelvefold.discovery import _git_toplevel

    start = folder.resolve()
    top = _git_toplevel(start)
    for candidate in (start, *start.parents):
        if any((candidate / marker).is_file() for marker in ROOT_MARKERS):
            return candidate
        if top is not None and candidate == top.resolve():
            return candidate
    return start


def _targets(paths: list[Path]) -> list[tuple[Path, set[str] | None]]:
    """Folders are audited whole; files (as pre-commit passes them) restrict the
    per-file rules of their repository to those files. A folder inside a project
    (`cd src && twelvefold check`) audits the project, its file rules restricted to the
    files under the folder (see `_view`)."""
    folders: list[Path] = []
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            folders.append(path)
        elif path.is_file() or path.is_symlink():
            files.append(path)
        else:
            raise ConfigError(f"{path}: no such file or directory")
    targets: list[tuple[Path, set[str] | None]] = []
    for folder in folders:
        root = find_project_root(folder)
        if root == folder.resolve():
            targets.append((folder, None))
            continue
        from twelvefold.engine import discover_only

        prefix = folder.resolve().relative_to(root).as_posix() + "/"
        listed = discover_only(root, _config_for(root, CheckOptions(paths=[]))).files
        only = {entry.path for entry in listed if entry.path.startswith(prefix)}
        targets.append((_shown_root(root), only))
        _VIEWS[len(targets) - 1] = folder
    if files:
        root = _project_root(Path.cwd())
        only = set()
        for file in files:
            try:
                only.add(file.resolve().relative_to(root.resolve()).as_posix())
            except ValueError:
                raise ConfigError(f"{file}: outside the repository {root}") from None
        targets.append((root, only))
        _NAMED.add(len(targets) - 1)
    return targets


#: target index -> the folder the user named inside that target's project: findings are
#: shown relative to it, as ruff shows them relative to where the user stands.
_VIEWS: dict[int, Path] = {}
#: Indexes of the targets whose files were named (the pre-commit hook): repo rules run
#: and report by the files they depend on (`twelvefold.scope`).
_NAMED: set[int] = set()


def _shown_root(root: Path) -> Path:
    """`root` as a path relative to the current folder when it is above it (`..`)."""
    try:
        return Path(os.path.relpath(root))
    except ValueError:
        return root


def _view(result: RunResult, root: Path, folder: Path) -> RunResult:
    """Paths of `result` (relative to `root`) shown relative to `folder`: `app.py` for
    `src/app.py`, `../pyproject.toml` for a finding above it."""
    base = folder.resolve()
    top = root.resolve()

    def shown(path: str | None) -> str | None:
        if path is None:
            return None
        return Path(os.path.relpath(top / path, base)).as_posix()

    result.findings = [
        replace(f, path=shown(f.path), files=tuple(shown(path) or path for path in f.files))
        for f in result.findings
    ]
    result.diagnostics = [replace(d, path=shown(d.path)) for d in result.diagnostics]
    return result


def _project_root(start: Path) -> Path:
    from twelvefold.discovery import _git_toplevel

    return _git_toplevel(start) or start


def run_check(options: CheckOptions) -> int:
    from twelvefold.engine import Target, factor_status, run
    from twelvefold.registry import all_rules, plugin_errors
    from twelvefold.report import Report, render

    _VIEWS.clear()
    _NAMED.clear()
    targets = _targets(options.paths)
    if options.show_roles:
        return _show_roles(targets, options)
    if options.show_settings:
        return _show_settings(targets, options)
    _refuse_unsafe_outputs(options)
    all_rules()
    if plugin_errors():
        raise ConfigError("; ".join(plugin_errors()))
    multiple = len(targets) > 1
    merged: RunResult | None = None
    fail_on = "warning"
    output_format = options.output_format or "text"
    changes: list[tuple[Path, object]] = []
    notices: list[Notice] = []
    if options.exit_zero:
        notices.append(Notice("warning", "--exit-zero: the exit code ignores every finding"))
    for index, (root, only) in enumerate(targets):
        config = _config_for(root, options)
        fail_on = config.fail_on
        target = Target(root, only, named=index in _NAMED)
        result = run([target], config, cache=options.cache)
        notices.extend(
            _settings_notices(
                config,
                result,
                root if multiple else None,
                typed_config=options.config is not None,
            )
        )
        if result.deferred:
            codes = sorted(result.deferred, key=lambda code: (len(code), code))
            notices.append(
                Notice(
                    "info",
                    f"{len(codes)} rules that weigh every file ({', '.join(codes)}) run in a "
                    "full run only (`twelvefold check` with no file named, as CI runs it)",
                )
            )
        if options.show_fixes and not (options.fix or options.diff):
            from twelvefold.fixes import plan

            changes.extend((root, change) for change in plan(root, only, result.findings, config))
        if options.fix or options.diff:
            from twelvefold.fixes import apply_changes, plan

            planned = plan(root, only, result.findings, config)
            changes.extend((root, change) for change in planned)
            if options.fix and planned:
                try:
                    apply_changes(root, planned)
                except OSError as exc:
                    where = exc.filename or "a fixed file"
                    raise ConfigError(f"--fix: {where}: {exc.strerror}") from None
                result = run([target], config, cache=options.cache)  # report what is left
        if multiple:
            result = _prefixed(result, root)
        if merged is None:
            merged = result
        else:
            merged.add(result)
    assert merged is not None
    if options.diff:
        return _print_diff(changes, multiple)
    if options.fix:
        _print_fixed(changes)
    if options.write_baseline is not None:
        return _write_baseline(options.write_baseline, merged)
    if options.baseline is not None:
        notices.extend(_apply_baseline(options.baseline, merged, targets, multiple))
    if not multiple and 0 in _VIEWS:
        # Shown relative to the folder the user named (after the baseline, whose paths
        # are the project's).
        merged = _view(merged, targets[0][0], _VIEWS[0])
    report = Report(
        findings=merged.findings,
        diagnostics=merged.diagnostics,
        scorecard=dict(factor_status(merged)),
        rules=[type(rule) for rule in merged.rules] or list(all_rules().values()),
        files_checked=merged.files_checked,
        output_format=output_format,
        color=use_color(options.color, options.output is None and sys.stdout.isatty()),
        statistics=options.statistics,
        quiet=options.quiet,
        notices=list(dict.fromkeys(notices)),
    )
    text = render(report)
    from twelvefold import safe_io

    for other_format, path in options.also_output:
        try:
            safe_io.write_text(
                path, render(replace(report, output_format=other_format, color=False))
            )
        except OSError as exc:
            raise ConfigError(f"{path}: cannot write report ({exc.strerror})") from None
    if options.output is not None:
        try:
            safe_io.write_text(options.output, text)
        except OSError as exc:
            raise ConfigError(f"{options.output}: cannot write report ({exc.strerror})") from None
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    from twelvefold.report import log_line

    if options.show_fixes and not (options.fix or options.diff):
        _print_fixable(
            changes,
            multiple,
            to_stdout=options.output is None and output_format in ("concise", "text", "full"),
        )
    if options.quiet and output_format in ("text", "full"):
        for notice in report.shown_notices():
            sys.stderr.write(log_line(f"twelvefold: warning: {notice.message}") + "\n")
    for diagnostic in merged.diagnostics:
        if diagnostic.internal or not options.quiet:
            sys.stderr.write(log_line(diagnostic.render()) + "\n")
    if merged.usage_errors:
        for message in merged.usage_errors:
            sys.stderr.write(log_line(f"twelvefold: error: {message}") + "\n")
        return EXIT_USAGE
    if merged.internal_errors:
        return EXIT_VIOLATIONS
    if options.exit_zero:
        return EXIT_OK
    if fail_on != "never" and any(f.severity.rank >= _RANK[fail_on] for f in merged.findings):
        return EXIT_VIOLATIONS
    return EXIT_OK


def _show_roles(targets: list[tuple[Path, set[str] | None]], options: CheckOptions) -> int:
    """`--show-roles`: the project model of each root, one file per line, so a user can
    see why a file was treated as it was (and override it with `roles`)."""
    from twelvefold.engine import discover_only
    from twelvefold.project import build_model
    from twelvefold.report import log_line

    for root, only in targets:
        config = _config_for(root, options)
        discovery = discover_only(root, config)
        model = build_model(root, discovery.files, kind=config.kind, role_globs=config.roles)
        sys.stdout.write(
            log_line(f"{root.as_posix()}: kind {model.kind} ({model.kind_why})") + "\n"
        )
        for entry in discovery.files:
            if only is not None and entry.path not in only:
                continue
            mark = " (settings)" if entry.path in model.overridden else ""
            line = f"  {model.roles[entry.path]:<9} {entry.path}{mark}"
            sys.stdout.write(log_line(line) + "\n")
    return EXIT_OK


def _show_settings(targets: list[tuple[Path, set[str] | None]], options: CheckOptions) -> int:
    """`--show-settings`: the configuration each root is checked with (file settings
    merged with the command line), one `key = value` line each (values in JSON), and the
    file it came from."""
    import json as _json

    from twelvefold.report import log_line

    for root, _ in targets:
        config = _config_for(root, options)
        lines = [
            f"# {root.as_posix()}: settings from {config.source or 'defaults (no config file)'}"
        ]
        lines += [f"# ignored: {path}" for path in config.shadowed]
        values = {
            "select": config.select if config.select is not None else ["ALL"],
            "extend-select": config.extend_select,
            "ignore": config.ignore,
            "exclude": config.exclude,
            "per-file-ignores": config.per_file_ignores,
            "fail-on": "never" if options.exit_zero else config.fail_on,
            "severity": {code: level.value for code, level in config.severity.items()},
            "options": config.options,
            "kind": config.kind or "(inferred: see --show-roles)",
            "roles": config.roles,
            "preview": config.preview,
        }
        lines += [f"{key} = {_json.dumps(value)}" for key, value in values.items()]
        sys.stdout.write("\n".join(log_line(line) for line in lines) + "\n")
    return EXIT_OK


def use_color(choice: str, terminal: bool) -> bool:
    """`--color always|never` wins; `auto` colours a terminal unless `NO_COLOR` is set or
    `TERM=dumb`, and `FORCE_COLOR` (any non-empty value) colours even a pipe
    (https://no-color.org, https://force-color.org)."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return terminal and os.environ.get("TERM") != "dumb"


def _refuse_unsafe_outputs(options: CheckOptions) -> None:
    """Refuse, before any work, to write a report or baseline through a symlink (a
    committed `twelvefold.sarif -> ../../.bashrc`) or into a hard-linked file."""
    from twelvefold import safe_io

    outputs = [("report", options.output), ("baseline", options.write_baseline)]
    outputs += [("report", path) for _, path in options.also_output]
    for what, path in outputs:
        if path is None:
            continue
        try:
            safe_io.check_writable(path)
        except OSError as exc:
            raise ConfigError(f"{path}: cannot write the {what} ({exc.strerror})") from None


def _settings_notices(
    config: Config, result: RunResult, prefix: Path | None, *, typed_config: bool
) -> list[Notice]:
    from twelvefold.registry import all_rules

    def shown(path: str) -> str:
        # A project's own config file is named as the report names its files: relative
        # to the audited root (prefixed with the root when several are audited).
        name = Path(path).name
        return (prefix / name).as_posix() if prefix is not None else name

    rules = all_rules()
    ran = {rule.code for rule in result.rules}
    return settings_notices(
        config,
        rules_selected=len(result.rules),
        # Preview rules left out by the preview setting, and opt-in rules nobody selected,
        # are not "turned off" by anyone.
        rules_total=sum(
            1
            for rule in rules.values()
            if (config.preview or not rule.preview) and (rule.default or rule.code in ran)
        ),
        default_severity={code: cls.severity.value for code, cls in rules.items()},
        ignored_config=[shown(path) for path in config.shadowed],
        # `--config FILE` is named as typed; a found config file as a project path.
        source=config.source if typed_config or not config.source else shown(config.source),
    )


def _print_diff(changes: list[tuple[Path, Any]], multiple: bool) -> int:
    from twelvefold.fixes import unified_diff

    for root, change in changes:
        prefix = root.as_posix().rstrip("/") + "/" if multiple else ""
        sys.stdout.write(unified_diff(change, prefix))
    files = len({(root, change.path) for root, change in changes})
    if changes:
        sys.stderr.write(
            f"twelvefold: {len(changes)} fix(es) would change {files} file(s); run with --fix to apply\n"
        )
        return EXIT_VIOLATIONS
    sys.stderr.write("twelvefold: nothing to fix\n")
    return EXIT_OK


def _print_fixable(changes: list[tuple[Path, Any]], multiple: bool, *, to_stdout: bool) -> None:
    """`--show-fixes`: what `--fix` would change, after a text report (on stderr when
    stdout holds a machine format or goes to a file)."""
    from twelvefold.report import log_line

    stream = sys.stdout if to_stdout else sys.stderr
    if not changes:
        stream.write("No fixes available (--fix would change nothing).\n")
        return
    stream.write(f"Fixable with --fix ({len(changes)}):\n")
    for root, change in changes:
        prefix = root.as_posix().rstrip("/") + "/" if multiple else ""
        stream.write(log_line(f"  {prefix}{change.path}: {change.description}") + "\n")


def _print_fixed(changes: list[tuple[Path, Any]]) -> None:
    from twelvefold.report import log_line

    for _root, change in changes:
        sys.stderr.write(log_line(f"twelvefold: fixed {change.path}: {change.description}") + "\n")


def _write_baseline(path: Path, result: RunResult) -> int:
    from twelvefold import baseline
    from twelvefold.report import log_line

    try:
        count = baseline.write(path, result.findings)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the baseline ({exc.strerror})") from None
    sys.stderr.write(f"twelvefold: {count} finding(s) recorded in {path}\n")
    for diagnostic in result.diagnostics:
        if diagnostic.internal:
            sys.stderr.write(log_line(diagnostic.render()) + "\n")
    if result.usage_errors:
        return EXIT_USAGE
    # A rule that crashed recorded nothing: the baseline may be incomplete.
    return EXIT_VIOLATIONS if result.internal_errors else EXIT_OK


def _apply_baseline(
    path: Path, result: RunResult, targets: list[tuple[Path, set[str] | None]], multiple: bool
) -> list[Notice]:
    from twelvefold import baseline
    from twelvefold.registry import all_rules
    from twelvefold.rule import FileRule

    try:
        entries = baseline.read(path)
    except baseline.BaselineError as exc:
        raise ConfigError(str(exc)) from None
    rules = all_rules()
    ran = {rule.code for rule in result.rules} - result.not_asked
    file_codes = {code for code, cls in rules.items() if issubclass(cls, FileRule)}
    restricted: set[str] | None = None
    named = False
    for index, (root, only) in enumerate(targets):
        if only is not None:
            prefix = root.as_posix().rstrip("/") + "/" if multiple else ""
            restricted = {f"{prefix}{p}" for p in only}
            named = index in _NAMED

    def in_scope(entry: baseline.Entry) -> bool:
        if entry.code not in ran:
            return False
        if restricted is None or entry.path in restricted:
            return True
        # With files named (pre-commit), every rule reported on those files only (repo
        # rules also about the repository as a whole); in a folder, file rules did.
        if named:
            return not entry.path and entry.code not in file_codes
        return entry.code not in file_codes

    def describe(code: str) -> tuple[str, int]:
        cls = rules.get(code)
        return (cls.name, cls.factor) if cls else ("unknown-rule", 0)

    before = len(result.findings)
    result.findings, suppressed = baseline.apply(result.findings, entries, in_scope, describe)
    stale = len(result.findings) - (before - suppressed)
    unknown = sum(1 for entry in entries if entry.code not in rules)
    return baseline_notices(str(path), suppressed, stale, unknown)


def _prefixed(result: RunResult, root: Path) -> RunResult:
    prefix = root.as_posix().rstrip("/")
    result.findings = [
        replace(
            f,
            path=f"{prefix}/{f.path}" if f.path else prefix,
            files=tuple(f"{prefix}/{path}" for path in f.files),
        )
        for f in result.findings
    ]
    result.diagnostics = [
        replace(d, path=f"{prefix}/{d.path}" if d.path else prefix) for d in result.diagnostics
    ]
    return result


def list_rules(output_format: str) -> int:
    from twelvefold.factors import FACTORS
    from twelvefold.fixes import fixable
    from twelvefold.registry import all_rules

    rules = list(all_rules().values())
    repairs = fixable()
    if output_format == "json":
        data = [
            {
                "code": rule.code,
                "name": rule.name,
                "factor": rule.factor,
                "factor_name": FACTORS[rule.factor].slug,
                "severity": rule.severity.value,
                "status": rule.status(),
                "fixable": rule.code in repairs,
                "summary": rule.summary,
                "fix": rule.fix,
                "origin": rule.origin,
                "documentation": rule.documentation(),
            }
            for rule in rules
        ]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return _report_plugin_errors()
    if output_format == "markdown":
        sys.stdout.write(rules_markdown(rules))
        return _report_plugin_errors()
    for rule in rules:
        origin = "" if rule.origin == "twelvefold" else f"  [{rule.origin}]"
        status = rule.status()
        sys.stdout.write(
            f"{rule.code:<7} {rule.name:<32} F{rule.factor:<3} {rule.severity.value:<8}"
            f"{status:<8}{rule.summary}{origin}\n"
        )
    return _report_plugin_errors()


def rules_markdown(rules: list[type[Rule]]) -> str:
    """The catalog as a Markdown table (the README's rule list is this text)."""
    from twelvefold.factors import FACTORS

    lines = [
        "| code | name | factor | severity | status | summary |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for rule in rules:
        summary = rule.summary.replace("|", "\\|")
        lines.append(
            f"| `{rule.code}` | `{rule.name}` | {rule.factor}. {FACTORS[rule.factor].short} "
            f"| {rule.severity.value} | {rule.status()} | {summary} |"
        )
    return "\n".join(lines) + "\n"


def _report_plugin_errors() -> int:
    from twelvefold.registry import plugin_errors

    for message in plugin_errors():
        sys.stderr.write(f"twelvefold: error: {message}\n")
    return EXIT_USAGE if plugin_errors() else EXIT_OK


def explain(code: str) -> int:
    from twelvefold.registry import all_rules

    rules = all_rules()
    rule = rules.get(code.upper()) or next((r for r in rules.values() if r.name == code), None)
    if rule is None:
        sys.stderr.write(
            f"twelvefold: error: unknown rule {code!r}; `twelvefold rules` lists them\n"
        )
        return EXIT_USAGE
    sys.stdout.write(rule_page(rule))
    return EXIT_OK


def rule_page(rule: type[Rule]) -> str:
    """A rule's documentation as Markdown: what `explain` prints and the docs site shows."""
    from twelvefold.factors import FACTORS
    from twelvefold.fixes import fixable

    factor = FACTORS[rule.factor]
    repairs = fixable().get(rule.code)
    header = [
        f"# {rule.code} {rule.name}",
        "",
        f"Factor {factor.number}: {factor.title}",
        f"Default severity: {rule.severity.value}",
        {
            "preview": "Status: preview (runs with --preview)",
            "opt-in": "Status: opt-in (stable, runs when selected: `extend-select = "
            f'["{rule.code}"]`)',
        }.get(rule.status(), "Status: stable"),
        f"Summary: {rule.summary}",
        f"Fix: {rule.fix}",
        f"Fixed by --fix: yes, it {repairs}" if repairs else "Fixed by --fix: no",
    ]
    if rule.roles is not None:
        header.append("Applies to files of role: " + ", ".join(sorted(rule.roles)))
    if rule.repo_kinds is not None:
        header.append("Applies to repositories of kind: " + ", ".join(sorted(rule.repo_kinds)))
    if rule.options:
        header.append(
            "Options: " + ", ".join(f"{k} (default {v!r})" for k, v in rule.options.items())
        )
    if rule.origin != "twelvefold":
        header.append(f"From: {rule.origin}")
    title, facts = header[0], header[2:]
    return (
        "\n".join([title, "", *(f"- {line}" for line in facts)])
        + "\n\n"
        + rule.documentation()
        + "\n"
    )
