"""The effective settings: the configuration is resolved once per run, and every stage
(the per-file pass, the pool's workers, the repo rules, the cache key) acts on them."""

from __future__ import annotations

from pathlib import Path

import pytest
from twelvefold import config as configs
from twelvefold import settings as settings_module
from twelvefold.config import Config, ConfigError
from twelvefold.engine import Target, run
from twelvefold.model import Severity
from twelvefold.settings import resolve

from tests.helpers import make_repo

SECRET = "DB_PASSWORD = 'Xk8#pq2!Lm9z'\n"


def test_settings_hold_the_resolved_choices() -> None:
    config = Config(
        ignore=["TF9"],
        severity={"TF301": Severity.WARNING},
        per_file_ignores={"tests/**": ["F3"]},
        exclude=["vendor/"],
    )
    settings = resolve(config)
    codes = {rule.code for rule in settings.rules}
    assert "TF301" in codes and not any(code.startswith("TF9") for code in codes)
    assert "TF901" in settings.known  # a suppression comment may still name it
    secret_rule = next(rule for rule in settings.rules if rule.code == "TF301")
    assert settings.severity(secret_rule) is Severity.WARNING
    assert "TF301" in settings.ignored_codes("tests/test_app.py")
    assert settings.ignored_codes("src/app.py") == set()
    assert settings.exclude.match_file("vendor/lib.py")
    assert not settings.exclude.match_file("src/app.py")


def test_a_bad_selection_is_refused_when_resolving() -> None:
    with pytest.raises(ConfigError, match="matches no rule"):
        resolve(Config(select=["TF99999x"]))


def test_a_run_resolves_the_configuration_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two roots, per-file ignores and excludes: the selection, the ignores and the
    # exclude spec are each worked out once, not once per root or per file.
    for name in ("one", "two"):
        make_repo(tmp_path / name, {"app.py": SECRET, "tests/test_x.py": SECRET})
    calls: dict[str, int] = {"selected": 0, "spec": 0}
    selected, spec = configs.selected_codes, settings_module._spec

    def counting_selected(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["selected"] += 1
        return selected(*args, **kwargs)

    def counting_spec(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["spec"] += 1
        return spec(*args, **kwargs)

    monkeypatch.setattr(settings_module, "selected_codes", counting_selected)
    monkeypatch.setattr(settings_module, "_spec", counting_spec)
    config = Config(per_file_ignores={"tests/**": ["TF301"]}, exclude=["build/"])
    result = run([Target(tmp_path / "one"), Target(tmp_path / "two")], config)
    assert calls == {"selected": 1, "spec": 2}  # one per-file-ignores glob, one exclude
    secrets = sorted(f.path for f in result.findings if f.code == "TF301")
    assert secrets == ["app.py", "app.py"]  # tests/ ignored in both roots
