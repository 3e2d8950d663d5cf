"""Dependency manifests and lock files, parsed with `packaging` (never executed).

Used by factor 2 rules: which requirements a project declares, where, whether each is
pinned, and which lock files pin them.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from twelvefold.lazy_regex import lazy_compile

if TYPE_CHECKING:
    import ast

    from twelvefold.repo import Repo

#: Lock files that pin every dependency of the manifest beside them.
LOCK_FILES = frozenset(
    {
        "uv.lock",
        "poetry.lock",
        "pdm.lock",
        "Pipfile.lock",
        "conda-lock.yml",
        "conda-lock.yaml",
        "pixi.lock",
        "pylock.toml",
        "requirements.lock",
        "requirements-lock.txt",
    }
)

#: Manifests that declare dependencies.
MANIFEST_NAMES = frozenset(
    {"pyproject.toml", "setup.py", "setup.cfg", "Pipfile", "environment.yml", "environment.yaml"}
)


@dataclass(frozen=True)
class Requirement:
    name: str  # normalised distribution name
    text: str  # as written
    line: int | None
    pinned: bool
    why_unpinned: str  # "no version", "range >=1.2", "unpinned URL"


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirement(text: str, line: int | None = None) -> Requirement | None:
    """A PEP 508 requirement, or None when the text is not one."""
    from packaging.requirements import InvalidRequirement
    from packaging.requirements import Requirement as Pep508

    try:
        requirement = Pep508(text)
    except InvalidRequirement:
        return None
    name = normalise(requirement.name)
    if requirement.url:
        pinned = pinned_url(requirement.url)
        why = "" if pinned else "URL with no version, tag or commit"
        return Requirement(name, text, line, pinned, why)
    specifiers = list(requirement.specifier)
    exact = [s for s in specifiers if s.operator in ("==", "===") and "*" not in s.version]
    if exact or any(_patch_series(s.operator, s.version) for s in specifiers):
        return Requirement(name, text, line, True, "")
    why = f"range {requirement.specifier}" if specifiers else "no version"
    return Requirement(name, text, line, False, why)


def _patch_series(operator: str, version: str) -> bool:
    """`~=1.4.2` (or `==1.4.*`): held to one patch series of a release, which is what a
    pin is for; `~=1.4` (any 1.x from 1.4) and `==1.*` are ranges."""
    if operator == "==" and version.endswith(".*"):
        return version[:-2].count(".") >= 1
    if operator != "~=":
        return False
    release = version.split("+", 1)[0]
    return len(re.findall(r"\d+", re.split(r"[a-zA-Z]", release, maxsplit=1)[0])) >= 3


#: A release tag: `v3.0.7a0`, `1.4.2`, `v2.1.0.post1` (major and minor at least: `v2` may
#: as well be a branch).
_RELEASE = r"v?\d+(?:\.\d+)+(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview|post|dev)\.?\d*)*"
_RELEASE_REF = lazy_compile(_RELEASE, re.IGNORECASE)
_VERSIONED_STEM = lazy_compile(r"(?:^|[-_])" + _RELEASE + r"$", re.IGNORECASE)
_COMMIT = lazy_compile(r"[0-9a-f]{40}", re.IGNORECASE)
#: An abbreviated commit (`@3f2a9c1d`): git checks it out as surely as the full one.
_SHORT_COMMIT = lazy_compile(r"(?=[0-9a-f]*\d)[0-9a-f]{7,39}", re.IGNORECASE)
_HASH_FRAGMENT = lazy_compile(r"(?:^|&)(?:sha(?:1|224|256|384|512)|md5)=[0-9a-f]+", re.IGNORECASE)
_ARCHIVES = (".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar", ".zip")


def pinned_url(url: str) -> bool:
    """Whether a direct reference (`name @ url`) always installs the same code: a local
    file, a VCS URL at a release tag or a full commit (`git+https://host/o/r@v3.0.7a0`,
    `...@<40 hex>`; not `@main` or no ref), a wheel (`name-3.4.0-py3-none-any.whl`) or an
    archive whose file name carries a version or a commit (`name-1.2.0.tar.gz`,
    `archive/refs/tags/v1.2.0.zip`), a file under a GitHub release tag
    (`releases/download/v1.2.0/...`), or any URL with a hash fragment (`#sha256=...`)."""
    from urllib.parse import unquote, urlsplit

    if url.startswith("file:"):
        return True
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if _HASH_FRAGMENT.search(parts.fragment):
        return True
    path = unquote(parts.path)
    if "+" in parts.scheme:  # git+https, git+ssh, hg+https...: the ref follows the last @
        ref = path.rpartition("@")[2] if "@" in path else ""
        return bool(
            _COMMIT.fullmatch(ref) or _SHORT_COMMIT.fullmatch(ref) or _RELEASE_REF.fullmatch(ref)
        )
    segments = path.split("/")
    name = segments[-1]
    if name.endswith(".whl"):
        from packaging.utils import InvalidWheelFilename, parse_wheel_filename

        try:
            parse_wheel_filename(name)
        except InvalidWheelFilename:
            return False
        return True
    if "heads" in segments:
        return False  # `archive/refs/heads/release-1.2.zip`: a branch
    for marker in range(len(segments) - 2):
        tag = segments[marker + 2]  # `releases/download/v1.2.0/`, `.../name-3.4.0/`
        released = segments[marker : marker + 2] == ["releases", "download"]
        if released and _VERSIONED_STEM.search(tag):
            return True
    suffix = next((s for s in _ARCHIVES if name.lower().endswith(s)), None)
    if suffix is None:
        return False
    stem = name[: -len(suffix)]
    return bool(_COMMIT.fullmatch(stem) or _VERSIONED_STEM.search(stem))


_OPTION = lazy_compile(r"^\s*-")
_HASH = lazy_compile(r"--hash[= ]")


def requirements_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, requirement text) of a requirements file: comments, options,
    editables and line continuations handled."""
    pending = ""
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw
        if " #" in line or line.lstrip().startswith("#"):
            line = line.split(" #", 1)[0] if not line.lstrip().startswith("#") else ""
        if not pending:
            start = number
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        if not full:
            continue
        yield start, full


def parse_requirements(text: str) -> tuple[list[Requirement], list[str], bool]:
    """Requirements, included files (-r/-c), and whether every line carries hashes."""
    requirements: list[Requirement] = []
    includes: list[str] = []
    hashed: list[bool] = []
    for number, written in requirements_lines(text):
        line = written
        if _OPTION.match(line) and not line.startswith(("-e ", "--editable")):
            match = re.match(r"^(?:-r|-c|--requirement|--constraint)[= ]?\s*(\S+)", line)
            if match:
                includes.append(match.group(1))
            continue
        if line.startswith(("-e ", "--editable")):
            target = re.split(r"[=\s]", line, maxsplit=1)[1].strip() if len(line) > 3 else ""
            if not _VCS_URL.match(target):
                continue  # a local project in development mode
            line = target  # `-e git+https://...@develop#egg=x`: a clone of a branch
        # Options after the requirement (`torch==2.6.0 --index-url https://...`, pip's
        # per-line `--hash=...`, `--config-settings`) are not part of it.
        body = _TRAILING_OPTIONS.split(_HASH.split(line, 1)[0], 1)[0].strip()
        hashed.append(bool(_HASH.search(line)))
        requirement = (
            parse_requirement(body, number)
            or _vcs_requirement(body, number)
            or _wheel_url_requirement(body, number)
        )
        if requirement is not None:
            requirements.append(requirement)
    return requirements, includes, bool(hashed) and all(hashed)


#: Where options start after a requirement on its line: ` --index-url`, ` -f`.
_TRAILING_OPTIONS = lazy_compile(r"\s+--?[A-Za-z]")


#: pip's bare VCS requirement: `git+https://github.com/o/r.git@ref#egg=name`.
_VCS_URL = lazy_compile(r"^(?:git|hg|svn|bzr)\+[a-z]+://\S+", re.IGNORECASE)
#: The `#egg=name` fragment that names what a URL installs.
_EGG = lazy_compile(r"[#&]egg=([A-Za-z0-9_.\-]+)")


def _wheel_url_requirement(text: str, line: int | None) -> Requirement | None:
    """A bare wheel URL line of a requirements file (oobabooga's per-platform builds:
    `https://.../gradio-4.37.2+custom.20-py3-none-any.whl; platform_system == "Linux"`):
    the distribution its file name names (PEP 427), pinned by it."""
    if not text.startswith(("https://", "http://")):
        return None
    from urllib.parse import unquote, urlsplit

    from packaging.utils import InvalidWheelFilename, parse_wheel_filename

    url = re.split(r"[\s;]", text, maxsplit=1)[0]
    try:
        name = unquote(urlsplit(url).path).rsplit("/", 1)[-1]
        if not name.endswith(".whl"):
            return None
        distribution = parse_wheel_filename(name)[0]
    except (ValueError, InvalidWheelFilename):
        return None
    return Requirement(normalise(distribution), text, line, True, "")


def _vcs_requirement(text: str, line: int | None) -> Requirement | None:
    """A bare VCS URL line of a requirements file (pip accepts it; PEP 508 does not),
    named by its `#egg=` fragment or its repository."""
    if not _VCS_URL.match(text):
        return None
    url = text.split(maxsplit=1)[0]
    egg = _EGG.search(url)
    repository = url.split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1].split("@", 1)[0]
    name = normalise(egg.group(1) if egg else repository.removesuffix(".git"))
    pinned = pinned_url(url.split("#", 1)[0])
    return Requirement(
        name, text, line, pinned, "" if pinned else "URL with no version, tag or commit"
    )


def pyproject_dependencies(data: dict[str, Any]) -> list[str]:
    """Runtime dependency strings of `[project]` (PEP 621)."""
    project = data.get("project")
    if not isinstance(project, dict):
        return []
    deps = project.get("dependencies", [])
    return [d for d in deps if isinstance(d, str)] if isinstance(deps, list) else []


def pyproject_all_dependencies(data: dict[str, Any]) -> list[str]:
    """Runtime, optional and dependency-group requirement strings."""
    found = list(pyproject_dependencies(data))
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    optional = project.get("optional-dependencies", {}) if isinstance(project, dict) else {}
    if isinstance(optional, dict):
        for group in optional.values():
            if isinstance(group, list):
                found.extend(d for d in group if isinstance(d, str))
    groups = data.get("dependency-groups", {})
    if isinstance(groups, dict):
        for group in groups.values():
            if isinstance(group, list):
                found.extend(d for d in group if isinstance(d, str))
    # uv's own development list, from before dependency groups (uv locks it as `dev`).
    tool = data.get("tool")
    uv = tool.get("uv") if isinstance(tool, dict) else None
    legacy = uv.get("dev-dependencies") if isinstance(uv, dict) else None
    if isinstance(legacy, list):
        found.extend(d for d in legacy if isinstance(d, str))
    return found


def poetry_dependencies(data: dict[str, Any]) -> dict[str, Any]:
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if not isinstance(poetry, dict):
        return {}
    found: dict[str, Any] = {}
    deps = poetry.get("dependencies")
    if isinstance(deps, dict):
        found.update({k: v for k, v in deps.items() if k.lower() != "python"})
    groups = poetry.get("group")
    if isinstance(groups, dict):
        for group in groups.values():
            if isinstance(group, dict) and isinstance(group.get("dependencies"), dict):
                found.update(group["dependencies"])
    dev = poetry.get("dev-dependencies")
    if isinstance(dev, dict):
        found.update(dev)
    return found


def is_lock_file(path: str) -> bool:
    return posixpath.basename(path) in LOCK_FILES


def find_line(lines: list[str], needle: str, start: int = 0) -> int | None:
    """1-based number of the first line containing `needle` (after line `start`)."""
    for number, line in enumerate(lines[start:], start=start + 1):
        if needle in line:
            return number
    return None


def dependency_line(lines: list[str], requirement: str) -> int | None:
    """Line of a requirement string inside a TOML array (quoted as written)."""
    for quote in ('"', "'"):
        found = find_line(lines, f"{quote}{requirement}{quote}")
        if found:
            return found
    return None


# --- declared distributions (what a manifest says the project needs) ---------------------

#: Files that make a folder a project of its own (a monorepo member).
PROJECT_FILES = frozenset({"pyproject.toml", "setup.py", "setup.cfg", "Pipfile"})


_SETUP_CFG_PROJECT = lazy_compile(r"^\[(?:metadata|options)\]", re.MULTILINE)


def defines_project(name: str, text: str, data: Any = None) -> bool:
    """Whether a project file (`PROJECT_FILES`) defines a project: not a `setup.cfg`
    holding only tool settings (`[flake8]`, `[isort]`), not a `pyproject.toml` of tool
    tables only (`[tool.black]`), not a `setup.py` that only compiles an extension in
    place (a Cython or CUDA helper: `setup(ext_modules=cythonize(...))`). `data`: the
    parsed TOML of a pyproject.toml, when known."""
    if name == "setup.cfg":
        return bool(_SETUP_CFG_PROJECT.search(text))
    if name == "pyproject.toml":
        if not isinstance(data, dict):
            return True
        tool = data.get("tool")
        return (
            "project" in data
            or "build-system" in data
            or (isinstance(tool, dict) and "poetry" in tool)
        )
    if name == "setup.py":
        return "ext_modules" not in text or any(
            word in text for word in ("install_requires", "packages", "py_modules")
        )
    return True


@dataclass(frozen=True)
class Declarations:
    """Distribution names a manifest declares (normalised), and whether the manifest could
    not be read completely without running it (dynamic dependencies, computed
    `install_requires`): then absence from `names` proves nothing."""

    names: frozenset[str]
    opaque: bool = False
    #: The project's own distribution name, when the manifest names one.
    project: str | None = None


def declarations(path: str, text: str, data: Any = None) -> Declarations:
    """What the manifest at `path` declares. `data` is the parsed TOML/YAML when known."""
    name = posixpath.basename(path)
    if name == "pyproject.toml":
        return _pyproject_declarations(data if isinstance(data, dict) else {})
    if name == "setup.py":
        return _setup_py_declarations(text)
    if name == "setup.cfg":
        return _setup_cfg_declarations(text)
    if name in ("environment.yml", "environment.yaml"):
        return _conda_declarations(data)
    if MANIFEST_SCRIPT.search(path):
        return script_declarations(text)
    if name.endswith(".txt") and is_explicit_spec(text):
        return explicit_spec_declarations(text)
    if name == "Pipfile":
        names = set()
        for table in ("packages", "dev-packages"):
            section = data.get(table) if isinstance(data, dict) else None
            if isinstance(section, dict):
                names |= {normalise(str(key)) for key in section}
        return Declarations(frozenset(names))
    requirements, _, _ = parse_requirements(text)
    names = {r.name for r in requirements}
    names |= extras_declared(r.text for r in requirements)
    names |= {normalise(m) for m in _EGG.findall(text)}
    return Declarations(frozenset(names))


#: A script that writes the project's environment file from lists it holds
#: (`tools/generate_conda_file.py`: `CONDA_BASE = {"numpy": "numpy>=1.13.3", ...}`).
MANIFEST_SCRIPT = lazy_compile(
    r"(?:^|/)(?:generate|gen|make|create|write|build)[_-]?"
    r"(?:conda|env|environment|requirements|reqs|deps|dependencies)\w*\.py$"
)
#: A requirement string with a version: pip's `numpy>=1.13` or conda's `cudatoolkit=10.1`.
_VERSIONED_SPEC = lazy_compile(
    r"^\s*([A-Za-z0-9][A-Za-z0-9._\-]*)(?:\[[^\]]*\])?\s*(?:[=<>!~]=?)\s*\d"
)
#: Fewer versioned strings than this, and the script is not a dependency list.
_SCRIPT_MANIFEST_MINIMUM = 3


def script_declarations(text: str) -> Declarations:
    """Distributions a `MANIFEST_SCRIPT` lists in its module-level constants: every
    string with a version (`"torch==1.4.0"`, `"cudatoolkit=10.1"`) in a list, tuple or
    dict assigned at the top of the module, and the key of a dict entry holding one
    (`"pytorch": "pytorch-cpu>=1.0.0"`). Read as AST, never run; fewer than
    `_SCRIPT_MANIFEST_MINIMUM` such strings and it declares nothing."""
    import ast

    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return Declarations(frozenset())
    names: set[str] = set()
    versioned = 0

    def spec_name(node: ast.expr | None) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = _VERSIONED_SPEC.match(node.value)
            return normalise(match.group(1)) if match else None
        return None

    for statement in tree.body:
        if not isinstance(statement, (ast.Assign, ast.AnnAssign)) or statement.value is None:
            continue
        value = statement.value
        if isinstance(value, ast.Dict):
            for key, item in zip(value.keys, value.values, strict=True):
                found = spec_name(item)
                if found is None:
                    continue
                versioned += 1
                names.add(found)
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    names.add(normalise(key.value))
        elif isinstance(value, (ast.List, ast.Tuple, ast.Set)):
            for item in value.elts:
                found = spec_name(item)
                if found is not None:
                    versioned += 1
                    names.add(found)
    if versioned < _SCRIPT_MANIFEST_MINIMUM:
        return Declarations(frozenset())
    return Declarations(frozenset(names))


#: conda's explicit spec (`conda list --explicit > spec-file.txt`): `@EXPLICIT`, then one
#: package archive's URL per line, which pins it (and its build) exactly.
_EXPLICIT_MARK = lazy_compile(r"^@EXPLICIT[ \t]*$", re.MULTILINE)
_EXPLICIT_PACKAGE = lazy_compile(
    r"^[^\s#]+/(?P<name>[A-Za-z0-9_.+-]+?)-[^-/\s]+-[^-/\s]+\.(?:conda|tar\.bz2)(?:#\S*)?[ \t]*$",
    re.MULTILINE,
)
#: Names such a spec goes by (`spec-file.txt`, `conda-linux-64.txt`, `explicit.txt`).
EXPLICIT_SPEC_NAME = lazy_compile(r"(?:spec|conda|explicit)[^/]*\.txt$")


def is_explicit_spec(text: str) -> bool:
    """Whether `text` is a conda explicit spec: `@EXPLICIT` among its first lines."""
    return _EXPLICIT_MARK.search(text[:4096]) is not None


def explicit_spec_declarations(text: str) -> Declarations:
    """The packages a conda explicit spec installs, by the names in their archives'
    URLs (`.../linux-64/pytorch-1.11.0-py3.7_cuda11.3_0.tar.bz2`: `pytorch`)."""
    return Declarations(
        frozenset(normalise(m.group("name")) for m in _EXPLICIT_PACKAGE.finditer(text))
    )


def declares_no_dependency(repo: Repo, folder: str) -> bool:
    """Whether `folder` holds a project file (`setup.py`, `pyproject.toml`...) and none of
    them names a dependency: a kernel compiled in place (`megatron/fused_kernels/setup.py`)
    requires nothing, so installing it resolves nothing and its imports are its
    enclosing project's. False when there is none, or one cannot be read whole."""
    known = False
    for name in sorted(PROJECT_FILES):
        path = posixpath.join(folder, name) if folder not in ("", ".") else name
        source = repo.source(path) if repo.has(path) else None
        if source is None:
            continue
        if source.text is None:
            return False
        declared = declarations(
            path, source.text, source.toml if name == "pyproject.toml" else None
        )
        if declared.names or declared.opaque:
            return False
        known = True
    return known


def _pyproject_declarations(data: dict[str, Any]) -> Declarations:
    dependencies = pyproject_all_dependencies(data)
    names = {n for n in (_requirement_name(t) for t in dependencies) if n}
    names |= extras_declared(dependencies)
    names |= {normalise(str(key)) for key in poetry_dependencies(data)}
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    pdm = tool.get("pdm") if isinstance(tool, dict) else None
    groups = pdm.get("dev-dependencies") if isinstance(pdm, dict) else None
    if isinstance(groups, dict):
        for group in groups.values():
            if isinstance(group, list):
                names |= {n for n in (_requirement_name(str(t)) for t in group) if n}
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    dynamic = project.get("dynamic", []) if isinstance(project, dict) else []
    opaque = isinstance(dynamic, list) and bool(
        {"dependencies", "optional-dependencies"} & {d for d in dynamic if isinstance(d, str)}
    )
    own = project.get("name") if isinstance(project, dict) else None
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if own is None and isinstance(poetry, dict):
        own = poetry.get("name")
    return Declarations(frozenset(names), opaque, normalise(own) if isinstance(own, str) else None)


def extras_declared(texts: Iterable[str]) -> set[str]:
    """`name[extra]` for each extra a requirement asks for (`fastapi[all]==0.92.0` gives
    `fastapi[all]`): what an extra always installs is declared too (see
    `detectors.import_names.REQUIRES`); and the extra's own name, which names the
    distribution it adds as often as not (`snowflake-connector-python[pandas]`)."""
    from packaging.requirements import InvalidRequirement
    from packaging.requirements import Requirement as Pep508

    found: set[str] = set()
    for text in texts:
        if "[" not in text:
            continue
        try:
            requirement = Pep508(text.split("#", 1)[0].strip())
        except InvalidRequirement:
            continue
        name = normalise(requirement.name)
        for extra in requirement.extras:
            # `fastapi[all]` (its table entry says what it installs), and an extra named
            # for the distribution it adds (`snowflake-connector-python[pandas]`)
            found |= {f"{name}[{normalise(extra)}]", normalise(extra)}
    return found


def _requirement_name(text: str) -> str | None:
    requirement = parse_requirement(text)
    if requirement is not None:
        return requirement.name
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._\-]*)", text)
    return normalise(match.group(1)) if match else None


def _setup_py(
    text: str,
) -> tuple[list[ast.Call], dict[str, ast.expr | None], ast.Module] | None:
    """The `setup()` calls of a setup.py, read as AST (never run), and its module-level
    constants: `REQUIRED = [...]` then `setup(install_requires=REQUIRED)` reads the
    constant's value (None when it is assigned twice: unknown). None: it does not parse."""
    import ast

    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return None
    constants: dict[str, ast.expr | None] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name):
                constants[target.id] = None if target.id in constants else statement.value
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called == "setup":
                calls.append(node)
    return calls, constants, tree


def _appended(tree: ast.Module, constants: dict[str, ast.expr | None]) -> dict[str, list[str]]:
    """Requirements a setup.py adds to a module-level list or dict, wherever (under an
    `if`, a `try`): `install_deps.append("tensorflow>=" + tf_ver)`, `REQUIRED.extend([...])`,
    `+=` (of a list, or of another module-level list: `install += default`), and
    `extras["api"] = [...]`. Each as the first string of what is added, which starts with
    the distribution's name."""
    import ast

    added: dict[str, list[str]] = {}

    def strings(node: ast.AST) -> list[str]:
        if isinstance(node, ast.Name) and isinstance(constants.get(node.id), (ast.List, ast.Tuple)):
            node = constants[node.id]  # type: ignore[assignment]
        if isinstance(node, (ast.List, ast.Tuple)):
            return [text for element in node.elts for text in strings(element)[:1]]
        return [
            n.value
            for n in ast.walk(node)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
        ][:1]

    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("append", "extend")
            and isinstance(node.func.value, ast.Name)
            and node.args
        ):
            added.setdefault(node.func.value.id, []).extend(strings(node.args[0]))
        elif (
            isinstance(node, ast.AugAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(node.op, ast.Add)
        ):
            added.setdefault(node.target.id, []).extend(strings(node.value))
        elif (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Subscript)
            and isinstance(node.targets[0].value, ast.Name)
            and isinstance(node.value, (ast.List, ast.Tuple, ast.Name))
        ):
            # `extras["api"] = [...]`: a list, or a module-level list (`= default`),
            # never the strings of an expression (`extras["all"] = extras["api"] + ...`).
            added.setdefault(node.targets[0].value.id, []).extend(strings(node.value))
    return added


def _requirement_texts(expression: Any) -> list[str] | dict[str, list[str]] | None:
    """The requirement strings of a list (or a dict of lists) whose elements are string
    literals or f-strings that open with text (`f"aim-ui=={__version__}"` gives
    `aim-ui==`); None when any element is something else."""
    import ast

    if isinstance(expression, ast.Dict):
        groups: dict[str, list[str]] = {}
        for key, value in zip(expression.keys, expression.values, strict=True):
            group = _requirement_texts(value)
            if not isinstance(key, ast.Constant) or not isinstance(group, list):
                return None
            groups[str(key.value)] = group
        return groups
    if not isinstance(expression, (ast.List, ast.Tuple, ast.Set)):
        return None
    texts: list[str] = []
    for element in expression.elts:
        if isinstance(element, ast.Constant) and isinstance(element.value, str):
            texts.append(element.value)
        elif (
            isinstance(element, ast.JoinedStr)
            and element.values
            and isinstance(element.values[0], ast.Constant)
            and isinstance(element.values[0].value, str)
        ):
            texts.append(element.values[0].value)
        else:
            return None
    return texts


def _setup_py_declarations(text: str) -> Declarations:
    """`install_requires`/`extras_require` of a setup() call, read as AST (never run)."""
    import ast

    parsed = _setup_py(text)
    if parsed is None:
        return Declarations(frozenset(), opaque=True)
    calls, constants, tree = parsed
    names: set[str] = set()
    opaque = False
    own: str | None = None
    grown_by: dict[str, list[str]] | None = None  # what the file appends to its lists
    for node in calls:
        if any(keyword.arg is None for keyword in node.keywords):
            opaque = True  # setup(**config): the arguments are computed
        for keyword in node.keywords:
            if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                own = normalise(str(keyword.value.value))
            if keyword.arg not in (
                "install_requires",
                "extras_require",
                "tests_require",
                "setup_requires",
            ):
                continue
            expression: ast.expr | None = keyword.value
            if isinstance(expression, ast.Name) and expression.id in constants:
                if grown_by is None:
                    grown_by = _appended(tree, constants)
                grown = grown_by.get(expression.id, [])
                names |= {n for n in (_requirement_name(t) for t in grown) if n}
                expression = constants[expression.id]
            if expression is None:
                opaque = True  # a constant assigned twice: its value is not known
                continue
            try:
                value = ast.literal_eval(expression)
            except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
                # aim's `[f"aim-ui=={__version__}", "tqdm>=4.20.0", ...]`: an f-string
                # names its distribution in its leading text; the rest are literals.
                value = _requirement_texts(expression)
                if value is None:
                    opaque = True
                    continue
            # setuptools takes a string (one requirement a line) or a list of strings,
            # and for extras a dict of those; any other shape is an error at install
            # time, and declares nothing here.
            groups = list(value.values()) if isinstance(value, dict) else [value]
            for group in groups:
                items = group.splitlines() if isinstance(group, str) else group
                if not isinstance(items, (list, tuple, set, frozenset)):
                    continue
                texts = [t for t in items if isinstance(t, str)]
                names |= {n for n in (_requirement_name(t) for t in texts) if n}
    return Declarations(frozenset(names), opaque or not calls, own)


def setup_py_install_requires(text: str) -> list[tuple[str, int]] | None:
    """The `install_requires` of a setup() call, each requirement with its line, when it
    is written out as a list of strings (inline, or a module-level constant assigned
    once); None when there is no such call or the list is computed (read from a file)."""
    import ast

    parsed = _setup_py(text)
    if parsed is None:
        return None
    calls, constants, _ = parsed
    found: list[tuple[str, int]] | None = None
    for node in calls:
        if found is not None or any(keyword.arg is None for keyword in node.keywords):
            return None  # two setup() calls, or setup(**config): computed
        found = []
        for keyword in node.keywords:
            if keyword.arg != "install_requires":
                continue
            expression: ast.expr | None = keyword.value
            if isinstance(expression, ast.Name):
                expression = constants.get(expression.id)
            if not isinstance(expression, (ast.List, ast.Tuple)):
                return None
            for element in expression.elts:
                if not (isinstance(element, ast.Constant) and isinstance(element.value, str)):
                    return None
                found.append((element.value, element.lineno))
    return found


def setup_cfg_install_requires(text: str) -> list[str] | None:
    """The `[options] install_requires` entries of a setup.cfg; None when it is unreadable
    or read from a file (`file: requirements.txt`)."""
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except (configparser.Error, ValueError):
        return None
    value = parser.get("options", "install_requires", fallback="")
    if "file:" in value:
        return None
    return [entry for line in value.splitlines() if (entry := line.split("#")[0].strip())]


def _setup_cfg_declarations(text: str) -> Declarations:
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except (configparser.Error, ValueError):
        return Declarations(frozenset(), opaque=True)
    entries: list[str] = []
    for key in ("install_requires", "tests_require", "setup_requires"):
        entries += parser.get("options", key, fallback="").splitlines()
    if parser.has_section("options.extras_require"):
        for _, value in parser.items("options.extras_require"):
            entries += value.splitlines()
    names = {n for n in (_requirement_name(e.split("#")[0]) for e in entries if e.strip()) if n}
    own = parser.get("metadata", "name", fallback=None)
    opaque = "file:" in parser.get("options", "install_requires", fallback="")
    return Declarations(frozenset(names), opaque, normalise(own) if own else None)


def _conda_declarations(data: Any) -> Declarations:
    deps = data.get("dependencies") if isinstance(data, dict) else None
    names: set[str] = set()
    for dep in deps if isinstance(deps, list) else []:
        if isinstance(dep, str):
            spec = dep.split("::", 1)[-1]  # conda-forge::numpy
            name = re.split(r"[=<>!~ \[]", spec.strip(), maxsplit=1)[0]
            if name:
                names.add(normalise(name))
        elif isinstance(dep, dict) and isinstance(dep.get("pip"), list):
            names |= {n for n in (_requirement_name(str(t)) for t in dep["pip"]) if n}
    return Declarations(frozenset(names))


#: Options of `pip install` and `uv pip install` that take a value (`--retries 5`,
#: `-i URL`, `--index-strategy unsafe-best-match`): the word after one is no package.
PIP_VALUE_OPTIONS = frozenset(
    {
        *("-r", "--requirement", "-c", "--constraint", "-e", "--editable"),
        *("-i", "--index-url", "--extra-index-url", "-f", "--find-links"),
        *("-t", "--target", "--prefix", "--root", "--python", "-p", "--src"),
        *("--platform", "--python-version", "--implementation", "--abi"),
        *("--only-binary", "--no-binary", "--upgrade-strategy", "--progress-bar", "--report"),
        *("--trusted-host", "--cache-dir", "--retries", "--timeout", "--proxy", "--cert"),
        *("--client-cert", "--log", "--exists-action", "--global-option", "--install-option"),
        *("-C", "--config-settings", "--root-user-action", "--keyring-provider"),
        # uv pip's own
        *("--index-strategy", "--index", "--default-index", "--resolution", "--prerelease"),
        "--link-mode",
    }
)
#: `pip install ...`, global options before the command included (`pip --no-cache-dir
#: install`, `pip -q install`).
_PIP_INSTALL = lazy_compile(r"\bpip3?(?:\s+-[\w-]+(?:=\S+)?){0,8}\s+install\s+(?P<args>[^&;|\n]+)")


#: `conda install -y -c pytorch pytorch torchvision cudatoolkit=10.0`.
_CONDA_INSTALL = lazy_compile(r"\b(?:conda|mamba|micromamba)\s+install\s+(?P<args>[^&;|\n#]+)")
_CONDA_VALUE_OPTIONS = frozenset({"-c", "--channel", "-n", "--name", "-p", "--prefix", "--file"})


def pip_installed_names(text: str) -> set[str]:
    """Distribution names a shell text installs with `pip install` or `conda install`
    (Dockerfiles, cells); conda's `name=version` specs give the name."""
    joined = text.replace("\\\n", " ")
    names = {
        normalise(name)
        for word in _install_arguments(_CONDA_INSTALL, _CONDA_VALUE_OPTIONS, joined)
        if "::" not in word
        and (name := re.split(r"[=<>!\[ ]", word, maxsplit=1)[0])
        and re.fullmatch(r"[A-Za-z0-9][\w.\-]*", name)
    }
    names.update(
        name
        for word in _install_arguments(_PIP_INSTALL, PIP_VALUE_OPTIONS, joined)
        if (name := _requirement_name(word) if "://" not in word else _url_distribution(word))
    )
    return names


def _url_distribution(url: str) -> str | None:
    """The distribution a URL installs, where the URL says it: a wheel's file name
    (`.../torch-1.1.0-cp36-cp36m-linux_x86_64.whl`, PEP 427) or an `#egg=name` fragment.
    None for any other URL."""
    egg = _EGG.search(url)
    if egg is not None:
        return normalise(egg.group(1))
    wheel = _wheel_url_requirement(url, None)
    return wheel.name if wheel is not None else None


def _install_arguments(
    command: re.Pattern[str], value_options: frozenset[str], text: str
) -> Iterator[str]:
    """The package words of each install command in `text`: options and their values,
    paths and shell expansions left out."""
    for match in command.finditer(text):
        skip_next = False
        for raw in match.group("args").split():
            word = raw.strip("'\"")
            if skip_next or word in value_options:
                skip_next = word in value_options
                continue
            if word and not word.startswith(("-", ".", "/", "$", "{")):
                yield word


# --- what a committed lock file pins -------------------------------------------------------

#: Lock files whose list of pinned distributions TF206 reads (what `uv sync`, `poetry
#: install`, `pdm sync` and `pipenv sync` install).
DISTRIBUTION_LOCKS = ("Pipfile.lock", "poetry.lock", "uv.lock", "pdm.lock", "requirements.lock")
_LOCKED_PACKAGE = lazy_compile(
    r'^\[\[package\]\][ \t]*\r?\n[ \t]*name[ \t]*=[ \t]*"([^"\n]+)"', re.M
)


def locked_distributions(path: str, text: str) -> frozenset[str]:
    """Normalised names of the distributions a lock file pins: every `[[package]]` of
    `uv.lock`/`poetry.lock`/`pdm.lock`, the `default` section of `Pipfile.lock` (its
    `develop` section is not installed by `pipenv install --deploy`), every pinned line of
    rye's `requirements.lock` (its header says so; not its `requirements-dev.lock`)."""
    if posixpath.basename(path) == "Pipfile.lock":
        import json

        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return frozenset()
        default = data.get("default") if isinstance(data, dict) else None
        return (
            frozenset(normalise(str(n)) for n in default)
            if isinstance(default, dict)
            else frozenset()
        )
    if posixpath.basename(path) == "requirements.lock":
        # Rye's, which `rye sync` installs; not any `pip freeze` saved under that name
        # (a UTF-16 freeze of a developer's environment next to the image's own list).
        if not text.lstrip("\ufeff").startswith("# generated by rye"):
            return frozenset()
        return frozenset(normalise(m) for m in _PINNED_LINE.findall(text))
    return frozenset(normalise(m) for m in _LOCKED_PACKAGE.findall(text))


#: A pinned line of rye's `requirements.lock` (pip's format): `numba==0.60.0`.
_PINNED_LINE = lazy_compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]\n]*\])?[ \t]*==", re.M)


# --- conda environment files under other names ---------------------------------------------

#: Conda environment files by name: `environment.yml` and MLflow's `conda.yaml`.
CONDA_ENVIRONMENT_NAMES = frozenset(
    {"environment.yml", "environment.yaml", "conda.yaml", "conda.yml"}
)


def is_conda_environment(data: Any) -> bool:
    """Parsed YAML shaped like a conda environment: a `dependencies:` list with `channels:`,
    or with a `name:` when every dependency is a conda spec (`numpy=1.18.*`) or a `pip:`
    list (Azure ML's `conda_dependencies.yml`). A Helm chart's `name:` and `dependencies:`
    list of mappings is not one."""
    if not isinstance(data, dict) or not isinstance(data.get("dependencies"), list):
        return False
    if "channels" in data:
        return True
    deps = data["dependencies"]
    return (
        "name" in data
        and any(isinstance(dep, str) for dep in deps)
        and all(
            isinstance(dep, str) or (isinstance(dep, dict) and set(dep) == {"pip"}) for dep in deps
        )
    )


def conda_declarations(data: Any) -> Declarations:
    """What a conda environment file (any name) declares."""
    return _conda_declarations(data)
