"""TF1002 tests-not-collected: test module the configured runner would not collect."""

from __future__ import annotations

import ast
import configparser
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from twelvefold import kinds
from twelvefold.detectors.ci import ci_python_scripts, load_all_ci
from twelvefold.detectors.mage import in_mage_project, mage_project_folders
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule, fact
from twelvefold.rules._pyast import dotted, is_main_guard, walk
from twelvefold.sources import SourceFile


@dataclass(frozen=True)
class TestFunctions:
    __test__ = False  # a fact, not a pytest test class

    count: int
    line: int
    unittest_only: bool
    #: Its main block runs its tests (`if __name__ == "__main__": tf.test.main()`).
    runs_itself: bool = False
    #: Its main block calls one of its own test functions (`asyncio.run(test_graph())`):
    #: a check run by hand as a script.
    calls_its_tests: bool = False


@fact("test-functions", kinds=[kinds.PYTHON], prefilter=b"def test")
def test_functions(file: SourceFile) -> TestFunctions | None:
    name = posixpath.basename(file.path)
    if name in ("conftest.py", "__init__.py", "setup.py", "noxfile.py"):
        return None
    directory_parts = file.path.split("/")[:-1]
    if "test" not in name.lower() and not any(
        p in ("tests", "test", "testing") for p in directory_parts
    ):
        return None  # a `def test_connection()` helper in library code is not a test
    python = file.python
    tree = python.tree if python is not None else None
    if tree is None or "assert" not in (python.text if python is not None else ""):
        return None
    found: list[int] = []
    unittest_classes = 0
    pytest_style = 0
    for node in tree.body:
        if (
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.name.startswith("test")
            and _asserts(node)
        ):
            found.append(node.lineno)
            pytest_style += 1
        elif isinstance(node, ast.ClassDef):
            methods = [
                item.lineno
                for item in node.body
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
                and item.name.startswith("test")
                and _asserts(item)
            ]
            if not methods:
                continue
            is_unittest = any("TestCase" in ast.unparse(base) for base in node.bases)
            if is_unittest:
                unittest_classes += 1
            elif node.name.startswith("Test"):
                pytest_style += 1
            else:
                continue
            found.extend(methods)
    if not found:
        return None
    return TestFunctions(
        len(found),
        min(found),
        unittest_only=unittest_classes > 0 and pytest_style == 0,
        runs_itself=any(
            isinstance(node, ast.If) and is_main_guard(node) and _runs_tests(node)
            for node in tree.body
        ),
        calls_its_tests=any(
            isinstance(node, ast.If) and is_main_guard(node) and _calls_a_test(node, tree)
            for node in tree.body
        ),
    )


def _calls_a_test(guard: ast.If, tree: ast.Module) -> bool:
    """Whether a main block calls a function named as a test (`test_sync()`, or through
    `asyncio.run(test_graph())`), or a function of the module that names one (`main()`
    calling `test_build_package()`, a runner looping over `[("Data", test_data), ...]`):
    the module is a check its author runs as a script."""
    called = {
        node.func.id
        for statement in guard.body
        for node in ast.walk(statement)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    if any(name.startswith("test") for name in called):
        return True
    functions = [
        node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]
    tests = {node.name for node in functions if node.name.startswith("test")}
    return any(
        isinstance(node, ast.Name) and node.id in tests
        for runner in functions
        if runner.name in called
        for statement in runner.body
        for node in ast.walk(statement)
    )


#: The test mains of unittest and its wrappers: `unittest.main()`, `tf.test.main()`,
#: `absltest.main()`, `googletest.main()`.
_TEST_MAINS = frozenset({"unittest.main", "tf.test.main", "absltest.main", "googletest.main"})


def _run_by_a_project_script(repo: Repo, name: str) -> bool:
    """Whether a script of the root `pyproject.toml` or `hatch.toml` runs the module
    `name` with Python (kaggle-api's `[tool.hatch.envs.test.scripts]`: `cd tests; python
    unit_tests.py --failfast`)."""
    running = re.compile(rf"\bpython3?(?:\s+-\S+)*\s+(?:[\w./-]*/)?{re.escape(name)}(?![\w.])")
    for project_file in ("pyproject.toml", "hatch.toml"):
        source = repo.source(project_file) if repo.has(project_file) else None
        if source is not None and source.text is not None and running.search(source.text):
            return True
    return False


def _runs_tests(guard: ast.If) -> bool:
    return any(
        isinstance(node, ast.Call) and dotted(node.func) in _TEST_MAINS
        for statement in guard.body
        for node in ast.walk(statement)
    )


def _asserts(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a function's body asserts (`assert`, `self.assert*`, `pytest.raises`...),
    nested functions included. Asked of test functions only: walking every function of
    a large module, each nested one again inside its parent, cost more than its parse."""
    for inner in walk(function):
        if isinstance(inner, ast.Assert) or (
            isinstance(inner, ast.Call)
            and isinstance(inner.func, ast.Attribute)
            and (
                inner.func.attr.startswith("assert")
                or inner.func.attr in ("raises", "warns", "approx")
            )
        ):
            return True
    return False


@dataclass
class _PytestConfig:
    where: str | None = None  # the file holding the configuration
    python_files: list[str] = field(default_factory=lambda: ["test_*.py", "*_test.py"])
    testpaths: list[str] = field(default_factory=list)
    #: Folder name patterns pytest never enters (`norecursedirs = build benchmark`).
    norecursedirs: list[str] = field(default_factory=list)

    def excludes(self, path: str) -> bool:
        """Whether a folder of `path` is one `norecursedirs` tells pytest to skip: a test
        kept out of collection on purpose (aider's `benchmark/test_benchmark.py`)."""
        folders = path.split("/")[:-1]
        return any(
            fnmatchcase(folder, pattern) for folder in folders for pattern in self.norecursedirs
        )


#: The pytest options the rule reads, each a list (the fields of `_PytestConfig`).
_OPTIONS = ("python_files", "testpaths", "norecursedirs")


def _ini_list(value: str) -> list[str]:
    return [item for item in re.split(r"[\s,]+", value.strip()) if item]


def _ini_values(value: str | list[object]) -> list[str]:
    """A pytest option from pyproject.toml: a string (split like the ini file's) or a
    list, of which only the strings count."""
    if isinstance(value, str):
        return _ini_list(value)
    return [item for item in value if isinstance(item, str)]


#: A file that configures pytest for the folder it is in, and the text that says so.
_PYTEST_CONFIG_FILES = {
    "pytest.ini": "",
    ".pytest.ini": "",
    "pyproject.toml": "[tool.pytest",
    "tox.ini": "[pytest]",
    "setup.cfg": "[tool:pytest]",
}


def _own_pytest_folders(repo: Repo) -> frozenset[str]:
    """Folders below the root with a pytest configuration of their own: pytest run there
    reads it, not the root's `testpaths` (ragflow's `sdk/python/pyproject.toml`)."""
    found: set[str] = set()
    for entry in repo.files:
        folder, name = posixpath.split(entry.path)
        marker = _PYTEST_CONFIG_FILES.get(name)
        if not folder or marker is None:
            continue
        if marker:
            source = repo.source(entry.path)
            if source is None or source.text is None or marker not in source.text:
                continue
        found.add(folder)
    return frozenset(found)


def _pytest_config(repo: Repo, folder: str = "") -> _PytestConfig | None:
    """pytest's configuration in the order pytest looks for it, in `folder` (the root by
    default; a sub-project's own folder otherwise)."""
    for name, section in (("pytest.ini", "pytest"), (".pytest.ini", "pytest")):
        config = _from_ini(repo, posixpath.join(folder, name), section, required=False)
        if config is not None:
            return config
    if folder:
        source = repo.source(posixpath.join(folder, "pyproject.toml"))
        data = source.toml if source is not None else None
    else:
        data = repo.pyproject
    tool = data.get("tool") if isinstance(data, dict) else None
    pytest_table = tool.get("pytest") if isinstance(tool, dict) else None
    if isinstance(pytest_table, dict):
        options = pytest_table.get("ini_options", pytest_table)
        if isinstance(options, dict):
            config = _PytestConfig(posixpath.join(folder, "pyproject.toml"))
            # A string or a list of strings, as pytest reads them; pytest refuses any
            # other type, so it changes nothing here.
            for option in _OPTIONS:
                value = options.get(option)
                if value and isinstance(value, (str, list)):
                    setattr(config, option, _ini_values(value))
            return config
    for name, section in (("tox.ini", "pytest"), ("setup.cfg", "tool:pytest")):
        config = _from_ini(repo, posixpath.join(folder, name), section, required=True)
        if config is not None:
            return config
    return None


def _from_ini(repo: Repo, name: str, section: str, *, required: bool) -> _PytestConfig | None:
    source = repo.source(name)
    if source is None or source.text is None:
        return None
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(source.text)
    except configparser.Error as exc:
        source.diagnose(f"malformed INI: {str(exc).splitlines()[0]}")
        return None
    if not parser.has_section(section):
        return None if required else _PytestConfig(name)
    config = _PytestConfig(name)
    for option in _OPTIONS:
        if parser.has_option(section, option):
            setattr(config, option, _ini_list(parser.get(section, option)))
    return config


def _uses_pytest(repo: Repo) -> bool:
    if repo.named("conftest.py"):
        return True
    for entry in repo.named(
        "pyproject.toml", "setup.cfg", "tox.ini", "noxfile.py", "Pipfile", "environment.yml"
    ) + repo.of_kind(kinds.REQUIREMENTS):
        source = repo.source(entry.path)
        if source is not None and source.text is not None and "pytest" in source.text:
            return True
    return False


#: A pytest run: `pytest`, `py.test`, `python -m pytest`, nox's `session.run("pytest", ...)`.
_PYTEST_RUN = lazy_compile(r"(?:^|[\s;&|(\"'=/])py\.?test(?:$|[\s;&|)\"',])|-m\s+pytest\b")
#: A word of that command line: quotes, commas and parentheses of nox's
#: `session.run("pytest", "tests/x.py")` are not part of it.
_WORD = lazy_compile(r"[^\s\"',()]+")
#: pytest (and plugin) options that take the next word as their value.
_VALUE_OPTIONS = frozenset(
    {
        "--cov",
        "--cov-report",
        "--cov-config",
        "-n",
        "--numprocesses",
        "--dist",
        "-k",
        "-m",
        "-p",
        "-o",
        "-W",
        "--junitxml",
        "--junit-xml",
        "--tb",
        "--maxfail",
        "--durations",
        "--log-level",
        "--timeout",
        "--basetemp",
        "-r",
    }
)
#: pytest options whose value is a path that is NOT run (`--ignore tests/legacy.py`).
_PATH_OPTIONS = frozenset(
    {"--ignore", "--ignore-glob", "--deselect", "-c", "--config-file", "--rootdir", "--confcutdir"}
)
#: Where a project tells pytest what to run besides CI itself: tox, nox and make (and
#: tox's sections of pyproject.toml or setup.cfg).
_TASK_FILES = ("tox.ini", "tox.toml", "noxfile.py", "Makefile", "makefile", "GNUmakefile")


def _files_passed_to_pytest(repo: Repo) -> tuple[set[str], set[str], bool]:
    """The test modules (paths or globs) that CI, tox, nox, a Makefile target, a shell
    script of the repository, a Dockerfile or a YAML build or job definition (Cloud Build's `entrypoint: pytest`
    with its `args`, a container's `command: [pytest, ...]`) passes to pytest by path
    (from the root, or from a folder the step works in):
    pytest collects a file it is given whatever its name and wherever it lies. The other
    words of CI's own command lines, which may name folders (`pytest featuretools/`:
    pytest then collects there, whatever `testpaths` says). And whether any of them runs
    pytest at all (`pytest vit_jax` in a workflow)."""
    texts = [command for config in load_all_ci(repo) for command in config.commands]
    in_ci = len(texts)  # the first texts are CI's own command lines
    #: index of a shell script's text -> its folder, which `../tests/x.py` is relative to
    script_folders: dict[int, str] = {}
    for entry in repo.of_kind(kinds.YAML, kinds.DOCKERFILE, kinds.SHELL):
        source = repo.source(entry.path)
        if source is None or source.text is None or "pytest" not in source.text:
            continue
        if entry.kind in (kinds.DOCKERFILE, kinds.SHELL):
            # A Dockerfile's RUN steps, or a script CI or a Makefile runs
            # (`scripts/docker-smoke-test.sh` calling `pytest scripts/smoketest.py`).
            if entry.kind == kinds.SHELL:
                script_folders[len(texts)] = posixpath.dirname(entry.path)
            texts.append(source.text)
        else:
            texts.extend(_yaml_command_lines(source.yaml))
    for name in (*_TASK_FILES, "pyproject.toml", "setup.cfg"):
        source = repo.source(name) if repo.has(name) else None
        if source is None or source.text is None:
            continue
        if name in _TASK_FILES or re.search(r"^\[(?:tool\.tox|tox:tox|testenv)", source.text, re.M):
            texts.append(source.text)  # tox configured in pyproject.toml or setup.cfg
    found: set[str] = set()
    folders: set[str] = set()
    ran = False
    for index, text in enumerate(texts):
        for line in text.replace("\\\n", " ").splitlines():
            if index < in_ci and "discover" in line:
                found |= _discovered_by_unittest(line)
            for run in _PYTEST_RUN.finditer(line):
                ran = True
                arguments = re.split(r"&&|\|\||;|\|", line[run.end() :], maxsplit=1)[0]
                for argument in _path_arguments(_WORD.findall(arguments)):
                    if argument.endswith(".py"):
                        found.add(argument)
                        if argument.startswith("../") and index in script_folders:
                            # `cd "$(dirname "$0")"; pytest ../tests/integration_tests.py`
                            # in `scripts/integration-test.sh`: from the script's folder
                            resolved = posixpath.normpath(
                                posixpath.join(script_folders[index], argument)
                            )
                            if not resolved.startswith("../"):
                                found.add(resolved)
                    elif index < in_ci:
                        # A folder CI collects (`pytest featuretools/`); a local task's
                        # folder (`task taskgraph-test`) leaves CI's run without them.
                        folders.add(argument)
    return found, folders, ran


#: `python -m unittest discover`, then its options and positional arguments.
_UNITTEST_DISCOVER = lazy_compile(r"-m\s+unittest\s+discover\b([^;&|]*)")


def _discovered_by_unittest(line: str) -> set[str]:
    """The modules a CI command's `python -m unittest discover -s .github/scripts -p
    'test_*.py'` runs, as globs (its start folder, its pattern, `test*.py` by default):
    unittest collects them whatever pytest's configuration says."""
    found: set[str] = set()
    for run in _UNITTEST_DISCOVER.finditer(line):
        words = _WORD.findall(run.group(1))
        start, pattern = ".", "test*.py"
        positional: list[str] = []
        index = 0
        while index < len(words):
            word = words[index]
            if word in (
                "-s",
                "--start-directory",
                "-p",
                "--pattern",
                "-t",
                "--top-level-directory",
            ):
                value = words[index + 1] if index + 1 < len(words) else ""
                if word in ("-s", "--start-directory"):
                    start = value
                elif word in ("-p", "--pattern"):
                    pattern = value
                index += 2
                continue
            if not word.startswith("-"):
                positional.append(word)
            index += 1
        if positional:
            start = positional[0]
        if len(positional) > 1:
            pattern = positional[1]
        folder = posixpath.normpath(start.removeprefix("./"))
        prefix = "" if folder == "." else folder + "/"
        found |= {prefix + pattern, prefix + "*/" + pattern}
    return found


def _yaml_command_lines(data: object, depth: int = 0) -> Iterator[str]:
    """The command lines of a YAML document: its strings, its lists of strings joined
    (`command: [python, -m, pytest, tests/x.py]`), and a program key followed by its
    `args` (Cloud Build's `entrypoint: pytest` / `args: [tests/x.py]`)."""
    if depth > 50:
        return
    if isinstance(data, str):
        yield data
    elif isinstance(data, list):
        if data and all(isinstance(item, str) for item in data):
            yield " ".join(data)
        for item in data:
            yield from _yaml_command_lines(item, depth + 1)
    elif isinstance(data, dict):
        arguments = data.get("args")
        if isinstance(arguments, (str, list)):
            for key in ("entrypoint", "command", "cmd"):
                program = data.get(key)
                if isinstance(program, (str, list)):
                    words = [program] if isinstance(program, str) else list(program)
                    words += [arguments] if isinstance(arguments, str) else arguments
                    yield " ".join(str(word) for word in words)
        for value in data.values():
            yield from _yaml_command_lines(value, depth + 1)


def _imported_by_tests(repo: Repo, path: str, texts: dict[str, str]) -> bool:
    """Whether another test module imports this one (`from tests.models import base`,
    `from .base import BaseEncoderTester`): its test classes are base classes, run
    through the subclasses the collected modules define."""
    stem = posixpath.basename(path).removesuffix(".py")
    dotted = path.removesuffix(".py").replace("/", ".")
    package = posixpath.dirname(path).replace("/", ".")
    forms = (
        f"import {dotted}",
        f"from {dotted} import",
        f"from {package} import {stem}",
        f"from .{stem} import",
        f"from . import {stem}",
    )
    for entry in repo.of_kind(kinds.PYTHON):
        other = entry.path
        if other == path or not kinds.is_test_path(other):
            continue
        text = texts.get(other)
        if text is None:
            source = repo.source(other)
            text = texts[other] = source.text if source is not None and source.text else ""
        if stem in text and any(form in text for form in forms):
            return True
    return False


#: `if __name__ == "__main__":` (either quoting, either order).
_MAIN_GUARD = lazy_compile(
    r"^if\s+(?:__name__\s*==\s*[\"']__main__[\"']|[\"']__main__[\"']\s*==\s*__name__)\s*:", re.M
)


def _runs_as_script(repo: Repo, path: str) -> bool:
    """A module with a `__main__` block: run as a script, it calls its own tests."""
    source = repo.source(path)
    return source is not None and source.text is not None and bool(_MAIN_GUARD.search(source.text))


def _path_arguments(words: list[str]) -> Iterator[str]:
    """`tests/slow_checks.py` of `-x tests/slow_checks.py::test_a --ignore=tests/b.py`:
    the Python files (node ids cut at `::`) and other path-like words pytest is given,
    without the options and their values."""
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if word.startswith("-"):
            # `--ignore x.py`, `--cov src`; `--ignore=x.py` is one word
            skip = word in _PATH_OPTIONS or word in _VALUE_OPTIONS
            continue
        module = word.split("::", 1)[0]
        # `{toxinidir}/tests/x.py`, `$(CURDIR)/tests/x.py`, `./tests/x.py`
        module = re.sub(r"^(?:\{\w+\}|\$\(\w+\)|\$\{\w+\})/", "", module)
        if module and not module.startswith(("$", "{")):
            yield posixpath.normpath(module)


def _under(path: str, folder: str) -> bool:
    """Whether pytest, given `folder` (a `testpaths` entry or a command-line argument),
    collects `path`: the folder itself, a file or folder below it, or below what a
    shell-style pattern matches component by component (`featuretools/tests/*`; pytest
    globs `testpaths`). `.` is the whole repository."""
    folder = posixpath.normpath(folder.rstrip("/").removeprefix("./") or ".")
    if folder == ".":
        return True
    if not any(char in folder for char in "*?["):
        return path == folder or path.startswith(folder + "/")
    if "**" in folder:
        return fnmatchcase(path, folder) or fnmatchcase(path, folder + "/*")
    pattern = folder.split("/")
    parts = path.split("/")
    return len(parts) >= len(pattern) and all(
        fnmatchcase(part, glob) for part, glob in zip(parts, pattern, strict=False)
    )


def _testpaths_exist(repo: Repo, testpaths: list[str]) -> bool:
    """Whether any `testpaths` entry names something in the repository: when none does,
    pytest warns and collects from the folder it runs in, as with no `testpaths` at all
    (spacy-llm's `testpaths = ['tests']` beside tests kept in the package). Worked out
    once per list and repository."""
    known: dict[tuple[str, ...], bool] = repo.derived(_testpaths_memo)
    key = tuple(testpaths)
    if key not in known:
        known[key] = any(
            _under(entry.path, testpath) for entry in repo.files for testpath in testpaths
        )
    return known[key]


def _testpaths_memo(repo: Repo) -> dict[tuple[str, ...], bool]:
    return {}


class TestsNotCollected(RepoRule):
    """## What it does
    Reports test modules that the configured test runner would never collect: a file in
    a tests folder (or with "test" in its name) that defines `test_*` functions or
    `Test*` classes with assertions, but whose name does not match pytest's
    `python_files` patterns (default `test_*.py` and `*_test.py`; read from
    `pytest.ini`, `[tool.pytest.ini_options]`, `tox.ini [pytest]`, `setup.cfg
    [tool:pytest]`), or that lies outside the configured `testpaths`. For
    `unittest.TestCase` modules of a project that does not use pytest (no pytest
    configuration, requirement or conftest, and no CI, tox, nox or Makefile command
    running it), the pattern is unittest discovery's `test*.py`, unless the module runs
    its own tests from its main block (`if __name__ == "__main__": tf.test.main()`, as
    google-research's `modeling_test.py` does): run as `python modeling_test.py`.

    Silent when the project shows no test runner at all, for modules whose name
    starts with `_`, `old_`, `disable`/`disabled_` or `skip_` (`_test_distributed.py`,
    `old_test_datasets.py`, mljar's `disable_eda.py`, renamed from `test_eda.py`) or in a
    folder the configuration's `norecursedirs` names (aider's `benchmark/`): opted out of
    collection on purpose, to be run by hand, by a
    launcher or never again, and for modules passed to pytest by path
    (`pytest tests/slow_checks.py`, `python -m pytest tests/gpu/cuda_checks.py::test_x`,
    a glob such as `tests/*_checks.py`; from the root or from a folder the step works
    in, such as `working-directory: ./api`) in a CI configuration, `tox.ini`/`tox.toml`,
    `noxfile.py`, a `Makefile` target, a shell script of the repository
    (`scripts/docker-smoke-test.sh`; `pytest ../tests/integration_tests.py` from the
    script's own folder), a Dockerfile or a YAML build or job definition
    (Cloud Build's `entrypoint: pytest` with `args`): pytest collects a file it is given
    whatever its name; so for modules a CI step's `python -m unittest discover -s
    .github/scripts -p 'test_*.py'` collects. Silent for a module that runs its own tests from its main block
    when a script of `pyproject.toml` or `hatch.toml` runs it with Python (kaggle-api's
    hatch script `cd tests; python unit_tests.py`), and for a module whose main block calls
    its own test functions (`if __name__ == "__main__": asyncio.run(test_graph())`): a
    check its author runs as a script. Silent too for a module with an `if __name__ == "__main__":`
    block that a CI configuration runs as a script (`python scripts/hub_checks.py`): its
    main calls the tests, kept out of pytest on purpose (they need a token, a network).

    Not checked in a course (kind `course`): its lessons' tests are smoke tests run by
    hand or named one by one; nor in a template's folders (`{{ cookiecutter.repo_name
    }}/tests/`): they run in the projects it generates, under their own configuration;
    nor in a Mage project (Mage's `io_config.yaml`, `metadata.yaml` and `pipelines/`):
    Mage runs a block's `@test` functions on the block's output.
    Below a folder with a pytest configuration of its own (`sdk/python/pyproject.toml`
    with `[tool.pytest.ini_options]`, a `pytest.ini`), a sub-project that runs its tests
    from there, a module is judged by that configuration's file patterns, not by the
    root's `testpaths`.

    ## Why is this bad?
    These tests never run, locally or in CI, yet they look like coverage: their
    assertions rot, and the bug they were written for comes back unnoticed.

    ## Example
    pytest collects `test_*.py` from `tests/`, and this module's name does not match:
    ```toml
    # pyproject.toml
    [tool.pytest.ini_options]
    testpaths = ["tests"]
    ```
    ```python
    # tests/check_model.py
    from churn.train import train


    def test_accuracy_above_baseline(sample):
        model = train(sample.X, sample.y)
        assert model.score(sample.X, sample.y) > 0.8
    ```

    ## Use instead
    Rename it `tests/test_model.py` (`git mv`), or add its pattern to `python_files` in
    `[tool.pytest.ini_options]`:
    ```toml
    # pyproject.toml
    [tool.pytest.ini_options]
    testpaths = ["tests"]
    python_files = ["test_*.py", "check_*.py"]
    ```
    """

    __test__ = False  # a rule class, not a pytest test class

    code = "TF1002"
    # A template's tests (`{{ cookiecutter.repo_name }}/tests/`) run in the projects it
    # generates, under their own configuration: kedro's, judged FALSE.
    roles = role.IN_USE - {role.TEMPLATE}
    facts_per_file = True
    depends_on = (
        "@tests",
        "@manifests",
        "@ci",
        "pytest.ini",
        "tox.ini",
        "Makefile",
        "noxfile.py",
        "*.sh",
        "*.bash",
    )
    name = "tests-not-collected"
    factor = 10
    severity = Severity.WARNING
    # A course's or a book's per-lesson tests are smoke tests its authors run by hand or
    # name one by one: judged NOISE wherever they were met.
    repo_kinds = frozenset(project_kind.KINDS) - {project_kind.COURSE}
    summary = "Test module the configured runner would not collect"
    fix = "Rename the file to match the runner's pattern (test_*.py) or add its pattern to python_files."
    facts = ("test-functions",)
    requires = ("TF1001",)

    def check(self, repo: Repo) -> Iterator[Violation]:
        tests = repo.facts("test-functions")
        if not tests:
            return
        config = _pytest_config(repo)
        pytest = config is not None or _uses_pytest(repo)
        passed: set[str] | None = None
        folders: set[str] = set()
        scripts: set[str] = set()
        texts: dict[str, str] = {}  # the other test modules' texts, read when needed
        sub_projects = repo.derived(_own_pytest_folders)
        sub_configs: dict[str, _PytestConfig | None] = {}  # their configurations, read once
        mage = mage_project_folders(entry.path for entry in repo.files)
        for path, found in sorted(tests.items()):
            name = posixpath.basename(path)
            if mage and in_mage_project(path, mage):
                continue  # a Mage block's `@test` functions: Mage runs them on its output
            if name.startswith(("_", "old_", "disable", "skip_")):
                # `_test_distributed.py`, transformers' retired `old_test_datasets.py`:
                # opted out of collection on purpose
                continue
            if passed is None:
                passed, folders, ran = _files_passed_to_pytest(repo)
                pytest = pytest or ran  # CI runs pytest (`pytest vit_jax`): its patterns
                scripts = ci_python_scripts(repo)
            if any(
                # from the root, or from a folder the step works in (`working-directory:
                # ./api`, then `pytest test/healthcheck_models.py`)
                fnmatchcase(path, argument) or fnmatchcase(path, "*/" + argument)
                for argument in passed
            ):
                continue  # `pytest tests/slow_checks.py` in CI, tox, nox or make
            if path in scripts and _runs_as_script(repo, path):
                continue  # `python scripts/integration.py` in CI, its `__main__` runs them
            if found.runs_itself and _run_by_a_project_script(repo, name):
                continue  # `python unit_tests.py` in a hatch or PDM script: its main runs them
            if found.calls_its_tests:
                continue  # `if __name__ == "__main__": test_sync()`: a check run as a script
            # ragflow's `sdk/python/`, danswer's `backend/`: a sub-project run from its own
            # folder (the nearest with a configuration), by its file patterns; where its
            # `testpaths` point is not judged from here.
            own = max((f for f in sub_projects if path.startswith(f + "/")), key=len, default=None)
            why: str | None = None
            if pytest or own is not None:
                if own is not None and own not in sub_configs:
                    sub_configs[own] = _pytest_config(repo, own)
                runner_config = (sub_configs[own] if own is not None else config) or _PytestConfig()
                patterns = runner_config.python_files
                if runner_config.excludes(path[len(own) + 1 :] if own is not None else path):
                    continue  # `norecursedirs = benchmark`: kept out of collection on purpose
                if not any(
                    fnmatchcase(name, pattern) or fnmatchcase(path, pattern) for pattern in patterns
                ):
                    where = (
                        f" ({runner_config.where})"
                        if runner_config.where
                        else " (pytest's default)"
                    )
                    why = f"pytest only collects {', '.join(patterns)}{where}"
                elif (
                    own is None
                    and runner_config.testpaths
                    and _testpaths_exist(repo, runner_config.testpaths)
                    and not any(_under(path, tp) for tp in runner_config.testpaths)
                    and not any(_under(path, folder) for folder in folders)
                ):
                    why = f"it is outside testpaths = {runner_config.testpaths} ({runner_config.where})"
            elif (
                found.unittest_only and not found.runs_itself and not fnmatchcase(name, "test*.py")
            ):
                why = "unittest discovery only collects test*.py"
            if why is not None and not _imported_by_tests(repo, path, texts):
                yield self._violation(path, found, why)

    def _violation(self, path: str, found: TestFunctions, why: str) -> Violation:
        plural = "s" if found.count > 1 else ""
        return Violation(
            f"`{path}` defines {found.count} test{plural} that never run: {why}",
            path=path,
            line=found.line,
        )
