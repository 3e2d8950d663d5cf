"""Look-alikes from held-out set T (fresh-2026-12-05-t), judged before any change: the
env templates of a RAG application (TF302) and a course's sandbox passwords (TF301),
each reported at error severity on the first run."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings

#: sec-insights' `backend/.env.development`: the README says to copy it to `.env`.
ENV_DEVELOPMENT = (
    "DATABASE_URL=postgresql://user:password@localhost:5432/llama_app_db\n"
    "OPENAI_API_KEY=sk-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n"
    "LOG_LEVEL=debug\nRENDER=False\nAWS_KEY=xxx\nAWS_SECRET=xxx\nPOLYGON_IO_API_KEY=xxx\n"
    "SEC_EDGAR_EMAIL=you@example.com\n"
)


def test_tf302_an_env_template_of_placeholders_and_a_secretless_override(tmp_path: Path) -> None:
    files = {"backend/.env.development": ENV_DEVELOPMENT, "backend/app.py": "import os\n"}
    assert findings(tmp_path / "template", "TF302", files) == []
    # the same file with a real key is reported, at error
    real = ENV_DEVELOPMENT.replace(
        "AWS_SECRET=xxx", "AWS_SECRET=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ9x8"
    )
    [finding] = findings(tmp_path / "real", "TF302", {**files, "backend/.env.development": real})
    assert finding.severity.value == "error"
    # a compose override holding no secret: the name is wrong, nothing leaks: a warning
    docker = {
        "backend/.env.docker": "DATABASE_URL=postgresql://user:password@db:5432/llama_app_db\n"
    }
    [finding] = findings(tmp_path / "docker", "TF302", {**docker, "backend/app.py": "import os\n"})
    assert finding.severity.value == "warning" and "no secret today" in finding.message
    # a production environment's file is reported whatever it holds (a warning here)
    production = {"backend/.env.production": ENV_DEVELOPMENT, "backend/app.py": "import os\n"}
    [finding] = findings(tmp_path / "production", "TF302", production)
    assert finding.path == "backend/.env.production"
    # `.env` itself stays an error whatever it holds
    [finding] = findings(
        tmp_path / "dotenv", "TF302", {".env": ENV_DEVELOPMENT, "app.py": "import os\n"}
    )
    assert finding.severity.value == "error"


def test_tf301_a_lessons_local_sandbox_passwords(tmp_path: Path) -> None:
    # llm-zoomcamp: a pgvector container on localhost, and Kestra's basic auth in compose.
    # A connection string to this machine is not reported (a local sandbox's login:
    # FALSE or NOISE on every real repository judged); the compose login is a warning.
    lesson = (
        "import psycopg\n\nconn = psycopg.connect('postgresql://user:pswd@localhost:5432/faq')\n"
    )
    compose = (
        "services:\n  kestra:\n    image: kestra/kestra:v0.23.0\n    environment:\n"
        "      KESTRA_CONFIGURATION: |\n        kestra:\n          server:\n"
        "            basicAuth:\n              enabled: true\n"
        "              username: admin@kestra.io\n              password: Admin1234!\n"
    )
    files = {"02-vector-search/search.py": lesson, "03-orchestration/docker-compose.yml": compose}
    found = findings(tmp_path / "sandbox", "TF301", files)
    assert sorted((f.path, f.severity.value) for f in found) == [
        ("03-orchestration/docker-compose.yml", "warning"),
    ]
    # a provider's token in compose is an error; a password to another host a warning
    # with no qualifier (found by a URL's shape, as a placeholder's would be)
    remote = lesson.replace("@localhost:5432", "@db.internal:5432")
    token = compose.replace(
        "password: Admin1234!", "password: ghp_1A2b3C4d5E6f7G8h9I0jKlMnOpQrStUvWxYz"
    )
    files = {"02-vector-search/search.py": remote, "03-orchestration/docker-compose.yml": token}
    found = findings(tmp_path / "leaks", "TF301", files)
    assert sorted((f.path, f.severity.value) for f in found) == [
        ("02-vector-search/search.py", "warning"),
        ("03-orchestration/docker-compose.yml", "error"),
    ]
    assert all(f.message.endswith("'") for f in found)


def test_tf206_a_librarys_backend_its_package_imports_under_except_importerror(
    tmp_path: Path,
) -> None:
    # BERTopic: `bertopic/backend/__init__.py` imports the OpenAI backend in a try block
    # that puts a `NotInstalled("pip install openai")` placeholder in its place.
    from twelvefold.config import Config

    from tests.helpers import check, make_repo

    init = (
        "from ._base import BaseEmbedder\nfrom bertopic._utils import NotInstalled\n\n"
        "try:\n    from bertopic.backend._openai import OpenAIBackend\n"
        "except ModuleNotFoundError:\n    OpenAIBackend = NotInstalled('OpenAI', 'OpenAI')\n"
    )
    files = {
        "pyproject.toml": '[project]\nname = "bertopic"\nversion = "0.17.0"\ndependencies = ["numpy>=1.20"]\n',
        "bertopic/__init__.py": "",
        "bertopic/_utils.py": "class NotInstalled:\n    pass\n",
        "bertopic/backend/__init__.py": init,
        "bertopic/backend/_base.py": "import numpy as np\n",
        "bertopic/backend/_openai.py": "import openai\nimport numpy as np\n",
    }
    root = make_repo(tmp_path / "guarded", files)
    assert check(root, select=["TF206"], config=Config(kind="library")).findings == []
    # imported plainly by its package, the backend's openai is a dependency
    files["bertopic/backend/__init__.py"] = (
        "from ._base import BaseEmbedder\nfrom ._openai import OpenAIBackend\n"
    )
    root = make_repo(tmp_path / "plain", files)
    [finding] = check(root, select=["TF206"], config=Config(kind="library")).findings
    assert finding.path == "bertopic/backend/_openai.py"
