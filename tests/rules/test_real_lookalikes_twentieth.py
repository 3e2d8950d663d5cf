"""Look-alikes from the twentieth session's held-out set (fresh-2026-12-07-i: MLOps
pipelines and services, a framework monorepo, a cookiecutter lab, a course starter pack,
competition solutions), each failing on the checker the set was judged on (`ad14c52`)."""

from __future__ import annotations

from pathlib import Path

from twelvefold.config import Config

from tests.helpers import check, findings, make_repo


def _inferred(root: Path, codes: list[str], files: dict[str, str]) -> list[str]:
    """The codes reported with the repository's kind inferred, as a user's run has it."""
    make_repo(root, files)
    return sorted(f.code for f in check(root, select=codes, config=Config(preview=True)).findings)


_SETUP_PY = (
    "from setuptools import find_packages, setup\n\n"
    'setup(name="accidents", version="0.1.0", packages=find_packages())\n'
)

# --------------------------------------------------------------------------- TF902

_TRAIN_SCRIPT = """import joblib
import pandas as pd
from sklearn.ensemble import RandomForestClassifier

X_train = pd.read_csv("data/preprocessed/X_train.csv")
y_train = pd.read_csv("data/preprocessed/y_train.csv").values.ravel()
print(joblib.__version__)
model = RandomForestClassifier(n_jobs=-1, random_state=42)
model.fit(X_train, y_train)
joblib.dump(model, "src/models/trained_model.joblib")
print("Model trained and saved successfully.")
"""


def test_tf902_a_pipeline_named_script_of_statements(tmp_path: Path) -> None:
    # The course starter pack's `src/models/train_model.py`: 25 lines of top-level
    # statements the README runs as `python src/models/train_model.py` (judged NOISE:
    # its prints are the script's output). Its name made it a pipeline step, which
    # overrode the script exemption. A pipeline module of functions printing progress in
    # a loop is still reported.
    files = {
        "setup.py": _SETUP_PY,
        "requirements.txt": "pandas==2.2.2\nscikit-learn==1.5.1\njoblib==1.4.2\n",
        "src/__init__.py": "",
        "src/models/__init__.py": "",
        "src/models/train_model.py": _TRAIN_SCRIPT,
    }
    assert findings(tmp_path / "script", "TF902", files) == []
    files["src/models/train_model.py"] = (
        "import pandas as pd\n\n\n"
        "def train(model, frames: list[pd.DataFrame]) -> None:\n"
        "    for number, frame in enumerate(frames):\n"
        "        model.partial_fit(frame)\n"
        '        print(f"batch {number} done")\n'
    )
    [finding] = findings(tmp_path / "module", "TF902", files)
    assert finding.path == "src/models/train_model.py"


_GRPO_SCRIPT = """import logging

import yaml
from datasets import load_dataset
from trl import GRPOConfig, GRPOTrainer

with open("train_triviaqa.yaml") as f:
    config = yaml.safe_load(f)
logger = logging.getLogger(__name__)


def reward_func(prompts, completions, answers, **kwargs) -> list[float]:
    scores = []
    for completion, answer in zip(completions, answers):
        print(f"completion: {completion[:40]}")
        scores.append(float(answer in completion))
    return scores


dataset = load_dataset(config["dataset"]["name"], split="train")
trainer = GRPOTrainer(
    model=config["model"]["name"],
    reward_funcs=[reward_func],
    args=GRPOConfig(output_dir=config["output_dir"]),
    train_dataset=dataset,
)
trainer.train()
trainer.model.save_pretrained(config["output_dir"] + "_final")
"""


def test_tf902_a_fine_tuning_script_in_a_package_folder(tmp_path: Path) -> None:
    # llm-finetuning's GRPO scripts under `src/llm_finetuning/`: reward functions, then
    # `trainer.train()` and `save_pretrained` at the top level, run by hand (judged NOISE
    # ten times: a script's console, not a package's log), though it has a logger too. A
    # module of the same reward functions that others import, training nothing itself,
    # is reported.
    files = {
        "pyproject.toml": (
            '[project]\nname = "llm-finetuning"\nversion = "0.1.0"\n'
            'dependencies = ["trl==0.19.1", "datasets==3.6.0", "pyyaml==6.0.2"]\n'
        ),
        "src/llm_finetuning/__init__.py": "",
        "src/llm_finetuning/grpo/__init__.py": "",
        "src/llm_finetuning/grpo/grpo_triviaqa.py": _GRPO_SCRIPT,
    }
    assert findings(tmp_path / "script", "TF902", files) == []
    files["src/llm_finetuning/grpo/grpo_triviaqa.py"] = (
        _GRPO_SCRIPT.split("\n\ndataset", maxsplit=1)[0] + "\n"
    )
    [finding] = findings(tmp_path / "module", "TF902", files)
    assert "reward_func" in finding.message


# -------------------------------------------------------------------------- TF1203

_RESEARCH_ROUTE = """from fastapi import FastAPI

from churn.research import CausalModel, load_sample_dataset

app = FastAPI()
causal_model = CausalModel()


@app.post("/research/causal/predict")
def predict_with_causal_model(customer: dict) -> dict:
    if not causal_model.is_fitted:
        X_sample, y_sample = load_sample_dataset(500)
        causal_model.fit(X_sample, y_sample)
    return {"prediction": int(causal_model.predict([customer])[0])}
"""


def test_tf1203_a_model_trained_once_on_its_first_request(tmp_path: Path) -> None:
    # The churn service's research routes train their model on a stored sample the
    # first time they are called (`if not causal_model.is_fitted:`): nothing is fitted
    # on a request's data (judged FALSE four times). A route refitting its scaler on
    # every call is reported (a model fitted there is the request's own answer: the
    # twenty-third session's clustering endpoint).
    files = {
        "requirements.txt": "fastapi==0.115.0\nscikit-learn==1.5.1\n",
        "src/churn/__init__.py": "",
        "src/churn/api.py": _RESEARCH_ROUTE,
    }
    assert findings(tmp_path / "once", "TF1203", files) == []
    files["src/churn/api.py"] = _RESEARCH_ROUTE.replace(
        "    if not causal_model.is_fitted:\n        X_sample", "    if True:\n        X_sample"
    ).replace("causal_model.fit(X_sample, y_sample)", "causal_scaler.fit(X_sample)")
    [finding] = findings(tmp_path / "each", "TF1203", files)
    assert "causal_scaler.fit" in finding.message


# --------------------------------------------------------------------------- TF901

_LOGGING_YAML = """# Filename   : /config/{env}/logging.yml
version: 1
handlers:
  console:
    class: logging.StreamHandler
  file:
    class: logging.handlers.TimedRotatingFileHandler
    filename: logs/{env}/lab.log
root:
  handlers: [console, file]
"""


def test_tf901_a_logging_config_nothing_loads(tmp_path: Path) -> None:
    # The cookiecutter lab's `config/dev/logging.yml` and `config/prod/logging.yml`:
    # each names itself in its header, and no code, script or image names them (the
    # container loads `config.yml`): their file handlers never write a log (judged
    # NOISE twice). Loaded by the code, the same file is reported.
    files = {
        "pyproject.toml": '[project]\nname = "lab"\nversion = "0.1.0"\ndependencies = []\n',
        "lab/__init__.py": "",
        "lab/container.py": 'CONFIG_FILE = "config.yml"\n',
        "config/dev/logging.yml": _LOGGING_YAML.format(env="dev"),
        "config/prod/logging.yml": _LOGGING_YAML.format(env="prod"),
    }
    assert findings(tmp_path / "unused", "TF901", files) == []
    files["lab/container.py"] = (
        "import logging.config\nimport os\n\nimport yaml\n\n"
        'MODE = os.environ.get("MODE", "dev")\n'
        'with open(f"config/{MODE}/logging.yml") as stream:\n'
        "    logging.config.dictConfig(yaml.safe_load(stream))\n"
    )
    reported = findings(tmp_path / "loaded", "TF901", files)
    assert sorted(f.path for f in reported) == ["config/dev/logging.yml", "config/prod/logging.yml"]


# -------------------------------------------------------------------------- TF1002

_SMOKE_SCRIPT = """from mlplatform.spark import build_root_zip


def test_build_package():
    out = build_root_zip("dist")
    assert out.exists()


def test_local_spark_runner():
    assert build_root_zip("dist", dry_run=True) is None


def main():
    print("Testing Spark local execution...")
    test_build_package()
    test_local_spark_runner()


if __name__ == "__main__":
    main()
"""

_RUNNER_LOOP = """def test_basic_functionality():
    assert 1 + 1 == 2
    return True


def test_data_pipeline():
    assert [1, 2][0] == 1
    return True


def run_integration_tests():
    tests = [("Basic", test_basic_functionality), ("Data", test_data_pipeline)]
    for name, test in tests:
        print(name, "PASSED" if test() else "FAILED")


if __name__ == "__main__":
    run_integration_tests()
"""


def test_tf1002_a_main_that_runs_the_tests_through_a_runner(tmp_path: Path) -> None:
    # The framework's `scripts/test_spark_local.py` (`main()` calls each test) and the
    # churn service's `integration_test.py` (a runner loops over a list of the tests):
    # checks run as scripts, by design outside pytest (judged FALSE four times). A main
    # block that runs something else leaves the tests uncollected, and reported.
    files = {
        "pytest.ini": "[pytest]\ntestpaths = tests\n",
        "tests/test_core.py": "def test_core():\n    assert True\n",
        "scripts/test_spark_local.py": _SMOKE_SCRIPT,
        "integration_test.py": _RUNNER_LOOP,
    }
    assert findings(tmp_path / "runners", "TF1002", files) == []
    files["integration_test.py"] = _RUNNER_LOOP.replace(
        '        print(name, "PASSED" if test() else "FAILED")', "        print(name)"
    ).replace('("Basic", test_basic_functionality), ("Data", test_data_pipeline)', '("a", 1)')
    [finding] = findings(tmp_path / "printer", "TF1002", files)
    assert finding.path == "integration_test.py"


# -------------------------------------------------------------------------- TF1004

_CACHE = """import random

import numpy as np


class PredictionCache:
    def __init__(self) -> None:
        self.cache: dict[str, np.ndarray] = {}

    def _evict_random(self, size_needed: int) -> bool:
        keys = list(self.cache)
        random.shuffle(keys)
        for key in keys[:size_needed]:
            del self.cache[key]
        return True
"""


def test_tf1004_a_caches_random_eviction(tmp_path: Path) -> None:
    # The churn service's cache evicts random entries (`_evict_random`): randomness is
    # the policy, no result depends on it, and seeding it would be wrong (judged FALSE).
    # A shuffle of training rows is reported.
    files = {
        "requirements.txt": "numpy==2.1.1\nfastapi==0.115.0\n",
        "src/service/__init__.py": "",
        "src/service/cache.py": _CACHE,
    }
    assert findings(tmp_path / "evict", "TF1004", files) == []
    files["src/service/cache.py"] = _CACHE.replace("_evict_random", "_shuffle_rows")
    [finding] = findings(tmp_path / "rows", "TF1004", files)
    assert finding.path == "src/service/cache.py"


# --------------------------------------------------------------------------- TF505

_LESSON_IMAGE = """FROM python:3.10-slim
WORKDIR /opt
COPY ["./requirements.txt", "./setup.py", "./"]
RUN pip install --upgrade pip \\
    && pip install -e .
COPY ["./", "./"]
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]
"""

_SETUP_READING_REQUIREMENTS = """from pathlib import Path

from setuptools import find_namespace_packages, setup

with open(Path(Path(__file__).parent, "requirements.txt")) as file:
    required_packages = [line.strip() for line in file.readlines()]

setup(name="custom_app", version="0.1", packages=find_namespace_packages(),
      install_requires=[required_packages])
"""


def test_tf505_a_setup_py_reading_a_pinned_requirements_file(tmp_path: Path) -> None:
    # The tutorials' image copies `requirements.txt` and `setup.py` (JSON-array COPY)
    # and runs `pip install -e .`; setup.py's install_requires is that file, every line
    # `==` (judged FALSE: the rule accepts `pip install -r` of it). The repository's
    # pyproject, never copied in, does not count. Unpinned requirements are reported.
    files = {
        "Dockerfile": _LESSON_IMAGE,
        "setup.py": _SETUP_READING_REQUIREMENTS,
        "requirements.txt": "fastapi==0.95.2\nuvicorn==0.22.0\npandas==2.0.0\n",
        "pyproject.toml": '[project]\nname = "notes"\nversion = "0.1.0"\ndependencies = ["rich>=14.1.0"]\n',
        "app/__init__.py": "",
        "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    }
    assert findings(tmp_path / "pinned", "TF505", files) == []
    # No pyproject at all, the whole context copied: the setup.py is the project.
    whole = {k: v for k, v in files.items() if k != "pyproject.toml"}
    whole["Dockerfile"] = "FROM python:3.10-slim\nWORKDIR /opt\nCOPY . .\nRUN pip install .\n"
    assert findings(tmp_path / "setup-only", "TF505", whole) == []
    files["requirements.txt"] = "fastapi\nuvicorn==0.22.0\npandas==2.0.0\n"
    [finding] = findings(tmp_path / "open", "TF505", files)
    assert finding.path == "Dockerfile"
    whole["requirements.txt"] = files["requirements.txt"]
    [finding] = findings(tmp_path / "setup-only-open", "TF505", whole)
    assert finding.path == "Dockerfile"


# --------------------------------------------------------------------------- TF205

_UPDATER = """import subprocess


class DependencyUpdater:
    def restore_backup(self, backup: str) -> None:
        subprocess.run(["cp", backup, "requirements.txt"], check=True)
        subprocess.run(["pip", "install", "-r", "requirements.txt"], check=True)
"""


def test_tf205_a_maintenance_script_reinstalling_the_requirements(tmp_path: Path) -> None:
    # The churn service's `scripts/update_dependencies.py` restores a backup of the
    # requirements and reinstalls them: the declared environment, the tool's whole job
    # (judged NOISE). A script installing a package the manifest lacks is reported.
    files = {
        "requirements.txt": "fastapi==0.115.0\n",
        "scripts/update_dependencies.py": _UPDATER,
    }
    assert findings(tmp_path / "reinstall", "TF205", files) == []
    files["scripts/update_dependencies.py"] = _UPDATER.replace(
        '"-r", "requirements.txt"', '"psutil"'
    )
    [finding] = findings(tmp_path / "package", "TF205", files)
    assert finding.path == "scripts/update_dependencies.py"


# ------------------------------------------------------------------ TF302, TF602

_COURSE_README = "# MLOps Tutorials\n\nNotes and lessons on MLOps tools, one folder per lesson.\n"

_JOBS_APP = """from uuid import uuid4

from fastapi import BackgroundTasks, FastAPI

app = FastAPI()
jobs: dict[str, str] = {}  # an in-memory store: fine for this lesson


@app.post("/tasks", status_code=202)
def start_task(background: BackgroundTasks) -> dict:
    job_id = str(uuid4())
    jobs[job_id] = "running"
    return {"id": job_id}
"""


def test_tf302_tf602_a_courses_lessons(tmp_path: Path) -> None:
    # MLOps_Tutorials: the compose lesson's `envs_dir/service_2.env` (hostnames and the
    # images' demo password) and the FastAPI lesson's in-memory `jobs` store (judged
    # NOISE: the material being taught). The same files in an application are reported.
    files = {
        "README.md": _COURSE_README,
        "other_notes/FastAPI/app.py": _JOBS_APP,
        "envs_dir/service_2.env": "MONGO_HOST=mongodb\nMONGO_PORT=27017\nMONGO_DB=tutorial\n",
    }
    assert _inferred(tmp_path / "course", ["TF302", "TF602"], files) == []
    files["README.md"] = "# Churn service\n\nPredicts churn behind a FastAPI endpoint.\n"
    files["Dockerfile"] = "FROM python:3.12-slim\nCOPY . /app\n"
    files["requirements.txt"] = "fastapi==0.115.0\n"
    assert _inferred(tmp_path / "application", ["TF302", "TF602"], files) == ["TF302", "TF602"]


# -------------------------------------------------- kind: a Kaggle workspace (TF902)

_TASK = """import logging

logger = logging.getLogger(__name__)


def run(frame):
    for name, group in frame.groupby("label"):
        print(f"{name}: {len(group)} rows")
    logger.info("balanced")
"""


def test_a_readme_titled_for_kaggle_is_competition_work(tmp_path: Path) -> None:
    # common-lit-kaggle and kaggle_monorepo (earlier sets): a package of tasks run by
    # hand for a Kaggle competition, read as an application (a package folder; a compose
    # file serving a GPU notebook), so TF902 asked its prints to be logs (22 NOISE).
    # Titled for Kaggle and holding submission files, it is competition work; a service
    # of a Kaggle-trained model, serving an API, is still an application.
    files = {
        "README.md": "# common-lit-kaggle\n\nMy tasks for the CommonLit competition.\n",
        "compose.yaml": "services:\n  lab:\n    image: jupyter/pytorch-notebook:2024-05-27\n",
        "common_lit_kaggle/__init__.py": "",
        "common_lit_kaggle/tasks/__init__.py": "",
        "common_lit_kaggle/tasks/balance.py": _TASK,
        "common_lit_kaggle/tasks/make_submission.py": "def run(frame):\n    frame.to_csv('submission.csv')\n",
    }
    assert _inferred(tmp_path / "workspace", ["TF902"], files) == []
    # Set L's House-Price-Model (Kaggle): a pipeline on a Kaggle dataset, no submission
    # to a competition (its missing tests and CI were listed as missed): an application.
    dataset = {k: v for k, v in files.items() if "submission" not in k}
    assert _inferred(tmp_path / "dataset", ["TF902"], dataset) == ["TF902"]
    files["common_lit_kaggle/api.py"] = (
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
        '@app.get("/health")\ndef health() -> dict:\n    return {"ok": True}\n'
    )
    assert _inferred(tmp_path / "service", ["TF902"], files) == ["TF902"]


# ------------------------------------------------ set J (fresh-2026-12-07-j, `03b3b40`)

_BUILDSPEC = """version: 0.2

env:
  variables:
    APP_NAME: "demo"
  secrets-manager:
    GITHUB_USER: gcr-rs-dev-workshop-secret:githubUser
    ACCESS_TOKEN: gcr-rs-dev-workshop-secret:accessToken

phases:
  build:
    commands:
      - ./build.sh $APP_NAME
"""


def test_tf301_names_of_secrets_codebuild_resolves(tmp_path: Path) -> None:
    # The recommender workshop's buildspecs: under `env: secrets-manager:`, a value is
    # the name of a secret and its JSON key in AWS Secrets Manager, which CodeBuild reads
    # when the build runs (judged FALSE ten times). A token written under `variables:` is
    # reported.
    files = {"src/demo/buildspec.yaml": _BUILDSPEC}
    assert findings(tmp_path / "reference", "TF301", files) == []
    files["src/demo/buildspec.yaml"] = _BUILDSPEC.replace(
        '    APP_NAME: "demo"\n',
        '    APP_NAME: "demo"\n    ACCESS_TOKEN: "Zq8vR2mXk4Tn7Wp1Ls5Hd9JcQ3"\n',
    )
    [finding] = findings(tmp_path / "literal", "TF301", files)
    assert finding.line == 6


_LAMBDA = """import json

import boto3

s3 = boto3.client("s3")


def lambda_handler(event, context):
    print(f"event: {json.dumps(event)}")
    bucket = event["bucket"]
    for key in event["keys"]:
        print(f"copying {key}")
        s3.copy_object(Bucket=bucket, Key=f"done/{key}", CopySource=f"{bucket}/{key}")
    return {"statusCode": 200}
"""


def test_tf902_an_aws_lambda_functions_prints(tmp_path: Path) -> None:
    # The workshop's `src/offline/lambda/*.py`: Lambda sends what a function prints to
    # CloudWatch as that invocation's log (judged NOISE twelve times, as for Modal and
    # Kubeflow components). The same module as a worker of a service is reported.
    files = {
        "requirements.txt": "boto3==1.35.0\nfastapi==0.115.0\n",
        "src/offline/__init__.py": "",
        "src/offline/lambda_copy.py": _LAMBDA,
        "src/offline/api.py": "import logging\n\nfrom fastapi import FastAPI\n\napp = FastAPI()\n",
    }
    assert findings(tmp_path / "lambda", "TF902", files) == []
    files["src/offline/lambda_copy.py"] = _LAMBDA.replace(
        "lambda_handler(event, context)", "copy_all(event)"
    )
    [finding] = findings(tmp_path / "worker", "TF902", files)
    assert finding.path == "src/offline/lambda_copy.py"


def test_tf902_a_script_using_fastapis_test_client(tmp_path: Path) -> None:
    # The fraud service's `backend/verify_openapi.py`: eight lines that open the docs
    # pages through `fastapi.testclient` and print the status codes. The test client
    # made it "a web service module" (judged FALSE). A module serving routes is one.
    script = (
        "from fastapi.testclient import TestClient\n"
        "from src.presentation.main import create_application\n\n"
        "client = TestClient(create_application())\n\n\n"
        "def check(paths: list[str]) -> None:\n"
        "    for path in paths:\n"
        "        print(path, client.get(path).status_code)\n"
    )
    files = {"requirements.txt": "fastapi==0.115.0\n", "backend/verify_openapi.py": script}
    assert findings(tmp_path / "client", "TF902", files) == []
    files["backend/verify_openapi.py"] = script.replace(
        "from fastapi.testclient import TestClient\n",
        "from fastapi import FastAPI\nfrom fastapi.testclient import TestClient\n\napp = FastAPI()\n",
    )
    [finding] = findings(tmp_path / "service", "TF902", files)
    assert "web service module" in finding.message


_SERVICE_IMAGE = """FROM python:3.10-slim
COPY requirements.txt requirements.txt
RUN python -m pip install --no-cache-dir -r requirements.txt
COPY src/main.py src/main.py
CMD ["uvicorn", "src.main:app"]
"""


def test_tf505_a_build_context_between_the_dockerfile_and_the_root(tmp_path: Path) -> None:
    # recommender-explorer builds `microservices/searchservice/docker/Dockerfile` with the
    # service folder as its context: `COPY requirements.txt` is the service's pinned
    # file, not the root's open one (judged FALSE three times). With the service's own
    # file open, it is reported.
    files = {
        "requirements.txt": "panel\nboto3\n",
        "microservices/searchservice/requirements.txt": "fastapi==0.115.0\nuvicorn==0.30.6\n",
        "microservices/searchservice/docker/Dockerfile": _SERVICE_IMAGE,
        "microservices/searchservice/src/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    }
    assert findings(tmp_path / "context", "TF505", files) == []
    files["microservices/searchservice/requirements.txt"] = "fastapi\nuvicorn==0.30.6\n"
    [finding] = findings(tmp_path / "open", "TF505", files)
    assert "`fastapi`" in finding.message


def test_tf505_a_folder_of_wheels_an_earlier_stage_built(tmp_path: Path) -> None:
    # The mobile-money fraud API: the builder stage runs `pip wheel --wheel-dir /wheels`
    # on the pinned lock, the runtime stage `pip install /wheels/*` (judged FALSE: only
    # `*.whl` paths were read as wheels). Installing the project from its folder is
    # still reported.
    image = (
        "FROM python:3.12.10-slim-bookworm AS builder\n"
        "COPY requirements-runtime.lock pyproject.toml ./\nCOPY src ./src\n"
        "RUN python -m pip wheel --wheel-dir /wheels --requirement requirements-runtime.lock \\\n"
        "    && python -m pip wheel --wheel-dir /wheels --no-deps .\n"
        "FROM python:3.12.10-slim-bookworm AS runtime\n"
        "COPY --from=builder /wheels /wheels\n"
        "RUN python -m pip install --no-cache-dir /wheels/* && rm -rf /wheels\n"
    )
    files = {
        "pyproject.toml": '[project]\nname = "api"\nversion = "0.1.0"\ndependencies = ["flask>=3"]\n',
        "requirements-runtime.lock": "flask==3.0.3\n",
        "src/api/__init__.py": "",
        "Dockerfile": image,
    }
    assert findings(tmp_path / "wheels", "TF505", files) == []
    files["Dockerfile"] = image.replace("/wheels/* && rm -rf /wheels", ".")
    [finding] = findings(tmp_path / "project", "TF505", files)
    assert finding.path == "Dockerfile"


def test_tf206_pyspark_in_sagemakers_spark_processing_image(tmp_path: Path) -> None:
    # The workshop's Spark jobs build `FROM ${REGISTRY_URI}/sagemaker-spark-processing`,
    # SageMaker's Spark processing image (aws/sagemaker-spark-container), which runs
    # PySpark: the image declares it, whatever registry holds it (judged FALSE). On a
    # plain Python image pyspark is undeclared.
    files = {
        "requirements.txt": "boto3==1.35.0\n",
        "jobs/preprocessing/Dockerfile": (
            "ARG REGISTRY_URI\nFROM ${REGISTRY_URI}/sagemaker-spark-processing:3.0-cpu-py37-v1.3\n"
            "COPY process.py /opt/ml/code/process.py\n"
        ),
        "jobs/preprocessing/process.py": "from pyspark.sql import SparkSession\n",
    }
    assert findings(tmp_path / "spark", "TF206", files) == []
    files["jobs/preprocessing/Dockerfile"] = "FROM python:3.11-slim\nCOPY process.py /app/\n"
    [finding] = findings(tmp_path / "python", "TF206", files)
    assert "`pyspark`" in finding.message


_INFERENCE_ROUTES = """from fastapi import APIRouter, BackgroundTasks

from app.services import InferenceService, log_batch_predictions

router = APIRouter()


@router.get("/models")
async def list_inference_models():
    models = await InferenceService.get_instance().list_available_models()
    return {"data": models, "total": len(models)}


@router.post("/predict/batch")
async def predict_batch(rows: list[dict], background_tasks: BackgroundTasks):
    result = InferenceService.get_instance().predict_batch(rows)
    background_tasks.add_task(log_batch_predictions, predictions=result, rows=rows)
    return {"data": result}
"""


def test_tf1202_a_model_listing_and_a_batch_logged_after_the_response(tmp_path: Path) -> None:
    # The fraud platform: `GET /models` lists the loaded models (`len(models)` was read
    # as a model handed to a helper), and `/predict/batch` logs its predictions in a
    # background task (judged FALSE). A batch route that logs nothing is reported.
    files = {"requirements.txt": "fastapi==0.115.0\n", "app/api/inference.py": _INFERENCE_ROUTES}
    assert findings(tmp_path / "logged", "TF1202", files) == []
    files["app/api/inference.py"] = _INFERENCE_ROUTES.replace(
        "    background_tasks.add_task(log_batch_predictions, predictions=result, rows=rows)\n", ""
    )
    [finding] = findings(tmp_path / "silent", "TF1202", files)
    assert "/predict/batch" in finding.message


# ------------------------------------------------------ recall: a conda freeze (TF202)


def test_tf202_a_pip_freeze_of_a_conda_environment(tmp_path: Path) -> None:
    # MLOps-Lab and the book platform (listed as missed by two judges): `pip freeze` in
    # a conda environment writes `name @ file:///home/conda/feedstock_root/...`, files
    # of the build that made the package; nobody else can install the list, whatever
    # kind the repository is. A plain pinned freeze is fine.
    frozen = (
        "absl-py==1.3.0\n"
        "asttokens @ file:///home/conda/feedstock_root/build_artifacts/asttokens_1667325728359/work\n"
        "attrs @ file:///home/conda/feedstock_root/build_artifacts/attrs_1659291887007/work\n"
        "numpy==1.24.4\n"
    )
    files = {"requirements.txt": frozen.replace(" @ file:", "==0.1 # file:")}
    assert findings(tmp_path / "plain", "TF202", files) == []
    files["requirements.txt"] = frozen
    [finding] = findings(tmp_path / "conda", "TF202", files)
    assert finding.line == 2 and "and 1 more" in finding.message


# ------------------------------------------------ set K (fresh-2026-12-07-k, `7534236`)

_CONSUMER = """import threading

import pika


class RabbitMQConsumer:
    def __init__(self) -> None:
        self.channel = pika.BlockingConnection().channel()
        self.consumer_thread = None

    def start(self) -> None:
        self.consumer_thread = threading.Thread(target=self._consume)
        self.consumer_thread.daemon = True
        self.consumer_thread.start()

    def _consume(self) -> None:
        while True:
            method, properties, body = self.channel.basic_get("questions")
            self.handle(body)
"""


def test_tf703_a_consumer_thread_made_a_daemon_after_it_is_built(tmp_path: Path) -> None:
    # The RAG chat service's consumer: `self.consumer_thread.daemon = True` after the
    # `Thread(...)`, inside the uvicorn process (judged FALSE: only `daemon=True` in the
    # call was read). Without the line the thread is not a daemon and is reported.
    files = {"requirements.txt": "pika==1.3.2\n", "services/chat/rabbitmq.py": _CONSUMER}
    assert findings(tmp_path / "daemon", "TF703", files) == []
    files["services/chat/rabbitmq.py"] = _CONSUMER.replace(
        "        self.consumer_thread.daemon = True\n", ""
    )
    [finding] = findings(tmp_path / "thread", "TF703", files)
    assert finding.path == "services/chat/rabbitmq.py"


_UPLOAD_CONSUMER = """import json


async def consume_uploads(redis) -> None:
    while True:
        _, raw = await redis.blpop("uploads")
        await ingest(json.loads(raw))
"""


def test_tf703_a_coroutine_a_servers_lifespan_runs(tmp_path: Path) -> None:
    # The process-aware RAG server's upload consumer: an `async def` loop that the
    # FastAPI lifespan starts with `asyncio.create_task` and cancels on shutdown, under
    # uvicorn (judged FALSE). The same loop in a module running its own event loop is a
    # worker of its own and is reported.
    files = {"requirements.txt": "redis==5.0.8\n", "server/app/pipeline.py": _UPLOAD_CONSUMER}
    assert findings(tmp_path / "task", "TF703", files) == []
    files["server/app/pipeline.py"] = (
        "import asyncio\n" + _UPLOAD_CONSUMER + "\n\nasyncio.run(consume_uploads(None))\n"
    )
    [finding] = findings(tmp_path / "worker", "TF703", files)
    assert finding.path == "server/app/pipeline.py"


_SERVICE_APP = """import threading

from fastapi import FastAPI

from extractor import ExtractionService

app = FastAPI()
service = ExtractionService()


@app.on_event("startup")
def start_consumer() -> None:
    threading.Thread(target=service.start, daemon=True).start()
"""


def test_tf703_a_consumer_a_web_service_runs_as_a_daemon_thread(tmp_path: Path) -> None:
    # The extraction service: `app.py` (FastAPI) starts `service.start` as a daemon
    # thread; the consuming loop lives in `extractor.py` (judged FALSE twice). A worker
    # module beside no such service is reported.
    extractor = (
        "import pika\n\n\nclass ExtractionService:\n"
        "    def start(self) -> None:\n"
        "        pika.BlockingConnection().channel().start_consuming()\n"
    )
    files = {
        "requirements.txt": "pika==1.3.2\nfastapi==0.115.0\n",
        "services/extraction/app/app.py": _SERVICE_APP,
        "services/extraction/app/extractor.py": extractor,
    }
    assert findings(tmp_path / "hosted", "TF703", files) == []
    del files["services/extraction/app/app.py"]
    [finding] = findings(tmp_path / "alone", "TF703", files)
    assert finding.path == "services/extraction/app/extractor.py"


_SETTINGS = """from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    REDIS_URL: str | None = None
    ENVIRONMENT: str = "docker"

    def model_post_init(self, __context) -> None:
        if self.ENVIRONMENT == "docker":
            self.REDIS_URL = self.REDIS_URL or "redis://redis:6379"
"""


def test_tf401_a_settings_default_when_the_environment_sets_none(tmp_path: Path) -> None:
    # The process-aware RAG server's settings: `self.REDIS_URL or "redis://..."` keeps
    # the environment's value and falls back to the compose service's address (judged
    # FALSE twice, the pattern the rule's documentation calls fine). The address
    # assigned outright is reported.
    files = {"requirements.txt": "pydantic-settings==2.5.2\n", "server/app/config.py": _SETTINGS}
    assert findings(tmp_path / "fallback", "TF401", files) == []
    files["server/app/config.py"] = _SETTINGS.replace("self.REDIS_URL or ", "")
    [finding] = findings(tmp_path / "outright", "TF401", files)
    assert "redis" in finding.message


def test_tf802_jobs_a_gitlab_file_includes_from_another_project(tmp_path: Path) -> None:
    # The RAG chatbot's `.gitlab-ci.yml` includes its company's CI templates (`include:
    # - project: .../ci-templates`) and sets variables of their `poetry:test` job: the
    # tests run in a job defined elsewhere (judged FALSE). With only local includes
    # nothing runs them.
    ci = (
        "include:\n"
        "  - project: dataalliance/infra/common/ci-templates\n"
        "    ref: v40.0.3\n"
        "    file: /infra/pipelines/apps/main/include-all.yml\n"
        "poetry:test:\n  variables:\n    COV_NAME: rag_chatbot\n"
        "build:\n  script:\n    - python -m pip install build==1.2.2\n    - python -m build\n"
    )
    files = {
        ".gitlab-ci.yml": ci,
        "pyproject.toml": '[project]\nname = "rag"\nversion = "0.1.0"\n',
        "rag/__init__.py": "",
        "tests/test_app.py": "def test_app():\n    assert True\n",
    }
    assert findings(tmp_path / "included", "TF802", files) == []
    files[".gitlab-ci.yml"] = ci.replace(
        "  - project: dataalliance/infra/common/ci-templates\n    ref: v40.0.3\n"
        "    file: /infra/pipelines/apps/main/include-all.yml\n",
        "  - local: /ci/helm.yml\n",
    )
    [finding] = findings(tmp_path / "local", "TF802", files)
    assert finding.path == ".gitlab-ci.yml"


def test_tf902_a_usage_example_in_a_service_module(tmp_path: Path) -> None:
    # The RAG chatbot's SharePoint handler ends with `example_usage()`, a function that
    # shows how to call the handler and prints what it gets (judged FALSE: an example's
    # output, not the service's log). A handler printing its progress is reported.
    module = (
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
        "def example_usage() -> None:\n"
        '    files = list_files("Shared Documents")\n'
        '    print(f"found {len(files)} files")\n'
        "    for name in files:\n"
        "        print(name)\n"
    )
    files = {"requirements.txt": "fastapi==0.115.0\n", "api/sharepoint_handler.py": module}
    assert findings(tmp_path / "example", "TF902", files) == []
    files["api/sharepoint_handler.py"] = module.replace("example_usage", "sync_files")
    [finding] = findings(tmp_path / "handler", "TF902", files)
    assert "sync_files" in finding.message
    # An "example" in ML code is a data sample: dspy's `process_example()` prints as it
    # works (judged TRUE).
    files["api/sharepoint_handler.py"] = module.replace("example_usage", "process_example")
    [finding] = findings(tmp_path / "sample", "TF902", files)
    assert "process_example" in finding.message


# ------------------------------------------------ set L (fresh-2026-12-07-l, `836e2c7`)


def test_tf206_a_requirement_with_an_index_option_on_its_line(tmp_path: Path) -> None:
    # The sentiment API's requirements: `torch==2.6.0 --index-url https://...cpu` (pip
    # reads the option and the pin): torch is declared (judged FALSE). Without the line,
    # the import is undeclared.
    files = {
        "requirements.txt": (
            "fastapi==0.115.0\ntorch==2.6.0 --index-url https://download.pytorch.org/whl/cpu\n"
        ),
        "app/models/bertweet_model.py": "import torch\n",
    }
    assert findings(tmp_path / "option", "TF206", files) == []
    files["requirements.txt"] = "fastapi==0.115.0\n"
    [finding] = findings(tmp_path / "missing", "TF206", files)
    assert "`torch`" in finding.message


def test_tf803_one_install_repeated_by_three_jobs(tmp_path: Path) -> None:
    # The house-price project's CI installs the open requirements.txt in its lint, test
    # and build jobs: three findings on the first copy's line (two judged FALSE). One
    # root cause, one finding saying how many steps repeat it.
    job = (
        "  {name}:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: uv pip install --system -r requirements.txt\n"
        "      - run: {run}\n"
    )
    workflow = "on: [push]\njobs:\n" + "".join(
        job.format(name=name, run=run)
        for name, run in (("lint", "ruff check ."), ("test", "pytest"), ("build", "docker build ."))
    )
    files = {
        ".github/workflows/ci.yml": workflow,
        "requirements.txt": "fastapi>=0.118.0\n",
        "pyproject.toml": '[project]\nname = "house"\nversion = "0.1.0"\n',
        "uv.lock": "version = 1\n",
    }
    [finding] = findings(tmp_path / "repeated", "TF803", files)
    assert finding.message.endswith("(3 steps)")
    assert finding.line == 7


_PASTED_DOCKERFILES = """FROM apache/airflow:2.10.2
COPY requirements.txt /requirements.txt
RUN pip install -r /requirements.txt
COPY .env /opt/airflow/.env

FROM apache/airflow:2.10.2
COPY requirements.txt /requirements.txt
RUN pip install -r /requirements.txt
"""


def test_tf504_a_stage_no_build_produces(tmp_path: Path) -> None:
    # The sentiment pipeline's RAG Dockerfile is two Dockerfiles pasted together: the
    # first copy's stage has no name, is not the last, and nothing copies from it, so no
    # build produces it (judged FALSE at error: its `COPY .env`). The same line in the
    # image that ships is reported.
    files = {
        "requirements.txt": "apache-airflow-providers-google==10.22.0\n",
        "model_pipeline/rag/Dockerfile": _PASTED_DOCKERFILES,
        "model_pipeline/rag/.env": "OPENAI_API_KEY=\n",
    }
    assert findings(tmp_path / "dead", "TF504", files) == []
    files["model_pipeline/rag/Dockerfile"] = _PASTED_DOCKERFILES + "COPY .env /opt/airflow/.env\n"
    [finding] = findings(tmp_path / "shipped", "TF504", files)
    assert finding.line == 9


def test_milestone_snapshots_and_archived_modules_are_kept_for_the_record(tmp_path: Path) -> None:
    # The team's `milestones/` holds each milestone's submitted copy of the pipeline, and
    # `pipeline_archive.py` an old pipeline whose only import is commented out (16
    # NOISE). The live copy is reported.
    script = 'DATA = "/home/hrs/reviews/data.csv"\n\n\ndef load():\n    return open(DATA)\n'
    files = {
        "milestones/scoping/src/load.py": script,
        "model_utils/pipeline_archive.py": script,
    }
    assert findings(tmp_path / "kept", "TF303", files) == []
    files["model_utils/load.py"] = script
    [finding] = findings(tmp_path / "live", "TF303", files)
    assert finding.path == "model_utils/load.py"


def test_tf1102_tracking_in_a_tuning_script(tmp_path: Path) -> None:
    # The Bogor house-price project trains in its notebook and tunes in
    # `scripts/tune.py`, which logs every Optuna trial to MLflow: the project tracks its
    # runs (judged FALSE: scripts were not read for tracking). Without the script, the
    # training is untracked.
    tune = (
        "import mlflow\n\n\ndef objective(params):\n"
        "    with mlflow.start_run():\n        mlflow.log_params(params)\n"
        "        mlflow.log_metric('rmse', 1.0)\n"
    )
    files = {
        "requirements.txt": "scikit-learn==1.5.1\nmlflow==2.16.0\n",
        "house/__init__.py": "",
        "house/train.py": "def train(model, X, y):\n    model.fit(X, y)\n    return model\n",
        "scripts/tune.py": tune,
    }
    assert findings(tmp_path / "tracked", "TF1102", files) == []
    del files["scripts/tune.py"]
    [finding] = findings(tmp_path / "untracked", "TF1102", files)
    assert finding.path == "house/train.py"


def test_tf802_a_drone_pipeline_after_its_secrets(tmp_path: Path) -> None:
    # The NY house-price estimator's `.drone.yml` declares its secrets in the first
    # documents and runs `pytest lab` in a later pipeline document (judged FALSE: only
    # the first document was read). A stream whose pipelines run no tests is reported.
    drone = (
        "kind: secret\nname: minio-key-id\nget:\n  path: minio\n  name: key\n---\n"
        "kind: pipeline\ntype: docker\nname: preprocess\nsteps:\n"
        "  - name: test\n    image: python:3.11\n    commands:\n"
        "      - pip install -r requirements.txt\n      - pytest lab\n"
    )
    files = {
        ".drone.yml": drone,
        "requirements.txt": "pandas==2.2.2\n",
        "lab/__init__.py": "",
        "lab/test_features.py": "def test_features():\n    assert True\n",
    }
    assert findings(tmp_path / "tested", "TF802", files) == []
    files[".drone.yml"] = drone.replace(
        "      - pytest lab\n", "      - python -m lab.train\n"
    ).replace("  - name: test\n", "  - name: train\n")
    [finding] = findings(tmp_path / "untested", "TF802", files)
    assert finding.path == ".drone.yml"
