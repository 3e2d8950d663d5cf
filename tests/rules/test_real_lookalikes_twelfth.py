"""Look-alikes from held-out set ZZ (judged on 615d261) and the corpus's remaining
FALSE/NOISE classes: each class judged FALSE or NOISE there, self-written, with the
violation the rule must still find."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from twelvefold.model import Severity

from tests.helpers import findings

# --------------------------------------------------------------------------- TF301

_DEPLOY_MANIFEST = (
    "name: rag-app\n"
    "components:\n"
    "  - name: indexer\n"
    "    type: job\n"
    "    env:\n"
    "      VECTOR_DB_URL: http://qdrant.internal.svc.cluster.local:6333\n"
    "      EMBEDDER_API_KEY: {value}\n"
)


def test_tf301_a_reference_to_a_secret_store_is_not_the_secret(tmp_path: Path) -> None:
    # truefoundry/cognita's deployment manifest names each key by its TrueFoundry secret
    # (`tfy-secret://team:app:KEY`), resolved when the job is deployed: seven errors were
    # FALSE. 1Password's `op://` and an AWS Secrets Manager ARN are references too; the
    # key written out in the same place is still an error.
    for name, reference in (
        ("tfy", "tfy-secret://internal:rag-app:EMBEDDER_API_KEY"),
        ("op", "op://platform/embedder/credential"),
        ("arn", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:embedder-Xy12Ab"),
    ):
        files = {"deploy.yaml": _DEPLOY_MANIFEST.format(value=reference)}
        assert findings(tmp_path / name, "TF301", files) == [], name
    key = "tfy-8sKq2LmX9vPz4RtY7wBn3CdE6fGh1JkQ"
    files = {"deploy.yaml": _DEPLOY_MANIFEST.format(value=key)}
    [finding] = findings(tmp_path / "written-out", "TF301", files)
    assert finding.severity is Severity.WARNING and key not in finding.message


def _graph_demo(host: str) -> str:
    return (
        "from mem import Memory\n\n"
        "config = {\n"
        '    "graph_store": {\n'
        '        "provider": "memgraph",\n'
        '        "config": {\n'
        f'            "url": "bolt://{host}:7687",\n'
        '            "username": "memgraph",\n'
        '            "password": "mem0graph",\n'
        "        },\n"
        "    },\n"
        "}\n"
        "memory = Memory.from_config(config)\n"
    )


def test_tf301_a_password_beside_a_service_on_this_machine(tmp_path: Path) -> None:
    # mem0's graph-database demo notebook logs into the Memgraph container it starts on
    # localhost: an error was FALSE (a sandbox login), and so were all 6 warnings of
    # this class since. The same password beside a remote host is still reported.
    assert findings(tmp_path / "local", "TF301", {"app/graph.py": _graph_demo("localhost")}) == []
    files = {"app/graph.py": _graph_demo("graph.prod.internal")}
    [remote] = findings(tmp_path / "remote", "TF301", files)
    assert remote.severity is Severity.WARNING and remote.message.endswith("'")


# --------------------------------------------------------------------------- TF206


def test_tf206_a_requirements_file_named_for_what_it_installs(tmp_path: Path) -> None:
    # truefoundry/cognita declares its optional vector stores in
    # `backend/vectordb.requirements.txt`, which its Dockerfile installs behind a build
    # argument: "pymongo is missing" was FALSE. An import nothing declares still is.
    files = {
        "pyproject.toml": '[project]\nname = "rag"\nversion = "1.0"\ndependencies = ["fastapi==0.115.0"]\n',
        "backend/vectordb.requirements.txt": "pymongo==4.10.1\n",
        "backend/__init__.py": "",
        "backend/mongo.py": "import pymongo\nimport redis\n",
    }
    found = findings(tmp_path, "TF206", files)
    assert [finding.message.split("`")[1] for finding in found] == ["redis"]


# --------------------------------------------------------------------------- TF902

_LOGGING = "import logging\n\nlogger = logging.getLogger(__name__)\n\n\n"


def test_tf902_a_package_that_logs_only_to_files(tmp_path: Path) -> None:
    # pycaret's logger writes only to `logs.log` (a FileHandler, TF901's finding): its
    # prints ("Model Successfully Saved") are all a notebook user sees, and four TF902
    # findings were NOISE. A package with a console handler still gets the finding.
    setup = (
        "def create_logger(path):\n"
        "    handler = logging.FileHandler(path)\n"
        "    logger.addHandler(handler)\n"
    )
    persistence = (
        "def save_model(model, path):\n"
        '    logger.info("saving")\n'
        "    dump(model, path)\n"
        '    print("Transformation Pipeline and Model Successfully Saved")\n'
    )
    files = {
        "tabular/__init__.py": "",
        "tabular/internal/__init__.py": "",
        "tabular/internal/logging.py": _LOGGING + setup,
        "tabular/internal/persistence.py": _LOGGING + persistence,
    }
    assert findings(tmp_path / "file", "TF902", files) == []
    files["tabular/internal/logging.py"] = _LOGGING + setup.replace(
        "logging.FileHandler(path)", "logging.StreamHandler()"
    )
    [finding] = findings(tmp_path / "console", "TF902", files)
    assert finding.path == "tabular/internal/persistence.py"


def test_tf902_functions_whose_job_is_output(tmp_path: Path) -> None:
    # pycaret's `get_system_logs()` ("Read and print logs.log") and dspy's
    # `_tail_process()` relaying a launched server's console: FALSE and NOISE. A status
    # print elsewhere in the same module is still reported.
    module = _LOGGING + (
        "def get_system_logs():\n"
        '    """Read and print the logs.log file."""\n'
        '    with open("logs.log") as file:\n'
        "        for line in file:\n"
        "            print(line)\n\n\n"
        "def launch(process, buffer):\n"
        "    def _tail_process(proc):\n"
        "        while True:\n"
        "            line = proc.stdout.readline()\n"
        "            if not line:\n"
        "                break\n"
        '            print(line, end="")\n\n'
        '    logger.info("server started")\n'
        "    return _tail_process\n"
    )
    files = {"kit/__init__.py": "", "kit/generic.py": module}
    assert findings(tmp_path / "output", "TF902", files) == []
    files["kit/generic.py"] = module + '\n\ndef warm_up():\n    print("warming up the server")\n'
    [finding] = findings(tmp_path / "status", "TF902", files)
    assert finding.line == module.count("\n") + 4


# --------------------------------------------------------------------------- TF1004


def test_tf1004_a_tests_random_inputs(tmp_path: Path) -> None:
    # The corpus's tests drawing fake embeddings and noise images (robotoff, SuperAGI,
    # presidio, whisper, supervision...): judged FALSE or NOISE 15 times of 16, their
    # assertions hold for any draw. The same draw in the application's code is reported.
    test = (
        "import numpy as np\n\nfrom app.search import nearest\n\n\n"
        "def test_nearest_returns_k():\n"
        "    embeddings = np.random.rand(10, 512)\n"
        "    assert len(nearest(embeddings, k=3)) == 3\n"
    )
    files = {
        "app/__init__.py": "",
        "app/search.py": "def nearest(embeddings, k):\n    return embeddings[:k]\n",
        "tests/test_search.py": test,
    }
    assert findings(tmp_path / "test", "TF1004", files) == []
    files["app/train.py"] = (
        "import numpy as np\n\nPROJECTION = np.random.rand(512, 64)\nmodel.fit(PROJECTION)\n"
    )
    [finding] = findings(tmp_path / "app", "TF1004", files)
    assert finding.path == "app/train.py"


# --------------------------------------------------------------------------- TF202


def test_tf202_an_optional_requirements_file_nothing_installs(tmp_path: Path) -> None:
    # gpt_academic's `request_llms/requirements_chatglm.txt` (named only in an install
    # hint), gpt-neox's `requirements-comet.txt`, a book's bonus
    # `requirements-extra.txt`: extras a reader installs by hand, judged NOISE 17 times.
    # The same file installed by the image, and the plain requirements.txt, are reported.
    bridge = (
        "try:\n    import cpm_kernels\nexcept ImportError:\n"
        '    raise SystemExit("pip install -r request_llms/requirements_chatglm.txt")\n'
    )
    files = {
        "requirements.txt": "gradio==4.44.1\nopenai==1.51.0\n",
        "request_llms/__init__.py": "",
        "request_llms/bridge_chatglm.py": bridge,
        "request_llms/requirements_chatglm.txt": "protobuf\ncpm_kernels\ntorch>=1.10\n",
        "app.py": "import gradio\n",
    }
    assert findings(tmp_path / "extra", "TF202", files) == []
    dockerfile = (
        "FROM python:3.11.9-slim\nCOPY . /app\n"
        "RUN pip install -r requirements.txt -r request_llms/requirements_chatglm.txt\n"
    )
    [installed] = findings(tmp_path / "image", "TF202", {**files, "Dockerfile": dockerfile})
    assert installed.path == "request_llms/requirements_chatglm.txt"
    files["requirements.txt"] = "gradio\nopenai==1.51.0\n"
    [plain] = findings(tmp_path / "plain", "TF202", files)
    assert plain.path == "requirements.txt"


# --------------------------------------------------------------------------- roles and parsing


def test_a_third_party_folder_is_vendored_code(tmp_path: Path) -> None:
    # xinference's `thirdparty/` holds MeloTTS, fish-speech, F5-TTS... as upstream wrote
    # them (and excluded from its linters): 23 findings there were NOISE (TF902 prints,
    # TF901 demo file handlers, TF701 tokenizer downloads). The product's own module is
    # still reported.
    upstream = (
        "import logging\n\nlogger = logging.getLogger(__name__)\n\n\n"
        "def train(epochs):\n"
        "    for epoch in range(epochs):\n"
        '        print(f"epoch {epoch}")\n'
    )
    files = {
        "serve/__init__.py": "",
        "serve/thirdparty/__init__.py": "",
        "serve/thirdparty/melo/__init__.py": "",
        "serve/thirdparty/melo/train.py": upstream,
    }
    assert findings(tmp_path / "vendored", "TF902", files) == []
    files["serve/model/__init__.py"] = ""
    files["serve/model/tts.py"] = upstream
    [finding] = findings(tmp_path / "own", "TF902", files)
    assert finding.path == "serve/model/tts.py"


def test_a_compose_files_own_tags_are_read() -> None:
    # xinference's `docker-compose.cpu.yml` resets an inherited key with Compose's
    # `!reset` tag: "malformed YAML" was wrong, and the file went unread. A tag is read
    # as the value it tags; YAML that is broken still says so.
    from twelvefold.sources import load_yaml

    compose = (
        "services:\n  api:\n    image: example/api:1.2.0\n"
        "    deploy: !reset null\n    environment: !override\n      - MODE=cpu\n"
        "    command: !reset [serve]\n"
    )
    problems: list[str] = []
    assert load_yaml(compose, problems.append) == {
        "services": {
            "api": {
                "image": "example/api:1.2.0",
                "deploy": "null",
                "environment": ["MODE=cpu"],
                "command": ["serve"],
            }
        }
    }
    assert problems == []
    assert load_yaml("services: [api\n", problems.append) is None
    assert problems and problems[0].startswith("malformed YAML")


# --------------------------------------------------------------------------- TF401


def test_tf401_a_library_modules_smoke_test_block(tmp_path: Path) -> None:
    # nanotron's eval runner tries a checkpoint from the team's `s3://` bucket under its
    # `if __name__ == "__main__":` block: NOISE in a library its users import. The same
    # bucket in the library's function is still reported.
    from twelvefold.config import Config

    from tests.helpers import check, make_repo

    module = (
        "import boto3\n\n\n"
        "def upload(path, bucket):\n"
        "    boto3.client('s3').upload_file(path, bucket, path)\n\n\n"
        'if __name__ == "__main__":\n'
        "    boto3.client('s3').upload_file('ckpt/10', 'smol-team-ckpts', 'ckpt/10')\n"
    )
    files = {"src/trainkit/__init__.py": "", "src/trainkit/eval/runner.py": module}
    library = Config(kind="library", select=["TF401"])
    root = make_repo(tmp_path / "main", files)
    assert check(root, config=library).findings == []
    files["src/trainkit/eval/runner.py"] = module.replace(
        "def upload(path, bucket):\n    boto3.client('s3').upload_file(path, bucket, path)",
        "def upload(path):\n    boto3.client('s3').upload_file(path, 'smol-team-ckpts', path)",
    )
    root = make_repo(tmp_path / "function", files)
    [finding] = check(root, config=library).findings
    assert finding.line == 5


# --------------------------------------------------------------------------- TF803

_POETRY_LOCK = (
    '[[package]]\nname = "flask"\nversion = "3.0.3"\n\n'
    '[[package]]\nname = "openai"\nversion = "1.51.0"\n\n'
    '[metadata]\nlock-version = "2.0"\npython-versions = "^3.10"\ncontent-hash = "0"\n'
)
_CI_INSTALL = (
    "on: [push]\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n"
    "      - uses: actions/checkout@v4\n"
    "      - run: pip install -r requirements.txt\n"
    "      - run: flake8 .\n"
)


def test_tf803_a_lock_that_leaves_out_what_ci_installs(tmp_path: Path) -> None:
    # instagraph's `poetry.lock`, left from a Replit template, lacks neo4j, instructor and
    # gunicorn that requirements.txt installs: "while poetry.lock pins the environment"
    # was FALSE (installing that lock would break the app). A lock holding everything
    # the requirements name is the environment CI should install.
    pyproject = '[tool.poetry]\nname = "graph"\nversion = "0.1.0"\n'
    files = {
        "pyproject.toml": pyproject,
        "poetry.lock": _POETRY_LOCK,
        "requirements.txt": "flask\nopenai==1.51.0\nneo4j\n",
        "main.py": "import flask\n",
        ".github/workflows/check.yml": _CI_INSTALL,
    }
    assert findings(tmp_path / "stale", "TF803", files) == []
    files["requirements.txt"] = "flask\nopenai==1.51.0\n"
    [finding] = findings(tmp_path / "covering", "TF803", files)
    assert "poetry.lock" in finding.message


# --------------------------------------------------------------------------- set BBB


def test_tf301_kubernetes_secret_names_and_api_doc_passwords(tmp_path: Path) -> None:
    # R2R: Helm's `existingSecret: r2r-hatchet-secrets`, an ExternalSecret's `secretKey:
    # R2R_SECRET_KEY` (errors, FALSE), and its generated API docs' `"password":
    # "SecurePassword123!"` in `llms.txt` (12 warnings, FALSE: a value naming itself a
    # password). A password written out in the Helm values is still an error.
    values = "auth:\n  existingSecret: r2r-hatchet-secrets\n  database: hatchet\n"
    external = (
        "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nspec:\n  data:\n"
        "    - secretKey: R2R_SECRET_KEY\n      remoteRef:\n        key: r2r/prod\n"
    )
    docs = 'curl -X POST /v3/users -d \'{"email": "a@b.c", "password": "SecurePassword123!"}\'\n'
    files = {
        "deploy/helm-values_postgresql.yaml": values,
        "deploy/externalsecret_r2r.yaml": external,
        "llms.txt": docs,
    }
    assert findings(tmp_path / "names", "TF301", files) == []
    files["deploy/helm-values_postgresql.yaml"] = values + "  password: Xq7vLm2pRt9w\n"
    [finding] = findings(tmp_path / "value", "TF301", files)
    assert finding.path == "deploy/helm-values_postgresql.yaml"
    assert finding.severity is Severity.WARNING and finding.message.endswith("'")


def test_tf302_a_stacks_env_files_and_a_generators_templates(tmp_path: Path) -> None:
    # R2R's `docker/env/postgres.env` (stock `postgres` password, empty API keys) that its
    # compose services read, and gpt-pilot's `core/templates/tree/*/.env` rendered into
    # generated projects (`{{ random_secret }}`): errors judged NOISE and FALSE. The
    # stack's file is a warning (its name invites committing a filled-in copy), the
    # templates are not reported; a compose env file holding a real key, and a project's
    # own `.env`, are still errors.
    compose = "services:\n  postgres:\n    image: postgres:16.4\n    env_file:\n      - ./env/postgres.env\n"
    stack = "POSTGRES_USER=postgres\nPOSTGRES_PASSWORD=postgres\nOPENAI_API_KEY=\nLM_KEY=1234\n"
    template = "PORT=3000\nSESSION_SECRET={{ random_secret }}\n"
    files = {
        "docker/compose.yaml": compose,
        "docker/env/postgres.env": stack,
        "core/templates/tree/react_express/.env": template,
        "core/templates/tree/vite/server/.env": "JWT_SECRET=some_super_secret_string\n",
        "app.py": "x = 1\n",
    }
    [stack_file] = findings(tmp_path / "stack", "TF302", files)
    assert stack_file.path == "docker/env/postgres.env"
    assert stack_file.severity is Severity.WARNING and "stock passwords" in stack_file.message
    files["docker/env/postgres.env"] = stack + "OPENAI_API_KEY=sk-proj-Xq7vLm2pRt9wK3sB8nZ4\n"
    files[".env"] = "DEBUG=1\n"
    found = findings(tmp_path / "real", "TF302", files)
    assert sorted((f.path, f.severity) for f in found) == [
        (".env", Severity.ERROR),
        ("docker/env/postgres.env", Severity.ERROR),
    ]


def test_tf902_a_cli_packages_adapters_and_a_script_running_its_loop(tmp_path: Path) -> None:
    # roboflow's `inference_cli/lib/*_adapter.py` print the command's results and hints,
    # and Verba's `chunking_examples.py` ends in `asyncio.run(...)`: FALSE (a command's
    # output, a demo script's). The same prints in a service's package are reported.
    adapter = _LOGGING + (
        "def start_tunnel(port):\n"
        '    print("Waiting for the tunnel...")\n'
        '    print(f"Tunnel open on {port}")\n'
    )
    demo = (
        "import asyncio\n\n\nasync def run_chunker():\n"
        '    print("chunking")\n    print("chunked")\n\n\n'
        "asyncio.run(run_chunker())\n"
    )
    files = {
        "serve/__init__.py": "",
        "serve/app.py": "import fastapi\n\napp = fastapi.FastAPI()\n",
        "serve/inference_cli/__init__.py": "",
        "serve/inference_cli/lib/__init__.py": "",
        "serve/inference_cli/lib/tunnel_adapter.py": adapter,
        "serve/chunking/__init__.py": "",
        "serve/chunking/chunking_examples.py": demo,
    }
    assert findings(tmp_path / "output", "TF902", files) == []
    files["serve/tunnel.py"] = adapter
    files["serve/chunking/chunker.py"] = demo.replace("asyncio.run(run_chunker())\n", "")
    found = findings(tmp_path / "service", "TF902", files)
    assert sorted(f.path for f in found) == ["serve/chunking/chunker.py", "serve/tunnel.py"]


def test_a_papers_code_with_an_environment_pyproject_is_research(tmp_path: Path) -> None:
    # THUDM/CogVideo: a paper's sampling and fine-tuning scripts, a pyproject of
    # `[project] dependencies` only (no build system, no command), no CI, tests or
    # image. Read as an application, 12 findings were NOISE (no tests, no CI, prints in
    # the paper's model code). The same tree with a build system is packaged code.
    from twelvefold.discovery import discover
    from twelvefold.project import build_model

    from tests.helpers import make_repo

    pyproject = '[project]\nname = "videogen"\nversion = "0.1.0"\ndependencies = ["torch>=2.5.1"]\n'
    files = {
        "README.md": "# VideoGen\n\nThe code of our paper (https://arxiv.org/abs/2408.06072).\n",
        "pyproject.toml": pyproject,
        "inference/cli_demo.py": "import torch\n",
        "finetune/train.py": "import torch\n",
        "sat/sgm/__init__.py": "",
        "sat/sgm/models.py": "import torch\n",
        "sat/sample_video.py": "from sgm.models import *\n",
    }
    root = make_repo(tmp_path / "paper", files)
    assert build_model(root, discover(root, None).files).kind == "research"
    files["pyproject.toml"] = pyproject + '\n[build-system]\nrequires = ["hatchling"]\n'
    root = make_repo(tmp_path / "built", files)
    assert build_model(root, discover(root, None).files).kind == "application"


def test_tf206_a_packages_other_imports_after_its_guarded_import(tmp_path: Path) -> None:
    # R2R's splitter tries `import spacy` under `except ImportError` (with an install
    # hint), then imports `from spacy.lang.en import English`: FALSE "spacy is missing".
    # Another package's import after the guard is still required.
    module = (
        "def make_pipe(pipe):\n"
        "    try:\n        import spacy\n"
        "    except ImportError:\n"
        '        raise ImportError("run `pip install spacy`") from None\n'
        '    if pipe == "sentencizer":\n'
        "        from spacy.lang.en import English\n\n"
        "        return English()\n"
        "    return spacy.load(pipe)\n"
    )
    files = {
        "requirements.txt": "fastapi==0.115.0\n",
        "app/__init__.py": "",
        "app/splitter.py": module,
    }
    assert findings(tmp_path / "guarded", "TF206", files) == []
    files["app/splitter.py"] = module.replace(
        "        from spacy.lang.en import English\n", "        from nltk import sent_tokenize\n"
    )
    [finding] = findings(tmp_path / "other", "TF206", files)
    assert "`nltk`" in finding.message


# --------------------------------------------------------------------------- TF505


def test_tf505_the_project_and_extras_installed_in_one_step_are_one_finding(
    tmp_path: Path,
) -> None:
    # R2R's image: `pip install -e ".[core]" && pip install gunicorn uvicorn pydantic`:
    # two findings on one line, the second judged NOISE (the lock the first asks for
    # is the fix of both). One finding names both; extras in a step of their own keep
    # their own finding.
    pyproject = '[project]\nname = "rag"\nversion = "1.0"\ndependencies = ["fastapi>=0.110"]\n'
    dockerfile = (
        "FROM python:3.12.7-slim\nWORKDIR /app\nCOPY pyproject.toml ./\n"
        'RUN pip install -e ".[core]" && \\\n    pip install gunicorn uvicorn\n'
    )
    files = {"pyproject.toml": pyproject, "Dockerfile": dockerfile, "app.py": "import fastapi\n"}
    [finding] = findings(tmp_path / "one", "TF505", files)
    assert "resolves its dependencies at build time" in finding.message
    assert "also installs unpinned packages `gunicorn`, `uvicorn`" in finding.message
    files["Dockerfile"] = dockerfile.replace(
        " && \\\n    pip install gunicorn uvicorn\n", "\nRUN pip install gunicorn uvicorn\n"
    )
    found = findings(tmp_path / "two", "TF505", files)
    assert [f.line for f in found] == [4, 5]


def test_tf702_a_development_image(tmp_path: Path) -> None:
    # roboflow's `Dockerfile.onnx.cpu.dev`, the hot-reload image CONTRIBUTING.md starts
    # by hand: NOISE. The published image with the same CMD is reported.
    image = "FROM python:3.11.9-slim\nCOPY . /app\nCMD uvicorn app:app --reload\n"
    files = {"docker/Dockerfile.onnx.cpu.dev": image, "app.py": "x = 1\n"}
    assert findings(tmp_path / "dev", "TF702", files) == []
    files["docker/Dockerfile.onnx.cpu"] = image
    [finding] = findings(tmp_path / "published", "TF702", files)
    assert finding.path == "docker/Dockerfile.onnx.cpu"


def test_tf902_a_ui_adapters_prints_are_its_output(tmp_path: Path) -> None:
    # gpt-pilot's `VirtualUI` prints what the agent sends to its user when no IDE is
    # attached: FALSE. A worker class printing status is still reported.
    ui = _LOGGING + (
        "class VirtualUI:\n"
        "    def send_message(self, message):\n"
        "        print(message)\n\n"
        "    def send_stream_chunk(self, chunk):\n"
        '        print(chunk, end="")\n'
    )
    files = {"core/__init__.py": "", "core/ui/__init__.py": "", "core/ui/virtual.py": ui}
    assert findings(tmp_path / "ui", "TF902", files) == []
    files["core/ui/virtual.py"] = ui.replace("class VirtualUI", "class SyncWorker")
    [finding] = findings(tmp_path / "worker", "TF902", files)
    assert finding.path == "core/ui/virtual.py"


# --------------------------------------------------------------------------- set CCC

#: Microsoft's documented key of the storage emulators' `devstoreaccount1`.
_AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/" + (
    "K1SZFPTOtr/KBHBeksoGMGw=="
)


def test_tf301_the_storage_emulators_well_known_key(tmp_path: Path) -> None:
    # Netflix/metaflow's test context connects to Azurite with the account key Microsoft
    # publishes for it: an error, FALSE. Another account's key there is still an error.
    context = (
        '{"env": {"AZURE_STORAGE_CONNECTION_STRING": "DefaultEndpointsProtocol=http;'
        "AccountName=devstoreaccount1;AccountKey={key};"
        'BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"}}\n'
    )
    files = {"test/core/contexts.json": context.replace("{key}", _AZURITE_KEY)}
    assert findings(tmp_path / "emulator", "TF301", files) == []
    # 64 bytes of an account key, in base64 like every Azure storage key (made up here)
    own = base64.b64encode(hashlib.sha512(b"another account").digest()).decode()
    files = {"test/core/contexts.json": context.replace("{key}", own)}
    [finding] = findings(tmp_path / "account", "TF301", files)
    assert finding.severity is Severity.ERROR and own not in finding.message


def test_tf902_prints_under_a_settings_switch(tmp_path: Path) -> None:
    # Metaflow prints extension-loading details under `if DEBUG_EXT:` and S3 retries
    # under `if S3_LOG_TRANSIENT_RETRIES:`, settings a user turns on: FALSE. A print
    # spaced by a logging interval is progress, still reported.
    module = _LOGGING + (
        "from .config import DEBUG_EXT, S3_LOG_TRANSIENT_RETRIES\n\n\n"
        "def load(name):\n"
        "    if DEBUG_EXT:\n"
        '        print("loading", name)\n'
        "    if S3_LOG_TRANSIENT_RETRIES:\n"
        '        print("retrying", name)\n'
    )
    files = {"flowkit/__init__.py": "", "flowkit/config.py": "DEBUG_EXT = False\n"}
    assert findings(tmp_path / "switch", "TF902", {**files, "flowkit/ext.py": module}) == []
    progress = _LOGGING + (
        "def fit(model, steps, train_log_interval=10):\n"
        "    for step in range(steps):\n"
        "        if step % train_log_interval == 0:\n"
        '            print("step", step)\n'
    )
    [finding] = findings(tmp_path / "interval", "TF902", {**files, "flowkit/fit.py": progress})
    assert finding.path == "flowkit/fit.py"
    # xinference's `debug_info=False` parameter prints a report into the server's stdout
    # (TRUE there): a parameter is no settings switch.
    report = _LOGGING + (
        "def process(text, debug_info=False):\n"
        "    if debug_info:\n"
        '        print("formulas:", text.count("$"))\n'
        '        print("blocks:", text.count("[["))\n'
    )
    [finding] = findings(tmp_path / "parameter", "TF902", {**files, "flowkit/ocr.py": report})
    assert finding.path == "flowkit/ocr.py"


def test_tf302_a_compose_variable_used_by_another_variable(tmp_path: Path) -> None:
    # h2ogpt's `.env`: `VLLM_TOKENIZER` reaches Compose inside `H2OGPT_VLLM_ARGS=...
    # --tokenizer=${VLLM_TOKENIZER}`: an error, FALSE (Compose's project file). A
    # variable nothing interpolates makes it an ordinary committed `.env` again.
    compose = "services:\n  vllm:\n    image: vllm/vllm-openai:v0.6.3\n    command: ${VLLM_ARGS}\n"
    dotenv = "VLLM_TOKENIZER=hf-internal-testing/llama-tokenizer\nVLLM_ARGS=--tokenizer=${VLLM_TOKENIZER}\n"
    files = {"docker-compose.yml": compose, ".env": dotenv, "app.py": "x = 1\n"}
    assert findings(tmp_path / "chained", "TF302", files) == []
    files[".env"] = dotenv + "MODEL_DIR=/models\n"
    [finding] = findings(tmp_path / "loose", "TF302", files)
    assert finding.path == ".env"


def test_tf1001_test_named_scripts_hold_no_test(tmp_path: Path) -> None:
    # RouteLLM's `routellm/tests/test_*.py` are argparse scripts that call paid APIs from
    # a main block: TF802 told CI to run them with pytest (FALSE), TF1001 stayed silent
    # (the reviewer's miss). One test function makes them a suite.
    script = (
        "import argparse\n\n"
        'if __name__ == "__main__":\n'
        "    parser = argparse.ArgumentParser()\n"
        '    parser.add_argument("--router")\n'
        "    print(parser.parse_args())\n"
    )
    files = {"router/__init__.py": "", "router/core.py": "x = 1\n"}
    files["router/tests/test_openai_server.py"] = script
    [finding] = findings(tmp_path / "scripts", "TF1001", files)
    assert "command line scripts, with no test function" in finding.message
    files["router/tests/test_core.py"] = (
        "from router.core import x\n\n\ndef test_x():\n    assert x == 1\n"
    )
    assert findings(tmp_path / "suite", "TF1001", files) == []


def test_tf301_a_url_with_a_password_is_no_reference() -> None:
    # A secret store's reference is a URI, and so is an address; a URL carrying a password
    # before its host (`redis://:password@host`, no user for the URL pattern) is neither.
    from twelvefold.detectors.secrets import looks_like_secret_value

    assert not looks_like_secret_value("tfy-secret://internal:rag-app:EMBEDDER_API_KEY")
    assert not looks_like_secret_value("op://platform/embedder/credential")
    assert looks_like_secret_value("redis://:Xk8pq2Lm9zQ4vT7w@cache:6379/0")


# --------------------------------------------------------------------------- set DDD

#: The documented key the Azure Cosmos DB emulator starts with.
_COSMOS_EMULATOR_KEY = (
    "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/" + "Jw=="
)


def test_tf301_the_cosmos_emulators_well_known_key(tmp_path: Path) -> None:
    # microsoft/graphrag's integration tests and example notebook connect to the Cosmos
    # DB emulator on localhost with its well-known key: six errors, FALSE.
    module = f'CONNECTION = "AccountEndpoint=https://127.0.0.1:8081/;AccountKey={_COSMOS_EMULATOR_KEY}"\n'
    files = {"tests/integration/test_cosmos.py": module}
    assert findings(tmp_path / "emulator", "TF301", files) == []


def test_tf902_a_noqa_without_its_colon(tmp_path: Path) -> None:
    # graphrag's demo app marks each print with "noqa T201" (no colon; flake8 reads it as a
    # blanket noqa): the project says these prints are intended. An unmarked one is not.
    module = _LOGGING + (
        "def search(query):\n"
        "    try:\n        return run(query)\n"
        "    except ValueError as e:\n"
        '        print(f"Search exception: {e}")  # noqa T201\n'
        '        print("LOGIN-----")  # noqa T201\n'
    )
    files = {"app/__init__.py": "", "app/home_page.py": module}
    assert findings(tmp_path / "marked", "TF902", files) == []
    files["app/home_page.py"] = module.replace("  # noqa T201", "")
    [finding] = findings(tmp_path / "unmarked", "TF902", files)
    assert finding.path == "app/home_page.py"


def test_a_librarys_research_folder_holds_scripts(tmp_path: Path) -> None:
    # FlagOpen/FlagEmbedding: the papers' code under `research/`, beside the installed
    # package: 13 TF902 findings there were NOISE. The package's own modules keep theirs.
    from twelvefold.config import Config

    from tests.helpers import check, make_repo

    trainer = _LOGGING + (
        "def train(model, epochs):\n"
        "    for epoch in range(epochs):\n"
        '        print(f"epoch {epoch}")\n'
    )
    files = {
        "embedkit/__init__.py": "",
        "research/visual_bge/__init__.py": "",
        "research/visual_bge/trainer.py": trainer,
    }
    library = Config(kind="library", select=["TF902"])
    assert check(make_repo(tmp_path / "research", files), config=library).findings == []
    files["embedkit/trainer.py"] = trainer
    [finding] = check(make_repo(tmp_path / "package", files), config=library).findings
    assert finding.path == "embedkit/trainer.py"


def test_tf804_a_docs_workflow_through_a_task_runner(tmp_path: Path) -> None:
    # graphrag's gh-pages workflow: `uv sync`, then `uv run poe build_docs` in a step
    # with `shell: bash`: NOISE (no result rests on the lock there; `bash` is the step's
    # shell, not a command). Its test workflow keeps the finding.
    lock = 'version = 1\nrequires-python = ">=3.11"\n'
    docs = (
        "on: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - shell: bash\n        run: uv sync --all-packages\n"
        "      - shell: bash\n        run: uv run poe build_docs\n"
    )
    files = {
        "pyproject.toml": '[project]\nname = "kg"\nversion = "1.0"\n',
        "uv.lock": lock,
        "kg/__init__.py": "",
        ".github/workflows/gh-pages.yml": docs,
    }
    assert findings(tmp_path / "docs", "TF804", files) == []
    files[".github/workflows/tests.yml"] = docs.replace("poe build_docs", "pytest tests")
    [finding] = findings(tmp_path / "tests", "TF804", files)
    assert finding.path == ".github/workflows/tests.yml"


def test_tf503_a_base_image_the_repository_builds_itself(tmp_path: Path) -> None:
    # mozilla/bugbug: `infra/dockerfile.commit_retrieval` is built `FROM
    # mozilla/bugbug-base:latest`, the image its docker-compose.yml builds from
    # `infra/dockerfile.base` in the same run: an error, FALSE. Another organisation's
    # image at latest is still reported.
    compose = (
        "services:\n"
        "  bugbug-base:\n    build:\n      context: .\n      dockerfile: infra/dockerfile.base\n"
        "    image: mozilla/bugbug-base\n"
        "  commit-retrieval:\n    build:\n      context: .\n"
        "      dockerfile: infra/dockerfile.commit_retrieval\n"
        "    image: mozilla/bugbug-commit-retrieval\n"
    )
    files = {
        "docker-compose.yml": compose,
        "infra/dockerfile.base": "FROM python:3.12.7-slim\nRUN pip install uv==0.5.2\n",
        "infra/dockerfile.commit_retrieval": (
            'FROM mozilla/bugbug-base:latest\nRUN apt-get update\nCMD ["python", "-m", "x"]\n'
        ),
        "app.py": "x = 1\n",
    }
    assert findings(tmp_path / "own", "TF503", files) == []
    files["infra/dockerfile.commit_retrieval"] = files["infra/dockerfile.commit_retrieval"].replace(
        "mozilla/bugbug-base", "mozilla/other-base"
    )
    [finding] = findings(tmp_path / "other", "TF503", files)
    assert finding.severity is Severity.ERROR and "mozilla/other-base" in finding.message


def test_tf503_one_tool_image_copied_into_every_dockerfile(tmp_path: Path) -> None:
    # bugbug copies `ghcr.io/astral-sh/uv:latest` into fourteen Dockerfiles: fourteen
    # findings of one fix (NOISE). One finding, naming the other files; two copies in a
    # single Dockerfile stay two findings.
    image = (
        "FROM python:3.12.7-slim\nCOPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/\n"
        "RUN uv sync --frozen\n"
    )
    files = {"app.py": "x = 1\n"}
    for name in ("api", "worker", "agent"):
        files[f"services/{name}/Dockerfile"] = image
    [finding] = findings(tmp_path / "many", "TF503", files)
    assert finding.path == "services/agent/Dockerfile"
    assert "(and in 2 more Dockerfiles)" in finding.message
    assert finding.files == ("services/api/Dockerfile", "services/worker/Dockerfile")
    twice = image + "COPY --from=ghcr.io/astral-sh/uv:latest /uv /usr/local/bin/\n"
    found = findings(tmp_path / "one", "TF503", {"app.py": "x = 1\n", "Dockerfile": twice})
    assert [f.line for f in found] == [2, 4]
