"""Factor 3 - Config: in the environment, never in code."""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator

from twelvefold import kinds
from twelvefold.detectors.secrets import KEY_WORDS, PATTERNS, fingerprint, mask, scan_lines
from twelvefold.model import Severity, Violation
from twelvefold.repo import Repo
from twelvefold.rule import FileRule, RepoRule
from twelvefold.sources import SourceFile

_SECRET_ANCHORS = tuple(anchor for pattern in PATTERNS for anchor in pattern.anchors)


class _SecretPrefilter:
    """Provider anchors in the raw bytes, or a secret-ish key word in any case."""

    def search(self, data: bytes) -> bool:
        if any(anchor in data for anchor in _SECRET_ANCHORS):
            return True
        lower = data.lower()
        return any(word in lower for word in KEY_WORDS)


class HardCodedSecret(FileRule):
    """## What it does
    Reports credentials written into the repository: cloud keys (AWS, Google, Azure),
    API tokens (GitHub, GitLab, Slack, Stripe, OpenAI, Anthropic, Hugging Face, PyPI),
    private keys, passwords inside connection strings (`postgresql://user:pw@host/db`),
    and literal values assigned to secret-named keys (`DB_PASSWORD = "..."`,
    `api_key: ...`, `HF_TOKEN=...`). It reads Python, notebook cells and their text
    outputs, config files (YAML, TOML, JSON, INI), `.env` files, shell scripts and
    Dockerfiles. Findings show only a masked prefix of the value.

    Not reported: placeholders (`changeme`, `<your-key>`, `${DB_PASSWORD}`,
    `{{ secrets.TOKEN }}`, empty values, `xxxx`), documented example keys
    (`AKIAIOSFODNN7EXAMPLE`), obvious test values (`"test-token"`), environment
    variable names (`TOKEN_ENV = "HF_TOKEN"`), NLP tokens (`pad_token = "<pad>"`) and
    model ids (`Org/Model_Name`). Documentation files are not scanned.

    ## Why is this bad?
    A secret in git is public to everyone with read access, forever: it survives in
    history after deletion, in forks and in CI logs. It also ties the code to one
    deploy; rotating the key means a code change.

    ## Example
    ```python
    s3 = boto3.client("s3", aws_access_key_id="AKIA...", aws_secret_access_key="...")
    ```

    ## Use instead
    ```python
    s3 = boto3.client("s3")  # credentials from the environment / instance role
    token = os.environ["HF_TOKEN"]
    ```
    Then rotate the leaked credential: removing it from the code does not un-leak it.
    """

    code = "TF301"
    name = "hard-coded-secret"
    factor = 3
    severity = Severity.ERROR
    summary = "Secret (key, token, password, private key) hard-coded in the repository"
    fix = "Read it from the environment (os.environ / a settings object), then rotate the leaked secret."
    kinds = frozenset({kinds.PYTHON, kinds.NOTEBOOK, kinds.DOCKERFILE, kinds.MAKEFILE} | kinds.CONFIG_TEXT_KINDS)
    prefilter = _SecretPrefilter()  # type: ignore[assignment]

    def check(self, file: SourceFile) -> Iterator[Violation]:
        if file.text is None or (file.kind == kinds.DOTENV and kinds.is_dotenv_template(file.path)):
            return
        test_file = kinds.is_test_path(file.path)
        if file.kind == kinds.NOTEBOOK:
            yield from self._notebook(file, test_file)
            return
        code = file.kind == kinds.PYTHON
        for match in scan_lines(file.lines, file.data, file.lower, code=code):
            if test_file and _test_value(match.value):
                continue
            text = file.lines[match.line - 1]
            yield Violation(
                f"{match.description} hard-coded: '{mask(match.value)}'",
                line=match.line,
                column=match.column,
                source=match.masked_line(text),
                key=fingerprint(match.value),
            )

    def _notebook(self, file: SourceFile, test_file: bool) -> Iterator[Violation]:
        notebook = file.notebook
        if notebook is None:
            return
        for cell in notebook.cells:
            if cell.cell_type == "raw":
                continue
            blocks = [(cell.lines, cell.file_lines, "")]
            if cell.outputs:
                blocks.append(([t for t, _ in cell.outputs], [n for _, n in cell.outputs], " in a cell output"))
            for lines, file_lines, where in blocks:
                code = cell.cell_type == "code" and not where
                for match in scan_lines(lines, file.data, file.lower, code=code):
                    if test_file and _test_value(match.value):
                        continue
                    yield Violation(
                        f"{match.description} hard-coded{where}: '{mask(match.value)}'",
                        line=file_lines[match.line - 1],
                        column=None,
                        cell=cell.index,
                        cell_line=match.line if not where else None,
                        source=match.masked_line(lines[match.line - 1]),
                        key=fingerprint(match.value),
                    )


def _test_value(value: str) -> bool:
    lowered = value.lower()
    return any(word in lowered for word in ("test", "fake", "dummy", "mock", "fixture", "example"))



class DotenvCommitted(RepoRule):
    """## What it does
    Reports a `.env` file (also `.env.local`, `.env.production`, `prod.env`...) that git
    tracks, or that is not ignored so the next `git add .` commits it. Templates such as
    `.env.example`, `.env.sample` and `.env.template` are fine: they hold placeholders.

    ## Why is this bad?
    `.env` files exist to keep each deploy's configuration and credentials out of the
    repository. Committed, they leak secrets and pin one machine's settings into every
    checkout.

    ## Example
    `git ls-files` lists `.env`.

    ## Use instead
    ```text
    # .gitignore
    .env
    .env.*
    !.env.example
    ```
    Then `git rm --cached .env`, rotate anything it held, and document the variables in
    `.env.example`.
    """

    code = "TF302"
    name = "dotenv-not-ignored"
    factor = 3
    severity = Severity.ERROR
    summary = ".env file committed or not ignored by git"
    fix = "Add `.env` to .gitignore, `git rm --cached` it, and keep placeholders in .env.example."

    def check(self, repo: Repo) -> Iterator[Violation]:
        for entry in repo.of_kind(kinds.DOTENV):
            name = posixpath.basename(entry.path)
            if kinds.is_dotenv_template(name) or kinds.is_test_path(entry.path):
                continue
            if entry.tracked:
                message = f"`{entry.path}` is committed to git"
            elif repo.is_git:
                message = f"`{entry.path}` is not ignored by git: the next `git add .` commits it"
            else:
                message = f"`{entry.path}` is not listed in .gitignore"
            yield Violation(message, path=entry.path)


# /home/alice/..., /Users/alice/..., C:\Users\alice\..., a Colab Drive mount.
_MACHINE_PATH = re.compile(
    r"(?:^|[\s=:'\"(,;]|file://)(?P<path>/home/(?P<home>[^/\s'\"]+)/|/Users/(?P<mac>[^/\s'\"]+)/"
    r"|[A-Za-z]:(?:\\\\|\\|/)Users(?:\\\\|\\|/)(?P<win>[^\\/\s'\"]+)|/content/drive/)"
)
_PLACEHOLDER_USERS = frozenset(
    {"user", "username", "you", "yourname", "your_name", "your-name", "me", "foo", "example", "name",
     "runner", "jovyan", "shared", "public", "default", "$user", "<user>", "{user}", "<username>",
     "{username}", "*", "...", "someone", "myuser", "your_user", "your-user", "<you>"}
)


class AbsoluteMachinePath(FileRule):
    """## What it does
    Reports string literals in Python code and notebook cells that hold a path into one
    person's machine: `/home/alice/...`, `/Users/alice/...`, `C:\\Users\\alice\\...`, or a
    Colab Drive mount (`/content/drive/...`). Comments, docstrings, tests and placeholder
    users (`/home/user/`, `/Users/you/`) are not reported.

    ## Why is this bad?
    The code only runs on that one machine. Colleagues, CI and production fail with
    `FileNotFoundError`, or each edits the path locally and commits it back.

    ## Example
    ```python
    df = pd.read_csv("/home/alice/projects/churn/data/train.csv")
    ```

    ## Use instead
    ```python
    df = pd.read_csv(settings.data_dir / "train.csv")  # DATA_DIR from the environment
    ```
    """

    code = "TF303"
    name = "absolute-machine-path"
    factor = 3
    severity = Severity.WARNING
    summary = "Absolute path into one machine's home folder in code"
    fix = "Read the location from configuration (an env var or settings object), or use a path relative to the project."
    kinds = frozenset({kinds.PYTHON, kinds.NOTEBOOK})
    prefilter = (b"/home/", b"/Users/", b":\\\\Users", b":\\Users", b":/Users", b"/content/drive/")

    def check(self, file: SourceFile) -> Iterator[Violation]:
        if kinds.is_test_path(file.path):
            return
        python = file.python
        if python is None or python.tree is None:
            return
        docstrings = _docstring_nodes(python.tree)
        for node in ast.walk(python.tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in docstrings:
                continue
            match = _MACHINE_PATH.search(node.value)
            if match is None:
                continue
            user = match.group("home") or match.group("mac") or match.group("win")
            if user is not None and (user.lower() in _PLACEHOLDER_USERS or user.startswith(("$", "{", "<", "%"))):
                continue
            where = python.loc(node.lineno)
            shown = node.value.strip()
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            yield Violation(
                f"machine-specific path `{shown}`",
                line=where.line,
                column=node.col_offset + 1,
                cell=where.cell,
                cell_line=where.cell_line,
            )


def _docstring_nodes(tree: ast.Module) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found
