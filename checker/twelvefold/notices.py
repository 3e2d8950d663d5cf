"""What the settings of a run turned off, said in every report format.

A gate is only as strong as its settings, and the settings live in the audited tree: a
pull request can add `ignore = ["ALL"]`, `exclude = ["**"]`, `fail-on = "never"`, a
severity downgrade, a hidden `.twelvefold.toml` or a baseline entry. None of that may
weaken the gate silently, so every report names the config file in effect and says in
one line each what it disables, and how many findings a baseline suppressed.

A notice is `info` (what was used) or `warning` (something is turned off); `--quiet`
drops the `info` ones, never the warnings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from twelvefold.config import Config

DEFAULT_FAIL_ON = "warning"
_FAIL_ON_RANK = {"info": 1, "warning": 2, "error": 3, "never": 4}


@dataclass(frozen=True)
class Notice:
    level: str  # "info" or "warning"
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"level": self.level, "message": self.message}


def _listed(items: list[str], limit: int = 5) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def settings_notices(
    config: Config,
    *,
    rules_selected: int,
    rules_total: int,
    default_severity: dict[str, str],
    ignored_config: list[str],
    source: str | None,
) -> list[Notice]:
    """Notices for one effective configuration (file settings merged with the CLI);
    `source` names its config file as the report shows paths (None: no config file)."""
    notices = [Notice("info", f"settings: {source or 'defaults (no config file)'}")]
    for path in ignored_config:
        notices.append(
            Notice(
                "warning",
                f"{path} also holds twelvefold settings and is ignored: {source} takes "
                "precedence (keep one config file)",
            )
        )
    off = rules_total - rules_selected
    if off > 0:
        how = []
        if config.select is not None:
            how.append("select = " + _listed(config.select))
        if config.ignore:
            how.append("ignore = " + _listed(config.ignore))
        detail = f" ({'; '.join(how)})" if how else ""
        notices.append(Notice("warning", f"{off} of {rules_total} rules are turned off{detail}"))
    if config.exclude:
        notices.append(
            Notice("warning", "paths excluded from the audit: " + _listed(config.exclude))
        )
    if config.per_file_ignores:
        globs = [f"{glob} ({', '.join(codes)})" for glob, codes in config.per_file_ignores.items()]
        notices.append(Notice("warning", "rules turned off for some paths: " + _listed(globs)))
    lowered = []
    for code, severity in sorted(config.severity.items()):
        before = default_severity.get(code)
        if before is not None and before != severity.value:
            lowered.append(f"{code} {before} -> {severity.value}")
    if lowered:
        notices.append(Notice("warning", "severities changed: " + _listed(lowered)))
    if config.kind is not None:
        notices.append(
            Notice(
                "warning",
                f"kind = {config.kind}: set by the settings, not inferred; rules for other "
                "kinds of repository are off",
            )
        )
    if config.roles:
        given = [f"{glob} = {role}" for glob, role in config.roles.items()]
        notices.append(Notice("warning", "file roles set by the settings: " + _listed(given)))
    if _FAIL_ON_RANK[config.fail_on] > _FAIL_ON_RANK[DEFAULT_FAIL_ON]:
        what = (
            "no finding fails the run"
            if config.fail_on == "never"
            else "only errors fail the run; warnings pass"
        )
        notices.append(Notice("warning", f"fail-on = {config.fail_on}: {what}"))
    return notices


def baseline_notices(path: str, suppressed: int, stale: int, unknown: int) -> list[Notice]:
    """What a baseline did: findings it suppressed and entries that matched nothing."""
    notices = [
        Notice(
            "warning" if suppressed else "info",
            f"{suppressed} finding{'s' if suppressed != 1 else ''} suppressed by the baseline {path}",
        )
    ]
    if stale:
        notices.append(
            Notice(
                "info",
                f"{stale} baseline entr{'ies' if stale != 1 else 'y'} in {path} matched no "
                "finding (fixed, or not the finding they claim; listed as info findings)",
            )
        )
    if unknown:
        notices.append(
            Notice(
                "warning",
                f"{unknown} baseline entr{'ies' if unknown != 1 else 'y'} in {path} name no "
                "known rule and excuse nothing",
            )
        )
    return notices
