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

# Rows 169, 258, 297, 463, 486 and 512 of the breast cancer table (3 benign, 3 malignant).
NAMES = (
    "mean_radius",
    "mean_texture",
    "mean_perimeter",
    "mean_area",
    "mean_smoothness",
    "mean_compactness",
    "mean_concavity",
    "mean_concave_points",
    "mean_symmetry",
    "mean_fractal_dimension",
)
ROWS = [
    [14.97, 16.95, 96.22, 685.9, 0.09855, 0.07885, 0.02602, 0.03781, 0.178, 0.0565],
    [15.66, 23.2, 110.2, 773.5, 0.1109, 0.3114, 0.3176, 0.1377, 0.2495, 0.08104],
    [11.76, 18.14, 75.0, 431.1, 0.09968, 0.05914, 0.02685, 0.03515, 0.1619, 0.06287],
    [11.6, 18.36, 73.88, 412.7, 0.08508, 0.05855, 0.03367, 0.01777, 0.1516, 0.05859],
    [14.64, 16.85, 94.21, 666.0, 0.08641, 0.06698, 0.05192, 0.02791, 0.1409, 0.05355],
    [13.4, 20.52, 88.64, 556.7, 0.1106, 0.1469, 0.1445, 0.08172, 0.2116, 0.07325],
]
INPUTS = [dict(zip(NAMES, row, strict=True)) for row in ROWS]


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
