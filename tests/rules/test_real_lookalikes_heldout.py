"""Look-alikes found by judging held-out real repositories (TF301, TF505, TF801).

Each test is a minimal, self-written reproduction of a FALSE class seen on a real
repository: none of them may be reported. The matching violations that must still be
reported sit next to each rule's other tests (tests/rules/test_f03_config.py,
test_f05_build_release_run.py, test_f08_dev_prod_parity.py). Key-shaped values are
built by concatenation: this repository is checked by twelvefold itself.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings

# ------------------------------------------------------------------- TF301 hard-coded secret


def test_tf301_prose_in_yaml_block_scalars_is_no_key(tmp_path: Path) -> None:
    # A project description wrapped so that a line starts with "token ..." or "secret ...".
    project = (
        'title: "Tagging and parsing"\n'
        "description: >\n"
        "  This template trains a tagger and a parser from a treebank. Note that\n"
        "  multi-word tokens are merged when the corpus is converted, since the\n"
        "  library has no multi-word\n"
        "  token expansion.\n"
        "notes: >-\n"
        "  Uploading the model needs a personal access\n"
        "  token (fine-grained).\n"
        "steps:\n"
        "  - name: upload\n"
        "    help: |\n"
        "      Pushes the package with a classic access\n"
        "      token (repo-scope),\n"
        "      exported beforehand.\n"
        "vars:\n"
        '  lang: "en"\n'
    )
    assert findings(tmp_path, "TF301", {"pipelines/tagger/project.yml": project}) == []


def test_tf301_a_word_ending_a_sentence_is_no_secret_value(tmp_path: Path) -> None:
    # Outside any block: a plain text note and a YAML comment-less prose value.
    notes = (
        "The service reads its credentials at start-up; rotating them needs no\n"
        "secret rotation.\n"
        "Each request sends its\n"
        "token unchanged;\n"
    )
    assert findings(tmp_path, "TF301", {"docs/operations.txt": notes}) == []


def test_tf301_public_client_keys_are_not_secrets(tmp_path: Path) -> None:
    # PostHog project keys (phc_) and Stripe publishable keys (pk_live_/pk_test_) are
    # meant to ship inside clients: write-only ingestion or publishable by design.
    body = "Q7rTz2" + "mWk9Xa4LpV3nBc8" + "HdF5sJy6GeU1oRi0" + "tNqZ"
    project_key = "phc_" + body
    module = (
        "import posthog\n"
        "\n"
        "def init_telemetry():\n"
        f'    posthog.api_key = "{project_key}"\n'
        '    posthog.host = "https://eu.posthog.com"\n'
        f'STRIPE_API_KEY = "{"pk_" + "live_" + body[:24]}"\n'
        f'STRIPE_TEST_API_KEY = "{"pk_" + "test_" + body[:24]}"\n'
    )
    files = {
        "src/acme/telemetry.py": module,
        "web/config.yaml": f"posthog_api_key: {project_key}\n",
    }
    assert findings(tmp_path, "TF301", files) == []


def test_tf301_code_expressions_in_a_release_note_are_not_values(tmp_path: Path) -> None:
    note = (
        "---\n"
        "features:\n"
        "  - |\n"
        "    Components take a `Secret` for their credentials.\n"
        "    ```python\n"
        "    @classmethod\n"
        "    def from_dict(cls, data):\n"
        '        api_key_data = data["init_parameters"]["api_key"]\n'
        "        token = self.api_token.resolve_value()\n"
        "        secret = config.auth.client_secret\n"
        "        password = os.environ.get('DB_PASSWORD')\n"
        "        return default_from_dict(cls, data)\n"
        "    ```\n"
    )
    files = {"releasenotes/notes/secret-handling-1f2e3d4c5b6a7980.yaml": note}
    assert findings(tmp_path, "TF301", files) == []


def test_tf301_expressions_as_config_values_are_not_literals(tmp_path: Path) -> None:
    config = (
        "api_key: settings.OPENAI_API_KEY\n"
        "hf_token: cfg.hub.token\n"
        'db_password: vault["prod"]["db"]\n'
        "client_secret: load_secret(CLIENT_SECRET_NAME)\n"
    )
    assert findings(tmp_path, "TF301", {"conf/service.yaml": config}) == []


# ------------------------------------------------------------------- TF505 install without lock


def test_tf505_extras_of_a_version_pinned_on_the_same_line_are_pinned(tmp_path: Path) -> None:
    dockerfile = (
        "FROM python:3.12-slim\n"
        "RUN pip install -U pip\n"
        "RUN pip install acme-client==1.4.2 acme-client[metrics]\n"
        "RUN pip install Acme_Client[tracing] 'acme.client==1.4.2'\n"
    )
    assert findings(tmp_path, "TF505", {"build/Dockerfile": dockerfile}) == []


# ------------------------------------------------------------------- TF801 no CI

_CODE = {
    "pyproject.toml": '[project]\nname = "churn"\nversion = "0.1.0"\n',
    "src/churn/__init__.py": "",
    "src/churn/train.py": "import pandas as pd\n",
    "tests/test_train.py": "def test_train():\n    assert True\n",
}


def test_tf801_cloud_build_config_under_another_name_is_ci(tmp_path: Path) -> None:
    pipeline = (
        "# CI/CD steps to test and deploy the training pipeline.\n"
        "steps:\n"
        "- name: 'gcr.io/cloud-builders/git'\n"
        "  args: ['clone', '--depth', '1', '$_REPO_URL']\n"
        "  id: 'Clone Repository'\n"
        "- name: '$_CICD_IMAGE_URI'\n"
        "  entrypoint: 'pytest'\n"
        "  args: ['tests/test_train.py']\n"
        "  dir: 'repo'\n"
        "timeout: 3600s\n"
    )
    deploy = (
        "steps:\n"
        "- name: python:3.12-slim\n"
        "  entrypoint: bash\n"
        "  args: ['-c', 'pip install -r requirements.txt && python -m pytest']\n"
        "- name: gcr.io/google.com/cloudsdktool/cloud-sdk\n"
        "  args: ['gcloud', 'run', 'deploy', 'churn']\n"
    )
    one = {**_CODE, "build/pipeline-deployment.yaml": pipeline}
    two = {**_CODE, "deploy/model-deployment.yml": deploy}
    assert findings(tmp_path / "one", "TF801", one) == []
    assert findings(tmp_path / "two", "TF801", two) == []


# --- second held-out pass: templates, courses, tooling left open in an image ---------------


def test_tf505_only_a_test_tool_left_open_in_the_image_requirements(tmp_path: Path) -> None:
    """mlops-with-vertex-ai: the image installs a requirements.txt pinned with `==` but
    for `pytest`, which the pipeline never runs."""
    from tests.helpers import check, make_repo

    files = {
        "Dockerfile": "FROM python:3.11-slim\nCOPY requirements.txt .\n"
        "RUN pip install -r requirements.txt\n",
        "requirements.txt": "kfp==1.8.1\ngoogle-cloud-aiplatform==1.4.2\npytest\n",
        "pipeline.py": "import kfp\n",
    }
    make_repo(tmp_path / "repo", files)
    assert check(tmp_path / "repo", select=["TF505"]).findings == []
    # A runtime dependency left open is still reported.
    (tmp_path / "repo" / "requirements.txt").write_text("kfp\npytest\n", encoding="utf-8")
    assert [f.code for f in check(tmp_path / "repo", select=["TF505"]).findings] == ["TF505"]


def test_template_collections_are_not_held_to_a_products_image_and_tooling(
    tmp_path: Path,
) -> None:
    """explosion/projects: spaCy project templates users clone and adapt."""
    from twelvefold.config import Config

    from tests.helpers import check, make_repo

    files = {
        **{f"pipelines/{n}/project.yml": "title: x\n" for n in ("ner", "parser", "textcat")},
        "integrations/fastapi/Dockerfile": "FROM python:3.8\nRUN pip install fastapi uvicorn\n",
        "integrations/fastapi/main.py": "import fastapi\n",
    }
    root = make_repo(tmp_path / "repo", files)
    found = check(root, select=["TF204", "TF505", "TF805"], config=Config()).findings
    assert found == []


def test_course_notebooks_show_the_instructors_bucket(tmp_path: Path) -> None:
    from twelvefold.config import Config

    from tests.helpers import check, make_repo, notebook

    cell = "import pandas as pd\ndf = pd.read_parquet('s3://mlops-course-alexey/green.parquet')\n"
    files = {
        **{f"0{n}-lesson/README.md": "# lesson\n" for n in (1, 2, 3)},
        "04-deployment/score.ipynb": notebook(cell),
    }
    root = make_repo(tmp_path / "repo", files)
    assert check(root, select=["TF401"], config=Config()).findings == []
    # In an application the same notebook cell is reported.
    assert check(root, select=["TF401"], config=Config(kind="application")).findings != []


def test_tf206_modules_a_declared_tfx_stack_installs(tmp_path: Path) -> None:
    """mlops-with-vertex-ai: numpy, tensorflow and google.protobuf come with the pinned
    tensorflow-transform and google-cloud-aiplatform that setup.py declares."""
    from tests.helpers import check, make_repo

    files = {
        "setup.py": (
            "from setuptools import setup\n"
            "setup(name='p', install_requires=['tensorflow-transform==1.2.0', "
            "'google-cloud-aiplatform==1.4.2'])\n"
        ),
        "src/model.py": "import numpy as np\nimport tensorflow as tf\nfrom google.protobuf import json_format\n",
    }
    make_repo(tmp_path / "repo", files)
    assert check(tmp_path / "repo", select=["TF206"]).findings == []


def test_setup_py_requirements_in_a_module_constant_are_read(tmp_path: Path) -> None:
    """`REQUIRED_PACKAGES = [...]` then `setup(install_requires=REQUIRED_PACKAGES)`: the
    list is read (before, the call was opaque and declared nothing)."""
    from tests.helpers import check, make_repo

    files = {
        "setup.py": (
            "import setuptools\n\nREQUIRED_PACKAGES = ['requests==2.32.3']\n\n"
            "setuptools.setup(name='p', install_requires=REQUIRED_PACKAGES)\n"
        ),
        "src/app.py": "import requests\nimport yaml\n",
    }
    make_repo(tmp_path / "repo", files)
    found = check(tmp_path / "repo", select=["TF206"]).findings
    # requests is declared through the constant; yaml is not declared anywhere.
    assert [f.message.split("`")[1] for f in found] == ["yaml"]
