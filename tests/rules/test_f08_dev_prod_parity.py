"""Factor 8 rules: CI present, CI runs the tests with the lock, local hooks, environment."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import check, findings, make_repo, notebook

PYPROJECT = '[project]\nname = "churn"\nversion = "0.1.0"\nrequires-python = ">=3.11"\ndependencies = ["pandas>=2.2"]\n'
CODE = {
    "pyproject.toml": PYPROJECT,
    "src/churn/__init__.py": "",
    "src/churn/train.py": "import pandas as pd\n\ndef train(path):\n    return pd.read_csv(path)\n",
    "tests/test_train.py": "def test_train():\n    assert True\n",
}
LOCKED = {**CODE, "uv.lock": "version = 1\n"}


def workflow(*steps: str) -> str:
    body = "".join(f"      - run: {step}\n" for step in steps)
    return (
        "name: CI\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - uses: actions/checkout@v4\n" + body
    )


# ------------------------------------------------------------------- TF801 no CI


def test_research_repo_with_tox_but_no_ci_is_reported(tmp_path: Path) -> None:
    files = {**CODE, "tox.ini": "[testenv]\ncommands = pytest\n"}
    [finding] = findings(tmp_path, "TF801", files)
    assert "no CI configuration" in finding.message and "tox.ini" in finding.message


def test_no_ci_message_agrees_with_the_local_task_files_it_names(tmp_path: Path) -> None:
    # Seen on a real repository: "Makefile exist but nothing runs them".
    [one] = findings(tmp_path / "one", "TF801", {**CODE, "Makefile": "test:\n\tpytest\n"})
    assert one.message == (
        "no CI configuration found (Makefile exists but nothing runs it on every change)"
    )
    files = {**CODE, "tox.ini": "[testenv]\ncommands = pytest\n", "noxfile.py": "import nox\n"}
    [two] = findings(tmp_path / "two", "TF801", {**files, "Makefile": "test:\n\tpytest\n"})
    assert two.message == (
        "no CI configuration found "
        "(tox.ini, noxfile.py and Makefile exist but nothing runs them on every change)"
    )


def test_kaggle_notebook_repo_without_ci_is_reported(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "pandas==2.2.3\n",
        "eda.ipynb": notebook("import pandas as pd\ndf = pd.read_csv('train.csv')"),
    }
    assert [f.code for f in findings(tmp_path, "TF801", files)] == ["TF801"]


def test_github_gitlab_jenkins_and_circleci_count_as_ci(tmp_path: Path) -> None:
    providers = {
        ".github/workflows/test.yaml": workflow("pytest"),
        ".gitlab-ci.yml": "test:\n  script:\n    - pytest\n",
        "Jenkinsfile": "pipeline { agent any\n stages { stage('t') { steps { sh 'pytest' } } } }\n",
        ".circleci/config.yml": "version: 2.1\njobs: {}\n",
        "bitbucket-pipelines.yml": "pipelines: {}\n",
        "azure-pipelines.yml": "steps: []\n",
        # held-out sets O and Q: Taskcluster and Wikimedia PipelineLib
        ".taskcluster.yml": "version: 1\ntasks: []\n",
        ".pipeline/config.yaml": "pipelines:\n  test:\n    blubberfile: blubber.yaml\n",
    }
    for index, (path, content) in enumerate(providers.items()):
        assert findings(tmp_path / str(index), "TF801", {**CODE, path: content}) == [], path


def test_repo_without_python_is_not_audited_for_ci(tmp_path: Path) -> None:
    assert findings(tmp_path, "TF801", {"README.md": "# notes\n"}) == []


# ------------------------------------------------------------------- TF802 tests never run


def test_ci_that_only_lints_is_reported(tmp_path: Path) -> None:
    files = {
        **CODE,
        ".github/workflows/ci.yml": workflow("pip install ruff", "ruff check .", "python -m build"),
    }
    [finding] = findings(tmp_path, "TF802", files)
    assert finding.path == ".github/workflows/ci.yml" and "never runs the tests" in finding.message


def test_make_target_followed_into_makefile_without_tests_is_reported(tmp_path: Path) -> None:
    files = {
        **CODE,
        ".gitlab-ci.yml": "lint:\n  script:\n    - make lint\n",
        "Makefile": ".PHONY: lint\nlint:\n\truff check src\n\tmypy src\n",
    }
    [finding] = findings(tmp_path, "TF802", files)
    assert "GitLab CI" in finding.message


def test_direct_and_indirect_test_runs_are_fine(tmp_path: Path) -> None:
    variants = [
        {".github/workflows/ci.yml": workflow("uv sync --locked", "uv run --locked pytest -q")},
        {".github/workflows/ci.yml": workflow("python -m unittest discover -s tests")},
        {".github/workflows/ci.yml": workflow("make test")},
        {
            ".github/workflows/ci.yml": workflow("make ci"),
            "Makefile": "ci: lint unit\nlint:\n\truff check .\nunit:\n\tpython -m pytest\n",
        },
        {
            ".github/workflows/ci.yml": workflow("pip install tox", "tox"),
            "tox.ini": "[testenv]\ncommands = pytest {posargs}\n",
        },
        {".github/workflows/ci.yml": workflow("nox -s tests")},
        {
            ".github/workflows/ci.yml": workflow("bash ci/run.sh"),
            "ci/run.sh": "#!/bin/sh\nset -e\ncoverage run -m pytest\n",
        },
        {
            "Jenkinsfile": "pipeline {\n  stages {\n    stage('test') { steps { sh 'poetry run pytest' } }\n  }\n}\n"
        },
        # held-out set M (imbalanced-learn): a pixi task in a matrix environment, beside
        # a CircleCI file that only builds the docs
        {
            ".github/workflows/tests.yml": workflow(
                "pixi run -e ${{ matrix.environment }} tests -n 3"
            ),
            ".circleci/config.yml": "version: 2.1\njobs:\n  doc:\n    docker:\n      - image: cimg/python:3.12\n    steps:\n      - checkout\n      - run: make -C doc html\n",
        },
        {".github/workflows/ci.yml": workflow("pixi run -e py312 tests")},
        # held-out set O (mozilla/translations): the tests run in a Taskcluster task
        # graph; the GitHub workflow only publishes the docs
        {
            ".taskcluster.yml": "version: 1\ntasks:\n  - $let: {}\n    in: {payload: {command: [decision]}}\n",
            ".github/workflows/pages.yml": workflow("mkdocs build"),
        },
        # held-out set Q (uk-pvnet-app): the organisation's shared workflow runs pytest
        {
            ".github/workflows/branch_ci.yml": (
                "on: [push]\njobs:\n  call-run-python-tests:\n"
                "    uses: openclimatefix/.github/.github/workflows/nondefault_branch_push_ci_python.yml@main\n"
                "    with:\n      tests_folder: tests\n"
            )
        },
        # held-out set Q (Lift Wing): Wikimedia PipelineLib runs tox's test steps
        {
            ".pipeline/config.yaml": "pipelines:\n  test:\n    blubberfile: blubber.yaml\n    stages:\n      - name: run-test\n"
        },
    ]
    for index, extra in enumerate(variants):
        assert findings(tmp_path / str(index), "TF802", {**CODE, **extra}) == [], extra


def test_indirection_that_cannot_be_followed_stays_silent(tmp_path: Path) -> None:
    variants = [
        {".github/workflows/ci.yml": workflow("./scripts/ci.sh")},  # script not in the repo
        {".github/workflows/ci.yml": workflow("docker compose run --rm app")},
        {".github/workflows/ci.yml": workflow("make check")},  # no Makefile
    ]
    for index, extra in enumerate(variants):
        assert findings(tmp_path / str(index), "TF802", {**CODE, **extra}) == [], extra


def test_docker_build_is_followed_into_the_repository_dockerfile(tmp_path: Path) -> None:
    """`docker build .` runs the Dockerfile's RUN steps: we can read them (corpus case)."""
    image = "FROM python:3.12-slim\nCOPY . /app\nRUN pip install --no-deps /app\n"
    files = {
        **CODE,
        ".github/workflows/ci.yml": workflow(
            "pip install ruff", "ruff check .", "docker build -t svc ."
        ),
        "Dockerfile": image,
    }
    [finding] = findings(tmp_path / "lint", "TF802", files)
    assert "never runs the tests" in finding.message
    testing_image = {
        ".github/workflows/ci.yml": workflow("docker build --target test -f docker/Dockerfile ."),
        "docker/Dockerfile": "FROM python:3.12-slim AS test\nCOPY . /app\nRUN pip install /app \\\n"
        "    && python -m pytest /app/tests\n",
    }
    assert findings(tmp_path / "tested", "TF802", {**CODE, **testing_image}) == []
    # A Dockerfile outside the repository (or none) cannot be followed: silent.
    elsewhere = {".github/workflows/ci.yml": workflow("docker build -f ../images/ci.Dockerfile .")}
    assert findings(tmp_path / "elsewhere", "TF802", {**CODE, **elsewhere}) == []
    missing = {".github/workflows/ci.yml": workflow("docker build -t svc .")}
    assert findings(tmp_path / "missing", "TF802", {**CODE, **missing}) == []


def test_ci_without_tests_in_repo_is_left_to_the_no_tests_rule(tmp_path: Path) -> None:
    files = {k: v for k, v in CODE.items() if not k.startswith("tests/")}
    files[".github/workflows/ci.yml"] = workflow("ruff check .")
    assert findings(tmp_path, "TF802", files) == []


def test_malformed_workflow_is_a_diagnostic_not_a_crash(tmp_path: Path) -> None:
    files = {
        **CODE,
        ".github/workflows/ci.yml": "jobs:\n  test:\n    steps: [\n      - run: ruff check .\n",
    }
    make_repo(tmp_path, files)
    result = check(tmp_path, select=["TF801", "TF802", "TF803", "TF804"])
    assert not result.internal_errors
    assert any("malformed YAML" in d.message for d in result.diagnostics)


def test_requires_no_ci_first(tmp_path: Path) -> None:
    make_repo(tmp_path, CODE)
    result = check(tmp_path, select=["TF801", "TF802"])
    assert [f.code for f in result.findings] == ["TF801"]


# ------------------------------------------------------------------- TF803 installs without lock


def test_editable_install_next_to_uv_lock_is_reported(tmp_path: Path) -> None:
    files = {**LOCKED, ".github/workflows/ci.yml": workflow('pip install -e ".[dev]"', "pytest")}
    [finding] = findings(tmp_path, "TF803", files)
    assert (
        "pip install -e .[dev]" in finding.message.replace('"', "") and "uv.lock" in finding.message
    )
    assert finding.line == 8


def test_unpinned_requirements_installed_while_poetry_lock_exists_is_reported(
    tmp_path: Path,
) -> None:
    files = {
        **CODE,
        "poetry.lock": "# lock\n",
        "requirements.txt": "pandas\nscikit-learn>=1.3\n",
        ".gitlab-ci.yml": "test:\n  script:\n    - python -m pip install -r requirements.txt\n    - pytest\n",
    }
    [finding] = findings(tmp_path, "TF803", files)
    assert "requirements.txt" in finding.message and finding.line == 3


def test_tool_installs_pinned_requirements_and_constraints_are_fine(tmp_path: Path) -> None:
    files = {
        **LOCKED,
        "requirements-ci.txt": "pandas==2.2.3\nnumpy==2.1.0\n",
        ".github/workflows/ci.yml": workflow(
            "python -m pip install uv==0.5.0 tox pre-commit",
            "pip install -r requirements-ci.txt",
            "pip install -c constraints.txt -e .",
            "uv sync --locked",
            "uv run --locked pytest",
        ),
    }
    assert findings(tmp_path, "TF803", files) == []


def test_editable_install_without_any_lock_is_left_to_the_pinning_rule(tmp_path: Path) -> None:
    files = {**CODE, ".github/workflows/ci.yml": workflow("pip install -e .[dev]", "pytest")}
    assert findings(tmp_path, "TF803", files) == []


# ------------------------------------------------------------------- TF804 uv without --locked


def test_uv_sync_without_locked_is_info(tmp_path: Path) -> None:
    files = {**LOCKED, ".github/workflows/ci.yml": workflow("uv sync", "uv run pytest")}
    [finding] = findings(tmp_path, "TF804", files)
    assert finding.severity.value == "info" and "`uv sync`" in finding.message and finding.line == 8


def test_uv_sync_all_extras_without_locked_is_reported(tmp_path: Path) -> None:
    files = {
        **LOCKED,
        ".gitlab-ci.yml": "test:\n  script:\n    - uv sync --all-extras\n    - uv run pytest\n",
    }
    assert [f.code for f in findings(tmp_path, "TF804", files)] == ["TF804"]


def test_locked_frozen_or_env_variable_is_fine(tmp_path: Path) -> None:
    variants = [
        workflow("uv sync --locked", "uv run --locked pytest"),
        workflow("uv sync --frozen --all-extras", "uv run pytest"),
        "on: push\nenv:\n  UV_LOCKED: 1\njobs:\n  t:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: uv sync\n",
    ]
    for index, content in enumerate(variants):
        assert (
            findings(
                tmp_path / str(index), "TF804", {**LOCKED, ".github/workflows/ci.yml": content}
            )
            == []
        )


# ------------------------------------------------------------------- TF805 pre-commit


LINTING_CI = {
    ".github/workflows/ci.yml": (
        "on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: ruff check .\n"
    )
}


def test_no_pre_commit_is_info(tmp_path: Path) -> None:
    [finding] = findings(tmp_path, "TF805", {**CODE, **LINTING_CI})
    assert finding.severity.value == "info"


def test_pre_commit_lefthook_and_husky_count(tmp_path: Path) -> None:
    variants = [
        {".pre-commit-config.yaml": "repos: []\n"},
        {"lefthook.yml": "pre-commit:\n  commands: {}\n"},
        {".husky/pre-commit": "ruff check .\n"},
    ]
    for index, extra in enumerate(variants):
        assert findings(tmp_path / str(index), "TF805", {**CODE, **LINTING_CI, **extra}) == []


# ------------------------------------------------------------------- TF806 environment


def test_hand_pinned_requirements_without_lock_or_container_is_info(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "pandas==2.2.3\nscikit-learn==1.5.2\n",
        "train.py": "import pandas\n",
        ".python-version": "3.12\n",
    }
    [finding] = findings(tmp_path, "TF806", files)
    assert finding.severity.value == "info"


def test_dockerfile_lock_devcontainer_or_hashes_are_fine(tmp_path: Path) -> None:
    base = {"train.py": "import pandas\n", "requirements.txt": "pandas==2.2.3\n"}
    variants = [
        {"Dockerfile": "FROM python:3.12-slim\n"},
        {"uv.lock": "version = 1\n", "pyproject.toml": PYPROJECT},
        {".devcontainer/devcontainer.json": "{}\n"},
        {"requirements.txt": "pandas==2.2.3 \\\n    --hash=sha256:abc\n"},
    ]
    for index, extra in enumerate(variants):
        assert findings(tmp_path / str(index), "TF806", {**base, **extra}) == [], extra


def test_unpinned_requirements_are_one_finding_not_two(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "pandas\n",
        "train.py": "import pandas\n",
        ".python-version": "3.12\n",
    }
    make_repo(tmp_path, files)
    codes = [f.code for f in check(tmp_path, select=["TF202", "TF806"]).findings]
    assert codes == ["TF202"]


def test_yaml_steps_that_are_no_cloud_build_configuration_are_no_ci(tmp_path: Path) -> None:
    # Look-alike (tests/rules/test_real_lookalikes_heldout.py): Cloud Build YAML under
    # another name is CI. A pipeline's own steps, or a Cloud Build file among the test
    # fixtures, is not.
    pipeline = (
        "steps:\n"
        "  - name: preprocess\n"
        "    script: src/churn/prep.py\n"
        "  - name: train model\n"
        "    args: {epochs: 3}\n"
    )
    fixture = "steps:\n- name: gcr.io/cloud-builders/docker\n  args: [build, .]\n"
    files = {**CODE, "conf/pipeline.yaml": pipeline, "tests/fixtures/cloudbuild-ci.yaml": fixture}
    [finding] = findings(tmp_path, "TF801", files)
    assert finding.message == "no CI configuration found"
