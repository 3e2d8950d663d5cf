"""Look-alikes from the fourteenth session's held-out set (KKK, judged on b1f22fd): each
class judged FALSE or NOISE there, self-written, with the violation the rule must still
find."""

from __future__ import annotations

from pathlib import Path

from twelvefold.config import Config
from twelvefold.model import Severity

from tests.helpers import check, findings, make_repo, notebook


def _kind(root: Path) -> str:
    """The kind the project model infers for the repository at `root`."""
    from twelvefold.discovery import discover
    from twelvefold.project import build_model

    return build_model(root, discover(root, None).files).kind


def _as_inferred(root: Path, code: str) -> list[tuple[str | None, int | None]]:
    """(path, line) of `code`'s findings with the kind the model infers, not a fixed one."""
    result = check(root, select=[code], config=Config(preview=True))
    return [(f.path, f.line) for f in result.findings]


# --------------------------------------------------------------------------- TF902

_LOGGED = "import logging\n\nlogger = logging.getLogger(__name__)\n\n"


def test_tf902_prints_before_a_raise_outside_an_except_block(tmp_path: Path) -> None:
    # nomic-ai/gpt4all's `data.py` prints the prompt and the response, then `raise`s (no
    # active exception: the run fails): the dump of a failure, FALSE as logging. A print
    # before re-raising a caught error still logs through print.
    dump = (
        _LOGGED + "def tokenize(prompt, labels):\n"
        "    logger.info('tokenizing')\n"
        "    if all(label == -100 for label in labels):\n"
        "        print(prompt)\n"
        "        raise\n"
        "    return labels\n"
    )
    assert findings(tmp_path / "dump", "TF902", {"pkg/data.py": dump}) == []
    logged = (
        _LOGGED + "def tokenize(prompt, labels):\n"
        "    try:\n"
        "        return encode(prompt, labels)\n"
        "    except ValueError as error:\n"
        "        print(f'cannot tokenize: {error}')\n"
        "        raise\n"
    )
    [found] = findings(tmp_path / "reraise", "TF902", {"pkg/data.py": logged})
    assert found.line == 9


def test_tf902_prints_before_the_logging_setup_a_helper_does(tmp_path: Path) -> None:
    # moemen95/Pytorch-Project-Template's `process_config` prints the configuration, then
    # calls `setup_logging(log_dir)`, which adds the handlers: until then print is the
    # only channel (FALSE). A function that never sets logging up is still reported.
    module = (
        _LOGGED + "def setup_logging(log_dir):\n"
        "    logging.getLogger().addHandler(logging.StreamHandler())\n\n"
        "def process_config(config):\n"
        "    print('The experiment name is', config.exp_name)\n"
        "    setup_logging(config.log_dir)\n"
        "    logger.info('configured')\n"
        "    return config\n"
    )
    assert findings(tmp_path / "setup", "TF902", {"pkg/config.py": module}) == []
    module = module.replace("    setup_logging(config.log_dir)\n", "")
    [found] = findings(tmp_path / "none", "TF902", {"pkg/config.py": module})
    assert found.line == 9


# --------------------------------------------------------------------------- TF301


def test_tf301_an_azure_template_parameter_reference(tmp_path: Path) -> None:
    # feast's Azure deployment templates set `administratorLoginPassword` to
    # `[parameters('administratorLoginPassword')]`, a securestring given at deploy time:
    # FALSE twice. A password written into the template is still reported.
    template = (
        "{\n"
        '  "resources": [{\n'
        '    "type": "Microsoft.Sql/servers",\n'
        '    "properties": {\n'
        '      "administratorLogin": "[parameters(\'administratorLogin\')]",\n'
        '      "administratorLoginPassword": "[parameters(\'administratorLoginPassword\')]"\n'
        "    }\n"
        "  }]\n"
        "}\n"
    )
    assert findings(tmp_path / "reference", "TF301", {"deploy/azuredeploy.json": template}) == []
    written = template.replace("[parameters('administratorLoginPassword')]", "Vq7#tW9zLm2!Rk")
    [found] = findings(tmp_path / "written", "TF301", {"deploy/azuredeploy.json": written})
    assert found.line == 6


def test_tf301_a_name_and_id_list_is_no_assignment(tmp_path: Path) -> None:
    # openai/jukebox's `v3_artist_ids.txt` lists `secret army;6859` and `secret
    # garden;7102` (bands and their ids): two FALSE findings, read as `key value`. A
    # Dockerfile's `ENV KEY value` is an assignment and is still reported.
    names = "the beatles;1\nsecret army;6859\nsecret garden;7102\nzz top;9001\n"
    assert findings(tmp_path / "ids", "TF301", {"data/ids/artist_ids.txt": names}) == []
    image = "FROM python:3.12-slim\nENV API_SECRET q8Zr2LmV7xTk4NpW9sYb\n"
    [found] = findings(tmp_path / "env", "TF301", {"Dockerfile": image})
    assert found.line == 2


_PRIVATE_KEY = (
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n"
    "MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\n"
    "-----END PRIVATE KEY-----\n"
)


def test_tf301_a_tests_own_tls_key(tmp_path: Path) -> None:
    # feast's `sdk/python/tests/data/localhost.key` (and seldon-core's three
    # `testdata/tls.key`): self-signed keys tests serve TLS with, judged FALSE or NOISE
    # on every repository that had one. The same key beside the deploy is an error.
    assert findings(tmp_path / "tests", "TF301", {"tests/data/localhost.key": _PRIVATE_KEY}) == []
    [found] = findings(tmp_path / "deploy", "TF301", {"deploy/server.key": _PRIVATE_KEY})
    assert found.severity is Severity.ERROR


# --------------------------------------------------------------------------- TF202

_CLASSIFIED_SETUP = (
    "from setuptools import setup\n"
    "setup(\n"
    "    name='chat-bindings',\n"
    "    version='2.8.0',\n"
    "    install_requires=['requests', 'tqdm', 'jinja2~=3.1'],\n"
    "    classifiers=['Programming Language :: Python :: 3'],\n"
    ")\n"
)


def test_tf202_a_published_package_in_an_applications_folder(tmp_path: Path) -> None:
    # gpt4all (a desktop application) keeps its PyPI bindings in `gpt4all-bindings/python/`
    # with ranges in `install_requires`; jukebox vendors tensorboardX with its setup.py:
    # both NOISE, a library's ranges are for its users. An unpublished sub-project (no
    # classifiers) of the application is still reported.
    files = {
        "app/main.py": "print('chat')\n",
        "app/requirements.txt": "fastapi==0.115.0\n",
        "bindings/python/setup.py": _CLASSIFIED_SETUP,
        "bindings/python/chat/__init__.py": "",
    }
    assert findings(tmp_path / "published", "TF202", files) == []
    files["bindings/python/setup.py"] = _CLASSIFIED_SETUP.replace(
        "    classifiers=['Programming Language :: Python :: 3'],\n", ""
    )
    [found] = findings(tmp_path / "private", "TF202", files)
    assert found.path == "bindings/python/setup.py"


# --------------------------------------------------------------------------- TF206


def test_tf206_a_standalone_script_installed_by_its_own_readme(tmp_path: Path) -> None:
    # gpt4all's `cli/app.py` is a script users download; `cli/README.md` says `python -m
    # pip install --user --upgrade gpt4all typer`: `typer` undeclared was NOISE. Without
    # that README the import is undeclared.
    files = {
        "requirements.txt": "requests==2.32.3\n",
        "server/main.py": "import requests\n",
        "cli/app.py": "import typer\n\napp = typer.Typer()\n",
        "cli/README.md": "# CLI\n\n```shell\npython -m pip install --user --upgrade typer\n```\n",
    }
    assert findings(tmp_path / "readme", "TF206", files) == []
    del files["cli/README.md"]
    [found] = findings(tmp_path / "bare", "TF206", files)
    assert found.path == "cli/app.py"


def test_tf206_a_papers_code_whose_readme_installs_torch_with_conda(tmp_path: Path) -> None:
    # openai/jukebox's README: `conda install pytorch=1.4 torchvision=0.5 cudatoolkit=10.0
    # -c pytorch`, and torch kept out of requirements.txt on purpose (FALSE). A package
    # its README never installs is still undeclared, and so is Pillow, which torchvision
    # brings along (judged TRUE there).
    files = {
        "README.md": "# Jukebox: A Generative Model for Music\n\n[Paper](https://arxiv.org/abs/2005.00341)\n\n"
        "```\nconda install pytorch=1.4 torchvision=0.5 cudatoolkit=10.0 -c pytorch\n"
        "pip install -r requirements.txt\n```\n",
        "requirements.txt": "numpy==1.18.1\n",
        "jukebox/__init__.py": "",
        "jukebox/train.py": "import numpy\nimport torch\nimport librosa\n",
        "jukebox/save_html.py": "from PIL import Image\n",
        "train.py": "from jukebox.train import run\n",
    }
    root = make_repo(tmp_path, files)
    assert _kind(root) == "research"
    found = check(root, select=["TF206"], config=Config(kind="research", preview=True)).findings
    assert sorted(f.message.split("`")[1] for f in found) == ["PIL", "librosa"]


# --------------------------------------------------------------------------- TF1003


def test_tf1003_an_applications_tutorial_notebook(tmp_path: Path) -> None:
    # datarevenue-berlin/OpenMLOps' `tutorials/wine-quality.ipynb` shows how to wire
    # Prefect and MLflow with an unseeded split: NOISE. The service's own training
    # module is still reported.
    cell = (
        "from sklearn.model_selection import train_test_split\n"
        "train, test = train_test_split(frame)\n"
    )
    files = {
        "requirements.txt": "scikit-learn==1.5.2\n",
        "app/train.py": "print('train')\n",
        "tutorials/wine-quality.ipynb": notebook(cell),
    }
    assert findings(tmp_path / "tutorial", "TF1003", files) == []
    files["app/train.py"] = cell
    [found] = findings(tmp_path / "module", "TF1003", files)
    assert found.path == "app/train.py"


# --------------------------------------------------------------------------- kinds


def test_a_books_chapter_notebooks_with_their_helper_package(tmp_path: Path) -> None:
    # amueller/introduction_to_ml_with_python: one notebook per chapter at the root and
    # the `mglearn/` package the figures import, read as an application: no tests, CI,
    # tracking or Python version were four NOISE findings. Two numbered notebooks and a
    # package are an application still.
    files = {
        "README.md": "# Introduction to Machine Learning with Python\n\nThe book's notebooks.\n",
        "environment.yml": "dependencies:\n  - scikit-learn=1.5.2\n",
        "01-introduction.ipynb": notebook("import mglearn\n"),
        "02-supervised-learning.ipynb": notebook("import mglearn\n"),
        "03-unsupervised-learning.ipynb": notebook("import mglearn\n"),
        "mglearn/__init__.py": "",
        "mglearn/plots.py": "def plot():\n    return None\n",
    }
    book = make_repo(tmp_path / "book", files)
    assert _kind(book) == "course"
    assert _as_inferred(book, "TF1001") == []
    del files["03-unsupervised-learning.ipynb"]
    app = make_repo(tmp_path / "app", files)
    assert _kind(app) == "application"
