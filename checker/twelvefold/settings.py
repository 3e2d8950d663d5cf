"""The effective settings of a run: the configuration resolved once.

`resolve(config)` turns what the user wrote (selectors, options, severities, per-file
ignores, exclude globs) into what the engine acts on: the rule objects, each rule's
severity, the compiled per-file ignores and the exclude spec. Everything downstream (the
per-file pass, the pool's workers, the repo rules, the cache keys) reads a `Settings`
and never goes back to the configuration to work something out again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from twelvefold.config import Config, ConfigError, resolve_selector, selected_codes
from twelvefold.model import Severity
from twelvefold.registry import all_rules
from twelvefold.rule import FileRule, RepoRule, Rule


@dataclass(frozen=True)
class Settings:
    """What a run checks and how: built by `resolve`, read by every stage."""

    #: The configuration as loaded. Kept for what is keyed by it (the run memo) and for
    #: the pool's workers, which resolve it again in their own process.
    config: Config
    #: The selected rules, built with their options, in registry order.
    rules: tuple[Rule, ...]
    #: Every registered rule code (a suppression comment may name any of them).
    known: frozenset[str]
    #: Compiled `exclude` globs (None: nothing excluded).
    exclude: Any
    #: (compiled glob, codes) of `per-file-ignores`.
    per_file_ignores: tuple[tuple[Any, frozenset[str]], ...]

    @property
    def file_rules(self) -> list[FileRule]:
        return [rule for rule in self.rules if isinstance(rule, FileRule)]

    @property
    def repo_rules(self) -> list[RepoRule]:
        return [rule for rule in self.rules if isinstance(rule, RepoRule)]

    @property
    def kind(self) -> str | None:
        """The kind of repository the settings say, if they say one."""
        return self.config.kind

    @property
    def role_globs(self) -> dict[str, str] | None:
        return self.config.roles or None

    def severity(self, rule: Rule, found: Severity | None = None) -> Severity:
        """The configured severity of the rule, else the one its violation states
        (`found`), else the rule's."""
        return self.config.severity.get(rule.code, found or rule.severity)

    def ignored_codes(self, path: str) -> set[str]:
        """The codes `per-file-ignores` turns off for `path`."""
        codes: set[str] = set()
        for spec, spec_codes in self.per_file_ignores:
            if spec.match_file(path):
                codes |= spec_codes
        return codes


def resolve(config: Config) -> Settings:
    """The effective settings of `config`; a ConfigError names what is wrong in it."""
    where = config.source or "command line"
    return Settings(
        config=config,
        rules=tuple(build_rules(config, where)),
        known=frozenset(all_rules()),
        exclude=exclude_spec(config),
        per_file_ignores=_per_file_ignores(config),
    )


def build_rules(config: Config, where: str) -> list[Rule]:
    """The selected rules with their options; unknown options are a ConfigError."""
    classes = all_rules()
    codes = list(classes)
    factor_of = {code: cls.factor for code, cls in classes.items()}
    chosen = selected_codes(config, codes, factor_of, where)
    by_name = {cls.name: code for code, cls in classes.items()}
    for key, values in config.options.items():
        code = key if key in classes else by_name.get(key)
        if code is None:
            raise ConfigError(
                f"{where}: `options.{key}`: no rule has this name or code; use a rule code "
                "(TF301) or name (hard-coded-secret); `twelvefold rules` lists them"
            )
        unknown = set(values) - set(classes[code].options)
        if unknown:
            valid = ", ".join(sorted(classes[code].options)) or "none"
            raise ConfigError(
                f"{where}: `options.{key}`: unknown option {sorted(unknown)[0]!r}; valid: {valid}"
            )
    rules: list[Rule] = []
    for code in codes:
        if code in chosen:
            cls = classes[code]
            rules.append(cls(config.options.get(code) or config.options.get(cls.name)))
    return rules


def exclude_spec(config: Config) -> Any:
    """The compiled `exclude` globs of `config` (None: nothing excluded)."""
    return _spec(config.exclude) if config.exclude else None


def _per_file_ignores(config: Config) -> tuple[tuple[Any, frozenset[str]], ...]:
    if not config.per_file_ignores:
        return ()
    classes = all_rules()
    factor_of = {code: cls.factor for code, cls in classes.items()}
    compiled = []
    for glob, selectors in config.per_file_ignores.items():
        codes: set[str] = set()
        for selector in selectors:
            codes |= resolve_selector(selector, list(classes), factor_of)
        compiled.append((_spec([glob]), frozenset(codes)))
    return tuple(compiled)


def _spec(globs: Iterable[str]) -> Any:
    from pathspec import GitIgnoreSpec  # imported only by settings that have globs

    return GitIgnoreSpec.from_lines(list(globs))
