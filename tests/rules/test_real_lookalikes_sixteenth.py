"""Look-alikes from the sixteenth session's held-out set (UUU: ML pipelines, recommender
libraries and applications), each failing on the checker the set was judged on."""

from __future__ import annotations

from pathlib import Path

from twelvefold.config import Config

from tests.helpers import check, findings, make_repo

# --------------------------------------------------------------------------- TF301


def test_tf301_a_requirement_naming_a_secret_package(tmp_path: Path) -> None:
    # simon-bouchard/book-recommendation-platform's conda-exported requirements.txt pins
    # `microsoft-security-utilities-secret-masker==1.0.0b4` (FALSE, at error): a
    # package's name and version. An index URL's credentials there are still a secret.
    requirements = (
        "azure-keyvault-secrets==4.7.0\n"
        "microsoft-security-utilities-secret-masker==1.0.0b4\n"
        "pandas==2.2.2\n"
    )
    assert findings(tmp_path / "names", "TF301", {"requirements.txt": requirements}) == []
    leaked = "--extra-index-url https://deploy:Zq8vN3kTw4Lp9xRe@pypi.internal.example/simple\n"
    [finding] = findings(tmp_path / "url", "TF301", {"requirements.txt": leaked + requirements})
    assert finding.line == 1 and "connection string" in finding.message


# --------------------------------------------------------------------------- TF206


def test_tf206_modules_a_declared_distribution_always_installs(tmp_path: Path) -> None:
    # aurelpow/nba-ml-pipeline catches `google.api_core.exceptions` beside its declared
    # google-cloud-bigquery, and imports `requests` beside nba_api (NOISE twice). A module
    # nothing declared brings is still reported.
    module = (
        "import requests\n"
        "from google.api_core.exceptions import NotFound\n"
        "from google.cloud import bigquery\n"
        "from nba_api.stats.endpoints import leaguegamefinder\n"
    )
    files = {
        "requirements.txt": "google-cloud-bigquery==3.27.0\nnba_api==1.10.0\n",
        "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nRUN pip install -r requirements.txt\n",
        "src/collect/games.py": module,
        "src/collect/__init__.py": "",
    }
    assert findings(tmp_path / "declared", "TF206", files) == []
    files["src/collect/games.py"] = module + "import sklearn\n"
    [finding] = findings(tmp_path / "missing", "TF206", files)
    assert "scikit-learn" in finding.message


# --------------------------------------------------------------------------- TF902


def test_tf902_a_function_that_prints_the_value_it_computed(tmp_path: Path) -> None:
    # LibRecommender's `count_params()` and ml-pipeline-generator's `list_components()`
    # compute one value and end by printing it, returning nothing (FALSE twice): that
    # print is the function's result. Progress printed on the way is still logging.
    module = (
        "def count_params(variables):\n"
        "    total = sum(v.size for v in variables)\n"
        '    print(f"total params: {total:,}")\n'
        "\n\n"
        "def list_components(config):\n"
        "    names = [k for k, v in vars(config).items() if hasattr(v, 'component')]\n"
        "    print(names)\n"
    )
    files = {
        "pyproject.toml": "[project]\nname = 'recs'\nclassifiers = ['Programming Language :: Python']\n",
        "src/recs/__init__.py": "",
        "src/recs/misc.py": module,
    }

    def library(root: Path) -> list[str]:
        make_repo(root, files)
        config = Config(kind="library", preview=True)
        return [f.message for f in check(root, select=["TF902"], config=config).findings]

    assert library(tmp_path / "result") == []
    files["src/recs/misc.py"] = module + (
        "\n\ndef fit(model, data):\n"
        "    print('fitting the model...')\n"
        "    model.fit(data)\n"
        "    print('done')\n"
    )
    [message] = library(tmp_path / "progress")
    assert "fit()" in message


# --------------------------------------------------------------------------- TF804


def test_tf804_one_workflow_checking_the_lock_checks_it_for_every_push(tmp_path: Path) -> None:
    # CCRI-POPROX/poprox-recommender's docker-image.yml sets `UV_LOCKED: 1` on every push
    # and pull request; its other workflows run a plain `uv sync` (NOISE three times): a
    # stale uv.lock already fails CI. A repository checking it nowhere is still told.
    plain = (
        "on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - run: uv sync\n      - run: uv run pytest\n"
    )
    locked = plain.replace("    runs-on:", "    env:\n      UV_LOCKED: 1\n    runs-on:")
    files = {
        "pyproject.toml": "[project]\nname = 'recs'\nversion = '0.1.0'\n",
        "uv.lock": "version = 1\n",
        "tests/test_x.py": "def test_x():\n    assert True\n",
        ".github/workflows/test.yml": plain,
        ".github/workflows/docker-image.yml": locked,
    }
    assert findings(tmp_path / "checked", "TF804", files) == []
    del files[".github/workflows/docker-image.yml"]
    [finding] = findings(tmp_path / "nowhere", "TF804", files)
    assert finding.path == ".github/workflows/test.yml"


# --------------------------------------------------------------------------- TF303


def test_tf303_a_dated_archive_folder_is_kept_for_the_record(tmp_path: Path) -> None:
    # kht321/fx-ml-pipeline keeps superseded DAGs in `archive_2025_11_07/` (NOISE three
    # times: nothing loads them, its README says so). The same path in the live DAGs is
    # still reported.
    dag = 'DATA_DIR = "/Users/kevin/Projects/fx/data"\n\n\ndef load():\n    return DATA_DIR\n'
    files = {"archive_2025_11_07/dags/fx_pipeline_debug.py": dag, "dags/__init__.py": ""}
    assert findings(tmp_path / "archived", "TF303", files) == []
    files["dags/fx_pipeline.py"] = dag
    [finding] = findings(tmp_path / "live", "TF303", files)
    assert finding.path == "dags/fx_pipeline.py"


# --------------------------------------------------------------------------- TF505


def test_tf505_the_value_of_pips_retries_option_is_no_package(tmp_path: Path) -> None:
    # Yunpei24/fraud-detection-ml's images run `pip install --retries 5 --timeout 100 ...`
    # (FALSE five times: `5` reported as an unpinned package). The unpinned package
    # beside it is still reported, and named alone.
    dockerfile = (
        "FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
        "RUN pip install --no-cache-dir --retries 5 --timeout 100 -r requirements.txt\n"
        "COPY . .\n"
    )
    files = {
        "requirements.txt": "pandas==2.2.2\nscikit-learn==1.5.2\n",
        "Dockerfile": dockerfile,
        "app/__init__.py": "",
    }
    assert findings(tmp_path / "options", "TF505", files) == []
    files["Dockerfile"] = dockerfile + "RUN pip install --retries 5 psycopg2-binary\n"
    [finding] = findings(tmp_path / "package", "TF505", files)
    assert "`psycopg2-binary`" in finding.message and "`5`" not in finding.message


# --------------------------------------------------------------------------- TF401


def test_tf401_the_host_after_a_password_the_code_fills_in(tmp_path: Path) -> None:
    # Yunpei24/fraud-detection-ml builds `f"postgresql://fraud_user:{os.getenv(...)}@
    # postgres:5432/..."` (FALSE twice: the user `fraud_user` named as the host). The host
    # is the part after the password.
    module = (
        "import os\n\nSETTINGS = {\n"
        "    \"DATABASE_URL\": f\"postgresql://fraud_user:{os.getenv('PG_PASSWORD', '')}"
        '@db.prod.internal:5432/fraud",\n}\n'
    )
    [finding] = findings(tmp_path, "TF401", {"app/__init__.py": "", "app/settings.py": module})
    assert "`db.prod.internal`" in finding.message and "fraud_user" not in finding.message


def test_tf401_the_local_default_of_a_configured_tracking_server(tmp_path: Path) -> None:
    # rafaelgreca/e2e-mlops-project: `if aws.EC2 != "YOUR_EC2_INSTANCE_URL":
    # set_tracking_uri(f"http://{aws.EC2}:5000") else: set_tracking_uri("http://mlflow:5000")`
    # (FALSE three times): the literal is the default when the setting is left unset.
    module = (
        "import mlflow\n\nfrom app.settings import aws\n\n"
        'if aws.EC2 != "YOUR_EC2_INSTANCE_URL":\n'
        '    mlflow.set_tracking_uri(f"http://{aws.EC2}:5000")\n'
        "else:\n"
        '    mlflow.set_tracking_uri("http://mlflow.prod.internal:5000")\n'
    )
    files = {"app/__init__.py": "", "app/settings.py": "aws = None\n", "app/api.py": module}
    assert findings(tmp_path / "default", "TF401", files) == []
    files["app/api.py"] = (
        'import mlflow\n\nmlflow.set_tracking_uri("http://mlflow.prod.internal:5000")\n'
    )
    [finding] = findings(tmp_path / "fixed", "TF401", files)
    assert "mlflow.prod.internal" in finding.message
