"""Classify files by name alone (no read): the `kind` that rules ask for."""

from __future__ import annotations

import posixpath
import re

from twelvefold.lazy_regex import lazy_compile

PYTHON = "python"
NOTEBOOK = "notebook"
REQUIREMENTS = "requirements"
PYPROJECT = "pyproject"
TOML = "toml"
YAML = "yaml"
JSON = "json"
DOCKERFILE = "dockerfile"
DOTENV = "dotenv"
SHELL = "shell"
INI = "ini"
MAKEFILE = "makefile"
DOCS = "docs"
#: Plain text: notes, `*.txt` that is not a requirements list.
TEXT = "text"
#: JavaScript and TypeScript (web front ends, `*.config.js`): read for secrets only.
JAVASCRIPT = "javascript"
#: Files that exist to hold credentials: SSH and TLS private keys (`id_rsa`, `*.pem`,
#: `*.key`), `.aws/credentials`, `.npmrc`, `.pypirc`, `.netrc`, `.git-credentials`...
CREDENTIALS = "credentials"
DATA = "data"
OTHER = "other"

#: Kinds whose text may hold configuration values (and so secrets).
CONFIG_TEXT_KINDS = frozenset({REQUIREMENTS, PYPROJECT, TOML, YAML, JSON, DOTENV, INI, SHELL})
#: Kinds holding Python code: plain modules and notebook code cells.
CODE_KINDS = frozenset({PYTHON, NOTEBOOK})
#: Kinds of file that load or run other files by name: code, and the files of builds,
#: CI and configuration (`python ml/train.py`, `--log-config logging.yaml`); not docs.
RUNNING_KINDS = frozenset(
    {PYTHON, NOTEBOOK, DOCKERFILE, SHELL, MAKEFILE, TOML, YAML, JSON, PYPROJECT, INI, DOTENV}
)
#: Every kind the secret scan reads: all text a person writes. Not data and model
#: artifacts, nor other files (images, archives, binaries): binary formats carry no
#: secret anyone typed.
SECRET_KINDS = frozenset(
    {PYTHON, NOTEBOOK, DOCKERFILE, MAKEFILE, DOCS, TEXT, JAVASCRIPT, CREDENTIALS}
    | CONFIG_TEXT_KINDS
)
#: Kinds no rule parses: only their size matters, or the secret scan reads them. Their
#: content skipped (binary, too big) takes no notice.
UNPARSED_KINDS = frozenset({DATA, OTHER, DOCS, TEXT, JAVASCRIPT, CREDENTIALS})

_BY_SUFFIX = {
    ".py": PYTHON,
    ".ipynb": NOTEBOOK,
    ".toml": TOML,
    ".yml": YAML,
    ".yaml": YAML,
    ".json": JSON,
    ".sh": SHELL,
    ".bash": SHELL,
    ".zsh": SHELL,
    ".ini": INI,
    ".cfg": INI,
    ".conf": INI,
    ".properties": INI,
    ".md": DOCS,
    ".rst": DOCS,
    ".mk": MAKEFILE,
    ".txt": TEXT,
    ".js": JAVASCRIPT,
    ".cjs": JAVASCRIPT,
    ".mjs": JAVASCRIPT,
    ".jsx": JAVASCRIPT,
    ".ts": JAVASCRIPT,
    ".cts": JAVASCRIPT,
    ".mts": JAVASCRIPT,
    ".tsx": JAVASCRIPT,
    # Private keys and key stores in text form (PEM, PuTTY, Apple `.p8`).
    ".pem": CREDENTIALS,
    ".key": CREDENTIALS,
    ".ppk": CREDENTIALS,
    ".p8": CREDENTIALS,
}

#: Credential stores by exact name (tools read them from a home folder; copied into a
#: repository they leak what they hold).
_CREDENTIAL_NAMES = frozenset(
    {
        "credentials",  # ~/.aws/credentials, ~/.gem/credentials
        ".npmrc",
        ".pypirc",
        ".netrc",
        "_netrc",
        ".git-credentials",
        ".pgpass",
        ".s3cfg",
        ".boto",
        ".dockercfg",
        ".vault-token",
        ".my.cnf",
    }
)
#: SSH private keys: `id_rsa`, `id_ed25519`, `id_ecdsa_sk`, `id_rsa_deploy` (not `.pub`).
_SSH_KEY_PREFIXES = ("id_rsa", "id_dsa", "id_ecdsa", "id_ed25519")

#: Data and model artifacts (factor 1 looks at their size, nobody reads them).
DATA_SUFFIXES = frozenset(
    {
        ".csv",
        ".tsv",
        ".parquet",
        ".feather",
        ".arrow",
        ".avro",
        ".orc",
        ".pkl",
        ".pickle",
        ".joblib",
        ".h5",
        ".hdf5",
        ".hdf",
        ".pt",
        ".pth",
        ".ckpt",
        ".onnx",
        ".npz",
        ".npy",
        ".safetensors",
        ".tflite",
        ".pb",
        ".keras",
        ".sav",
        ".xlsx",
        ".xls",
        ".jsonl",
        ".ndjson",
        ".tfrecord",
        ".db",
        ".sqlite",
        ".sqlite3",
        ".mat",
        ".gz",
        ".zip",
        ".tar",
        ".bz2",
        ".xz",
        ".7z",
        ".bin",
        ".model",
        ".gguf",
        ".lmdb",
    }
)

#: Words that mark a dotenv file as a template when they sit before or after `env` in its
#: name, with any separator: `.env.example`, `.env-sample`, `example.env`, `template.env`.
_DOTENV_TEMPLATE_WORDS = frozenset(
    {"example", "examples", "sample", "samples", "template", "dist", "tmpl", "default", "defaults"}
)


#: Suffixes of template sources (copier, cookiecutter): `.env.example.jinja` is `.env.example`.
TEMPLATE_SUFFIXES = (".jinja", ".jinja2", ".j2")


#: Compose files: `docker-compose.yml`, `compose.yaml`, `docker-compose.prod.yml`.
_COMPOSE_NAME = lazy_compile(r"(?:docker-)?compose(?:[.-][\w.-]+)?\.ya?ml")


def is_compose_file(path: str) -> bool:
    """A Docker Compose file, by its name."""
    return bool(_COMPOSE_NAME.fullmatch(posixpath.basename(path)))


def is_dotenv_template(name: str) -> bool:
    """`.env.example`, `example.env`, `sample.env` and friends hold placeholders, not
    configuration. `name` may be a path: only its last part counts."""
    name = posixpath.basename(name).lower()
    for suffix in TEMPLATE_SUFFIXES:
        name = name.removesuffix(suffix)
    words = [word for word in re.split(r"[._-]+", name) if word]
    return "env" in words and not _DOTENV_TEMPLATE_WORDS.isdisjoint(words)


def is_test_env_file(path: str) -> bool:
    """An env file named for tests (`.env.test`, `es-dest-ingest-test-creds.env`): the
    settings of a throw-away service a test starts, wherever it is kept."""
    name = posixpath.basename(path).lower()
    words = {word for word in re.split(r"[._-]+", name) if word}
    return "env" in words and not words.isdisjoint({"test", "tests", "testing"})


#: The names of a Dockerfile's variants: `Dockerfile.gpu`, `Dockerfile-cu121`, `Dockerfile_sdk`.
_DOCKERFILE_VARIANTS = tuple(
    f"{name}{separator}" for name in ("dockerfile", "containerfile") for separator in ".-_"
)


def classify(path: str) -> str:
    """The kind of a repo-relative POSIX path, from its name only."""
    name = posixpath.basename(path)
    lower = name.lower()
    if lower == "pyproject.toml":
        return PYPROJECT
    if lower in ("dockerfile", "containerfile") or lower.endswith(
        (".dockerfile", ".containerfile")
    ):
        return DOCKERFILE
    if lower.startswith(_DOCKERFILE_VARIANTS):
        # Dockerfile.dev, Dockerfile.gpu, Dockerfile-cu121, Dockerfile_gpu; not
        # dockerfile.py, Dockerfile.md, Dockerfile-dev.j2 or dockerfile_utils.py
        dot = lower.rfind(".", len("dockerfile"))
        ending = lower[dot:] if dot >= 0 else ""
        known = ending in _BY_SUFFIX or ending in DATA_SUFFIXES or ending in TEMPLATE_SUFFIXES
        if not known and ending not in (".txt", ".bak", ".orig", ".tmpl"):
            return DOCKERFILE
    if lower == ".env" or lower.startswith(".env.") or lower.endswith(".env"):
        return DOTENV
    if lower in ("makefile", "gnumakefile"):
        return MAKEFILE
    if _is_requirements(path, lower):
        return REQUIREMENTS
    if lower in _CREDENTIAL_NAMES or _is_ssh_key(lower):
        return CREDENTIALS
    if lower in ("config", "config.local") and ("/" + path).endswith(_DVC_CONFIGS):
        return INI  # DVC's settings, its remotes' credentials among them
    dot = lower.rfind(".")
    suffix = lower[dot:] if dot > 0 else ""
    if lower == "runtime.txt":
        return OTHER  # a platform's Python version: no text anyone writes
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    if suffix in DATA_SUFFIXES:
        return DATA
    return OTHER


#: DVC's configuration files (INI): a remote's `gdrive_client_secret`, `secret_access_key`.
_DVC_CONFIGS = ("/.dvc/config", "/.dvc/config.local")


def _is_ssh_key(lower: str) -> bool:
    """`id_rsa`, `id_ed25519_sk`, `id_rsa-deploy`, `id_rsa.bak`; not `id_rsa.pub`, nor
    `id_rsa_utils.py`."""
    for prefix in _SSH_KEY_PREFIXES:
        if lower.startswith(prefix):
            rest = lower[len(prefix) :]
            return rest in ("", ".bak", ".old", ".orig", ".backup") or (
                rest[0] in "-_" and "." not in rest
            )
    return False


#: `requirements.prod`, `requirements.dev`: a requirements file named for its environment
#: (pip reads any name given to `-r`); not a lock, a backup or a template.
_REQUIREMENTS_FOR = lazy_compile(r"requirements\.(?!lock$|bak$|orig$|old$|tmpl$|j2$)[a-z]{2,12}")


#: A requirements file named for what it installs: `dev-requirements.txt`,
#: `gpu_requirements.txt`, `vectordb.requirements.txt` (an image's optional extra).
_NAMED_REQUIREMENTS = (
    "-requirements.txt",
    "_requirements.txt",
    ".requirements.txt",
    "-requirements.in",
)


#: `requierements.txt`, `requirments.txt`, `requeriments-dev.txt`: what pip is told to
#: read whatever its spelling.
_MISSPELLED_REQUIREMENTS = lazy_compile(r"req[a-z]{0,8}m[ae]nts?(?:[-_.][a-z0-9_-]+)?\.txt")


def _is_requirements(path: str, lower: str) -> bool:
    if not lower.endswith((".txt", ".in")):
        return bool(
            _REQUIREMENTS_FOR.fullmatch(lower) and lower[lower.rfind(".") :] not in _BY_SUFFIX
        )
    if lower.startswith(("requirements", "requirement", "constraints", "dev-requirements")):
        return True
    if lower in ("req.txt", "reqs.txt"):
        return True  # SadTalker's launcher installs `req.txt`
    if _MISSPELLED_REQUIREMENTS.fullmatch(lower):
        return True  # `requierements.txt`: a 325-line pip freeze, misspelled
    if lower.endswith(_NAMED_REQUIREMENTS):
        return True
    parent = posixpath.basename(posixpath.dirname(path)).lower()
    return parent in ("requirements", "reqs")


def compiled_requirements(paths: set[str]) -> set[str]:
    """`X.in` files with an `X.txt` beside them, and those `X.txt`: pip-compile's input
    and output under any name (`taskcluster/docker/eval/final_eval.in` / `.txt`), which
    the name alone does not tell (`MANIFEST.in` has no `.txt` twin)."""
    found: set[str] = set()
    for path in paths:
        if path.endswith(".in") and posixpath.basename(path) != "MANIFEST.in":
            twin = path[:-3] + ".txt"
            if twin in paths:
                found.update((path, twin))
    return found


def is_test_path(path: str) -> bool:
    """Test code and fixtures: `tests/...`, `testdata/...`, a folder named for what it
    tests (`tests_ingest/`, `integration-tests/`), `test_*.py` (`test-*.py`), `*_test.py`,
    `conftest.py`, a Django app's `tests.py`, and browser end-to-end tests (`cypress/`,
    `e2e/`, `*.cy.ts`, `*.spec.js`). Not `test.py`: in ML it is as often the script that
    evaluates a model on the test split."""
    parts = path.split("/")
    name = parts[-1]
    return (
        any(part in _TEST_FOLDERS or _TEST_FOLDER.fullmatch(part) for part in parts[:-1])
        or name.startswith(("test_", "test-"))
        or name.endswith(_TEST_SUFFIXES)
        or name in ("conftest.py", "tests.py")
    )


#: `testdata/` is Go's (and Bazel's) folder of test fixtures, which the go tool ignores.
_TEST_FOLDERS = frozenset({"tests", "test", "testing", "fixtures", "testdata", "cypress", "e2e"})
#: A folder of tests named for what they test: `tests_alibi_explain/`,
#: `integration-tests/`, `unit_tests/`. Not `test_preset/`: a singular `test_` may name
#: what the package does (evidently's `legacy/test_preset/` of data-quality tests).
_TEST_FOLDER = lazy_compile(r"tests[-_][a-z0-9_-]+|[a-z0-9_-]+[-_]tests")
#: Test modules by name: Python's, and browser tests (`login.cy.ts`, `api.spec.js`).
_TEST_SUFFIXES = (
    "_test.py",
    *(
        f".{kind}.{language}"
        for kind in ("cy", "spec", "test")
        for language in ("js", "ts", "jsx", "tsx")
    ),
)
