"""Look-alikes from held-out set U (fresh-2026-12-05-u), judged before any change:
fairlearn's Codecov upload token (TF301, an error on the first run), a Packt book's
quoted requirement with extras (TF505) and FastAPI lifespan (TF602), and the CodeBuild
buildspecs of an AWS sample's pipelines (TF801/TF802)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings


def test_tf301_a_codecov_upload_token_is_a_warning(tmp_path: Path) -> None:
    codecov = (
        "comment: false\ncodecov:\n  branch: main\n  require_ci_to_pass: true\n"
        "  token: 363a3c5e-8d7f-4a8e-9c1b-2f6d4e5a7b90\n"
    )
    [finding] = findings(tmp_path / "codecov", "TF301", {"codecov.yml": codecov})
    assert finding.severity.value == "warning" and "Codecov upload token" in finding.message
    # the same key in any other configuration is an error
    [finding] = findings(tmp_path / "other", "TF301", {"deploy.yml": codecov})
    assert finding.severity.value == "warning" and finding.message.endswith("'")


def test_tf505_a_quoted_requirement_with_extras_is_one_package(tmp_path: Path) -> None:
    image = 'FROM python:3.10-slim\nRUN pip3 install "auto-sklearn[test, examples]"\n'
    [finding] = findings(
        tmp_path / "automl", "TF505", {"Dockerfile": image, "app.py": "import json\n"}
    )
    assert (
        "`auto-sklearn[test, examples]`" in finding.message
        and "examples]`" not in finding.message.replace("`auto-sklearn[test, examples]`", "")
    )
    pinned = image.replace("examples]", "examples]==0.15.0")
    assert (
        findings(tmp_path / "pinned", "TF505", {"Dockerfile": pinned, "app.py": "import json\n"})
        == []
    )


APP = (
    "from contextlib import asynccontextmanager\n\nfrom fastapi import FastAPI\n\n"
    "service_handlers = {}\n\n\n"
    "@asynccontextmanager\nasync def lifespan(app: FastAPI):\n"
    "    service_handlers['mlflow'] = object()\n    yield\n    service_handlers.clear()\n\n\n"
    "app = FastAPI()\n\n\n"
    "@app.post('/forecast')\nasync def forecast(items: list[int]):\n"
    "    with lifespan(app=app):\n        return service_handlers['mlflow']\n"
)


def test_tf602_a_lifespan_a_handler_enters_is_not_a_request_handler(tmp_path: Path) -> None:
    assert findings(tmp_path / "lifespan", "TF602", {"serve/app.py": APP}) == []
    # the same mutation in a helper the handler calls is shared state
    helper = APP.replace(
        "async def lifespan(app: FastAPI):", "async def handlers_for(request):"
    ).replace("with lifespan(app=app):", "with handlers_for(items):")
    assert len(findings(tmp_path / "helper", "TF602", {"serve/app.py": helper})) == 1


def test_tf801_tf802_codebuild_buildspecs_in_pipeline_folders_are_ci(tmp_path: Path) -> None:
    # Each pipeline folder becomes its own CodeCommit repository with its buildspec.
    buildspec = (
        "version: 0.2\nphases:\n  install:\n    commands:\n      - npm install aws-cdk@2.46.0\n"
        "  build:\n    commands:\n      - npx cdk synth\n"
    )
    files = {
        "build_pipeline/buildspec.yml": buildspec,
        "build_pipeline/pipelines/preprocess.py": "import json\n",
        "build_pipeline/tests/test_preprocess.py": "def test_one():\n    assert 1\n",
    }
    assert findings(tmp_path / "codebuild", "TF801", files) == []
    [finding] = findings(tmp_path / "codebuild2", "TF802", files)
    assert finding.path == "build_pipeline/buildspec.yml"


def test_tf901_a_lesson_about_logging_and_a_competition_runs_log(tmp_path: Path) -> None:
    # Packt's `Chapter04/logging_examples/`: configuring a log file is the lesson.
    lesson = "import logging\n\nlogging.basicConfig(filename='outliers.log', level=logging.DEBUG)\n"
    files = {
        "Chapter04/logging_examples/logging_example.py": lesson,
        "Chapter05/app/app.py": "import json\n",
    }
    assert findings(tmp_path / "lesson", "TF901", files) == []
    # the same line in the chapter's deployed service is its log going to a file
    files["Chapter05/app/app.py"] = lesson
    [finding] = findings(tmp_path / "service", "TF901", files)
    assert finding.path == "Chapter05/app/app.py"


def test_code_kept_in_an_old_folder_is_read_for_secrets_only(tmp_path: Path) -> None:
    # alerce's `data_loaders/old/`: superseded preprocessors nobody runs or changes.
    old = (
        "import numpy as np\nfrom sklearn.model_selection import train_test_split\n\n\n"
        "def split(x, y):\n    print('splitting')\n    print('done')\n"
        "    return train_test_split(x, y)\n\n\n"
        "DB = 'postgresql://stamps:Xk8pq2Lm9zQ4@db.alerce.online/ztf'\n"
    )
    files = {
        "model/__init__.py": "import logging\n\nLOG = logging.getLogger(__name__)\n",
        "model/loaders/__init__.py": "",
        "model/loaders/old/ztf.py": old,
    }
    found = findings(tmp_path / "old", ["TF902", "TF1003", "TF301"], files)
    assert [f.code for f in found] == ["TF301"]
    files = {
        "model/__init__.py": "import logging\n\nLOG = logging.getLogger(__name__)\n",
        "model/loaders/__init__.py": "",
        "model/loaders/ztf.py": old,
    }
    found = findings(tmp_path / "current", ["TF902", "TF1003", "TF301"], files)
    assert sorted(f.code for f in found) == ["TF1003", "TF301", "TF902"]
