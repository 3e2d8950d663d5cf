"""`.ci/demo`, the quick start's first step, on a machine whose Python is externally managed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml
from template_helpers import ROOT, subprocess_env

# What `pip install` says on Debian/Ubuntu's system Python (PEP 668), outside a venv.
PEP_668_PYTHON = """#!/bin/sh
if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then
  echo "error: externally-managed-environment" >&2
  exit 1
fi
exec "{python}" "$@"
"""


def test_demo_runs_with_an_externally_managed_python(tmp_path: Path) -> None:
    shims = tmp_path / "bin"
    shims.mkdir()
    base_python = Path(sys.base_prefix) / "bin" / f"python{sys.version_info[0]}"
    for name in ("python3", "python"):
        (shims / name).write_text(PEP_668_PYTHON.format(python=base_python))
        (shims / name).chmod(0o755)
    env = {
        **subprocess_env(),
        "PATH": f"{shims}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "TWELVEFOLD_DEMO_TOOLS": str(tmp_path / "tools"),
        "UV_PROJECT_ENVIRONMENT": str(tmp_path / "dev-env"),  # not the checkout's .venv
        "UV_LINK_MODE": "hardlink",
    }
    out = tmp_path / "demo-project"
    result = subprocess.run(
        ["bash", str(ROOT / ".ci" / "demo"), str(out)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "externally-managed-environment" not in result.stderr
    assert (tmp_path / "tools" / "bin" / "uv").is_file()
    answers = yaml.safe_load((out / ".copier-answers.yml").read_text())
    assert answers["project_name"] == "Demo Project"
    assert (out / "uv.lock").is_file()
    assert "== twelvefold check" in result.stdout
