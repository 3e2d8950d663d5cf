"""Look-alikes from the seventh session's review of the real corpus: classes judged
NOISE or FALSE across several repositories, each with the violation it must still find."""

from __future__ import annotations

from pathlib import Path

from twelvefold.config import Config

from tests.helpers import check, findings, make_repo

# A desktop or Colab app's worker: its prints are the console the user watches.
_WORKER = (
    "import time\n\n\n"
    "def worker(task):\n"
    "    started = time.time()\n"
    "    print(f'[Worker] processing {task}')\n"
    "    result = task.run()\n"
    "    print(f'[Worker] done in {time.time() - started:.2f}s')\n"
    "    return result\n"
)


def test_tf902_a_package_with_no_log_stream_and_no_service(tmp_path: Path) -> None:
    # Fooocus-like `modules/`, a paper's `sgm/`, a thesis' `encoder/`: no module of the
    # package logs or serves requests, so its prints are console output (NOISE on 35).
    files = {
        "app/__init__.py": "",
        "app/async_worker.py": _WORKER,
        "app/config.py": "import os\n\nPATH = os.environ.get('APP_PATH', '.')\n",
    }
    assert findings(tmp_path / "console", "TF902", files) == []
    # A library's prints land in its users' processes, logging or not: reported.
    [finding] = _with_kind(tmp_path / "library", "TF902", "library", files)
    assert finding.path == "app/async_worker.py"
    # The same module in a package whose other modules log: the prints bypass that stream.
    files["app/log.py"] = "import logging\n\nlogger = logging.getLogger('app')\n"
    [finding] = findings(tmp_path / "logging", "TF902", files)
    assert finding.path == "app/async_worker.py" and "package module" in finding.message


def test_tf902_a_package_that_serves_requests(tmp_path: Path) -> None:
    # LibreTranslate: no module logs, but `app.py` is a Flask service and `cache.py`
    # swallows its errors with print: the server's only record (TRUE).
    files = {
        "translate/__init__.py": "",
        "translate/app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "translate/cache.py": _WORKER,
    }
    [finding] = findings(tmp_path / "service", "TF902", files)
    assert finding.path == "translate/cache.py"
    # A web framework only in a sibling package does not make this one a service.
    files = {
        "translate/__init__.py": "",
        "translate/cache.py": _WORKER,
        "web/__init__.py": "",
        "web/app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
    }
    assert findings(tmp_path / "sibling", "TF902", files) == []


def test_tf902_a_src_layout_package_with_a_logger(tmp_path: Path) -> None:
    files = {
        "src/churn/__init__.py": "",
        "src/churn/steps.py": _WORKER,
        "src/churn/utils/__init__.py": "",
        "src/churn/utils/logs.py": "from loguru import logger\n",
    }
    [finding] = findings(tmp_path, "TF902", files)
    assert finding.path == "src/churn/steps.py"


# ------------------------------------------------------------------ TF206 lazy imports

_VISUALIZER = (
    "import numpy as np\n\n\n"
    "class Visualizer:\n"
    "    def __init__(self, opt):\n"
    "        if opt.tf_log:\n"
    "            import tensorflow as tf\n\n"
    "            self.writer = tf.summary.FileWriter(opt.log_dir)\n"
)


def _with_kind(root: Path, code: str | list[str], kind: str | None, files: dict[str, str]) -> list:
    make_repo(root, files)
    select = [code] if isinstance(code, str) else code
    return check(root, config=Config(kind=kind, select=select)).findings


def test_tf206_a_research_repositorys_function_level_import_is_an_optional_backend(
    tmp_path: Path,
) -> None:
    # Bringing-Old-Photos' `--tf_log`, improved-diffusion's tensorboard logger: imported
    # inside the function that uses the backend, only when asked for (FALSE on 4).
    files = {"requirements.txt": "numpy==1.26.4\n", "util/visualizer.py": _VISUALIZER}
    assert _with_kind(tmp_path / "research", "TF206", "research", files) == []
    # In an application the same import runs in its normal flow: still reported.
    [finding] = _with_kind(tmp_path / "app", "TF206", "application", files)
    assert "`tensorflow`" in finding.message
    # A module-level import in a research repository is required: reported.
    files["util/visualizer.py"] = "import tensorflow as tf\n" + _VISUALIZER
    assert len(_with_kind(tmp_path / "top", "TF206", "research", files)) == 1


# ------------------------------------------------------------------ TF201 Colab courses

_COLAB_NOTEBOOK = (
    '{"cells": [{"cell_type": "markdown", "metadata": {}, "source": ['
    '"<a href=\\"https://colab.research.google.com/github/x/y/blob/main/00.ipynb\\">Open in Colab</a>"]},'
    ' {"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [],'
    ' "source": ["import torch\\n", "print(torch.__version__)"]}],'
    ' "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
)
_LOCAL_NOTEBOOK = _COLAB_NOTEBOOK.replace("colab.research.google.com", "example.org")


def test_tf201_a_course_of_colab_notebooks_declares_its_environment_by_colab(
    tmp_path: Path,
) -> None:
    # mrdbourke/pytorch-deep-learning: 57 notebooks, 51 with "Open in Colab", 7 helper
    # modules, no manifest: NOISE at error severity.
    files = {
        "00_fundamentals.ipynb": _COLAB_NOTEBOOK,
        "01_workflow.ipynb": _COLAB_NOTEBOOK,
        "02_classification.ipynb": _COLAB_NOTEBOOK,
        "helper_functions.py": "import torch\n\n\ndef accuracy(a, b):\n    return (a == b).float().mean()\n",
    }
    assert findings(tmp_path / "colab", "TF201", files) == []
    # The same notebooks without Colab: they run in an environment nobody declared.
    local = {**files, **{name: _LOCAL_NOTEBOOK for name in files if name.endswith(".ipynb")}}
    assert len(findings(tmp_path / "local", "TF201", local)) == 1
    # Colab notebooks beside more modules than notebooks: the modules are the code.
    modules = {f"src/step{i}.py": "import pandas\n" for i in range(4)}
    assert len(findings(tmp_path / "code", "TF201", {**files, **modules})) == 1


# ------------------------------------------------------------------ vendored code

_UPSTREAM_REQUIREMENTS = "torch>=1.7\ntimm\n"
_UPSTREAM_DOCKERFILE = (
    "FROM nvcr.io/nvidia/pytorch:21.02-py3\nRUN pip install timm\nCMD python run.py\n"
)


def test_a_folder_with_a_license_of_its_own_is_vendored_code(tmp_path: Path) -> None:
    # sd-webui-controlnet's `annotator/midas/LICENSE`, `annotator/zoe/.../midas_repo/`:
    # upstream repositories copied in, with their requirements and Dockerfile (9 NOISE).
    upstream = {
        "annotator/__init__.py": "",
        "annotator/midas/LICENSE": "MIT License\n",
        "annotator/midas/__init__.py": "",
        "annotator/midas/api.py": _WORKER,
        "annotator/midas/models/repo/requirements.txt": _UPSTREAM_REQUIREMENTS,
        "annotator/midas/models/repo/Dockerfile": _UPSTREAM_DOCKERFILE,
        "annotator/log.py": "import logging\n\nlogger = logging.getLogger('annotator')\n",
        "requirements.txt": "numpy==1.26.4\n",
    }
    codes = ["TF202", "TF505", "TF902"]
    assert findings(tmp_path / "vendored", codes, upstream) == []
    # The same folder without its own license is the project's own code.
    own = {path: text for path, text in upstream.items() if not path.endswith("LICENSE")}
    assert sorted(f.code for f in findings(tmp_path / "own", codes, own)) == [
        "TF202",
        "TF505",
        "TF902",
    ]
    # A licensed folder with its own project files is a sub-project (a monorepo's
    # service with its LICENSE and requirements), not a copy.
    project = {**own, "annotator/midas/LICENSE": "MIT\n", "annotator/midas/requirements.txt": "x\n"}
    found = findings(tmp_path / "project", codes, project)
    assert "annotator/midas/models/repo/Dockerfile" in [f.path for f in found]


def test_secrets_in_vendored_code_are_still_reported(tmp_path: Path) -> None:
    files = {
        "third/LICENSE": "MIT\n",
        "third/client.py": "API_KEY = 'sk-proj-9aQ2xV7mK4pL8nR3tW6yZ1bC5dF0gH2j'\n",
    }
    [finding] = findings(tmp_path, "TF301", files)
    assert finding.path == "third/client.py"


# ------------------------------------------------------------------ host extensions

_A1111_INSTALL = (
    "import launch\n\n"
    "if not launch.is_installed('mediapipe'):\n"
    "    launch.run_pip('install mediapipe', 'requirements for ControlNet')\n"
)
_EXTENSION_API = (
    "from fastapi import FastAPI\n\n\n"
    "def controlnet_api(_, app: FastAPI):\n"
    "    @app.post('/controlnet/detect')\n"
    "    async def detect(payload: dict):\n"
    "        return {'images': []}\n"
)


def test_an_extension_runs_in_its_hosts_environment(tmp_path: Path) -> None:
    # A1111 web UI extension: the host provides torch/transformers and serves its routes.
    files = {
        "install.py": _A1111_INSTALL,
        "requirements.txt": "mediapipe>=0.10\n",
        "scripts/api.py": _EXTENSION_API,
        "annotator/__init__.py": "",
        "annotator/clip.py": "from transformers import CLIPVisionModel\n",
    }
    codes = ["TF202", "TF206", "TF1201"]
    # Inferred: a library (its requirements are ranges the host resolves) with a host.
    assert _with_kind(tmp_path / "extension", codes, None, files) == []
    # Whatever kind the settings say, the host provides the environment and the server.
    assert [f.code for f in findings(tmp_path / "set", codes, files)] == ["TF202"]
    # The same code without the host's marker is an application of its own.
    files["install.py"] = "import subprocess\n\nsubprocess.run(['pip', 'install', 'mediapipe'])\n"
    assert sorted(f.code for f in findings(tmp_path / "app", codes, files)) == [
        "TF1201",
        "TF202",
        "TF206",
    ]


def test_a_comfyui_node_pack_is_an_extension(tmp_path: Path) -> None:
    files = {
        "__init__.py": "from .nodes import Upscale\n\nNODE_CLASS_MAPPINGS = {'Upscale': Upscale}\n",
        "nodes.py": "import torch\nimport comfy.utils\n\n\nclass Upscale:\n    pass\n",
        "requirements.txt": "einops\n",
    }
    assert findings(tmp_path, ["TF206"], files) == []


# ------------------------------------------------------------------ TF301


def test_tf301_a_password_that_names_itself_one_is_a_demo_account(tmp_path: Path) -> None:
    # evidently's examples/service/postgres_config.yaml: the compose file's own account.
    files = {
        "service/config.yaml": "database:\n"
        "  url: postgresql://evidently_user:evidently_password@postgres:5432/evidently\n",
        "service/prod.yaml": "database:\n  url: postgresql://svc:Xk8pq2Lm9zQ4wR7t@db.internal:5432/app\n",
    }
    [finding] = findings(tmp_path, "TF301", files)
    assert finding.path == "service/prod.yaml"


def test_tf301_an_event_ingestion_key_ships_in_every_client(tmp_path: Path) -> None:
    # iterative-telemetry's Jitsu key (evidently, DVC, MLEM): write-only, public by design.
    files = {
        "src/lib/telemetry.py": 'TOKEN = "s2s.5xmxpip2ax4ut5rrihfjhb.uqcoh71nviknmzp77ev6rd"\n',
        "src/lib/client.py": 'TOKEN = "t0k.5xmxpip2ax4ut5rrihfjhb.uqcoh71nviknmzp77ev6rd"\n',
    }
    [finding] = findings(tmp_path, "TF301", files)
    assert finding.path == "src/lib/client.py"


def test_a_licensed_folder_over_its_own_service_is_a_project(tmp_path: Path) -> None:
    # A book chapter's `mlewp2-web-service/LICENSE` over `app/Dockerfile` and
    # `app/requirements.txt`: the chapter's own service, not a copy (3 TRUE kept).
    files = {
        "web-service/LICENSE": "MIT\n",
        "web-service/app/requirements.txt": "flask\n",
        "web-service/app/Dockerfile": "FROM python:3.11-slim\nCOPY . .\n"
        'RUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n',
    }
    assert sorted(f.code for f in findings(tmp_path, ["TF202", "TF505"], files)) == [
        "TF202",
        "TF505",
    ]
