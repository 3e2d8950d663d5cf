"""TF802 ci-never-runs-tests: CI configuration that never runs the tests."""

from __future__ import annotations

from collections.abc import Iterator

from twelvefold.detectors.ci import TestRunSearch, has_test_files, load_all_ci, shell_lines
from twelvefold.detectors.ci_files import OPAQUE_PROVIDERS
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule

#: A reusable GitHub workflow of another repository, called as a job (`uses:
#: owner/repo/.github/workflows/file.yml@ref`): what it runs cannot be read here.
_REMOTE_WORKFLOW = lazy_compile(r"^[\w.-]+/[\w.-]+/\.github/workflows/[^@\s]+@\S+$")
#: cibuildwheel, as an action (`pypa/cibuildwheel@v2`) or a command: it runs the
#: `test-command` of `[tool.cibuildwheel]` after building each wheel.
_CIBUILDWHEEL = lazy_compile(r"(?:^|[\s/])cibuildwheel\b")


def _cibuildwheel_test_command(repo: Repo) -> str | None:
    """The `test-command` cibuildwheel runs, from `[tool.cibuildwheel]` of pyproject.toml."""
    tool = repo.pyproject.get("tool") if isinstance(repo.pyproject, dict) else None
    table = tool.get("cibuildwheel") if isinstance(tool, dict) else None
    command = table.get("test-command") if isinstance(table, dict) else None
    if isinstance(command, list):
        command = " && ".join(part for part in command if isinstance(part, str))
    return command if isinstance(command, str) else None


#: GitLab `include:` entries whose jobs are defined in another repository or at a URL.
_REMOTE_INCLUDES = frozenset({"project", "remote", "template", "component"})


def _includes_remote_jobs(repo: Repo, path: str) -> bool:
    """Whether a GitLab CI file includes jobs from elsewhere (`include: - project:
    group/ci-templates`): what they run (a shared `poetry:test` job) is not in the tree."""
    if not path.endswith((".gitlab-ci.yml", ".gitlab-ci.yaml")):
        return False
    source = repo.source(path)
    data = source.yaml if source is not None else None
    included = data.get("include") if isinstance(data, dict) else None
    entries = included if isinstance(included, list) else [included]
    return any(
        (isinstance(entry, dict) and not _REMOTE_INCLUDES.isdisjoint(entry))
        or (isinstance(entry, str) and entry.startswith(("http://", "https://")))
        for entry in entries
    )


class CiNeverRunsTests(RepoRule):
    """## What it does
    Reports CI configuration that never runs the test suite although the repository has
    tests. A job runs the tests when one of its commands calls `pytest` (`uv run pytest`,
    `python -m pytest`, `coverage run`), `python -m unittest`, nose2, or a task whose
    name says test (`make test`, `tox -e py312`, `nox -s tests`, `hatch run test`,
    `just test`, `poe test`). `make`, `tox`, `nox`, invoke, repository scripts
    (`bash ci/run.sh`) and `docker build` are followed into the Makefile, tox/nox
    configuration, the invoke task (`invoke checks`: `tasks/checks.py`; `inv ci`: `def
    ci` of `tasks.py`), script text and the `RUN` steps of the repository's Dockerfile, and
    cibuildwheel (its action or command) into the `test-command` of `[tool.cibuildwheel]`
    in pyproject.toml, which it runs after building each wheel.
    When the CI hands work to something that cannot be followed (a script
    outside the repository, a Docker container, a Makefile target that does not exist,
    a Taskcluster task graph, a reusable workflow of another repository, the jobs of
    another project a GitLab file includes: `include: - project: group/ci-templates`),
    the rule stays silent. A GitHub Actions workflow started only on a timer or by hand (`schedule`,
    `workflow_dispatch`: a nightly pipeline run) is a scheduled job, not CI, and is not
    asked to run the tests; so is one started by `pull_request_target` (a bot filing a
    ticket or labelling a pull request: it never runs the pull request's code). The tests
    of the projects a template generates (`{{cookiecutter.name}}/tests/`) run there.
    Reported at the first CI file, naming how many others run no tests either.

    ## Why is this bad?
    CI that lints and builds but never tests gives a green tick to broken code: the tests
    rot locally, and the regression they would have caught reaches production.

    ## Example
    The repository has tests; its workflow only lints:
    ```python
    # tests/test_features.py
    import pandas as pd

    from churn.features import tenure_years


    def test_tenure_years():
        assert tenure_years(pd.DataFrame({"tenure_months": [24]})).tolist() == [2.0]
    ```
    ```yaml
    # .github/workflows/ci.yml
    on: [push, pull_request]
    jobs:
      lint:
        runs-on: ubuntu-24.04
        steps:
          - uses: actions/checkout@v4
          - run: pip install ruff
          - run: ruff check .
    ```

    ## Use instead
    ```yaml
    # .github/workflows/ci.yml
    on: [push, pull_request]
    jobs:
      test:
        runs-on: ubuntu-24.04
        steps:
          - uses: actions/checkout@v4
          - uses: astral-sh/setup-uv@v6
          - run: uv sync --locked
          - run: uv run --locked ruff check .
          - run: uv run --locked pytest
    ```
    """

    code = "TF802"
    depends_on = (
        "@ci",
        "@tests",
        "@manifests",
        "Makefile",
        "tox.ini",
        "noxfile.py",
        "/tasks.py",
        "/tasks/*.py",
    )
    name = "ci-never-runs-tests"
    factor = 8
    severity = Severity.WARNING
    summary = "CI configuration that never runs the tests"
    fix = "Add a CI step that runs the test suite (e.g. `uv run --locked pytest`)."
    requires = ("TF801",)

    def applies(self, repo: Repo) -> bool:
        return repo.has_python

    def check(self, repo: Repo) -> Iterator[Violation]:
        if not has_test_files(repo, generated=False):
            # No tests to run: the missing tests are the finding (TF1001). A template's
            # generated project runs its tests where it is generated.
            return
        configs = load_all_ci(repo)
        if not configs:
            return  # unreadable CI files: a diagnostic says so
        # A workflow run only on a timer or by hand is a scheduled job (a nightly
        # pipeline), not CI checking changes: it is not asked to run the tests.
        configs = [config for config in configs if not config.scheduled_only]
        if not configs:
            return
        if any(config.provider in OPAQUE_PROVIDERS for config in configs):
            return  # a task graph defined elsewhere (Taskcluster) may run the tests
        if any(_REMOTE_WORKFLOW.match(command) for c in configs for command in c.commands):
            return  # `uses: org/.github/.github/workflows/ci.yml@main`: run elsewhere
        if any(_includes_remote_jobs(repo, config.path) for config in configs):
            return  # GitLab's `include: project: .../ci-templates`: jobs defined elsewhere
        search = TestRunSearch(repo)
        for config in configs:
            if search.runs_tests(list(shell_lines(config.commands))):
                return
            wheels = _cibuildwheel_test_command(repo)
            if (
                wheels is not None
                and any(_CIBUILDWHEEL.search(command) for command in config.commands)
                and search.runs_tests([wheels])
            ):
                return  # tiktoken: cibuildwheel runs `pytest {project}/tests` per wheel
            if any("pytest" in key or "tox" in key for key in config.keys):
                return
        if search.unresolved:
            return  # the tests may run where we cannot see
        main = configs[0]
        others = len(configs) - 1
        yield Violation(
            f"{main.provider} configuration `{main.path}` never runs the tests"
            + (f" (nor do the {others} other CI files)" if others else ""),
            path=main.path,
        )
