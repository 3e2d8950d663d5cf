"""Settings: `[tool.twelvefold]` in pyproject.toml or a `twelvefold.toml`, then the CLI.

Every key is validated; an unknown key or a wrong type is a `ConfigError` naming the
file and the key, which the CLI turns into exit code 2.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twelvefold.factors import factor_from_selector
from twelvefold.model import Severity

CONFIG_FILES = ("twelvefold.toml", ".twelvefold.toml")
FAIL_ON_CHOICES = ("error", "warning", "info", "never")


class ConfigError(Exception):
    """Invalid configuration or usage: reported as one message, exit code 2."""


@dataclass
class Config:
    select: list[str] | None = None  # None: every rule but the opt-in ones
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    fail_on: str = "warning"
    severity: dict[str, Severity] = field(default_factory=dict)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: str | None = None  # the file the settings came from, for messages
    #: The kind of repository (`twelvefold.project.kind`), when the settings say it.
    kind: str | None = None
    #: path glob -> role (`twelvefold.project.roles`), overriding the conventions.
    roles: dict[str, str] = field(default_factory=dict)
    #: Other config files of the project that hold settings and lose to `source`.
    shadowed: list[str] = field(default_factory=list)
    #: Run the preview rules too (`rule.Rule.preview`).
    preview: bool = False


_SELECTORS = "codes (TF301), code prefixes (TF3), factors (F3, config) or ALL"
_STRINGS: dict[str, Any] = {
    "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
}
_LEVELS = ["error", "warning", "info"]


@dataclass(frozen=True)
class Setting:
    """One key of `[tool.twelvefold]`: what it means and the JSON schema of its value
    (`twelvefold.config_schema` builds the whole schema from these). `enum_of` names
    the table of choices in `twelvefold.project` (kinds, roles) read when the schema is
    built, so importing the settings stays cheap."""

    description: str
    schema: dict[str, Any]
    enum_of: str | None = None


#: Every key of `[tool.twelvefold]`. `parse_config` checks each one's values; the JSON
#: schema, `--show-settings` and the README are made from this table.
SETTINGS: dict[str, Setting] = {
    "select": Setting(f"Only these rules: {_SELECTORS}. Default: every stable rule.", _STRINGS),
    "extend-select": Setting(f"Rules to add to `select`: {_SELECTORS}.", _STRINGS),
    "ignore": Setting(f"Rules to skip: {_SELECTORS}.", _STRINGS),
    "per-file-ignores": Setting(
        "Rules to skip in files matching a glob: glob = [selectors].",
        {"type": "object", "additionalProperties": _STRINGS},
    ),
    "exclude": Setting("Files to skip, as gitignore-style globs.", _STRINGS),
    "fail-on": Setting(
        "Lowest severity that fails the run (default: warning).",
        {"enum": list(FAIL_ON_CHOICES)},
    ),
    "severity": Setting(
        "Severity per rule code, instead of the rule's default.",
        {"type": "object", "additionalProperties": {"enum": _LEVELS}},
    ),
    "options": Setting(
        "Rule options: one table per rule name or code (`twelvefold explain CODE` lists them).",
        {"type": "object", "additionalProperties": {"type": "object"}},
    ),
    "kind": Setting(
        "The kind of repository, instead of the inferred one.", {"type": "string"}, "KINDS"
    ),
    "roles": Setting(
        "The role of files matching a glob, instead of the folder conventions.",
        {"type": "object", "additionalProperties": {"type": "string"}},
        "ROLES",
    ),
    "preview": Setting(
        "Also run the preview rules (new rules, not yet stable). Default: false.",
        {"type": "boolean"},
    ),
}
_KEYS = set(SETTINGS)


#: A config file bigger than this is refused (a real one is a few kB).
MAX_CONFIG_BYTES = 4 * 1024 * 1024


def find_config_file(root: Path) -> tuple[Path, bool] | None:
    """The config file of a project root: (path, is_pyproject), or None.

    The audited repository is untrusted: a config file that is a symlink out of the root,
    or to something that is not a regular file (`/dev/zero`, a FIFO), is refused.
    """
    for name, is_pyproject in (*((n, False) for n in CONFIG_FILES), ("pyproject.toml", True)):
        candidate = root / name
        if candidate.is_symlink():
            _check_config_link(root, candidate)
        if candidate.is_file():
            return candidate, is_pyproject
    return None


def shadowed_config_files(root: Path, chosen: Path) -> list[str]:
    """The project's other config files that hold twelvefold settings but lose to
    `chosen` (precedence: twelvefold.toml, .twelvefold.toml, then pyproject.toml's
    `[tool.twelvefold]`, as ruff ranks its own files). Each is named in the report, so
    a hidden `.twelvefold.toml` cannot quietly override the visible settings."""
    from twelvefold.compat import tomllib
    from twelvefold.sources import read_regular_file

    shadowed: list[str] = []
    for name in (*CONFIG_FILES, "pyproject.toml"):
        candidate = root / name
        if candidate == chosen or candidate.is_symlink() or not candidate.is_file():
            continue
        if name == "pyproject.toml":
            try:
                data = tomllib.loads(
                    read_regular_file(candidate, MAX_CONFIG_BYTES).decode("utf-8-sig")
                )
            except (OSError, ValueError, RecursionError):
                continue
            tool = data.get("tool")
            if not (isinstance(tool, dict) and "twelvefold" in tool):
                continue
        shadowed.append(str(candidate))
    return shadowed


def _check_config_link(root: Path, link: Path) -> None:
    try:
        target = link.resolve(strict=True)
        inside = target.is_relative_to(root.resolve(strict=True))
    except (OSError, RuntimeError):  # dangling link or a symlink loop
        return
    if not inside:
        raise ConfigError(f"{link}: config file is a symlink out of the repository; refused")


def load_config(path: Path, *, is_pyproject: bool | None = None) -> Config:
    from twelvefold.compat import tomllib

    if is_pyproject is None:
        is_pyproject = path.name == "pyproject.toml"
    from twelvefold.sources import read_regular_file

    try:
        raw = read_regular_file(path, MAX_CONFIG_BYTES, follow_symlinks=True)
        if len(raw) > MAX_CONFIG_BYTES:
            raise ConfigError(
                f"{path}: config file is over {MAX_CONFIG_BYTES // 2**20} MiB; refused"
            )
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: config file is not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None
    table: Any = data
    if is_pyproject:
        table = (
            data.get("tool", {}).get("twelvefold", {}) if isinstance(data.get("tool"), dict) else {}
        )
    elif isinstance(data.get("tool"), dict) and "twelvefold" in data["tool"]:
        table = data["tool"]["twelvefold"]
    return parse_config(table, str(path), prefix="tool.twelvefold." if is_pyproject else "")


def parse_config(table: Mapping[str, Any], source: str, prefix: str = "") -> Config:
    if not isinstance(table, Mapping):
        raise ConfigError(f"{source}: `{prefix.rstrip('.') or 'tool.twelvefold'}` must be a table")
    config = Config(source=source)
    for key, value in table.items():
        where = f"{source}: `{prefix}{key}`"
        if key not in _KEYS:
            raise ConfigError(f"{where}: unknown key; valid keys are {', '.join(sorted(_KEYS))}")
        if key in ("select", "ignore", "extend-select", "exclude"):
            items = _string_list(value, where)
            if key == "select":
                config.select = items
            elif key == "ignore":
                config.ignore = items
            elif key == "extend-select":
                config.extend_select = items
            else:
                config.exclude = items
        elif key == "fail-on":
            if value not in FAIL_ON_CHOICES:
                raise ConfigError(f"{where}: {value!r} is not one of {', '.join(FAIL_ON_CHOICES)}")
            config.fail_on = value
        elif key == "per-file-ignores":
            if not isinstance(value, Mapping):
                raise ConfigError(f"{where}: must be a table of glob = [codes]")
            config.per_file_ignores = {
                str(glob): _string_list(codes, f"{where}.{glob}") for glob, codes in value.items()
            }
        elif key == "severity":
            if not isinstance(value, Mapping):
                raise ConfigError(f'{where}: must be a table of CODE = "error|warning|info"')
            for code, level in value.items():
                try:
                    config.severity[str(code)] = Severity(level)
                except ValueError:
                    raise ConfigError(
                        f"{where}.{code}: {level!r} is not one of error, warning, info"
                    ) from None
        elif key == "preview":
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: must be true or false")
            config.preview = value
        elif key == "kind":
            from twelvefold.project import KINDS

            if value not in KINDS:
                raise ConfigError(f"{where}: {value!r} is not one of {', '.join(KINDS)}")
            config.kind = value
        elif key == "roles":
            from twelvefold.project import ROLES

            if not isinstance(value, Mapping):
                raise ConfigError(f'{where}: must be a table of glob = "role"')
            for glob, role in value.items():
                if role not in ROLES:
                    raise ConfigError(f"{where}.{glob}: {role!r} is not one of {', '.join(ROLES)}")
                config.roles[str(glob)] = role
        elif key == "options":
            if not isinstance(value, Mapping) or not all(
                isinstance(v, Mapping) for v in value.values()
            ):
                raise ConfigError(f"{where}: must be tables of options, one per rule name or code")
            config.options = {str(rule): dict(opts) for rule, opts in value.items()}
    return config


def _string_list(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: must be a list of strings")
    return list(value)


def resolve_selector(selector: str, codes: Iterable[str], factor_of: Mapping[str, int]) -> set[str]:
    """Codes matched by a selector: `ALL`, a code, a code prefix, or a factor (`F3`, `config`)."""
    text = selector.strip()
    if text.upper() == "ALL":
        return set(codes)
    upper = text.upper()
    exact = {code for code in codes if code == upper}
    if exact:
        return exact
    factor = factor_from_selector(text)
    if factor is not None:
        return {code for code in codes if factor_of[code] == factor}
    return {code for code in codes if code.startswith(upper)} if upper[:1].isalpha() else set()


def selected_codes(
    config: Config, codes: list[str], factor_of: Mapping[str, int], where: str
) -> set[str]:
    """Apply select, extend-select and ignore; unknown selectors are a ConfigError.

    Without `select`, the opt-in rules (`Rule.default`) are left out. Preview rules are
    left out unless `config.preview`; naming one by its exact code without preview is a
    ConfigError saying how to turn preview on."""
    from twelvefold.rule import REGISTRY

    preview = {code for code in codes if getattr(REGISTRY.get(code), "preview", False)}

    def resolve(selectors: Iterable[str], key: str) -> set[str]:
        chosen: set[str] = set()
        for selector in selectors:
            matched = resolve_selector(selector, codes, factor_of)
            if not matched:
                raise ConfigError(
                    f"{where}: `{key}`: {selector!r} matches no rule; use a code (e.g. "
                    f"{codes[0] if codes else 'TF301'}), a code prefix, a factor (F1-F12 or a "
                    "name such as `config`) or ALL; `twelvefold rules` lists the codes"
                )
            chosen |= matched
        return chosen

    # The default selection leaves the opt-in rules out; any selector that matches one
    # (its code, a prefix, its factor, ALL) brings it in.
    opt_in = {code for code in codes if not getattr(REGISTRY.get(code), "default", True)}
    chosen = set(codes) - opt_in if config.select is None else resolve(config.select, "select")
    chosen |= resolve(config.extend_select, "extend-select")
    chosen -= resolve(config.ignore, "ignore")
    if preview and not config.preview:
        named = sorted(
            code
            for code in preview & chosen
            for selector in (*(config.select or ()), *config.extend_select)
            if selector.strip().upper() == code
        )
        if named:
            raise ConfigError(
                f"{where}: {named[0]} is a preview rule; turn preview on to run it "
                "(`--preview`, or `preview = true` in the settings)"
            )
        chosen -= preview
    for code in config.severity:
        if code not in codes:
            raise ConfigError(
                f"{where}: `severity`: unknown rule code {code!r}; use a code such as "
                f"{codes[0] if codes else 'TF301'}; `twelvefold rules` lists the codes"
            )
    for glob, selectors in config.per_file_ignores.items():
        resolve(selectors, f"per-file-ignores.{glob}")
    return chosen
