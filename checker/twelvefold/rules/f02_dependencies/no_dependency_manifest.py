"""TF201 no-dependency-manifest: Python code with no dependency manifest."""

from __future__ import annotations

import re
from collections.abc import Iterator

from twelvefold import kinds
from twelvefold.detectors.code_images import images_in_code
from twelvefold.detectors.stdlib_only import standard_library_only
from twelvefold.lazy_regex import lazy_compile
from twelvefold.manifests import MANIFEST_NAMES, pip_installed_names
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project.knowledge import is_build_tool
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule
from twelvefold.rules.f02_dependencies._shared import (
    _conda_environments,
    settings_only_file,
)


def _installs_packages(repo: Repo, path: str) -> bool:
    """A `RUN pip install albumentations==1.0.0 timm ...` naming packages (not only `-r`,
    a local path or the packaging tools)."""
    source = repo.source(path)
    if source is None or source.text is None:
        return False
    return any(not is_build_tool(name) for name in pip_installed_names(source.text))


def _colab_notebooks_repository(repo: Repo) -> bool:
    """The code is chiefly notebooks written for Google Colab: at least as many
    notebooks as Python modules, and most of them made for Colab (its metadata, an "Open
    in Colab" link, `google.colab`). Colab's runtime is their environment and each
    notebook installs what it lacks: a course taught on Colab declares nothing else."""
    notebooks = repo.of_kind(kinds.NOTEBOOK)
    modules = repo.of_kind(kinds.PYTHON)
    if not notebooks or len(notebooks) < len(modules):
        return False
    colab = 0
    for entry in notebooks:
        source = repo.source(entry.path)
        notebook = source.notebook if source is not None else None
        colab += notebook is not None and notebook.made_for_colab
    return 2 * colab > len(notebooks)


#: PyTorch Hub's declaration in `hubconf.py`: `dependencies = ['torch', 'torchvision']`.
_HUB_DEPENDENCIES = lazy_compile(r"^dependencies[ \t]*=[ \t]*\[", re.M)


def _hub_dependencies(repo: Repo) -> bool:
    """A root `hubconf.py` that lists the packages its entry points need."""
    source = repo.source("hubconf.py") if repo.has("hubconf.py") else None
    return (
        source is not None
        and source.text is not None
        and bool(_HUB_DEPENDENCIES.search(source.text))
    )


#: Manifests of other languages' projects, at the root: the repository's product is
#: written in that language.
_OTHER_MANIFESTS = ("package.json", "go.mod", "Cargo.toml", "pom.xml", "build.gradle", "Gemfile")
#: A repository with at least this many notebooks per Python module is a collection of
#: notebooks, its modules their helpers.
_NOTEBOOKS_PER_MODULE = 10
#: At most this many Python files in such a repository are its helper scripts.
_HELPER_SCRIPTS = 5


def _other_ecosystem(repo: Repo) -> str | None:
    """The root manifest of another language's project, if the repository has one."""
    return next((name for name in _OTHER_MANIFESTS if repo.has(name)), None)


class NoDependencyManifest(RepoRule):
    """## What it does
    Reports a repository with Python code but no dependency manifest: no
    `pyproject.toml`, `requirements*.txt`, `setup.py`/`setup.cfg`, `Pipfile` or conda
    environment anywhere in the tree. A conda environment is `environment.yml`, MLflow's
    `conda.yaml`, the file an `MLproject`'s `conda_env:` names, or a YAML file shaped
    like one whatever its name: a `dependencies:` list with `channels:`, or with `name:`
    when every entry is a conda spec or a `pip:` list (a Helm chart's `dependencies:` is
    not one). At the root any such file counts; below it, one the project uses, i.e.
    whose file name a script, Dockerfile, CI or config file writes (Azure ML's
    `conda_dependencies.yml`, `conda env create -f ci_dependencies.yml`). Test fixtures
    and sketches nothing uses do not count. A Dockerfile that `pip install`s the
    packages by name declares them too (its pinning is TF505's question), and so does an
    image built in code that installs them (Modal's `modal.Image.debian_slim()
    .pip_install("torch==2.5.1")`). Not reported where every module and notebook imports
    only the standard library and the repository's own modules (nothing to declare), nor
    where the code is chiefly notebooks written for Google Colab (at least as many
    notebooks as modules, most with Colab's metadata or an "Open in Colab" link): Colab's
    runtime is their environment, and each notebook installs what it lacks. Where a root
    `hubconf.py` lists `dependencies = [...]` (PyTorch Hub's declaration of what the
    published models need, names without versions) it is a warning, not an error; so it
    is where the repository holds notebooks and no Python module, or ten notebooks or
    more per module (a lecture series' notebooks and their helpers: the kernel that
    opens them is their environment, as often by design),
    in a course (a book's chapters list their packages in a README), and where a product
    in another language (a root `package.json`, `go.mod`, `Cargo.toml`...) holds at most
    five Python files (helper scripts whose packages its provisioning installs).

    ## Why is this bad?
    Without a manifest nobody can rebuild the environment the code ran in: a new
    colleague, the CI runner and the production image each install whatever they guess,
    and a model trained last month cannot be retrained the same way.

    ## Example
    A training script and a notebook, and nothing that says what they import:
    ```python
    # train.py
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier

    df = pd.read_parquet("data/customers.parquet")
    model = RandomForestClassifier(random_state=0).fit(df.drop(columns="churn"), df["churn"])
    ```
    ```python
    # notebooks/eda.ipynb
    import pandas as pd

    pd.read_parquet("data/customers.parquet").describe()
    ```

    ## Use instead
    Declare the dependencies in `pyproject.toml` and lock them:
    ```toml
    # pyproject.toml
    [project]
    name = "churn-model"
    requires-python = ">=3.11"
    dependencies = ["pandas>=2.2", "pyarrow>=17", "scikit-learn>=1.5"]
    ```
    then `uv lock` (or `pip-compile`) and commit the lock file.
    """

    code = "TF201"
    depends_on = ("@manifests", "/hubconf.py", *(f"/{name}" for name in _OTHER_MANIFESTS))
    name = "no-dependency-manifest"
    factor = 2
    severity = Severity.ERROR
    summary = "Python code with no dependency manifest"
    fix = "Declare dependencies in pyproject.toml (or requirements.txt) and commit a lock file."

    def applies(self, repo: Repo) -> bool:
        return repo.has_python

    def check(self, repo: Repo) -> Iterator[Violation]:
        if repo.of_kind(kinds.REQUIREMENTS) or any(
            not settings_only_file(repo, entry.path) for entry in repo.named(*MANIFEST_NAMES)
        ):
            return
        if repo.derived(_conda_environments):
            return
        if any(_installs_packages(repo, entry.path) for entry in repo.of_kind(kinds.DOCKERFILE)):
            return  # the image is the declared environment
        if _colab_notebooks_repository(repo):
            return  # Colab's runtime is the environment; the notebooks install the rest
        if repo.derived(images_in_code)[0]:
            return  # `modal.Image...pip_install("torch==2.5.1")`: an image, declared in code
        if repo.derived(standard_library_only):
            return  # nothing to declare: the code imports only Python and itself
        if _hub_dependencies(repo):
            # torch.hub's list names the packages, without versions: a declaration of a
            # kind, so no gate fails on it (judges split on dino, swav and barlowtwins).
            yield Violation(
                "the repository has Python code but no dependency manifest (only `hubconf.py`"
                " lists package names, with no versions)",
                severity=Severity.WARNING,
            )
            return
        scripts = len(repo.of_kind(kinds.PYTHON))
        if scripts * _NOTEBOOKS_PER_MODULE <= len(repo.of_kind(kinds.NOTEBOOK)):
            # Notebooks alone or nearly (a lecture series' transcripts, rasbt's 182
            # notebooks beside 15 helper modules, each recording its versions with
            # `%watermark`): whatever kernel opens them is the environment, as often by
            # design as not.
            yield Violation(
                "the repository holds notebooks but no dependency manifest"
                if not scripts
                else f"the repository is mostly notebooks ({scripts} Python files) and "
                "has no dependency manifest",
                severity=Severity.WARNING,
            )
            return
        other = _other_ecosystem(repo)
        if other is not None and scripts <= _HELPER_SCRIPTS:
            # A Node (Go, Rust, Java...) product with a few Python helper scripts
            # (anything-llm's three VM setup scripts, whose packages apt installs): the
            # product's manifest is its own; the scripts' needs are as often met another way.
            yield Violation(
                f"the repository's {scripts} Python files have no dependency manifest "
                f"(the product's is `{other}`)",
                severity=Severity.WARNING,
            )
            return
        if repo.model.kind == project_kind.COURSE:
            # A book's or a course's code names its packages in the chapter's README
            # (rasbt's books, a Colab course): as often by design as an oversight.
            yield Violation(
                "the course has Python code but no dependency manifest",
                severity=Severity.WARNING,
            )
            return
        yield Violation("the repository has Python code but no dependency manifest")
