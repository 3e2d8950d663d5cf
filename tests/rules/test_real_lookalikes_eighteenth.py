"""Look-alikes from the eighteenth session's held-out set (fresh-2026-12-07-c: MLOps
applications and templates, research code, a library), each failing on the checker the
set was judged on (`3e11f89`)."""

from __future__ import annotations

from pathlib import Path

from twelvefold.config import Config
from twelvefold.discovery import discover
from twelvefold.model import Finding
from twelvefold.project import build_model

from tests.helpers import check, findings, make_repo, notebook


def inferred(root: Path, code: str, files: dict[str, str]) -> list[Finding]:
    """`code`'s findings with the repository's kind inferred, as a user's run has it."""
    make_repo(root, files)
    return check(root, select=[code], config=Config(preview=True)).findings


# --------------------------------------------------------------------------- TF902

_INVOKE_TASKS = '''"""Utility and maintenance tasks."""

from invoke import Context, task


@task
def clean_pyc(ctx: Context) -> None:
    """Remove Python bytecode files."""
    print("Removing Python bytecode files...")
    ctx.run("find . -type f -name '*.py[co]' -delete", warn=True)
    print("done")
'''


def test_tf902_the_tasks_of_a_task_runner(tmp_path: Path) -> None:
    # ct_scan_mlops keeps its developer commands as invoke tasks (`tasks/utils.py`,
    # `invoke utils.clean-pyc`): what a task prints is the command's output to whoever
    # ran it, judged FALSE on nine modules of a repository read as a library. The same prints in a pipeline module are reported.
    files = {
        "pyproject.toml": (
            '[project]\nname = "ct"\nversion = "0.1.0"\n'
            'classifiers = ["Programming Language :: Python :: 3"]\n'
        ),
        "src/ct/__init__.py": "",
        "src/ct/train.py": (
            "import logging\n\nlogger = logging.getLogger(__name__)\n\n\n"
            "def train():\n    logger.info('training')\n"
        ),
        "tasks/__init__.py": '"""Task namespace package."""\n',
        "tasks/utils.py": _INVOKE_TASKS,
    }
    assert inferred(tmp_path / "tasks", "TF902", files) == []
    files["src/ct/data.py"] = _INVOKE_TASKS.replace(
        "from invoke import Context, task", "Context = object\n\n\ndef task(f):\n    return f"
    )
    [finding] = inferred(tmp_path / "package", "TF902", files)
    assert finding.path == "src/ct/data.py"


# --------------------------------------------------------------------------- TF303


def test_tf303_a_pattern_over_absolute_paths(tmp_path: Path) -> None:
    # mlops-python-package's document validator looks for absolute paths with
    # `re.compile(r"(?:/home/|/mnt/|/tmp/|/usr/|/var/|/opt/|C:\\|D:\\|E:\\)")`: a
    # pattern, not a path on anyone's machine (FALSE). A real home folder is reported.
    module = (
        "import re\n\n"
        "ABSOLUTE_PATH_PATTERN = re.compile(\n"
        '    r"(?:/home/|/mnt/|/tmp/|/usr/|/var/|/opt/|C:\\\\|D:\\\\)", re.IGNORECASE\n'
        ")\n"
        'HOME_GLOB = "/home/*/.cache"\n'
        'USER_DIR = re.compile(r"/Users/[^/]+/")\n'
    )
    files = {"scripts/validate.py": module}
    assert findings(tmp_path / "pattern", "TF303", files) == []
    files["scripts/validate.py"] = module + 'DATA = "/home/rock/projects/data.csv"\n'
    [finding] = findings(tmp_path / "path", "TF303", files)
    assert finding.line == 8


# --------------------------------------------------------------------------- TF301


def test_tf301_a_local_sandboxs_connection_string_in_a_hint(tmp_path: Path) -> None:
    # mlops_city_concierge's Makefile and provisioning script tell the user what to
    # export (`export SANDBOX_DATABASE_URL=postgresql://postgres:...@127.0.0.1:5433/...`):
    # five FALSE. A notebook's output showing the author's own session is reported, and
    # so is the password of a database on another host.
    hint = (
        "sandbox-provision:\n"
        '\t@[ -n "$${SANDBOX_DATABASE_URL:-}" ] || { \\\n'
        '\t  echo "  Export it first: export SANDBOX_DATABASE_URL='
        'postgresql://postgres:cityconcierge@127.0.0.1:5433/sandbox"; \\\n'
        "\t  exit 1; \\\n"
        "\t}\n"
        "\tbash scripts/provision_sandbox.sh\n"
    )
    script = (
        "#!/usr/bin/env bash\n"
        "# Usage:\n"
        "#   export SANDBOX_DATABASE_URL=postgresql://postgres:cityconcierge@localhost:5433/sb\n"
        'psql "$SANDBOX_DATABASE_URL" -f init.sql\n'
    )
    files = {"Makefile": hint, "scripts/provision_sandbox.sh": script}
    assert findings(tmp_path / "hint", "TF301", files) == []
    output = notebook(
        (
            "engine = make_engine()\nengine.url",
            [
                {
                    "output_type": "execute_result",
                    "execution_count": 1,
                    "metadata": {},
                    "data": {
                        "text/plain": ["postgresql://postgres:Kq7vR2xW9m@localhost:5432/concierge"]
                    },
                }
            ],
        )
    )
    files["notebooks/model.ipynb"] = output
    files["Makefile"] = hint.replace("127.0.0.1", "db.concierge.internal")
    found = findings(tmp_path / "leaks", "TF301", files)
    assert sorted(f.path for f in found) == ["Makefile", "notebooks/model.ipynb"]


# --------------------------------------------------------------------------- TF802

_CHECK_WORKFLOW = (
    "name: Check\non: [pull_request]\njobs:\n  checks:\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - uses: actions/checkout@v4\n"
    "      - run: poetry install --with checks\n      - run: poetry run invoke checks\n"
)
_CHECK_TASKS = '''"""Check tasks for pyinvoke."""

from invoke.context import Context
from invoke.tasks import task


@task
def code(ctx: Context) -> None:
    """Check the code with ruff."""
    ctx.run("poetry run ruff check src/ tests/")


@task
def coverage(ctx: Context) -> None:
    """Check the coverage."""
    ctx.run("poetry run pytest --cov=src/ --cov-fail-under=80 tests/")


@task(pre=[code, coverage], default=True)
def all(_: Context) -> None:
    """Run all check tasks."""
'''


def test_tf802_ci_running_an_invoke_collection_that_runs_pytest(tmp_path: Path) -> None:
    # mlops-python-package's CI runs `poetry run invoke checks`, whose default task runs
    # `coverage`, which runs pytest (FALSE). A collection that only lints is reported,
    # and so is a `tasks.py` task that does not test.
    files = {
        ".github/workflows/check.yml": _CHECK_WORKFLOW,
        "tasks/__init__.py": "from invoke import Collection\n\nfrom tasks import checks\n",
        "tasks/checks.py": _CHECK_TASKS,
        "tests/test_model.py": "def test_fit():\n    assert True\n",
    }
    assert findings(tmp_path / "collection", "TF802", files) == []
    files["tasks/checks.py"] = _CHECK_TASKS.split("@task\ndef coverage", maxsplit=1)[0]
    assert [f.code for f in findings(tmp_path / "lint", "TF802", files)] == ["TF802"]
    del files["tasks/checks.py"], files["tasks/__init__.py"]
    files[".github/workflows/check.yml"] = _CHECK_WORKFLOW.replace("invoke checks", "inv ci")
    tasks = "from invoke import task\n\n\n@task\ndef ci(c):\n    c.run('pytest -q')\n"
    files["tasks.py"] = tasks + "\n\n@task\ndef lint(c):\n    c.run('ruff check .')\n"
    assert findings(tmp_path / "tasks_py", "TF802", files) == []
    files[".github/workflows/check.yml"] = _CHECK_WORKFLOW.replace("invoke checks", "inv lint")
    assert [f.code for f in findings(tmp_path / "tasks_lint", "TF802", files)] == ["TF802"]
    # Another command named invoke, in a repository with no tasks of invoke's, hides
    # nothing: `aws lambda invoke` runs no tests.
    del files["tasks.py"]
    files[".github/workflows/check.yml"] = _CHECK_WORKFLOW.replace(
        "poetry run invoke checks", "aws lambda invoke --function-name churn out.json"
    )
    assert [f.code for f in findings(tmp_path / "aws", "TF802", files)] == ["TF802"]


def test_tf902_a_package_logging_to_a_file_through_basic_config(tmp_path: Path) -> None:
    # AnimatedDrawings' `render.py` sends the package's logging to `log.txt`
    # (`logging.basicConfig(filename='log.txt')`, TF901's finding) and its subfolders
    # (no `__init__.py` of their own) print what a user must see beside the log call
    # (NOISE twice): the console echo of what the log file gets. label-studio-ml-
    # backend's print beside `logger.error(...)`, whose logging reaches the console, was
    # TRUE: still reported.
    render = (
        "import logging\n\n\n"
        "def start(cfg):\n"
        "    logging.basicConfig(filename='log.txt', level=logging.DEBUG)\n"
        "    return cfg\n"
    )
    writer = (
        "import logging\n\n\n"
        "def create_video_writer(path):\n"
        "    msg = f'Writing video to: {path}'\n"
        "    logging.info(msg)\n"
        "    print(msg)\n"
        "    return open(path, 'wb')\n"
    )
    files = {
        "drawings/__init__.py": "",
        "drawings/render.py": render,
        "drawings/controller/video_writer.py": writer,
    }
    assert findings(tmp_path / "file", "TF902", files) == []
    # data42lana's pipeline logs to `pipe.log` the same way; a print of its own there (a
    # debug dump of every model version) was TRUE.
    dump = writer.replace("logging.info(msg)", "logging.info('opening the writer')")
    [finding] = findings(
        tmp_path / "dump", "TF902", {**files, "drawings/controller/video_writer.py": dump}
    )
    assert finding.path == "drawings/controller/video_writer.py"
    files["drawings/render.py"] = render.replace("filename='log.txt', ", "")
    [finding] = findings(tmp_path / "console", "TF902", files)
    assert finding.path == "drawings/controller/video_writer.py"


# --------------------------------------------------------------------------- TF202


def test_tf202_a_setup_py_beside_the_environment_it_is_installed_into(tmp_path: Path) -> None:
    # covid19_spread installs from `environment.yml` (open entries, TRUE) whose pip list
    # ends with `-e .`; its setup.py only registers console scripts and lists `Click`:
    # a second finding for the same root cause (NOISE). A setup.py alone is reported.
    environment = (
        "name: covid19_spread\nchannels:\n  - pytorch\n  - conda-forge\n"
        "dependencies:\n  - python=3.8\n  - pytorch\n  - numpy\n  - pandas\n"
        "  - pip\n  - pip:\n    - -e .\n"
    )
    setup = (
        "from setuptools import find_packages, setup\n\n"
        "setup(\n    name='covid19_spread',\n    packages=find_packages(),\n"
        "    install_requires=['Click'],\n"
        "    entry_points={'console_scripts': ['cv=covid19_spread.cv:cli']},\n)\n"
    )
    files = {
        "environment.yml": environment,
        "setup.py": setup,
        "covid19_spread/__init__.py": "",
        "covid19_spread/cv.py": "import click\n",
    }
    assert [f.path for f in findings(tmp_path / "beside", "TF202", files)] == ["environment.yml"]
    del files["environment.yml"]
    assert [f.path for f in findings(tmp_path / "alone", "TF202", files)] == ["setup.py"]


# --------------------------------------------------------------------------- TF902 (set D)


def test_tf902_a_standalone_django_script_beside_the_service(tmp_path: Path) -> None:
    # ProjectAegis keeps debugging scripts beside `manage.py` that call `django.setup()`
    # to use the project's models (`web/show_data.py`, `web/debug_rag.py`): standalone
    # scripts run by hand, not the web service (seven findings). A view printing is
    # reported.
    script = (
        '"""Show what the database holds."""\n'
        "import os\n\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'aegis.settings')\n\n"
        "import django\n\n"
        "django.setup()\n\n"
        "from ddi.models import Drug\n\n\n"
        "print('=' * 60)\n"
        "print(f'Drugs: {Drug.objects.count()}')\n\n\n"
        "def classes(limit):\n"
        "    for drug in Drug.objects.all()[:limit]:\n"
        "        print(f'{drug.name}: {drug.drug_class}')\n\n\n"
        "classes(20)\n"
    )
    view = (
        "from django.http import JsonResponse\n\n"
        "from ddi.models import Drug\n\n\n"
        "def drugs(request):\n"
        "    print('listing drugs')\n"
        "    return JsonResponse({'drugs': [d.name for d in Drug.objects.all()]})\n"
    )
    files = {
        "web/manage.py": "import django\n",
        "web/ddi/__init__.py": "",
        "web/ddi/models.py": "from django.db import models\n\n\nclass Drug(models.Model):\n    pass\n",
        "web/show_data.py": script,
    }
    assert findings(tmp_path / "script", "TF902", files) == []
    files["web/ddi/views.py"] = view
    [finding] = findings(tmp_path / "view", "TF902", files)
    assert finding.path == "web/ddi/views.py"


# --------------------------------------------------------------------------- TF504


def test_tf504_a_vault_path_and_a_stand_in_named_for_its_variable(tmp_path: Path) -> None:
    # AVR25_Rakuten_MLOps' images name where Vault keeps a secret
    # (`${CONSUL_VAULT_INIT_SECRET:-secret/consul/vault/initialize}`, FALSE at error)
    # and set `API_MINIO_INTERNAL_SECRET_KEY=internal_secret_key`, a stand-in most
    # services overwrite at start (NOISE at error five times, TRUE once): a warning.
    # Passwords baked in as defaults stay errors.
    dockerfile = (
        "FROM ubuntu:noble-20250127\n"
        "ENV SERVICE_NAME=api-minio\n"
        'ENV CONSUL_VAULT_INIT_SECRET=${CONSUL_VAULT_INIT_SECRET:-"secret/consul/vault/initialize"}\n'
        "ENV API_MINIO_INTERNAL_SECRET_KEY=internal_secret_key\n"
        'ENV MINIO_ROOT_PASSWORD=${MINIO_ROOT_PASSWORD:-"minio-password"}\n'
        'CMD ["uvicorn", "app:app"]\n'
    )
    found = findings(tmp_path, "TF504", {"src/api-minio/Dockerfile": dockerfile})
    assert [(f.line, f.severity.value) for f in found] == [(4, "warning"), (5, "error")]
    assert "stand-in" in found[0].message


# --------------------------------------------------------------------------- TF602


def test_tf602_a_dict_of_locks_is_no_state(tmp_path: Path) -> None:
    # AVR25_Rakuten_MLOps' registry proxy keeps one `asyncio.Lock` per image being copied
    # (`inflight: dict[str, asyncio.Lock] = {}`, FALSE): coordination inside one process.
    # The errors it records per image in the same handler are state.
    module = (
        "import asyncio\n"
        "from collections import defaultdict\n\n"
        "from fastapi import FastAPI\n\n"
        "app = FastAPI()\n"
        "inflight: dict[str, asyncio.Lock] = {}\n"
        "copy_locks = defaultdict(asyncio.Lock)\n\n\n"
        "@app.post('/copy/{key}')\n"
        "async def copy(key: str):\n"
        "    inflight.setdefault(key, asyncio.Lock())\n"
        "    async with inflight[key], copy_locks[key]:\n"
        "        return {'copied': key}\n"
    )
    assert findings(tmp_path / "locks", "TF602", {"api/app.py": module}) == []
    errors = module.replace(
        "copy_locks = defaultdict(asyncio.Lock)\n",
        "copy_locks = defaultdict(asyncio.Lock)\nlast_errors: dict[str, str] = {}\n",
    ).replace("    async with", "    last_errors[key] = 'pending'\n    async with")
    [finding] = findings(tmp_path / "errors", "TF602", {"api/app.py": errors})
    assert "last_errors" in finding.message


# --------------------------------------------------------------------------- TF505


def test_tf505_a_development_container(tmp_path: Path) -> None:
    # tinymlops-poc's `.devcontainer/Dockerfile` installs the latest tools into the VS Code
    # development environment (NOISE; LLMs-from-scratch's likewise): built where it runs,
    # pushed nowhere. The service image installing the same is reported.
    image = (
        "FROM python:3.11.9-slim\n"
        "RUN pip install --no-cache-dir pillow scipy scikit-learn\n"
        'CMD ["python", "-m", "app"]\n'
    )
    files = {
        ".devcontainer/Dockerfile": image,
        ".devcontainer/devcontainer.json": '{"build": {"dockerfile": "Dockerfile"}}\n',
    }
    assert findings(tmp_path / "dev", "TF505", files) == []
    files["docker/Dockerfile.backend"] = image
    [finding] = findings(tmp_path / "service", "TF505", files)
    assert finding.path == "docker/Dockerfile.backend"


# --------------------------------------------------------------------------- TF206


def test_tf206_a_papers_framework_installed_by_its_install_guide(tmp_path: Path) -> None:
    # frankmocap's README sends the reader to `docs/INSTALL.md`, whose `conda install -c
    # pytorch pytorch==1.6.0 torchvision cudatoolkit=10.1` installs the framework
    # (torch and torchvision judged FALSE). A package the guide does not install is
    # still undeclared.
    guide = (
        "# Installation\n\n```bash\n"
        "conda create -n venv_frankmocap python=3.7\n"
        "conda install -c pytorch pytorch==1.6.0 torchvision cudatoolkit=10.1\n"
        "pip install -r docs/requirements.txt\n```\n"
    )
    files = {
        "README.md": "# FrankMocap\n\nSee [INSTALL.md](docs/INSTALL.md).\n",
        "docs/INSTALL.md": guide,
        "docs/requirements.txt": "opencv-python==4.5.1.48\n",
        "bodymocap/__init__.py": "",
        "bodymocap/detector.py": "import cv2\nimport torch\nimport torchvision.transforms\n",
        "demo/demo_bodymocap.py": "from bodymocap.detector import *\n",
    }
    config = Config(kind="research", preview=True)
    root = make_repo(tmp_path / "guide", files)
    assert check(root, select=["TF206"], config=config).findings == []
    files["bodymocap/detector.py"] += "import yaml\n"
    root = make_repo(tmp_path / "missing", files)
    [finding] = check(root, select=["TF206"], config=config).findings
    assert "pyyaml" in finding.message


# --------------------------------------------------------------------------- TF701


def test_tf701_a_script_whose_name_no_import_can_spell(tmp_path: Path) -> None:
    # A competition archive's `IEEE/100.Prav_External_data.py` and `Atlas/02Prav_Incep.py`
    # download at their top level (21 FALSE): no `import` statement can name them, so
    # they are run, never imported. The same code in `ieee/external_data.py` is reported.
    script = (
        "import urllib.request\n\n"
        "from ieee.features import build\n\n"
        "urllib.request.urlretrieve('https://example.org/ieee/external.zip', 'external.zip')\n"
        "FEATURES = build('external.zip')\n"
    )
    files = {
        "ieee/__init__.py": "",
        "ieee/features.py": "def build(path):\n    return [path]\n",
        "ieee/100.Prav_External_data.py": script,
    }
    assert findings(tmp_path / "unimportable", "TF701", files) == []
    files["ieee/external_data.py"] = script
    [finding] = findings(tmp_path / "module", "TF701", files)
    assert finding.path == "ieee/external_data.py"


# --------------------------------------------------------------------------- TF901


_HYDRA_SNAPSHOT = """hydra:
  run:
    dir: outputs/${now:%Y-%m-%d}/${now:%H-%M-%S}
  job_logging:
    version: 1
    formatters:
      simple:
        format: '[%(asctime)s][%(name)s][%(levelname)s] - %(message)s'
    handlers:
      console:
        class: logging.StreamHandler
        formatter: simple
      file:
        class: logging.FileHandler
        formatter: simple
        filename: ${hydra.runtime.output_dir}/${hydra.job.name}.log
    root:
      level: INFO
      handlers:
      - console
      - file
"""


def test_tf901_hydras_snapshot_of_a_past_run(tmp_path: Path) -> None:
    # kaggle_monorepo committed Hydra's run directories
    # (`codes/exp/exp001/outputs/2025-06-28/19-28-33/.hydra/hydra.yaml`, its default
    # job logging to a file: 6 FALSE): a record of a run. The same logging in the
    # project's own config is reported.
    files = {"exp/exp001/outputs/2025-06-28/19-28-33/.hydra/hydra.yaml": _HYDRA_SNAPSHOT}
    assert findings(tmp_path / "snapshot", "TF901", files) == []
    files["conf/logging.yaml"] = _HYDRA_SNAPSHOT.split("  job_logging:\n", 1)[1].replace(
        "\n    ", "\n"
    )[4:]
    files["app/log.py"] = (  # the configuration is loaded: one nothing names writes nothing
        "import logging.config\n\nimport yaml\n\n"
        "logging.config.dictConfig(yaml.safe_load(open('conf/logging.yaml')))\n"
    )
    [finding] = findings(tmp_path / "config", "TF901", files)
    assert finding.path == "conf/logging.yaml"


# --------------------------------------------------------------------------- TF301 (set E)


def test_tf301_the_name_of_the_kubernetes_secret_that_holds_it(tmp_path: Path) -> None:
    # technical-rag-system's Helm values name the Secret objects their keys come from
    # (`api_key_secret: epic8-secrets`, `secret: epic8-platform-analytics-auth`: 11
    # FALSE) and its usage notes describe a value (`openai-api-key:
    # "base64-encoded-key"`, FALSE). A random value under the same key is reported.
    values = (
        "services:\n"
        "  generator:\n"
        "    llm:\n"
        "      openai:\n"
        "        api_key_secret: epic8-secrets\n"
        "  analytics:\n"
        "    basicAuth:\n"
        "      secret: epic8-platform-analytics-auth\n"
        "secrets:\n"
        "  platform:\n"
        "    data:\n"
        '      openai-api-key: "base64-encoded-key"\n'
    )
    files = {"helm/platform/values-prod.yaml": values}
    assert findings(tmp_path / "names", "TF301", files) == []
    files["helm/platform/values-prod.yaml"] = values.replace(
        "epic8-secrets", "q7Vb2kT9xW3mZp8Rn4Lc6Yh1Dj5Fs0Ag"
    )
    [finding] = findings(tmp_path / "value", "TF301", files)
    assert finding.line == 5


def test_tf301_sql_summing_token_counts(tmp_path: Path) -> None:
    # opensearch-rag-pipeline's console sums LLM token counts in SQL
    # (`_tok = "COALESCE(tokens_prompt,0)+COALESCE(tokens_completion,0)"`, FALSE).
    module = (
        "def usage_query(table):\n"
        '    _tok = "COALESCE(tokens_prompt,0)+COALESCE(tokens_completion,0)"\n'
        '    return f"SELECT SUM({_tok}) FROM {table}"\n'
    )
    assert findings(tmp_path / "sql", "TF301", {"pipeline/console.py": module}) == []
    leaked = module.replace(
        "COALESCE(tokens_prompt,0)+COALESCE(tokens_completion,0)", "q7Vb2kT9xW3mZp8Rn4Lc6Yh1"
    ).replace("_tok", "_token")
    [finding] = findings(tmp_path / "token", "TF301", {"pipeline/console.py": leaked})
    assert finding.line == 2


# --------------------------------------------------------------------------- kind (set E)


def test_kind_the_code_of_past_kaggle_competitions(tmp_path: Path) -> None:
    # kaggle_competitions ("Prepare code base from previous kaggle competitions ... can be
    # used for reference only"): a folder of hand-run scripts per competition, one
    # package folder among them, read as an application (TF801, TF902 NOISE). With an
    # image that serves, the same README is an application's.
    readme = (
        "# kaggle_competitions_code_base\n\n"
        "Purpose : Prepare code base from previous kaggle competitions\n"
        "Constraints : Most solution files are in raw format, can be used for reference only\n"
    )
    files = {
        "README.md": readme,
        "Allstate/1015.Prav_keras10.py": "import keras\n",
        "Allstate/2000.Prav_xgb.py": "import xgboost\n",
        "IEEE/100.Prav_External_data.py": "import pandas\n",
        "Cdiscount/__init__.py": "",
        "Cdiscount/train.py": "import torch\n",
    }
    root = make_repo(tmp_path / "archive", files)
    assert build_model(root, discover(root, None).files).kind == "research"
    files["Dockerfile"] = 'FROM python:3.11-slim\nCOPY . /app\nCMD ["python", "serve.py"]\n'
    files["serve.py"] = "from fastapi import FastAPI\n\napp = FastAPI()\n"
    root = make_repo(tmp_path / "served", files)
    assert build_model(root, discover(root, None).files).kind == "application"


def test_kind_notebooks_the_readme_calls_course_material(tmp_path: Path) -> None:
    # learntools: "The checking code and notebooks used in Kaggle Learn courses", 256
    # notebooks and the package that checks their exercises (a bare setup.py), read as
    # an application (TF902, TF205, TF1001 FALSE or NOISE). A student's project "for the
    # MLOps course" with as many notebooks is an application still.
    readme = (
        "# Purpose\n"
        "The checking code and notebooks used in Kaggle Learn courses.\n\n"
        "The `notebooks` subdirectory contains the course materials themselves.\n"
    )
    files = {
        "README.md": readme,
        "setup.py": "from setuptools import setup\n\nsetup(name='learntools', version='0.3')\n",
        "learntools/__init__.py": "",
        "learntools/core/problem.py": "class Problem:\n    pass\n",
        "Jenkinsfile": "node { sh './test.sh' }\n",
        **{f"notebooks/python/raw/ex{n}.ipynb": "{}" for n in range(24)},
    }
    root = make_repo(tmp_path / "courses", files)
    assert build_model(root, discover(root, None).files).kind == "course"
    files["README.md"] = (
        "# Churn service\n\nOur final project for the MLOps course: notebooks and the API.\n"
    )
    root = make_repo(tmp_path / "project", files)
    assert build_model(root, discover(root, None).files).kind == "application"


# --------------------------------------------------------------------------- roles (set E)


def test_tf902_a_numbered_experiments_own_copy_of_the_training_code(tmp_path: Path) -> None:
    # kaggle_monorepo keeps each experiment's code in its own folder
    # (`codes/exp/exp001/train.py` ... `exp055/`): run by hand once, then the record of
    # that run (55 TF902 NOISE). The shared `src/` those copies came from is reported.
    train = (
        "import logging\n\n"
        "logger = logging.getLogger(__name__)\n\n\n"
        "def train(folds):\n"
        "    for fold in folds:\n"
        "        print(f'fold {fold} done')\n"
        "    logger.info('finished')\n"
    )
    files = {
        "codes/exp/exp001/train.py": train,
        "codes/exp/exp002_lstm/train.py": train,
    }
    assert findings(tmp_path / "experiments", "TF902", files) == []
    files["codes/src/__init__.py"] = ""
    files["codes/src/train.py"] = train
    [finding] = findings(tmp_path / "shared", "TF902", files)
    assert finding.path == "codes/src/train.py"


# --------------------------------------------------------------------------- TF205


def test_tf205_offline_wheels_in_a_kaggle_kernel(tmp_path: Path) -> None:
    # kaggle_monorepo's submission notebooks install the wheels built from its pinned
    # requirements, offline (`!pip install /kaggle/input/deps/*.whl --no-deps --no-index`:
    # a code competition's kernel has no internet; 5 NOISE). An install from the index
    # is reported.
    cell = (
        "!pip install /kaggle/input/birdclef2025-deps/*.whl --force-reinstall "
        "--no-deps --no-index --find-links /kaggle/input/birdclef2025-deps\n"
    )
    files = {"projects/birdclef/sub/sub.ipynb": notebook(cell, "import torch\n")}
    assert findings(tmp_path / "offline", "TF205", files) == []
    files["projects/birdclef/sub/sub.ipynb"] = notebook(cell, "!pip install timm\n")
    [finding] = findings(tmp_path / "index", "TF205", files)
    assert "timm" in finding.message


# --------------------------------------------------------------------------- roles (set F)


def test_roles_hidden_and_dated_backup_folders_are_archives() -> None:
    # retail-recommender-system keeps retired images under `.archived/docker/` (TF505,
    # TF702, TF901 on each) and a dated copy of its routers in
    # `backup_redis_architecture_20250808_013758/`, `migration_backups/` and
    # `recommendations_original_backup_20251016_234807.py` beside the live router (TF1203,
    # TF902 NOISE): code kept for the record. A package implementing backups is code, and
    # `.github/` stays CI.
    from twelvefold import kinds
    from twelvefold.project import roles

    assert roles.role_from_path(".archived/docker/Dockerfile.cached", kinds.DOCKERFILE) == "archive"
    dated = "backup_redis_architecture_20250808_013758/products_router.py"
    assert roles.role_from_path(dated, kinds.PYTHON) == "archive"
    copy = "src/api/routers/recommendations_original_backup_20251016_234807.py"
    assert roles.role_from_path(copy, kinds.PYTHON) == "archive"
    kept = "migration_backups/async_first_20250723_232931/routers/recommendations.py"
    assert roles.role_from_path(kept, kinds.PYTHON) == "archive"
    assert roles.role_from_path("app/backup/service.py", kinds.PYTHON) == "package"
    assert roles.role_from_path("app/backup_service.py", kinds.PYTHON) == "package"
    assert roles.role_from_path(".github/workflows/ci.yml", kinds.YAML) == "ci"


# --------------------------------------------------------------------------- TF303 (set F)


def test_tf303_a_path_in_a_printed_hint(tmp_path: Path) -> None:
    # retail-recommender-system's fix scripts print where to run them from
    # (`print("run from: C:\\Users\\yasma\\Desktop\\retail-recommender-system")`, 5 FALSE)
    # and corgi's validator prints setup instructions naming `/Users/...` (2 NOISE): a
    # hint to a reader. A path the code opens inside the message is reported.
    script = (
        "import logging\nfrom pathlib import Path\n\n"
        "logger = logging.getLogger(__name__)\n\n\n"
        "def main():\n"
        '    print(r"Run from: C:\\Users\\yasma\\Desktop\\retail-recommender-system")\n'
        '    logger.info(f"Setup: cp .env /Users/andrew/corgi/.env ({Path.cwd()})")\n'
        "    return Path('data/models')\n"
    )
    assert findings(tmp_path / "hint", "TF303", {"scripts/fix.py": script}) == []
    opened = script.replace(
        "    return Path('data/models')\n",
        "    print(open('/home/yasma/models/tfidf.pkl', 'rb').read(8))\n",
    )
    [finding] = findings(tmp_path / "opened", "TF303", {"scripts/fix.py": opened})
    assert finding.line == 10


def test_tf301_a_shell_array_filled_from_a_variable(tmp_path: Path) -> None:
    # movie-recommender's database init script splits its passwords from the
    # environment (`PASSWORDS=($DB_PASSWORDS)`, FALSE). A literal array is reported.
    script = (
        "#!/bin/bash\nset -eu\n"
        'if [ -n "$DB_USERS" ] && [ -n "$DB_PASSWORDS" ]; then\n'
        "  USERS=($DB_USERS)\n  PASSWORDS=($DB_PASSWORDS)\nfi\n"
    )
    files = {"scripts/db_init/multi_user_db_init.sh": script}
    assert findings(tmp_path / "env", "TF301", files) == []
    files["scripts/db_init/multi_user_db_init.sh"] = script.replace(
        "($DB_PASSWORDS)", "(Kq7vR2xW9mPz4)"
    )
    [finding] = findings(tmp_path / "literal", "TF301", files)
    assert finding.line == 5


# --------------------------------------------------------------------------- TF401


def test_tf401_the_host_of_an_in_process_test_client(tmp_path: Path) -> None:
    # retail-recommender-system's health diagnostic drives the app in process
    # (`httpx.AsyncClient(transport=ASGITransport(app=app), base_url="http://test")`,
    # FALSE). A client for an internal host is reported.
    module = (
        "import httpx\n\nfrom app.main import app\n\n\n"
        "async def check_health():\n"
        "    transport = httpx.ASGITransport(app=app)\n"
        '    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:\n'
        '        return (await c.get("/health")).status_code\n'
    )
    files = {"app/__init__.py": "", "app/main.py": "app = None\n", "app/diagnostic.py": module}
    assert findings(tmp_path / "in_process", "TF401", files) == []
    files["app/diagnostic.py"] = module.replace("http://test", "http://recommender")
    [finding] = findings(tmp_path / "internal", "TF401", files)
    assert finding.path == "app/diagnostic.py"


# --------------------------------------------------------------------------- TF901 (set F)


def test_tf901_a_hand_run_script_logging_to_the_console_and_a_file(tmp_path: Path) -> None:
    # retail-recommender-system's diagnostic scripts (`scripts/checks/cloud/
    # check_catalog.py`) log to the console and keep a copy of the run in a file (4
    # NOISE). The service's module doing the same is reported, and so is a script
    # logging only to a file.
    module = (
        "import logging\nimport sys\n\n"
        "logger = logging.getLogger('check_catalog')\n"
        "logger.addHandler(logging.StreamHandler(sys.stdout))\n"
        "logger.addHandler(logging.FileHandler('check_catalog.log'))\n"
    )
    files = {"scripts/checks/cloud/check_catalog.py": module}
    assert findings(tmp_path / "script", "TF901", files) == []
    only_file = module.replace("logger.addHandler(logging.StreamHandler(sys.stdout))\n", "")
    files = {"scripts/checks/cloud/check_catalog.py": only_file, "src/api/logs.py": module}
    found = findings(tmp_path / "reported", "TF901", files)
    assert sorted(f.path for f in found) == [
        "scripts/checks/cloud/check_catalog.py",
        "src/api/logs.py",
    ]
