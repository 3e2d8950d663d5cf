"""Look-alikes from held-out sets JJ (judged on the checker of 42ebcff's parent) and KK
(judged on 42ebcff): each class judged FALSE or NOISE there, self-written, with the
violation the rule must still find."""

from __future__ import annotations

from pathlib import Path

from twelvefold.config import Config
from twelvefold.model import Severity

from tests.helpers import check, findings, inferred_kind, make_repo, notebook

# --------------------------------------------------------------------------- TF206

_CONDA_SCRIPT = (
    '"""Writes nlp_cpu.yaml: `python tools/generate_conda_file.py`."""\n'
    "import argparse\n\n"
    'CHANNELS = ["defaults", "conda-forge", "pytorch"]\n\n'
    "CONDA_BASE = {\n"
    '    "python": "python==3.6.8",\n'
    '    "numpy": "numpy>=1.13.3",\n'
    '    "pytorch": "pytorch-cpu>=1.0.0",\n'
    "}\n\n"
    "PIP_BASE = {\n"
    '    "nltk": "nltk>=3.4",\n'
    '    "spacy": "spacy==2.1.8",\n'
    '    "dask": "dask[dataframe]==1.2.2",\n'
    "}\n\n"
    "if __name__ == '__main__':\n"
    "    parser = argparse.ArgumentParser()\n"
)


def test_tf206_a_script_that_writes_the_conda_file_declares_its_lists(tmp_path: Path) -> None:
    # microsoft/nlp-recipes keeps its dependencies in `tools/generate_conda_file.py`
    # (SETUP.md: run it, then `conda env create -f nlp_cpu.yaml`): 17 imports it lists
    # were reported as declared nowhere (FALSE).
    files = {
        "tools/generate_conda_file.py": _CONDA_SCRIPT,
        "utils_nlp/__init__.py": "",
        "utils_nlp/dataset.py": "import dask.dataframe as dd\nimport nltk\nimport numpy\nimport spacy\n",
    }
    assert findings(tmp_path / "listed", "TF206", files) == []
    # An import the lists leave out is still reported, and the fix names the script.
    files["utils_nlp/dataset.py"] += "import gensim\n"
    [finding] = findings(tmp_path / "missing", "TF206", files)
    assert "`gensim`" in finding.message
    assert "tools/generate_conda_file.py" in (finding.fix or "")
    # A script of that name holding no versioned lists is no manifest.
    files["tools/generate_conda_file.py"] = 'NAMES = ["numpy", "nltk"]\n'
    found = findings(tmp_path / "none", "TF206", files)
    assert len(found) == 5 and all("no manifest declares it" in f.message for f in found)


# --------------------------------------------------------------------------- TF801

_AZURE_PIPELINE = (
    "pr:\n  - master\n\ntrigger: none\n\n"
    "jobs:\n- job: unit_tests\n  pool:\n    vmImage: 'ubuntu-22.04'\n"
    "  steps:\n  - script: python -m pytest tests/unit\n"
)


def test_tf801_azure_pipelines_kept_beside_the_tests(tmp_path: Path) -> None:
    # nlp-recipes runs its Azure DevOps pipelines from `tests/ci/*.yml`: "no CI" was
    # FALSE. A pipeline is recognised by its top-level keys, in any folder.
    files = {
        "pyproject.toml": '[project]\nname = "nlp"\nversion = "1.0"\n',
        "nlp/__init__.py": "",
        "tests/test_nlp.py": "def test_x():\n    assert True\n",
        "tests/ci/cpu_unit_tests_linux.yml": _AZURE_PIPELINE,
    }
    assert findings(tmp_path / "azure", "TF801", files) == []
    # A YAML with a `trigger:` key that runs nothing (an alerting rule) is no CI.
    files["tests/ci/cpu_unit_tests_linux.yml"] = "trigger: cpu > 90\nnotify: oncall\n"
    [finding] = findings(tmp_path / "alert", "TF801", files)
    assert finding.message.startswith("no CI configuration")


# --------------------------------------------------------------------------- TF301

_KEY_ID = "AKIA" + "Q3EGRT7YHN5KW2XD"
_SECRET_KEY = "wJal" + "rXUtnFEMI/K7MDENG/bPxRfiCYZQ2MW8k3PL"


def test_tf301_a_key_in_an_archived_study_under_docs(tmp_path: Path) -> None:
    # shap keeps an archived user study under `docs/`: a notebook whose `AKIA...` ID
    # the author left after redacting its secret key (an error there was NOISE). Under
    # docs/ it is a warning; in code, the same ID is an error.
    redacted = notebook(
        f"import boto3\nmturk = boto3.client('mturk', aws_access_key_id='{_KEY_ID}',\n"
        "    aws_secret_access_key='XXXXX')"
    )
    [finding] = findings(tmp_path / "docs", "TF301", {"docs/study/approve.ipynb": redacted})
    assert finding.severity is Severity.WARNING
    assert "in documentation" in finding.message and _KEY_ID not in finding.message
    leaked = f'AWS_ACCESS_KEY_ID = "{_KEY_ID}"\nAWS_SECRET_ACCESS_KEY = "{_SECRET_KEY}"\n'
    found = findings(tmp_path / "leaked", "TF301", {"deploy/settings.py": leaked})
    assert [f.severity for f in found] == [Severity.ERROR, Severity.ERROR]
    [finding] = findings(tmp_path / "code", "TF301", {"study/approve.ipynb": redacted})
    assert finding.severity is Severity.ERROR


# --------------------------------------------------------- TF1102, TF1103, TF1201 (course)

_CHURN_NOTEBOOK = notebook(
    "from sklearn.linear_model import LogisticRegression",
    "model = LogisticRegression(solver='liblinear', random_state=1)\nmodel.fit(X_train, y_train)",
)
_FLASK_PREDICT = (
    "from flask import Flask, request, jsonify\nimport pickle\n\n"
    "with open('model_C=1.0.bin', 'rb') as f_in:\n    dv, model = pickle.load(f_in)\n\n"
    "app = Flask('churn')\n\n"
    "@app.route('/predict', methods=['POST'])\n"
    "def predict():\n"
    "    return jsonify({'churn': float(model.predict_proba(dv.transform([request.get_json()]))[0, 1])})\n"
)


def test_a_courses_notebook_training_and_minimal_service(tmp_path: Path) -> None:
    # alexeygrigorev/mlbookcamp-code: the book's chapter notebooks train in the lesson
    # (no tracker, no pipeline: NOISE for TF1102 and TF1103) and its smallest Flask
    # example has no health route (NOISE for TF1201). An application is still told.
    files = {
        "chapter-03-churn-prediction/03-churn.ipynb": _CHURN_NOTEBOOK,
        "chapter-05-deployment/churn_serving.py": _FLASK_PREDICT,
    }
    codes = ["TF1102", "TF1103", "TF1201"]
    root = make_repo(tmp_path / "course", files)
    assert check(root, config=Config(kind="course", select=codes)).findings == []
    root = make_repo(tmp_path / "app", files)
    found = check(root, config=Config(kind="application", select=codes)).findings
    assert sorted(f.code for f in found) == codes


# --------------------------------------------------------------------------- kind


_LLAMA_SETUP = (
    "from setuptools import find_packages, setup\n\n\n"
    "def get_requirements(path: str):\n"
    "    return [l.strip() for l in open(path)]\n\n\n"
    'setup(name="llama", version="0.0.1", packages=find_packages(),\n'
    '      install_requires=get_requirements("requirements.txt"))\n'
)


def test_a_release_its_readme_calls_deprecated_is_research(tmp_path: Path) -> None:
    # meta-llama/llama: the Llama 2 inference code, "a minimal example to load Llama 2
    # models", deprecated, with a bare setup.py: no tests, no CI and no Python version
    # were NOISE. The README's own words make it a frozen release.
    files = {
        "README.md": "## Note of deprecation\n\nPlease use llama-models going forward.\n",
        "setup.py": _LLAMA_SETUP,
        "requirements.txt": "torch\nfairscale\nfire\nsentencepiece\n",
        "llama/__init__.py": "from .generation import Llama\n",
        "llama/generation.py": "import torch\n",
        "example_chat_completion.py": "import fire\nfrom llama import Llama\n",
    }
    assert inferred_kind(make_repo(tmp_path / "frozen", files)) == "research"
    # The same code whose README says nothing of the kind is an application.
    files["README.md"] = "# Llama 2\n\nRun the models with `torchrun example_chat_completion.py`.\n"
    assert inferred_kind(make_repo(tmp_path / "live", files)) == "application"


# --------------------------------------------------------------------------- TF503

_CONDA_IMAGE = (
    "FROM continuumio/miniconda3:latest\n"
    "COPY environment.yml /tmp/environment.yml\n"
    "RUN conda env create -f /tmp/environment.yml && conda clean -afy\n"
    'ENV PATH="/opt/conda/envs/homl3/bin:$PATH"\n'
)


def test_tf503_a_conda_installer_image_building_the_environment_file(tmp_path: Path) -> None:
    # ageron/handson-ml3's Jupyter image: `miniconda3:latest` only runs `conda env
    # create -f environment.yml`, which pins Python and the stack (an error was NOISE).
    # A warning names why; an image whose packages come from the base stays an error.
    files = {"docker/Dockerfile": _CONDA_IMAGE, "train.py": "import numpy\n"}
    [finding] = findings(tmp_path / "env", "TF503", files)
    assert finding.severity is Severity.WARNING and "comes from its file" in finding.message
    files["docker/Dockerfile"] = _CONDA_IMAGE.replace(
        "RUN conda env create -f /tmp/environment.yml", "RUN conda install -y numpy pandas"
    )
    [finding] = findings(tmp_path / "base", "TF503", files)
    assert finding.severity is Severity.ERROR


_WEBHOOK = "https://hooks.slack.com/services/" + "T04M4JRMU9H/B04MUG05UGG/tLJwipAR0z63WenPb688CgXp"


def test_tf301_a_webhook_a_homework_publishes_and_a_studys_sample_settings(
    tmp_path: Path,
) -> None:
    # DataTalksClub's 2023 homework publishes a Slack webhook of a throwaway workspace
    # in its text ("400 people can use this link"); shap's archived user study keeps a
    # psiTurk `config.txt` with sample settings. Errors there were FALSE and NOISE:
    # documentation and a note's key/value are warnings; code keeps the error.
    homework = f"Notify this workspace's webhook:\n\n`{_WEBHOOK}`\n"
    [finding] = findings(tmp_path / "docs", "TF301", {"cohorts/week_2/homework.md": homework})
    assert finding.severity is Severity.WARNING and "in documentation" in finding.message
    settings = "[Server Parameters]\nlogin_pw = examplepassword221s\nsecret_key = 'ksd9f98239s9df8s9d8f7s'\n"
    [finding] = findings(tmp_path / "notes", "TF301", {"study/config.txt": settings})
    assert finding.severity is Severity.WARNING
    notify = f'import requests\n\nrequests.post("{_WEBHOOK}", json={{"text": "done"}})\n'
    [finding] = findings(tmp_path / "code", "TF301", {"flows/notify.py": notify})
    assert finding.severity is Severity.ERROR


# --------------------------------------------------------------------------- TF701

_GRADIO_DEMO = (
    "from transformers import AutoModel, AutoTokenizer\nimport gradio as gr\n\n"
    'tokenizer = AutoTokenizer.from_pretrained("THUDM/chatglm-6b", trust_remote_code=True)\n'
    'model = AutoModel.from_pretrained("THUDM/chatglm-6b", trust_remote_code=True).half().cuda()\n\n\n'
    "def predict(text, history):\n"
    "    return model.chat(tokenizer, text, history)\n\n\n"
    "with gr.Blocks() as demo:\n"
    "    box = gr.Textbox()\n"
    "    box.submit(predict, [box], [box])\n"
)
_PUSHED_BENCHMARK = (
    "from datasets import DatasetDict, load_dataset\n\n\n"
    "def transform(example):\n"
    '    example["id"] = str(example["index"])\n'
    "    return example\n\n\n"
    'ds = load_dataset("Lin-Chen/MMStar", split="val")\n'
    "ds = ds.map(transform)\n"
)


def test_tf701_a_demo_that_launches_and_a_script_that_pushes_its_dataset(tmp_path: Path) -> None:
    # THUDM/ChatGLM-6B's Gradio demos end in a module-level `demo.queue().launch()`;
    # smollm's benchmark builders end in `ds.push_to_hub(...)`: run as `python x.py`,
    # imported by nothing (importing the demo would block), so loading at the top is
    # start-up (6 FALSE, 26 NOISE). A module others import still is reported.
    files = {
        "web_demo.py": _GRADIO_DEMO + "\ndemo.queue().launch(share=False, inbrowser=True)\n",
        "vision/data/create_mmstar.py": _PUSHED_BENCHMARK
        + 'DatasetDict({"test": ds}).push_to_hub("org/MMStar")\n',
        "requirements.txt": "transformers==4.27.1\ngradio==3.50.2\ndatasets==2.19.0\n",
    }
    assert findings(tmp_path / "scripts", "TF701", files) == []
    files = {
        "chat/model.py": _GRADIO_DEMO,
        "vision/data/mmstar.py": _PUSHED_BENCHMARK,
        "requirements.txt": files["requirements.txt"],
    }
    found = findings(tmp_path / "imported", "TF701", files)
    assert {f.path for f in found} == {"chat/model.py", "vision/data/mmstar.py"}


def test_a_paper_named_by_its_venue_installed_from_the_clone_is_research(
    tmp_path: Path,
) -> None:
    # facebookresearch/ImageBind: "To appear at CVPR 2023", `pip install .` of a
    # setup.py with classifiers; its README names the venue, not arXiv. No tests, CI or
    # Python version (NOISE) are asked of a paper's code.
    setup = (
        "from setuptools import setup\n\n"
        'setup(name="imagebind", version="0.1.0", packages=["imagebind"],\n'
        '      classifiers=["Programming Language :: Python :: 3"])\n'
    )
    files = {
        "README.md": "# ImageBind\n\nTo appear at CVPR 2023 (*Highlighted paper*)\n\n"
        "```shell\nconda create --name imagebind python=3.10 -y\npip install .\n```\n",
        "setup.py": setup,
        "imagebind/__init__.py": "",
        "imagebind/models.py": "import torch\n",
    }
    assert inferred_kind(make_repo(tmp_path / "paper", files)) == "research"
    files["README.md"] = "# ImageBind\n\n```shell\npip install .\n```\n"
    assert inferred_kind(make_repo(tmp_path / "library", files)) == "library"


# --------------------------------------------------------------------------- TF401

_FILTER_SCRIPT = (
    "import boto3\n\n"
    'PATH_S3_SHARDS = "s3://m4-datasets-us-east-1/webdocs/shards/"\n\n\n'
    "def upload(path):\n"
    '    boto3.client("s3").upload_file(path, Bucket="m4-datasets-us-east-1", Key=path)\n'
)


def test_tf401_buckets_a_research_release_built_its_data_in(tmp_path: Path) -> None:
    # huggingface/smollm publishes the scripts that built OBELICS on HF's own buckets,
    # run once by their authors: 104 NOISE and a FALSE. In an application the same
    # buckets are a deploy's and still reported.
    files = {
        "vision/data/python_scripts/02_filter.py": _FILTER_SCRIPT,
        "requirements.txt": "boto3==1.34.0\n",
    }
    root = make_repo(tmp_path / "research", files)
    assert check(root, config=Config(kind="research", select=["TF401"])).findings == []
    root = make_repo(tmp_path / "app", files)
    found = check(root, config=Config(kind="application", select=["TF401"])).findings
    assert [f.line for f in found] == [3, 7]


# --------------------------------------------------------------------------- TF902


def test_tf902_an_escape_sequence_moving_the_cursor(tmp_path: Path) -> None:
    # huggingface/lerobot's `move_cursor_up` prints `\033[{n}A`: terminal control
    # (FALSE). A status message beside it in the same library is still reported.
    utils = (
        "import logging\n\nlogger = logging.getLogger(__name__)\n\n\n"
        "def move_cursor_up(lines):\n"
        '    print(f"\\033[{lines}A", end="")\n\n\n'
        "def clear():\n"
        '    print("\\x1b[2J")\n'
    )
    files = {
        "pyproject.toml": '[project]\nname = "robots"\nversion = "1.0"\nrequires-python = ">=3.10"\n',
        "src/robots/__init__.py": "",
        "src/robots/utils.py": utils,
    }
    assert findings(tmp_path / "control", "TF902", files) == []
    files["src/robots/utils.py"] = (
        utils + '\n\ndef load(path):\n    print("Loading weights from", path)\n'
    )
    [finding] = findings(tmp_path / "status", "TF902", files)
    assert finding.line == 15


def test_tf902_a_class_logging_through_its_own_logger_object(tmp_path: Path) -> None:
    # stitionai/devika's agent logs with `self.logger = Logger()` (the project's
    # fastlogging wrapper) and prints its plan and research beside it (missed there).
    agent = (
        "from src.logger import Logger\n\n\n"
        "class Agent:\n"
        "    def __init__(self):\n"
        "        self.logger = Logger()\n\n"
        "    def execute(self, prompt):\n"
        '        self.logger.info("Waiting for user query...")\n'
        "        plan = prompt.upper()\n"
        '        print("\\nplan :: ", plan)\n'
        "        return plan\n"
    )
    files = {
        "requirements.txt": "flask==3.0.3\n",
        "src/agents/__init__.py": "",
        "src/agents/agent.py": agent,
    }
    [finding] = findings(tmp_path / "self", "TF902", files)
    assert finding.line == 11 and "already uses logging" in finding.message
    # A class holding a logger it never calls is not using logging: one print alone.
    files["src/agents/agent.py"] = agent.replace(
        '        self.logger.info("Waiting for user query...")\n', ""
    )
    assert findings(tmp_path / "unused", "TF902", files) == []


def test_tf503_a_tag_naming_only_a_variant(tmp_path: Path) -> None:
    # assafelovic/gpt-researcher's `Dockerfile.fullstack` builds its frontend `FROM
    # node:slim`: the newest Node's slim variant (missed there). A version with the
    # variant (`node:20-slim`), or a release's codename, is pinned enough.
    files = {
        "Dockerfile": "FROM node:slim AS frontend\nRUN npm ci\nFROM python:3.12-slim\nCOPY --from=frontend /app /app\n",
        "app.py": "import numpy\n",
    }
    [finding] = findings(tmp_path / "slim", "TF503", files)
    assert finding.line == 1 and "`slim` tag (no version in it)" in finding.message
    files["Dockerfile"] = files["Dockerfile"].replace("node:slim", "node:20-slim")
    files["worker/Dockerfile"] = "FROM debian:bookworm\nRUN apt-get update\n"
    assert findings(tmp_path / "pinned", "TF503", files) == []


def test_a_papers_code_with_a_test_nobody_runs_is_research(tmp_path: Path) -> None:
    # facebookresearch/co-tracker: arXiv papers, a versioned bare setup.py, no CI and one
    # hand-run test of a sampling kernel. Taken for an application, its evaluation
    # entry script's prints and the missing CI and Python version were NOISE or FALSE.
    files = {
        "README.md": "# CoTracker3\n\n[Paper](https://arxiv.org/abs/2410.11831)\n",
        "setup.py": "from setuptools import setup\n\nsetup(name='cotracker', version='3.0', packages=['cotracker'])\n",
        "cotracker/__init__.py": "",
        "cotracker/predictor.py": "import torch\n",
        "train_on_kubric.py": "import cotracker\n",
        "tests/test_bilinear_sample.py": "def test_sample():\n    assert True\n",
    }
    assert inferred_kind(make_repo(tmp_path / "paper", files)) == "research"
    # With a suite of tests the same code is maintained: an application.
    for name in ("predictor", "model", "losses"):
        files[f"tests/test_{name}.py"] = "def test_x():\n    assert True\n"
    assert inferred_kind(make_repo(tmp_path / "suite", files)) == "application"


# --------------------------------------------------------------------------- set MM


def test_tf301_translated_labels_and_a_bare_key_prefix(tmp_path: Path) -> None:
    # QuivrHQ/quivr's Chainlit translations write labels as JSON escapes (`"password":
    # "\u0b95\u0b9f..."`: 36 errors, FALSE); Langchain-Chatchat's settings template
    # holds `"api_key": "sk-proj-"`, the prefix alone (FALSE). A key is still one.
    labels = (
        '{"components": {"password": "\\u0b95\\u0b9f\\u0bb5\\u0bc1\\u0b9a\\u0bcd\\u0b9a\\u0bca\\u0bb2\\u0bcd",\n'
        '  "apiKey": "API \\u0bb5\\u0bbf\\u0b9a\\u0bc8"}}\n'
    )
    settings = 'DEFAULTS = {\n    "api_key": "sk-proj-",\n}\n'
    files = {".chainlit/translations/ta.json": labels, "chatchat/settings.py": settings}
    assert findings(tmp_path / "labels", "TF301", files) == []
    files["chatchat/settings.py"] = settings.replace("sk-proj-", "sk-proj-Xk8pq2Lm9zQ4vT7wR1yB")
    [finding] = findings(tmp_path / "key", "TF301", files)
    assert finding.path == "chatchat/settings.py"


def test_tf701_a_module_that_parses_its_command_line(tmp_path: Path) -> None:
    # salesforce/LAVIS's `3d_qa_data_generation.py` parses its arguments at the top, then
    # loads flan-t5 (2 FALSE): importing it would parse the importer's command line.
    script = (
        "import argparse\n\nfrom transformers import T5Tokenizer\n\n"
        "parser = argparse.ArgumentParser()\n"
        'parser.add_argument("--shard", type=int)\n'
        "args = parser.parse_args()\n"
        'tokenizer = T5Tokenizer.from_pretrained("google/flan-t5-xxl")\n\n\n'
        "def get_output(text):\n    return tokenizer(text)\n"
    )
    files = {
        "projects/data_aug/qa_generation.py": script,
        "requirements.txt": "transformers==4.44.0\n",
    }
    assert findings(tmp_path / "script", "TF701", files) == []
    files["projects/data_aug/qa_generation.py"] = script.replace("args = parser.parse_args()\n", "")
    [finding] = findings(tmp_path / "module", "TF701", files)
    assert finding.line == 7


def test_tf103_data_a_library_publishes_and_an_examples_sample(tmp_path: Path) -> None:
    # shap's `data/` is the download source of `shap.datasets` (`.../shap/raw/master/
    # data/`), microsoft/LoRA's `examples/NLG/data/` the benchmark files of an example
    # (NOISE both). Past ten times the limit an example's data is reported again.
    big = "x" * (6 * 1024 * 1024)
    files = {
        "data/adult.csv": big,
        "shap/__init__.py": "",
        "shap/datasets.py": 'github_data_url = "https://github.com/shap/shap/raw/master/data/"\n',
        "examples/NLG/data/e2e/train.txt": big,
    }
    assert findings(tmp_path / "served", "TF103", files) == []
    files["shap/datasets.py"] = 'github_data_url = "https://example.org/data/"\n'
    [finding] = findings(tmp_path / "local", "TF103", files)
    assert finding.message.startswith("`data/`")


def test_scripts_a_workflow_deploys_are_not_run_by_hand(tmp_path: Path) -> None:
    # GokuMohandas/mlops-course: a dozen scripts and no package, but `serve.yaml` runs
    # `deploy/services/serve_model.py`; taken for scripts run by hand (research), its
    # hard-coded artifact bucket (TRUE) went unreported.
    files = {
        "madewithml/train.py": "import ray\n",
        "madewithml/serve.py": "import ray\n",
        "deploy/services/serve_model.py": 'import subprocess\n\nsubprocess.check_output(["aws", "s3", "cp", "s3://madewithml/results/", "."])\n',
    }
    assert inferred_kind(make_repo(tmp_path / "scripts", files)) == "research"
    files[".github/workflows/serve.yaml"] = (
        "on: workflow_dispatch\njobs:\n  serve:\n    runs-on: ubuntu-22.04\n"
        "    steps:\n      - run: python deploy/services/serve_model.py\n"
    )
    assert inferred_kind(make_repo(tmp_path / "deployed", files)) == "application"


def test_tf303_a_home_folder_under_a_clusters_mount(tmp_path: Path) -> None:
    # huggingface/smollm's data scripts read `/admin/home/victor/...` (missed there): a
    # person's home on the cluster's mount. A URL's path or a bucket's key is no home.
    code = (
        'SFT_PATH = "/admin/home/victor/sft_datasets/shards"\n'
        'DOCS_URL = "https://example.org/home/alice/index.html"\n'
        'KEY = "s3://bucket/home/alice/x.parquet"\n'
    )
    [finding] = findings(tmp_path, "TF303", {"vision/data/build_ds_sft.py": code})
    assert finding.line == 1 and "/admin/home/victor/" in finding.message


def test_tf201_notebooks_alone_are_a_warning(tmp_path: Path) -> None:
    # karpathy/nn-zero-to-hero: the lecture series' notebooks, no module, no manifest
    # (an error there was NOISE). Notebooks alone get a warning; code gets the error.
    files = {"lectures/micrograd.ipynb": notebook("import torch\nimport numpy as np")}
    [finding] = findings(tmp_path / "notebooks", "TF201", files)
    assert finding.severity is Severity.WARNING and "notebooks" in finding.message
    files["engine.py"] = "import numpy as np\n"
    [finding] = findings(tmp_path / "code", "TF201", files)
    assert finding.severity is Severity.ERROR


def test_tf103_a_papers_demo_samples(tmp_path: Path) -> None:
    # CompVis/taming-transformers commits 122 MB of small demo samples under `data/` so
    # the README's sampling runs at once (NOISE); an application's data is still asked.
    files = {f"data/coco_images/{n}.jpg": "x" * (2 * 1024 * 1024) for n in range(4)}
    files["train.py"] = "import torch\n"
    root = make_repo(tmp_path / "paper", files)
    assert check(root, config=Config(kind="research", select=["TF103"])).findings == []
    root = make_repo(tmp_path / "app", files)
    [finding] = check(root, config=Config(kind="application", select=["TF103"])).findings
    assert finding.message.startswith("`data/coco_images/`") or finding.message.startswith(
        "`data/`"
    )


# --------------------------------------------------------------------------- set NN


def test_tf802_a_script_running_each_test_module(tmp_path: Path) -> None:
    # 2noise/ChatTTS's unit-test workflow runs `tests/testall.sh`, a loop running each
    # `tests/*.py` with python: "never runs the tests" was FALSE.
    workflow = (
        "on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-22.04\n"
        "    steps:\n      - run: pip install -r requirements.txt\n      - run: tests/testall.sh\n"
    )
    loop = '#!/bin/sh\nfor file in tests/*.py\ndo\n    python "$file" || exit 1\ndone\n'
    files = {
        "requirements.txt": "torch==2.4.0\n",
        "ChatTTS/__init__.py": "",
        "tests/511.py": "import sys\n\nimport ChatTTS\n\nif not ChatTTS.Chat().load():\n    sys.exit(1)\n",
        "tests/testall.sh": loop,
        ".github/workflows/unitest.yml": workflow,
    }
    assert findings(tmp_path / "loop", "TF802", files) == []
    files["tests/testall.sh"] = '#!/bin/sh\nfor file in docs/*.md\ndo\n    echo "$file"\ndone\n'
    [finding] = findings(tmp_path / "echo", "TF802", files)
    assert finding.path == ".github/workflows/unitest.yml"


def test_tf206_an_import_under_a_test_of_the_module_itself(tmp_path: Path) -> None:
    # ChatTTS's vendored vLLM engine: `if ray:` then `from ray.util...` (vLLM sets
    # `ray = None` without it): optional, FALSE as undeclared. Unguarded, it is reported.
    engine = (
        "from vllm.utils import get_ip\nfrom vllm.engine.ray_utils import ray\n\n"
        "if ray:\n    from ray.util.scheduling_strategies import PlacementGroupSchedulingStrategy\n"
    )
    files = {"requirements.txt": "vllm==0.5.0\n", "chattts/engine.py": engine}
    assert findings(tmp_path / "guarded", "TF206", files) == []
    files["chattts/engine.py"] = engine.replace("if ray:\n    ", "")
    [finding] = findings(tmp_path / "plain", "TF206", files)
    assert "`ray`" in finding.message


def test_tf505_an_extra_of_a_requirement_pinned_above(tmp_path: Path) -> None:
    # netease-youdao/QAnything's image installs `newspaper4k==0.9.3.1` then
    # `newspaper4k[zh]`: the second line adds an extra to the pinned version (FALSE).
    files = {
        "build_images/requirements.txt": "newspaper4k==0.9.3.1\nnewspaper4k[zh]\nsanic==23.6.0\n",
        "build_images/Dockerfile": (
            "FROM python:3.10.14-slim\nCOPY requirements.txt /tmp/requirements.txt\n"
            "RUN pip install -r /tmp/requirements.txt\n"
        ),
        "app.py": "import sanic\n",
    }
    assert findings(tmp_path / "extra", "TF505", files) == []
    files["build_images/requirements.txt"] = "newspaper4k[zh]\nsanic==23.6.0\n"
    [finding] = findings(tmp_path / "open", "TF505", files)
    assert "newspaper4k[zh]" in finding.message


def test_tf902_prints_under_a_debug_mode_switch(tmp_path: Path) -> None:
    # QAnything's server prints under `if DEBUG_MODE:` (NOISE): output the developer
    # asked for, like `if verbose:`. Without the switch the prints are reported.
    server = (
        "import logging\n\nlogger = logging.getLogger(__name__)\nDEBUG_MODE = False\n\n\n"
        "def handle(request):\n"
        "    if DEBUG_MODE:\n"
        '        print("request:", request)\n'
        '        print("headers:", request.headers)\n'
        '    logger.info("handled")\n'
    )
    files = {
        "requirements.txt": "sanic==23.6.0\n",
        "kernel/__init__.py": "",
        "kernel/server.py": server,
    }
    assert findings(tmp_path / "debug", "TF902", files) == []
    files["kernel/server.py"] = server.replace("    if DEBUG_MODE:\n", "    if True:\n")
    [finding] = findings(tmp_path / "always", "TF902", files)
    assert finding.line == 9


def test_modules_named_archived_or_unused_and_a_terminal_interface(tmp_path: Path) -> None:
    # OpenInterpreter/open-interpreter keeps `archived_server_1.py` and
    # `unused_markdown.py` (nothing imports them: NOISE for TF902 and TF701) and its
    # CLI's wizards under `terminal_interface/` (their prints are the UI: FALSE).
    status = (
        "import logging\n\nlogger = logging.getLogger(__name__)\n\n\n"
        "def serve(port):\n"
        '    print("starting on", port)\n'
        '    print("ready")\n'
    )
    files = {
        "pyproject.toml": '[project]\nname = "interp"\nversion = "1.0"\nrequires-python = ">=3.10"\n',
        "interpreter/__init__.py": "",
        "interpreter/core/__init__.py": "",
        "interpreter/core/archived_server_1.py": status,
        "interpreter/terminal_interface/__init__.py": "",
        "interpreter/terminal_interface/local_setup.py": status,
    }
    assert findings(tmp_path / "kept", "TF902", files) == []
    files["interpreter/core/server.py"] = status
    [finding] = findings(tmp_path / "live", "TF902", files)
    assert finding.path == "interpreter/core/server.py"


def test_tf1003_umap_laying_out_a_plot(tmp_path: Path) -> None:
    # nlp-with-transformers' lesson and Cinnamon/kotaemon's citation view fit UMAP only to
    # draw the embeddings in 2D (NOISE, four times in the corpus), like t-SNE; an
    # unseeded forest beside it is still reported.
    cell = (
        "from umap import UMAP\nfrom sklearn.ensemble import RandomForestClassifier\n"
        "import matplotlib.pyplot as plt\n\n"
        "mapper = UMAP(n_components=2, metric='cosine').fit(X_scaled)\n"
        "plt.scatter(mapper.embedding_[:, 0], mapper.embedding_[:, 1])\n"
        "clf = RandomForestClassifier(n_estimators=100)\n"
        "clf.fit(X_scaled, y)\n"
    )
    files = {
        "requirements.txt": "umap-learn==0.5.6\nscikit-learn==1.5.0\n",
        "notebooks/02_classification.ipynb": notebook(cell),
    }
    [finding] = findings(tmp_path, "TF1003", files)
    assert "RandomForestClassifier" in finding.message


# --------------------------------------------------------------------------- set OO


def test_tf301_a_label_a_selector_and_a_secret_generated_on_the_spot(tmp_path: Path) -> None:
    # Chainlit/chainlit: `"apiKeys": "API-sleutels"` in `translations/nl.json`, a Cypress
    # test's `PASSWORD_INPUT: '#password'`, and a CLI printing
    # `CHAINLIT_AUTH_SECRET="{random_secret()}"` (three errors, all FALSE).
    cli = (
        "import click\n\n\n@click.command()\ndef create_secret():\n"
        "    print(f'Copy into .env:\\nCHAINLIT_AUTH_SECRET=\"{random_secret()}\"')\n"
    )
    files = {
        "backend/chainlit/translations/nl.json": '{"settings": {"apiKeys": "API-sleutels"}}\n',
        "frontend/src/login.ts": "export const SELECTORS = {\n  PASSWORD_INPUT: '#password',\n};\n",
        "backend/chainlit/cli/__init__.py": cli,
    }
    assert findings(tmp_path / "lookalikes", "TF301", files) == []
    files["backend/chainlit/config.py"] = 'AUTH_SECRET = "Xk8pq2Lm9zQ4vT7wR1yBn3Jd"\n'
    [finding] = findings(tmp_path / "secret", "TF301", files)
    assert finding.path == "backend/chainlit/config.py"


def test_browser_end_to_end_tests_are_tests() -> None:
    from twelvefold import kinds

    assert kinds.is_test_path("cypress/e2e/data_layer/spec.cy.ts")
    assert kinds.is_test_path("frontend/e2e/login.ts")
    assert kinds.is_test_path("src/login.spec.tsx")
    assert not kinds.is_test_path("src/login.tsx")


def test_tf206_a_conda_explicit_spec_declares_its_packages(tmp_path: Path) -> None:
    # dair-ai/ML-Notebooks installs with `conda create --file spec-file.txt`, an explicit
    # spec pinning pytorch, torchvision and numpy (three FALSE). matplotlib, which it does
    # not hold, is still reported.
    spec = (
        "# platform: linux-64\n@EXPLICIT\n"
        "https://conda.anaconda.org/pytorch/linux-64/pytorch-1.11.0-py3.7_cuda11.3_cudnn8.2.0_0.tar.bz2\n"
        "https://conda.anaconda.org/pytorch/linux-64/torchvision-0.12.0-py37_cu113.tar.bz2\n"
        "https://repo.anaconda.com/pkgs/main/linux-64/numpy-1.21.5-py37h6c91a56_3.conda\n"
    )
    files = {
        "spec-file.txt": spec,
        "notebooks/logistic_regression.ipynb": notebook(
            "import torch\nimport torchvision\nimport numpy as np"
        ),
    }
    assert findings(tmp_path / "spec", "TF206", files) == []
    files["notebooks/plots.ipynb"] = notebook("import matplotlib.pyplot as plt")
    [finding] = findings(tmp_path / "missing", "TF206", files)
    assert "`matplotlib`" in finding.message


def test_tf703_a_model_worker_fed_over_a_pipe(tmp_path: Path) -> None:
    # binary-husky/gpt_academic's local-model bridges: `class GetGLMHandle(Process)` with
    # `super().__init__(daemon=True)`, looping on `self.child.recv()` (9 FALSE). A socket
    # server's loop is still reported.
    worker = (
        "from multiprocessing import Pipe, Process\n\n\n"
        "class GetGLMHandle(Process):\n"
        "    def __init__(self):\n"
        "        super().__init__(daemon=True)\n"
        "        self.parent, self.child = Pipe()\n\n"
        "    def run(self):\n"
        "        while True:\n"
        "            kwargs = self.child.recv()\n"
        "            self.child.send(kwargs)\n"
    )
    server = (
        "import socket\n\n"
        "sock = socket.socket()\nsock.bind(('0.0.0.0', 9000))\nsock.listen()\n"
        "while True:\n    conn, _ = sock.accept()\n    conn.sendall(b'ok')\n"
    )
    files = {"requirements.txt": "torch==2.4.0\n", "request_llms/bridge_chatglm.py": worker}
    assert findings(tmp_path / "worker", "TF703", files) == []
    files["server.py"] = server
    [finding] = findings(tmp_path / "server", "TF703", files)
    assert finding.path == "server.py"


def test_tf902_an_echo_the_caller_can_silence(tmp_path: Path) -> None:
    # gpt_academic's model bridges echo the streamed answer `if not console_silence:`
    # (NOISE): output the caller switches off. An unconditional echo is still reported.
    bridge = (
        "import logging\n\nlogger = logging.getLogger(__name__)\n\n\n"
        "def predict_no_ui_long_connection(inputs, console_silence=False):\n"
        "    response = inputs[::-1]\n"
        "    if not console_silence:\n"
        "        print(response)\n"
        '    logger.info("answered")\n'
        "    return response\n"
    )
    files = {
        "requirements.txt": "gradio==3.32.0\n",
        "request_llms/__init__.py": "",
        "request_llms/bridge_chatgpt.py": bridge,
    }
    app = Config(kind="application", select=["TF902"])
    assert check(make_repo(tmp_path / "silenced", files), config=app).findings == []
    files["request_llms/bridge_chatgpt.py"] = bridge.replace(
        "    if not console_silence:\n        print", "    print"
    )
    [finding] = check(make_repo(tmp_path / "always", files), config=app).findings
    assert finding.line == 8


def test_tf303_a_path_the_reader_is_told_to_replace(tmp_path: Path) -> None:
    # facebookresearch/audiocraft's evaluation grids: "# binary for FAD computation:
    # replace this path with your own path" above `'/data/home/jadecopet/...'`, and
    # gpt_academic's demo `main()` (in Chinese: "replace with the actual file path"):
    # placeholders (NOISE). The same path with no such note is reported.
    grid = (
        "def eval_grid(launcher):\n"
        "    # binary for FAD computation: replace this path with your own path\n"
        "    metrics_opts = {\n"
        "        'metrics.fad.tf.bin': '/data/home/jadecopet/local/usr/opt/google-research'\n"
        "    }\n"
        "    launcher(metrics_opts)\n"
    )
    demo = "def main():\n    # 替换为实际的文件路径\n    sample_file = '/Users/boyin.liu/Documents/3.pdf'\n    return sample_file\n"
    files = {"audiocraft/grids/eval.py": grid, "tools/extractor.py": demo}
    assert findings(tmp_path / "placeholders", "TF303", files) == []
    files["audiocraft/grids/eval.py"] = grid.replace(": replace this path with your own path", "")
    [finding] = findings(tmp_path / "path", "TF303", files)
    assert finding.line == 4


def test_tf1202_an_embedding_route(tmp_path: Path) -> None:
    # Langchain-Chatchat's `/embeddings` and QAnything's `/embedding` turn documents into
    # vectors (NOISE twice: nobody keeps that text and those vectors). A prediction route
    # beside it is still asked for a log.
    service = (
        "from fastapi import FastAPI\nfrom sentence_transformers import SentenceTransformer\n\n"
        "app = FastAPI()\nmodel = SentenceTransformer('bge-small')\n\n\n"
        "@app.post('/embeddings')\n"
        "def create_embeddings(texts: list[str]):\n"
        "    return model.encode(texts).tolist()\n"
    )
    files = {"requirements.txt": "fastapi==0.111.0\n", "server/api.py": service}
    app = Config(kind="application", select=["TF1202"])
    assert check(make_repo(tmp_path / "embed", files), config=app).findings == []
    files["server/api.py"] = service + (
        "\n\n@app.post('/predict')\ndef predict(texts: list[str]):\n    return model.encode(texts).tolist()\n"
    )
    [finding] = check(make_repo(tmp_path / "predict", files), config=app).findings
    assert "`/predict`" in finding.message


def test_tf201_a_course_without_a_manifest_is_a_warning(tmp_path: Path) -> None:
    # rasbt/python-machine-learning-book-3rd-edition lists its packages in ch01/README.md
    # (an error there was NOISE; so were two Colab courses'). A course gets a warning;
    # an application, the error.
    files = {
        "ch02/ch02.py": "import numpy as np\n",
        "ch02/ch02.ipynb": notebook("import numpy as np"),
    }
    root = make_repo(tmp_path / "course", files)
    [finding] = check(root, config=Config(kind="course", select=["TF201"])).findings
    assert finding.severity is Severity.WARNING
    root = make_repo(tmp_path / "app", files)
    [finding] = check(root, config=Config(kind="application", select=["TF201"])).findings
    assert finding.severity is Severity.ERROR


# --------------------------------------------------------------------------- set PP


def test_tf902_the_package_of_a_command_line_tool(tmp_path: Path) -> None:
    # yihong0618/bilingual_book_maker ships `bbook_maker` ([project.scripts]) and serves
    # nothing: its loaders' prints ("created pdf: ...") are what the user reads (4 FALSE,
    # 2 NOISE). The same package behind a web service is reported.
    loader = (
        "def create_bilingual_pdf(path):\n"
        '    print("creating", path)\n'
        '    print("created pdf:", path)\n'
    )
    logs = "import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef run():\n    logger.info('x')\n"
    files = {
        "pyproject.toml": '[project]\nname = "bbook"\nversion = "1.0"\nrequires-python = ">=3.10"\n\n[project.scripts]\nbbook_maker = "book_maker.cli:main"\n',
        "book_maker/__init__.py": "",
        "book_maker/cli.py": logs,
        "book_maker/loader/__init__.py": "",
        "book_maker/loader/pdf_loader.py": loader,
    }
    app = Config(kind="application", select=["TF902"])
    assert check(make_repo(tmp_path / "tool", files), config=app).findings == []
    files["book_maker/server.py"] = "from fastapi import FastAPI\n\napp = FastAPI()\n"
    [finding] = check(make_repo(tmp_path / "service", files), config=app).findings
    assert finding.path == "book_maker/loader/pdf_loader.py"


def test_tf301_a_sandbox_login_in_a_next_js_page(tmp_path: Path) -> None:
    # TransformerOptimus/SuperAGI's `gui/pages/_app.js` logs its local user in with a
    # fixed password (an error was NOISE): JavaScript under `pages/` ships to the
    # browser, a warning like a `.tsx` component's. A server module keeps the error.
    page = 'const creds = {\n  "email": "super6@agi.com",\n  "password": "pass@123xyZ",\n};\n'
    [finding] = findings(tmp_path / "page", "TF301", {"gui/pages/_app.js": page})
    assert finding.severity is Severity.WARNING
    [finding] = findings(tmp_path / "server", "TF301", {"server/auth.js": page})
    assert finding.severity is Severity.WARNING and finding.message.endswith("'")


def test_tf401_the_default_of_a_projects_config_reader(tmp_path: Path) -> None:
    # SuperAGI: `get_config("REDIS_VECTOR_STORE_URL") or "redis://super__redis:6379"`,
    # a default its own settings override (FALSE). Hard-coded alone it is reported.
    code = (
        "import redis\nfrom superagi.config import get_config\n\n"
        'url = get_config("REDIS_VECTOR_STORE_URL") or "redis://super__redis:6379"\n'
        "client = redis.Redis.from_url(url)\n"
    )
    files = {"requirements.txt": "redis==5.0.1\n", "superagi/store.py": code}
    app = Config(kind="application", select=["TF401"])
    assert check(make_repo(tmp_path / "config", files), config=app).findings == []
    files["superagi/store.py"] = code.replace('get_config("REDIS_VECTOR_STORE_URL") or ', "")
    [finding] = check(make_repo(tmp_path / "code", files), config=app).findings
    assert "super__redis" in finding.message


def test_tf303_a_note_about_the_setup_is_not_about_the_path(tmp_path: Path) -> None:
    # microsoft/Bringing-Old-Photos-Back-to-Life: "### Modify these 3 lines in your own
    # environment" above the author's home folder: still TRUE (the note names no path).
    script = "### Modify these 3 lines in your own environment\nindir = '/home/ziyuwan/workspace/data/temp_old'\n"
    [finding] = findings(tmp_path, "TF303", {"Global/data/Create_Bigfile.py": script})
    assert finding.line == 2


# --------------------------------------------------------------------------- set QQ


def test_tf203_a_requirement_uv_takes_from_a_url(tmp_path: Path) -> None:
    # jianchang512/pyvideotrans declares `chatterbox-tts>=0.1.7` and takes it from a URL
    # (`[tool.uv.sources]`); uv locks it by that URL with no specifier, and `uv lock
    # --check` passes: "specifier changed" at error was FALSE. A changed specifier of an
    # index requirement is still reported.
    from tests.rules.test_f02_dependencies import locked

    files = {**locked("pandas>=2.2", "chatterbox-tts"), "app.py": "import pandas\n"}
    files["pyproject.toml"] = (
        files["pyproject.toml"].replace('"chatterbox-tts"', '"chatterbox-tts>=0.1.7"')
        + '\n[tool.uv.sources]\nchatterbox-tts = { url = "https://example.org/chatterbox/master.tar.gz" }\n'
    )
    assert findings(tmp_path / "url", "TF203", files) == []
    files["pyproject.toml"] = files["pyproject.toml"].replace('"pandas>=2.2"', '"pandas>=2.3"')
    [finding] = findings(tmp_path / "index", "TF203", files)
    assert "`pandas`" in finding.message and "chatterbox" not in finding.message


def test_tf902_prints_of_an_apps_command_line_mode(tmp_path: Path) -> None:
    # jianchang512/pyvideotrans prints progress only `if app_cfg.exec_mode == 'cli':`
    # (its GUI shows it otherwise): the command line's output (3 FALSE). Another mode's
    # prints are still reported.
    base = (
        "import logging\n\nlogger = logging.getLogger(__name__)\n\n\n"
        "def signal(app_cfg, text):\n"
        "    if app_cfg.exec_mode == 'cli':\n"
        "        print(text)\n"
        "    logger.info(text)\n"
    )
    files = {
        "requirements.txt": "PySide6==6.7.0\n",
        "videotrans/__init__.py": "",
        "videotrans/task/_base.py": base,
    }
    app = Config(kind="application", select=["TF902"])
    assert check(make_repo(tmp_path / "cli", files), config=app).findings == []
    files["videotrans/task/_base.py"] = base.replace("'cli'", "'gui'")
    [finding] = check(make_repo(tmp_path / "gui", files), config=app).findings
    assert finding.line == 8
