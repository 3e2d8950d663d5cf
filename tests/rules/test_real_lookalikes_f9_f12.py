"""Look-alikes found by judging real repositories (TF902, TF1002, TF1202).

Each test is a minimal, self-written reproduction of a FALSE or NOISE class seen on a
real repository: none of them may be reported. The matching violations that must still
be reported sit next to each rule's other tests (test_f09_logs.py, test_f10_tests.py,
test_f12_deployability.py).
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings

# ------------------------------------------------------------------- TF902 print as logging


def test_tf902_print_marked_noqa_t201_is_intended(tmp_path: Path) -> None:
    # ruff/flake8-print's marker for a print that is the point: the project already
    # decided, line by line, that these are not logs.
    module = (
        "import logging\n\n"
        "logger = logging.getLogger(__name__)\n\n"
        "def train(df):\n"
        "    logger.info('training')\n"
        "    print('Training finished')  # noqa: T201\n"
        "    print(df.describe())  # noqa: E501, T201\n"
        "    print('see the report')  # noqa:T20\n"
        "    print('bye')  # NOQA: T201 -- shown to the user\n"
    )
    files = {"src/churn/__init__.py": "", "src/churn/train.py": module}
    assert findings(tmp_path, "TF902", files) == []


def test_tf902_print_to_stderr_is_the_log_stream(tmp_path: Path) -> None:
    # FACTORS.md, factor 9: writing the event stream to stdout/stderr is fine.
    module = (
        "import logging\nimport sys\nfrom sys import stderr\n\n"
        "logger = logging.getLogger(__name__)\n\n"
        "def load(path):\n"
        "    print(f'reading {path}', file=sys.stderr)\n"
        "    print('warning: no cache', file=stderr, flush=True)\n"
        "    return open(path).read()\n"
    )
    files = {"src/churn/__init__.py": "", "src/churn/io.py": module}
    assert findings(tmp_path, "TF902", files) == []


# ------------------------------------------------------------------- TF1002 tests not collected

_PYPROJECT = '[project]\nname = "churn"\nversion = "0.1.0"\ndependencies = ["pandas"]\n\n[dependency-groups]\ndev = ["pytest>=8"]\n'
_TEST = "def test_ok():\n    assert 1 + 1 == 2\n"


def _workflow(*steps: str) -> str:
    body = "".join(f"      - run: {step}\n" for step in steps)
    return (
        "name: CI\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-24.04\n"
        "    steps:\n      - uses: actions/checkout@v4\n" + body
    )


def test_tf1002_test_files_ci_passes_to_pytest_by_path_are_collected(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": _PYPROJECT,
        "tests/test_features.py": _TEST,
        "tests/slow_checks.py": _TEST,
        "tests/gpu/cuda_checks.py": _TEST,
        "integration/smoke_tests.py": _TEST,
        ".github/workflows/ci.yml": _workflow(
            "uv run pytest tests/",
            "uv run pytest tests/slow_checks.py -m slow",
            "python -m pytest ./tests/gpu/cuda_checks.py::test_ok",
            "|\n          pytest -x \\\n            integration/smoke_tests.py",
        ),
    }
    assert findings(tmp_path, "TF1002", files) == []


def test_tf1002_files_run_by_tox_nox_or_a_make_target_ci_runs_are_collected(
    tmp_path: Path,
) -> None:
    variants = [
        {
            "tox.ini": "[tox]\nenv_list = py312\n\n[testenv]\ncommands =\n    pytest tests {posargs}\n    pytest tests/model_checks.py\n",
            ".github/workflows/ci.yml": _workflow("pip install tox", "tox"),
        },
        {
            "noxfile.py": (
                "import nox\n\n@nox.session\ndef tests(session):\n"
                "    session.install('pytest')\n"
                "    session.run('pytest', 'tests/model_checks.py')\n"
            ),
            ".github/workflows/ci.yml": _workflow("pipx run nox -s tests"),
        },
        {
            "Makefile": ".PHONY: check\ncheck:\n\tuv run pytest tests/test_features.py tests/model_checks.py\n",
            ".gitlab-ci.yml": "test:\n  script:\n    - make check\n",
        },
        {
            "Makefile": "slow:\n\tpython -m pytest tests/*_checks.py\n",
            ".github/workflows/ci.yml": _workflow("make slow"),
        },
    ]
    for index, extra in enumerate(variants):
        files = {
            "pyproject.toml": _PYPROJECT,
            "tests/test_features.py": _TEST,
            "tests/model_checks.py": _TEST,
            **extra,
        }
        assert findings(tmp_path / str(index), "TF1002", files) == [], extra


def test_tf1002_files_a_cloud_build_step_or_container_runs_are_collected(tmp_path: Path) -> None:
    # Seen on a real pipeline repository: Cloud Build configurations under build/ run
    # `entrypoint: pytest` with the test modules as `args`.
    cloud_build = (
        "steps:\n"
        "- name: $_CICD_IMAGE_URI\n"
        "  entrypoint: 'pytest'\n"
        "  args: ['src/tests/model_tests.py', '-s']\n"
        "- name: $_CICD_IMAGE_URI\n"
        "  entrypoint: pytest\n"
        "  args: ['src/tests/deployment_tests.py::test_endpoint']\n"
    )
    compose = (
        "services:\n  tests:\n    build: .\n"
        "    command: [python, -m, pytest, src/tests/etl_tests.py]\n"
    )
    files = {
        "pyproject.toml": _PYPROJECT,
        "src/tests/model_tests.py": _TEST,
        "src/tests/deployment_tests.py": _TEST,
        "src/tests/etl_tests.py": _TEST,
        "src/tests/data_tests.py": _TEST,
        "build/pipeline-deployment.yaml": cloud_build,
        "docker-compose.test.yml": compose,
        "Dockerfile.test": 'FROM python:3.12-slim\nCMD ["pytest", "src/tests/data_tests.py"]\n',
    }
    assert findings(tmp_path, "TF1002", files) == []


# ------------------------------------------------------------------- TF1202 prediction logging

_ROUTE = (
    "from fastapi import FastAPI\n"
    "{imports}\n"
    "app = FastAPI()\n\n"
    "@app.get('/health')\n"
    "def health():\n"
    "    return {{'ok': True}}\n\n"
    "@app.post('/predict')\n"
    "def predict(features: dict):\n"
    "    return {{'y': {call}}}\n"
)


def test_tf1202_route_calling_a_project_method_that_logs_is_logged(tmp_path: Path) -> None:
    # The model wrapper logs every prediction; the route only calls it.
    model = (
        "import logging\n\n"
        "import joblib\n\n"
        "logger = logging.getLogger(__name__)\n\n"
        "class ChurnModel:\n"
        "    def __init__(self, path):\n"
        "        self.model = joblib.load(path)\n\n"
        "    def predict(self, features):\n"
        "        y = self.model.predict([list(features.values())])[0]\n"
        "        logger.info('prediction', extra={'inputs': features, 'output': y})\n"
        "        return y\n"
    )
    variants = [
        {
            "app/__init__.py": "",
            "app/model.py": model,
            "app/main.py": _ROUTE.format(
                imports="from app.model import ChurnModel\n\nmodel = ChurnModel('model.joblib')",
                call="model.predict(features)",
            ),
        },
        {
            "app/__init__.py": "",
            "app/model.py": model,
            "app/main.py": _ROUTE.format(
                imports="from .model import ChurnModel\n\nMODEL = ChurnModel('model.joblib')",
                call="MODEL.predict(features)",
            ),
        },
        {
            "src/churn/__init__.py": "",
            "src/churn/serving.py": model + "\n\nmodel = ChurnModel('model.joblib')\n",
            "src/churn/api.py": _ROUTE.format(
                imports="from churn import serving", call="serving.model.predict(features)"
            ),
        },
    ]
    for index, files in enumerate(variants):
        assert findings(tmp_path / str(index), "TF1202", files) == [], files


def test_tf1202_route_calling_a_project_function_that_logs_is_logged(tmp_path: Path) -> None:
    helpers = (
        "import structlog\n\n"
        "log = structlog.get_logger()\n\n"
        "def score(model, features):\n"
        "    y = model.predict([features])[0]\n"
        "    log.info('scored', output=y)\n"
        "    return y\n"
    )
    same_module = _ROUTE.format(
        imports="import logging\nimport joblib\n\nmodel = joblib.load('m.joblib')\n",
        call="_predict_one(features)",
    ) + (
        "\n\ndef _predict_one(features):\n"
        "    y = model.predict([features])[0]\n"
        "    logging.getLogger('predictions').warning('y=%s', y)\n"
        "    return y\n"
    )
    variants = [
        {"serve.py": same_module},
        {
            "service/__init__.py": "",
            "service/scoring.py": helpers,
            "service/app.py": _ROUTE.format(
                imports="from service.scoring import score as score_one\n",
                call="score_one(MODEL, features)",
            ),
        },
        {
            "service/__init__.py": "",
            "service/scoring.py": helpers,
            "service/app.py": _ROUTE.format(
                imports="import service.scoring as scoring\n", call="scoring.score(MODEL, features)"
            ),
        },
    ]
    for index, files in enumerate(variants):
        assert findings(tmp_path / str(index), "TF1202", files) == [], files
