"""Maintainer tool: recompute the reference predictions the generated projects ship.

Each ML framework has its own `template/tests/reference/{% if ... %}predictions.json{% endif %}`.
After an intended change to the model or its defaults, run

    .venv/bin/python tests/template/refresh_references.py [scikit-learn none pytorch]

It generates a project per framework, trains it with the default settings through the
project's own `pytest --update-reference`, and copies the result back into the template.
PyTorch is installed from the machine's pip configuration (a CPU wheel), not from uv.lock.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).parent))

from template_helpers import generate, pip_environment  # noqa: E402

INPUTS = [
    {"feature_0": 1.543, "feature_1": 2.463, "feature_2": 1.72, "feature_3": -1.46},
    {"feature_0": -2.089, "feature_1": 0.101, "feature_2": 1.292, "feature_3": 0.764},
    {"feature_0": 2.715, "feature_1": 1.126, "feature_2": 0.96, "feature_3": -1.097},
    {"feature_0": -1.662, "feature_1": 2.227, "feature_2": 0.073, "feature_3": 1.217},
    {"feature_0": -2.065, "feature_1": -0.655, "feature_2": -1.937, "feature_3": -1.164},
    {"feature_0": 1.355, "feature_1": -2.221, "feature_2": -0.801, "feature_3": 0.246},
]


def reference_path(framework: str) -> Path:
    name = f"{{% if ml_framework == '{framework}' %}}predictions.json{{% endif %}}"
    return ROOT / "template" / "tests" / "reference" / name


def refresh(framework: str, workdir: Path) -> None:
    project = generate(
        workdir / framework, {"ml_framework": framework}, lock=framework != "pytorch"
    )
    reference = project / "tests" / "reference" / "predictions.json"
    reference.parent.mkdir(parents=True, exist_ok=True)
    reference.write_text(json.dumps({"inputs": INPUTS, "predictions": []}), encoding="utf-8")
    if framework == "pytorch":
        python = pip_environment(project)
        command = [str(python), "-m", "pytest"]
    else:
        subprocess.run(["uv", "sync", "--locked", "--quiet"], cwd=project, check=True)
        command = ["uv", "run", "--locked", "pytest"]
    subprocess.run(
        [*command, "-q", "--update-reference", "-k", "reference"], cwd=project, check=True
    )
    reference_path(framework).write_text(reference.read_text(encoding="utf-8"), encoding="utf-8")
    print(f"refreshed {reference_path(framework).relative_to(ROOT)}")


def main(frameworks: list[str]) -> None:
    with tempfile.TemporaryDirectory() as workdir:
        for framework in frameworks or ["scikit-learn", "none", "pytorch"]:
            refresh(framework, Path(workdir))


if __name__ == "__main__":
    main(sys.argv[1:])
