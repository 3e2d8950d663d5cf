"""Look-alikes from held-out set S (fresh-2026-12-05-s), judged before any change: an
MLOps course's nightly pipeline workflow (TF802) and its Hopsworks model registry
(TF1102, TF1204)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings

NIGHTLY = (
    "name: iris-feature-and-prediction-pipelines\n\n"
    "on:\n  workflow_dispatch:\n  schedule:\n    - cron: '00 00 * * *'\n\n"
    "jobs:\n  test_schedule:\n    runs-on: ubuntu-latest\n    steps:\n"
    "      - uses: actions/checkout@v4\n"
    "      - run: pip install -r requirements.txt\n"
    "      - run: jupyter nbconvert --to notebook --execute src/iris-feature-pipeline.ipynb\n"
)


def test_tf802_a_nightly_pipeline_workflow_is_not_ci(tmp_path: Path) -> None:
    files = {
        ".github/workflows/features-and-predictions.yml": NIGHTLY,
        "src/features.py": "import json\n",
        "tests/test_features.py": "def test_one():\n    assert 1\n",
    }
    assert findings(tmp_path / "nightly", "TF802", files) == []
    # the same job also run on every push is CI, and it skips the tests
    files[".github/workflows/features-and-predictions.yml"] = NIGHTLY.replace(
        "on:\n", "on:\n  push:\n"
    )
    assert len(findings(tmp_path / "push", "TF802", files)) == 1


TRAINING = (
    "import joblib\nimport xgboost\n{registry}\n"
    "clf = xgboost.XGBClassifier().fit(X_train, y_train)\n"
    "joblib.dump(clf, 'xgboost.pkl')\n"
    "{register}"
)
REGISTER = (
    "project = hopsworks.login()\nmr = project.get_model_registry()\n"
    "model = mr.python.create_model(name='fraud', metrics={'f1': f1})\n"
    "model.save('xgboost.pkl')\n"
)


def test_tf1102_tf1204_the_hopsworks_model_registry_records_runs(tmp_path: Path) -> None:
    registered = TRAINING.format(registry="import hopsworks\n", register=REGISTER)
    files = {"pipelines/train.py": registered}
    assert findings(tmp_path / "registry", ["TF1102", "TF1204"], files) == []
    plain = TRAINING.format(registry="", register="")
    codes = sorted(
        f.code
        for f in findings(tmp_path / "plain", ["TF1102", "TF1204"], {"pipelines/train.py": plain})
    )
    assert codes == ["TF1102", "TF1204"]


PROBING = (
    "import logging\n\n\nclass PROBINGEval:\n"
    "    def run(self, params):\n"
    "        logging.info('Computing embeddings')\n"
    "        print(params.classifier['nhid'])\n"
)


def test_tf902_a_vendored_component_with_its_own_license(tmp_path: Path) -> None:
    # SimCSE carries Facebook's SentEval, license and all.
    files = {
        "simcse/__init__.py": "",
        "SentEval/LICENSE": "BSD License\n\nFor SentEval software\n",
        "SentEval/senteval/__init__.py": "",
        "SentEval/senteval/probing.py": PROBING,
    }
    assert findings(tmp_path / "vendored", "TF902", files) == []
    files.pop("SentEval/LICENSE")
    assert len(findings(tmp_path / "own", "TF902", files)) == 1


def test_tf802_a_deploy_started_by_a_registry_webhook_is_still_asked_for_tests(
    tmp_path: Path,
) -> None:
    # Paulescu's deploy workflow: a model-registry webhook deploys to production.
    deploy = NIGHTLY.replace(
        "  schedule:\n    - cron: '00 00 * * *'\n",
        "  repository_dispatch:\n    types: [webhook_Production]\n",
    )
    files = {
        ".github/workflows/deploy_api.yml": deploy,
        "src/predict.py": "import json\n",
        "tests/test_predict.py": "def test_one():\n    assert 1\n",
    }
    assert len(findings(tmp_path / "deploy", "TF802", files)) == 1


def test_tf206_the_module_level_import_is_the_place(tmp_path: Path) -> None:
    # huggingface/evaluate: matplotlib is met first in a metric script's `__main__`
    # branch, but the package's visualization module imports it on every use.
    files = {
        "setup.py": "from setuptools import setup\n\nsetup(name='evaluate', install_requires=['numpy==2.1.0'])\n",
        "metrics/squad_v2/compute_score.py": (
            "import json\n\n\ndef main(opts):\n    if opts.out_image_dir:\n"
            "        import matplotlib\n        matplotlib.use('Agg')\n"
        ),
        "src/evaluate/__init__.py": "",
        "src/evaluate/visualization.py": "import matplotlib.pyplot as plt\nimport numpy as np\n",
    }
    [finding] = findings(tmp_path / "evaluate", "TF206", files)
    assert (finding.path, finding.line) == ("src/evaluate/visualization.py", 1)
    assert finding.message.endswith("(and 1 more imports in the project)")


LINT_WORKFLOW = (
    "name: CI\non: [pull_request]\njobs:\n  check_code_quality:\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - uses: actions/checkout@v4\n"
    "      - run: pip install black==22.0 isort flake8\n"
    "      - run: |\n          black --check tests src metrics\n          flake8 tests src metrics\n"
)


def test_tf805_a_makefile_target_running_the_same_linters(tmp_path: Path) -> None:
    # huggingface/evaluate: contributors run `make quality`, CI runs the same commands.
    makefile = (
        ".PHONY: quality style test\n\nquality:\n\tblack --check tests src metrics\n"
        "\tisort --check-only tests src metrics\n\tflake8 tests src metrics\n\n"
        "style:\n\tblack tests src metrics\n"
    )
    files = {
        ".github/workflows/ci.yml": LINT_WORKFLOW,
        "src/evaluate/__init__.py": "",
        "Makefile": makefile,
    }
    assert findings(tmp_path / "make", "TF805", files) == []
    files["Makefile"] = "test:\n\tpython -m pytest tests\n"
    assert len(findings(tmp_path / "tests-only", "TF805", files)) == 1
