"""Factor 2 - Dependencies: declared, pinned, isolated."""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator

from twelvefold import kinds
from twelvefold.manifests import (
    LOCK_FILES,
    MANIFEST_NAMES,
    Requirement,
    dependency_line,
    find_line,
    normalise,
    parse_requirement,
    parse_requirements,
    poetry_dependencies,
    pyproject_all_dependencies,
    pyproject_dependencies,
)
from twelvefold.model import Severity, Violation
from twelvefold.repo import Repo
from twelvefold.rule import FileRule, RepoRule
from twelvefold.sources import SourceFile


class NoDependencyManifest(RepoRule):
    """## What it does
    Reports a repository with Python code but no dependency manifest: no
    `pyproject.toml`, `requirements*.txt`, `setup.py`/`setup.cfg`, `Pipfile` or conda
    `environment.yml` anywhere in the tree.

    ## Why is this bad?
    Without a manifest nobody can rebuild the environment the code ran in: a new
    colleague, the CI runner and the production image each install whatever they guess,
    and a model trained last month cannot be retrained the same way.

    ## Example
    A repository holding `train.py` and `notebooks/eda.ipynb`, nothing else.

    ## Use instead
    Declare the dependencies in `pyproject.toml` and lock them:
    ```toml
    [project]
    name = "churn-model"
    requires-python = ">=3.11"
    dependencies = ["pandas>=2.2", "scikit-learn>=1.5"]
    ```
    then `uv lock` (or `pip-compile`) and commit the lock file.
    """

    code = "TF201"
    name = "no-dependency-manifest"
    factor = 2
    severity = Severity.ERROR
    summary = "Python code with no dependency manifest"
    fix = "Declare dependencies in pyproject.toml (or requirements.txt) and commit a lock file."

    def applies(self, repo: Repo) -> bool:
        return repo.has_python

    def check(self, repo: Repo) -> Iterator[Violation]:
        if repo.named(*MANIFEST_NAMES) or repo.of_kind(kinds.REQUIREMENTS):
            return
        yield Violation("the repository has Python code but no dependency manifest")


def _has_lock_near(repo: Repo, directory: str) -> bool:
    """A lock file in `directory` or any folder above it, up to the root."""
    while True:
        for name in LOCK_FILES:
            if repo.has(posixpath.join(directory, name) if directory else name):
                return True
        if not directory:
            return False
        directory = posixpath.dirname(directory)


def _fully_pinned_requirements_near(repo: Repo, directory: str, skip: str) -> bool:
    """A sibling requirements file that pins everything (pip-compile output)."""
    for entry in repo.of_kind(kinds.REQUIREMENTS):
        if entry.path == skip or posixpath.dirname(entry.path) != directory:
            continue
        if not entry.path.endswith(".txt"):
            continue
        source = repo.source(entry.path)
        if source is None or source.text is None:
            continue
        requirements, _, hashed = parse_requirements(source.text)
        if requirements and (hashed or all(r.pinned for r in requirements)):
            return True
    return False


class UnpinnedDependency(RepoRule):
    """## What it does
    Reports requirements with no version or an open range (`pandas`, `numpy>=1.24`,
    `torch~=2.3`) when no lock file pins them. A range is fine in `pyproject.toml` or a
    `requirements.in` when a lock beside it pins the exact versions: `uv.lock`,
    `poetry.lock`, `pdm.lock`, `Pipfile.lock`, `conda-lock.yml`, `pylock.toml`, or a
    fully pinned `requirements.txt` compiled from it.

    In a `requirements*.txt` each unpinned line is reported; for a `pyproject.toml` or a
    Poetry project, one finding lists the unpinned requirements, since the fix is one
    lock file.

    ## Why is this bad?
    Two installs a week apart get different versions. A model's metrics change, a
    pipeline breaks in production after a release of a transitive dependency, and
    nobody can tell which versions trained the model that is serving.

    ## Example
    ```text
    # requirements.txt
    pandas
    scikit-learn>=1.3
    ```

    ## Use instead
    ```text
    pandas==2.2.3
    scikit-learn==1.5.2
    ```
    or keep ranges in `pyproject.toml` and commit the lock file `uv lock` writes.
    """

    code = "TF202"
    name = "unpinned-dependency"
    factor = 2
    severity = Severity.WARNING
    summary = "Requirement with no version or an open range, and no lock file"
    fix = "Pin it with == (pip-compile / uv pip compile) or commit a lock file (uv lock, poetry lock)."
    requires = ("TF201",)

    def check(self, repo: Repo) -> Iterator[Violation]:
        for entry in repo.of_kind(kinds.REQUIREMENTS):
            yield from self._requirements_file(repo, entry.path)
        for entry in repo.named("pyproject.toml"):
            yield from self._pyproject(repo, entry.path)
        for entry in repo.named("environment.yml", "environment.yaml"):
            yield from self._conda(repo, entry.path)

    def _requirements_file(self, repo: Repo, path: str) -> Iterator[Violation]:
        directory = posixpath.dirname(path)
        if _has_lock_near(repo, directory):
            return
        if path.endswith(".in") and repo.has(path[:-3] + ".txt"):
            return  # pip-compile input: the .txt beside it is the lock
        source = repo.source(path)
        if source is None or source.text is None:
            return
        requirements, includes, hashed = parse_requirements(source.text)
        if hashed:
            return
        constraints = self._constraints(repo, directory, includes)
        for requirement in requirements:
            if requirement.pinned or requirement.name in constraints:
                continue
            yield Violation(
                f"`{requirement.text}` is not pinned ({requirement.why_unpinned}) and no lock file pins it",
                line=requirement.line,
                path=path,
                fix=f"Pin it (`{requirement.name}==<version>`), or compile this file into a lock with `uv pip compile`.",
            )

    def _constraints(self, repo: Repo, directory: str, includes: list[str]) -> set[str]:
        pinned: set[str] = set()
        for include in includes:
            source = repo.source(posixpath.normpath(posixpath.join(directory, include)))
            if source is not None and source.text is not None:
                requirements, _, hashed = parse_requirements(source.text)
                pinned |= {r.name for r in requirements if r.pinned or hashed}
        return pinned

    def _pyproject(self, repo: Repo, path: str) -> Iterator[Violation]:
        directory = posixpath.dirname(path)
        source = repo.source(path)
        if source is None or source.toml is None:
            return
        if _has_lock_near(repo, directory) or _fully_pinned_requirements_near(repo, directory, ""):
            return
        unpinned: list[Requirement] = []
        for text in pyproject_dependencies(source.toml):
            requirement = parse_requirement(text)
            if requirement is not None and not requirement.pinned:
                unpinned.append(requirement)
        poetry = poetry_dependencies(source.toml)
        for name, spec in poetry.items():
            version = spec.get("version") if isinstance(spec, dict) else spec
            if isinstance(version, str) and not re.fullmatch(r"=?=?\d[\w.!+]*", version.strip()):
                unpinned.append(
                    Requirement(normalise(name), f"{name} = {version!r}", None, False, "range")
                )
        if not unpinned:
            return
        names = ", ".join(f"`{r.text}`" for r in unpinned[:5]) + (
            f" and {len(unpinned) - 5} more" if len(unpinned) > 5 else ""
        )
        line = dependency_line(source.lines, unpinned[0].text) or find_line(
            source.lines, "dependencies"
        )
        tool = "poetry lock" if poetry else "uv lock"
        yield Violation(
            f"{len(unpinned)} dependencies are not pinned and no lock file pins them: {names}",
            line=line,
            path=path,
            fix=f"Commit a lock file next to {path} (`{tool}`), or pin each requirement with ==.",
        )

    def _conda(self, repo: Repo, path: str) -> Iterator[Violation]:
        if _has_lock_near(repo, posixpath.dirname(path)):
            return
        source = repo.source(path)
        if source is None or not isinstance(source.yaml, dict):
            return
        deps = source.yaml.get("dependencies")
        if not isinstance(deps, list):
            return
        entries: list[str] = []
        for dep in deps:
            if isinstance(dep, str):
                entries.append(dep)
            elif isinstance(dep, dict) and isinstance(dep.get("pip"), list):
                entries.extend(str(item) for item in dep["pip"])
        for dep in entries:
            name = re.split(r"[=<>!~ \[]", dep.strip(), maxsplit=1)[0]
            if name.lower() in ("python", "pip") or name.startswith(("-", ".", "/")):
                continue
            if re.search(r"(?<![<>!~])==?\d", dep) and not re.search(r"[<>*]", dep):
                continue
            yield Violation(
                f"conda dependency `{dep}` is not pinned and no conda-lock file pins it",
                line=find_line(source.lines, dep),
                path=path,
                fix="Pin it (`name=1.2.3`) or generate a lock with conda-lock and commit it.",
            )


class LockOutOfDate(RepoRule):
    """## What it does
    Compares a lock file with the manifest beside it and reports a lock that no longer
    matches: a dependency declared in `pyproject.toml` that `uv.lock` / `poetry.lock` /
    `pdm.lock` does not contain, a version specifier changed since the lock was written
    (uv), or a changed `requires-python` (uv).

    ## Why is this bad?
    `uv sync --locked` and `poetry install` in CI fail or, worse, install an environment
    that is not the one the manifest describes; developers get a different set of
    packages than production.

    ## Example
    `pyproject.toml` gained `"polars>=1.0"` but `uv.lock` was not regenerated.

    ## Use instead
    Run `uv lock` (or `poetry lock`, `pdm lock`) and commit the updated lock file.
    """

    code = "TF203"
    name = "lock-out-of-date"
    factor = 2
    severity = Severity.ERROR
    summary = "Lock file out of date with its manifest"
    fix = "Regenerate the lock (uv lock / poetry lock / pdm lock) and commit it."

    def check(self, repo: Repo) -> Iterator[Violation]:
        for entry in repo.named("pyproject.toml"):
            directory = posixpath.dirname(entry.path)
            source = repo.source(entry.path)
            if source is None or source.toml is None:
                continue
            for lock_name, tool in (
                ("uv.lock", "uv"),
                ("poetry.lock", "poetry"),
                ("pdm.lock", "pdm"),
            ):
                lock_path = posixpath.join(directory, lock_name) if directory else lock_name
                if repo.has(lock_path):
                    lock = repo.source(lock_path)
                    if lock is not None and lock.toml is not None:
                        yield from _compare_lock(entry.path, source.toml, lock_path, lock, tool)


def _compare_lock(
    manifest_path: str, manifest: dict, lock_path: str, lock: SourceFile, tool: str
) -> Iterator[Violation]:
    data = lock.toml or {}
    packages = [p for p in data.get("package", []) if isinstance(p, dict)]
    locked_names = {normalise(str(p.get("name", ""))) for p in packages}
    project = manifest.get("project") if isinstance(manifest.get("project"), dict) else {}
    own_name = normalise(str(project.get("name", ""))) if project else ""
    declared: list[str] = pyproject_all_dependencies(manifest) if tool != "poetry" else []
    if tool == "poetry":
        declared = list(poetry_dependencies(manifest)) + pyproject_dependencies(manifest)
    problems: list[str] = []
    missing = []
    for text in declared:
        requirement = (
            parse_requirement(text)
            if tool != "poetry" or " " in text or any(c in text for c in "<>=")
            else None
        )
        name = (
            requirement.name
            if requirement
            else normalise(re.split(r"[\s\[<>=!~;]", text, maxsplit=1)[0])
        )
        if name and name != own_name and name not in locked_names:
            missing.append(name)
    if missing:
        problems.append("not in the lock: " + ", ".join(f"`{n}`" for n in sorted(set(missing))[:5]))
    if tool == "uv":
        problems.extend(_uv_metadata_drift(manifest, packages, own_name, data))
    if problems:
        yield Violation(
            f"{lock_path} is out of date with {manifest_path}: " + "; ".join(problems),
            path=lock_path,
            line=None,
            fix=f"Run `{tool} lock` and commit {lock_path}.",
        )


def _uv_metadata_drift(
    manifest: dict, packages: list[dict], own_name: str, lock: dict
) -> list[str]:
    """uv records the manifest's requirements in the lock; compare them."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    root = next(
        (
            p
            for p in packages
            if normalise(str(p.get("name", ""))) == own_name and isinstance(p.get("metadata"), dict)
        ),
        None,
    )
    problems: list[str] = []
    project = manifest.get("project") if isinstance(manifest.get("project"), dict) else {}
    declared_python = project.get("requires-python") if project else None
    locked_python = lock.get("requires-python")
    if declared_python and locked_python:
        try:
            if SpecifierSet(str(declared_python)) != SpecifierSet(str(locked_python)):
                problems.append(
                    f"requires-python is `{declared_python}` but the lock has `{locked_python}`"
                )
        except InvalidSpecifier:
            pass
    if root is None:
        return problems
    locked: dict[str, set[str]] = {}
    metadata = root["metadata"]
    entries = list(metadata.get("requires-dist", []) or [])
    for group in (metadata.get("requires-dev", {}) or {}).values():
        entries.extend(group or [])
    for item in entries:
        if isinstance(item, dict) and "name" in item:
            locked.setdefault(normalise(str(item["name"])), set()).add(
                _spec(item.get("specifier", ""))
            )
    declared: dict[str, set[str]] = {}
    for text in pyproject_all_dependencies(manifest):
        requirement = parse_requirement(text)
        if requirement is None or requirement.name == own_name:
            continue
        from packaging.requirements import Requirement as Pep508

        declared.setdefault(requirement.name, set()).add(_spec(str(Pep508(text).specifier)))
    changed = [
        f"`{name}` ({', '.join(sorted(spec))} declared, {', '.join(sorted(locked[name])) or 'any'} locked)"
        for name, spec in sorted(declared.items())
        if name in locked and not spec <= locked[name]
    ]
    removed = sorted(set(locked) - set(declared))
    if changed:
        problems.append("specifier changed for " + ", ".join(changed[:3]))
    if removed and declared:
        problems.append(
            "removed from the manifest but still locked: "
            + ", ".join(f"`{n}`" for n in removed[:5])
        )
    return problems


def _spec(text: str) -> str:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return ",".join(sorted(str(s) for s in SpecifierSet(text)))
    except InvalidSpecifier:
        return text


class PythonVersionNotDeclared(RepoRule):
    """## What it does
    Reports a Python project that does not say which Python it runs on: no
    `requires-python` in `pyproject.toml`, no `.python-version`, no `python_requires`
    in `setup.cfg`/`setup.py`, no `python` in a conda `environment.yml`, no
    `runtime.txt`, no `python` in Poetry's dependencies or a Pipfile.

    ## Why is this bad?
    Python itself is a dependency. Pickled models, wheels and syntax differ between
    versions: a model trained on 3.12 and served on 3.9 fails at load time or, worse,
    behaves differently.

    ## Example
    A `pyproject.toml` with `[project]` but no `requires-python`.

    ## Use instead
    ```toml
    [project]
    requires-python = ">=3.11"
    ```
    and a `.python-version` file (`uv python pin 3.12`) for the exact interpreter.
    """

    code = "TF204"
    name = "python-version-not-declared"
    factor = 2
    severity = Severity.WARNING
    summary = "Python version not declared (requires-python, .python-version)"
    fix = "Add `requires-python` to pyproject.toml and a .python-version file."
    requires = ("TF201",)

    def applies(self, repo: Repo) -> bool:
        return repo.has_python

    def check(self, repo: Repo) -> Iterator[Violation]:
        if repo.named(".python-version", "runtime.txt", ".tool-versions"):
            return
        for entry in repo.named("pyproject.toml"):
            source = repo.source(entry.path)
            data = source.toml if source is not None else None
            if not isinstance(data, dict):
                continue
            project = data.get("project")
            if isinstance(project, dict) and project.get("requires-python"):
                return
            if "python" in {k.lower() for k in poetry_dependencies_with_python(data)}:
                return
        for entry in repo.named(
            "setup.cfg", "setup.py", "Pipfile", "environment.yml", "environment.yaml"
        ):
            source = repo.source(entry.path)
            if source is None or source.text is None:
                continue
            if re.search(
                r"python_requires|python_version|^\s*-\s*python\s*[=<>]", source.text, re.MULTILINE
            ):
                return
        manifest = next(iter(repo.named("pyproject.toml")), None)
        yield Violation(
            "no Python version is declared (no requires-python, .python-version or equivalent)",
            path=manifest.path if manifest is not None else None,
        )


def poetry_dependencies_with_python(data: dict) -> dict:
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    deps = poetry.get("dependencies") if isinstance(poetry, dict) else None
    return deps if isinstance(deps, dict) else {}


_NOTEBOOK_INSTALL = re.compile(
    r"^\s*[!%]\s*(?:(?:python3?|\S*/python3?)\s+-m\s+)?(?:pip3?|conda|mamba|micromamba|uv\s+pip|poetry|pipenv)\s+(?:install|add)\b"
)
_SHELL_INSTALL = re.compile(
    r"(?:^|[\s;&|(])(?:python3?\s+-m\s+)?(?:pip3?|uv\s+pip|conda|mamba)\s+install\b"
)
#: A cell magic that runs the whole cell in a shell (`%%bash`, `%%sh`, `%%script bash`).
_SHELL_CELL = re.compile(r"^\s*%%(?:bash|sh|script\s+(?:ba|z)?sh|system)\b")
_RUNNERS = frozenset(
    {
        "run",
        "call",
        "check_call",
        "check_output",
        "Popen",
        "system",
        "popen",
        "getoutput",
        "getstatusoutput",
    }
)
#: Build and task tooling whose job is installing things.
_TOOLING_FILES = frozenset(
    {"noxfile.py", "setup.py", "tasks.py", "fabfile.py", "dodo.py", "conftest.py"}
)


class RuntimePackageInstall(FileRule):
    """## What it does
    Reports packages installed while the code runs: `!pip install` / `%pip install` /
    `!conda install` in notebook cells (and `pip install` inside `%%bash` cells), and `subprocess`/`os.system` calls that run
    `pip install` (including `[sys.executable, "-m", "pip", "install", ...]`) or
    `pip.main(["install", ...])` in Python code.

    Build and task files (`setup.py`, `noxfile.py`, `tasks.py`) and test code (which may
    build throwaway environments) are not checked, nor are strings that merely mention
    `pip install` (error messages, docs).

    ## Why is this bad?
    The environment then depends on when and where the code ran: versions are not pinned
    or locked, installs fail offline or behind a proxy in production, and a notebook
    that "works" cannot be reproduced from the manifest.

    ## Example
    ```python
    !pip install xgboost
    subprocess.check_call([sys.executable, "-m", "pip", "install", "lightgbm"])
    ```

    ## Use instead
    Declare `xgboost` and `lightgbm` in the manifest, lock them, and install the
    environment before running (`uv sync`); select that environment as the notebook's
    kernel.
    """

    code = "TF205"
    name = "runtime-package-install"
    factor = 2
    severity = Severity.ERROR
    summary = "Packages installed at run time (pip install in code or notebooks)"
    fix = (
        "Declare the package in the manifest, lock it, and install the environment before running."
    )
    kinds = frozenset({kinds.PYTHON, kinds.NOTEBOOK})
    prefilter = b"install"

    def check(self, file: SourceFile) -> Iterator[Violation]:
        name = posixpath.basename(file.path)
        if name in _TOOLING_FILES or kinds.is_test_path(file.path):
            return
        if file.kind == kinds.NOTEBOOK and file.notebook is not None:
            for cell in file.notebook.code_cells:
                shell_cell = bool(cell.lines) and bool(_SHELL_CELL.match(cell.lines[0]))
                for number, line in enumerate(cell.lines, start=1):
                    installs = _NOTEBOOK_INSTALL.match(line) or (
                        shell_cell and number > 1 and _SHELL_INSTALL.search(line.split("#", 1)[0])
                    )
                    if installs:
                        yield Violation(
                            f"package installed from a notebook cell: `{line.strip()[:80]}`",
                            line=cell.file_lines[number - 1],
                            cell=cell.index,
                            cell_line=number,
                        )
        python = file.python
        if python is None or b"pip" not in file.data:
            return
        tree = python.tree
        if tree is None:
            return
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _is_pip_install_call(node):
                where = python.loc(node.lineno)
                yield Violation(
                    "`pip install` run from code",
                    line=where.line,
                    column=node.col_offset + 1,
                    cell=where.cell,
                    cell_line=where.cell_line,
                )


def _call_name(func: ast.expr) -> str:
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
    return ".".join(reversed(parts))


def _is_pip_install_call(node: ast.Call) -> bool:
    name = _call_name(node.func)
    last = name.rsplit(".", 1)[-1]
    if name in ("pip.main", "pip._internal.main", "pip._internal.cli.main.main"):
        return bool(node.args) and _words(node.args[0])[:1] == ["install"]
    # subprocess.run(...), os.system(...), get_ipython().system(...), a bare imported run(...)
    if last not in _RUNNERS or not node.args:
        return False
    words = _words(node.args[0])
    if len(words) == 1:
        return bool(_SHELL_INSTALL.search(words[0]))
    for index, word in enumerate(words[:-1]):
        base = posixpath.basename(word)
        if base in ("pip", "pip3") and words[index + 1] == "install":
            return True
        if base in ("uv",) and words[index + 1 : index + 3] == ["pip", "install"]:
            return True
    return False


def _words(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [
            "".join(
                v.value
                for v in node.values
                if isinstance(v, ast.Constant) and isinstance(v.value, str)
            )
        ]
    if isinstance(node, (ast.List, ast.Tuple)):
        words: list[str] = []
        for element in node.elts:
            if isinstance(element, ast.Constant) and isinstance(element.value, str):
                words.append(element.value)
            elif _call_name(element) == "sys.executable" or (
                isinstance(element, ast.Attribute) and element.attr == "executable"
            ):
                words.append("python")
            else:
                words.append("")
        return words
    return []
