"""Factor 10 - Tests: code AND model, deterministic."""

from __future__ import annotations

import ast
import configparser
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from twelvefold import kinds
from twelvefold.detectors.ci import ci_python_scripts, has_test_files, load_all_ci
from twelvefold.detectors.random_state import RANDOM_BY_DEFAULT
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.project.roles import is_config_module
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule, fact
from twelvefold.rules._pyast import (
    constant_str,
    has_star_kwargs,
    import_aliases,
    imported_modules,
    is_true,
    keyword,
    nodes,
    qualified,
    walk,
)
from twelvefold.sources import SourceFile


class NoTests(RepoRule):
    """## What it does
    Reports a Python project with no tests at all: no `test_*.py` or `*_test.py` file
    and no Python file under a `tests/` or `test/` folder.

    ## Why is this bad?
    Without tests, nobody knows whether the preprocessing still does what it did, whether
    the pipeline still runs end to end, or whether the new model is worse than the old
    one. Every change is a gamble and every refactoring is avoided.

    ## Example
    A package with feature and training code, and no tests:
    ```python
    # src/churn/features.py
    import pandas as pd


    def tenure_years(df: pd.DataFrame) -> pd.Series:
        return df["tenure_months"] / 12
    ```
    ```python
    # src/churn/train.py
    from sklearn.linear_model import LogisticRegression


    def train(X, y) -> LogisticRegression:
        return LogisticRegression(max_iter=1000).fit(X, y)
    ```

    ## Use instead
    Start with a `tests/` folder: a unit test of the feature code, a smoke test that
    trains on a tiny sample, and a model test with a quality threshold:
    ```python
    # tests/test_model.py
    from sklearn.metrics import roc_auc_score


    def test_model_beats_baseline(trained_model, holdout):
        assert roc_auc_score(holdout.y, trained_model.predict_proba(holdout.X)[:, 1]) > 0.75
    ```
    """

    code = "TF1001"
    depends_on = ("@tests",)
    name = "no-tests"
    factor = 10
    severity = Severity.WARNING
    repo_kinds = frozenset({project_kind.APPLICATION, project_kind.LIBRARY, project_kind.TEMPLATE})
    summary = "No tests"
    fix = "Add a tests/ folder with pytest tests for the feature code, the pipeline and the model's quality."

    def applies(self, repo: Repo) -> bool:
        return repo.has_python

    def check(self, repo: Repo) -> Iterator[Violation]:
        if has_test_files(repo):
            return
        yield Violation(
            "the project has Python code but no tests (no tests/ folder, test_*.py or *_test.py)"
        )


# ----------------------------------------------------------------------------- collection


@dataclass(frozen=True)
class TestFunctions:
    __test__ = False  # a fact, not a pytest test class

    count: int
    line: int
    unittest_only: bool


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
    asserts = _asserting_functions(tree)
    pytest_style = 0
    for node in tree.body:
        if (
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.name.startswith("test")
            and id(node) in asserts
        ):
            found.append(node.lineno)
            pytest_style += 1
        elif isinstance(node, ast.ClassDef):
            methods = [
                item.lineno
                for item in node.body
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
                and item.name.startswith("test")
                and id(item) in asserts
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
        len(found), min(found), unittest_only=unittest_classes > 0 and pytest_style == 0
    )


def _asserting_functions(tree: ast.Module) -> set[int]:
    """ids of functions whose body asserts (`assert`, `self.assert*`, `pytest.raises`...)."""
    found: set[int] = set()
    for node in walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Assert) or (
                isinstance(inner, ast.Call)
                and isinstance(inner.func, ast.Attribute)
                and (
                    inner.func.attr.startswith("assert")
                    or inner.func.attr in ("raises", "warns", "approx")
                )
            ):
                found.add(id(node))
                break
    return found


@dataclass
class _PytestConfig:
    where: str | None = None  # the file holding the configuration
    python_files: list[str] = field(default_factory=lambda: ["test_*.py", "*_test.py"])
    testpaths: list[str] = field(default_factory=list)


def _ini_list(value: str) -> list[str]:
    return [item for item in re.split(r"[\s,]+", value.strip()) if item]


def _ini_values(value: str | list[object]) -> list[str]:
    """A pytest option from pyproject.toml: a string (split like the ini file's) or a
    list, of which only the strings count."""
    if isinstance(value, str):
        return _ini_list(value)
    return [item for item in value if isinstance(item, str)]


def _pytest_config(repo: Repo) -> _PytestConfig | None:
    """pytest's configuration in the order pytest looks for it (root only)."""
    for name, section in (("pytest.ini", "pytest"), (".pytest.ini", "pytest")):
        config = _from_ini(repo, name, section, required=False)
        if config is not None:
            return config
    data = repo.pyproject
    tool = data.get("tool") if isinstance(data, dict) else None
    pytest_table = tool.get("pytest") if isinstance(tool, dict) else None
    if isinstance(pytest_table, dict):
        options = pytest_table.get("ini_options", pytest_table)
        if isinstance(options, dict):
            config = _PytestConfig("pyproject.toml")
            # A string or a list of strings, as pytest reads them; pytest refuses any
            # other type, so it changes nothing here.
            files = options.get("python_files")
            if files and isinstance(files, (str, list)):
                config.python_files = _ini_values(files)
            paths = options.get("testpaths")
            if paths and isinstance(paths, (str, list)):
                config.testpaths = _ini_values(paths)
            return config
    for name, section in (("tox.ini", "pytest"), ("setup.cfg", "tool:pytest")):
        config = _from_ini(repo, name, section, required=True)
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
    if parser.has_option(section, "python_files"):
        config.python_files = _ini_list(parser.get(section, "python_files"))
    if parser.has_option(section, "testpaths"):
        config.testpaths = _ini_list(parser.get(section, "testpaths"))
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
#: pytest options whose value is a path that is NOT run (`--ignore tests/legacy.py`).
_PATH_OPTIONS = frozenset(
    {"--ignore", "--ignore-glob", "--deselect", "-c", "--config-file", "--rootdir", "--confcutdir"}
)
#: Where a project tells pytest what to run besides CI itself: tox, nox and make (and
#: tox's sections of pyproject.toml or setup.cfg).
_TASK_FILES = ("tox.ini", "tox.toml", "noxfile.py", "Makefile", "makefile", "GNUmakefile")


def _files_passed_to_pytest(repo: Repo) -> set[str]:
    """The test modules (paths or globs) that CI, tox, nox, a Makefile target, a
    Dockerfile or a YAML build or job definition (Cloud Build's `entrypoint: pytest`
    with its `args`, a container's `command: [pytest, ...]`) passes to pytest by path:
    pytest collects a file it is given whatever its name and wherever it lies."""
    texts = [command for config in load_all_ci(repo) for command in config.commands]
    for entry in repo.of_kind(kinds.YAML, kinds.DOCKERFILE):
        source = repo.source(entry.path)
        if source is None or source.text is None or "pytest" not in source.text:
            continue
        if entry.kind == kinds.DOCKERFILE:
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
    for text in texts:
        for line in text.replace("\\\n", " ").splitlines():
            for run in _PYTEST_RUN.finditer(line):
                arguments = re.split(r"&&|\|\||;|\|", line[run.end() :], maxsplit=1)[0]
                found.update(_module_arguments(_WORD.findall(arguments)))
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


#: `if __name__ == "__main__":` (either quoting, either order).
_MAIN_GUARD = lazy_compile(
    r"^if\s+(?:__name__\s*==\s*[\"']__main__[\"']|[\"']__main__[\"']\s*==\s*__name__)\s*:", re.M
)


def _runs_as_script(repo: Repo, path: str) -> bool:
    """A module with a `__main__` block: run as a script, it calls its own tests."""
    source = repo.source(path)
    return source is not None and source.text is not None and bool(_MAIN_GUARD.search(source.text))


def _module_arguments(words: list[str]) -> Iterator[str]:
    """`tests/slow_checks.py` of `-x tests/slow_checks.py::test_a --ignore=tests/b.py`:
    the Python files pytest is asked to run (node ids cut at `::`), without the options
    and their values."""
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if word.startswith("-"):
            skip = word in _PATH_OPTIONS  # `--ignore x.py`; `--ignore=x.py` is one word
            continue
        module = word.split("::", 1)[0]
        if module.endswith(".py"):
            # `{toxinidir}/tests/x.py`, `$(CURDIR)/tests/x.py`, `./tests/x.py`
            module = re.sub(r"^(?:\{\w+\}|\$\(\w+\)|\$\{\w+\})/", "", module)
            yield posixpath.normpath(module)


class TestsNotCollected(RepoRule):
    """## What it does
    Reports test modules that the configured test runner would never collect: a file in
    a tests folder (or with "test" in its name) that defines `test_*` functions or
    `Test*` classes with assertions, but whose name does not match pytest's
    `python_files` patterns (default `test_*.py` and `*_test.py`; read from
    `pytest.ini`, `[tool.pytest.ini_options]`, `tox.ini [pytest]`, `setup.cfg
    [tool:pytest]`), or that lies outside the configured `testpaths`. For
    `unittest.TestCase` modules of a project that does not use pytest, the pattern is
    unittest discovery's `test*.py`.

    Silent when the project shows no test runner at all, for modules whose name
    starts with `_` (`_test_distributed.py`): opted out of collection on purpose, to be
    run by hand or by a launcher, and for modules passed to pytest by path
    (`pytest tests/slow_checks.py`, `python -m pytest tests/gpu/cuda_checks.py::test_x`,
    a glob such as `tests/*_checks.py`) in a CI configuration, `tox.ini`/`tox.toml`,
    `noxfile.py`, a `Makefile` target, a Dockerfile or a YAML build or job definition
    (Cloud Build's `entrypoint: pytest` with `args`): pytest collects a file it is given
    whatever its name. Silent too for a module with an `if __name__ == "__main__":`
    block that a CI configuration runs as a script (`python scripts/hub_checks.py`): its
    main calls the tests, kept out of pytest on purpose (they need a token, a network).

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
    depends_on = ("@tests", "@manifests", "@ci", "pytest.ini", "tox.ini", "Makefile", "noxfile.py")
    name = "tests-not-collected"
    factor = 10
    severity = Severity.WARNING
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
        scripts: set[str] = set()
        for path, found in sorted(tests.items()):
            name = posixpath.basename(path)
            if name.startswith("_"):
                continue  # `_test_distributed.py`: opted out of collection on purpose
            if passed is None:
                passed = _files_passed_to_pytest(repo)
                scripts = ci_python_scripts(repo)
            if any(fnmatchcase(path, argument) for argument in passed):
                continue  # `pytest tests/slow_checks.py` in CI, tox, nox or make
            if path in scripts and _runs_as_script(repo, path):
                continue  # `python scripts/integration.py` in CI, its `__main__` runs them
            if pytest:
                runner_config = config or _PytestConfig()
                patterns = runner_config.python_files
                if not any(
                    fnmatchcase(name, pattern) or fnmatchcase(path, pattern) for pattern in patterns
                ):
                    where = (
                        f" ({runner_config.where})"
                        if runner_config.where
                        else " (pytest's default)"
                    )
                    yield self._violation(
                        path, found, f"pytest only collects {', '.join(patterns)}{where}"
                    )
                    continue
                outside = runner_config.testpaths and not any(
                    path == tp.rstrip("/")
                    or path.startswith(tp.rstrip("/").removeprefix("./") + "/")
                    for tp in runner_config.testpaths
                )
                if outside:
                    yield self._violation(
                        path,
                        found,
                        f"it is outside testpaths = {runner_config.testpaths} ({runner_config.where})",
                    )
            elif found.unittest_only and not fnmatchcase(name, "test*.py"):
                yield self._violation(path, found, "unittest discovery only collects test*.py")

    def _violation(self, path: str, found: TestFunctions, why: str) -> Violation:
        plural = "s" if found.count > 1 else ""
        return Violation(
            f"`{path}` defines {found.count} test{plural} that never run: {why}",
            path=path,
            line=found.line,
        )


# ----------------------------------------------------------------------------- randomness

#: Random only when asked (`early_stopping=True`, `max_features`): see gen_random_state.py.
_HIST_GRADIENT_BOOSTING = frozenset(
    {"HistGradientBoostingClassifier", "HistGradientBoostingRegressor"}
)
#: Callables whose results are random unless `random_state` is set: scikit-learn's, from
#: its own metadata (`detectors/random_state.py`, generated), and those of libraries
#: built on its API (imbalanced-learn samplers, UMAP).
_ALWAYS_RANDOM = RANDOM_BY_DEFAULT | frozenset(
    {
        "RandomUnderSampler",
        "RandomOverSampler",
        "SMOTE",
        "ADASYN",
        "BorderlineSMOTE",
        "SVMSMOTE",
        "KMeansSMOTE",
        "SMOTENC",
        "SMOTEN",
        "UMAP",
    }
)
#: Named like a class, `make_*` or `permutation_importance`: a bare call in a module that
#: imports scikit-learn is its callable (a star import). A bare `shuffle(...)` or
#: `resample(...)` may be anyone's: only the resolved name counts.
_BARE_NAME = lazy_compile(r"[A-Z]\w*|make_\w+|permutation_importance")
_KFOLDS = frozenset({"KFold", "StratifiedKFold", "GroupKFold", "StratifiedGroupKFold"})
_RANDOM_STATE_LIBRARIES = ("sklearn.", "imblearn.", "umap.")

_NUMPY_NOT_DRAWS = frozenset(
    {
        "seed",
        "default_rng",
        "RandomState",
        "Generator",
        "SeedSequence",
        "PCG64",
        "PCG64DXSM",
        "MT19937",
        "Philox",
        "SFC64",
        "BitGenerator",
        "get_state",
        "set_state",
    }
)
_STDLIB_DRAWS = frozenset(
    {
        "random",
        "randint",
        "randrange",
        "choice",
        "choices",
        "shuffle",
        "sample",
        "uniform",
        "gauss",
        "normalvariate",
        "betavariate",
        "expovariate",
        "triangular",
        "getrandbits",
    }
)
_TORCH_DRAWS = frozenset(
    {
        "rand",
        "randn",
        "randint",
        "randperm",
        "rand_like",
        "randn_like",
        "randint_like",
        "normal",
        "bernoulli",
        "multinomial",
        "poisson",
        "random_split",
    }
)
_DATA_LIBRARIES = frozenset(
    {
        "numpy",
        "pandas",
        "torch",
        "tensorflow",
        "sklearn",
        "jax",
        "keras",
        "scipy",
        "lightning",
        "pytorch_lightning",
    }
)
_SEED_FUNCTION = lazy_compile(
    r"^_?(?:(?:set|fix|setup|init|reset|make|seed|configure)_?)?(?:global_|random_|all_|torch_|np_|numpy_)?seeds?(?:_all|_everything|_everywhere|_worker)?$|seed_everything|seed_all"
)

LIBRARIES = ("numpy", "torch", "tensorflow", "random")
_LIBRARY_LABEL = {
    "numpy": "numpy",
    "torch": "torch",
    "tensorflow": "TensorFlow",
    "random": "the `random` module",
}
_SEED_HINT = {
    "numpy": "np.random.seed(SEED) or np.random.default_rng(SEED)",
    "torch": "torch.manual_seed(SEED) (or lightning.seed_everything(SEED))",
    "tensorflow": "tf.random.set_seed(SEED) (or keras.utils.set_random_seed(SEED))",
    "random": "random.seed(SEED)",
}


@dataclass(frozen=True)
class Place:
    line: int | None
    cell: int | None
    cell_line: int | None


@dataclass(frozen=True)
class RandomnessFacts:
    """Random calls of one file: unseeded estimators, library draws, and seeding."""

    unseeded: tuple[tuple[Place, str], ...]
    #: library -> (where, what) of its first draw in the file
    draws: tuple[tuple[str, Place, str], ...]
    #: libraries seeded here ("all" for seed_everything-like helpers)
    seeds: frozenset[str]


#: Literals one of which a file with randomness holds: the library names, seeding, and
#: the random callables (derived from the same table).
_RANDOM_PREFILTER = (
    b"random",
    b"Random",
    b"seed",
    b"split",
    b"Split",
    b"KFold",
    b"PCA",
    b"torch",
    b"tensorflow",
    b"keras",
    b"backward",
    b"shuffle",
    b"TrainingArguments",
    *sorted({name.encode() for name in _ALWAYS_RANDOM}),
)


@fact("randomness", kinds=[kinds.PYTHON, kinds.NOTEBOOK], prefilter=_RANDOM_PREFILTER)
def randomness(file: SourceFile) -> RandomnessFacts | None:
    python = file.python
    tree = python.tree if python is not None else None
    if python is None or tree is None:
        return None
    aliases = import_aliases(tree)
    modules = imported_modules(tree)
    sklearn_like = bool(modules & {"sklearn", "imblearn", "umap"})
    data_code = bool(modules & _DATA_LIBRARIES)
    unseeded: list[tuple[Place, str]] = []
    draws: dict[str, tuple[Place, str]] = {}
    seeds: set[str] = set()

    def place(node: ast.AST) -> Place:
        where = python.loc(getattr(node, "lineno", 0))
        return Place(where.line, where.cell, where.cell_line)

    functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = [
        *nodes(tree, ast.FunctionDef),
        *nodes(tree, ast.AsyncFunctionDef),
    ]
    if any(_SEED_FUNCTION.search(function.name) for function in functions):
        seeds.add("all")
    named = _formatted_into_strings(tree)
    for node in nodes(tree, ast.Call):
        name = qualified(node.func, aliases)
        if not name:
            continue
        last = name.rsplit(".", 1)[-1]
        library_seed = _seeding(name, last, node)
        if library_seed:
            seeds.add(library_seed)
            continue
        problem = _unseeded_estimator(name, last, node, sklearn_like)
        if problem:
            unseeded.append((place(node), problem))
        draw = None if id(node) in named else _draw(name, last, node, modules, data_code)
        if draw and draw[0] not in draws:
            draws[draw[0]] = (place(node), draw[1])
    # A Keras `.fit` in the project's own code; an example or a doc shows how to train.
    own_code = file.role not in role.FOR_READING and not kinds.is_test_path(file.path)
    if "tensorflow" not in draws and own_code and modules & _KERAS_MODULES:
        keras_fit = _keras_training(tree)
        if keras_fit is not None:
            draws["tensorflow"] = (
                place(keras_fit),
                "a Keras training run (`.fit(...)` of a compiled model; weights start random)",
            )
    if not (unseeded or draws or seeds):
        return None
    return RandomnessFacts(
        tuple(unseeded),
        tuple((lib, where, what) for lib, (where, what) in draws.items()),
        frozenset(seeds),
    )


def _formatted_into_strings(tree: ast.Module) -> set[int]:
    """Calls whose value goes straight into a string: `f"{random.randrange(2**32)}"`,
    `str(...)`, `"%d" % ...`, `"{}".format(...)`. A random number formatted into text
    names something (a unique prefix, a temporary file); it affects no result."""
    found: set[int] = set()
    for formatted in nodes(tree, ast.FormattedValue):
        if isinstance(formatted.value, ast.Call):
            found.add(id(formatted.value))
    for node in nodes(tree, ast.Call):
        func = node.func
        if (isinstance(func, ast.Name) and func.id == "str") or (
            isinstance(func, ast.Attribute)
            and func.attr == "format"
            and isinstance(func.value, ast.Constant)
            and isinstance(func.value.value, str)
        ):
            found.update(id(arg) for arg in node.args if isinstance(arg, ast.Call))
    for operation in nodes(tree, ast.BinOp):
        if (
            isinstance(operation.op, ast.Mod)
            and isinstance(operation.left, ast.Constant)
            and isinstance(operation.left.value, str)
        ):
            right = (
                operation.right.elts
                if isinstance(operation.right, ast.Tuple)
                else [operation.right]
            )
            found.update(id(item) for item in right if isinstance(item, ast.Call))
    return found


_KERAS_MODULES = frozenset({"tensorflow", "keras", "tf_keras"})


def _keras_training(tree: ast.Module) -> ast.Call | None:
    """The first `.fit(...)` of a module that also `.compile(...)`s: a Keras model
    trained from randomly initialised weights. None if the module does not both."""
    fits: list[ast.Call] = []
    compiles = False
    modules = import_aliases(tree)
    for node in nodes(tree, ast.Call):
        if isinstance(node.func, ast.Attribute):
            receiver = node.func.value
            if isinstance(receiver, ast.Name) and receiver.id in modules:
                continue  # `re.compile(...)`, `torch.compile(...)`: a module's function
            if node.func.attr == "compile" and (
                {k.arg for k in node.keywords} & {"optimizer", "loss", "metrics"}
                or (node.args and constant_str(node.args[0]) is not None)
            ):
                compiles = True  # `model.compile(optimizer="adam", ...)`, not `re.compile`
            elif node.func.attr == "fit" and (node.args or node.keywords):
                fits.append(node)
    if not (compiles and fits):
        return None
    return min(fits, key=lambda node: (node.lineno, node.col_offset))


def _seeding(name: str, last: str, node: ast.Call) -> str | None:
    """The library a call seeds ("all" for helpers), or None."""
    has_argument = bool(node.args or node.keywords)
    if name in ("numpy.random.seed",) or (
        last in ("default_rng", "RandomState") and name.startswith("numpy") and has_argument
    ):
        return "numpy"
    if last in ("manual_seed", "manual_seed_all"):
        return "torch"
    if name in ("random.seed",):
        return "random"
    if last in ("set_seed", "set_random_seed") and name.startswith(("tensorflow", "tf.")):
        return "all" if "set_random_seed" in last and "keras" in name else "tensorflow"
    if _SEED_FUNCTION.search(last) and last not in ("seed",):
        return "all"
    if last == "TrainingArguments":  # transformers' Trainer seeds everything (default 42)
        return "all"
    return None


def _unseeded_estimator(name: str, last: str, node: ast.Call, sklearn_like: bool) -> str | None:
    resolved = name.startswith(_RANDOM_STATE_LIBRARIES)
    if not (resolved or (name == last and sklearn_like and _BARE_NAME.fullmatch(last))):
        return None
    if keyword(node, "random_state") is not None or has_star_kwargs(node):
        return None
    if last == "train_test_split":
        shuffle = keyword(node, "shuffle")
        if shuffle is not None and not is_true(shuffle.value):
            return None
        return "`train_test_split(...)` without `random_state`: the split changes on every run"
    if last in _KFOLDS:
        shuffle = keyword(node, "shuffle")
        if shuffle is None or not is_true(shuffle.value) or len(node.args) >= 3:
            return None
        return f"`{last}(shuffle=True)` without `random_state`: the folds change on every run"
    if last == "LogisticRegression":
        solver = constant_str(getattr(keyword(node, "solver"), "value", None))
        if solver not in ("sag", "saga", "liblinear"):
            return None
        return f"`LogisticRegression(solver='{solver}')` without `random_state`"
    if last == "PCA":
        solver = constant_str(getattr(keyword(node, "svd_solver"), "value", None))
        if solver not in ("randomized", "arpack"):
            return None
        return f"`PCA(svd_solver='{solver}')` without `random_state`"
    if last in _HIST_GRADIENT_BOOSTING:
        # Random only with early stopping or feature subsampling: the default
        # `early_stopping='auto'` depends on the data's size, so only an explicit ask counts.
        early = keyword(node, "early_stopping")
        features = keyword(node, "max_features")
        if early is not None and is_true(early.value):
            return f"`{last}(early_stopping=True)` without `random_state`: the validation split changes on every run"
        if features is not None and not (
            isinstance(features.value, ast.Constant) and features.value.value in (1, 1.0)
        ):
            return f"`{last}(max_features=...)` without `random_state`: results change on every run"
        return None
    if last in _ALWAYS_RANDOM:
        return f"`{last}(...)` without `random_state`: results change on every run"
    return None


def _draw(
    name: str, last: str, node: ast.Call, modules: set[str], data_code: bool
) -> tuple[str, str] | None:
    if name.startswith("numpy.random.") and name.count(".") == 2:
        if last not in _NUMPY_NOT_DRAWS:
            return "numpy", f"`np.random.{last}(...)`"
        if last in ("default_rng", "RandomState") and not (node.args or node.keywords):
            return "numpy", f"`np.random.{last}()` with no seed"
        return None
    if name.startswith("torch."):
        if last in _TORCH_DRAWS and (
            name.count(".") == 1 or "torch.utils.data" in name or "torch.random" in name
        ):
            return "torch", f"`torch.{last}(...)`"
        if name.startswith("torch.nn.init."):
            return "torch", f"`torch.nn.init.{last}(...)`"
    if (
        last == "DataLoader"
        and is_true(getattr(keyword(node, "shuffle"), "value", None))
        and "torch" in modules
    ):
        return "torch", "`DataLoader(shuffle=True)`"
    if last == "backward" and "torch" in modules and not node.args:
        return "torch", "a torch training loop (`.backward()`; weights start random)"
    if name.startswith(("tensorflow.random.", "tf.random.")) and last not in (
        "set_seed",
        "Generator",
    ):
        return "tensorflow", f"`tf.random.{last}(...)`"
    if name.startswith("random.") and name.count(".") == 1 and last in _STDLIB_DRAWS and data_code:
        return "random", f"`random.{last}(...)`"
    return None


def _has_global_seed(facts: RandomnessFacts | None, library: str) -> bool:
    return facts is not None and bool({library, "all"} & facts.seeds)


#: Names of a configured seed: `seed`, `SEED`, `random_seed`, `manual_seed`...
_SEED_NAME = lazy_compile(r"(?:(?:random|global|rng|manual|train|training)_)?seed", re.IGNORECASE)
#: Config files that configure tools, not runs (their `seed` is not the project's).
_TOOL_CONFIG_NAME = lazy_compile(
    r"pyproject\.toml|[^/]*\.lock|package(?:-lock)?\.json|tsconfig[^/]*|\.pre-commit[^/]*"
    r"|docker-compose[^/]*|compose\.ya?ml|dvc\.lock|environment\.ya?ml|mkdocs\.ya?ml"
)
_CONFIG_FILE_ROLES = role.OWN_CODE
_MAX_CONFIG_BYTES = 256 * 1024


def _config_defines_seed(repo: Repo) -> bool:
    """Whether the project's configuration defines a seed: a config module assigns one
    (`cfg.seed = 472505`, `SEED = 42`, a settings field `seed: int = 0`, a `"seed"` key)
    or a YAML/TOML config file (JSON: one named like a config) has a `seed` key."""
    for entry in repo.of_kind(kinds.PYTHON, kinds.YAML, kinds.TOML, kinds.JSON):
        stem, _ = posixpath.splitext(entry.path)
        if (
            entry.size > _MAX_CONFIG_BYTES
            or repo.model.role(entry.path) not in _CONFIG_FILE_ROLES
            or kinds.is_test_path(entry.path)
            or _TOOL_CONFIG_NAME.fullmatch(posixpath.basename(entry.path).lower())
            # a module or a JSON file only where a config module would be (`configs/`,
            # `config.json`); JSON elsewhere is data, YAML and TOML anywhere are config
            or (entry.kind in (kinds.PYTHON, kinds.JSON) and not is_config_module(stem + ".py"))
        ):
            continue
        source = repo.source(entry.path)
        if source is None or b"seed" not in source.data.lower():
            continue
        if entry.kind == kinds.PYTHON:
            tree = source.python.tree if source.python is not None else None
            if tree is not None and _assigns_seed(tree):
                return True
            continue
        data = source.toml if entry.kind == kinds.TOML else source.yaml  # JSON is YAML
        if _has_seed_key(data):
            return True
    return False


def _assigns_seed(tree: ast.Module) -> bool:
    for node in walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        elif isinstance(node, ast.Dict):  # {"seed": 42}
            keys = [constant_str(key) for key in node.keys if key is not None]
            if any(key and _SEED_NAME.fullmatch(key) for key in keys):
                return True
        elif isinstance(node, ast.Call) and any(  # ConfigDict(seed=42)
            k.arg and _SEED_NAME.fullmatch(k.arg) for k in node.keywords
        ):
            return True
        for target in targets:
            name = (
                target.id
                if isinstance(target, ast.Name)
                else target.attr
                if isinstance(target, ast.Attribute)
                else constant_str(target.slice)
                if isinstance(target, ast.Subscript)
                else None
            )
            if name and _SEED_NAME.fullmatch(name):
                return True
    return False


def _has_seed_key(data: object, depth: int = 0) -> bool:
    if depth > 6:
        return False
    if isinstance(data, dict):
        return any(
            (isinstance(key, str) and _SEED_NAME.fullmatch(key.strip()) is not None)
            or _has_seed_key(value, depth + 1)
            for key, value in data.items()
        )
    if isinstance(data, list):
        return any(_has_seed_key(item, depth + 1) for item in data[:200])
    return False


class UnseededEstimator(RepoRule):
    """## What it does
    Reports random processes called without a seed: `train_test_split` without
    `random_state` (unless `shuffle=False`), `KFold`/`StratifiedKFold`/`GroupKFold`
    with `shuffle=True` and no `random_state`, and estimators and helpers that take a
    `random_state` but were not given one: `RandomForest*`, `ExtraTrees*`,
    `GradientBoosting*`, `IsolationForest`, `Bagging*`,
    `KMeans`, `GaussianMixture`, `MLP*`, `SGD*`, `TSNE`, `TruncatedSVD`,
    `PCA(svd_solver='randomized')`, `LogisticRegression(solver='saga'|'sag'|'liblinear')`,
    `ShuffleSplit`, `RandomizedSearchCV`, `make_classification` and the other
    generators, imbalanced-learn samplers, UMAP. `HistGradientBoosting*` only with
    `early_stopping=True` or `max_features`: its default (`early_stopping='auto'`) draws
    nothing below 10,000 samples, so whether it repeats depends on data the checker
    cannot see.

    Not reported in a library's examples, docs and benchmarks: a toy estimator fitted to
    illustrate the library is not a result anyone reproduces.

    Any explicit `random_state` counts (`random_state=SEED`, `random_state=cfg.seed`),
    as does `**params`. Not reported when numpy's global generator is seeded
    (`np.random.seed`, `seed_everything`, a `set_seed` helper): in the same notebook for a
    notebook, anywhere in the project's code for modules. XGBoost, LightGBM and CatBoost
    are not listed: their default seed is fixed, so they repeat without one.

    ## Why is this bad?
    Each run gets another split, other folds or another model; a metric that moves by a
    point between runs hides real regressions and makes experiments incomparable.

    ## Example
    ```python
    # src/churn/train.py
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import train_test_split

    df = pd.read_parquet("data/customers.parquet")
    X, y = df.drop(columns="churn"), df["churn"]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
    model = RandomForestClassifier(n_estimators=300).fit(X_train, y_train)
    ```

    ## Use instead
    ```python
    # src/churn/train.py
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import train_test_split

    from churn.config import cfg

    df = pd.read_parquet("data/customers.parquet")
    X, y = df.drop(columns="churn"), df["churn"]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=cfg.seed)
    model = RandomForestClassifier(n_estimators=300, random_state=cfg.seed).fit(X_train, y_train)
    ```
    """

    code = "TF1003"
    depends_on = ("@code",)
    name = "unseeded-estimator"
    factor = 10
    severity = Severity.WARNING
    summary = "Random split, fold or estimator with no random_state"
    fix = "Pass `random_state=` from one seed in the config (e.g. random_state=settings.seed)."
    facts = ("randomness",)

    def check(self, repo: Repo) -> Iterator[Violation]:
        facts = repo.facts("randomness")
        # A library's examples, docs and benchmarks show how to use it: a toy estimator
        # fitted for a plot is not the library's result to reproduce.
        reading = role.FOR_READING if repo.model.kind == project_kind.LIBRARY else frozenset()
        module_seeded = any(
            _has_global_seed(found, "numpy")
            for path, found in facts.items()
            if path.endswith(".py")
        )
        for path, found in sorted(facts.items()):
            if not found.unseeded or repo.model.role(path) in reading:
                continue
            if path.endswith(".ipynb") and _has_global_seed(found, "numpy"):
                continue
            if path.endswith(".py") and module_seeded:
                continue
            for where, message in found.unseeded:
                yield Violation(
                    message, path=path, line=where.line, cell=where.cell, cell_line=where.cell_line
                )


class UnseededRandomness(RepoRule):
    """## What it does
    Reports a library's randomness used with no seeding anywhere in the project:
    numpy (`np.random.rand`, `np.random.shuffle`, `np.random.default_rng()` with no
    seed), torch (`torch.rand*`, `randperm`, `random_split`, `nn.init.*`,
    `DataLoader(shuffle=True)`, a training loop's `.backward()`), TensorFlow
    (`tf.random.*`) and the `random` module in data code. One finding per library, at
    its first use. In a library (kind `library`), uses in its examples, docs, benchmarks
    and demo notebooks are not reported: they show how to use it. Benchmarks and load
    generators (`locustfile.py`) are never reported: they measure speed, their random
    traffic is no result. Nor is a draw formatted straight into a string
    (`f"{random.randrange(2**32)}_graph"`, `str(...)`): it names something.

    Seeding anywhere counts: `np.random.seed`, `np.random.default_rng(seed)`,
    `torch.manual_seed`, `random.seed`, `tf.random.set_seed`,
    `keras.utils.set_random_seed`, `seed_everything`, `set_seed` (or any helper named
    like one, defined or called), or transformers' `TrainingArguments` (which seeds).
    So does a `seed` defined by the project's configuration, for its modules: a config
    module (`cfg.seed = 472505` in `configs/default_config.py`, a `seed` field of a
    settings class in `config.py`) or a YAML/TOML config file (`seed: 3407`).

    ## Why is this bad?
    Without a seed, two runs of the same code on the same data give different models and
    metrics; a failing test or a surprising result cannot be reproduced to be debugged.

    ## Example
    ```python
    idx = np.random.permutation(len(df))
    weights = torch.randn(128, 10)
    ```

    ## Use instead
    Seed once, from the config, at the start of every entry point:
    ```python
    def seed_everything(seed: int) -> None:
        random.seed(seed)
        np.random.seed(seed)
        torch.manual_seed(seed)
    ```
    or pass explicit generators (`rng = np.random.default_rng(cfg.seed)`).
    """

    code = "TF1004"
    depends_on = ("@code", "@config")
    name = "unseeded-randomness"
    factor = 10
    severity = Severity.WARNING
    summary = "numpy/torch/TensorFlow/random used with no seeding anywhere"
    fix = "Seed the library once per entry point from a configured seed (e.g. a seed_everything(cfg.seed) helper)."
    facts = ("randomness",)

    def check(self, repo: Repo) -> Iterator[Violation]:
        facts = repo.facts("randomness")
        seeded: set[str] = set()
        for found in facts.values():
            seeded |= found.seeds
        if "all" in seeded:
            return
        config_seed: bool | None = None
        # A library's examples, docs and demo notebooks show how to use it: their
        # augmentation or toy data is not the library's results to reproduce. A benchmark
        # or load generator (`locustfile.py`) measures speed: its random traffic is no result.
        reading = (
            role.FOR_READING
            if repo.model.kind == project_kind.LIBRARY
            else frozenset({role.BENCHMARK})
        )
        for library in LIBRARIES:
            if library in seeded:
                continue
            uses = sorted(
                (path, where, what)
                for path, found in facts.items()
                for lib, where, what in found.draws
                if lib == library and repo.model.role(path) not in reading
            )
            if any(path.endswith(".py") for path, _, _ in uses):
                if config_seed is None:
                    config_seed = _config_defines_seed(repo)
                if config_seed:  # modules seed from the configured seed
                    uses = [use for use in uses if not use[0].endswith(".py")]
            if not uses:
                continue
            path, where, what = uses[0]
            files = len({use[0] for use in uses})
            others = (
                f" (and in {files - 1} other file{'s' if files > 2 else ''})" if files > 1 else ""
            )
            yield Violation(
                f"{what} uses {_LIBRARY_LABEL[library]}'s randomness{others}, and nothing in the project seeds it",
                path=path,
                line=where.line,
                cell=where.cell,
                cell_line=where.cell_line,
                fix=f"Seed it once per entry point from the config: {_SEED_HINT[library]}.",
            )
