"""The project model: the kind of repository and the role of each file (issue 14).

Each kind is inferred from a small self-written look-alike of the real repositories that
taught it (benchmarks/real/verdicts); roles come from folder conventions; the settings
override both; the engine asks a rule only about the roles and kinds it declares.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from twelvefold.cli import main
from twelvefold.config import Config
from twelvefold.discovery import discover
from twelvefold.project import build_model
from twelvefold.project.roles import role_from_path

from tests.helpers import check, make_repo

CLASSIFIERS = 'classifiers = ["Programming Language :: Python :: 3"]\n'
PYPROJECT = '[project]\nname = "x"\nversion = "1"\nrequires-python = ">=3.11"\n'


def kind_of(root: Path) -> str:
    return build_model(root, discover(root, None).files).kind


@pytest.mark.parametrize(
    ("files", "kind"),
    [
        # A pip-installed library: metadata with classifiers (peft, yolov5, BentoML).
        ({"pyproject.toml": PYPROJECT + CLASSIFIERS, "src/x/__init__.py": ""}, "library"),
        # ... or one folder down, beside a C++ core (LightGBM's python-package/).
        ({"python-package/setup.py": "setup(" + CLASSIFIERS + ")", "src/a.cpp": ""}, "library"),
        # Generates projects (cookiecutter-data-science, copier templates).
        ({"cookiecutter.json": "{}", "{{cookiecutter.name}}/x.py": ""}, "template"),
        ({"copier.yml": "name: x\n", "template/x.py.jinja": ""}, "template"),
        # Lessons in numbered folders (mlops-zoomcamp, MLOps-Basics).
        (
            {"01-intro/a.py": "", "02-tracking/b.py": "", "week_3/c.py": "", "README.md": ""},
            "course",
        ),
        # Training scripts run by hand (nanoGPT): no packaging, no package, no container.
        (
            {f"{name}.py": "" for name in ("train", "model", "sample", "bench", "configurator")},
            "research",
        ),
        # A one-file demo with an app entry (streamlit demo): minimal, treated as research.
        ({"streamlit_app.py": "", "Pipfile": ""}, "research"),
        # A packaged product without library metadata (Made-With-ML-like).
        (
            {"pyproject.toml": PYPROJECT, "app/__init__.py": "", "app/serve.py": ""},
            "application",
        ),
        ({"Dockerfile": "FROM python:3.12\n", "serve.py": ""}, "application"),
        # spaCy/weasel project templates users clone (explosion/projects).
        (
            {f"pipelines/{n}/project.yml": "title: x\n" for n in ("ner", "parser", "textcat")},
            "template",
        ),
        # A collection of example projects for a platform (replicate/cog-examples).
        ({f"{n}/cog.yaml": "build: {}\n" for n in ("hello", "resnet", "blur")}, "course"),
        # A paper's code with classifiers in setup.py, which its README opens with the
        # paper and installs from a clone (held-out set O: vision_transformer) ...
        (
            {
                "setup.py": "setup(name='vit_jax', " + CLASSIFIERS + ")",
                "vit_jax/__init__.py": "",
                "README.md": "# Vision Transformer\n\n- [An Image is Worth 16x16 Words]"
                "(https://arxiv.org/abs/2010.11929)\n\n## Installation\n\n"
                "```\npip install -r vit_jax/requirements.txt\n```\n",
            },
            "research",
        ),
        # Classifiers under a placeholder author: a template to copy (held-out set J,
        # Vertex AI's turbo-template)
        (
            {
                "pipelines/pyproject.toml": '[project]\nname = "turbo-template"\n'
                'authors = [{name = "Example User", email = "user@example.com"}]\n' + CLASSIFIERS,
                "pipelines/src/pipelines/__init__.py": "",
            },
            "template",
        ),
        # Steps of a pipeline one folder down, each with its metadata, one of them a
        # vendored library with classifiers (held-out set P, alercebroker/pipeline)
        (
            {
                "P4J/setup.py": "setup(name='P4J', " + CLASSIFIERS + ")",
                **{
                    f"{step}/pyproject.toml": f'[project]\nname = "{step}"\n'
                    for step in ("feature_step", "sorting_hat_step", "xmatch_step")
                },
                "feature_step/features/__init__.py": "",
            },
            "application",
        ),
        # A paper's scripts importing its package folders, with a Dockerfile snippet
        # kept inside one of them (held-out set P, yolov7's utils/google_app_engine/)
        (
            {
                "README.md": "# Official YOLOv7\n\n[paper](https://arxiv.org/abs/2207.02696)\n",
                "train.py": "from models.yolo import Model\nfrom utils.general import x\n",
                "models/__init__.py": "",
                "models/yolo.py": "",
                "utils/__init__.py": "",
                "utils/general.py": "",
                "utils/google_app_engine/Dockerfile": (
                    "FROM gcr.io/google-appengine/python\nCOPY . /app\n"
                    "EXPOSE 8080\nCMD gunicorn -b :$PORT main:app\n"
                ),
                "requirements.txt": "torch>=1.7.0\n",
            },
            "research",
        ),
        # ... but a library whose README cites papers deep down, or installs from PyPI,
        # is a library (yolov5's model table; pyod's `pip install pyod`).
        (
            {
                "setup.py": "setup(name='vit_jax', " + CLASSIFIERS + ")",
                "vit_jax/__init__.py": "",
                "README.md": "# ViT\n\n`pip install -r requirements.txt`\n\n"
                + "Some text.\n" * 300
                + "| ResNet | [paper](https://arxiv.org/abs/1512.03385) |\n",
            },
            "library",
        ),
        (
            {
                "setup.py": "setup(name='pyod', " + CLASSIFIERS + ")",
                "pyod/__init__.py": "",
                "README.md": "# PyOD\n[paper](https://arxiv.org/abs/1901.01588)\n\n"
                "`pip install pyod` or `pip install -e .`\n",
            },
            "library",
        ),
        # A README titled as teaching material, whatever one lesson deploys (mlrun/demos'
        # pipeline, chineidu/MLOps_Tutorials' compose file): a course.
        (
            {
                "README.md": '<img src="logo.png">\n\n# MLRun Demos\n\nEnd-to-end use cases.\n',
                "network-operations/src/workflow.py": "import kfp\n",
                "stocks/app.py": "",
                "mask-detection/train.py": "",
            },
            "course",
        ),
        (
            {
                "README.md": "MLOps Tutorials\n===============\n",
                "docker-compose.yml": "services:\n  api:\n    build: .\n",
                "src/__init__.py": "",
            },
            "course",
        ),
        # ... but not a product's title (an app of examples, a template), nor a cookbook
        # shipping a package with classifiers (nlp-recipes' utils_nlp).
        (
            {
                "README.md": "# Streamlit + LLM Examples App\n",
                "Dockerfile": "FROM python:3.12\n",
                "app.py": "",
            },
            "application",
        ),
        (
            {
                "README.md": "# NLP Best Practices\n",
                "setup.py": "setup(name='utils_nlp', " + CLASSIFIERS + ")",
                "utils_nlp/__init__.py": "",
            },
            "library",
        ),
        # A forecasting framework's experiments launched by hand from shell scripts
        # (held-out set WWW, VEWOXIC's pipeline in Time-Series-Library's layout) ...
        (
            {
                "run.py": "",
                "models/__init__.py": "",
                "models/dlinear.py": "",
                "requirements.txt": "torch==2.5.1\n",
                **{
                    f"scripts/{name}.sh": f"python -u run.py --model {name} --data ETTh1\n"
                    for name in ("DLinear", "PatchTST", "iTransformer")
                },
            },
            "research",
        ),
        # ... but with an image that serves it, an application.
        (
            {
                "run.py": "",
                "models/__init__.py": "",
                "Dockerfile": "FROM python:3.12\nCOPY . /app\nCMD python run.py\n",
                **{
                    f"scripts/{name}.sh": f"python -u run.py --model {name} --data ETTh1\n"
                    for name in ("DLinear", "PatchTST", "iTransformer")
                },
            },
            "application",
        ),
        # A student's capstone named after its course (edumunozsala's online-gaming
        # project, `# MLOps Zoomcamp Cohort 2024`): a product of its own.
        (
            {
                "README.md": "# MLOps Zoomcamp Cohort 2024\n\nFinal project: churn.\n",
                "Dockerfile": "FROM python:3.12\n",
                "serve.py": "",
            },
            "application",
        ),
        (
            {
                "README.md": "# End-to-end MLOps course project\n",
                "Dockerfile": "FROM python:3.12\n",
                "serve.py": "",
            },
            "application",
        ),
        (
            {
                "README.md": "# Fraud detection\n\n## Examples\n",
                "Dockerfile": "FROM python:3.12\n",
                "serve.py": "",
            },
            "application",
        ),
    ],
)
def test_kind_is_inferred_from_evidence(tmp_path: Path, files: dict[str, str], kind: str) -> None:
    assert kind_of(make_repo(tmp_path / "repo", files)) == kind


@pytest.mark.parametrize(
    ("path", "kind", "role"),
    [
        ("src/pkg/model.py", "python", "package"),
        ("examples/lora/train.py", "python", "example"),
        ("examples/tests/test_x.py", "python", "example"),  # the first folder wins
        ("tests/examples/x.py", "python", "test"),
        ("docs/source/conf.py", "python", "docs"),
        ("benchmarks/run.py", "python", "benchmark"),
        ("src/pkg/benchmark.py", "python", "benchmark"),
        ("scripts/convert.py", "python", "script"),
        (".github/workflows/ci.yml", "yaml", "ci"),
        (".ci/requirements-latest.txt", "requirements", "ci"),
        ("{{ cookiecutter.repo }}/.env", "dotenv", "template"),
        ("pyproject.toml.jinja", "other", "template"),
        ("notebooks/eda.ipynb", "notebook", "notebook"),
        ("notebooks/eda.py", "python", "notebook"),  # a jupytext twin
        ("requirements.txt", "requirements", "package"),
        # a folder of examples named for its subject (a Packt book's `logging_examples/`)
        ("Chapter04/logging_examples/logging_example.py", "python", "example"),
        ("code-examples/serve.py", "python", "example"),
        ("src/pkg/examples_util.py", "python", "package"),  # a module, not a folder
        # one example, in the singular, is a thing the project runs (hooli's pipes image)
        ("src/hooli/utils/example_container/Dockerfile", "dockerfile", "package"),
    ],
)
def test_roles_from_folder_conventions(path: str, kind: str, role: str) -> None:
    assert role_from_path(path, kind) == role


def test_settings_override_kind_and_roles(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"tools/serve/app.py": "", "examples/x.py": ""})
    files = discover(root, None).files
    model = build_model(root, files, kind="library", role_globs={"tools/serve/**": "package"})
    assert model.kind == "library"
    assert model.role("tools/serve/app.py") == "package" and model.overridden == {
        "tools/serve/app.py"
    }
    assert model.role("examples/x.py") == "example"


def test_unknown_kind_or_role_in_settings_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for settings in ('kind = "monorepo"\n', 'roles = { "x/**" = "prod" }\n'):
        root = make_repo(tmp_path / settings[:4], {"twelvefold.toml": settings, "a.py": ""})
        assert main(["check", str(root)]) == 2
        assert "is not one of" in capsys.readouterr().err


def test_show_roles_prints_the_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(
        tmp_path / "repo",
        {
            "pyproject.toml": PYPROJECT + CLASSIFIERS,
            "src/x/__init__.py": "",
            "examples/demo.py": "",
            "twelvefold.toml": 'roles = { "examples/demo.py" = "package" }\n',
        },
    )
    assert main(["check", "--show-roles", str(root)]) == 0
    out = capsys.readouterr().out
    assert "kind library (pyproject.toml declares package classifiers)" in out
    assert "  package   examples/demo.py (settings)" in out
    assert "  package   src/x/__init__.py" in out


def test_a_rule_is_asked_only_about_its_roles(tmp_path: Path) -> None:
    """TF206 (undeclared import) is about the product's code: the same import in an
    example is how the example documents its own install step."""
    files = {
        "pyproject.toml": PYPROJECT + 'dependencies = ["numpy==2.1.0"]\n',
        "src/app/__init__.py": "import requests\n",
        "examples/demo.py": "import requests\n",
        "scripts/convert.py": "import requests\n",
    }
    make_repo(tmp_path / "repo", files)
    found = check(tmp_path / "repo", select=["TF206"]).findings
    assert [f.path for f in found] == ["src/app/__init__.py"]


def test_a_rule_for_other_kinds_does_not_run(tmp_path: Path) -> None:
    """TF801 (no CI) is not asked of a research repository; its factor is then n/a."""
    files = {"train.py": "import os\n", "model.py": "", "sample.py": "", "prepare.py": ""}
    root = make_repo(tmp_path / "repo", files)
    research = check(root, select=["TF801"], config=Config())
    assert research.findings == []
    application = check(root, select=["TF801"], config=Config(kind="application"))
    assert [f.code for f in application.findings] == ["TF801"]


def test_notices_name_the_settings_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(tmp_path / "repo", {"twelvefold.toml": 'kind = "library"\n', "a.py": ""})
    main(["check", str(root), "--output-format", "json"])
    messages = [n["message"] for n in json.loads(capsys.readouterr().out)["notices"]]
    assert any(m.startswith("kind = library: set by the settings") for m in messages)


def test_a_deploy_snippet_inside_a_papers_package_folder_is_an_example(tmp_path: Path) -> None:
    # Held-out set P (yolov7): `utils/google_app_engine/Dockerfile`, copied with yolov5's
    # utilities; at error severity, TF503 on it failed the gate of a paper's release.
    files = {
        "README.md": "# Official YOLOv7\n\n[paper](https://arxiv.org/abs/2207.02696)\n",
        "train.py": "from models.yolo import Model\n",
        "models/__init__.py": "",
        "models/yolo.py": "",
        "utils/__init__.py": "",
        "utils/google_app_engine/Dockerfile": "FROM gcr.io/google-appengine/python\nCOPY . /app\nCMD gunicorn -b :$PORT main:app\n",
        "requirements.txt": "torch==2.1.0\n",
    }
    root = make_repo(tmp_path / "paper", files)
    model = build_model(root, discover(root, None).files)
    assert model.kind == "research"
    assert model.role("utils/google_app_engine/Dockerfile") == "example"
    assert (
        check(root, select=["TF503", "TF702"], config=Config(kind=None, preview=False)).findings
        == []
    )
    # the same Dockerfile at the root of an application is its image
    app = {
        **files,
        "Dockerfile": files["utils/google_app_engine/Dockerfile"],
        "app/__init__.py": "",
    }
    root = make_repo(tmp_path / "app", app)
    found = check(root, select=["TF503"], config=Config(kind="application")).findings
    assert [f.path for f in found] == ["Dockerfile", "utils/google_app_engine/Dockerfile"]
