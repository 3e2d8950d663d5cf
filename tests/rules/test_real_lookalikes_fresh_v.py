"""Look-alikes from held-out set V (fresh-2026-12-05-v), judged before any change: a
smoke test a shell script passes to pytest by path (TF1002)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings

SMOKE = "import requests\n\n\ndef test_health():\n    assert requests.get('http://localhost:8000/healthcheck').ok\n"


def test_tf1002_a_module_a_repository_script_passes_to_pytest(tmp_path: Path) -> None:
    # unstructured-api: `make docker-test` runs scripts/docker-smoke-test.sh, which runs
    # `uv run pytest -vv scripts/smoketest.py` against the built image.
    files = {
        "pyproject.toml": '[project]\nname = "api"\nversion = "1"\n\n[tool.pytest.ini_options]\ntestpaths = ["test_api"]\n',
        "test_api/test_app.py": "def test_one():\n    assert 1\n",
        "scripts/smoketest.py": SMOKE,
        "scripts/docker-smoke-test.sh": "#!/usr/bin/env bash\nset -e\nPYTHONPATH=. uv run pytest -vv scripts/smoketest.py\n",
        "Makefile": "docker-test:\n\t./scripts/docker-smoke-test.sh\n",
    }
    assert findings(tmp_path / "smoke", "TF1002", files) == []
    files["scripts/docker-smoke-test.sh"] = (
        "#!/usr/bin/env bash\nset -e\ncurl -f http://localhost:8000/healthcheck\n"
    )
    [finding] = findings(tmp_path / "curl", "TF1002", files)
    assert finding.path == "scripts/smoketest.py"


def test_tf304_argparse_set_defaults_are_command_line_defaults(tmp_path: Path) -> None:
    # dinov2's linear-probe evaluation sets its options' defaults in one call.
    script = (
        "import argparse\n\nimport torch\n\n\n"
        "def get_args_parser():\n    parser = argparse.ArgumentParser()\n"
        "    parser.add_argument('--epochs', type=int)\n"
        "    parser.set_defaults(epochs=10, batch_size=128)\n    return parser\n\n\n"
        "def train(model, loader, epochs):\n"
        "    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)\n"
        "    for _ in range(epochs):\n        for x, y in loader:\n"
        "            loss = model(x).sum()\n            loss.backward()\n            optimizer.step()\n"
    )
    files = {"configs/ssl_default_config.yaml": "optim:\n  epochs: 100\n", "eval/linear.py": script}
    assert findings(tmp_path / "defaults", "TF304", files) == []
    files["eval/linear.py"] = script.replace(
        "    parser.set_defaults(epochs=10, batch_size=128)\n", ""
    ) + ("\n\ndef main(model, loader):\n    train(model, loader, epochs=10)\n")
    assert len(findings(tmp_path / "call", "TF304", files)) == 1


def test_tf303_the_notebook_user_of_vertex_ai_workbench(tmp_path: Path) -> None:
    # mlops-on-gcp's labs: the user every Vertex AI notebook instance runs as.
    cell = "import os\n\nPATH = '/home/jupyter/.local/bin:' + os.environ['PATH']\n"
    assert findings(tmp_path / "vertex", "TF303", {"labs/setup.py": cell}) == []
    person = cell.replace("/home/jupyter/", "/home/jarekk/")
    assert len(findings(tmp_path / "person", "TF303", {"labs/setup.py": person})) == 1


def test_a_workshops_folder_of_notebooks_is_a_course(tmp_path: Path) -> None:
    # mlops-on-gcp: "hands-on labs for instructor led ML Engineering mini workshops".
    from twelvefold.discovery import discover
    from twelvefold.project import build_model

    from tests.helpers import make_repo, notebook

    lab = notebook("import pandas as pd")
    files = {f"workshops/lab-0{n}/lab.ipynb": lab for n in range(1, 4)}
    files["continuous_training/dag.py"] = "import airflow\n"
    root = make_repo(tmp_path / "labs", files)
    assert build_model(root, discover(root, None).files).kind == "course"
    files.pop("workshops/lab-03/lab.ipynb")
    root = make_repo(tmp_path / "two", files)
    assert build_model(root, discover(root, None).files).kind != "course"


def test_tf302_a_kustomize_configmap_generators_env_file(tmp_path: Path) -> None:
    kustomization = (
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        "configMapGenerator:\n- envs:\n  - gcp-configs.env\n  name: gcp-configs\n"
    )
    settings = (
        "sql_connection_name=my-project:us-central1:kfp-metadata\nbucket_name=my-artifact-store\n"
    )
    files = {"kustomize/kustomization.yaml": kustomization, "kustomize/gcp-configs.env": settings}
    assert findings(tmp_path / "configmap", "TF302", files) == []
    # a secret generator's env file, or one holding a password, is reported
    secrets = kustomization.replace("configMapGenerator", "secretGenerator")
    assert (
        len(
            findings(
                tmp_path / "secret", "TF302", {**files, "kustomize/kustomization.yaml": secrets}
            )
        )
        == 1
    )
    leaked = {**files, "kustomize/gcp-configs.env": settings + "db_password=Xk8pq2Lm9zQ4\n"}
    assert len(findings(tmp_path / "leaked", "TF302", leaked)) == 1


def test_tf503_an_image_whose_name_holds_the_version_is_a_warning(tmp_path: Path) -> None:
    # mlops-on-gcp's trainers: `tf2-cpu.2-3` is TensorFlow 2.3; no tag moves its patches.
    image = "FROM gcr.io/deeplearning-platform-release/tf2-cpu.2-3\nRUN pip install fire==0.4.0\n"
    [finding] = findings(
        tmp_path / "named",
        "TF503",
        {"trainer/Dockerfile": image, "trainer/train.py": "import json\n"},
    )
    assert finding.severity.value == "warning" and "only patches move" in finding.message
    moving = image.replace("tf2-cpu.2-3", "base-cpu")
    [finding] = findings(
        tmp_path / "moving",
        "TF503",
        {"trainer/Dockerfile": moving, "trainer/train.py": "import json\n"},
    )
    assert finding.severity.value == "error"


def test_tf1004_a_templated_module_that_seeds_cannot_be_read_as_unseeded(tmp_path: Path) -> None:
    # grok-ai/nn-template: `run.py` holds `{{ cookiecutter.package_name }}` and does not
    # parse, yet it calls `seed_index_everything(cfg.train)` before training.
    from twelvefold.config import Config

    from tests.helpers import check, make_repo

    package = "{{ cookiecutter.package_name }}"
    run = (
        "import torch\n"
        f"from {package}.data.datamodule import MyDataModule\n"
        "from nn_core.common.utils import seed_index_everything\n\n\n"
        "torch.set_float32_matmul_precision('high')\n\n\n"
        "def run(cfg):\n    seed_index_everything(cfg.train)\n    return MyDataModule()\n"
    )
    datamodule = (
        "from torch.utils.data import DataLoader\n\n\n"
        "def train_dataloader(dataset):\n    return DataLoader(dataset, shuffle=True, batch_size=32)\n"
    )
    files = {f"src/{package}/run.py": run, "src/pkg/datamodule.py": datamodule}
    root = make_repo(tmp_path / "template", files)
    assert check(root, select=["TF1004"], config=Config(kind="template")).findings == []
    files[f"src/{package}/run.py"] = run.replace("    seed_index_everything(cfg.train)\n", "")
    root = make_repo(tmp_path / "unseeded", files)
    assert len(check(root, select=["TF1004"], config=Config(kind="template")).findings) == 1


def test_tf103_samples_force_added_to_an_ignored_folder(tmp_path: Path) -> None:
    # wikimedia/editquality: `datasets/` is ignored; labelling samples are force-added.
    from tests.helpers import git, make_repo

    sample = "rev_id,damaging\n" + "123456789,False\n" * 400_000
    files = {".gitignore": "# datasets and models\ndatasets/\n", "editquality/__init__.py": ""}
    root = make_repo(tmp_path / "forced", files)
    (root / "datasets").mkdir()
    (root / "datasets/enwiki.sample.csv").write_text(sample)
    git(root, "add", "-f", "datasets/enwiki.sample.csv")
    git(root, "commit", "-qm", "samples")
    assert findings(root, "TF103", None) == []
    # the same files with nothing ignoring their folder are committed data
    files = {
        ".gitignore": "__pycache__/\n",
        "editquality/__init__.py": "",
        "datasets/enwiki.sample.csv": sample,
    }
    assert len(findings(tmp_path / "plain", "TF103", files)) == 1
