"""The `twelvefold` command line: `check`, `rules`, `explain`.

Exit codes, whatever the output format: 0 nothing at or above `--fail-on`;
1 violations (or an internal error in a rule); 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from twelvefold import __version__

EXIT_OK, EXIT_VIOLATIONS, EXIT_USAGE = 0, 1, 2
OUTPUT_FORMATS = (
    "concise",
    "text",
    "full",
    "json",
    "sarif",
    "github",
    "markdown",
    "gitlab",
    "junit",
)


#: Every long option of every command, for "did you mean" hints.
_LONG_OPTIONS: set[str] = set()


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: object, **kwargs: object) -> None:
        # No abbreviations (`--stat` for `--statistics`): adding a flag must never change
        # what an existing command line means.
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def add_argument(self, *names: str, **kwargs: object) -> argparse.Action:
        _LONG_OPTIONS.update(name for name in names if name.startswith("--"))
        return super().add_argument(*names, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        from twelvefold.report import log_line

        sys.stderr.write(log_line(f"twelvefold: error: {message}{_hint(message)}") + "\n")
        raise SystemExit(EXIT_USAGE)


def _hint(message: str) -> str:
    """`; did you mean --statistics?` for an unknown or abbreviated option."""
    import difflib

    if not message.startswith("unrecognized arguments:"):
        return ""
    for token in message.split(":", 1)[1].split():
        name = token.split("=", 1)[0]
        if not name.startswith("--"):
            continue
        prefixed = sorted(option for option in _LONG_OPTIONS if option.startswith(name))
        close = prefixed or difflib.get_close_matches(name, sorted(_LONG_OPTIONS), n=1)
        if close:
            return f"; did you mean {close[0]}?"
    return ""


def _also_output(value: str) -> tuple[str, Path]:
    """`FORMAT=FILE` of `--also-output`."""
    name, sep, file = value.partition("=")
    if not sep or not file or name not in OUTPUT_FORMATS:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not FORMAT=FILE with FORMAT one of {', '.join(OUTPUT_FORMATS)}"
        )
    return name, Path(file)


def _codes(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="twelvefold",
        description="Audit ML repositories against the twelve factors of production ML.",
    )
    parser.add_argument("--version", action="version", version=f"twelvefold {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser("check", help="audit repositories (default: the current one)")
    check.add_argument(
        "paths", nargs="*", metavar="PATH", help="repositories, folders or files (default: .)"
    )
    check.add_argument(
        "--select",
        type=_codes,
        action="extend",
        help="only these codes, prefixes or factors (F3, config), comma-separated",
    )
    check.add_argument(
        "--ignore",
        type=_codes,
        action="extend",
        default=[],
        help="codes, prefixes or factors to skip",
    )
    check.add_argument(
        "--extend-select",
        type=_codes,
        action="extend",
        default=[],
        help="add these to the selection",
    )
    check.add_argument(
        "--preview",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also run the preview rules, new rules not yet stable (default: the "
        "settings' `preview`, else off)",
    )
    check.add_argument(
        "--output-format",
        choices=OUTPUT_FORMATS,
        help="report format (default: concise, also called text)",
    )
    check.add_argument(
        "--output-file",
        "--output",
        "-o",
        dest="output",
        metavar="FILE",
        help="write the report to FILE instead of stdout",
    )
    check.add_argument(
        "--also-output",
        type=_also_output,
        action="append",
        default=[],
        metavar="FORMAT=FILE",
        help="also write the report in FORMAT to FILE, from the same run (repeatable; e.g. "
        "sarif=results.sarif for code scanning next to github annotations)",
    )
    check.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text formats: auto (a terminal, unless NO_COLOR or TERM=dumb; "
        "FORCE_COLOR forces it), always or never",
    )
    check.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even when findings are reported (usage errors still exit 2, a "
        "crashed rule 1); the report says so",
    )
    check.add_argument(
        "--fail-on",
        choices=("error", "warning", "info", "never"),
        help="lowest severity that fails the run (default: warning)",
    )
    check.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip files matching GLOB (gitignore syntax; repeatable)",
    )
    check.add_argument(
        "--config",
        metavar="FILE",
        help="read settings from FILE (pyproject.toml or twelvefold.toml)",
    )
    check.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="print findings only: no scorecard, summary or warnings",
    )
    check.add_argument("--statistics", action="store_true", help="count findings per rule")
    check.add_argument(
        "--show-fixes",
        action="store_true",
        help="also list what --fix would change (file and fix), change nothing",
    )
    check.add_argument(
        "--show-settings",
        action="store_true",
        help="print the effective settings and the file they came from, check nothing",
    )
    check.add_argument(
        "--show-roles",
        action="store_true",
        help="print the kind of repository and the role of every file, check nothing",
    )
    check.add_argument(
        "--no-cache",
        action="store_true",
        help="ignore and do not write the cache of per-file results (.twelvefold_cache/, "
        "or $TWELVEFOLD_CACHE_DIR)",
    )
    check.add_argument(
        "--baseline",
        metavar="FILE",
        help="report only findings not recorded in FILE (see --write-baseline)",
    )
    check.add_argument(
        "--write-baseline", metavar="FILE", help="record the current findings in FILE and exit 0"
    )
    check.add_argument(
        "--fix",
        action="store_true",
        help="apply the safe, mechanical fixes, then report what is left",
    )
    check.add_argument(
        "--diff",
        action="store_true",
        help="print the fixes as a unified diff and change nothing (exit 1 if any)",
    )

    rules = commands.add_parser("rules", help="list every rule")
    rules.add_argument("--output-format", choices=("text", "json", "markdown"), default="text")

    adopt = commands.add_parser(
        "adopt",
        help="add the template's missing pieces (CI, pre-commit, settings...) to an existing repository",
    )
    adopt.add_argument(
        "path", nargs="?", default=".", metavar="PATH", help="the repository (default: .)"
    )
    adopt.add_argument(
        "--template", metavar="SRC", help="template git URL or path (default: $TWELVEFOLD_TEMPLATE)"
    )
    adopt.add_argument("--vcs-ref", metavar="REF", help="template version (tag or commit) to adopt")
    adopt.add_argument(
        "--data",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override an inferred answer",
    )
    adopt.add_argument(
        "--dry-run", action="store_true", help="list what would be added, change nothing"
    )

    explain = commands.add_parser("explain", help="print a rule's documentation")
    explain.add_argument(
        "code", metavar="CODE", help="a rule code (TF301) or name (hard-coded-secret)"
    )
    return parser


def option_like_files(argv: Sequence[str]) -> list[str]:
    """Arguments before `--` that look like options but name an existing file.

    pre-commit (and `xargs`, and scripts) put file names after the options with no
    `--`, so a committed file named `--fail-on=never` would be read as that option and
    switch the gate off. An option that is also a file name is therefore refused: put
    `--` before the files (the hook's default args do)."""
    found = []
    for token in argv:
        if token == "--":
            break
        if token.startswith("-") and len(token) > 1 and os.path.lexists(token):
            found.append(token)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    tokens = list(sys.argv[1:] if argv is None else argv)
    if "check" in tokens:
        ambiguous = option_like_files(tokens[tokens.index("check") + 1 :])
        if ambiguous:
            from twelvefold.report import log_line

            sys.stderr.write(
                log_line(
                    f"twelvefold: error: {ambiguous[0]!r} is both an option and a file in "
                    "this folder; refusing to guess. Put `--` before file arguments "
                    "(`twelvefold check [OPTIONS] -- FILES`)"
                )
                + "\n"
            )
            return EXIT_USAGE
    args = parser.parse_args(tokens)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        if args.command == "rules":
            from twelvefold.commands import list_rules

            return list_rules(args.output_format)
        if args.command == "adopt":
            from twelvefold.adopt import main as adopt_main

            return adopt_main(Path(args.path), args.template, args.vcs_ref, args.data, args.dry_run)
        if args.command == "explain":
            from twelvefold.commands import explain

            return explain(args.code)
        return _check(args)
    except BrokenPipeError:
        # The reader went away (`twelvefold check | head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


def _check(args: argparse.Namespace) -> int:
    from twelvefold.commands import CheckOptions, run_check
    from twelvefold.config import ConfigError

    options = CheckOptions(
        paths=[Path(p) for p in (args.paths or ["."])],
        select=args.select,
        ignore=args.ignore,
        extend_select=args.extend_select,
        preview=args.preview,
        output_format=args.output_format,
        output=Path(args.output) if args.output else None,
        also_output=args.also_output,
        fail_on=args.fail_on,
        exclude=args.exclude,
        config=Path(args.config) if args.config else None,
        quiet=args.quiet,
        statistics=args.statistics,
        baseline=Path(args.baseline) if args.baseline else None,
        write_baseline=Path(args.write_baseline) if args.write_baseline else None,
        fix=args.fix,
        diff=args.diff,
        cache=not args.no_cache,
        show_roles=args.show_roles,
        show_settings=args.show_settings,
        show_fixes=args.show_fixes,
        color=args.color,
        exit_zero=args.exit_zero,
    )
    try:
        return run_check(options)
    except ConfigError as exc:
        from twelvefold.report import log_line

        sys.stderr.write(log_line(f"twelvefold: error: {exc}") + "\n")
        return EXIT_USAGE
