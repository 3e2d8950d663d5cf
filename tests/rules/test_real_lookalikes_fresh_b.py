"""Look-alikes found by judging the second fresh held-out set (fresh-2026-12-05-b):
TF302 templates named `example.env`, the kind of deployed pipelines and of paper
releases, TF304 against another pipeline's config or an inference batch, duplicates
(TF205, TF1204, TF202), TF1003 `HistGradientBoosting*`, TF1004 names and load tests,
TF902 display functions, TF206 `boto3` in a Lambda handler, TF1102 tabular run loggers.

Each test is a minimal, self-written reproduction of a FALSE or NOISE class, next to a
realistic violation of the same rule that must still be reported.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from twelvefold import kinds
from twelvefold.discovery import discover
from twelvefold.project import ProjectModel, build_model

from tests.helpers import check, findings, make_repo


def model_of(root: Path, kind: str | None = None) -> ProjectModel:
    return build_model(root, discover(root, None).files, kind=kind)


# ------------------------------------------------------------------ TF302 example.env

_ENV_TEMPLATE = "# copy to .env and fill in\nAWS_PROFILE=\nAPI_TOKEN=\nBATCH_SIZE=64\n"


@pytest.mark.parametrize(
    "name",
    [
        "example.env",
        "sample.env",
        "template.env",
        ".env-example",
        "dev_example.env",
        ".env.example",
    ],
)
def test_tf302_env_template_named_with_the_word_before_env(tmp_path: Path, name: str) -> None:
    files = {
        ".gitignore": ".env\n",
        f"flows/intent/{name}": _ENV_TEMPLATE,
        "flows/intent/train.py": "print('train')\n",
    }
    assert findings(tmp_path / "repo", "TF302", files) == []


def test_tf302_real_env_files_are_still_reported(tmp_path: Path) -> None:
    files = {
        "flows/intent/prod.env": "BATCH_SIZE=64\n",
        "flows/rec/.env": "BATCH_SIZE=64\n",
        "flows/rec/example.env": _ENV_TEMPLATE,
    }
    found = findings(tmp_path / "repo", "TF302", files)
    assert sorted(f.path for f in found) == ["flows/intent/prod.env", "flows/rec/.env"]


def test_dotenv_template_names() -> None:
    for name in ("example.env", "a/b/sample.env", "template.env", ".env.sample.jinja"):
        assert kinds.is_dotenv_template(name), name
    for name in (".env", "prod.env", ".env.local", "example.py", "environment.example"):
        assert not kinds.is_dotenv_template(name), name


# ------------------------------------------------------------------ kind inference

_FLOW = (
    "import pandas as pd\n"
    "from sklearn.linear_model import Ridge\n\n\n"
    "def train(frame: pd.DataFrame) -> Ridge:\n"
    "    return Ridge().fit(frame[['x']], frame['y'])\n"
)
_SERVERLESS = (
    "service: intent-endpoint\n"
    "provider:\n  name: aws\n  runtime: python3.11\n"
    "functions:\n  predict:\n    handler: handler.predict\n"
    "    package:\n      patterns:\n        - handler.py\n"
)
_HANDLER = (
    "import json\nimport boto3\n\n\n"
    "def predict(event, context):\n"
    "    client = boto3.client('sagemaker-runtime')\n"
    "    return {'statusCode': 200, 'body': json.dumps({'ok': bool(client)})}\n"
)


def _pipelines(serverless: bool) -> dict[str, str]:
    files = {
        "flows/intent/requirements.txt": "pandas==2.2.3\nscikit-learn==1.5.2\n",
        "flows/intent/src/train_flow.py": _FLOW,
        "flows/intent/src/prepare.py": "import pandas as pd\n",
        "flows/intent/src/utils.py": "import os\n",
        "flows/intent/src/model.py": "import pandas as pd\n",
    }
    if serverless:
        files["flows/intent/serverless/serverless.yml"] = _SERVERLESS
        files["flows/intent/serverless/handler.py"] = _HANDLER
    return files


def test_kind_a_serverless_deployment_is_no_research_repository(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", _pipelines(serverless=True), git_init=False)
    model = model_of(root)
    assert model.kind == "application"
    assert "serverless.yml" in model.kind_why


def test_kind_unpackaged_scripts_without_deployment_stay_research(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", _pipelines(serverless=False), git_init=False)
    assert model_of(root).kind == "research"


def _paper_release() -> dict[str, str]:
    return {
        "setup.py": "from setuptools import setup\n\n"
        "setup(name='diffusion-paper', py_modules=['diffusion'], install_requires=['torch'])\n",
        "diffusion/__init__.py": "",
        "diffusion/unet.py": "import torch\n",
        "diffusion/train_util.py": "import torch\n",
        "scripts/image_train.py": "from diffusion import train_util\n",
        "scripts/image_sample.py": "from diffusion import unet\n",
    }


def test_kind_a_paper_release_with_a_bare_setup_py_is_research(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", _paper_release(), git_init=False)
    model = model_of(root)
    assert model.kind == "research", model.kind_why


@pytest.mark.parametrize(
    "extra",
    [
        {".github/workflows/ci.yml": "on: push\njobs: {}\n"},
        # a test suite (one or two test modules run by hand do not make one: co-tracker)
        {
            f"tests/test_{name}.py": f"def test_{name}():\n    assert True\n"
            for name in ("unet", "sampler", "schedule")
        },
        {"deploy/Dockerfile": "FROM python:3.12-slim\n"},
        {"pyproject.toml": "[project]\nname = 'x'\n[project.scripts]\nx = 'diffusion:main'\n"},
        {"setup.py": "from setuptools import setup\n\nsetup(name='x', version='1.2.0')\n"},
    ],
)
def test_kind_a_package_with_ci_tests_image_metadata_or_version_stays_application(
    tmp_path: Path, extra: dict[str, str]
) -> None:
    root = make_repo(tmp_path / "repo", {**_paper_release(), **extra}, git_init=False)
    assert model_of(root).kind == "application"


# ------------------------------------------------------------------ TF304


def test_tf304_another_pipelines_config_is_not_this_codes(tmp_path: Path) -> None:
    files = {
        "flows/rec/config.yaml": "lr: 0.001\nepochs: 10\nbatch_size: 32\n",
        "flows/rec/src/settings.py": "class TrainConfig:\n    lr: float = 0.1\n    epochs: int = 3\n",
        # A standalone smoke-test flow at the root and another pipeline's training code.
        "flow_smoke.py": "import keras\n\nmodel = keras.Sequential()\n"
        "model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss='mse')\n"
        "model.fit(x, y, epochs=50)\n",
        "flows/intent/src/train.py": "import keras\n\n\ndef train(model, x, y):\n"
        "    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss='mse')\n"
        "    model.fit(x, y, epochs=50)\n",
    }
    assert findings(tmp_path / "repo", "TF304", files) == []


def test_tf304_an_inference_batch_is_not_a_training_hyperparameter(tmp_path: Path) -> None:
    files = {
        "flows/intent/config.yaml": "batch_size: 64\nepochs: 5\n",
        "flows/intent/src/model.py": "def train(model, x, y, cfg):\n"
        "    model.fit(x, y, batch_size=cfg['batch_size'], epochs=cfg['epochs'])\n\n\n"
        "def make_predictions(model, x):\n"
        "    return model.predict(x, batch_size=128)\n",
    }
    assert findings(tmp_path / "repo", "TF304", files) == []


def test_tf304_literals_beside_the_config_they_ignore_are_still_reported(tmp_path: Path) -> None:
    files = {
        "flows/rec/config.yaml": "lr: 0.001\n",
        "flows/rec/src/train.py": "import torch\n\n\ndef train(model):\n"
        "    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)\n"
        "    loss = model()\n    loss.backward()\n    return optimizer\n",
        "flows/intent/settings.py": "class TrainConfig:\n    epochs: int = 3\n",
        "flows/intent/src/train.py": "from settings import TrainConfig\n\n\n"
        "def train(model, x, y):\n    model.fit(x, y, epochs=50)\n",
        "flows/intent/src/evaluate.py": "def train(model, x, y):\n"
        "    model.fit(x, y, batch_size=128)\n",
        "flows/intent/config.yaml": "batch_size: 64\n",
    }
    found = findings(tmp_path / "repo", "TF304", files)
    assert [(f.path, f.line) for f in found] == [
        ("flows/intent/src/evaluate.py", 2),
        ("flows/intent/src/train.py", 5),
        ("flows/rec/src/train.py", 5),
    ]


# ------------------------------------------------------------------ duplicates

_PIP_DECORATOR = (
    "from functools import wraps\n\n\n"
    "def pip(libraries):\n"
    "    def decorator(function):\n"
    "        @wraps(function)\n"
    "        def wrapper(*args, **kwargs):\n"
    "            import subprocess\n"
    "            import sys\n"
    "            for library, version in libraries.items():\n"
    "                if version:\n"
    "                    subprocess.run([sys.executable, '-m', 'pip', 'install', library + '==' + version])\n"
    "                else:\n"
    "                    subprocess.run([sys.executable, '-m', 'pip', 'install', library])\n"
    "            return function(*args, **kwargs)\n\n"
    "        return wrapper\n\n"
    "    return decorator\n"
)


def test_tf205_one_installer_is_reported_once(tmp_path: Path) -> None:
    found = findings(tmp_path / "repo", "TF205", {"flows/decorators.py": _PIP_DECORATOR})
    assert [(f.path, f.line) for f in found] == [("flows/decorators.py", 12)]
    assert "1 more" in found[0].message


def test_tf205_installs_in_two_functions_are_two_findings(tmp_path: Path) -> None:
    files = {
        "flows/setup_env.py": "import subprocess\n\n\ndef install_a():\n"
        "    subprocess.run(['pip', 'install', 'lightgbm'])\n\n\ndef install_b():\n"
        "    subprocess.run(['pip', 'install', 'xgboost'])\n",
    }
    found = findings(tmp_path / "repo", "TF205", files)
    assert [f.line for f in found] == [5, 9]


_TRAIN_SAVES = (
    "from joblib import dump\nfrom sklearn import preprocessing\n"
    "from sklearn.linear_model import Ridge\n\n\n"
    "def train(x, y):\n"
    "    scaler = preprocessing.StandardScaler().fit(x)\n"
    "    model = Ridge().fit(scaler.transform(x), y)\n"
    "    dump(model, 'artifacts/model.joblib')\n"
    "    dump(scaler, 'artifacts/scaler.joblib')\n"
)


def test_tf1204_a_scaler_saved_next_to_the_model_is_one_finding(tmp_path: Path) -> None:
    found = findings(tmp_path / "repo", "TF1204", {"model/train.py": _TRAIN_SAVES})
    assert [(f.path, f.line) for f in found] == [("model/train.py", 9)]
    assert "1 more save in the same function" in found[0].message


def test_tf1204_saves_in_separate_functions_are_still_each_reported(tmp_path: Path) -> None:
    files = {
        "model/train.py": _TRAIN_SAVES + "\n\ndef train_baseline(x, y):\n"
        "    dump(Ridge().fit(x, y), 'artifacts/baseline.joblib')\n",
    }
    found = findings(tmp_path / "repo", "TF1204", files)
    assert [f.line for f in found] == [9, 14]


_REQUIREMENTS = "torch>=2.0.0\nlightning>=2.0.0\nhydra-core==1.3.2\nrich\n"
_ENVIRONMENT = (
    "name: myenv\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.10\n"
    "  - pytorch=2.*\n  - lightning=2.*\n  - hydra-core=1.*\n  - rich=13.*\n"
    "  - pip>=23\n  - pip:\n      - rich\n"
)


def test_tf202_conda_environment_repeating_the_requirements_is_reported_once(
    tmp_path: Path,
) -> None:
    files = {
        "requirements.txt": _REQUIREMENTS,
        "environment.yaml": _ENVIRONMENT,
        "src/train.py": "import torch\n",
    }
    found = findings(tmp_path / "repo", "TF202", files)
    assert [f.path for f in found] == ["requirements.txt"]


def test_tf202_conda_environment_with_its_own_open_entries_is_still_reported(
    tmp_path: Path,
) -> None:
    files = {
        "requirements.txt": _REQUIREMENTS,
        "environment.yaml": _ENVIRONMENT + "  - scipy\n",
        "src/train.py": "import torch\n",
    }
    found = findings(tmp_path / "repo", "TF202", files)
    assert sorted(f.path for f in found) == ["environment.yaml", "requirements.txt"]


# ------------------------------------------------------------------ TF1003


def test_tf1003_hist_gradient_boosting_with_default_early_stopping(tmp_path: Path) -> None:
    files = {
        "model/train.py": "from sklearn.ensemble import HistGradientBoostingRegressor\n\n\n"
        "def train(x, y):\n    return HistGradientBoostingRegressor(max_iter=50).fit(x, y)\n",
    }
    assert findings(tmp_path / "repo", "TF1003", files) == []


def test_tf1003_hist_gradient_boosting_asked_for_randomness_is_reported(tmp_path: Path) -> None:
    files = {
        "model/train.py": "from sklearn.ensemble import HistGradientBoostingClassifier\n"
        "from sklearn.ensemble import RandomForestClassifier\n\n\n"
        "def train(x, y):\n"
        "    a = HistGradientBoostingClassifier(early_stopping=True).fit(x, y)\n"
        "    b = HistGradientBoostingClassifier(max_features=0.5).fit(x, y)\n"
        "    c = RandomForestClassifier().fit(x, y)\n"
        "    return a, b, c\n",
    }
    found = findings(tmp_path / "repo", "TF1003", files)
    assert [f.line for f in found] == [6, 7, 8]


# ------------------------------------------------------------------ TF1004


def test_tf1004_a_random_number_formatted_into_a_name_affects_no_result(tmp_path: Path) -> None:
    files = {
        "evaluations/evaluator.py": "import random\n\nimport numpy as np\n\n\n"
        "def feature_graph(batch: np.ndarray) -> str:\n"
        "    prefix = f'{random.randrange(2**32)}_{random.randrange(2**32)}'\n"
        "    return prefix + str(batch.shape)\n",
    }
    assert findings(tmp_path / "repo", "TF1004", files) == []


def test_tf1004_a_load_test_is_no_result_to_reproduce(tmp_path: Path) -> None:
    files = {
        "load_test/locustfile.py": "import random\n\nimport pandas as pd\n"
        "from locust import HttpUser, task\n\nROWS = pd.DataFrame({'x': [1, 2]})\n\n\n"
        "class Visitor(HttpUser):\n    @task\n    def predict(self):\n"
        "        row = random.choice(ROWS.to_dict('records'))\n"
        "        self.client.post('/predict', json=row)\n",
    }
    root = make_repo(tmp_path / "repo", files)
    assert model_of(root).role("load_test/locustfile.py") == "benchmark"
    assert check(root, select=["TF1004"]).findings == []


def test_tf1004_random_data_shuffling_is_still_reported(tmp_path: Path) -> None:
    files = {
        "model/prepare.py": "import random\n\nimport pandas as pd\n\n\n"
        "def split(frame: pd.DataFrame) -> list:\n"
        "    rows = frame.to_dict('records')\n    random.shuffle(rows)\n"
        "    name = f'{random.randrange(100)}'\n    return rows + [name]\n",
    }
    found = findings(tmp_path / "repo", "TF1004", files)
    assert [(f.path, f.line) for f in found] == [("model/prepare.py", 8)]


# ------------------------------------------------------------------ TF902

_SUMMARY = (
    "def common_label_issues(issues, tokens):\n"
    '    """Display the tokens that most commonly have label issues."""\n'
    "    for token in tokens:\n"
    "        print(f'Token {token} is potentially mislabeled')\n"
    "    print('Specify class_names to see names.')\n"
    "    return issues\n"
)


def test_tf902_a_function_documented_to_display_prints_by_design(tmp_path: Path) -> None:
    files = {"labelkit/__init__.py": "", "labelkit/summary.py": _SUMMARY}
    assert findings(tmp_path / "repo", "TF902", files) == []


def test_tf902_error_prints_in_a_package_are_still_reported(tmp_path: Path) -> None:
    files = {
        "labelkit/__init__.py": "import logging\n\nlogging.getLogger(__name__)\n",
        "labelkit/summary.py": _SUMMARY,
        "labelkit/finder.py": "def find_issues(managers):\n"
        '    """Find issues with every manager."""\n'
        "    for manager in managers:\n"
        "        try:\n            manager.find()\n"
        "        except Exception as error:\n"
        "            print(f'Error in {manager}: {error}')\n"
        "    print('Finished.')\n",
    }
    found = findings(tmp_path / "repo", "TF902", files)
    assert [(f.path, f.line) for f in found] == [("labelkit/finder.py", 7)]


# ------------------------------------------------------------------ TF206


def _lambda_repo(runtime: str) -> dict[str, str]:
    return {
        "flows/intent/requirements.txt": "pandas==2.2.3\n",
        "flows/intent/src/prepare.py": "import pandas as pd\n",
        "flows/intent/serverless/serverless.yml": _SERVERLESS.replace("python3.11", runtime),
        "flows/intent/serverless/handler.py": _HANDLER,
    }


def test_tf206_boto3_in_a_python_lambda_handler_is_provided_by_the_runtime(
    tmp_path: Path,
) -> None:
    assert findings(tmp_path / "repo", "TF206", _lambda_repo("python3.11")) == []


def test_tf206_boto3_outside_a_python_lambda_handler_is_still_reported(tmp_path: Path) -> None:
    files = {
        **_lambda_repo("python3.11"),
        "flows/intent/src/upload.py": "import boto3\n\nS3 = boto3.client('s3')\n",
    }
    found = findings(tmp_path / "repo", "TF206", files)
    assert [(f.path, f.line) for f in found] == [("flows/intent/src/upload.py", 1)]
    # A handler on another runtime gets nothing from the Python runtime.
    found = findings(tmp_path / "other", "TF206", _lambda_repo("nodejs18.x"))
    assert [(f.path, f.line) for f in found] == [("flows/intent/serverless/handler.py", 2)]


# ------------------------------------------------------------------ TF1102

_TRAIN_LOOP = (
    "import torch\n\nfrom diffusion import logger\n\n\n"
    "def run_loop(model, batches, optimizer):\n"
    "    for step, batch in enumerate(batches):\n"
    "        loss = model(batch)\n"
    "        loss.backward()\n"
    "        optimizer.step()\n"
)


def test_tf1102_a_tabular_run_logger_records_each_runs_metrics(tmp_path: Path) -> None:
    files = {
        "diffusion/__init__.py": "",
        "diffusion/logger.py": "def logkv(key, value):\n    pass\n\n\ndef dumpkvs():\n    pass\n",
        "diffusion/train_util.py": _TRAIN_LOOP
        + "        logger.logkv('loss', loss.item())\n        logger.dumpkvs()\n",
    }
    assert findings(tmp_path / "repo", "TF1102", files) == []


def test_tf1102_training_that_records_nothing_is_still_reported(tmp_path: Path) -> None:
    files = {
        "diffusion/__init__.py": "",
        "diffusion/logger.py": "def log(message):\n    print(message)\n",
        "diffusion/train_util.py": _TRAIN_LOOP + "        logger.log(f'step {step}')\n",
    }
    found = findings(tmp_path / "repo", "TF1102", files)
    assert [(f.path, f.line) for f in found] == [("diffusion/train_util.py", 9)]
