"""Look-alikes from the thirteenth session's held-out sets (EEE judged on 1200b4a; FFF,
GGG, HHH and III on the commits their sections name): each class judged FALSE or NOISE
there, self-written, with the violation the rule must still find."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from twelvefold.model import Severity

from tests.helpers import check, findings, inferred_kind, make_repo


def _in_a_library(root: Path, code: str, files: dict[str, str]) -> list[str]:
    """The paths `code` reports in a repository of `files` read as a library."""
    from twelvefold.config import Config

    library = Config(kind="library", preview=True)
    return [
        f.path or "" for f in check(make_repo(root, files), select=[code], config=library).findings
    ]


# --------------------------------------------------------------------------- TF301


def _jwt(claims: dict[str, object]) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    header = part({"alg": "HS256", "typ": "JWT"})
    return f"{header}.{part(claims)}.Qm9ndXNTaWduYXR1cmVGb3JUZXN0c09ubHkxMjM0NTY3OA"


def test_tf301_a_supabase_anon_key_is_public_by_design(tmp_path: Path) -> None:
    # langchain-ai/langgraph's CLI sends opt-out analytics with its Supabase project's
    # anon key (`"role": "anon"`), which Supabase documents as safe to expose with
    # row-level security: an error was FALSE. The service-role key of the same shape
    # bypasses row-level security and is still an error; so is a publishable-looking
    # name on a secret key.
    claims = {"iss": "supabase", "ref": "kzqxwmplvbnhtyrd", "iat": 1719257579}
    anon = _jwt({**claims, "role": "anon", "exp": 2034833579})
    files = {
        "cli/constants.py": f'SUPABASE_URL = "https://kzqxwmplvbnhtyrd.supabase.co"\n'
        f'SUPABASE_PUBLIC_API_KEY = "{anon}"\n',
        "web/client.py": 'SUPABASE_KEY = "sb_publishable_Xk29fLmQ8vRt3NzPw7Ys4Bh"\n',
    }
    assert findings(tmp_path / "anon", "TF301", files) == []
    service = _jwt({**claims, "role": "service_role", "exp": 2034833579})
    files = {"cli/constants.py": f'SUPABASE_PUBLIC_API_KEY = "{service}"\n'}
    [finding] = findings(tmp_path / "service", "TF301", files)
    assert finding.severity is Severity.WARNING and service not in finding.message


# --------------------------------------------------------------------------- TF803


def _workflow(*steps: str, defaults: str = "") -> str:
    run = "".join(f"      - run: {step}\n" for step in steps)
    return (
        "on: [push, pull_request]\n"
        f"{defaults}"
        "jobs:\n"
        "  test:\n"
        "    runs-on: ubuntu-24.04\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        f"{run}"
    )


_APP = '[project]\nname = "recsys"\nversion = "0.1.0"\ndependencies = ["fastapi>=0.110"]\n'
_LOCK = 'version = 1\nrequires-python = ">=3.11"\n\n[[package]]\nname = "fastapi"\nversion = "0.115.0"\n'


def test_tf803_the_lock_of_another_folder_pins_nothing_the_step_installs(tmp_path: Path) -> None:
    # feast-dev/feast-workshop's workflows `pip install "feast[aws]"` (the CLI the job
    # runs) while the only lock is `module_4_rag/poetry.lock`, another module's; a
    # langgraph step runs `pip install -e .` in `libs/cli` (`working-directory`) while
    # the lock named was `libs/checkpoint-conformance/uv.lock`: five FALSE. A buildspec
    # in a pipeline's folder installs that folder, not the root's Pipfile.lock project.
    files = {
        "module_4_rag/pyproject.toml": _APP,
        "module_4_rag/uv.lock": _LOCK,
        "module_4_rag/app.py": "import fastapi\n",
        ".github/workflows/apply.yml": _workflow('pip install "feast[aws]"', "feast apply"),
        ".github/workflows/cli.yml": _workflow(
            "pip install -e .", "pytest", defaults="defaults:\n  run:\n    working-directory: cli\n"
        ),
        ".github/workflows/sdk.yml": _workflow("cd sdk && pip install -e .", "pytest"),
        "pipelines/train/buildspec.yml": "version: 0.2\nphases:\n  build:\n    commands:\n"
        "      - pip install .\n      - python run_pipeline.py\n",
        "uv.lock": _LOCK,
    }
    files["pyproject.toml"] = _APP
    found = findings(tmp_path / "elsewhere", "TF803", files)
    assert [(f.path, f.line) for f in found] == []
    # The root's own project installed around the root's lock is still reported, as is a
    # module installed by its path around that module's lock.
    files[".github/workflows/ci.yml"] = _workflow(
        'pip install -e ".[dev]"', "pip install ./module_4_rag"
    )
    found = findings(tmp_path / "own", "TF803", files)
    assert sorted((f.path, f.line, f.message.split("while")[1]) for f in found) == [
        (".github/workflows/ci.yml", 7, " `uv.lock` pins the environment"),
        (".github/workflows/ci.yml", 8, " `module_4_rag/uv.lock` pins the environment"),
    ]


# --------------------------------------------------------------------------- TF901

_LOGGING = """version: 1
disable_existing_loggers: False
handlers:
  console:
    class: logging.StreamHandler
    stream: ext://sys.stdout
  info_file_handler:
    class: logging.handlers.RotatingFileHandler
    filename: info.log
    delay: True
loggers:
  recsys:
    level: INFO
root:
  handlers: [{handlers}]
"""


def test_tf901_a_file_handler_no_logger_uses_writes_nothing(tmp_path: Path) -> None:
    # kedro's `default_logging.yml` defines an `info_file_handler` for projects to switch
    # on and sends every record to the console: FALSE. The same handler on the root
    # logger, in YAML or as JSON, is still reported.
    files = {"recsys/logging.yml": _LOGGING.format(handlers="console")}
    assert findings(tmp_path / "unused", "TF901", files) == []
    # Loaded by the code (a configuration no other file names writes nothing either).
    loader = (
        "import logging.config\n\nimport yaml\n\n"
        "with open('recsys/logging.yml') as f:\n    logging.config.dictConfig(yaml.safe_load(f))\n"
    )
    files = {
        "recsys/logging.yml": _LOGGING.format(handlers="console, info_file_handler"),
        "recsys/settings.py": loader,
    }
    [used] = findings(tmp_path / "used", "TF901", files)
    assert used.line == 8
    as_json = json.dumps(
        {
            "version": 1,
            "handlers": {"file": {"class": "logging.FileHandler", "filename": "app.log"}},
            "root": {"handlers": ["file"]},
        },
        indent=1,
    )
    json_files = {
        "recsys/logging.json": as_json,
        "recsys/settings.py": loader.replace("logging.yml", "logging.json").replace(
            "yaml.safe_load", "json.load"
        ),
    }
    [found] = findings(tmp_path / "json", "TF901", json_files)
    assert "FileHandler" in found.message


# --------------------------------------------------------------------------- TF1002


def test_tf1002_a_templates_tests_run_in_the_projects_it_generates(tmp_path: Path) -> None:
    # kedro's `templates/project/{{ cookiecutter.repo_name }}/tests/test_run.py` sits
    # outside kedro's own `testpaths`: the generated project collects it. FALSE (x2).
    test = "def test_pipeline_runs():\n    assert run() == 0\n"
    files = {
        "pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
        "tests/test_cli.py": "def test_cli():\n    assert True\n",
        "kedro/templates/project/{{ cookiecutter.repo_name }}/tests/test_run.py": test,
    }
    assert findings(tmp_path / "template", "TF1002", files) == []
    files["kedro/templates/project/tests/test_run.py"] = test
    [found] = findings(tmp_path / "own", "TF1002", files)
    assert found.path == "kedro/templates/project/tests/test_run.py"


# --------------------------------------------------------------------------- TF204


def test_tf204_a_conda_python_at_a_version_from_an_env_variable(tmp_path: Path) -> None:
    # huggingface/transformers-bloom-inference's image sets `ENV PYTHON_VERSION=3.9` and
    # runs `conda create -n inference python=${PYTHON_VERSION}`: FALSE. A variable the
    # Dockerfile never sets to a version says nothing.
    dockerfile = (
        "FROM nvidia/cuda:11.6.1-devel-ubi8\n"
        "RUN curl -L -o miniconda.sh https://repo.anaconda.com/miniconda/Miniconda3-py39_23.1.0-1-Linux-x86_64.sh\n"
        "ENV {env}\n"
        "RUN conda create -n inference python=${{PYTHON_VERSION}} pip -y\n"
        'CMD ["gunicorn", "server:app"]\n'
    )
    files = {
        "requirements.txt": "flask==3.0.3\n",
        "server.py": "from flask import Flask\napp = Flask(__name__)\n",
        "Dockerfile": dockerfile.format(env="PYTHON_VERSION=3.9 PATH=/opt/conda/bin:${PATH}"),
    }
    assert findings(tmp_path / "set", "TF204", files) == []
    files["Dockerfile"] = dockerfile.format(env="PATH=/opt/conda/bin:${PATH}")
    assert [f.code for f in findings(tmp_path / "unset", "TF204", files)] == ["TF204"]


# --------------------------------------------------------------------------- TF505


def test_tf505_a_third_party_checkout_at_a_tag_is_not_the_project(tmp_path: Path) -> None:
    # QwenLM/Qwen's image clones flash-attention at `-b v2.3.3`, `cd`s into it on the
    # next line and runs `pip3 install . && pip3 install csrc/layer_norm`: "of the
    # project" was FALSE, and a folder was listed as an unpinned package. The unpinned
    # packages of the later steps are still reported, at their own step.
    dockerfile = (
        "FROM pytorch/pytorch:2.0.1-cuda11.7-cudnn8-devel\n"
        "WORKDIR /srv\n"
        "COPY requirements.txt .\n"
        "RUN pip install --no-cache-dir -r requirements.txt\n"
        "RUN git clone -b v2.3.3 https://github.com/Dao-AILab/flash-attention\n"
        "RUN cd /srv/flash-attention && \\\n"
        "    pip3 install . && \\\n"
        "    pip3 install csrc/layer_norm\n"
        'RUN pip3 install fastapi uvicorn "pydantic<=1.10.13"\n'
        'CMD ["python", "serve.py"]\n'
    )
    files = {
        "requirements.txt": "torch==2.0.1\ntransformers==4.36.2\n",
        "serve.py": "import fastapi\n",
        "Dockerfile": dockerfile,
    }
    [found] = findings(tmp_path, "TF505", files)
    assert found.line == 9 and "`fastapi`" in found.message and "layer_norm" not in found.message


# --------------------------------------------------------------------------- kinds


def test_a_monorepo_of_published_packages_is_a_library(tmp_path: Path) -> None:
    # langchain-ai/langgraph keeps its packages in `libs/*/` with no root metadata, and
    # its README says `pip install -U langgraph`: read as an application, its CI-only
    # integration image (tracking `latest-py3.12` on purpose) was an error (NOISE).
    from twelvefold.config import Config

    member = (
        '[project]\nname = "{name}"\nversion = "1.0.4"\n[build-system]\nrequires = ["hatchling"]\n'
    )
    files = {
        "README.md": "# graphflow\n\n```bash\npip install -U graphflow\n```\n",
        "libs/graphflow/pyproject.toml": member.format(name="graphflow"),
        "libs/graphflow/graphflow/__init__.py": "",
        "libs/cli/pyproject.toml": member.format(name="graphflow-cli"),
        "libs/cli/graphflow_cli/__init__.py": "",
        "libs/sdk/integration/Dockerfile": "FROM graphflow/api:latest-py3.12\n",
    }
    inferred = Config(preview=True)
    library = make_repo(tmp_path / "library", files)
    assert inferred_kind(library) == "library"
    assert check(library, select=["TF503"], config=inferred).findings == []
    files["README.md"] = "# graphflow\n\nRun `make up` to start the stack.\n"
    application = make_repo(tmp_path / "application", files)
    assert inferred_kind(application) == "application"
    assert [f.code for f in check(application, select=["TF503"], config=inferred).findings] == [
        "TF503"
    ]


def test_a_dockerfile_variant_named_with_a_dash_or_underscore(tmp_path: Path) -> None:
    # QwenLM/Qwen's `docker/Dockerfile-cu121` and `Dockerfile-cu114` install the same
    # unpinned packages as its `Dockerfile`: missed, their names were not read as
    # Dockerfiles. `dockerfile_utils.py` is a Python module.
    from twelvefold.kinds import DOCKERFILE, classify

    for name in ("docker/Dockerfile-cu121", "Dockerfile_gpu", "dockerfile-cli-only.gpu"):
        assert classify(name) == DOCKERFILE, name
    assert classify("tools/dockerfile_utils.py") != DOCKERFILE
    assert classify("Dockerfile-dev.j2") != DOCKERFILE
    files = {"docker/Dockerfile-cu121": "FROM python:3.11-slim\nRUN pip install fastapi uvicorn\n"}
    [found] = findings(tmp_path / "found", "TF505", files)
    assert found.path == "docker/Dockerfile-cu121"


# --------------------------------------------------------------------------- TF401


def test_tf401_a_bucket_the_comment_tells_the_reader_to_replace(tmp_path: Path) -> None:
    # feast-dev/feast-workshop's data source reads `s3://feast-workshop-danny/...` with
    # `# TODO: Replace with your bucket`: the learner's to swap (NOISE). The same bucket
    # with no such comment is still reported.
    source = (
        "from feast import FileSource\n\n"
        "driver_stats = FileSource(\n"
        '    name="driver_stats_source",\n'
        '    path="s3://feast-workshop-danny/driver_stats.parquet",{comment}\n'
        '    timestamp_field="event_timestamp",\n'
        ")\n"
        "import boto3\n"
        "boto3.client('s3').download_file('feast-workshop-danny', 'a.parquet', 'a.parquet')\n"
    )
    files = {
        "feature_repo/data_sources.py": source.format(comment="  # TODO: Replace with your bucket")
    }
    found = findings(tmp_path / "placeholder", "TF401", files)
    assert [f.line for f in found] == [9]
    files = {"feature_repo/data_sources.py": source.format(comment="")}
    found = findings(tmp_path / "bucket", "TF401", files)
    assert [f.line for f in found] == [5, 9]


# --------------------------------------------------------------------------- TF802


def test_tf802_a_test_named_client_script_that_checks_nothing(tmp_path: Path) -> None:
    # feast-dev/feast-workshop's deploy workflow was told it never runs the tests: the
    # only "tests" were `client/test_fetch.py` scripts that fetch features and print
    # them. A script that fails on a check (`sys.exit(main())`) still counts.
    workflow = (
        "on:\n  push:\n    branches: [main]\n"
        "jobs:\n  apply:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: pip install feast==0.40.1\n"
        "      - run: cd feature_repo && feast apply\n"
    )
    client = (
        "from feast import FeatureStore\n\n"
        'store = FeatureStore(repo_path=".")\n'
        'print(store.get_online_features(features=["driver:rate"], entity_rows=[{"driver_id": 1}]))\n'
    )
    files = {
        ".github/workflows/apply.yml": workflow,
        "feature_repo/feature_store.yaml": "project: drivers\nprovider: local\n",
        "client/test_fetch.py": client,
    }
    assert findings(tmp_path / "client", "TF802", files) == []
    files["client/test_fetch.py"] = client + (
        "import sys\n\n\ndef main() -> int:\n    return 0 if store else 1\n\n\nsys.exit(main())\n"
    )
    assert [f.code for f in findings(tmp_path / "check", "TF802", files)] == ["TF802"]


# ------------------------------------------------------------------ set FFF (4dcfb24)


def test_tf503_a_moving_tag_that_holds_its_toolchains_version(tmp_path: Path) -> None:
    # huggingface/text-generation-inference builds its router on
    # `lukemathwalker/cargo-chef:latest-rust-1.85.1`: four errors were NOISE (Rust is
    # pinned by the tag, only the caching tool moves). A warning now; `17-latest` (no
    # dotted version: every release of 17) is still an error, as seldon-core's was TRUE.
    files = {
        "Dockerfile": "FROM lukemathwalker/cargo-chef:latest-rust-1.85.1 AS chef\n"
        "FROM python:3.11.9-slim\nCOPY . /app\n",
        "jvm/Dockerfile": "FROM azul/zulu-openjdk-alpine:17-latest\nCOPY . /app\n",
    }
    found = {f.path: f for f in findings(tmp_path, "TF503", files)}
    assert found["Dockerfile"].severity is Severity.WARNING
    assert "holds the version" in found["Dockerfile"].message
    assert found["jvm/Dockerfile"].severity is Severity.ERROR


def test_tf505_wheels_built_in_an_earlier_stage_and_a_pinned_export(tmp_path: Path) -> None:
    # text-generation-inference installs `/install/*.whl` its builder stages compiled
    # from pinned commits (NOISE x10), and its Gaudi image runs `cd server && pip install
    # --no-deps -r requirements.txt && pip install .` where requirements.txt is exported
    # from poetry.lock (FALSE). The project installed with no lock is still reported.
    dockerfile = (
        "FROM python:3.11.9-slim AS kernels\n"
        "RUN pip wheel --no-deps -w /install git+https://github.com/org/kernels@4f1a2b3c\n"
        "FROM python:3.11.9-slim\n"
        "COPY --from=kernels /install /install\n"
        "RUN pip install /install/*.whl\n"
        "COPY backends/gaudi/server server\n"
        "RUN cd server && pip install --no-deps -r requirements.txt && pip install .\n"
        "FROM python:3.11.9-slim AS cpu\n"
        "COPY backends/cpu/server cpu\n"
        "RUN cd cpu && pip install .\n"
    )
    files = {
        "Dockerfile": dockerfile,
        "backends/gaudi/server/requirements.txt": "torch==2.6.0 ; python_version >= '3.9'\n"
        "safetensors==0.5.3\n",
        "backends/gaudi/server/pyproject.toml": '[project]\nname = "server"\nversion = "1"\n'
        'dependencies = ["torch>=2", "safetensors"]\n',
        "backends/cpu/server/pyproject.toml": '[project]\nname = "cpu"\nversion = "1"\n'
        'dependencies = ["torch>=2"]\n',
    }
    [found] = findings(tmp_path, "TF505", files)
    assert found.line == 10


def test_a_code_generator_is_a_build_tool(tmp_path: Path) -> None:
    # text-generation-inference's neuron builder installs `build` and `mypy-protobuf`
    # (beside a pinned `grpcio-tools`) to generate stubs and build an sdist: NOISE (x2).
    files = {
        "server/build-requirements.txt": "build\nmypy-protobuf\ngrpcio-tools==1.62.1\n",
        "Dockerfile": "FROM python:3.11.9-slim\nCOPY server server\n"
        "RUN pip install -r server/build-requirements.txt\n",
    }
    assert findings(tmp_path / "tools", "TF505", files) == []
    assert findings(tmp_path / "tools", "TF202", None) == []


def test_go_testdata_is_test_data(tmp_path: Path) -> None:
    # SeldonIO/seldon-core's `testdata/` holds the TLS keys its Go tests serve with
    # (three errors, FALSE) and a `model.py` a test copies, never runs (TF206, FALSE x2).
    # A key there is not reported (a warning until the fourteenth session's feast key);
    # the same key elsewhere is an error.
    body = "\n".join(base64.b64encode(bytes([n % 251 + 1] * 48)).decode() for n in range(6))
    key = f"-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----\n"
    files = {
        "requirements.txt": "numpy==2.1.0\n",
        "app.py": "import numpy\n",
        "pkg/tls/testdata/tls.key": key,
        "pkg/agent/testdata/model.py": "import pandas\nimport fastapi\n",
    }
    found = findings(tmp_path / "testdata", ["TF301", "TF206"], files)
    assert found == []
    [elsewhere] = findings(tmp_path / "deploy", "TF301", {"deploy/tls.key": key})
    assert elsewhere.severity is Severity.ERROR


def test_a_demos_image_does_not_make_a_papers_code_a_product(tmp_path: Path) -> None:
    # OpenBMB/MiniCPM-V: a paper's model code and scripts, with a Dockerfile only in
    # `web_demos/`: read as an application, its vendored evaluation kit's prints were
    # twenty NOISE findings. A root Dockerfile still makes it one.
    files = {
        "README.md": "# MiniVLM\n\nPaper: https://arxiv.org/abs/2408.01800\n",
        "requirements.txt": "torch==2.1.2\n",
        "omnilmm/__init__.py": "",
        "omnilmm/model.py": "import torch\n",
        "chat.py": "from omnilmm.model import torch\n",
        "web_demos/server/Dockerfile": "FROM node:20.11-alpine\nCOPY . /app\n",
        **{f"eval/task_{n}.py": "print('score')\n" for n in range(70)},
    }
    research = make_repo(tmp_path / "research", files)
    assert inferred_kind(research) == "research"
    files["Dockerfile"] = "FROM python:3.11.9-slim\nCOPY . /app\nCMD python chat.py\n"
    product = make_repo(tmp_path / "product", files)
    assert inferred_kind(product) == "application"


def test_tf902_a_command_the_packaging_installs_prints_its_output(tmp_path: Path) -> None:
    # mosaicml/composer's `validate_remote_path` is installed as a command by its
    # `console_scripts`: printing what it finds is its job (FALSE). clearml's
    # `wizard/user_input.py` prompts behind `clearml-init` (FALSE). A library function
    # that prints progress is still reported.
    setup = (
        "from setuptools import setup\n"
        "setup(name='trainkit', version='1.0', classifiers=['Topic :: Scientific/Engineering'],\n"
        "      entry_points={'console_scripts': [\n"
        "          'trainkit_check = trainkit.utils.files:validate_remote_path',\n"
        "      ]})\n"
    )
    files = {
        "setup.py": setup,
        "trainkit/__init__.py": "",
        "trainkit/utils/__init__.py": "",
        "trainkit/utils/files.py": "def validate_remote_path(path):\n"
        "    print('checking', path)\n    print('found 3 objects')\n",
        "trainkit/wizard/__init__.py": "",
        "trainkit/wizard/user_input.py": "def input_int(key):\n    try:\n"
        "        return int(input(key))\n    except ValueError:\n"
        "        print('Invalid input: enter an integer')\n        print('try again')\n",
        "trainkit/fit.py": "def fit(model):\n    print('epoch 1')\n    print('epoch 2')\n",
    }
    assert _in_a_library(tmp_path, "TF902", files) == ["trainkit/fit.py"]


# ------------------------------------------------------------------ set GGG (648c6aa)


def test_tf505_uv_sync_installs_the_lock_and_undoes_what_came_before(tmp_path: Path) -> None:
    # kserve's images `cd kserve && uv sync --active` before `uv pip install .` of their
    # storage package (FALSE x7), install torchvision with `uv pip` and then `uv sync`
    # (the sync makes the environment the lock's again: FALSE), and install `tomli` for
    # a license script (NOISE x17). An unpinned `uv pip install` after the last sync
    # stays (kserve's line 124, a judge's "missed").
    dockerfile = (
        "FROM python:3.11.9-slim AS builder\n"
        "COPY kserve/pyproject.toml kserve/uv.lock kserve/\n"
        "RUN cd kserve && uv sync --active --no-cache\n"
        "COPY storage storage\n"
        "RUN cd storage && uv pip install . --no-cache\n"
        "RUN cd kserve && uv pip install --index-strategy unsafe-best-match torchvision && \\\n"
        "    uv sync --active --no-cache\n"
        "RUN pip install --no-cache-dir tomli\n"
        "RUN uv pip install --reinstall torchaudio\n"
    )
    files = {
        "python/kserve/pyproject.toml": '[project]\nname = "kserve"\nversion = "1"\n'
        'dependencies = ["fastapi>=0.110"]\n',
        "python/kserve/uv.lock": 'version = 1\n[[package]]\nname = "fastapi"\nversion = "0.115.0"\n',
        "python/storage/pyproject.toml": '[project]\nname = "storage"\nversion = "1"\n'
        'dependencies = ["boto3>=1.34"]\n',
        "python/server.Dockerfile": dockerfile,
    }
    found = findings(tmp_path, "TF505", files)
    assert [(f.line, f.message) for f in found] == [
        (9, "`uv pip install` of unpinned packages `torchaudio` in the image")
    ]


def test_tf302_version_pins_and_make_variables_are_no_dotenv_secrets(tmp_path: Path) -> None:
    # kserve's `kserve-deps.env` (`CERT_MANAGER_VERSION=v1.16.1`..., sourced by its
    # release scripts) and `kserve-images.env` (`TAG ?= latest`, included by the
    # Makefile): two errors, FALSE. A sourced file with a token in it is still reported.
    deps = "# versions\nCERT_MANAGER_VERSION=v1.16.1\nKEDA_VERSION=2.16.0\nUV_VERSION=0.7.8\n"
    files = {
        "kserve-deps.env": deps,
        "kserve-images.env": "TAG ?= latest\nCONTROLLER_IMG ?= kserve-controller\n",
        "hack/install.sh": '#!/bin/bash\nsource "${REPO_ROOT}/kserve-deps.env"\n',
        "Makefile": "include kserve-images.env\n",
    }
    assert findings(tmp_path / "settings", "TF302", files) == []
    files["kserve-deps.env"] = deps + "GITHUB_TOKEN=ghp_Xk29fLmQ8vRt3NzPw7Ys4BhJd2Ka6Wq1Ee0T\n"
    assert [f.path for f in findings(tmp_path / "token", "TF302", files)] == ["kserve-deps.env"]


def test_tf301_a_cli_option_and_kubeflows_minio_key(tmp_path: Path) -> None:
    # datarobot-user-models' `DR_API_TOKEN = "--api-token"` in an enum of options (an
    # error, FALSE), and kserve's sample Secret of Kubeflow's MinIO (`minio123`, base64).
    secret = (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s3creds\ntype: Opaque\ndata:\n"
        "  AWS_ACCESS_KEY_ID: bWluaW8=\n  AWS_SECRET_ACCESS_KEY: {value}\n"
    )
    files = {
        "drum/enum.py": 'class ArgumentOptions:\n    DR_API_TOKEN = "--api-token"\n',
        "deploy/s3_secret.yaml": secret.format(value="bWluaW8xMjM="),
    }
    assert findings(tmp_path / "lookalikes", "TF301", files) == []
    real = base64.b64encode(b"wJa9Xk2mQ7pLz4RtY8vBn3CdE6fGh1JkQ5sT0uVw").decode()
    files = {
        "drum/enum.py": 'class Credentials:\n    DR_API_TOKEN = "NjQ5YzFhZTk4ZDk5OGQ1N2E4MjU"\n',
        "deploy/s3_secret.yaml": secret.format(value=real),
    }
    found = findings(tmp_path / "secrets", "TF301", files)
    assert sorted(f.path for f in found) == ["deploy/s3_secret.yaml", "drum/enum.py"]


def test_a_library_installed_as_its_install_doc_says(tmp_path: Path) -> None:
    # facebookresearch/detectron2's README links to INSTALL.md, which says `python -m pip
    # install 'git+https://github.com/facebookresearch/detectron2.git'`: read as an
    # application, its setup.py ranges and a demo image were five NOISE/FALSE findings.
    files = {
        "README.md": "# vision2\n\nA library for detection. See INSTALL.md.\n",
        "INSTALL.md": "python -m pip install 'git+https://github.com/acme/vision2.git'\n",
        "setup.py": "from setuptools import setup\nsetup(name='vision2', version='0.6')\n",
        "vision2/__init__.py": "",
        "Dockerfile": "FROM python:3.11.9-slim\nCOPY . /src\nRUN pip install /src\n",
    }
    library = make_repo(tmp_path / "installed", files)
    assert inferred_kind(library) == "library"
    files["INSTALL.md"] = "Run `docker compose up`.\n"
    application = make_repo(tmp_path / "deployed", files)
    assert inferred_kind(application) == "application"


def test_tf401_a_bucket_named_as_a_placeholder(tmp_path: Path) -> None:
    # PrefectHQ/prefect-recipes' legacy flow: `s3.put_object(Bucket="sample_bucket", ...)`
    # (NOISE). A named bucket is still reported.
    code = "import boto3\n\ns3 = boto3.client('s3')\ns3.put_object(Bucket={name!r}, Key='k', Body=b'')\n"
    for name in ("sample_bucket", "my-bucket", "your-bucket-name"):
        files = {"flows/etl.py": code.format(name=name)}
        assert findings(tmp_path / name, "TF401", files) == [], name
    [found] = findings(
        tmp_path / "acme", "TF401", {"flows/etl.py": code.format(name="acme-ml-raw")}
    )
    assert "acme-ml-raw" in found.message


# ------------------------------------------------------------------ set HHH (eaeeae2)


def test_a_notebooks_shell_line_that_goes_on_and_automagic_pip(tmp_path: Path) -> None:
    # pinecone-io/examples: `!pip install -qU \` with its packages on the next, indented
    # lines made ~70 notebooks "unexpected indent" (every AST rule skipped them); so did
    # IPython's automagic `pip install gradio`. The code after them is read again.
    import ast

    from twelvefold.notebook import notebook_code, parse_notebook

    from tests.helpers import notebook

    text = notebook(
        "!pip install -qU \\\n    pinecone==5.0.1 \\\n    openai==1.51.0\n",
        "pip install gradio\nimport gradio\n",
        "total = 1 + \\\n    2\n",
    )
    code, _ = notebook_code(parse_notebook(text))
    tree = ast.parse(code)
    assert [type(node).__name__ for node in tree.body] == ["Pass"] * 4 + ["Import", "Assign"]
    files = {
        "requirements.txt": "pinecone==5.0.1\nopenai==1.51.0\n",
        "notebooks/search.ipynb": notebook(
            "!pip install -qU \\\n    pinecone==5.0.1\n", "import torch\n"
        ),
    }
    [found] = findings(tmp_path, "TF206", files)
    assert "`torch`" in found.message


def test_a_reproduction_of_a_models_report_installed_from_its_clone(tmp_path: Path) -> None:
    # huggingface/open-r1 ("A fully open reproduction of DeepSeek-R1", `uv pip install -e
    # ".[dev]"` from the clone) has classifiers in its setup.py: read as a library, its
    # reward functions' prints were six NOISE findings.
    setup = (
        "from setuptools import setup\n"
        "setup(name='open-r2', version='0.1', classifiers=['Topic :: Scientific/Engineering'])\n"
    )
    files = {
        "README.md": "# Open R2\n\n*A fully open reproduction of DeepSeek-R2.*\n\n"
        '```shell\nuv pip install -e ".[dev]"\n```\n',
        "setup.py": setup,
        "src/open_r2/__init__.py": "",
    }
    research = make_repo(tmp_path / "reproduction", files)
    assert inferred_kind(research) == "research"
    files["README.md"] = '# Open R2\n\nA toolkit.\n\n```shell\npip install -e ".[dev]"\n```\n'
    toolkit = make_repo(tmp_path / "toolkit", files)
    assert inferred_kind(toolkit) == "library"


def test_tf301_demo_logins_and_a_named_stand_in_key(tmp_path: Path) -> None:
    # openai/evals: WebArena's published site logins (`"password": "test1234"`) were five
    # errors and `FLASK_API_KEY = "key-FLASKPLAYWRIGHTKEY"` (a local container's
    # stand-in) two: all FALSE. A word and digits is a warning now; a random password is
    # still an error.
    accounts = (
        "ACCOUNTS = {\n"
        '    "reddit": {"username": "MarvelsGrantMan136", "password": "test1234"},\n'
        '    "shopping": {"username": "emma.lopez@gmail.com", "password": "Password.123"},\n'
        "}\n"
        'FLASK_API_KEY = "key-FLASKPLAYWRIGHTKEY"\n'
    )
    found = findings(tmp_path / "demo", "TF301", {"webarena/env_config.py": accounts})
    assert [(f.line, f.severity) for f in found] == [
        (2, Severity.WARNING),
        (3, Severity.WARNING),
    ]
    real = 'ACCOUNTS = {"admin": {"username": "admin", "password": "Zq8#vR2m!Lp4Tx"}}\n'
    [error] = findings(tmp_path / "real", "TF301", {"webarena/env_config.py": real})
    assert error.severity is Severity.WARNING and error.message.endswith("'")


def test_tf1101_cis_notebook_runner_runs_no_production_notebook(tmp_path: Path) -> None:
    # pinecone-io/examples' `.github/actions/run-notebook/run-notebook.py` executes the
    # changed notebooks to test them: two FALSE (one per nbclient import). A module of
    # the product that runs a notebook is reported once.
    runner = (
        "from nbclient import NotebookClient\n"
        "from nbclient.exceptions import CellExecutionError\n"
        "import nbformat\n\n"
        "nb = nbformat.read('n.ipynb', as_version=4)\n"
        "NotebookClient(nb).execute()\n"
    )
    files = {".github/actions/run-notebook/run-notebook.py": runner}
    assert findings(tmp_path / "ci", "TF1101", files) == []
    [found] = findings(tmp_path / "product", "TF1101", {"pipeline/run.py": runner})
    assert found.line == 6


def test_tf901_a_log_file_only_when_asked_for(tmp_path: Path) -> None:
    # openai/evals' `oaieval`: `logging.basicConfig(filename=args.log_to_file if
    # args.log_to_file else None)` logs to stderr unless `--log_to_file` is given: FALSE.
    code = (
        "import logging\n\n\ndef main(args):\n"
        "    logging.basicConfig(level=logging.INFO, filename={value})\n"
    )
    opt_in = "args.log_to_file if args.log_to_file else None"
    assert findings(tmp_path / "opt-in", "TF901", {"evals/cli.py": code.format(value=opt_in)}) == []
    [found] = findings(
        tmp_path / "always", "TF901", {"evals/cli.py": code.format(value="'run.log'")}
    )
    assert found.line == 5


def test_a_learn_folder_of_notebooks_is_a_course(tmp_path: Path) -> None:
    # pinecone-io/examples keeps its teaching notebooks in `learn/` and a tooling-only
    # pyproject at the root: read as an application, its tutorials' install cells,
    # demo buckets and notebook runner were twenty NOISE/FALSE findings.
    from tests.helpers import notebook

    files = {
        "README.md": "# Examples\n\nSample apps and notebooks to get hands-on.\n",
        "pyproject.toml": '[project]\nname = "examples"\nversion = "0"\n'
        'dependencies = ["ruff==0.6.9"]\n[tool.uv]\npackage = false\n',
        **{
            f"learn/search/{name}/{name}.ipynb": notebook("import os\n")
            for name in ("semantic", "hybrid", "rerank")
        },
        "learn/search/semantic/helper.py": "def show(x):\n    return x\n",
    }
    course = make_repo(tmp_path / "learn", files)
    assert inferred_kind(course) == "course"


# ------------------------------------------------------------------ set III (bd68795)


def test_tf206_a_setup_list_with_an_f_string_still_declares_the_rest(tmp_path: Path) -> None:
    # aimhubio/aim's `REQUIRED = [f"aim-ui=={__version__}", "tqdm>=4.20.0", "fastapi...",
    # ...]`: literal_eval failed on the f-string, the whole list was dropped and six
    # declared imports were reported (FALSE). An import the list lacks is still reported.
    setup = (
        "from setuptools import setup\n__version__ = '3.29.1'\n"
        "REQUIRED = [f'aimui=={__version__}', 'tqdm>=4.20.0', 'fastapi<1,>=0.69.0']\n"
        "setup(name='aimkit', version=__version__, packages=['aimkit'],\n"
        "      install_requires=REQUIRED)\n"
    )
    files = {
        "setup.py": setup,
        "requirements.txt": "-e .\n",
        "aimkit/__init__.py": "",
        "aimkit/web.py": "import fastapi\nimport tqdm\n",
    }
    assert findings(tmp_path / "declared", "TF206", files) == []
    files["aimkit/web.py"] += "import sqlalchemy\n"
    [found] = findings(tmp_path / "missing", "TF206", files)
    assert "`sqlalchemy`" in found.message


def test_tf301_a_variables_own_name_in_dunders(tmp_path: Path) -> None:
    # aim's `AIM_RT_BEARER_TOKEN = '__AIM_RT_BEARER_TOKEN__'`, beside the variables its
    # config reads with os.environ: an error, FALSE.
    code = (
        "import os\n\n"
        "AIM_SERVER_BASE_PATH = '__AIM_SERVER_BASE_PATH__'\n"
        "AIM_RT_BEARER_TOKEN = '__AIM_RT_BEARER_TOKEN__'\n"
        "token = os.environ.get(AIM_RT_BEARER_TOKEN)\n"
    )
    assert findings(tmp_path, "TF301", {"aim/transport/config.py": code}) == []


def test_tf902_a_notebook_magics_prints_are_its_output(tmp_path: Path) -> None:
    # aim's `%aim up` line magic prints "Launching Aim ..." and the status of the runs it
    # syncs into the notebook: FALSE. The same prints in a library module that registers
    # no magic are still reported.
    magic = (
        "import IPython.display\n\n\n"
        "def sync(runs):\n"
        "    for run in runs:\n"
        "        print(f'syncing {run}')\n"
        "    print('done')\n\n\n"
        "def load_ipython_extension(ipython):\n"
        "    ipython.register_magic_function(sync, magic_name='aim')\n"
    )
    files = {"aimkit/__init__.py": "", "aimkit/notebook.py": magic}
    assert _in_a_library(tmp_path / "magic", "TF902", files) == []
    files["aimkit/notebook.py"] = (
        magic.split("\n\n\ndef load_ipython_extension", maxsplit=1)[0] + "\n"
    )
    assert _in_a_library(tmp_path / "plain", "TF902", files) == ["aimkit/notebook.py"]


def test_tf1002_a_sub_project_collects_its_tests_with_its_own_config(tmp_path: Path) -> None:
    # infiniflow/ragflow: `sdk/python/pyproject.toml` and `agent/sandbox/tests/pytest.ini`
    # configure pytest for their own folders; judged against the root's `testpaths =
    # ["test"]`, nine were FALSE. A module no configuration collects is still reported.
    test = "def test_chunk():\n    assert chunk('a b') == ['a', 'b']\n"
    files = {
        "pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["test"]\n',
        "test/test_api.py": "def test_api():\n    assert True\n",
        "sdk/python/pyproject.toml": '[project]\nname = "ragsdk"\nversion = "1"\n'
        '[tool.pytest.ini_options]\ntestpaths = ["test"]\n',
        "sdk/python/test/test_client.py": test,
        "agent/sandbox/tests/pytest.ini": "[pytest]\naddopts = -q\n",
        "agent/sandbox/tests/test_runner.py": test,
    }
    assert findings(tmp_path / "own", "TF1002", files) == []
    files["rag/flow/tests/test_chunker.py"] = test
    # danswer's `backend/tests/integration/common_utils/chat.py` under `backend/pytest.ini`:
    # the sub-project's own patterns do not collect it (TRUE, still reported).
    files["sdk/python/test/common_utils.py"] = test
    found = findings(tmp_path / "stray", "TF1002", files)
    assert sorted(f.path for f in found) == [
        "rag/flow/tests/test_chunker.py",
        "sdk/python/test/common_utils.py",
    ]


def test_tf302_a_vite_projects_mode_files(tmp_path: Path) -> None:
    # ragflow's `web/.env` (`PORT=9222`, `VITE_DEFAULT_LANGUAGE_CODE=en`) beside its
    # `vite.config.ts`: an error, FALSE (and its `.env.development`, `.env.production`).
    # A token in one, or a `.env` with no Vite beside it, is still reported.
    files = {
        "web/vite.config.ts": "export default {}\n",
        "web/.env": "PORT=9222\nVITE_DEFAULT_LANGUAGE_CODE=en\n",
        "web/.env.production": "VITE_BASE_URL='/'\nAPI_PROXY_SCHEME='python'\n",
    }
    assert findings(tmp_path / "vite", "TF302", files) == []
    files["web/.env"] += "OPENAI_API_KEY=sk-proj-Xk29fLmQ8vRt3NzPw7Ys4BhJd2Ka6Wq1\n"
    files["api/.env"] = "PORT=9380\n"
    found = findings(tmp_path / "token", "TF302", files)
    assert sorted(f.path for f in found) == ["api/.env", "web/.env"]


def test_tf504_an_npmrc_of_settings_only(tmp_path: Path) -> None:
    # ragflow's `COPY web/.npmrc` copies `engine-strict=true` and a registry mirror: two
    # errors, FALSE. An `.npmrc` with an `_authToken` is still a secrets file.
    dockerfile = "FROM node:20.11-alpine\nCOPY web/.npmrc web/package.json /app/\n"
    files = {
        "Dockerfile": dockerfile,
        "web/.npmrc": "engine-strict=true\nregistry=https://registry.npmmirror.com/\n",
        "web/package.json": "{}\n",
    }
    assert findings(tmp_path / "settings", "TF504", files) == []
    # (A token read from a variable, `_authToken=${NPM_TOKEN}`, is none: twenty-second
    # session, set W.)
    files["web/.npmrc"] += (
        "//registry.npmjs.org/:_authToken=npm_Q8x2Lr7Vb3Nc9Tz4Yw6Pk1Hd5Js0Mf2Ga7\n"
    )
    [found] = findings(tmp_path / "token", "TF504", files)
    assert "web/.npmrc" in found.message


def test_tf505_packages_a_command_prints(tmp_path: Path) -> None:
    # ragflow: `pip install $(grep -ivE "mpi4py" requirements.txt)` was read as the
    # packages `mpi4py` (the one it leaves out) and `requirements.txt)`: FALSE.
    dockerfile = (
        "FROM python:3.11.9-slim\nCOPY requirements.txt .\n"
        'RUN pip install $(grep -ivE "mpi4py" requirements.txt)\n'
    )
    files = {"Dockerfile": dockerfile, "requirements.txt": "numpy==2.1.0\n"}
    assert findings(tmp_path, "TF505", files) == []


# ------------------------------------------------------------------ set JJJ (c478062)


def test_a_model_release_with_demo_scripts_is_research(tmp_path: Path) -> None:
    # THUDM/ChatGLM2-6B: the README opens with its papers and the weights' page on the
    # Hub; `api.py` and `web_demo.py` demo the model by hand. Read as an application (its
    # `api.py` serves), ten findings were NOISE (no tests, no CI, prints in demos).
    files = {
        "README.md": "# ChatGLM9\n\n<a href='https://huggingface.co/THUDM/chatglm9-6b'>HF Repo</a>"
        " <a href='https://arxiv.org/abs/2210.02414'>[GLM@ICLR 23]</a>\n",
        "requirements.txt": "transformers==4.30.2\n",
        "api.py": "from fastapi import FastAPI\napp = FastAPI()\n",
        "web_demo.py": "import gradio as gr\n",
        "cli_demo.py": "print('hello')\n",
    }
    release = make_repo(tmp_path / "release", files)
    assert inferred_kind(release) == "research"
    files[".github/workflows/deploy.yml"] = (
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - run: docker build -t api .\n"
    )
    service = make_repo(tmp_path / "service", files)
    assert inferred_kind(service) == "application"


def test_tf302_tf504_an_env_file_of_comments_only(tmp_path: Path) -> None:
    # mlrun/mlrun's `dockerfiles/jupyter/mlrun.env` is all comments (`# V3IO_ACCESS_KEY=
    # <access-key>`), a template its image copies for users to fill in: TF302 (error)
    # and TF504, both FALSE. One uncommented key makes it an env file again.
    template = "# remote MLRun service address\n# MLRUN_DBPATH=https://mlrun-api.<cluster>\n"
    files = {
        "dockerfiles/jupyter/mlrun.env": template,
        "dockerfiles/jupyter/Dockerfile": "FROM python:3.11.9-slim\n"
        "COPY ./dockerfiles/jupyter/mlrun.env /home/jovyan/mlrun.env\n",
    }
    assert findings(tmp_path / "comments", ["TF302", "TF504"], files) == []
    files["dockerfiles/jupyter/mlrun.env"] = template + "V3IO_ACCESS_KEY=a3f9e1c2-7b44-4d0e\n"
    found = findings(tmp_path / "key", ["TF302", "TF504"], files)
    assert sorted(f.code for f in found) == ["TF302", "TF504"]


def test_tf301_a_camel_case_field_name(tmp_path: Path) -> None:
    # mlrun's `"access_key": "accessKey"` (a field name mapped to a secret key's name)
    # and `access_key = "accessKey"` (an enum member): two errors, FALSE.
    code = (
        "class AuthMode:\n    access_key = 'accessKey'\n\n"
        "FIELDS = {'access_key': 'accessKey', 'secret_key': 'secretAccessKey'}\n"
    )
    assert findings(tmp_path, "TF301", {"mlrun/schemas/secret.py": code}) == []


def test_tf902_a_function_that_relays_or_documents(tmp_path: Path) -> None:
    # mlrun's `watch_log` relays a run's log and `doc()` prints a function's doc: FALSE.
    code = (
        "import logging\n\nlogger = logging.getLogger(__name__)\n\n\n"
        "def {name}(run):\n    for line in run.lines():\n        print(line)\n"
        "    logger.info('done')\n"
    )
    for name in ("watch_log", "doc"):
        files = {"mlrun/__init__.py": "", "mlrun/runs.py": code.format(name=name)}
        assert _in_a_library(tmp_path / name, "TF902", files) == [], name
    files = {"mlrun/__init__.py": "", "mlrun/runs.py": code.format(name="train")}
    assert _in_a_library(tmp_path / "train", "TF902", files) == ["mlrun/runs.py"]


def test_tf804_a_composite_actions_sync_takes_its_callers_flags(tmp_path: Path) -> None:
    # docling-project/docling's setup action runs `uv sync ${{ inputs.uv_sync_args }}`;
    # every caller passes `--frozen`: FALSE.
    action = (
        "name: setup\ninputs:\n  uv_sync_args:\n    default: ''\nruns:\n  using: composite\n"
        "  steps:\n    - run: uv sync ${{ inputs.uv_sync_args }}\n      shell: bash\n"
    )
    files = {
        "pyproject.toml": '[project]\nname = "doc2"\nversion = "1"\n',
        "uv.lock": "version = 1\n",
        ".github/actions/setup/action.yml": action,
        ".github/workflows/ci.yml": "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-24.04\n"
        "    steps:\n      - uses: ./.github/actions/setup\n        with:\n"
        "          uv_sync_args: --frozen\n      - run: uv run --frozen pytest\n",
    }
    assert findings(tmp_path / "frozen", "TF804", files) == []
    # Chainlit's callers pass `--extra tests`: its action's sync is still reported (TRUE).
    files[".github/workflows/ci.yml"] = files[".github/workflows/ci.yml"].replace(
        "uv_sync_args: --frozen", "uv_sync_args: --extra tests"
    )
    [found] = findings(tmp_path / "extras", "TF804", files)
    assert found.path == ".github/actions/setup/action.yml"


def test_tf301_an_examples_key_and_a_tests_temporary_aws_pair(tmp_path: Path) -> None:
    # infiniflow/ragflow's `example/sdk/dataset_example.py` passes the project's sample
    # key, and datarobot's unit test holds an STS pair (`ASIA...`, expired): three errors,
    # FALSE or NOISE. Warnings now; the same key in the product is still an error.
    key = 'API_KEY = "ragflow-Xk29fLmQ8vRt3NzPw7Ys4BhJd2Ka6Wq1Ee0T"\n'
    aws = (
        'CREDS = {"aws_access_key_id": "ASIAY34FZKBOKMUTVV7A",\n'
        '         "aws_secret_access_key": "MILSf7bUeXv2oGb2hWQ7nVq3Xz8Lr4Tk9Pd6Yc1E"}\n'
    )
    files = {"example/sdk/dataset_example.py": key, "tests/unit/test_loading.py": aws}
    found = findings(tmp_path / "weak", "TF301", files)
    assert found and all(f.severity is Severity.WARNING for f in found)
    [error] = findings(tmp_path / "product", "TF301", {"ragflow/client.py": key})
    assert error.severity is Severity.WARNING and error.message.endswith("'")
