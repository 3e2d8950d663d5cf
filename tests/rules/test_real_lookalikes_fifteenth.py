"""Look-alikes from the fifteenth session's held-out set (PPP, judged on ce7d5f1): each
class judged FALSE or NOISE there, self-written, with the violation the rule must still
find."""

from __future__ import annotations

from pathlib import Path

from twelvefold.config import Config
from twelvefold.model import Severity

from tests.helpers import check, findings, make_repo

# --------------------------------------------------------------------------- TF206


def test_tf206_pyspark_under_apache_sparks_own_image(tmp_path: Path) -> None:
    # jomanor/weather-prediction-mlops builds its Spark jobs on `FROM
    # apache/spark:3.5.5-python3`, whose Spark release carries PySpark: adding `pyspark`
    # to the requirements would install a second one (FALSE). On a plain Python image
    # the import is undeclared.
    files = {
        "spark/Dockerfile": (
            "FROM apache/spark:3.5.5-python3\n"
            "COPY requirements.txt .\n"
            "RUN pip install --no-cache-dir -r requirements.txt\n"
            "COPY jobs/ /opt/jobs/\n"
        ),
        "spark/requirements.txt": "pymongo==4.10.1\n",
        "spark/jobs/train.py": "from pyspark.sql import SparkSession\nimport pymongo\n",
    }
    assert findings(tmp_path / "spark", "TF206", files) == []
    files["spark/Dockerfile"] = files["spark/Dockerfile"].replace(
        "apache/spark:3.5.5-python3", "python:3.11-slim"
    )
    [found] = findings(tmp_path / "python", "TF206", files)
    assert (found.path, found.line) == ("spark/jobs/train.py", 1)


# --------------------------------------------------------------------------- TF401


def test_tf401_a_link_shown_as_a_prefect_artifact(tmp_path: Path) -> None:
    # dpalacioj/MLOps-Course's Prefect lesson shows where a model would be with
    # `create_link_artifact(link="s3://ml-models/...")`: a link on a page, nothing
    # connects to it (FALSE). Reading the same bucket in code is reported.
    shown = (
        "from prefect.artifacts import create_link_artifact\n\n"
        "def publish():\n"
        "    create_link_artifact(\n"
        '        key="model-artifact",\n'
        '        link="s3://ml-models/nyc-taxi/model.pkl",\n'
        '        link_text="Download Model",\n'
        "    )\n"
    )
    assert findings(tmp_path / "shown", "TF401", {"flows/publish.py": shown}) == []
    read = "import pandas as pd\n\ndef load():\n    return pd.read_parquet('s3://ml-data/train.parquet')\n"
    [found] = findings(tmp_path / "read", "TF401", {"flows/load.py": read})
    assert found.line == 4


# --------------------------------------------------------------------------- TF505


def test_tf505_installing_a_project_whose_pyproject_pins_everything(tmp_path: Path) -> None:
    # pespila/mlops-template's serving image runs `pip install .` on a pyproject whose
    # every dependency is `==`: the rule accepts the same pins as `-r requirements.txt`,
    # so through `.` they were no lock either (FALSE). One range makes it a finding.
    pyproject = (
        '[project]\nname = "serving"\nversion = "0.1.0"\n'
        'dependencies = ["fastapi==0.115.4", "uvicorn[standard]==0.32.0"]\n\n'
        '[project.optional-dependencies]\ndev = ["pytest>=8"]\n'
    )
    dockerfile = (
        "FROM python:3.11.9-slim\nWORKDIR /app\nCOPY pyproject.toml ./\n"
        "RUN pip install .\nCOPY serving ./serving\n"
    )
    files = {
        "serving_base/Dockerfile": dockerfile,
        "serving_base/pyproject.toml": pyproject,
        "serving_base/serving/__init__.py": "",
    }
    assert findings(tmp_path / "pinned", "TF505", files) == []
    files["serving_base/Dockerfile"] = dockerfile.replace("pip install .", "pip install '.[dev]'")
    [extra] = findings(tmp_path / "extra", "TF505", files)
    assert extra.path == "serving_base/Dockerfile"
    files["serving_base/Dockerfile"] = dockerfile
    files["serving_base/pyproject.toml"] = pyproject.replace("fastapi==0.115.4", "fastapi>=0.115")
    [ranged] = findings(tmp_path / "ranged", "TF505", files)
    assert ranged.line == 4


def test_tf206_torchvision_under_the_official_pytorch_image(tmp_path: Path) -> None:
    # raminmohammadi/MLOps's Katib lab builds on `FROM pytorch/pytorch:2.0.1-cuda11.7-
    # cudnn8-runtime`, whose image installs torch, torchvision and torchaudio (FALSE).
    files = {
        "lab/Dockerfile": "FROM pytorch/pytorch:2.0.1-cuda11.7-cudnn8-runtime\nCOPY mnist.py /app/\n",
        "lab/mnist.py": "import torch\nfrom torchvision import datasets\n",
        "requirements.txt": "fastapi==0.115.4\n",
        "app/main.py": "import fastapi\n",
    }
    assert findings(tmp_path / "image", "TF206", files) == []
    files["lab/Dockerfile"] = "FROM python:3.11-slim\nCOPY mnist.py /app/\n"
    found = findings(tmp_path / "python", "TF206", files)
    assert [(f.path, f.line) for f in found] == [("lab/mnist.py", 1), ("lab/mnist.py", 2)]


def test_tf206_a_kubeflow_components_own_packages(tmp_path: Path) -> None:
    # The same course's Kubeflow lab declares each component's packages in its decorator,
    # `@dsl.component(packages_to_install=["pandas", "loguru"])`, installed in the
    # component's container before it runs (FALSE). Without that list it is undeclared.
    component = (
        "from kfp import dsl\n\n\n"
        '@dsl.component(base_image="python:3.11", packages_to_install=["pandas", "loguru"])\n'
        "def load(url: str) -> None:\n"
        "    import pandas as pd\n"
        "    from loguru import logger\n\n"
        "    logger.info(pd.read_csv(url).shape)\n"
    )
    files = {"requirements.txt": "kfp==2.9.0\n", "pipeline/components.py": component}
    assert findings(tmp_path / "listed", "TF206", files) == []
    files["pipeline/components.py"] = component.replace(
        ', packages_to_install=["pandas", "loguru"]', ""
    )
    found = findings(tmp_path / "bare", "TF206", files)
    assert sorted(f.line for f in found) == [6, 7]


# --------------------------------------------------------------------------- TF401


def test_tf401_a_project_id_left_for_the_reader_to_fill_in(tmp_path: Path) -> None:
    # The course's Cloud Functions lab: `publisher.topic_path('PROJECT_ID', 'model-
    # training-trigger')  # Replace with Project_ID`: a blank, no project (project ids
    # are lower case). A real project's topic is reported.
    code = (
        "from google.cloud import pubsub_v1\n\n"
        "publisher = pubsub_v1.PublisherClient()\n"
        "TOPIC = publisher.topic_path('{project}', 'model-training-trigger')\n"
    )
    blank = {"main.py": code.format(project="PROJECT_ID")}
    assert findings(tmp_path / "blank", "TF401", blank) == []
    [found] = findings(tmp_path / "real", "TF401", {"main.py": code.format(project="acme-ml-prod")})
    assert found.line == 4


# --------------------------------------------------------------------------- TF301, TF503


def test_tf301_airflows_generated_config_is_a_warning(tmp_path: Path) -> None:
    # The course's Airflow labs commit the `airflow.cfg` Airflow wrote on first start, its
    # random `secret_key` included: a local sandbox's (NOISE at error). Still reported, as a
    # warning; the same key in a deploy's settings module stays an error.
    config = (
        "[api]\n# Variable: AIRFLOW__API__SECRET_KEY\n#\nsecret_key = 7fiJydbwJyeBWLsyJBw15A==\n"
    )
    [found] = findings(tmp_path / "cfg", "TF301", {"lab/config/airflow.cfg": config})
    assert found.severity == Severity.WARNING and "generated airflow.cfg" in found.message
    settings = {"app/settings.py": 'SECRET_KEY = "7fiJydbwJyeBWLsyJBw15A=="\n'}
    [error] = findings(tmp_path / "py", "TF301", settings)
    assert error.severity is Severity.WARNING and error.message.endswith("'")


def test_tf503_a_courses_lab_image_is_a_warning(tmp_path: Path) -> None:
    # A Kubernetes lab's static front end on `nginx:alpine` (NOISE at error in a course):
    # a warning there; an application's image on a moving tag stays an error.
    files = {
        "labs/lab5/frontend/Dockerfile": "FROM nginx:alpine\nCOPY index.html /usr/share/nginx/html/\n"
    }
    make_repo(tmp_path / "course", files)
    course = check(
        tmp_path / "course", select=["TF503"], config=Config(kind="course", preview=True)
    )
    [lesson] = course.findings
    assert lesson.severity == Severity.WARNING
    [deploy] = findings(tmp_path / "app", "TF503", files)
    assert deploy.severity == Severity.ERROR


# --------------------------------------------------------------------------- set QQQ


def test_tf902_a_bare_print_ending_a_progress_line(tmp_path: Path) -> None:
    # jtayl222/financial-mlops-pytorch's trainer draws a progress bar with
    # `sys.stdout.write("\r...")` and ends it with a bare `print()`: a line break, no
    # message (FALSE). A status message printed beside the logger is still reported.
    module = (
        "import logging\nimport sys\n\nlogger = logging.getLogger(__name__)\n\n\n"
        "def train(batches):\n"
        "    logger.info('training on %d batches', len(batches))\n"
        "    for i, batch in enumerate(batches):\n"
        "        sys.stdout.write(f'\\rbatch {i}')\n"
        "    print()\n"
    )
    assert findings(tmp_path / "bare", "TF902", {"src/pkg/train.py": module}) == []
    noisy = module.replace("    print()\n", "    print('epoch done')\n    print('saving')\n")
    [found] = findings(tmp_path / "said", "TF902", {"src/pkg/train.py": noisy})
    assert found.line == 11


def test_tf301_a_test_token_made_of_words(tmp_path: Path) -> None:
    # darkzard05/rag-system-ollama's CI sets `TEST_API_KEY: "sk_admin_test_token_12345"`
    # for its integration tests: words and a counting run, chosen by a person (FALSE at
    # error). An issued-looking token there is reported.
    workflow = (
        "name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
        '    env:\n      TEST_API_KEY: "{value}"\n    steps:\n      - run: pytest\n'
    )
    made_up = {".github/workflows/ci.yml": workflow.format(value="sk_admin_test_token_12345")}
    assert findings(tmp_path / "words", "TF301", made_up) == []
    issued = {".github/workflows/ci.yml": workflow.format(value="sk_9fQ2xLm7Vn4Bz8Wc1Rt6Yp3Hd")}
    [found] = findings(tmp_path / "issued", "TF301", issued)
    assert found.line == 7


def test_tf1002_a_test_module_run_as_its_own_script(tmp_path: Path) -> None:
    # The same repository's `scripts/verification/test_state_accumulation.py` ends with
    # `if __name__ == "__main__": asyncio.run(test_state_accumulation())`: a check its
    # author runs by hand, and "never run" is wrong (FALSE). Without that block, pytest's
    # testpaths leave it out and it is reported.
    check_module = (
        "import asyncio\n\n\n"
        "async def test_state_accumulation():\n"
        "    assert await asyncio.sleep(0, result=2) == 2\n\n\n"
        'if __name__ == "__main__":\n'
        "    asyncio.run(test_state_accumulation())\n"
    )
    files = {
        "pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
        "tests/test_api.py": "def test_health():\n    assert True\n",
        "scripts/verification/test_state_accumulation.py": check_module,
    }
    assert findings(tmp_path / "script", "TF1002", files) == []
    files["scripts/verification/test_state_accumulation.py"] = check_module.split(
        "\n\n\nif", maxsplit=1
    )[0]
    [found] = findings(tmp_path / "bare", "TF1002", files)
    assert found.path == "scripts/verification/test_state_accumulation.py"


def test_tf303_in_a_repository_copied_in_whole(tmp_path: Path) -> None:
    # ysys143/compare-lightrag-variants keeps a copy of each project it compares, with its
    # LICENSE and its `.github/`: the upstream developer's `/Users/...` paths are theirs
    # (NOISE). The same path in the repository's own script is reported.
    script = "DATA = '/Users/raphael/Github/edgequake/zz_test_docs/fonts'\n"
    files = {
        "README.md": "# Comparing RAG engines\n",
        "edgequake/LICENSE": "Apache License 2.0\n",
        "edgequake/.github/workflows/ci.yml": "on: push\n",
        "edgequake/Makefile": "test:\n\tpytest\n",
        "edgequake/scripts/check_fonts.py": script,
    }
    assert findings(tmp_path / "copied", "TF303", files) == []
    files["scripts/check_fonts.py"] = script
    [found] = findings(tmp_path / "own", "TF303", files)
    assert found.path == "scripts/check_fonts.py"


# --------------------------------------------------------------------------- set RRR


def test_tf505_installing_a_project_that_requires_nothing(tmp_path: Path) -> None:
    # AntreasAntoniou/minimal-ml-template: `ADD . /app/` then `pip install /app/`, whose
    # setup.py declares no dependency: nothing resolves (FALSE). A project that requires
    # a package is still reported.
    setup = 'from setuptools import setup\n\nsetup(name="mlproject", version="1.0", packages=["mlproject"]{extra})\n'
    files = {
        "Dockerfile": "FROM python:3.11.9-slim\nADD . /app/\nRUN pip install /app/\n",
        "setup.py": setup.format(extra=""),
        "mlproject/__init__.py": "",
    }
    assert findings(tmp_path / "none", "TF505", files) == []
    files["setup.py"] = setup.format(extra=', install_requires=["torch"]')
    [found] = findings(tmp_path / "torch", "TF505", files)
    assert found.line == 3


def test_tf302_an_env_file_whose_values_name_what_goes_there(tmp_path: Path) -> None:
    # The same template's `run.env`: `export WANDB_API_KEY=wandb-api-key`, `export
    # HF_TOKEN=huggingface-token`, values saying what to put there (FALSE at error). A
    # filled-in token is reported.
    env = "export WANDB_API_KEY={key}\nexport HF_TOKEN=huggingface-token\nexport MODEL_DIR=/volume/models\n"
    files = {"run.env": env.format(key="wandb-api-key"), "train.py": "import os\n"}
    assert findings(tmp_path / "named", "TF302", files) == []
    files["run.env"] = env.format(key="8f3a9c2e71d04b5f9a6e2c8d1b7f4a03")
    [found] = findings(tmp_path / "filled", "TF302", files)
    assert found.path == "run.env"


def test_tf1002_tests_of_a_template_in_a_collection(tmp_path: Path) -> None:
    # MoustHolmes/cookiecutter-ml-templates keeps one copier template per folder
    # (`templates/barebone/copier.yml`); their tests run in the generated project, not
    # under the collection's `testpaths` (FALSE). Without the folder's copier.yml the
    # tests are the repository's own, outside its testpaths.
    test = "def test_config():\n    assert {'lr': 0.1}['lr'] == 0.1\n"
    files = {
        "copier.yml": "_subdirectory: templates/barebone\n",
        "pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
        "tests/test_generation.py": "def test_generate():\n    assert True\n",
        "templates/barebone/copier.yml": "project_name:\n  type: str\n",
        "templates/barebone/tests/test_config.py": test,
    }
    assert findings(tmp_path / "template", "TF1002", files) == []
    del files["templates/barebone/copier.yml"]
    [found] = findings(tmp_path / "own", "TF1002", files)
    assert found.path == "templates/barebone/tests/test_config.py"


def test_tf801_tf1001_a_cookiecutter_whose_projects_carry_ci_and_tests(tmp_path: Path) -> None:
    # alexandrainst/alexandra-ml-template: the generated project has its CI workflow and
    # its tests/ folder (FALSE "no CI" and "no tests"). A template generating neither is
    # reported.
    project = "{{cookiecutter.project_name}}"
    files = {
        "cookiecutter.json": '{"project_name": "demo"}\n',
        "hooks/post_gen_project.py": "import subprocess\n",
        f"{project}/pyproject.toml": '[project]\nname = "{{cookiecutter.project_name}}"\n',
        f"{project}/src/app/__init__.py": "",
        f"{project}/.github/workflows/ci.yaml": "on: push\njobs: {}\n",
        f"{project}/tests/__init__.py": "",
    }
    config = Config(kind="template", preview=True)
    make_repo(tmp_path / "ships", files)
    assert check(tmp_path / "ships", select=["TF801", "TF1001"], config=config).findings == []
    del files[f"{project}/.github/workflows/ci.yaml"], files[f"{project}/tests/__init__.py"]
    make_repo(tmp_path / "bare", files)
    found = check(tmp_path / "bare", select=["TF801", "TF1001"], config=config).findings
    assert sorted(f.code for f in found) == ["TF1001", "TF801"]


# --------------------------------------------------------------------------- set SSS


def test_tf902_an_analysis_script_named_after_features(tmp_path: Path) -> None:
    # nickgreenquist/Movie-Recommender-System-PyTorch-TwoTower-Model's
    # `llm_features/feature_level_analysis.py` prints an agreement report from its main:
    # an analysis script, not the `features` step its name starts with (FALSE). A
    # feature step of the pipeline printing its progress is reported.
    module = (
        "import numpy as np\n\n\n"
        "def agreement(rows):\n"
        "    print('=' * 70)\n"
        "    print(f'mean r = {np.mean(rows):.3f}')\n\n\n"
        "def main():\n    agreement([0.1, 0.2])\n\n\n"
        "if __name__ == '__main__':\n    main()\n"
    )
    files = {
        "requirements.txt": "numpy==2.1.3\n",
        "app/main.py": "import logging\n\nlogging.basicConfig(level=logging.INFO)\n",
        "llm_features/feature_level_analysis.py": module,
        "llm_features/__init__.py": "",
    }
    assert findings(tmp_path / "analysis", "TF902", files) == []
    files["llm_features/feature_engineering.py"] = files.pop(
        "llm_features/feature_level_analysis.py"
    )
    # the app runs the step (one nothing imports or runs is a script run by hand)
    files["app/pipeline.py"] = "from llm_features.feature_engineering import agreement\n"
    [found] = findings(tmp_path / "step", "TF902", files)
    assert found.path == "llm_features/feature_engineering.py"


# --------------------------------------------------------------------------- set TTT


def test_tf301_python_in_a_shell_heredoc_decoding_a_secret(tmp_path: Path) -> None:
    # itsmekhoathekid/RecSys-MLops's deploy scripts run Python in a heredoc:
    # `password = base64.b64decode(data["FEAST_POSTGRES_PASSWORD"]).decode("utf-8")`,
    # a Kubernetes Secret decoded at deploy time (FALSE at error). A literal is reported.
    script = (
        "#!/usr/bin/env bash\nkubectl get secret feast -o json | python3 - <<'EOF'\n"
        "import base64, json, sys\ndata = json.load(sys.stdin)['data']\n"
        "password = {value}\nEOF\n"
    )
    decoded = 'base64.b64decode(data["FEAST_POSTGRES_PASSWORD"]).decode("utf-8")'
    assert (
        findings(tmp_path / "decoded", "TF301", {"deploy/check.sh": script.format(value=decoded)})
        == []
    )
    literal = {"deploy/check.sh": script.format(value="Zq8vR2mXk4Tn7Wp1Ls5Hd9Jc")}
    [found] = findings(tmp_path / "literal", "TF301", literal)
    assert found.line == 5


def test_tf1002_tests_ci_runs_with_unittest_discover(tmp_path: Path) -> None:
    # meta-pytorch/attention-gym's workflow runs `python3 -m unittest discover -s
    # .github/scripts -p 'test_*.py'`: those tests run, whatever pytest's testpaths say
    # (FALSE). Without that step they are outside testpaths and reported.
    workflow = (
        "on: push\njobs:\n  scripts:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: python3 -m unittest discover -s .github/scripts -p 'test_*.py'\n"
        "      - run: pytest\n"
    )
    files = {
        "pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["test"]\n',
        "test/test_masks.py": "def test_mask():\n    assert True\n",
        ".github/scripts/test_ci_health.py": (
            "import unittest\n\n\nclass HealthTest(unittest.TestCase):\n"
            "    def test_report(self):\n        self.assertTrue(True)\n"
        ),
        ".github/workflows/ci.yml": workflow,
    }
    assert findings(tmp_path / "discovered", "TF1002", files) == []
    files[".github/workflows/ci.yml"] = workflow.replace(
        "      - run: python3 -m unittest discover -s .github/scripts -p 'test_*.py'\n", ""
    )
    [found] = findings(tmp_path / "left", "TF1002", files)
    assert found.path == ".github/scripts/test_ci_health.py"


def test_tf602_a_services_own_metrics_counters(tmp_path: Path) -> None:
    # data-fablab/iqa-mlops's API keeps `PREDICTION_METRICS` counters it serves on
    # `/metrics`: per-process counters, as Prometheus's client keeps them (NOISE). Its
    # `PREDICTION_STORE` of records, the only copy, is still reported.
    app = (
        "from fastapi import FastAPI\n\napp = FastAPI()\n"
        "PREDICTION_METRICS = {'requests': 0}\n"
        "PREDICTION_STORE = {}\n\n\n"
        "@app.post('/predict')\n"
        "def predict(item_id: str) -> dict:\n"
        "    PREDICTION_METRICS['requests'] += 1\n"
        "    PREDICTION_STORE[item_id] = {'label': 'ok'}\n"
        "    return PREDICTION_STORE[item_id]\n"
    )
    [found] = findings(
        tmp_path, "TF602", {"requirements.txt": "fastapi==0.115.4\n", "api/main.py": app}
    )
    assert found.line == 5


def test_tf401_the_default_of_a_forms_text_field(tmp_path: Path) -> None:
    # data-fablab/iqa-mlops's Streamlit console: `st.text_input("image_uri",
    # value="s3://iqa-ingested-images/demo-piece-0001.png")`, a default the operator
    # overwrites (FALSE). The same bucket read by the app is reported.
    form = (
        "import streamlit as st\n\n"
        "with st.form('predict'):\n"
        "    image_uri = st.text_input('image_uri', value='s3://iqa-images/demo-0001.png')\n"
    )
    assert findings(tmp_path / "form", "TF401", {"ui/app.py": form}) == []
    read = "import pandas as pd\n\nframe = pd.read_parquet('s3://iqa-images/index.parquet')\n"
    [found] = findings(tmp_path / "read", "TF401", {"ui/app.py": read})
    assert found.line == 3
