"""The rule reference site: built with `mkdocs build --strict`, where a broken link, a
missing page or a bad anchor fails the build; one page per rule at the address SARIF's
`helpUri` names."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from twelvefold.compat import tomllib
from twelvefold.config import SETTINGS
from twelvefold.registry import all_rules
from twelvefold.report.sarif import help_uri

ROOT = Path(__file__).resolve().parent.parent


def build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    mkdocs = shutil.which("mkdocs", path=str(Path(sys.executable).parent))
    if mkdocs is None:
        pytest.skip("mkdocs is not installed")
    return subprocess.run(
        [mkdocs, "build", "--strict", "--config-file", str(config), "--site-dir", str(site)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    done = build(ROOT / "mkdocs.yml", out)
    assert done.returncode == 0, done.stderr
    return out


def site_url() -> str:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    return config["site_url"]


def test_every_rule_has_its_page_with_its_documentation(site: Path) -> None:
    for code, rule in all_rules().items():
        page = site / "rules" / code / "index.html"
        assert page.is_file(), code
        text = page.read_text(encoding="utf-8")
        assert rule.name in text and "What it does" in text, code
    catalog = (site / "rules" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{code}/"' in catalog for code in all_rules())


def test_the_settings_page_lists_every_key(site: Path) -> None:
    text = (site / "settings" / "index.html").read_text(encoding="utf-8")
    assert all(f"<code>{key}</code>" in text for key in SETTINGS)


def test_sarif_help_uris_are_pages_of_the_site(site: Path) -> None:
    base = site_url()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["urls"]["Documentation"] == base
    for rule in all_rules().values():
        uri = help_uri(rule, {"documentation": base})
        assert uri is not None and uri.startswith(base)
        assert (site / uri[len(base) :] / "index.html").is_file(), uri


def test_a_broken_link_fails_the_build(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    index = tmp_path / "docs" / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8") + "\nSee [the missing page](rules/TF999.md).\n",
        encoding="utf-8",
    )
    done = build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert done.returncode != 0 and "TF999.md" in done.stderr
