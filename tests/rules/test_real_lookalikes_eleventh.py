"""Look-alikes from the corpus's largest remaining FALSE/NOISE classes and held-out set SS
(judged on aed9cbc): each class judged FALSE or NOISE there, self-written, with the
violation the rule must still find."""

from __future__ import annotations

from pathlib import Path

from twelvefold.config import Config
from twelvefold.model import Finding, Severity

from tests.helpers import check, findings, inferred_kind, make_repo, notebook

# --------------------------------------------------------------------------- kind


def _inferred(root: Path, code: str) -> list[Finding]:
    """`code`'s findings with the kind inferred, as the CLI runs."""
    return check(root, config=Config(select=[code])).findings


_SECRET_SCAN = (
    "on:\n  push:\n\nname: Secret Leaks\n\njobs:\n  trufflehog:\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - name: Checkout code\n        uses: actions/checkout@v4\n"
    "      - name: Secret Scanning\n        uses: trufflesecurity/trufflehog@main\n"
)
_DATA_STEP = (
    "import datasets\n\n"
    'ds = datasets.load_from_disk("s3://team-datasets/web_docs/shard_0")\n'
    'ds.save_to_disk("s3://team-datasets/web_docs_dedup/shard_0")\n'
)


def _slurm_monorepo() -> dict[str, str]:
    files = {
        "README.md": "# Small models\n\nThe training configs and data recipes behind our models.\n",
        ".github/workflows/trufflehog.yml": _SECRET_SCAN,
        "text/pretraining/train.slurm": "#!/bin/bash\n#SBATCH --nodes=8\nsrun python train.py\n",
        "text/pretraining/train.py": "import torch\n",
        "vision/m4/__init__.py": "",
        "vision/m4/models.py": "import torch\n",
    }
    # Past the file counts that make unpackaged scripts research by size alone.
    for number in range(70):
        files[f"vision/data/python_scripts/{number:02d}_step.py"] = _DATA_STEP
    return files


def test_jobs_launched_on_a_slurm_cluster_are_research(tmp_path: Path) -> None:
    # huggingface/smollm: 428 training and data-prep scripts run with `sbatch` on the
    # team's cluster, package folders but no packaging, a CI that only scans for
    # secrets. Read as an application, its archival data steps' buckets were 104 TF401
    # NOISE. Slurm launchers and nothing that builds or ships make it research.
    files = _slurm_monorepo()
    root = make_repo(tmp_path / "slurm", files)
    assert inferred_kind(root) == "research"
    assert _inferred(root, "TF401") == []
    # A workflow that runs a command checks the code: the same tree is an application,
    # whose hard-coded buckets are reported.
    files[".github/workflows/trufflehog.yml"] = _SECRET_SCAN + "      - run: pytest\n"
    root = make_repo(tmp_path / "tested", files)
    assert inferred_kind(root) == "application"
    assert _inferred(root, "TF401") != []
    # So is one without Slurm jobs, once it keeps development tooling (without any, its
    # package folders run by hand are research all the same).
    files = _slurm_monorepo()
    del files["text/pretraining/train.slurm"]
    files["requirements-dev.txt"] = "pytest==8.3.3\n"
    assert inferred_kind(make_repo(tmp_path / "no-slurm", files)) == "application"


_WORKBENCH = (
    "FROM nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04\n"
    "RUN apt-get update && apt-get install -y python3 python3-pip\n"
    "COPY requirements.txt .\nRUN pip install -r requirements.txt\n"
    "COPY . .\n"
    'CMD ["bash"]\n'
)


def test_an_image_that_starts_a_shell_is_a_workbench(tmp_path: Path) -> None:
    # huggingface/transfer-learning-conv-ai: a NeurIPS entry's scripts with a contributed
    # Dockerfile that copies the code and drops into bash. Its TF506 (no deploy manifest)
    # was FALSE: nothing is deployed from an image whose command is a shell.
    files = {
        "README.md": "# ConvAI2 entry (NeurIPS 2018)\n\n`python train.py`, then `python interact.py`.\n",
        "Dockerfile": _WORKBENCH,
        "requirements.txt": "torch\ntransformers==2.5.1\n",
        "train.py": "import torch\n",
        "interact.py": "import torch\n",
        "utils.py": "import torch\n",
        "convai_evaluation.py": "import torch\n",
    }
    assert inferred_kind(make_repo(tmp_path / "shell", files)) == "research"
    # An image that starts the code is what the repository ships.
    files["Dockerfile"] = _WORKBENCH.replace('CMD ["bash"]', 'CMD ["python3", "interact.py"]')
    assert inferred_kind(make_repo(tmp_path / "app", files)) == "application"


# --------------------------------------------------------------------------- TF201


def test_tf201_requirements_files_named_for_their_environment(tmp_path: Path) -> None:
    # eugeneyan/python-collab-template pins its packages in `requirements.prod` and
    # `requirements.dev`, which the Makefile and the Dockerfile install with `pip install
    # -r`: "no dependency manifest" at error was FALSE.
    files = {
        "requirements.prod": "numpy==1.18.5\npandas==1.0.4\n",
        "requirements.dev": "pytest==5.4.3\nmypy==0.780\n",
        "Makefile": "setup:\n\tpip install -r requirements.dev\n\tpip install -r requirements.prod\n",
        "src/prep.py": "import numpy\nimport pandas\n",
    }
    root = make_repo(tmp_path / "named", files)
    assert check(root, select=["TF201"]).findings == []
    # pandas unpinned there is an unpinned requirement like any other.
    files["requirements.prod"] = "numpy==1.18.5\npandas\n"
    [finding] = check(make_repo(tmp_path / "loose", files), select=["TF202"]).findings
    assert finding.path == "requirements.prod"
    # A backup of a requirements file declares nothing.
    files = {"requirements.bak": "numpy==1.18.5\n", "src/prep.py": "import numpy\n"}
    [finding] = check(make_repo(tmp_path / "backup", files), select=["TF201"]).findings
    assert "no dependency manifest" in finding.message


# --------------------------------------------------------------------------- TF302


def test_tf302_an_env_file_of_empty_variables_is_a_warning(tmp_path: Path) -> None:
    # hiyouga/LLaMA-Factory commits `.env.local` ("just for reference") listing the
    # variables it reads, each empty: an error was FALSE. It stays a warning, since the
    # tracked name invites a filled-in copy; one value filled in is an error again.
    files = {
        ".env.local": "# Note: just for reference\nAPI_HOST=\nAPI_PORT=\nAPI_KEY=\n",
        "app.py": "import os\n\nHOST = os.environ['API_HOST']\n",
    }
    [finding] = findings(tmp_path / "empty", "TF302", files)
    assert finding.severity is Severity.WARNING and "every value is empty" in finding.message
    files[".env.local"] = "API_HOST=\nAPI_PORT=8000\nAPI_KEY=\n"
    [finding] = findings(tmp_path / "filled", "TF302", files)
    assert finding.severity is Severity.ERROR


# --------------------------------------------------------------------------- TF301

# Gemini CLI publishes its installed-app OAuth client in its source; clients of the same
# API copy both values verbatim. Split so that no scanner reads the file as a secret.
_GEMINI_CLI_SECRET = "GOCSPX-" + "4uHgMPm-1o7Sk-geV6Cu5clXFsxl"
_OWN_SECRET = "GOCSPX-" + "Qx7vN2kLp9RtW4mZb8YcJ3hF6sDa"


def test_tf301_a_credential_an_open_source_client_publishes(tmp_path: Path) -> None:
    # xtekky/gpt4free's GeminiCLI provider holds Gemini CLI's published OAuth client
    # secret: an error was FALSE. A project's own client secret is still an error.
    provider = (
        "class GeminiCLI:\n"
        '    OAUTH_CLIENT_ID = "681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j'
        '.apps.googleusercontent.com"\n'
        '    OAUTH_CLIENT_SECRET = "{secret}"\n'
    )
    files = {"g4f/provider.py": provider.format(secret=_GEMINI_CLI_SECRET)}
    assert findings(tmp_path / "published", "TF301", files) == []
    files = {"g4f/provider.py": provider.format(secret=_OWN_SECRET)}
    [finding] = findings(tmp_path / "own", "TF301", files)
    assert finding.severity is Severity.ERROR and _OWN_SECRET not in finding.message


# --------------------------------------------------------------------------- TF902

_LOGGING_MODULE = "import logging\n\nlogger = logging.getLogger(__name__)\n\n\n"


def _tf902(tmp_path: Path, name: str, body: str) -> list[Finding]:
    files = {"pkg/__init__.py": "", "pkg/core.py": _LOGGING_MODULE + body}
    return findings(tmp_path / name, "TF902", files)


def test_tf902_prints_on_the_way_out_of_a_failure(tmp_path: Path) -> None:
    # hyperopt's `tpe`/`anneal` dump arrays in an `if` right before the `assert` that
    # fails; LLaMA-Factory prints the parser's help before raising on unknown
    # arguments: NOISE and FALSE.
    assert_dump = (
        "def fit(mus, mus_orig):\n"
        "    if not (mus_orig == mus).all():\n"
        '        print("orig", mus_orig)\n'
        '        print("mus", mus)\n'
        "    assert (mus_orig == mus).all()\n"
        '    logger.info("fitted")\n'
    )
    assert _tf902(tmp_path, "assert", assert_dump) == []
    reraise = (
        "def encode(trial, bson):\n"
        "    try:\n"
        "        bson.encode(trial)\n"
        "    except Exception:\n"
        '        print("-" * 80)\n'
        '        print("CAN\'T ENCODE")\n'
        "        raise\n"
    )
    # An `except` that prints the error and re-raises it logs the failure through print
    # (presidio's and a service's were judged TRUE): still reported.
    [finding] = _tf902(tmp_path, "reraise", reraise)
    assert "2 calls" in finding.message
    usage = (
        "def parse(parser, args):\n"
        "    parsed, unknown = parser.parse_known_args(args)\n"
        "    if unknown:\n"
        "        print(parser.format_help())\n"
        '        print(f"Got unknown args: {unknown}")\n'
        '        raise ValueError(f"unused arguments: {unknown}")\n'
        "    return parsed\n"
    )
    assert _tf902(tmp_path, "usage", usage) == []
    # A hint printed before re-raising the error caught (langserve's `raise e` in a
    # `finally`, judged TRUE) logs the failure through print: reported.
    hint = (
        "def resolve(runnable):\n"
        "    try:\n"
        "        return runnable.schema()\n"
        "    except Exception as error:\n"
        "        caught = error\n"
        "    if caught:\n"
        '        print("Encountered an error while resolving the inputs.")\n'
        '        print("Try specifying the input type explicitly.")\n'
        "        raise caught\n"
    )
    [finding] = _tf902(tmp_path, "hint", hint)
    assert "2 calls" in finding.message
    # Status prints that go on to return are still log lines in a module that logs.
    status = (
        "def fit(mus, mus_orig):\n"
        '    print("fitting")\n'
        '    print("orig", mus_orig)\n'
        "    return mus\n"
    )
    [finding] = _tf902(tmp_path, "status", status)
    assert "2 calls" in finding.message


def test_tf902_debug_switch_main_process_and_demo_functions(tmp_path: Path) -> None:
    # gpt4free's `log_debug` prints under `os.getenv("DEBUG_MODE")` and its `demo()`
    # prints example results; LLaMA-Factory prints under `training_args.should_log`.
    body = (
        "import os\n\n\n"
        "def log_debug(message):\n"
        '    if os.getenv("DEBUG_MODE", "false").lower() == "true":\n'
        '        print(f"[DEBUG] {message}")\n'
        "    else:\n"
        "        logger.debug(message)\n\n\n"
        "def load(training_args, dataset):\n"
        "    if training_args.should_log:\n"
        '        print("training example:")\n'
        "        print(dataset[0])\n"
        "    return dataset\n\n\n"
        "async def demo(provider):\n"
        '    results = await provider.search("python", max_results=2)\n'
        '    print("Search results:", results)\n'
        '    print("done")\n'
    )
    assert _tf902(tmp_path, "switched", body) == []
    # A switch of another name is no verbosity switch.
    body = body.replace('"DEBUG_MODE"', '"REGION"').replace("should_log", "use_cache")
    body = body.replace("async def demo", "async def search_all")
    [finding] = _tf902(tmp_path, "unswitched", body)
    assert "5 calls" in finding.message


def test_tf902_an_aiohttp_client_is_no_web_service(tmp_path: Path) -> None:
    # gpt4free's providers import `aiohttp.ClientTimeout` to call other services: "a web
    # service module" named the wrong thing (FALSE). One print in a package module that
    # serves nothing is not reported; in an aiohttp server it is.
    client = (
        "from aiohttp import ClientSession\n\n\n"
        "async def ask(prompt):\n"
        "    async with ClientSession() as session:\n"
        '        reply = await session.post("https://example.org/api", json={"q": prompt})\n'
        '        print("answered")\n'
        "        return await reply.json()\n"
    )
    files = {"pkg/__init__.py": "", "pkg/provider.py": client}
    assert findings(tmp_path / "client", "TF902", files) == []
    files["pkg/provider.py"] = client.replace(
        "from aiohttp import ClientSession", "from aiohttp import ClientSession, web"
    )
    [finding] = findings(tmp_path / "server", "TF902", files)
    assert "web service module" in finding.message


# --------------------------------------------------------------------------- TF602


def test_tf602_a_bounded_ring_buffer_is_no_store(tmp_path: Path) -> None:
    # gpt4free's API keeps the last 250 requests in `deque(maxlen=250)` for its /logs
    # debug page (NOISE). An unbounded deque the handlers fill is still shared state.
    service = (
        "from collections import deque\n\nfrom fastapi import FastAPI\n\n"
        "app = FastAPI()\n"
        "_request_log = deque(maxlen=250)\n\n\n"
        '@app.post("/v1/chat")\n'
        "def chat(body: dict):\n"
        "    _request_log.append(body)\n"
        '    return {"ok": True}\n'
    )
    assert findings(tmp_path / "ring", "TF602", {"api.py": service}) == []
    unbounded = service.replace("deque(maxlen=250)", "deque()")
    [finding] = findings(tmp_path / "store", "TF602", {"api.py": unbounded})
    assert "_request_log" in finding.message


# --------------------------------------------------------------------------- TF703


def test_tf703_a_stdio_transport_and_a_client_awaiting_its_reply(tmp_path: Path) -> None:
    # gpt4free's MCP server reads JSON-RPC lines from stdin until its client closes the
    # pipe; its DevTools client loops on `ws.recv()` until its reply arrives, then
    # returns. Both were called server loops (FALSE).
    stdio = (
        "import sys\n\n\n"
        "class Server:\n"
        "    def run(self):\n"
        "        while True:\n"
        "            line = sys.stdin.readline()\n"
        "            if not line:\n"
        "                break\n"
        "            self.handle_request(line)\n"
    )
    client = (
        "import json\n\n\n"
        "class Client:\n"
        "    def call(self, method):\n"
        '        self.ws.send(json.dumps({"id": 1, "method": method}))\n'
        "        while True:\n"
        "            response = json.loads(self.ws.recv())\n"
        '            if response.get("id") == 1:\n'
        '                return response["result"]\n'
    )
    files = {"pkg/server.py": stdio, "pkg/cdp.py": client}
    assert findings(tmp_path / "peers", "TF703", files) == []
    # A socket server's accept loop is still one.
    files["pkg/server.py"] = (
        "import socket\n\n"
        "sock = socket.socket()\n"
        "while True:\n"
        "    conn, _ = sock.accept()\n"
        "    conn.close()\n"
    )
    [finding] = findings(tmp_path / "accept", "TF703", files)
    assert finding.path == "pkg/server.py"


# --------------------------------------------------------------------------- courses

_LESSON_IMAGE = "FROM python:3.11-slim\nRUN pip install pandas scikit-learn\nCMD python train.py\n"


def _course(images: int) -> dict[str, str]:
    files = {"README.md": "# MLOps course\n"}
    for number in range(1, 4):
        files[f"0{number}-lesson/notebook.ipynb"] = "{}"
        files[f"0{number}-lesson/train.py"] = "import pandas\n"
    for number in range(1, images + 1):
        files[f"0{number}-lesson/Dockerfile"] = _LESSON_IMAGE
    return files


def test_a_courses_lesson_images_are_one_tf505_finding_and_no_tf702(tmp_path: Path) -> None:
    # kubeflow/examples' 30 tutorial images each install the latest packages and start
    # in shell form: 30 TF505 and 3 TF702 NOISE. In a course they are one practice: one
    # TF505 finding at the first image listing the others, and no TF702.
    root = make_repo(tmp_path / "course", _course(3))
    assert inferred_kind(root) == "course"
    [finding] = _inferred(root, "TF505")
    assert finding.message.startswith("3 of the course's images install Python packages")
    assert finding.path == "01-lesson/Dockerfile"
    assert finding.files == ("02-lesson/Dockerfile", "03-lesson/Dockerfile")
    assert _inferred(root, "TF702") == []
    # One image is reported as it is.
    [finding] = _inferred(make_repo(tmp_path / "one", _course(1)), "TF505")
    assert finding.message.startswith("`pip install` of unpinned packages")
    # In an application each image is its own finding, and shell form is reported.
    app = {
        f"{service}/{name}": text
        for service in ("api", "trainer", "worker")
        for name, text in (("Dockerfile", _LESSON_IMAGE), ("train.py", "import pandas\n"))
    }
    app["docker-compose.yml"] = "services:\n  api:\n    build: api\n"
    root = make_repo(tmp_path / "app", app)
    assert inferred_kind(root) == "application"
    assert len(_inferred(root, "TF505")) == 3
    assert len(_inferred(root, "TF702")) == 3


def test_tf902_a_kserve_model_server_is_a_web_service(tmp_path: Path) -> None:
    # wikimedia's Lift Wing model servers subclass `kserve.Model` and fetch with aiohttp:
    # their prints are a service's logs (TRUE), whatever the HTTP client.
    server = (
        "import aiohttp\nimport kserve\n\n\n"
        "class ReferenceModel(kserve.Model):\n"
        "    def load(self):\n"
        '        print("Worker initialized")\n'
    )
    files = {"model_server/__init__.py": "", "model_server/model.py": server}
    [finding] = findings(tmp_path / "kserve", "TF902", files)
    assert "web service module" in finding.message


# --------------------------------------------------------------------------- TF206

_LIBRARY_SETUP = (
    "from setuptools import setup\n\n"
    'setup(name="fvcore", version="0.1.5", install_requires=["numpy", "pyyaml>=5.1"],\n'
    '      classifiers=["Programming Language :: Python :: 3"])\n'
)


def test_tf206_a_framework_a_librarys_readme_has_users_install(tmp_path: Path) -> None:
    # facebookresearch/fvcore leaves torch out of `install_requires` and says so:
    # "fvcore requires pytorch" (NOISE); torchtune's README installs PyTorch first.
    files = {
        "README.md": "# fvcore\n\n## Install\n\nfvcore requires pytorch and python >= 3.6.\n",
        "setup.py": _LIBRARY_SETUP,
        "fvcore/__init__.py": "",
        "fvcore/checkpoint.py": "import numpy\nimport torch\nimport yaml\n",
    }
    root = make_repo(tmp_path / "prerequisite", files)
    assert inferred_kind(root) == "library"
    assert _inferred(root, "TF206") == []
    # A README that only talks about PyTorch leaves torch undeclared.
    files["README.md"] = "# fvcore\n\nCommon pytorch layers, functions and losses.\n"
    [finding] = _inferred(make_repo(tmp_path / "mentioned", files), "TF206")
    assert "`torch`" in finding.message


# --------------------------------------------------------------------------- TF302, TF902 (TT)


def test_tf302_an_env_file_the_compose_services_share(tmp_path: Path) -> None:
    # OpenBMB/ChatDev's `.env.docker` (ports, the API's URL, CORS origins) is the
    # `env_file` of both compose services; `.env` itself is ignored. Its warning was FALSE.
    compose = (
        "services:\n  backend:\n    build: .\n    env_file: .env.docker\n"
        "  frontend:\n    build: frontend\n    env_file: .env.docker\n"
    )
    files = {
        "compose.yml": compose,
        ".env.docker": "BACKEND_PORT=6400\nVITE_API_BASE_URL=http://backend:6400\n",
        "server.py": "import os\n\nPORT = int(os.environ['BACKEND_PORT'])\n",
    }
    assert findings(tmp_path / "shared", "TF302", files) == []
    # A shared file holding a secret is still reported.
    files[".env.docker"] += "OPENAI_API_KEY=" + "sk-" + "proj-Xq7vN2kLp9RtW4mZb8YcJ3hF6sDa\n"
    [finding] = findings(tmp_path / "secret", "TF302", files)
    assert finding.path == ".env.docker"


def test_tf902_a_failure_printed_in_a_loop_is_still_reported(tmp_path: Path) -> None:
    # ChatDev's catalog prints "Failed to load metadata for {name}" in an `except` in
    # its loop (NOISE there), but the same shape was judged TRUE in six packages of the
    # corpus (LibreTranslate, GFPGAN, ragas, devika...): a failure each item may meet,
    # printed where the package logs. It stays reported.
    body = (
        "def refresh(manager):\n"
        "    for name, fn in manager.list_functions().items():\n"
        "        try:\n"
        "            manager.load(name)\n"
        "        except Exception as exc:\n"
        '            print(f"Failed to load metadata for {name}: {exc}")\n'
    )
    files = {
        "utils/__init__.py": "",
        "utils/catalog.py": body,
        "utils/log.py": "import logging\n\nlogging.getLogger(__name__).info('ready')\n",
    }
    [finding] = findings(tmp_path / "failure", "TF902", files)
    assert "1 call" in finding.message
    # Outside a loop, one print in a package module is no progress report.
    files["utils/catalog.py"] = body.replace(
        "    for name, fn in manager.list_functions().items():\n", "    name = 'x'\n    if True:\n"
    )
    assert findings(tmp_path / "once", "TF902", files) == []


# --------------------------------------------------------------------------- TF1004


def test_tf1004_a_random_string_joined_from_drawn_characters_names_something(
    tmp_path: Path,
) -> None:
    # fvcore's checkpoint test makes up keys with `"".join(random.choice(letters) for
    # i in range(100))` for a dummy object (FALSE). A drawn number used as data is
    # still reported (outside tests: a test's draws never are).
    module = (
        "import random\nimport string\n\nimport torch\n\n\n"
        "def random_handle(str_len=100):\n"
        "    letters = string.ascii_uppercase\n"
        '    return "".join(random.choice(letters) for i in range(str_len))\n'
    )
    files = {"pkg/__init__.py": "", "pkg/handles.py": module}
    assert findings(tmp_path / "name", "TF1004", files) == []
    files["pkg/handles.py"] = (
        module.replace(
            '"".join(random.choice(letters) for i in range(str_len))',
            "[random.choice(letters) for i in range(str_len)]",
        )
        + "\n\ndef fit(model, X, y):\n    model.fit(X, y)\n"
    )  # data a model trains on
    [finding] = findings(tmp_path / "data", "TF1004", files)
    assert "random.choice" in finding.message


# --------------------------------------------------------------------------- set UU


def test_tf902_django_migrations_are_admin_steps(tmp_path: Path) -> None:
    # khoj-ai/khoj's data migrations print their progress; `manage.py migrate` runs them
    # once per database (three FALSE "web service module" findings).
    migration = (
        "from django.db import migrations\n\n\n"
        "def migrate_assets(apps, schema_editor):\n"
        '    print("Migrating generated assets")\n'
        '    print("Done")\n\n\n'
        "class Migration(migrations.Migration):\n"
        "    operations = [migrations.RunPython(migrate_assets)]\n"
    )
    files = {"khoj/__init__.py": "", "khoj/database/migrations/0075_assets.py": migration}
    assert findings(tmp_path / "migration", "TF902", files) == []
    # The same prints in a module of the app's views are a service's log lines.
    files["khoj/views.py"] = migration
    [finding] = findings(tmp_path / "views", "TF902", files)
    assert finding.path == "khoj/views.py"


def test_tf1004_a_seeded_random_generator_counts_as_seeding(tmp_path: Path) -> None:
    # khoj's evals shuffle with `random.Random(DATASET_SEED)` when a seed is configured
    # and with `random.shuffle` otherwise: "nothing seeds it" was FALSE.
    evals = (
        "import os\nimport random\n\nimport numpy as np\n\n"
        'DATASET_SEED = os.getenv("DATASET_SEED")\n\n\n'
        "def choices(row):\n"
        "    options = list(row)\n"
        "    if DATASET_SEED is not None:\n"
        "        random.Random(DATASET_SEED).shuffle(options)\n"
        "    else:\n"
        "        random.shuffle(options)\n"
        "    return np.array(options)\n"
    )
    files = {"src/app/__init__.py": "", "src/app/evals.py": evals}
    assert findings(tmp_path / "seeded", "TF1004", files) == []
    files["src/app/evals.py"] = evals.replace("random.Random(DATASET_SEED)", "random.Random()")
    [finding] = findings(tmp_path / "unseeded", "TF1004", files)
    assert "random.shuffle" in finding.message


def test_tf1004_the_keras_fit_is_the_compiled_models(tmp_path: Path) -> None:
    # aws-samples' SageMaker workshop notebook fits a StandardScaler before it fits its
    # Keras model: the finding pointed at `scaler.fit(x_train)` (FALSE).
    module = (
        "import tensorflow as tf\nfrom sklearn.preprocessing import StandardScaler\n\n"
        "scaler = StandardScaler()\n"
        "scaler.fit(x_train)\n"
        "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
        'model.compile(optimizer="adam", loss="mse")\n'
        "model.fit(x_train, y_train, epochs=10)\n"
    )
    [finding] = findings(tmp_path / "keras", "TF1004", {"train.py": module})
    assert finding.line == 8
    # A module whose only fit is a scaler's trains no Keras model.
    module = module.replace("model.fit(x_train, y_train, epochs=10)\n", "")
    assert findings(tmp_path / "scaler", "TF1004", {"train.py": module}) == []


def test_tf301_a_codecov_token_in_a_workflow_step(tmp_path: Path) -> None:
    # skops-dev/skops commits its Codecov upload token in the codecov-action step, with
    # a comment citing codecov-action#837: an error was NOISE. A token given to any
    # other step is still an error.
    token = "2b8d4d69-" + "6de6-4e1d-840a-5ccf9d849565"
    workflow = (
        "name: test\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - name: Upload coverage\n"
        "        uses: codecov/codecov-action@v3\n"
        "        with:\n"
        "          files: ./coverage.xml\n"
        "          # uploaded with or without a token; this only helps with some errors\n"
        f"          token: {token}\n"
        "      - run: pytest\n"
    )
    files = {".github/workflows/test.yml": workflow}
    [finding] = findings(tmp_path / "codecov", "TF301", files)
    assert finding.severity is Severity.WARNING and "Codecov upload token" in finding.message
    files[".github/workflows/test.yml"] = workflow.replace(
        "uses: codecov/codecov-action@v3", "uses: acme/deploy-action@v1"
    )
    [finding] = findings(tmp_path / "deploy", "TF301", files)
    assert finding.severity is Severity.WARNING and finding.message.endswith("'")


def test_tf206_a_hugging_face_spaces_sdk(tmp_path: Path) -> None:
    # skops' model-card Space runs on `sdk: streamlit` (`sdk_version: 1.17.0`), which the
    # Space's runtime installs: "streamlit is declared nowhere" was FALSE.
    readme = "---\ntitle: Model Card Creator\nsdk: streamlit\nsdk_version: 1.17.0\n---\n"
    files = {
        "pyproject.toml": '[project]\nname = "cards"\nversion = "0"\ndependencies = ["pandas"]\n',
        "spaces/creator/README.md": readme,
        "spaces/creator/app.py": "import pandas\nimport streamlit as st\n",
    }
    assert findings(tmp_path / "space", "TF206", files) == []
    files["spaces/creator/README.md"] = "# Model Card Creator\n"
    [finding] = findings(tmp_path / "plain", "TF206", files)
    assert "`streamlit`" in finding.message


# --------------------------------------------------------------------------- set VV


def test_tf302_and_tf504_an_env_file_of_settings_the_scripts_source(tmp_path: Path) -> None:
    # serge-chat/serge keeps `scripts/serge.env` (a Python version, two IPv4/IPv6
    # switches), which `deploy.sh` sources and the Dockerfile copies: TF302 and two TF504
    # at error were FALSE. TF302 reads it; TF504 cannot, and warns.
    files = {
        "scripts/serge.env": "LLAMA_PYTHON_VERSION=0.3.5\nSERGE_ENABLE_IPV4=true\n",
        "scripts/deploy.sh": "#!/bin/bash\nset -x\nsource serge.env\nexec hypercorn app:app\n",
        "Dockerfile": "FROM python:3.11-slim\nCOPY scripts/serge.env /usr/src/app/serge.env\n",
        "app.py": "import os\n\nVERSION = os.environ['LLAMA_PYTHON_VERSION']\n",
    }
    assert findings(tmp_path / "sourced", "TF302", files) == []
    [finding] = findings(tmp_path / "image", "TF504", files)
    assert finding.severity is Severity.WARNING and "named env file" in finding.message
    # A `.env` copied into the image is still an error, and an env file no script
    # sources is still reported when committed.
    files["Dockerfile"] = "FROM python:3.11-slim\nCOPY .env /usr/src/app/.env\n"
    [finding] = findings(tmp_path / "dotenv", "TF504", files)
    assert finding.severity is Severity.ERROR
    files["scripts/deploy.sh"] = "#!/bin/bash\nexec hypercorn app:app\n"
    [finding] = findings(tmp_path / "unsourced", "TF302", files)
    assert finding.path == "scripts/serge.env"


def test_tf1002_a_test_passed_to_pytest_from_a_working_directory(tmp_path: Path) -> None:
    # serge's model health check runs as `pytest test/healthcheck_models.py` with
    # `working-directory: ./api` (FALSE "never runs").
    workflow = (
        "name: model-check\non: push\njobs:\n  check:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: actions/checkout@v4\n"
        "      - working-directory: ./api\n"
        "        run: python -m pytest test/healthcheck_models.py\n"
        "      - working-directory: ./api\n"
        "        run: python -m pytest test/unit\n"
    )
    check_module = "def test_models_are_reachable():\n    assert True\n"
    files = {
        ".github/workflows/model-check.yml": workflow,
        "api/test/healthcheck_models.py": check_module,
        "api/test/unit/test_app.py": "def test_app():\n    assert True\n",
        "api/app.py": "VALUE = 1\n",
    }
    assert findings(tmp_path / "working-directory", "TF1002", files) == []
    files[".github/workflows/model-check.yml"] = workflow.replace(
        "        run: python -m pytest test/healthcheck_models.py\n",
        "        run: python -m pytest test/unit/test_app.py\n",
    )
    [finding] = findings(tmp_path / "not-passed", "TF1002", files)
    assert finding.path == "api/test/healthcheck_models.py"


def test_tf206_a_module_librosa_always_installs(tmp_path: Path) -> None:
    # Rudrabha/Wav2Lip pins `librosa==0.7.0` and imports `scipy`, which every librosa
    # release requires (FALSE "scipy is missing").
    files = {
        "requirements.txt": "librosa==0.7.0\nnumpy==1.17.1\n",
        "audio.py": "import librosa\nimport numpy as np\nfrom scipy import signal\n",
    }
    assert findings(tmp_path / "librosa", "TF206", files) == []
    files["requirements.txt"] = "numpy==1.17.1\n"
    assert {f.message.split("`")[1] for f in findings(tmp_path / "bare", "TF206", files)} == {
        "librosa",
        "scipy",
    }


def test_tf1004_a_benchmark_module_inside_the_tests(tmp_path: Path) -> None:
    # Lightning-AI/LitServe's `tests/parity_fastapi/benchmark.py` picks request payloads
    # with `random.choice` to measure throughput (FALSE).
    bench = (
        "import random\n\nimport numpy as np\nimport requests\n\n\n"
        "def send(payloads):\n"
        "    return requests.post('http://127.0.0.1:8000/predict', json=random.choice(payloads))\n"
    )
    files = {"src/pkg/__init__.py": "", "tests/parity/benchmark.py": bench}
    assert findings(tmp_path / "bench", "TF1004", files) == []
    # The same draw in a module that trains a model is a result's.
    files["src/pkg/client.py"] = bench + "\n\ndef fit(model, X, y):\n    model.fit(X, y)\n"
    [finding] = findings(tmp_path / "client", "TF1004", files)
    assert finding.path == "src/pkg/client.py"


def test_tf902_a_model_servers_own_package_is_no_service(tmp_path: Path) -> None:
    # LitServe's own modules import `litserve`: "a web service module" named the wrong
    # thing (FALSE); a project serving a model with LitServe is a service.
    module = (
        "import litserve as ls\n\n\n"
        "def on_after_predict(lit_api):\n"
        '    print("prediction took 1.2 s")\n'
    )
    files = {"src/litserve/__init__.py": "", "src/litserve/callbacks.py": module}
    found = findings(tmp_path / "own", "TF902", files)
    assert all("web service module" not in f.message for f in found)
    files = {"server/__init__.py": "", "server/api.py": module}
    [finding] = findings(tmp_path / "user", "TF902", files)
    assert "web service module" in finding.message


# --------------------------------------------------------------------------- set WW


def test_a_papers_packages_run_as_modules_are_research(tmp_path: Path) -> None:
    # google-research/big_transfer: a paper's fine-tuning code in three package folders
    # run as `python -m bit_pytorch.train`, no root script, packaging, CI or tests. Read
    # as an application, its missing tests, CI and Python version were NOISE.
    files = {
        "README.md": "## Big Transfer (BiT)\n\nSee the [paper](https://arxiv.org/abs/1912.11370).\n",
        "__init__.py": "",
        "bit_common.py": "import argparse\n",
        "bit_pytorch/__init__.py": "",
        "bit_pytorch/train.py": "import torch\n",
        "bit_pytorch/requirements.txt": "torch\n",
        "bit_tf2/__init__.py": "",
        "bit_tf2/train.py": "import tensorflow as tf\n",
    }
    assert inferred_kind(make_repo(tmp_path / "paper", files)) == "research"
    # Without the paper, package folders with development tooling make an application
    # (without any, scripts run by hand: research all the same).
    files["README.md"] = "# Image models\n\nFine-tune them with `python -m bit_pytorch.train`.\n"
    files["requirements-dev.txt"] = "pytest==8.3.3\n"
    assert inferred_kind(make_repo(tmp_path / "app", files)) == "application"


def test_tf1004_a_keras_model_fine_tuned_from_a_checkpoint(tmp_path: Path) -> None:
    # big_transfer's TF2 script loads the released weights before `model.fit`: "weights
    # start random" was FALSE.
    module = (
        "import tensorflow as tf\n\n"
        "model = tf.keras.applications.ResNet50(weights=None)\n"
        "model.load_weights('bit_m-r50x1.h5')\n"
        'model.compile(optimizer="sgd", loss="categorical_crossentropy")\n'
        "model.fit(train_data, epochs=5)\n"
    )
    assert findings(tmp_path / "fine-tuned", "TF1004", {"train.py": module}) == []
    module = module.replace("model.load_weights('bit_m-r50x1.h5')\n", "")
    [finding] = findings(tmp_path / "from-scratch", "TF1004", {"train.py": module})
    assert "Keras training run" in finding.message


def test_tf1103_a_notebook_only_study_is_not_told_to_move_training(tmp_path: Path) -> None:
    # jeffheaton/app_deep_learning's lessons train in notebooks: NOISE (read as research,
    # like a paper's demo notebooks). An application's only training notebook is still
    # reported.
    lesson = notebook("import torch\n\nloss = model(x).sum()\nloss.backward()\n")
    files = {"t81_558_class_02_2_pytorch.ipynb": lesson}
    root = make_repo(tmp_path / "study", files)
    assert inferred_kind(root) == "research"
    assert _inferred(root, "TF1103") == []
    files.update({"docker-compose.yml": "services:\n  api:\n    build: .\n", "api/app.py": ""})
    root = make_repo(tmp_path / "app", files)
    assert inferred_kind(root) == "application"
    assert len(_inferred(root, "TF1103")) == 1


# --------------------------------------------------------------------------- set XX


def test_tf802_a_bot_workflow_and_a_templates_generated_tests(tmp_path: Path) -> None:
    # udacity/deep-reinforcement-learning's only workflow files JIRA tickets on
    # `pull_request_target`; cookiecutter-hypermodern-python's tests are the generated
    # project's, run there. "CI never runs the tests" was FALSE on both.
    bot = (
        "name: Manual Workflow\non:\n  pull_request_target:\n    types: [opened]\n"
        "  workflow_dispatch:\njobs:\n  jira:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: atlassian/gajira-login@master\n"
        "      - run: echo filed\n"
    )
    files = {
        ".github/workflows/manual.yml": bot,
        "tests/test_agent.py": "def test_x():\n    pass\n",
    }
    assert findings(tmp_path / "bot", "TF802", files) == []
    files[".github/workflows/manual.yml"] = bot.replace("pull_request_target", "pull_request")
    [finding] = findings(tmp_path / "ci", "TF802", files)
    assert finding.path == ".github/workflows/manual.yml"
    docs = (
        "name: Docs\non: push\njobs:\n  docs:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: sphinx-build docs docs/_build\n"
    )
    template = {
        "cookiecutter.json": '{"project_name": "demo"}\n',
        ".github/workflows/docs.yml": docs,
        "{{cookiecutter.project_name}}/tests/test_main.py": "def test_main():\n    pass\n",
    }
    assert findings(tmp_path / "template", "TF802", template) == []


def test_tf503_a_base_image_from_an_arg_default_is_a_warning(tmp_path: Path) -> None:
    # ml-tooling/ml-workspace's GPU flavour starts `FROM $ARG_WORKSPACE_BASE_IMAGE`, whose
    # `:latest` default its build script always replaces with the release's version: an
    # error was FALSE. The same image written in the FROM stays an error.
    image = 'ARG BASE="mltooling/ml-workspace:latest"\nFROM $BASE\nRUN echo gpu\n'
    [finding] = findings(tmp_path / "arg", "TF503", {"gpu/Dockerfile": image})
    assert finding.severity is Severity.WARNING and "`--build-arg`" in finding.message
    assert "`$BASE` (= `mltooling/ml-workspace:latest`) uses" in finding.message
    image = "FROM mltooling/ml-workspace:latest\nRUN echo gpu\n"
    [finding] = findings(tmp_path / "literal", "TF503", {"gpu/Dockerfile": image})
    assert finding.severity is Severity.ERROR


def test_tf206_a_cog_models_python_packages_and_a_req_txt(tmp_path: Path) -> None:
    # OpenTalker/SadTalker pins torch and torchvision in `cog.yaml` (FALSE "declared
    # nowhere"); its launcher installs `req.txt`, which was never read (a recall miss;
    # here a shell script installs it: a file only a Python launcher names is not read
    # as installed, like an optional extra named in an install hint).
    cog = 'build:\n  python_version: "3.8"\n  python_packages:\n    - "torch==1.12.1"\n'
    files = {
        "cog.yaml": cog,
        "req.txt": "numpy==1.23.4\ngradio\n",
        "webui.sh": "python -m pip install -r req.txt\npython launcher.py\n",
        "inference.py": "import numpy\nimport torch\n",
    }
    assert findings(tmp_path / "cog", "TF206", files) == []
    [finding] = findings(tmp_path / "req", "TF202", files)
    assert finding.path == "req.txt" and "`gradio`" in finding.message
    del files["cog.yaml"]
    [finding] = findings(tmp_path / "bare", "TF206", files)
    assert "`torch`" in finding.message


def test_tf301_a_client_secret_for_an_anonymous_scope_is_a_warning(tmp_path: Path) -> None:
    # gpt4free's Opera provider sends the `mini-client` secret every Opera install ships,
    # for `scope: anonymous_account`: an error was FALSE. The same secret for a user's
    # scope stays an error.
    secret = "Pcc5NvlCrxl02pMw32kO6Wrn" + "hpS0pUZ95YrDP8XNKJJQvFht4wQDkFJ7v9x5hn7C"
    provider = (
        "async def token(session):\n"
        "    return await session.post(URL, data={\n"
        '        "client_id": "mini-client",\n'
        f'        "client_secret": "{secret}",\n'
        '        "grant_type": "client_credentials",\n'
        '        "scope": "anonymous_account",\n'
        "    })\n"
    )
    [finding] = findings(tmp_path / "anonymous", "TF301", {"g4f/opera.py": provider})
    assert finding.severity is Severity.WARNING and "anonymous scope" in finding.message
    provider = provider.replace("anonymous_account", "account_read")
    [finding] = findings(tmp_path / "account", "TF301", {"g4f/opera.py": provider})
    assert finding.severity is Severity.WARNING and finding.message.endswith("'")


def test_tf503_a_wrapper_that_only_configures_an_organisations_image(tmp_path: Path) -> None:
    # chatgpt-on-wechat's root Dockerfile and ml-workspace's Cloud Run recipe add only an
    # entrypoint or a port to the project's own release image at `latest`: following its
    # releases is their purpose (errors judged NOISE). A wrapper of an official image, or
    # one that adds to the image, stays an error.
    wrapper = 'FROM ghcr.io/zhayujie/chatgpt-on-wechat:latest\n\nENTRYPOINT ["/entrypoint.sh"]\n'
    [finding] = findings(tmp_path / "wrapper", "TF503", {"Dockerfile": wrapper})
    assert finding.severity is Severity.WARNING and "a wrapper" in finding.message
    official = 'FROM python:latest\n\nENTRYPOINT ["python"]\n'
    [finding] = findings(tmp_path / "official", "TF503", {"Dockerfile": official})
    assert finding.severity is Severity.ERROR
    adds = wrapper + "COPY config.json /app/config.json\n"
    [finding] = findings(tmp_path / "adds", "TF503", {"Dockerfile": adds})
    assert finding.severity is Severity.ERROR


def test_tf902_a_cog_predictors_prints_are_its_prediction_log(tmp_path: Path) -> None:
    # GFPGAN's and Real-ESRGAN's `cog_predict.py` print in `predict()`: Replicate shows a
    # prediction's stdout as its log, so a Cog predictor is not "a web service module".
    predictor = (
        "from cog import BasePredictor\n\n\n"
        "class Predictor(BasePredictor):\n"
        "    def predict(self, image):\n"
        '        print("restoring faces")\n'
        '        print("done")\n'
    )
    files = {"pkg/__init__.py": "", "pkg/cog_predict.py": predictor}
    found = findings(tmp_path / "cog", "TF902", files)
    assert all("web service module" not in f.message for f in found)
    served = predictor.replace(
        "from cog import BasePredictor", "import kserve\nBasePredictor = kserve.Model"
    )
    [finding] = findings(tmp_path / "kserve", "TF902", {**files, "pkg/cog_predict.py": served})
    assert "web service module" in finding.message


def test_tf1004_a_model_compiled_in_a_helper_is_still_a_keras_run(tmp_path: Path) -> None:
    # vertex-pipelines' trainer compiles `model` in `build_and_compile_model()` and fits
    # `tf_model`, its result (TRUE): the fit of any receiver but a preprocessing step's.
    module = (
        "import tensorflow as tf\nfrom sklearn.preprocessing import StandardScaler\n\n\n"
        "def build_and_compile_model():\n"
        "    model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
        '    model.compile(optimizer="adam", loss="mse")\n'
        "    return model\n\n\n"
        "scaler = StandardScaler()\n"
        "scaler.fit(x_train)\n"
        "tf_model = build_and_compile_model()\n"
        "tf_model.fit(x_train, y_train, epochs=3)\n"
    )
    [finding] = findings(tmp_path / "helper", "TF1004", {"train.py": module})
    assert finding.line == 14
