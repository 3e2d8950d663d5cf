"""What a repository's CI runs, read as data: the CI configuration files of each
provider (YAML through the shared safe loader, a Jenkinsfile as text), the commands
they run, followed through the repository's Makefile, tox and nox configuration and
scripts, and Google Cloud Build files kept under any name.

Shared by the rules of factor 8 (CI runs the tests, installs from the lock, gates lint)
and of factor 10 (tests CI passes to pytest by path): one reading, so they agree.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from twelvefold import kinds
from twelvefold.detectors.ci_files import CI_PART_DIRS, ci_provider
from twelvefold.lazy_regex import lazy_compile
from twelvefold.repo import Repo

#: A command that runs a Python test suite.
_TEST_COMMAND = lazy_compile(
    r"(?:^|[\s;&|(\"'=/])(?:py\.?test|pytest-\S+|nose2?|ward|behave|green)(?:$|[\s;&|)\"'])"
    r"|-m\s+(?:pytest|unittest|nose2?|doctest)\b"
    r"|\bunittest\s+discover\b"
    r"|\bmanage\.py\s+test\b"
    r"|\bcoverage\s+run\b"
    r"|\bsetup\.py\s+test\b"
)
#: Task runners and their "run a target" forms; the target's name says what it does.
_TASK_RUNNER = lazy_compile(
    r"(?:^|[\s;&|(])(?:make|gmake|just|task|invoke|inv|poe|doit|hatch\s+run|hatch|pdm\s+run|pdm|poetry\s+run|"
    r"pixi\s+run|rye\s+run|rye|npm\s+run|npm|yarn|pnpm|nox\s+-s|nox\s+--session|mise\s+run)"
    # options before the target: `-e`/`--environment` with its value (`pixi run -e py312
    # tests`), a flag with a CI expression for a value (`-e ${{ matrix.env }}`), a flag
    # with none
    r"\s+(?:-\S+\s+\$\{\{[^}]*\}\}\s+|(?:-e|--environment)\s+\S+\s+|-\S+\s+)*([\w:.\-]+)"
)
_TESTISH_TARGET = lazy_compile(r"(?:^|[-_:.])(?:tests?|unittests?|pytest)(?:$|[-_:.])|^test")
_MAKE = lazy_compile(r"(?:^|[\s;&|(])(?:make|gmake|\$\(MAKE\)|\$\{MAKE\})((?:\s+[^\s;&|)]+)*)")
_TOX = lazy_compile(r"(?:^|[\s;&|(/])tox(?:$|[\s;&|)])")
_NOX = lazy_compile(r"(?:^|[\s;&|(/])nox(?:$|[\s;&|)])")
#: An invoke task run by name: `invoke checks`, `poetry run inv checks.all`.
_INVOKE = lazy_compile(r"(?:^|[\s;&|(])(?:invoke|inv)\s+(?:-\S+\s+)*([A-Za-z_][\w.\-]*)")
#: Where a task's body ends in a `tasks.py`: the next decorator or top-level definition.
_NEXT_TOP_LEVEL = lazy_compile(r"^(?:@|def |class |async def )", re.MULTILINE)
#: A script of the repository run by the CI: `bash ci/test.sh`, `./run_tests.sh`, `python scripts/ci.py`.
_SCRIPT = lazy_compile(
    r"(?:^|[\s;&|(])(?:(?:ba|z)?sh\s+|python3?\s+|source\s+|\.\s+)?(\.{0,2}/?[\w./\-]+\.(?:sh|bash|py|ps1))\b"
)
#: A repository file with no extension run as the command (`script/test`, a Python or
#: shell script with a shebang, in the "scripts to rule them all" layout).
_EXECUTED_FILE = lazy_compile(r"(?:\./)?([\w\-]+(?:/[\w\-]+)+)(?:\s|$)")
#: A test module run as a script (`python backend/test_routing.py`): a plain-script test
#: suite that exits non-zero when a check fails.
#: A shell loop over the test modules (ChatTTS' `tests/testall.sh`: `for file in
#: tests/*.py` then `python "$file"`).
_TEST_FILES_LOOP = lazy_compile(r"for\s+\w+\s+in\s+[\w./-]*\btests?/[\w*./-]*\.py\b")
_PYTHON_RUNS_FILE = lazy_compile(
    r"(?:^|[\s;&|(])(?:uv\s+run\s+|poetry\s+run\s+)?python(?:3(?:\.\d+)?)?\s+(?:-[uWXBO]\S*\s+)*([\w./\-]+\.py)\b"
)


#: Work delegated to containers or remote services that we cannot follow.
_OPAQUE = lazy_compile(
    r"(?:^|[\s;&|(])(?:docker|docker-compose|podman|bazel|pants|earthly|dagger|sbatch|ssh)(?:$|[\s;&|)-])"
)

#: A whole CI line that only builds an image: its Dockerfile's RUN steps can be followed.
_DOCKER_BUILD = lazy_compile(r"^(?:docker|podman)\s+(?:buildx\s+)?build\s+([^;&|`$()]*)$")
#: `docker build` options that take a value (the build context is the one bare word).
_DOCKER_BUILD_VALUE_OPTIONS = frozenset(
    [
        "-t",
        "--tag",
        "-f",
        "--file",
        "--build-arg",
        "--target",
        "--platform",
        "--label",
        "--secret",
        "--ssh",
        "--cache-from",
        "--cache-to",
        "--network",
        "--progress",
        "-o",
        "--output",
        "--iidfile",
        "--build-context",
    ]
)

PIP_INSTALL = lazy_compile(
    r"(?:^|[\s;&|(])(?:(?:python3?(?:\.\d+)?|py)\s+-m\s+)?(uv\s+pip|pip3?)\s+install\b([^;&|\n]*)"
)
UV_SYNC_OR_RUN = lazy_compile(r"(?:^|[\s;&|(])uv\s+(sync|run)\b([^;&|\n]*)")


@dataclass
class CiConfig:
    """One CI configuration file as the rules use it."""

    path: str
    provider: str
    #: Shell commands and other string values, as written (YAML leaves or Groovy lines).
    commands: list[str] = field(default_factory=list)
    #: Keys of the YAML document (env variable names live here).
    keys: set[str] = field(default_factory=set)
    lines: list[str] = field(default_factory=list)
    #: The events that start a GitHub Actions workflow (`on:`); empty when unknown.
    triggers: frozenset[str] = frozenset()

    @property
    def scheduled_only(self) -> bool:
        """A workflow no change to the code starts: only a timer, a person or the
        repository's housekeeping (`schedule`, `workflow_dispatch`, `issues`): a
        scheduled job (a nightly pipeline run) or an automation (issue triage), not CI
        checking changes."""
        return bool(self.triggers) and self.triggers <= _NOT_CHANGE_EVENTS


#: Events that start a workflow with no change to the code or its deployment: a timer,
#: a person, and the repository's housekeeping (issues, labels, discussions, stars).
#: A deploy started by a webhook (`repository_dispatch`) or a release is not one of them.
_NOT_CHANGE_EVENTS = frozenset(
    {
        "schedule",
        "workflow_dispatch",
        # Runs on the base branch for a pull request, with secrets: labellers and bots
        # that file tickets, never the pull request's code (GitHub's security guidance).
        "pull_request_target",
        "issues",
        "issue_comment",
        "label",
        "milestone",
        "project",
        "project_card",
        "project_column",
        "discussion",
        "discussion_comment",
        "watch",
        "fork",
        "gollum",
        "pull_request_review",
        "pull_request_review_comment",
    }
)


def _triggers(data: Any) -> frozenset[str]:
    # PyYAML reads the key `on` as the boolean True (YAML 1.1).
    events = data.get("on", data.get(True)) if isinstance(data, dict) else None
    if isinstance(events, str):
        return frozenset({events})
    if isinstance(events, (list, dict)):  # `[push, schedule]` or `{push: ..., schedule: ...}`
        return frozenset(str(event) for event in events)
    return frozenset()


def ci_files(repo: Repo) -> list[tuple[str, str]]:
    """(path, provider) of the CI configuration files of the repository."""
    found: list[tuple[str, str]] = []
    for entry in repo.files:
        provider = ci_provider(entry.path)
        if provider is not None:
            found.append((entry.path, provider))
    return found


def _ci_part_files(repo: Repo) -> list[str]:
    return [
        entry.path
        for entry in repo.files
        if entry.path.startswith(CI_PART_DIRS) and entry.path.endswith((".yml", ".yaml"))
    ]


def load_ci(repo: Repo, path: str, provider: str) -> CiConfig | None:
    source = repo.source(path)
    if source is None or source.text is None:
        return None
    config = CiConfig(path, provider, lines=source.lines)
    if source.kind == kinds.YAML:
        data = source.yaml  # malformed YAML leaves a diagnostic and None
        if data is None:
            config.commands = [line for line in source.lines if not line.lstrip().startswith("#")]
        else:
            _collect(data, config)
            if provider == "GitHub Actions":
                config.triggers = _triggers(data)
            if provider == "Drone":
                _drone_commands(source.text, data, config)
    else:  # Jenkinsfile: Groovy, read as text without comments
        config.commands = [line for line in source.lines if not line.lstrip().startswith("//")]
    return config


def _drone_commands(text: str, first: Any, config: CiConfig) -> None:
    """Drone's file is a stream (secrets, then one document per pipeline): what runs is
    each step's `commands`, not every value (`type: docker` names the runner)."""
    documents = [first]
    if "\n---" in text:
        from twelvefold.sources import load_yaml_documents

        documents = load_yaml_documents(text, lambda _message: None) or [first]
    config.commands = [
        command
        for document in documents
        if isinstance(document, dict) and isinstance(document.get("steps"), list)
        for step in document["steps"]
        if isinstance(step, dict) and isinstance(step.get("commands"), list)
        for command in step["commands"]
        if isinstance(command, str)
    ]
    for document in documents[1:]:
        scratch = CiConfig(config.path, config.provider)
        _collect(document, scratch)
        config.keys |= scratch.keys  # the later pipelines' keys (`working-directory`...)


def _collect(data: Any, config: CiConfig, depth: int = 0) -> None:
    if depth > 50:
        return
    if isinstance(data, dict):
        for key, value in data.items():
            config.keys.add(str(key))
            _collect(value, config, depth + 1)
    elif isinstance(data, list):
        for item in data:
            _collect(item, config, depth + 1)
    elif isinstance(data, str):
        config.commands.append(data)


def load_all_ci(repo: Repo) -> list[CiConfig]:
    """Every CI configuration of the repository, read once per repository (several rules
    of factors 8 and 10 ask); callers must not change the list."""
    return repo.derived(_load_all_ci)


def _load_all_ci(repo: Repo) -> list[CiConfig]:
    configs = [
        c for path, provider in ci_files(repo) if (c := load_ci(repo, path, provider)) is not None
    ]
    if configs:
        for path in _ci_part_files(repo):
            part = load_ci(repo, path, "shared CI configuration")
            if part is not None:
                configs.append(part)
    return configs


def command_line(config: CiConfig, fragment: str) -> int | None:
    """The line of the CI file where a command (or its first line) is written."""
    needle = fragment.strip().splitlines()[0].strip() if fragment.strip() else ""
    if not needle:
        return None
    for number, line in enumerate(config.lines, start=1):
        if needle in line:
            return number
    return None


def shell_lines(commands: list[str]) -> Iterator[str]:
    for command in commands:
        # Backslash continuations and YAML folded blocks become one logical line.
        yield from command.replace("\\\n", " ").splitlines()


# ----------------------------------------------------------------------------- test runs


class TestRunSearch:
    """Does a set of commands run the tests? Follows make/tox/nox/scripts in the repo."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo
        self.unresolved: list[str] = []
        self._seen: set[str] = set()
        self._makefile: dict[str, list[str]] | None = None

    def runs_tests(self, lines: Iterator[str] | list[str], depth: int = 0) -> bool:
        return any(self._line_runs_tests(line.strip(), depth) for line in lines if line.strip())

    def _runs_directly(self, line: str) -> bool:
        return bool(_TEST_COMMAND.search(line))

    def _text_runs_directly(self, text: str) -> bool:
        return bool(_TEST_COMMAND.search(text))

    def _wanted_target(self, name: str) -> bool:
        return bool(_TESTISH_TARGET.match(name))

    def _line_runs_tests(self, line: str, depth: int) -> bool:
        if line.startswith("#"):
            return False
        if self._runs_directly(line):
            return True
        if any(
            kinds.is_test_path(posixpath.basename(path)) for path in _PYTHON_RUNS_FILE.findall(line)
        ):
            return True
        if _TEST_FILES_LOOP.match(line):
            return True  # `for file in tests/*.py` then `python "$file"`: each test run
        for match in _TASK_RUNNER.finditer(line):
            if self._wanted_target(match.group(1).lower()):
                return True
        if depth > 4:
            self.unresolved.append(line)
            return False
        found = False
        make = _MAKE.search(line)
        if make is not None:
            found = found or self._make(make.group(1), depth)
        if _TOX.search(line):
            found = found or self._config_text_runs_tests(("tox.ini", "tox.toml"), "tox", depth)
        if _NOX.search(line):
            found = found or self._config_text_runs_tests(("noxfile.py",), "nox", depth)
        for task in _INVOKE.findall(line):
            found = found or self._invoke(task)
        for script in _SCRIPT.findall(line):
            found = found or self._script(script, depth)
        executed = _EXECUTED_FILE.match(line)
        if not found and executed is not None and self.repo.has(executed.group(1)):
            found = self._script(executed.group(1), depth)
        build = _DOCKER_BUILD.match(line)
        if build is not None:
            in_image = self._docker_build(build.group(1), depth)
            if in_image is not None:
                return found or in_image
        if _OPAQUE.search(line):
            self.unresolved.append(line)
        return found

    def _docker_build(self, arguments: str, depth: int) -> bool | None:
        """Do the RUN steps of the Dockerfile `docker build` uses run the tests?

        None when that Dockerfile is not in the repository (it cannot be followed)."""
        from twelvefold.detectors import dockerfile

        words = command_words(arguments)
        context, file, index = None, None, 0
        while index < len(words):
            word = words[index]
            name, _, value = word.partition("=")
            if name in ("-f", "--file"):
                file = value or (words[index + 1] if index + 1 < len(words) else None)
            if word in _DOCKER_BUILD_VALUE_OPTIONS:
                index += 1
            elif not word.startswith("-"):
                context = word
            index += 1
        if context is None or "://" in context or context == "-":
            return None
        path = file if file is not None else posixpath.join(context, "Dockerfile")
        path = posixpath.normpath(path)
        if path.startswith(("../", "/")):
            return None
        source = self.repo.source(path) if self.repo.has(path) else None
        if source is None or source.text is None:
            return None
        steps = [
            instruction.shell_text
            for instruction in dockerfile.parse(source.text).instructions
            if instruction.keyword == "RUN"
        ]
        return self.runs_tests(steps, depth + 1)

    def _config_text_runs_tests(self, names: tuple[str, ...], tool: str, depth: int) -> bool:
        for name in names:
            source = self.repo.source(name)
            if source is not None and source.text is not None:
                return self._text_runs_directly(source.text)
        if tool == "tox":
            for name, section in (("pyproject.toml", "[tool.tox"), ("setup.cfg", "[tox:tox]")):
                source = self.repo.source(name)
                if source is not None and source.text is not None and section in source.text:
                    return self._text_runs_directly(source.text)
        self.unresolved.append(tool)
        return False

    def _invoke(self, task: str) -> bool:
        """Does an invoke task run the tests? `invoke checks` runs the default task of
        the `checks` collection (`tasks/checks.py`: read whole, its tasks chain each
        other with `pre=[...]`); `invoke test` runs `def test` of a `tasks.py`."""
        collection, _, name = task.partition(".")
        source = self.repo.source(f"tasks/{collection}.py")
        if source is not None and source.text is not None:
            return self._text_runs_directly(source.text)
        source = self.repo.source("tasks.py")
        if source is None or source.text is None:
            if self.repo.has("tasks/__init__.py"):
                self.unresolved.append("invoke")  # a collection defined where we do not look
            return False  # no tasks of invoke's: another `invoke` (`aws lambda invoke ...`)
        function = re.search(
            rf"^def {re.escape((name or collection).replace('-', '_'))}\(", source.text, re.M
        )
        if function is None:
            return False
        end = _NEXT_TOP_LEVEL.search(source.text, function.end())
        body = source.text[function.end() : end.start() if end else len(source.text)]
        return self._text_runs_directly(body)

    def _script(self, script: str, depth: int) -> bool:
        path = posixpath.normpath(script.lstrip("./")) if not script.startswith("../") else script
        if path in self._seen:
            return False
        self._seen.add(path)
        source = self.repo.source(path) if self.repo.has(path) else None
        if source is None or source.text is None:
            # `python -m build`-like words are not scripts; only unknown script paths are opaque.
            self.unresolved.append(script)
            return False
        return self.runs_tests(source.text.splitlines(), depth + 1)

    def _make(self, arguments: str, depth: int) -> bool:
        targets = self.makefile()
        if targets is None:
            self.unresolved.append("make")
            return False
        words = [w for w in arguments.split() if not w.startswith("-") and "=" not in w]
        wanted = words or list(targets)[:1]  # `make` alone builds the first target
        for target in wanted:
            if target in self._seen:
                continue
            self._seen.add(target)
            if target not in targets:
                self.unresolved.append(f"make {target}")
                continue
            recipe = targets[target]
            if self.runs_tests(recipe, depth + 1):
                return True
        return False

    def makefile(self) -> dict[str, list[str]] | None:
        """Target -> recipe lines and prerequisite `make` calls, from the root Makefile."""
        if self._makefile is not None:
            return self._makefile
        source = next(
            (s for n in ("Makefile", "makefile", "GNUmakefile") if (s := self.repo.source(n))), None
        )
        if source is None or source.text is None:
            return None
        targets: dict[str, list[str]] = {}
        current: list[str] | None = None
        for line in source.text.splitlines():
            if line.startswith("\t"):
                if current is not None:
                    current.append(line.strip().lstrip("@-+"))
                continue
            rule = re.match(r"^([\w.\-/ ]+?)\s*::?(?!=)\s*(.*)$", line)
            if rule is None:
                if line.strip() and not line.startswith(("#", " ")):
                    current = None
                continue
            prerequisites = [
                p for p in rule.group(2).split(";")[0].split() if not p.startswith("$")
            ]
            recipe = [f"make {p}" for p in prerequisites]
            inline = rule.group(2).split(";", 1)
            if len(inline) == 2:
                recipe.append(inline[1])
            for name in rule.group(1).split():
                if name != ".PHONY":
                    targets.setdefault(name, []).extend(recipe)
                    current = targets[name]
        self._makefile = targets
        return targets


#: A linter or formatter run as a check: `ruff`, `flake8`, `pylint`, `mypy`, `black --check`,
#: `isort --check-only`, `pre-commit run` (one command of a line split at `&&`, `;`, `|`).
_LINT_TOOL = lazy_compile(
    r"(?:^|[\s/=\"'])(?:ruff|flake8|pylint|mypy|(?P<check>black|isort)|(?P<hooks>pre-commit|prek))"
    r"(?:$|\s)(?P<rest>.*)"
)
_LINT_CHECK_FLAG = lazy_compile(r"(?:^|\s)--(?:check|check-only|diff)\b")
_INSTALL = lazy_compile(r"(?:^|\s)(?:install|add|uninstall|remove)(?:\s|$)")
#: An action a workflow uses (`uses: astral-sh/ruff-action@v3`): owner/name before the `@`.
_ACTION = lazy_compile(r"^\s*(?:-\s*)?(?:uses:\s*)?([\w.-]+/[\w.-]+)(?:/[\w./-]*)?@\S+\s*$")
#: Words of an action's owner/name that say it lints or formats Python.
_LINT_ACTION_WORDS = frozenset(
    {"ruff", "black", "flake8", "pylint", "isort", "lint", "linter", "pre-commit"}
)
#: Actions that format the code and commit the fixes to the pull request themselves: CI
#: never fails on style, like `black .` without `--check`, so they gate nothing.
_AUTOFIX_ACTIONS = frozenset({"ultralytics/actions"})


def _runs_lint_inline(line: str) -> bool:
    """A lint action, or a linter or formatter check run by this very command (not
    through a task of the repository: make, tox, nox, a script)."""
    action = _ACTION.match(line)
    if action is not None:
        name = action.group(1).lower()
        if name in _AUTOFIX_ACTIONS:
            return False
        words = set(re.split(r"[/_.-]", name)) | set(re.split(r"[/_.]", name))
        return bool(words & _LINT_ACTION_WORDS)
    for command in re.split(r"&&|\|\||[;|]", line):
        if _INSTALL.search(command):
            continue  # `pip install ruff` installs the tool; running it is what counts
        match = _LINT_TOOL.search(command)
        if match is None:
            continue
        rest = match.group("rest")
        if match.group("check") and not _LINT_CHECK_FLAG.search(rest):
            continue  # `black .` rewrites the files and passes: not a gate
        if match.group("hooks") and not re.match(r"\s*run\b", rest):
            continue
        return True
    return False


def local_lint_task(repo: Repo) -> str | None:
    """A target of the root Makefile that runs a linter or formatter (`quality: black
    --check . && flake8`, `lint: ruff check .`), or None: the local command developers
    run the same checks with."""
    targets = TestRunSearch(repo).makefile()
    for name, recipe in (targets or {}).items():
        if any(_LINT_TOOL.search(line) and not _INSTALL.search(line) for line in recipe):
            return f"make {name}"
    return None


def ci_inline_lint(repo: Repo) -> str | None:
    """The first CI configuration whose own commands run a linter or formatter check
    (`flake8 src`, `ruff check .`, `black --check`, a lint action), or None. A check CI
    reaches through a task of the repository (`make lint`, `tox -e lint`, a script) is
    not: developers run that same task locally, so local and CI checks cannot differ."""
    for config in load_all_ci(repo):
        for raw in shell_lines(config.commands):
            line = raw.strip()
            if line and not line.startswith("#") and _runs_lint_inline(line):
                return config.path
    return None


#: A Python file run as a script: `python scripts/checks.py`, `python3 -u ./x.py`,
#: `uv run python x.py` (not `python -m module`, whose argument names no file).
_PYTHON_SCRIPT = lazy_compile(
    r"(?:^|[\s;&|(])python(?:3(?:\.\d+)?)?\s+(?:-[A-Za-z]+\s+)*((?:\.{0,2}/)?[\w./\-]+\.py)(?:$|[\s;&|)])"
)


def ci_python_scripts(repo: Repo) -> set[str]:
    """The repository's Python files that a CI configuration runs as scripts by path."""
    found: set[str] = set()
    for config in load_all_ci(repo):
        for line in shell_lines(config.commands):
            for match in _PYTHON_SCRIPT.finditer(line):
                path = posixpath.normpath(match.group(1))
                if repo.has(path):
                    found.add(path)
    return found


def has_test_files(repo: Repo, *, generated: bool = True, scripts: bool = False) -> bool:
    """Python test modules: `test_*.py`, `*_test.py`, or `.py` files in a tests folder,
    but for command line scripts holding no test (RouteLLM's `tests/test_*.py` of argparse
    scripts calling paid APIs, and scripts that check nothing; counted with
    `scripts=True`). `generated=False`:
    not those of the projects a template generates (`{{cookiecutter.name}}/tests/`),
    which run in the generated project."""
    for entry in repo.files:
        # Every way to qualify spells "test" in the path: most paths fail this cheap test.
        if entry.kind != kinds.PYTHON or "test" not in entry.path:
            continue
        if not generated and "{{" in entry.path:
            continue
        name = posixpath.basename(entry.path)
        parts = entry.path.split("/")[:-1]
        in_tests = any(part in ("tests", "test") for part in parts)
        if (
            name.startswith("test_")
            or name.endswith("_test.py")
            or (in_tests and name not in ("__init__.py", "conftest.py"))
        ) and (scripts or _holds_a_test(repo, entry.path, in_tests)):
            return True
    return False


#: What a test module holds: a test function or class, or a test framework.
_A_TEST = lazy_compile(
    r"^[ \t]*(?:async[ \t]+)?def[ \t]+test|^[ \t]*class[ \t]+Test|unittest|pytest", re.M
)


def _holds_a_test(repo: Repo, path: str, in_tests: bool) -> bool:
    """Not a command line script with no test in it (RouteLLM's `test_openai_server.py`:
    argparse options for a router and a model, calls to a paid API). A script without
    options that exits non-zero on a failure (localGPT's route check) is a test."""
    source = repo.source(path)
    # An unreadable file gets the benefit of the doubt: its name says it is a test.
    if source is None or source.text is None or _A_TEST.search(source.text) is not None:
        return True
    if "argparse" in source.text:
        return False
    # Outside a tests folder, a script that checks nothing (feast-workshop's
    # `client/test_fetch.py`: fetch features, print them) is a client run by hand,
    # whatever its name; in one, a script that runs without crashing is a smoke test.
    return in_tests or _FAILS_ON_A_CHECK.search(source.text) is not None


#: How a script with no test function fails: an `assert`, an exit status, an exception.
_FAILS_ON_A_CHECK = lazy_compile(r"^[ \t]*assert\b|\bexit\(|\braise\b", re.M)


# ----------------------------------------------------------------------------- rules

#: A top-level `steps:` key, and what a Cloud Build step has besides its image.
_CLOUD_BUILD_TEXT = lazy_compile(r"^steps[ \t]*:", re.MULTILINE)
_CLOUD_BUILD_STEP_TEXT = lazy_compile(r"cloud-builders|cloudsdktool|\b(?:entrypoint|args)[ \t]*:")
#: Google's builder images: `gcr.io/cloud-builders/docker`, `gcr.io/google.com/cloudsdktool/...`.
_CLOUD_BUILDERS = ("gcr.io/cloud-builders/", "gcr.io/google.com/cloudsdktool/")


def _is_cloud_build(data: Any) -> bool:
    """A Cloud Build configuration: a top-level `steps` list whose every item names an
    image (`name`), each with `args` or an `entrypoint`, or one from Google's builders."""
    steps = data.get("steps") if isinstance(data, dict) else None
    if not isinstance(steps, list) or not steps:
        return False
    if not all(isinstance(step, dict) and isinstance(step.get("name"), str) for step in steps):
        return False
    if any(step["name"].startswith(_CLOUD_BUILDERS) for step in steps):
        return True
    return all(
        " " not in step["name"].strip()
        and (isinstance(step.get("args"), list) or isinstance(step.get("entrypoint"), str))
        for step in steps
    )


def cloud_build_files(repo: Repo) -> list[str]:
    """YAML files outside tests that are Cloud Build configurations kept under another name
    than `cloudbuild.yaml` (`build/pipeline-deployment.yaml`), run by a build trigger."""
    found: list[str] = []
    for entry in repo.of_kind(kinds.YAML):
        if kinds.is_test_path(entry.path):
            continue
        source = repo.source(entry.path)
        if source is None or source.text is None:
            continue
        if (
            _CLOUD_BUILD_TEXT.search(source.text)
            and _CLOUD_BUILD_STEP_TEXT.search(source.text)
            and _is_cloud_build(source.yaml)
        ):
            found.append(entry.path)
    return found


#: Top-level keys of an Azure Pipelines file: what starts it, and what it runs.
_AZURE_TRIGGER_TEXT = lazy_compile(r"^(?:trigger|pr|schedules)[ \t]*:", re.MULTILINE)
_AZURE_WORK_TEXT = lazy_compile(r"^(?:jobs|steps|stages)[ \t]*:", re.MULTILINE)


def azure_pipeline_files(repo: Repo) -> list[str]:
    """YAML files that are Azure Pipelines kept outside the conventional paths
    (`tests/ci/cpu_unit_tests_linux.yml`: Azure DevOps runs a pipeline from any path):
    a top-level `trigger`, `pr` or `schedules` and top-level `jobs`, `steps` or `stages`."""
    found: list[str] = []
    for entry in repo.of_kind(kinds.YAML):
        source = repo.source(entry.path)
        if source is None or source.text is None:
            continue
        if not (_AZURE_TRIGGER_TEXT.search(source.text) and _AZURE_WORK_TEXT.search(source.text)):
            continue
        data = source.yaml
        if isinstance(data, dict) and (
            {"trigger", "pr", "schedules"} & data.keys()
            and {"jobs", "steps", "stages"} & data.keys()
        ):
            found.append(entry.path)
    return found


#: What makes shlex split otherwise than `str.split`: a quote, an escape, a comment, or
#: whitespace shlex does not split on.
_SHELL_SYNTAX = lazy_compile(r"['\"\\#]|[^\S \t\r\n]")


def command_words(arguments: str) -> list[str]:
    if _SHELL_SYNTAX.search(arguments) is None:
        return arguments.split()  # what shlex gives, without its per-character loop
    try:
        return shlex.split(arguments, comments=True)
    except ValueError:
        return arguments.split()
