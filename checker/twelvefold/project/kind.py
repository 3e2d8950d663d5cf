"""What kind of repository this is, from evidence in the tree.

The kind changes what is worth reporting: a library's version ranges are what its users
need (pinning them is the wrong fix), a research repository run by hand is not told to
add a Dockerfile, a course is not told its teaching notebooks have outputs, a template's
placeholders are not configuration. Each kind is inferred from cheap evidence, said in
`twelvefold check --show-roles`, and can be set in the settings (`kind = "library"`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from twelvefold import kinds
from twelvefold.discovery import FileEntry
from twelvefold.lazy_regex import lazy_compile

#: Installed into its users' environments (`pip install x`): metadata with classifiers.
LIBRARY = "library"
#: Deployed or run as one product: a service, an application, a training pipeline.
APPLICATION = "application"
#: Training and evaluation scripts run by hand, no container: unpackaged, or a paper's
#: release installed with `pip install -e .` but with no CI, tests or commands.
RESEARCH = "research"
#: Generates projects (copier, cookiecutter).
TEMPLATE = "template"
#: Teaches, in numbered lessons or weeks, mostly with notebooks.
COURSE = "course"

KINDS = (LIBRARY, APPLICATION, RESEARCH, TEMPLATE, COURSE)

#: A template's own configuration: the folder holding it is a generated project's sources.
TEMPLATE_FILES = ("copier.yml", "copier.yaml", "cookiecutter.json")
#: `01-intro`, `week_2`, `lesson3`, `module-1`, `chapter 4`, `ch02` (a book's chapter),
#: `day1`, `lab01`.
_LESSON_FOLDER = lazy_compile(
    r"^(?:\d{1,2}(?:[-_. ]|$)|(?:week|module|lesson|chapter|ch|day|lecture|unit|lab)[-_ ]?\d)",
    re.I,
)
#: A lesson folder named by a word, not a bare number (`lab01`, `week_2`): two of them
#: that teach with notebooks are a course at an early stage (labs published one by one).
_NAMED_LESSON = lazy_compile(r"^[a-z]", re.I)
_MIN_NAMED_LESSONS = 2
#: A lesson folder numbered after one letter (`s1_development_environment`, `s10_extra`,
#: `m3-monitoring`). Alone it says nothing (`s3_bucket/` in an application): only
#: `_MIN_LETTER_LESSONS` siblings with the same letter and distinct numbers make a course.
#: `v1_api`, `v2_api` are versions, not lessons.
_LETTER_LESSON = lazy_compile(r"^([a-uw-z])(\d{1,2})[-_][a-z]", re.I)
_MIN_LETTER_LESSONS = 3
#: A Python package's metadata that only libraries carry.
_LIBRARY_MARKER = lazy_compile(
    rb"classifiers\s*=|Intended Audience|Topic ::|Programming Language ::"
)
_MAX_MANIFEST_BYTES = 1 << 20
#: Per-folder project descriptors and the kind a collection of them makes.
_PROJECT_DESCRIPTORS = {"project.yml": TEMPLATE, "cog.yaml": COURSE, "MLproject": COURSE}
_MIN_COLLECTION = 3
#: At most this many Python files and no package: a demo, not a product.
_MINIMAL_SCRIPTS = 3
#: Files that say the repository runs as one product.
_RUN_AS_ONE = frozenset(
    {"docker-compose.yml", "docker-compose.yaml", "compose.yaml", "compose.yml", "Procfile"}
    | {"MLproject", "dvc.yaml", "bentofile.yaml", "app.yaml", "fly.toml"}
)
#: Root files of a project's development tooling: whoever keeps them means to maintain it.
_DEV_TOOLING = frozenset(
    {"Makefile", "tox.ini", "noxfile.py", ".pre-commit-config.yaml", "mkdocs.yml", "Justfile"}
)
#: Development requirements at the root (`requirements-dev.txt`, `dev-requirements.txt`).
_DEV_REQUIREMENTS = lazy_compile(
    r"(?:requirements[-_](?:dev|test)\w*|(?:dev|test)[-_]requirements)\.txt$", re.I
)
#: A README title naming a template users copy (`# PyTorch Template Project`).
_TEMPLATE_TITLE = lazy_compile(r"\btemplate\b", re.I)
#: Files that deploy a service wherever they sit (a Serverless Framework service of
#: Lambda handlers): a repository holding one is deployed, not run by hand.
_DEPLOY_FILES = frozenset({"serverless.yml", "serverless.yaml"})
#: Compose files at the root: one that builds its services from the repository's own
#: folders deploys them together (`docker compose up`, a Swarm stack).
#: A compose file at the root, or in a folder of deployment files: `docker-compose.yml`,
#: `compose.yaml`, a variant (`docker-compose.prod.yml`, `docker-compose.enterprise.yml`),
#: `deploy/docker-compose.yml`, `config/docker-compose.yml`.
_COMPOSE_FILE = lazy_compile(
    r"(?:(?:deploy|deployment|deployments|docker|config|infra|ops)/)?"
    r"(?:docker-)?compose(?:[.-][\w-]+)?\.ya?ml"
)
_BUILD_KEY = lazy_compile(rb"^\s+build\s*:", re.M)
#: The same as an AWS SAM template (`template.yaml`), told by its resource types.
_SAM_NAMES = frozenset({"template.yaml", "template.yml"})
_SAM_MARKER = lazy_compile(rb"AWS::Serverless")
#: A setup.py that installs commands or names a version: a tool someone runs or releases.
_RELEASED = lazy_compile(rb"entry_points|console_scripts|\bversion\s*=")
_COMMANDS = lazy_compile(rb"entry_points|console_scripts|\bscripts\s*=")
#: Folders whose Dockerfile describes a developer's editor environment, not a deployment.
_DEV_CONTAINER = ".devcontainer/"
#: Root scripts that start an application.
_APP_ENTRIES = frozenset(
    {"app.py", "streamlit_app.py", "main.py", "serve.py", "server.py", "api.py", "wsgi.py"}
)
#: ... except `main.py`, which is as often a paper's training script (`python main.py
#: --model deit_base --data-path ...`): it starts an application only when it imports a
#: web or UI framework, or the server that runs one.
_GENERIC_ENTRIES = frozenset({"main.py"})
_SERVES = lazy_compile(
    rb"^[ \t]*(?:from|import)[ \t]+(?:fastapi|flask|streamlit|gradio|django|uvicorn|gunicorn"
    rb"|starlette|litestar|aiohttp|tornado|sanic|bottle|falcon|quart|dash|panel|bentoml"
    rb"|chainlit|waitress|cherrypy|connexion|grpc|ray\.serve|ray[ \t]+import[ \t]+serve)\b",
    re.M,
)
#: The README at the root, whose words say what the repository is for.
_README = lazy_compile(r"^readme(?:\.(?:md|markdown|rst|txt))?$", re.I)
#: A distribution's own name in its metadata: PEP 621 `[project]` or `[tool.poetry]`,
#: setup.cfg's `[metadata]`, or a literal `setup(name="...")`.
_TOML_NAME = lazy_compile(
    rb"^\[(?:project|tool\.poetry)\][^\[]*?^name\s*=\s*[\"']([\w.-]+)[\"']", re.M | re.S
)
_CFG_NAME = lazy_compile(rb"^\[metadata\][^\[]*?^name\s*=\s*([\w.-]+)\s*$", re.M | re.S)
_SETUP_NAME = lazy_compile(rb"\bname\s*=\s*[\"']([\w.-]+)[\"']")
#: `pip install -U name[extra]>=1`: the names a README installs from an index (not
#: `pip install -e .`, `-r requirements.txt` or a git URL).
_PIP_INSTALL = lazy_compile(
    rb"\bpip3?\s+install((?:\s+-(?:U|-upgrade|-pre|-user|q|-quiet))*)\s+[\"']?([A-Za-z0-9][\w.-]*)"
)
#: `pip install git+https://host/owner/NAME(.git)`: the repository installed by URL.
_PIP_INSTALL_GIT = lazy_compile(
    rb"\bpip3?\s+install(?:\s+-\S+)*\s+[\"']?git\+https?://[\w.-]+/[\w.-]+/([\w-]+?)(?:\.git)?(?:[@#\"'\s]|$)",
    re.M,
)
#: Badges and links to the distribution's page on the package index.
_PYPI_PAGE = lazy_compile(
    rb"(?:pypi\.org/project/|pypi\.python\.org/pypi/|badge\.fury\.io/py/"
    rb"|img\.shields\.io/pypi/[a-z]+/|pepy\.tech/(?:project|badge)/)([A-Za-z0-9][\w.-]*?)"
    rb"(?:\.svg|/|\)|\?|\"|'|\s|$)"
)
#: A README presenting a Kaggle competition's solution: a link to the competition and
#: the words of a result (`1st place solution`, `leaderboard`, `gold medal`) or of an
#: entry (`baseline for`).
#: A README calling its notebooks the material of courses: "notebooks used in Kaggle
#: Learn courses", "the notebooks of our courses". Plural: a student's "project for the
#: MLOps course" is an application all the same.
_COURSES_MATERIAL = lazy_compile(
    rb"\bnotebooks\b[^.\n]{0,80}\bcourses\b|\bcourses'? (?:notebooks|materials?|exercises)\b"
    # "Private pre-publication curriculum for banking fraud detection" (not curriculum
    # learning, a way to train)
    rb"|\bcurriculum\b(?![ -]learning)",
    re.I,
)
#: How many notebooks course material has at least.
_MIN_COURSE_NOTEBOOKS = 20
#: A README presenting the code of several Kaggle competitions ("code base from previous
#: kaggle competitions", "my Kaggle competitions").
_COMPETITIONS_CODE = lazy_compile(
    rb"\bkaggle\b[^\n]{0,60}\bcompetitions\b|\bcompetitions\b[^\n]{0,60}\bkaggle\b", re.I
)
_COMPETITION_LINK = lazy_compile(rb"kaggle\.com/(?:c|competitions)/[\w-]+", re.I)
_COMPETITION_RESULT = lazy_compile(
    rb"(?:\b\d+(?:st|nd|rd|th)|\bfirst|\bsecond|\bthird|\btop[- ]?\d+%?|\bgold|\bsilver"
    rb"|\bbronze)[- ](?:place|medal)|\bleaderboard\b"
    rb"|\b(?:winning|place|competition|kaggle|challenge|open) solution\b"
    rb"|\b(?:public|private|priv\.?)[ ]+LB\b|\|[ ]*LB[ ]*\|"
    # an entry, if not a placed one: "PyTorch baseline for https://www.kaggle.com/c/..."
    rb"|\bbaseline for\b|\bsubmission kernel\b",
    re.I,
)
#: A README that releases a paper's code: a link to arXiv or the paper's BibTeX.
_PAPER = lazy_compile(
    rb"arxiv\.org/|@(?:article|inproceedings|misc)\s*\{"
    # "To appear at CVPR 2023", "(NeurIPS'22)": a venue and its year
    rb"|\b(?:CVPR|ICCV|ECCV|NeurIPS|ICLR|ICML|ACL|EMNLP|NAACL|AAAI|IJCAI|SIGGRAPH|WACV|BMVC)"
    rb"\s?'?(?:19|20)?\d\d\b",
    re.I,
)
#: A module that serves a web API (not a UI demo hosted on a sharing service).
_API_SERVER = lazy_compile(
    rb"^[ \t]*(?:from|import)[ \t]+(?:fastapi|flask|starlette|litestar|aiohttp|tornado|sanic"
    rb"|bottle|falcon|quart|django|uvicorn|gunicorn|waitress|cherrypy|connexion|bentoml)\b",
    re.M,
)
#: A start script's command that runs a web server (`uvicorn pkg.api:app`, `exec gunicorn
#: app:app`, a Procfile's `web: gunicorn ...`), not a mention in an `echo`.
_STARTS_SERVER = lazy_compile(
    rb"^[ \t]*(?:[\w-]+:[ \t]*)?(?:exec[ \t]+|(?:poetry|pipenv|uv)[ \t]+run[ \t]+"
    rb"|python3?[ \t]+-m[ \t]+)?(?:uvicorn|gunicorn|hypercorn|waitress-serve|flask[ \t]+run)\b",
    re.M,
)
#: A module importing an orchestration framework: its pipelines run as one product.
_ORCHESTRATED = lazy_compile(
    rb"^[ \t]*(?:from|import)[ \t]+(?:zenml|kedro|metaflow|prefect|airflow|dagster|kfp"
    rb"|flytekit)\b",
    re.M,
)
#: How many Python files are read for one, at most.
_MAX_ORCHESTRATION_READS = 200
#: A CI step's command that runs one of the repository's scripts (`python build.py
#: --config configs/staging.yml`, `python3 -m pipelines.train`).
_RUNS_SCRIPT = lazy_compile(
    rb"\bpython3?(?:[ \t]+-[uBO])*[ \t]+(?:-m[ \t]+([A-Za-z_][\w.]*)|([\w./-]+\.py))\b"
)
#: ... when the script's name says it runs the pipeline (`run.py`, `build.py`,
#: `train_model.py`, `pipelines/deploy.py`), not a maintenance script (`scripts/
#: generate_table.py`, `benchmarks.py`, `.ci/create-nuget.py`)...
_PIPELINE_SCRIPT = lazy_compile(
    r"(?:^|[_-])(?:run|build|train|training|retrain|pipeline|pipelines|deploy|promote|main"
    r"|serve|predict|inference|infer|evaluate|score|batch|flow|dag)(?:[_-]|\.py$)",
    re.I,
)
#: ... outside folders of tooling, docs, examples and tests (where an orchestrator's
#: import is a demo, too)...
_ASIDE_FOLDER = lazy_compile(
    r"(?:^|/)(?:\.[^/]+|docs?|tests?|examples?|tools|dev|ci|benchmarks?)/", re.I
)
#: ... and not named like a check or a chore.
_TOOLING_SCRIPT = lazy_compile(
    r"(?:^|/)(?:setup|conftest|noxfile|tasks)\.py$|(?:lint|format|check|spell|style|release"
    r"|version|bump|test|bench|generate)[^/]*\.py$",
    re.I,
)
#: GitHub workflows and other CI configuration, where run steps sit.
_WORKFLOW = lazy_compile(r"^\.github/workflows/[^/]+\.ya?ml$|^\.gitlab-ci\.ya?ml$")

#: Where start scripts sit, and how big one may be to be read.
_SCRIPT_FOLDERS = ("bin/", "scripts/")
_SCRIPT_SUFFIXES = (".sh", ".bash")
_SCRIPT_NAMES = frozenset({"Makefile", "Procfile", "justfile"})
_MAX_SCRIPT_BYTES = 1 << 14


#: Top folders that hold a course's labs (GoogleCloudPlatform/mlops-on-gcp's
#: `workshops/`, pinecone-io/examples' `learn/`), and how many notebooks make them
#: teaching material.
_TEACHING_FOLDERS = frozenset({"workshops", "workshop", "labs", "lessons", "courses", "learn"})
_MIN_LAB_NOTEBOOKS = 3


def _teaching_folders(files: Sequence[FileEntry], top_folders: set[str]) -> str | None:
    """A top folder named for teaching (`workshops/`, `labs/`, `lessons/`) holding
    notebooks: the repository teaches with them."""
    for folder in sorted(top_folders):
        if folder.lower() not in _TEACHING_FOLDERS:
            continue
        notebooks = sum(
            1
            for entry in files
            if entry.path.startswith(folder + "/") and entry.path.endswith(".ipynb")
        )
        if notebooks >= _MIN_LAB_NOTEBOOKS:
            return folder
    return None


@dataclass(frozen=True)
class KindEvidence:
    kind: str
    why: str
    #: Top folders that are examples users clone one at a time (a collection of
    #: example projects): their code is example code, not the repository's product.
    example_folders: frozenset[str] = frozenset()
    #: The application this repository extends and runs inside (a Stable Diffusion web
    #: UI extension, a ComfyUI custom node pack): its environment is the host's.
    host: str | None = None


#: Extensions loaded into a host application, by the file at their root that says so:
#: A1111's web UI runs an extension's `install.py` with its own `launch` module
#: importable; ComfyUI imports a node pack's `__init__.py` for its `NODE_CLASS_MAPPINGS`.
_HOST_MARKERS = (
    (
        "install.py",
        lazy_compile(rb"^[ \t]*(?:import launch\b|from launch import)", re.M),
        "Stable Diffusion web UI",
    ),
    ("__init__.py", lazy_compile(rb"\bNODE_CLASS_MAPPINGS\b"), "ComfyUI"),
)


def host_application(root: Path, files: Sequence[FileEntry]) -> tuple[str, str] | None:
    """The host application an extension at `root` runs inside, and the file that says so."""
    top_files = {entry.path for entry in files if "/" not in entry.path}
    for name, marker, host in _HOST_MARKERS:
        if name in top_files and marker.search(_head(root / name)):
            return host, name
    return None


def infer_kind(root: Path, files: Sequence[FileEntry]) -> KindEvidence:
    """The kind of the repository at `root` whose files are `files`."""
    top_files = {entry.path for entry in files if "/" not in entry.path}
    for name in TEMPLATE_FILES:
        if name in top_files:
            return KindEvidence(TEMPLATE, f"{name} at the root")
    extension = host_application(root, files)
    if extension is not None:
        # Installed into the host's environment, next to its other extensions: its
        # requirements are ranges the host resolves, and the host provides the rest.
        host, marker = extension
        return KindEvidence(
            LIBRARY,
            f"an extension of {host} ({marker} at the root): it runs in the host's environment",
            host=host,
        )
    top_folders = {entry.path.split("/", 1)[0] for entry in files if "/" in entry.path}
    if any("{{" in folder for folder in top_folders):
        return KindEvidence(TEMPLATE, "a template folder with `{{ }}` in its name")
    # A collection of templates, each in its own folder (kedro-starters'
    # `spaceflights-pandas/{{ cookiecutter.repo_name }}/`).
    nested = {
        entry.path.split("/", 2)[0]
        for entry in files
        if entry.path.count("/") >= 2 and "{{" in entry.path.split("/", 2)[1]
    }
    if len(nested) >= 2:
        return KindEvidence(
            TEMPLATE, f"{len(nested)} template folders with `{{{{ }}}}` in their names"
        )
    lessons = sorted(
        {folder for folder in top_folders if _LESSON_FOLDER.match(folder)}
        | _letter_lessons(top_folders)
    )
    if len(lessons) >= 3:
        return KindEvidence(COURSE, f"{len(lessons)} lesson folders ({', '.join(lessons[:3])}...)")
    if len(top_folders) <= 3:
        # The lessons one folder down, under the only code folder (featurestore's
        # serverless-ml-course: `src/00-intro/`, `src/01-module/`...).
        for top in sorted(top_folders):
            below = sorted(
                {
                    entry.path.split("/", 2)[1]
                    for entry in files
                    if entry.path.startswith(top + "/") and entry.path.count("/") >= 2
                }
            )
            inner = [folder for folder in below if _LESSON_FOLDER.match(folder)]
            if len(inner) >= 3 and len(inner) * 2 > len(below):
                return KindEvidence(
                    COURSE, f"{len(inner)} lesson folders in {top}/ ({', '.join(inner[:3])}...)"
                )
    named = _named_lessons_with_notebooks(files, lessons)
    if len(named) >= _MIN_NAMED_LESSONS:
        return KindEvidence(
            COURSE, f"{len(named)} lesson folders with notebooks ({', '.join(named)})"
        )
    teaching = _teaching_folders(files, top_folders)
    if teaching:
        return KindEvidence(COURSE, f"hands-on labs with notebooks in {teaching}/")
    readme = _readme(root, top_files)
    title = _readme_title(readme)
    # A collection of independent projects, each with its own descriptor: spaCy/weasel
    # project templates users clone (`weasel clone`), or examples for a platform (Cog).
    described: dict[str, int] = {}
    for entry in files:
        name = entry.path.rsplit("/", 1)[-1]
        if "/" in entry.path and name in _PROJECT_DESCRIPTORS:
            described[name] = described.get(name, 0) + 1
    for name, count in sorted(described.items()):
        if count >= _MIN_COLLECTION:
            kind = _PROJECT_DESCRIPTORS[name]
            what = "project templates" if kind == TEMPLATE else "example projects"
            return KindEvidence(kind, f"{count} {what}, each with its own {name}")
    # Package metadata at the root or one folder down (`python-package/setup.py` beside
    # a C++ core).
    metadata = [
        entry.path
        for entry in files
        if entry.path.count("/") <= 1
        and entry.path.rsplit("/", 1)[-1] in ("pyproject.toml", "setup.py", "setup.cfg")
    ]
    heads = {path: _head(root / path) for path in metadata}
    examples = _example_projects(root, files, heads)
    if examples:
        return KindEvidence(
            COURSE,
            f"a collection of {len(examples)} independent example projects, each with its "
            f"own dependencies and README ({', '.join(examples[:3])}...)",
            frozenset(examples),
        )
    # Installation instructions of their own (detectron2's INSTALL.md, which its README
    # links to) say how users install it as well as the README would.
    install = b"".join(_head(root / name) for name in sorted(top_files) if _INSTALL_DOC.match(name))
    published = _published_name(heads, readme + b"\n" + install, _root_packages(files))
    if (
        title is not None
        and _TEACHING_TITLE.search(title)
        and not _PRODUCT_TITLE.search(title)
        and published is None
        and not any(_LIBRARY_MARKER.search(head) for head in heads.values())
    ):
        # The README names the repository a course, a set of demos or tutorials (`#
        # MLRun Demos`, `# MLOps Tutorials`) and it publishes no package (a cookbook's
        # helper package with classifiers is a library's code all the same): its
        # folders are lessons read one at a time, whatever compose file or pipeline one
        # of them ships.
        return KindEvidence(COURSE, f"the README's title names it teaching material ({title!r})")
    notebooks = sum(1 for entry in files if entry.kind == kinds.NOTEBOOK)
    if (
        notebooks >= _MIN_COURSE_NOTEBOOKS
        and (said := _COURSES_MATERIAL.search(readme[:_README_OPENING])) is not None
        and published is None
        and not any(_LIBRARY_MARKER.search(head) for head in heads.values())
    ):
        # The notebooks of several courses and the package that checks their exercises
        # ("The checking code and notebooks used in Kaggle Learn courses"): lessons.
        quoted = said.group().decode("utf-8", "replace")
        return KindEvidence(
            COURSE, f"{notebooks} notebooks the README calls course material ({quoted!r})"
        )
    if (
        (book := _BOOK.search(readme[:_README_OPENING])) is not None
        and published is None
        and not any(_LIBRARY_MARKER.search(head) for head in heads.values())
    ):
        # A book's companion code (`Code repository for the O'Reilly publication`): its
        # chapters' notebooks and example pipelines are read along with the book, which
        # is what makes them what they are, whatever pipeline or image one ships.
        quoted = book.group().decode("utf-8", "replace")
        return KindEvidence(COURSE, f"a book's companion code (the README: {quoted!r})")
    # Several projects one folder down and none at the root: a monorepo of services or
    # steps, whichever of them has classifiers (a vendored library among the steps).
    sub_projects = {path.split("/", 1)[0] for path in metadata if "/" in path}
    monorepo = len(sub_projects) >= _MONOREPO_PROJECTS and all("/" in path for path in metadata)
    for path, head in heads.items():
        if _LIBRARY_MARKER.search(head) and not monorepo and not _CCDS_PROJECT.search(readme):
            if published is None and _PLACEHOLDER_AUTHOR.search(head):
                # `authors = [{name = "Example User", email = "user@example.com"}]`:
                # metadata left for the team that copies it (Vertex AI's turbo-template).
                return KindEvidence(TEMPLATE, f"{path} names a placeholder author")
            if published is None and _paper_code_installed_from_source(readme):
                # A paper's code with classifiers in its setup.py, which its README
                # installs from a clone, never from PyPI (vision_transformer).
                return KindEvidence(
                    RESEARCH,
                    f"{path} declares classifiers, but the README opens with a paper and "
                    "installs its code from the clone, not from PyPI",
                )
            deployed = _deployment(root, files) if published is None else None
            if deployed is not None:
                # Classifiers for a wheel nobody is told to install, and the repository
                # builds its own services (h2ogpt's compose file): an application.
                return KindEvidence(
                    APPLICATION,
                    f"{path} declares classifiers, but the README never installs it from an "
                    f"index and a deployment builds its services ({deployed})",
                )
            return KindEvidence(LIBRARY, f"{path} declares package classifiers")
    if published is not None:
        # Metadata without classifiers (a `[tool.poetry]` name and version), but the
        # README tells its users to install that very distribution (from the index or
        # from the repository's URL), or shows its page on PyPI: a library, whatever
        # Dockerfile its developers work in.
        return KindEvidence(LIBRARY, f"the README installs its own distribution ({published})")
    if not any("/" not in path for path in metadata):
        # A monorepo of packages (langgraph's `libs/langgraph/`, `libs/cli/`...), none at
        # the root, whose README installs one of them from the index: a library.
        members = {
            entry.path: _head(root / entry.path)
            for entry in files
            if entry.path.count("/") == 2
            and entry.path.split("/", 1)[0] in _PACKAGE_MONOREPO_FOLDERS
            and entry.path.rsplit("/", 1)[-1] in ("pyproject.toml", "setup.py", "setup.cfg")
        }
        member = _published_name(members, readme) if members else None
        if member is not None:
            folders = sorted({path.split("/", 1)[0] for path in members})
            return KindEvidence(
                LIBRARY,
                f"a monorepo of packages in {', '.join(f + '/' for f in folders)} whose "
                f"README installs one ({member})",
            )
    packaged = any(
        not path.endswith("pyproject.toml") or b"[project]" in head for path, head in heads.items()
    )
    # A pyproject of `[project] dependencies` only, with no build system and no command
    # (CogVideo's): the environment's list, as `uv init --no-package` writes it. It
    # installs nothing of the code.
    environment_list = packaged and all(
        path.endswith("pyproject.toml")
        and b"[build-system]" not in head
        and b"[project.scripts]" not in head
        and b"[project.gui-scripts]" not in head
        for path, head in heads.items()
    )
    root_image = any(entry.kind == kinds.DOCKERFILE and "/" not in entry.path for entry in files)
    containers = root_image or any(name in top_files for name in _RUN_AS_ONE)
    packages = any(
        entry.path.endswith("/__init__.py") and not kinds.is_test_path(entry.path)
        for entry in files
    )
    python = sum(1 for entry in files if entry.kind == kinds.PYTHON)
    app = sorted(
        name
        for name in top_files & _APP_ENTRIES
        if name not in _GENERIC_ENTRIES or _SERVES.search(_head(root / name))
    )
    chapters = _chapter_notebooks(files)
    if len(chapters) >= _MIN_CHAPTERS and not (containers or app or packaged):
        # A book's notebooks, one per chapter at the root (`01-introduction.ipynb`), with
        # the helper package the figures import (introduction_to_ml_with_python's
        # `mglearn/`): it teaches.
        return KindEvidence(
            COURSE,
            f"{len(chapters)} numbered chapter or lesson notebooks at the root ({', '.join(chapters[:3])}...)",
        )
    if (
        title is not None
        and _KAGGLE.search(title)
        and not app
        and any("submission" in entry.path.rpartition("/")[2].lower() for entry in files)
        and _serves_an_api(root, files) is None
    ):
        # `# common-lit-kaggle`, `# kaggle_pipeline` (a monorepo of one person's Kaggle
        # projects, its compose file a GPU notebook server) with the competition's
        # submission files: competition work, run by hand, whatever environment it
        # builds. A pipeline on a Kaggle dataset (`# House-Price-Model (Kaggle)`, no
        # submission) or a service of a Kaggle-trained model stays an application.
        return KindEvidence(
            RESEARCH,
            f"the README's title names Kaggle ({title!r}) and the tree holds submission "
            "files: competition work, no library metadata, no web service",
        )
    deployed = _deployment(root, files)
    if deployed is not None:
        return KindEvidence(APPLICATION, f"a deployment ({deployed}), no library metadata")
    if not app and _PLACED_IN_COMPETITION.search(readme[:_README_OPENING]):
        # "This forecast placed fifth in the VN1 Sales Forecasting Competition": a
        # result, frozen, whatever orchestrator (Kedro) ran its steps once.
        return KindEvidence(RESEARCH, "the README opens with the place it won in a competition")
    pipeline = _runs_a_pipeline(root, files)
    if pipeline is not None:
        # A pipeline run as one product: an orchestrator runs its steps, or CI runs its
        # training and deployment scripts. Not scripts run by hand, however few.
        return KindEvidence(APPLICATION, f"a pipeline ({pipeline}), no library metadata")
    opening = readme[:_README_OPENING]
    if (
        _PAPER.search(opening)
        and _MODEL_PAGE.search(opening)
        and not (packaged or root_image)
        and _ships_nothing(root, files)
    ):
        # ChatGLM2-6B: the README opens with its papers and the weights' page; `api.py`
        # and `web_demo.py` demo the released model, run by hand.
        return KindEvidence(
            RESEARCH,
            "a model release: the README opens with its paper and the weights' page; "
            "demos run by hand, no packaging, image or CI",
        )
    if (
        not (app or containers or packaged)
        and _COMPETITIONS_CODE.search(opening)
        and _ships_nothing(root, files)
    ):
        # One person's code of past Kaggle competitions, a folder each, kept for
        # reference ("previous kaggle competitions ... for reference only"): scripts run
        # by hand once, nothing built, tested or deployed.
        return KindEvidence(
            RESEARCH,
            "the code of past Kaggle competitions (the README says so): no packaging, "
            "container, CI or tests",
        )
    if not app and _competition_solution(readme):
        # A frozen release of a result: a Dockerfile replays the experiments, nobody
        # deploys it.
        return KindEvidence(RESEARCH, "the README presents a competition's solution")
    if python <= _MINIMAL_SCRIPTS and not (packages or root_image or packaged):
        server = _serves_an_api(root, files)
        if server is not None:
            # Three files, but a web service: it is deployed, not run by hand.
            return KindEvidence(APPLICATION, f"a minimal web service ({server})")
        # A demo or an example project: one or two scripts, run by hand or by a hosting
        # service. Nobody adds CI, tests or a build to it.
        return KindEvidence(RESEARCH, f"a minimal repository ({python} Python files, no package)")
    if not (packaged or containers or packages or app) and python <= 60 and not _deploys(files):
        return KindEvidence(
            RESEARCH, "scripts run by hand: no packaging, package folder, container or app"
        )
    if (
        packages
        and not (packaged or containers or app)
        and python <= _PAPER_MAX_PYTHON
        and not top_files & _DEV_TOOLING
        and not any(_DEV_REQUIREMENTS.match(name) for name in top_files)
        and not (title is not None and _TEMPLATE_TITLE.search(title))
        and not _deploys(files)
        and _ships_nothing(root, files)
        and _serves_an_api(root, files) is None
    ):
        # A thesis's or a class project's experiments: package folders of models and
        # datasets that a menu or the scripts import, one requirements list, and nothing
        # that builds, tests, serves or ships them, nor tooling that would (dev
        # requirements, a Makefile, pre-commit, a docs site): run by hand and reported.
        return KindEvidence(
            RESEARCH,
            "scripts and package folders run by hand: no packaging, container, service, CI, "
            "tests or dev tooling",
        )
    launchers = _experiment_launchers(root, files, top_files)
    if (
        launchers >= _MIN_LAUNCHERS
        and not (packaged or containers or app)
        and python <= _PAPER_MAX_PYTHON
        and _ships_nothing(root, files)
    ):
        # A forecasting or benchmark framework's experiments, each a shell script that
        # runs a root script with its flags (`python run.py --model DLinear ...`), launched
        # by hand: the record of runs, not a product (Time-Series-Library's layout).
        return KindEvidence(
            RESEARCH,
            f"experiments launched by hand: {launchers} shell scripts run the root scripts "
            "with their flags; no packaging, container, CI or tests",
        )
    slurm_jobs = sum(1 for entry in files if entry.path.endswith(_SLURM_SUFFIXES))
    if (
        slurm_jobs
        and not (packaged or app)
        and not any(name in top_files for name in _RUN_AS_ONE)
        and _ships_nothing_but_environments(root, files)
        and not _deploys(files)
    ):
        # Jobs submitted to a cluster by hand (`sbatch train.slurm`), however many
        # scripts they run: the record of how a model was trained, not a product.
        return KindEvidence(
            RESEARCH,
            f"jobs launched by hand on a Slurm cluster ({slurm_jobs} Slurm scripts): "
            "no packaging, container, CI or tests",
        )
    if (
        not ((packaged and not environment_list) or containers or app)
        and python <= _PAPER_MAX_PYTHON
        and _PAPER.search(readme)
        and (
            _scripts_import_a_package(root, files)
            or not _root_packages(files)
            or _packages_of_training_scripts(files)
        )
        and _ships_nothing(root, files)
    ):
        # A paper's code: root training scripts importing the model's package folder
        # (or packages of training scripts run with `python -m`), no packaging, image,
        # CI or tests.
        return KindEvidence(
            RESEARCH,
            "a paper's scripts and its sub-projects' plug-ins, no container, CI or tests"
            if not _root_packages(files)
            else "a paper's scripts importing its package folder, no container, CI or tests"
            if _scripts_import_a_package(root, files)
            else "a paper's training scripts in its package folders, no container, CI or tests",
        )
    if (
        not (containers or app)
        and python <= 60
        and _bare_setup_only(heads)
        and _paper_release(root, files)
    ):
        # A paper's code release: `pip install -e .` of its modules, training scripts
        # run by hand with flags from the README; no version, image, CI, tests or command.
        return KindEvidence(
            RESEARCH,
            "training scripts run by hand: an unversioned setup.py, no CI, tests or image "
            "but an environment's",
        )
    if (
        not (containers or app)
        and python <= _PAPER_MAX_PYTHON
        and _bare_setup_only(heads, versioned=True)
        and _PAPER.search(readme)
        and _ships_nothing(root, files)
    ):
        # A paper's code with a `setup(name=..., version="0.0.1")` so its modules import:
        # no entry point, image, CI or tests (latent-diffusion, segment-anything).
        return KindEvidence(
            RESEARCH, "a paper's code with a bare setup.py: no command, container, CI or tests"
        )
    if (
        not (containers or app)
        and python <= 60
        and _bare_setup_only(heads, versioned=True)
        and _FROZEN.search(readme[:_README_OPENING])
        and _ships_nothing(root, files)
    ):
        # A release the README itself calls deprecated, archived or a minimal example
        # (the Llama 2 inference code): frozen, nobody adds CI, tests or a build.
        return KindEvidence(
            RESEARCH, "a release its README calls frozen, with a bare setup.py: no CI or tests"
        )
    if (
        packages
        and not (packaged or containers or app)
        and python <= _PAPER_MAX_PYTHON
        and _RESEARCH_CODEBASE.search(opening)
        and _PAPER.search(readme)
        and _ships_nothing(root, files, tests_ship=False)
        and _serves_an_api(root, files) is None
    ):
        # A research group's codebase, published with its papers (big_vision: "Publishing
        # the code of research projects"): its tests sit beside the modules and no CI,
        # image or packaging builds anything. Training runs are launched by hand.
        return KindEvidence(
            RESEARCH,
            "the README publishes research code with its papers: a package folder, no "
            "packaging, container, CI or service",
        )
    if (
        not (packaged or app)
        and python <= _PAPER_MAX_PYTHON
        and _PAPER.search(readme)
        and _environment_images_only(root, files)
        and _serves_an_api(root, files) is None
    ):
        # A paper's code whose Dockerfile only provides the environment to run the
        # training scripts in (no code copied in, no server, no port): nothing is
        # deployed from it.
        return KindEvidence(
            RESEARCH, "a paper's scripts with an environment image: no service or CI"
        )
    evidence = (
        "a container" if containers else f"{app[0]}" if app else "packaging or a package folder"
    )
    return KindEvidence(APPLICATION, f"{evidence}, no library metadata")


#: A notebook numbered as a chapter (`01-introduction.ipynb`, `3_classification.ipynb`)
#: or after a lesson word (`t81_558_class_01_1_overview.ipynb`, `lesson3-cnn.ipynb`).
_CHAPTER_NOTEBOOK = lazy_compile(
    r"(?:[^/]*?(?:^|[-_ ])(?:class|lesson|week|module|chapter|lecture|unit|lab|day)[-_ ]?)?"
    r"(\d{1,2})[-_. ][^/]*\.ipynb",
    re.I,
)
_MIN_CHAPTERS = 3


def _chapter_notebooks(files: Sequence[FileEntry]) -> list[str]:
    """The root's notebooks numbered as chapters or lessons, when at least
    `_MIN_CHAPTERS` numbers."""
    numbered = {
        entry.path: int(match.group(1))
        for entry in files
        if (match := _CHAPTER_NOTEBOOK.fullmatch(entry.path)) is not None
    }
    return sorted(numbered) if len(set(numbered.values())) >= _MIN_CHAPTERS else []


#: The badge a project generated by cookiecutter-data-science carries at the top of its
#: README (`img.shields.io/badge/CCDS-Project%20template`): its pyproject's classifier
#: (`Programming Language :: Python :: 3`) is the template's, not a published library's.
_CCDS_PROJECT = lazy_compile(rb"badge/CCDS-Project")


def declares_classifiers(text: str) -> bool:
    """Whether packaging metadata carries what only a package published for others does
    (trove classifiers, `Programming Language ::`)."""
    return _LIBRARY_MARKER.search(text.encode("utf-8", "surrogatepass")) is not None


#: Batch scripts submitted to a Slurm cluster (`sbatch train.slurm`).
_SLURM_SUFFIXES = (".slurm", ".sbatch")
#: A paper's code that ships nothing (no packaging, image, CI or tests) is research up to
#: this many Python files (a Lightning + Hydra training code base has ~80); other
#: unpackaged code is research only when small (60).
_PAPER_MAX_PYTHON = 300
#: A README opening that says the code is published research (`Publishing the code of
#: research projects`, `the official code of our research`), not a product.
_RESEARCH_CODEBASE = lazy_compile(
    rb"\b(?:publish(?:es|ing)?|release[sd]?|official)\b[^.\n]{0,40}\bcode\b[^.\n]{0,30}"
    rb"\bresearch\b|\bresearch (?:projects?|codebase|code)\b",
    re.I,
)


def _letter_lessons(top_folders: set[str]) -> set[str]:
    """The top folders numbered after one letter (`s1_...`, `s10_...`), when at least
    `_MIN_LETTER_LESSONS` of them share the letter with distinct numbers."""
    by_letter: dict[str, dict[int, list[str]]] = {}
    for folder in top_folders:
        match = _LETTER_LESSON.match(folder)
        if match is not None:
            numbers = by_letter.setdefault(match.group(1).lower(), {})
            numbers.setdefault(int(match.group(2)), []).append(folder)
    found: set[str] = set()
    for numbers in by_letter.values():
        if len(numbers) >= _MIN_LETTER_LESSONS:
            found.update(folder for folders in numbers.values() for folder in folders)
    return found


#: Shell scripts launching root scripts that make a repository a record of experiments.
_MIN_LAUNCHERS = 3
#: How many shell scripts are read to count the launchers.
_MAX_LAUNCHERS_READ = 40


def _experiment_launchers(root: Path, files: Sequence[FileEntry], top_files: set[str]) -> int:
    """How many shell scripts (up to `_MAX_LAUNCHERS_READ` read) run one of the root's
    Python scripts (`python -u run.py --task_name long_term_forecast ...`)."""
    scripts = {name.encode() for name in top_files if name.endswith(".py")}
    if not scripts:
        return 0
    count = 0
    shells = [entry for entry in files if entry.path.endswith(_SCRIPT_SUFFIXES)]
    for entry in shells[:_MAX_LAUNCHERS_READ]:
        head = _head(root / entry.path)
        if any(
            match.group(2) is not None and match.group(2).rsplit(b"/", 1)[-1] in scripts
            for match in _RUNS_SCRIPT.finditer(head)
        ):
            count += 1
    return count


def _named_lessons_with_notebooks(files: Sequence[FileEntry], lessons: list[str]) -> list[str]:
    """The lesson folders named by a word and a number (`lab01`, not `01-intro`) that
    hold a notebook somewhere below them."""
    named = {folder for folder in lessons if _NAMED_LESSON.match(folder)}
    found = {
        entry.path.split("/", 1)[0]
        for entry in files
        if entry.kind == kinds.NOTEBOOK and entry.path.split("/", 1)[0] in named
    }
    return sorted(found)


def _deployment(root: Path, files: Sequence[FileEntry]) -> str | None:
    """The first file that deploys a service (Serverless Framework, AWS SAM), if any."""
    for entry in files:
        name = entry.path.rsplit("/", 1)[-1]
        if kinds.is_test_path(entry.path):
            continue
        if name in _DEPLOY_FILES:
            return entry.path
        if name in _SAM_NAMES and _SAM_MARKER.search(_head(root / entry.path)):
            return entry.path
        if _COMPOSE_FILE.fullmatch(entry.path) and _builds_services(_head(root / entry.path)):
            return entry.path
    return None


def _builds_services(text: bytes) -> bool:
    """Whether a compose file builds at least one of its services from the repository
    (`build: ./webserver`): the repository's own code runs as deployed services."""
    from twelvefold.sources import load_yaml

    if not _BUILD_KEY.search(text):
        return False
    document = load_yaml(text.decode("utf-8", "replace"), lambda message: None)
    services = document.get("services") if isinstance(document, dict) else None
    if not isinstance(services, dict):
        return False
    return any(isinstance(service, dict) and service.get("build") for service in services.values())


def _bare_setup_only(heads: dict[str, bytes], *, versioned: bool = False) -> bool:
    """Whether the only packaging is a bare `setup.py`: no pyproject `[project]`, no
    setup.cfg, and no version or commands (`setup(name=..., py_modules=[...])` that
    makes the modules importable, never released); with `versioned`, a version is
    allowed but still no command."""
    if not heads:
        return False
    for path, head in heads.items():
        if path.endswith("pyproject.toml"):
            if b"[project]" in head or b"[tool.poetry]" in head:
                return False
        elif path.endswith("setup.cfg"):
            if b"[metadata]" in head or b"[options]" in head:
                return False  # a lint-only setup.cfg (`[isort]`, `[flake8]`) packages nothing
        elif not path.endswith("setup.py") or (_COMMANDS if versioned else _RELEASED).search(head):
            return False
    return any(path.endswith("setup.py") for path in heads)


def _paper_release(root: Path, files: Sequence[FileEntry]) -> bool:
    """Training scripts and nothing that builds, checks or ships them: no Dockerfile
    (but a dev container's, or images that only provide the environment to run them),
    no CI configuration, no tests."""
    return _ships_nothing_but_environments(root, files) and any(
        entry.kind == kinds.PYTHON and "train" in entry.path.rsplit("/", 1)[-1] for entry in files
    )


#: A CI workflow named for a release or a deploy (`serve.yml`, `deploy.yaml`, `cd.yml`).
_DEPLOY_WORKFLOW = lazy_compile(r"(?:^|[/_-])(?:cd|deploy\w*|serve|release|publish)\.ya?ml$")


def _deploys(files: Sequence[FileEntry]) -> bool:
    """Whether a CI workflow deploys or releases what the repository holds: scripts a
    workflow runs to serve a model (`.github/workflows/serve.yaml`) are not run by hand."""
    from twelvefold.detectors.ci_files import ci_provider

    return any(
        ci_provider(entry.path) is not None and _DEPLOY_WORKFLOW.search(entry.path)
        for entry in files
    )


def _ships_nothing(root: Path, files: Sequence[FileEntry], *, tests_ship: bool = True) -> bool:
    """Whether nothing builds, checks or ships the code: no Dockerfile (but a dev
    container's, a demo's (MiniCPM-V's `web_demos/.../Dockerfile`), or one kept inside the
    code's own package folder: yolov7's
    `utils/google_app_engine/Dockerfile`, a snippet copied along with yolov5's utilities),
    no CI configuration (but housekeeping workflows that run none of the code: a secret
    scan, closing stale issues), no test suite (one or two test modules, run by hand, at
    most; with `tests_ship` False, any number: a research codebase's tests that no CI
    runs)."""
    from twelvefold.detectors.ci_files import ci_provider

    packages = _root_packages(files)
    for entry in files:
        path = entry.path
        if (
            entry.kind == kinds.DOCKERFILE
            and not path.startswith(_DEV_CONTAINER)
            and path.split("/", 1)[0] not in packages
            and not _DEMO_FOLDER.search(path)
        ):
            return False
        if ci_provider(path) is not None and not _housekeeping_workflow(root / path):
            return False
    if not tests_ship:
        return True
    # A test or two that no CI runs (co-tracker's `tests/test_bilinear_sample.py`) check
    # a paper's kernel by hand; a suite is what a maintained project ships. Scripts named
    # `test5.py`, `test_attributes_1.py` that define no test are experiments, not tests.
    tests = 0
    for entry in files:
        if (
            entry.kind == kinds.PYTHON
            and kinds.is_test_path(entry.path)
            and _DEFINES_A_TEST.search(_head(root / entry.path))
        ):
            tests += 1
            if tests > _HAND_RUN_TESTS:
                return False
    return True


#: A test function or class, or a test framework: what makes a `test_*.py` a test.
_DEFINES_A_TEST = lazy_compile(
    rb"^[ \t]*(?:async[ \t]+)?def[ \t]+test|^[ \t]*class[ \t]+Test|\bunittest\b|\bpytest\b", re.M
)


#: A root document of installation instructions: `INSTALL.md`, `install.rst`.
_INSTALL_DOC = lazy_compile(r"(?i)install(?:ation)?\.(?:md|rst|txt)$")
#: A demo's folder (`web_demos/`, `gradio_demo/`): its image serves the demo, not the code.
_DEMO_FOLDER = lazy_compile(r"(?:^|/)[^/]*demos?(?:[-_][^/]*)?/", re.IGNORECASE)


#: Actions that look after a repository without running its code: secret scanners,
#: stale-issue closers, labellers, greeters (and the checkout they start with).
_HOUSEKEEPING_ACTIONS = (
    "actions/checkout",
    "trufflesecurity/trufflehog",
    "gitleaks/gitleaks-action",
    "actions/stale",
    "actions/labeler",
    "actions/first-interaction",
)
_USES = lazy_compile(rb"^[ \t-]*uses:[ \t]*[\"']?([\w.-]+/[\w.-]+)", re.M)
_RUN_STEP = lazy_compile(rb"^[ \t-]*run:", re.M)


def _housekeeping_workflow(path: Path) -> bool:
    """A GitHub workflow whose every step is a housekeeping action (`_HOUSEKEEPING_ACTIONS`)
    and none a command: smollm's `trufflehog.yml` checks no code, builds and ships nothing."""
    if ".github/workflows/" not in path.as_posix():
        return False
    text = _head(path)
    used = _USES.findall(text)
    return (
        bool(used)
        and not _RUN_STEP.search(text)
        and all(action.decode().lower() in _HOUSEKEEPING_ACTIONS for action in used)
    )


#: Test modules a paper's release may hold and still ship nothing (no CI runs them).
_HAND_RUN_TESTS = 2
#: A Dockerfile instruction that makes an image a service: a port, or a server started.
_SERVICE_IMAGE = lazy_compile(
    rb"^[ \t]*EXPOSE\b|uvicorn|gunicorn|flask[ \t]+run|serve\b", re.M | re.I
)
#: `COPY`/`ADD` of something other than the files that describe an environment
#: (`requirements*.txt`, `environment*.yml`, a lock): the project's code goes in.
_COPIES_CODE = lazy_compile(
    rb"^[ \t]*(?:COPY|ADD)\b(?![^\n]*--from)(?![ \t]+(?:--\S+[ \t]+)*"
    rb"(?:\S*requirements[^\s/]*|\S*environment[^\s/]*\.ya?ml|\S*\.lock|setup\.py|pyproject\.toml)"
    rb"(?:[ \t]+(?:\S*requirements[^\s/]*|\S*environment[^\s/]*\.ya?ml|\S*\.lock|setup\.py|pyproject\.toml))*"
    rb"[ \t]+\S+[ \t]*$)",
    re.M | re.I,
)


def _ships_nothing_but_environments(root: Path, files: Sequence[FileEntry]) -> bool:
    """`_ships_nothing`, or its only images provide an environment to run the scripts in
    (consistency_models' `docker/Dockerfile`: CUDA, torch and a `pip install` of the
    code), and there are no tests."""
    if _ships_nothing(root, files):
        return True
    return _environment_images_only(root, files, installing=True) and not any(
        entry.kind == kinds.PYTHON and kinds.is_test_path(entry.path) for entry in files
    )


#: An image whose command is a shell (`CMD ["bash"]`): a workbench to run the scripts in,
#: whatever code it copies, not a deployment.
_STARTS_A_SHELL = lazy_compile(
    rb"^[ \t]*CMD[ \t]+(?:\[[ \t]*\"(?:/bin/)?(?:ba)?sh\"[ \t]*\]|(?:/bin/)?(?:ba)?sh)[ \t]*$",
    re.M,
)
#: A RUN step that installs something: what an environment image is for (a bare `FROM`
#: in `deploy/` is a deploy's start, not an environment).
_INSTALLS = lazy_compile(rb"^[ \t]*RUN\b[^\n]*\binstall\b", re.M | re.I)


def _environment_images_only(
    root: Path, files: Sequence[FileEntry], *, installing: bool = False
) -> bool:
    """Whether the only things that ship the code are images that merely provide an
    environment: no CI, at least one Dockerfile, and every Dockerfile copies no code into
    the image (the code is mounted when it runs: `docker run -v $PWD:/workspace`), exposes
    no port and starts no server. A paper's unit tests (`test_all.py`) change nothing.
    `installing`: every image installs something too (`_INSTALLS`)."""
    from twelvefold.detectors.ci_files import ci_provider

    images = 0
    for entry in files:
        if ci_provider(entry.path) is not None and not _housekeeping_workflow(root / entry.path):
            return False
        if entry.kind == kinds.DOCKERFILE and not entry.path.startswith(_DEV_CONTAINER):
            text = _head(root / entry.path)
            if _SERVICE_IMAGE.search(text) or (
                _COPIES_CODE.search(text) and not _STARTS_A_SHELL.search(text)
            ):
                return False
            if installing and not _INSTALLS.search(text):
                return False
            images += 1
    return images > 0


def is_readme(name: str) -> bool:
    """A README's file name: `README.md`, `readme.rst`, `README`."""
    return bool(_README.match(name))


def _readme(root: Path, top_files: set[str]) -> bytes:
    """The root README's first megabyte, or nothing."""
    for name in sorted(top_files):
        if is_readme(name):
            return _head(root / name)
    return b""


#: A README's opening that presents the repository as a book's code: "Code repository
#: for the O'Reilly publication", "the code from the Machine Learning Bookcamp book", a
#: publisher's name (every such repository of the corpus was judged a course).
_BOOK = lazy_compile(
    rb"\b(?:companion|code|source code|repository|notebooks|examples)\b[^\n]{0,60}"
    rb"\b(?:for|of|accompanying|from|to)\b[^\n]{0,40}\b(?:book|publication)\b"
    rb"|\bO'Reilly\b|\bManning Publications\b|\bPackt\b|\bApress\b",
    re.I,
)
#: A README's title that calls the repository teaching material: a course, a cookbook,
#: recipes, demos, tutorials, examples, workshops, lessons, labs, notebooks.
_TEACHING_TITLE = lazy_compile(
    r"\b(?:courses?|cookbook|recipes|demos|tutorials|examples|workshops?|lessons|labs|"
    r"best practices|notebooks|educational materials)\b",
    re.I,
)
#: A title that names a product all the same (`Streamlit + LLM Examples App`, `MLflow
#: Recipes Regression Template`), or a student's project for a course (`MLOps Course
#: Project`, a capstone, a homework).
_PRODUCT_TITLE = lazy_compile(
    r"\b(?:app|application|template|framework|library|server|projects?|capstone|homework|"
    r"assignment|cohort)\b",
    re.I,
)
#: A README's first title: a Markdown `# Title`, an HTML `<h1>`, or an underlined line
#: (Markdown's setext, reStructuredText's `====`).
_TITLE = lazy_compile(
    rb"^[ \t]{0,3}#[ \t]+(?P<atx>[^\n]+?)[ \t#]*$"
    rb"|<h1[^>]*>(?P<html>[^<\n]{1,200})</h1>"
    rb"|^(?P<setext>[^\s=#][^\n]{0,200})\n=={2,}[ \t]*$",
    re.M | re.I,
)


def _readme_title(readme: bytes) -> str | None:
    """The first title of a README's opening, or None (the opening has none)."""
    match = _TITLE.search(readme[:_README_TITLE_BYTES])
    if match is None:
        return None
    title = match.group("atx") or match.group("html") or match.group("setext")
    return title.decode("utf-8", "replace").strip() or None


#: How far into a README its title may be (past a logo and a row of badges).
_README_TITLE_BYTES = 4096


def _normalized(name: bytes) -> str:
    """A distribution name as the package index compares it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name.decode("ascii", "replace")).lower()


def _published_name(
    heads: dict[str, bytes], readme: bytes, packages: Collection[str] = ()
) -> str | None:
    """`pip install <name>` or a PyPI badge of `<name>` in the README, when `<name>` is
    the distribution the repository's own metadata names (or, installed from its git
    URL, the package folder at its root: bark's `pip install git+.../bark.git` of
    `suno-bark`); else None."""
    if not readme:
        return None
    names: set[str] = set()
    for path, head in heads.items():
        pattern = (
            _TOML_NAME
            if path.endswith(".toml")
            else _CFG_NAME
            if path.endswith(".cfg")
            else _SETUP_NAME
        )
        names.update(_normalized(match.group(1)) for match in pattern.finditer(head))
    if not names:
        return None
    for match in _PIP_INSTALL.finditer(readme):
        if _normalized(match.group(2)) in names:
            return f"`pip install {match.group(2).decode()}`"
    for match in _PYPI_PAGE.finditer(readme):
        if _normalized(match.group(1)) in names:
            return f"a PyPI badge of {match.group(1).decode()}"
    folders = {_normalized(package.encode()) for package in packages}
    for match in _PIP_INSTALL_GIT.finditer(readme):
        if _normalized(match.group(1)) in names | folders:
            # `pip install git+https://github.com/openai/CLIP.git`: installed into its
            # users' environments from the repository itself.
            return f"`pip install git+.../{match.group(1).decode()}`"
    return None


#: Top folders, each with its own dependency manifest and README, that make a
#: collection of example projects (zenml-io/zenml-projects has 22).
_MIN_EXAMPLE_PROJECTS = 8
_SUB_PROJECT_MANIFESTS = frozenset(
    {"requirements.txt", "pyproject.toml", "setup.py", "environment.yml", "environment.yaml"}
)


def _example_projects(root: Path, files: Sequence[FileEntry], heads: dict[str, bytes]) -> list[str]:
    """The folders of a collection of independent example projects users clone one at a
    time: at least `_MIN_EXAMPLE_PROJECTS` folders with their own dependency manifest and
    README, at the top (`mnist/`) or one or two levels down in grouping folders with no
    manifest of their own (mlx-examples' `llms/llama/`, pytorch/examples'
    `distributed/rpc/batch/`), none of whose manifests reaches a sibling
    (`../libs/apf`: the steps of one product, as alercebroker's pipeline). Empty when it
    is not one. `heads`: the first bytes of the metadata files at the root and one folder
    down."""
    manifests: dict[str, list[str]] = {}
    readmes: set[str] = set()
    for entry in files:
        parts = entry.path.split("/")
        if len(parts) not in (2, 3, 4):
            continue
        folder, name = "/".join(parts[:-1]), parts[-1]
        if name in _SUB_PROJECT_MANIFESTS:
            manifests.setdefault(folder, []).append(entry.path)
        elif name.lower().startswith("readme"):
            readmes.add(folder)
    # One level down only in a repository that is no package itself: a library's
    # `metrics/accuracy/` (evaluate) or `examples/lora/` (peft) are parts of it.
    packaged = "setup.py" in heads or any(
        marker in heads.get("pyproject.toml", b"") for marker in (b"[project]", b"[tool.poetry]")
    )
    projects = sorted(
        folder
        for folder in manifests
        if folder in readmes
        and (
            "/" not in folder
            or not (
                packaged
                or folder.startswith("src/")  # `src/models/langid/`: the product's services
                or any(parent in manifests for parent in _parents(folder))
            )
        )
    )
    if len(projects) < _MIN_EXAMPLE_PROJECTS:
        return []
    for folder in projects:
        for path in manifests[folder]:
            if b"../" in _head(root / path):
                return []  # a path dependency on a sibling: parts of one product
    return projects


def _parents(folder: str) -> list[str]:
    """`a` and `a/b` for `a/b/c`."""
    parts = folder.split("/")
    return ["/".join(parts[:depth]) for depth in range(1, len(parts))]


#: Projects one folder down (each with its own metadata) that make a monorepo.
_MONOREPO_PROJECTS = 3
#: The folders a monorepo of published packages keeps them in, one folder each.
#: `src/` too: a multi-language repository's bindings (pose-format's `src/python/`,
#: beside `src/js/`).
_PACKAGE_MONOREPO_FOLDERS = frozenset({"libs", "packages", "src"})
#: An author a template leaves for its users to fill in.
_PLACEHOLDER_AUTHOR = lazy_compile(
    rb"[\"'](?:Example User|Your Name|Author Name)[\"']|[\"'](?:user|you|author|your\.?name)@example\.(?:com|org)[\"']",
    re.IGNORECASE,
)
#: A README installing the code from a clone: `pip install -r requirements.txt`,
#: `pip install -e .`, `python setup.py install`.
_FROM_SOURCE = lazy_compile(
    rb"pip3?\s+install\s+(?:-r\s+\S*requirements|-e\s+[\"']?\.|\.(?:\s|$|\[))|setup\.py\s+install"
)
#: A model's page on the Hugging Face Hub (`huggingface.co/THUDM/chatglm2-6b`), not its
#: docs, blog, datasets or Spaces.
_MODEL_PAGE = lazy_compile(
    rb"huggingface\.co/(?!docs/|blog/|datasets/|spaces/|papers/|learn/)[\w-]+/[\w.-]+"
)
#: A README opening that presents the code as the reproduction of a model's report
#: (open-r1: "A fully open reproduction of DeepSeek-R1").
_REPRODUCTION = lazy_compile(
    rb"\b(?:a|an|the)\s+(?:fully\s+)?(?:open\s+)?reproduction\s+of\b", re.IGNORECASE
)


#: Where a paper's repository names its paper: the opening of its README.
_README_OPENING = 2048
#: Words a README opens with when the code is a frozen release: deprecated, archived,
#: no longer maintained, or only a minimal example of loading released weights.
_FROZEN = lazy_compile(
    rb"\b(?:deprecated|deprecation|archived|no longer (?:maintained|supported)|minimal example)\b",
    re.I,
)


def _paper_code_installed_from_source(readme: bytes) -> bool:
    """The README opens by citing a paper (an arXiv link or BibTeX in its first lines,
    not a reference deep in a table) or presenting a reproduction of one, and installs
    the code from a clone."""
    opening = readme[:_README_OPENING]
    return bool(
        (_PAPER.search(opening) or _REPRODUCTION.search(opening)) and _FROM_SOURCE.search(readme)
    )


def _competition_solution(readme: bytes) -> bool:
    """Whether the README presents a competition's solution: a Kaggle competition's
    (a link and the words of a result), or any challenge's in its title ("Xview2 2nd
    place solution", on a platform of its own)."""
    title = _FIRST_HEADING.search(readme[:_README_OPENING])
    if title is not None and _PLACED_SOLUTION.search(title.group()):
        return True
    return bool(_COMPETITION_LINK.search(readme) and _COMPETITION_RESULT.search(readme))


#: A README saying where its result placed: "This forecast placed fifth in the VN1 Sales
#: Forecasting Competition", "placed 3rd in the ... challenge".
_PLACED_IN_COMPETITION = lazy_compile(
    rb"\b(?:placed|ranked|finished)[ ](?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth"
    rb"|sixth|seventh|eighth|ninth|tenth|top[- ]?\d+%?)\b[^\n]{0,120}?\b(?:competition|challenge)\b",
    re.I,
)
#: Kaggle named as a word of a title (`kaggle_pipeline`, `common-lit-kaggle`).
_KAGGLE = lazy_compile(r"(?<![a-z])kaggle(?![a-z])", re.I)
#: A README's first Markdown heading, and a placed result with "solution" in one line.
_FIRST_HEADING = lazy_compile(rb"^[ \t]{0,3}#{1,6}[ \t][^\n]*", re.M)
_PLACED_SOLUTION = lazy_compile(
    rb"\b(?:\d+(?:st|nd|rd|th)|first|second|third|top[- ]?\d+%?|gold|silver|bronze)"
    rb"[- ]place\b.*\bsolution",
    re.I,
)


def _root_packages(files: Sequence[FileEntry]) -> set[str]:
    """The package folders at the root (`simsiam/__init__.py`). A paper's repository
    whose only packages sit deeper (`object_detection/mmcv_custom/__init__.py`) holds
    plug-ins of its sub-projects for another framework, not a package of its own."""
    return {
        entry.path.split("/", 1)[0]
        for entry in files
        if entry.path.count("/") == 1
        and entry.path.endswith("/__init__.py")
        and not kinds.is_test_path(entry.path)
    }


def _runs_a_pipeline(root: Path, files: Sequence[FileEntry]) -> str | None:
    """Why the repository is a pipeline run as one product: a module importing an
    orchestration framework (ZenML, Kedro, Metaflow, Prefect, Airflow, Dagster, Kubeflow
    Pipelines, Flyte), or a CI workflow running one of its own scripts; else None."""
    scripts = {
        entry.path
        for entry in files
        if entry.kind == kinds.PYTHON
        and not kinds.is_test_path(entry.path)
        and not _ASIDE_FOLDER.search(entry.path)
        and not _TOOLING_SCRIPT.search(entry.path)
        and _PIPELINE_SCRIPT.search(entry.path.rsplit("/", 1)[-1])
    }
    for entry in files:
        if not _WORKFLOW.match(entry.path):
            continue
        for match in _RUNS_SCRIPT.finditer(_head(root / entry.path)):
            module, script = match.group(1), match.group(2)
            candidates: tuple[str, ...]
            if module is not None:
                name = module.decode().replace(".", "/")
                candidates = (f"{name}.py", f"{name}/__main__.py")
            else:
                candidates = (script.decode().removeprefix("./"),)
            found = next((path for path in candidates if path in scripts), None)
            if found is not None:
                return f"{entry.path} runs {found}"
    python = [
        entry.path
        for entry in files
        if entry.kind == kinds.PYTHON
        and not kinds.is_test_path(entry.path)
        and not _ASIDE_FOLDER.search(entry.path)
    ]
    for path in python[:_MAX_ORCHESTRATION_READS]:
        imported = _ORCHESTRATED.search(_head(root / path))
        if imported is not None:
            framework = imported.group(0).split()[-1].decode()
            return f"{path} imports {framework}"
    return None


def _packages_of_training_scripts(files: Sequence[FileEntry]) -> bool:
    """Every package folder at the root holds its own training script (big_transfer's
    `bit_pytorch/train.py`, `bit_tf2/train.py`, run as `python -m bit_pytorch.train`)."""
    packages = _root_packages(files)
    training = {
        entry.path.split("/", 1)[0]
        for entry in files
        if entry.path.count("/") == 1
        and entry.kind == kinds.PYTHON
        and entry.path.rsplit("/", 1)[-1].startswith("train")
    }
    return bool(packages) and packages <= training


def _scripts_import_a_package(root: Path, files: Sequence[FileEntry]) -> bool:
    """Whether a script at the root, or in a root `scripts/` folder, imports a package
    folder at the root (`import simsiam.builder` in `main_simsiam.py`; `from diffusion_tf
    import utils` in diffusion's `scripts/run_cifar.py`, run as `python -m`)."""
    folders = _root_packages(files)
    if not folders:
        return False
    imports = re.compile(
        rb"^[ \t]*(?:from|import)[ \t]+(?:"
        + b"|".join(re.escape(folder.encode()) for folder in sorted(folders))
        + rb")\b",
        re.M,
    )
    return any(
        entry.kind == kinds.PYTHON
        and ("/" not in entry.path or _IN_SCRIPTS_FOLDER.fullmatch(entry.path) is not None)
        and imports.search(_head(root / entry.path))
        for entry in files
    )


#: A module directly in the root's `scripts/` folder.
_IN_SCRIPTS_FOLDER = lazy_compile(r"scripts/[^/]+\.py")


def _start_script(path: str) -> bool:
    """Whether `path` may be a start script: a Makefile, Procfile or shell script at the
    root, or an executable without a suffix or a shell script in `bin/` or `scripts/`."""
    folder, _, name = path.rpartition("/")
    if not folder:
        return name in _SCRIPT_NAMES or name.endswith(_SCRIPT_SUFFIXES)
    return f"{folder}/" in _SCRIPT_FOLDERS and ("." not in name or name.endswith(_SCRIPT_SUFFIXES))


def _serves_an_api(root: Path, files: Sequence[FileEntry]) -> str | None:
    """The first module that imports a web framework or server, or start script that
    runs a server (`uvicorn pkg.api:app` in `bin/start_server`), if any."""
    for entry in files:
        path = entry.path
        if kinds.is_test_path(path):
            continue
        if entry.kind == kinds.PYTHON:
            if _API_SERVER.search(_head(root / path)):
                return f"{path} imports a web framework"
            continue
        if not _start_script(path):
            continue
        try:
            size = (root / path).stat().st_size
        except OSError:
            continue
        if size <= _MAX_SCRIPT_BYTES and _STARTS_SERVER.search(_head(root / path)):
            return f"{path} starts a server"
    return None


def _head(path: Path) -> bytes:
    from twelvefold.sources import read_regular_file

    try:
        return read_regular_file(path, _MAX_MANIFEST_BYTES)
    except OSError:
        return b""
