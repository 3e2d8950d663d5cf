"""Maintainer tool: regenerate the names copier.yml refuses as a package name.

    .venv/bin/python tests/template/refresh_reserved_names.py

A generated package must not be called like a Python keyword (`import import` is a
SyntaxError) nor like a module the project imports: the standard library of any supported
Python, or a distribution the template's options install (`sklearn`, `yaml`...), which the
package would shadow. This script collects

- the hard keywords (`keyword.kwlist`),
- `sys.stdlib_module_names` of every supported Python found on this machine (3.10-3.13),
- the top-level import names of every distribution installed in projects generated with
  every option (uv-synced; PyTorch from the machine's CPU wheel with pip),

keeps those a package name could be (lowercase identifiers) and rewrites the
`reserved_package_names` block of copier.yml. `test_reserved_names_cover_the_environment`
checks the result against each generated project's environment.
"""

from __future__ import annotations

import json
import keyword
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from template_helpers import ROOT, generate, local_torch_wheel, pip_environment, run

SUPPORTED = ("3.10", "3.11", "3.12", "3.13")
IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
BEGIN = "  # begin reserved names (tests/template/refresh_reserved_names.py)\n"
END = "  # end reserved names\n"
ALL_OPTIONS = {"serving": "fastapi", "experiment_tracking": "mlflow", "data_versioning": "dvc"}
LIST_IMPORTS = (
    "import importlib.metadata as m, json; print(json.dumps(sorted(m.packages_distributions())))"
)


def stdlib_names() -> set[str]:
    names: set[str] = set()
    for version in SUPPORTED:
        found = subprocess.run(
            ["uv", "python", "find", "--no-python-downloads", version],
            capture_output=True,
            text=True,
            check=False,
        )
        python = found.stdout.strip() or shutil.which(f"python{version}")
        if not python:
            print(f"python{version} not found: its standard library is not covered")
            continue
        out = subprocess.run(
            [python, "-c", "import sys, json; print(json.dumps(sorted(sys.stdlib_module_names)))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        names |= set(json.loads(out))
    return names


def installed_names(python: Path, cwd: Path) -> set[str]:
    result = run([str(python), "-c", LIST_IMPORTS], cwd=cwd)
    result.check_returncode()
    return set(json.loads(result.stdout))


def dependency_names(workdir: Path) -> set[str]:
    names: set[str] = set()
    for framework in ("scikit-learn", "none"):
        project = generate(workdir / framework, {"ml_framework": framework, **ALL_OPTIONS})
        run(["uv", "sync", "--locked", "--quiet"], cwd=project).check_returncode()
        names |= installed_names(project / ".venv" / "bin" / "python", project)
    if local_torch_wheel() is not None:
        project = generate(workdir / "pytorch", {"ml_framework": "pytorch"}, lock=False)
        names |= installed_names(pip_environment(project), project)
    else:
        print("no local CPU torch wheel: PyTorch's dependencies are not covered")
    return names - {"demo_model"}


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        names = {n for n in keyword.kwlist if n.islower()} | stdlib_names()
        names |= dependency_names(Path(workdir))
    names = sorted(n for n in names if IDENTIFIER.fullmatch(n))
    lines, line = ["  default: >-\n"], "    "
    for name in names:
        if len(line) + len(name) + 1 > 96:
            lines.append(line.rstrip() + "\n")
            line = "    "
        line += name + " "
    lines.append(line.rstrip() + "\n")
    config = ROOT / "copier.yml"
    text = config.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    config.write_text(text[:start] + "".join(lines) + text[end:], encoding="utf-8")
    print(f"copier.yml: {len(names)} reserved package names")


if __name__ == "__main__":
    main()
