"""Look-alikes from the fourteenth session's held-out sets (KKK judged on b1f22fd, LLL on
1f40fc4, MMM on 4e2f16e, NNN on cc7078e, OOO on bde6917): each class judged FALSE or
NOISE there, self-written, with the violation the rule must still find."""

from __future__ import annotations

from pathlib import Path

from twelvefold.config import Config
from twelvefold.model import Severity

from tests.helpers import check, findings, inferred_kind, make_repo, notebook


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
    assert inferred_kind(root) == "research"
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
    assert inferred_kind(book) == "course"
    assert _as_inferred(book, "TF1001") == []
    del files["03-unsupervised-learning.ipynb"]
    files["requirements-dev.txt"] = "pytest==8.3.3\n"  # a project kept up, not run by hand
    app = make_repo(tmp_path / "app", files)
    assert inferred_kind(app) == "application"


# --------------------------------------------------------------- set LLL (on 1f40fc4)


def test_tf301_a_keyboard_run_in_a_comments_config_example(tmp_path: Path) -> None:
    # iterative/dvc's `fs/__init__.py` documents a remote's config in a comment:
    # `"password": "asdf1234"` (FALSE). A password a person chose is still reported.
    # (dvc's example names `ssh://localhost/tmp`; a remote host keeps the keyboard run the
    # only reason not to report it.)
    module = (
        "def get_remote(conf):\n"
        "    # Results in:\n"
        '    #     {"url": "ssh://nas.internal/tmp", "user": "alice", "password": "asdf1234"}\n'
        "    return conf\n"
    )
    assert findings(tmp_path / "doc", "TF301", {"pkg/fs.py": module}) == []
    chosen = module.replace("asdf1234", "Hr7#kLq2Vx9!")
    [found] = findings(tmp_path / "chosen", "TF301", {"pkg/fs.py": chosen})
    assert found.line == 3


def test_tf301_a_helm_charts_default_values_and_a_tests_env_file(tmp_path: Path) -> None:
    # infiniflow/ragflow's `helm/values.yaml` ships `OPENSEARCH_PASSWORD:
    # infini_rag_flow_OS_01` as a default an install overrides (NOISE at error);
    # Unstructured-IO/unstructured's `es-dest-ingest-test-creds.env` is the login of a
    # throw-away Elasticsearch its ingest test starts (FALSE at error, TF301 and TF302).
    # The same password in a deploy's env file is an error.
    files = {
        "helm/Chart.yaml": "apiVersion: v2\nname: ragflow\nversion: 0.1.0\n",
        "helm/values.yaml": "env:\n  OPENSEARCH_PASSWORD: Kf83nQz1Lp0Xw\n",
        "scripts/es-test-helpers/es-dest-test-creds.env": "export ELASTIC_PASSWORD=Vth0Zd0wxme\n",
    }
    found = findings(tmp_path / "defaults", ["TF301", "TF302"], files)
    assert [(f.code, f.path, f.severity) for f in found] == [
        ("TF301", "helm/values.yaml", Severity.WARNING)
    ]
    deploy = {"deploy/prod.env": "ELASTIC_PASSWORD=Vth0Zd0wxme\n"}
    found = findings(tmp_path / "deploy", ["TF301", "TF302"], deploy)
    assert sorted((f.code, f.severity) for f in found) == [
        ("TF301", Severity.WARNING),
        ("TF302", Severity.ERROR),
    ]


def test_tf1101_a_librarys_notebook_runner_for_its_users(tmp_path: Path) -> None:
    # microsoft/recommenders' `utils/notebook_utils.py` defines `execute_notebook(input,
    # output, parameters)` on nbconvert's ExecutePreprocessor, which its tests run the
    # examples with: a feature, FALSE as a pipeline running a notebook. An application's
    # module doing the same is still reported.
    module = (
        "import nbformat\n"
        "from nbconvert.preprocessors import ExecutePreprocessor\n\n"
        "def execute_notebook(input_notebook, output_notebook, timeout=600):\n"
        "    notebook = nbformat.read(input_notebook, as_version=4)\n"
        "    ExecutePreprocessor(timeout=timeout).preprocess(notebook, {})\n"
        "    nbformat.write(notebook, output_notebook)\n"
    )
    files = {
        "pyproject.toml": '[project]\nname = "recs"\nversion = "1.0"\n'
        'classifiers = ["Programming Language :: Python :: 3"]\n',
        "recs/__init__.py": "",
        "recs/utils/notebook_utils.py": module,
    }
    library = check(
        make_repo(tmp_path / "lib", files),
        select=["TF1101"],
        config=Config(kind="library", preview=True),
    )
    assert library.findings == []
    [found] = findings(tmp_path / "app", "TF1101", files)
    assert found.line == 6


def test_tf902_an_ipython_event_hook_module(tmp_path: Path) -> None:
    # recommenders' `notebook_memory_management.py` registers `post_run_cell` hooks that
    # print memory use into the notebook (NOISE). A module registering nothing still
    # reports its prints.
    module = (
        "import logging\n\nlogger = logging.getLogger(__name__)\n\n"
        "def memory_used():\n"
        "    print('used 1.2 GiB')\n\n"
        "def start_watching_memory():\n"
        "    ip = get_ipython()\n"
        '    ip.events.register("post_run_cell", memory_used)\n'
        "    logger.info('watching')\n"
    )
    assert findings(tmp_path / "hook", "TF902", {"pkg/memory.py": module}) == []
    plain = module.replace('    ip.events.register("post_run_cell", memory_used)\n', "")
    [found] = findings(tmp_path / "plain", "TF902", {"pkg/memory.py": plain})
    assert found.line == 6


def test_a_course_of_lesson_numbered_notebooks_with_a_flask_demo(tmp_path: Path) -> None:
    # jeffheaton/t81_558_deep_learning: `t81_558_class_01_1_overview.ipynb`... and a
    # three-file Flask demo under `py/`, read as an application: no tests, CI, lock,
    # tracking, and the demo's prints and downloads were eleven NOISE findings.
    files = {
        "README.md": "# T81-558: Applications of Deep Neural Networks\n",
        "t81_558_class_01_1_overview.ipynb": notebook("print('hello')\n"),
        "t81_558_class_02_1_pandas.ipynb": notebook("import pandas\n"),
        "t81_558_class_03_2_keras.ipynb": notebook("import tensorflow\n"),
        "py/mpg_server.py": "from flask import Flask\n\napp = Flask(__name__)\n",
    }
    assert inferred_kind(make_repo(tmp_path / "course", files)) == "course"
    del files["t81_558_class_03_2_keras.ipynb"]
    assert inferred_kind(make_repo(tmp_path / "demo", files)) == "application"


def test_tf201_a_node_products_python_helper_scripts(tmp_path: Path) -> None:
    # Mintplex-Labs/anything-llm (Node, `package.json` and yarn locks) holds three Python
    # scripts a VM's provisioning runs, their packages installed by apt: an error was
    # FALSE. A warning now; a Python project with no manifest is still an error.
    scripts = {f"open-computer/setup/a11y_{n}.py": "import gi\n" for n in ("tree", "action")}
    files = {"package.json": '{"name": "anything-llm", "private": true}\n', **scripts}
    [found] = findings(tmp_path / "node", "TF201", files)
    assert found.severity is Severity.WARNING
    [found] = findings(tmp_path / "python", "TF201", scripts)
    assert found.severity is Severity.ERROR


def test_tf301_a_storage_keys_name_in_snake_and_camel_case(tmp_path: Path) -> None:
    # anything-llm's `constants.js`: `AUTH_TOKEN = "anythingllm_authToken"`, the name of
    # a localStorage entry (FALSE). A random token is still reported.
    names = 'export const AUTH_USER = "anythingllm_user";\nexport const AUTH_TOKEN = "anythingllm_authToken";\n'
    assert findings(tmp_path / "name", "TF301", {"server/utils/constants.js": names}) == []
    token = names.replace("anythingllm_authToken", "q8Zr2LmV7xTk4NpW9sYbD3")
    [found] = findings(tmp_path / "token", "TF301", {"server/utils/constants.js": token})
    assert found.line == 2


def test_tf303_a_replace_note_three_lines_above(tmp_path: Path) -> None:
    # t81_558's assignments: "# You must also identify your source file. (modify for
    # your local setup)" three lines above the path, the Colab and Windows alternatives
    # commented out between (five FALSE). Its lessons' "# I used this locally on my
    # machine, you may need different" was judged FALSE there and TRUE on the course's
    # other edition (app_deep_learning): still reported.
    assignment = (
        "# You must also identify your source file. (modify for your local setup)\n"
        "# file='/content/drive/My Drive/Colab Notebooks/assignment_yourname_class1.ipynb'\n"
        "# file='C:\\\\Users\\\\jeffh\\\\projects\\\\assignment_yourname_class1.ipynb'\n"
        "file = '/Users/jheaton/projects/t81_558/assignments/assignment_yourname_class1.ipynb'\n"
    )
    files = {"assignments/class1.ipynb": notebook(assignment)}
    assert findings(tmp_path / "told", "TF303", files) == []
    lesson = (
        "if not COLAB:\n"
        "    # I used this locally on my machine, you may need different\n"
        "    PATH = '/Users/jeff/temp'\n"
    )
    [found] = findings(tmp_path / "lesson", "TF303", {"class_06.ipynb": notebook(lesson)})
    assert found.path == "class_06.ipynb"


# --------------------------------------------------------------- set MMM (on 4e2f16e)


def test_a_papers_scripts_package_importing_its_model_package(tmp_path: Path) -> None:
    # hojonathanho/diffusion: `scripts/run_cifar.py` (run as `python -m`) imports
    # `diffusion_tf`, the README opens with the paper: read as an application, no tests,
    # CI or Python version were three NOISE. Without the paper it stays an application.
    files = {
        "README.md": "# Denoising Diffusion Probabilistic Models\n\n"
        "Paper: https://arxiv.org/abs/2006.11239\n",
        "requirements.txt": "fire==0.2.1\n",
        "diffusion_tf/__init__.py": "",
        "diffusion_tf/models.py": "def unet():\n    return None\n",
        "scripts/__init__.py": "",
        "scripts/run_cifar.py": "from diffusion_tf import models\n",
    }
    assert inferred_kind(make_repo(tmp_path / "paper", files)) == "research"
    files["README.md"] = "# Diffusion service\n"
    files["requirements-dev.txt"] = "pytest==8.3.3\n"  # a project kept up, not run by hand
    assert inferred_kind(make_repo(tmp_path / "service", files)) == "application"


def test_tf806_a_pip_freeze_is_a_full_lock(tmp_path: Path) -> None:
    # diffusion's `requirements.txt` is a `pip freeze` of 90 packages, transitive ones
    # included: the full lock TF806 asks for (FALSE). A short hand-pinned list is not.
    frozen = "".join(f"package-{n}=={n}.0.1\n" for n in range(40))
    files = {"requirements.txt": frozen, "train.py": "import numpy\n\nprint('train')\n"}
    assert findings(tmp_path / "frozen", "TF806", files) == []
    files["requirements.txt"] = "numpy==2.1.0\npandas==2.2.3\n"
    [found] = findings(tmp_path / "hand", "TF806", files)
    assert found.path is None


def test_tf303_the_home_of_ray_and_nim_images(tmp_path: Path) -> None:
    # ludwig's example writes to `/home/ray/` (Ray images' user, NOISE); flytesnacks'
    # NIM example mounts `/home/nvs/loras` (NIM's documented path, FALSE). A person's
    # home is still reported.
    module = "OUT = '/home/ray/models'\nLORAS = '/home/nvs/loras'\n"
    assert findings(tmp_path / "images", "TF303", {"app/paths.py": module}) == []
    [found] = findings(
        tmp_path / "person", "TF303", {"app/paths.py": "OUT = '/home/alice/models'\n"}
    )
    assert found.line == 1


def test_tf902_a_widget_ui(tmp_path: Path) -> None:
    # autotrain's Colab form (`import ipywidgets`) prints into the notebook (FALSE). The
    # same prints in a module without widgets are still reported. (ludwig's prints in its
    # SIGUSR1 handler, deliberate there, stay reported: a SIGALRM handler's print was
    # judged TRUE in lighteval.)
    form = _LOGGED + "import ipywidgets as widgets\n\ndef start(button):\n    print('started')\n"
    assert findings(tmp_path / "widgets", "TF902", {"pkg/colab.py": form}) == []
    plain = form.replace("import ipywidgets as widgets\n", "")
    [found] = findings(tmp_path / "plain", "TF902", {"pkg/colab.py": plain})
    assert found.path == "pkg/colab.py"


# --------------------------------------------------------------- set NNN (on cc7078e)


def test_a_notebook_line_going_on_with_old_style_formatting_parses(tmp_path: Path) -> None:
    # rasbt/deeplearning-models: `print('Epoch: %03d/%03d'` then a line `%(epoch, n))`
    # was read as an IPython magic and commented out, so some 60 notebooks did not
    # parse and their unseeded random forests (the judge's missed TF1003) went unseen.
    cell = (
        "import torch\n"
        "from sklearn.ensemble import RandomForestClassifier\n\n"
        "torch.manual_seed(1)\n"
        "print('Epoch: %03d/%03d'\n"
        "      %(epoch, n_epochs))\n"
        "rf = RandomForestClassifier(n_estimators=500).fit(X_train, y_train)\n"
    )
    files = {"requirements.txt": "torch==2.4.1\nscikit-learn==1.5.2\n", "ae.ipynb": notebook(cell)}
    [found] = findings(tmp_path, "TF1003", files)
    assert found.path == "ae.ipynb"


def test_tf201_a_collection_of_notebooks_with_a_few_helper_modules(tmp_path: Path) -> None:
    # rasbt/deeplearning-models: 182 notebooks and 15 helper modules, each notebook
    # recording its versions with `%watermark`: no manifest at error was NOISE. A warning
    # now; a code base of modules with no manifest is still an error.
    files = {f"nb/lesson_{n}.ipynb": notebook("import torch\n") for n in range(20)}
    files["helper.py"] = "import numpy\n"
    [found] = findings(tmp_path / "notebooks", "TF201", files)
    assert found.severity is Severity.WARNING
    modules = {f"pkg/mod_{n}.py": "import numpy\n" for n in range(3)}
    [found] = findings(tmp_path / "modules", "TF201", {**modules, "nb/a.ipynb": notebook("1\n")})
    assert found.severity is Severity.ERROR


def test_tf902_prints_of_the_main_node(tmp_path: Path) -> None:
    # Stability-AI/StableCascade's trainer prints under `if self.is_main_node:` (FALSE):
    # the first process of a distributed run speaking for it. Prints on every node are
    # still reported.
    module = (
        _LOGGED + "class Trainer:\n"
        "    def setup_models(self):\n"
        "        logger.info('setting up')\n"
        "        if self.is_main_node:\n"
        "            print('models ready')\n"
    )
    assert findings(tmp_path / "main", "TF902", {"pkg/train.py": module}) == []
    every = module.replace("        if self.is_main_node:\n            print", "        print")
    [found] = findings(tmp_path / "every", "TF902", {"pkg/train.py": every})
    assert found.path == "pkg/train.py"


def test_tf1002_a_folder_pytest_is_told_not_to_enter(tmp_path: Path) -> None:
    # Aider-AI/aider's `pytest.ini` says `norecursedirs = tmp.* build benchmark`: the
    # hand-run benchmark's `benchmark/test_benchmark.py` is out of collection on
    # purpose (NOISE). A test outside `testpaths` that nothing excludes is reported.
    ini = "[pytest]\nnorecursedirs = build benchmark\ntestpaths =\n    tests/basic\n"
    test = "def test_score():\n    assert 1 + 1 == 2\n"
    files = {
        "pytest.ini": ini,
        "tests/basic/test_main.py": test,
        "benchmark/test_benchmark.py": test,
    }
    assert findings(tmp_path / "excluded", "TF1002", files) == []
    files["pytest.ini"] = ini.replace("norecursedirs = build benchmark\n", "")
    [found] = findings(tmp_path / "outside", "TF1002", files)
    assert found.path == "benchmark/test_benchmark.py"


def test_tf1003_a_tests_toy_model(tmp_path: Path) -> None:
    # mlflow/mlflow-export-import's `tests/sklearn_utils.py` fits an iris tree to have a
    # model to export (NOISE twice). The same in the package is reported.
    helper = (
        "from sklearn.model_selection import train_test_split\n"
        "from sklearn.tree import DecisionTreeClassifier\n\n"
        "def create_model(X, y):\n"
        "    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3)\n"
        "    return DecisionTreeClassifier(max_depth=5).fit(X_train, y_train)\n"
    )
    files = {"requirements.txt": "scikit-learn==1.5.2\n", "tests/sklearn_utils.py": helper}
    assert findings(tmp_path / "tests", "TF1003", files) == []
    files = {"requirements.txt": "scikit-learn==1.5.2\n", "app/train.py": helper}
    assert len(findings(tmp_path / "package", "TF1003", files)) == 2


# --------------------------------------------------------------- set OOO (on bde6917)


def test_tf802_cibuildwheel_runs_the_test_command_of_pyproject(tmp_path: Path) -> None:
    # openai/tiktoken's wheel workflow uses `pypa/cibuildwheel`, whose `[tool.cibuildwheel]
    # test-command = "pytest {project}/tests"` runs after each wheel (FALSE). A wheel
    # workflow with no test command runs no tests.
    pyproject = (
        '[project]\nname = "tok"\nversion = "1.0"\n\n'
        '[tool.cibuildwheel]\ntest-requires = "pytest"\n'
        'test-command = "pytest {project}/tests --import-mode=append"\n'
    )
    workflow = (
        "on: [push, pull_request]\n"
        "jobs:\n"
        "  wheels:\n"
        "    runs-on: ubuntu-24.04\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - uses: pypa/cibuildwheel@v2.21.3\n"
    )
    files = {
        "pyproject.toml": pyproject,
        ".github/workflows/wheels.yml": workflow,
        "tok/__init__.py": "",
        "tests/test_tok.py": "def test_tok():\n    assert 1 + 1 == 2\n",
    }
    assert findings(tmp_path / "wheels", "TF802", files) == []
    files["pyproject.toml"] = pyproject.split("\n\n[tool", maxsplit=1)[0] + "\n"
    [found] = findings(tmp_path / "untested", "TF802", files)
    assert found.path == ".github/workflows/wheels.yml"


def test_tf902_a_visualisation_the_caller_asks_for(tmp_path: Path) -> None:
    # tiktoken's `_educational.py` prints a coloured view of each BPE merge under `if
    # visualise:` (FALSE): output the caller asked for. Unswitched prints are reported.
    module = (
        _LOGGED + "def bpe_encode(ranks, data, visualise='colour'):\n"
        "    logger.debug('encoding')\n"
        "    if visualise:\n"
        "        print(data)\n"
        "    return data\n"
    )
    assert findings(tmp_path / "asked", "TF902", {"tok/_educational.py": module}) == []
    plain = module.replace("    if visualise:\n        print", "    print")
    [found] = findings(tmp_path / "plain", "TF902", {"tok/_educational.py": plain})
    assert found.path == "tok/_educational.py"


def test_tf1103_a_librarys_demo_notebook(tmp_path: Path) -> None:
    # karpathy/micrograd's `demo.ipynb` trains a toy MLP to show the autograd engine
    # (NOISE): a library ships code, not a trained model. An application that trains
    # only in notebooks is still reported.
    cell = "total_loss = model(x).sum()\ntotal_loss.backward()\n"
    files = {
        "setup.py": "from setuptools import setup\nsetup(name='grad', version='0.1', "
        "classifiers=['Programming Language :: Python :: 3'])\n",
        "grad/__init__.py": "",
        "grad/engine.py": "class Value:\n    pass\n",
        "demo.ipynb": notebook(cell),
    }
    root = make_repo(tmp_path / "lib", files)
    assert (
        check(root, select=["TF1103"], config=Config(kind="library", preview=True)).findings == []
    )
    [found] = findings(tmp_path / "app", "TF1103", files)
    assert found.path == "demo.ipynb"
