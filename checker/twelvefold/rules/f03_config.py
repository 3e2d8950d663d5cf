"""Factor 3 - Config: in the environment, never in code."""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from twelvefold import kinds, sources
from twelvefold.detectors.machine_paths import machine_path
from twelvefold.detectors.pipeline_notebooks import notebooks_are_pipeline_steps
from twelvefold.detectors.secrets import (
    KEY_WORDS,
    PATTERNS,
    SecretMatch,
    fingerprint,
    is_embedded_assignment,
    is_secret_key,
    looks_like_secret_value,
    mask,
    scan_credential_lines,
    scan_lines,
    yaml_block_scalars,
)
from twelvefold.discovery import FileEntry
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.project.roles import is_config_module
from twelvefold.repo import Repo
from twelvefold.rule import FileRule, RepoRule, fact
from twelvefold.rules._pyast import (
    constant_str,
    docstring_nodes,
    dotted,
    imported_modules,
    nodes,
    training_call,
    walk,
)
from twelvefold.sources import SourceFile

_SECRET_ANCHORS = tuple(anchor for pattern in PATTERNS for anchor in pattern.anchors)


class _SecretPrefilter:
    """Provider anchors in the raw bytes, or a secret-ish key word in any case."""

    def search(self, data: bytes) -> bool:
        # Key words first: most files that pass at all have one (`token`, `password`),
        # and then the many provider anchors need no scan.
        lower = data.lower()
        if any(word in lower for word in KEY_WORDS):
            return True
        return any(anchor in data for anchor in _SECRET_ANCHORS)


_PREFILTER = _SecretPrefilter()


def _worth_scanning(file: SourceFile) -> bool:
    """The prefilter on the bytes where ASCII is found (UTF-16 re-encoded) and on the
    raw bytes; credential stores always (a `.pgpass` line names no key)."""
    if file.kind == kinds.CREDENTIALS or _PREFILTER.search(file.readable_bytes):
        return True
    return file.readable_bytes is not file.data and _PREFILTER.search(file.data)


#: Matches that depend on a key's name or a URL's shape rather than a provider's format.
_GENERIC_MATCHES = ("secret in `", "password in a connection string")
#: Documentation shows provider keys as examples: a line that says so is not reported.
_EXAMPLE_LINE = lazy_compile(
    r"example|e\.g\.|sample|dummy|fake|placeholder|not a real|redacted", re.IGNORECASE
)
#: Minified bundles: generated code, where a key-named value is no hand-written secret.
_MINIFIED = lazy_compile(r"[.\-](?:min|bundle|chunk)\.[cm]?[jt]sx?$")
#: Lines longer than this in JavaScript are generated: only provider formats count there.
_MAX_HANDWRITTEN_LINE = 1000


class _Scan:
    """How one file is scanned: the quoting rules of code or the `key: value` of
    configuration, and which matches count (see `HardCodedSecret`)."""

    def __init__(self, file: SourceFile) -> None:
        self.file = file
        self.code = file.kind in (kinds.PYTHON, kinds.JAVASCRIPT)
        self.docs = file.kind == kinds.DOCS
        self.minified = file.kind == kinds.JAVASCRIPT and bool(_MINIFIED.search(file.path))
        self.test_file = kinds.is_test_path(file.path)
        self.name = posixpath.basename(file.path)
        self.yaml = file.kind == kinds.YAML
        #: Lines of the YAML block scalars of the lines being scanned (`yaml_block_scalars`).
        self.blocks: dict[int, str] = {}

    def matches(self, lines: list[str], data: bytes) -> Iterator[SecretMatch]:
        found = list(scan_lines(lines, data, data.lower(), code=self.code))
        keyed = self.yaml and any(m.description.startswith("secret in `") for m in found)
        self.blocks = yaml_block_scalars(lines) if keyed else {}
        if self.file.kind == kinds.CREDENTIALS:
            seen = {(match.line, match.value) for match in found}
            found += [
                match
                for match in scan_credential_lines(self.name, lines)
                if (match.line, match.value) not in seen
            ]
            found.sort(key=lambda match: match.line)
        for match in found:
            if self.keep(match, lines[match.line - 1]):
                yield match

    def keep(self, match: SecretMatch, text: str) -> bool:
        if self.test_file and _test_fixture(match):
            return False
        generic = match.description.startswith(_GENERIC_MATCHES)
        block = self.blocks.get(match.line)
        if (
            block is not None
            and match.description.startswith("secret in `")
            and (block == ">" or not is_embedded_assignment(text))
        ):
            # Text of a YAML block scalar: no line of it is a YAML key. A folded block
            # (`description: >`) is prose; a literal one (`run: |`) may embed a script or
            # a config file, whose `KEY=value` and `key: value` lines still count.
            return False
        if self.docs:
            return not generic and not _EXAMPLE_LINE.search(text)
        if generic and self.file.kind == kinds.JAVASCRIPT:
            return not self.minified and len(text) <= _MAX_HANDWRITTEN_LINE
        return True


def _docstring_lines(file: SourceFile) -> set[int]:
    """Line numbers of a Python file's docstrings (empty if it does not parse)."""
    python = file.python
    tree = python.tree if python is not None else None
    lines: set[int] = set()
    if tree is None:
        return lines
    for node in walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                end = body[0].end_lineno or body[0].lineno
                lines.update(range(body[0].lineno, end + 1))
    return lines


class HardCodedSecret(FileRule):
    """## What it does
    Reports credentials written into the repository: cloud keys (AWS, Google, Azure),
    API tokens (GitHub, GitLab, Slack, Stripe, OpenAI, Anthropic, Hugging Face, PyPI),
    private keys, passwords inside connection strings (`postgresql://user:pw@host/db`),
    and literal values assigned to secret-named keys (`DB_PASSWORD = "..."`,
    `api_key: ...`, `HF_TOKEN=...`, `npmToken: "..."`). Findings show only a masked
    prefix of the value.

    It reads every file a person writes: Python, notebook cells and their text outputs,
    config files (YAML, TOML, JSON, INI), `.env` files, shell scripts, Dockerfiles,
    Makefiles, JavaScript and TypeScript, plain text notes (`*.txt`), documentation, and
    credential stores by name: SSH and TLS private keys (`id_rsa`, `id_ed25519`, `*.pem`,
    `*.key`), `.aws/credentials`, `.npmrc`, `.pypirc`, `.netrc`, `.git-credentials`,
    `.pgpass`. Whatever stops other rules does not stop it: a file is decoded as the
    tools that read it do (a byte order mark, UTF-16 or UTF-32, a Python coding line such
    as `# -*- coding: latin-1 -*-`), and text that does not decode, or holds NUL bytes,
    is read as far as it goes (the bytes that are no text skipped). A file over the size
    limit of the other rules is read in pieces (TF305 reports a file it could not read).
    Data and model files, images and archives are not read: binary formats carry no
    secret anyone typed.

    Not reported: placeholders (`changeme`, `<your-key>`, `${DB_PASSWORD}`,
    `{{ secrets.TOKEN }}`, empty values, `xxxx`), documented example keys
    (`AKIAIOSFODNN7EXAMPLE`), obvious test values (`"test-token"`), and in test files
    (tests folders, `test_*.py`, `conftest.py`) any value found only by its key's name or
    a connection string's shape (`environ["API_KEY"] = "a127..."`: the test's own key for
    the app it starts; a provider's key format there is still reported), environment
    variable names (`TOKEN_ENV = "HF_TOKEN"`), NLP tokens (`pad_token = "<pad>"`),
    model ids (`Org/Model_Name`), code that computes the value (`settings.API_KEY`,
    `data["api_key"]`, `load_secret(NAME)`), a word ending a sentence (`token
    expansion.`), and keys that are public by design, made to ship inside clients:
    PostHog project keys (`phc_...`) and Stripe publishable keys (`pk_live_...`,
    `pk_test_...`). The text of a YAML block scalar is no key: a folded block
    (`description: >`) is prose, and a literal block (`run: |`) counts only its
    `KEY=value` and `key: value` lines (an embedded script or config file). Key/value and connection-string look-alikes are not
    reported inside Python docstrings (usage examples such as
    `User(password='password1')`), in documentation (Markdown, reStructuredText), nor in
    minified JavaScript; documentation reports provider keys (`AKIA...`, `ghp_...`,
    private keys) unless the line calls them an example. A provider's key is reported
    everywhere else.

    ## Why is this bad?
    A secret in git is public to everyone with read access, forever: it survives in
    history after deletion, in forks and in CI logs. It also ties the code to one
    deploy; rotating the key means a code change.

    ## Example
    ```python
    # src/churn/ingest.py
    import psycopg

    conn = psycopg.connect("postgresql://churn:T7rvQ2m9Lp4x@db.internal:5432/features")
    ```

    ## Use instead
    ```python
    # src/churn/ingest.py
    import os

    import psycopg

    conn = psycopg.connect(os.environ["DATABASE_URL"])  # from the deploy's secret store
    ```
    Then rotate the leaked credential: removing it from the code does not un-leak it.
    """

    code = "TF301"
    name = "hard-coded-secret"
    factor = 3
    severity = Severity.ERROR
    summary = "Secret (key, token, password, private key) hard-coded in the repository"
    fix = "Read it from the environment (os.environ / a settings object), then rotate the leaked secret."
    kinds = kinds.SECRET_KINDS
    # No engine prefilter: `check` tests the bytes where ASCII is found (a UTF-16 file's
    # raw bytes hold no `AKIA`), and reads credential stores and streamed files whole.
    prefilter = None
    #: The engine hands this rule files whose content is not in memory (see `SourceFile`).
    reads_unloaded: ClassVar[bool] = True

    def check(self, file: SourceFile) -> Iterator[Violation]:
        if file.unreadable is not None or (
            file.kind == kinds.DOTENV and kinds.is_dotenv_template(file.path)
        ):
            return  # an unreadable file is TF305's
        if file.stream is not None:
            yield from self._streamed(file)
            return
        if not _worth_scanning(file):
            return
        if file.kind == kinds.NOTEBOOK and file.notebook is not None:
            yield from self._notebook(file, kinds.is_test_path(file.path))
            return
        # Anything else, a notebook that does not parse included, as lines of text.
        scan = _Scan(file)
        lines = file.readable_lines
        docstrings: set[int] | None = None
        seen: set[tuple[int, str]] = set()
        for match in scan.matches(lines, file.readable_bytes):
            if file.kind == kinds.PYTHON and match.description.startswith(_GENERIC_MATCHES):
                if docstrings is None:
                    docstrings = _docstring_lines(file)
                if match.line in docstrings:
                    continue
            seen.add((match.line, match.value))
            yield _violation(match, match.line, match.column, lines[match.line - 1])
        if not sources.ascii_superset(file.encoding) and not file.encoding.startswith(
            ("utf-16", "utf-32")
        ):
            # A coding line names a codec that does not read ASCII as ASCII (`cp500`):
            # what the bytes say in clear is read too.
            raw = sources.decode_readable(file.data, "utf-8").splitlines()
            for match in scan.matches(raw, file.data):
                if (match.line, match.value) not in seen:
                    yield _violation(match, match.line, match.column, raw[match.line - 1])

    def _streamed(self, file: SourceFile) -> Iterator[Violation]:
        """A file over the content limit, scanned piece by piece (`sources.stream_text`):
        each match is reported once, by the piece that holds it with its context."""
        assert file.stream is not None
        scan = _Scan(file)
        deferred_from = sources.STREAM_OVERLAP_CHARS - sources.STREAM_CONTEXT_CHARS
        previous: set[str] = set()  # values reported on the last line of the piece before
        for piece in sources.stream_text(file.stream, file.kind):
            lines = piece.lines
            reported: set[str] = set()
            data = "\n".join(lines).encode("utf-8", "surrogatepass")
            for match in scan.matches(lines, data):
                start = match.column - 1
                if match.line == 1:
                    if piece.repeated and match.value in previous:
                        continue  # reported with the piece before
                    if piece.column > 1 and (
                        start < sources.STREAM_CONTEXT_CHARS
                        or (not scan.code and match.description.startswith("secret in `"))
                    ):
                        continue  # the piece before holds it (or its line start)
                if piece.cut and start >= len(lines[-1]) - deferred_from:
                    continue  # whole, with its context, in the next piece
                if match.line == len(lines):
                    reported.add(match.value)
                column = start + (piece.column if match.line == 1 else 1)
                line = piece.first_line + match.line - 1
                yield _violation(match, line, column, lines[match.line - 1])
            previous = reported

    def _notebook(self, file: SourceFile, test_file: bool) -> Iterator[Violation]:
        notebook = file.notebook
        if notebook is None:
            return
        data = file.readable_bytes
        lower = data.lower()
        for cell in notebook.cells:
            if cell.cell_type == "raw":
                continue
            blocks = [(cell.lines, cell.file_lines, "")]
            if cell.outputs:
                blocks.append(
                    (
                        [t for t, _ in cell.outputs],
                        [n for _, n in cell.outputs],
                        " in a cell output",
                    )
                )
            for lines, file_lines, where in blocks:
                code = cell.cell_type == "code" and not where
                for match in scan_lines(lines, data, lower, code=code):
                    if test_file and _test_fixture(match):
                        continue
                    violation = _violation(
                        match, file_lines[match.line - 1], None, lines[match.line - 1], where
                    )
                    yield Violation(
                        violation.message,
                        line=violation.line,
                        column=None,
                        cell=cell.index,
                        cell_line=match.line if not where else None,
                        source=violation.source,
                        key=violation.key,
                    )


def _violation(
    match: SecretMatch, line: int | None, column: int | None, text: str, where: str = ""
) -> Violation:
    return Violation(
        f"{match.description} hard-coded{where}: '{mask(match.value)}'",
        line=line,
        column=column,
        source=match.masked_line(text),
        key=fingerprint(match.value),
    )


class _NeverInMemory:
    """A prefilter no file in memory passes: TF305 is about files that are not."""

    def search(self, data: bytes) -> bool:
        return False


class SecretScanIncomplete(FileRule):
    """## What it does
    Reports a file that may hold a secret but that the secret scan (TF301) could not
    read whole: a file it is not allowed to read (permissions), or one so large that the
    scan stopped after its first GiB. Every kind of file TF301 reads counts (code,
    configuration, notes, credential stores); data and model files, images and archives
    never do: binary formats carry no secret anyone typed.

    ## Why is this bad?
    The gate says "no secret" about a file nobody read: a key in an unreadable
    `config/prod.yaml` passes review and CI alike. The run cannot tell, so it says so.

    ## Example
    `config/prod.yaml` is mode `000` in the checkout, or `src/tables.py` is 2 GB.

    ## Use instead
    Make the file readable by the user that runs the check (`chmod a+r`), or move large
    generated files out of the repository (an artifact store, DVC, git-LFS).
    """

    code = "TF305"
    name = "secret-scan-incomplete"
    factor = 3
    severity = Severity.WARNING
    summary = "File that may hold a secret could not be scanned for secrets"
    fix = (
        "Make the file readable (or move it out of the repository) so the secret scan can read it."
    )
    kinds = kinds.SECRET_KINDS
    prefilter = _NeverInMemory()  # type: ignore[assignment]
    reads_unloaded: ClassVar[bool] = True

    def check(self, file: SourceFile) -> Iterator[Violation]:
        if file.unreadable is not None:
            yield Violation(
                f"not scanned for secrets: the file could not be read ({file.unreadable})"
            )
        elif file.stream is not None and file.size > sources.MAX_STREAMED_BYTES:
            yield Violation(
                f"only the first {_size(sources.MAX_STREAMED_BYTES)} of {_size(file.size)} "
                "were scanned for secrets"
            )


def _size(count: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"


def _test_value(value: str) -> bool:
    lowered = value.lower()
    return any(word in lowered for word in ("test", "fake", "dummy", "mock", "fixture", "example"))


def _test_fixture(match: SecretMatch) -> bool:
    """A match in a test file that is the test's own value: an obvious test value, or any
    value found only by its key's name or a URL's shape (`environ["API_KEY"] = "<uuid>"`
    for an in-process app, `postgresql://u:pw@localhost/test`). Nothing tells such a value
    from a fixture; a provider's key format (`AKIA...`, `ghp_...`) still counts."""
    return _test_value(match.value) or match.description.startswith(_GENERIC_MATCHES)


#: Compose files (`docker-compose.yml`, `docker-compose.prod.yaml`, `compose.yaml`).
_COMPOSE_PATTERNS = ("docker-compose*.yml", "docker-compose*.yaml", "compose*.yml", "compose*.yaml")
_COMPOSE_NAME = lazy_compile(r"(?:docker-)?compose(?:[.-][\w.-]+)?\.ya?ml")
_DOTENV_LINE = lazy_compile(r"^\s*(?:export\s+)?(?P<key>[A-Za-z_][\w.\-]*)\s*=(?P<value>.*)$")
#: Words of a key that may name a credential even when `is_secret_key` lets them pass.
_SECRET_KEY_WORDS = frozenset(
    {"key", "credential", "credentials", "auth", "dsn", "cert", "pass", "private"}
)
_URL_PASSWORD = lazy_compile(r"://[^/\s:@]+:[^/\s@]+@")


class DotenvCommitted(RepoRule):
    """## What it does
    Reports a `.env` file (also `.env.local`, `.env.production`, `prod.env`...) that git
    tracks, or that is not ignored so the next `git add .` commits it. Templates such as
    `.env.example`, `.env.sample` and `.env.template` are fine: they hold placeholders;
    so are `example.env`, `sample.env`, `template.env` and `.env-example` (the word
    before or after `env`, any separator). So is a named settings file such as `app.env`
    that a compose file shares between its services (`env_file: app.env`) when none of
    its keys names a secret and no value looks like one (`REDIS_HOST=redis`,
    `IMAGE_WIDTH=224`): that is configuration committed on purpose, kept out of the code.
    A `.env` or `.env.*` is reported whatever it holds: those names are the ones every
    tool reads and every `.gitignore` is expected to exclude.

    ## Why is this bad?
    `.env` files exist to keep each deploy's configuration and credentials out of the
    repository. Committed, they leak secrets and pin one machine's settings into every
    checkout.

    ## Example
    A `.env` that git tracks (`git ls-files` lists it):
    ```dotenv
    # .env
    MLFLOW_TRACKING_URI=http://localhost:5000
    DATA_DIR=./data
    ```

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
    depends_on = ("@dotenv", ".gitignore", *_COMPOSE_PATTERNS)
    name = "dotenv-not-ignored"
    factor = 3
    severity = Severity.ERROR
    roles = frozenset(role.ROLES) - {role.TEMPLATE}
    summary = ".env file committed or not ignored by git"
    fix = "Add `.env` to .gitignore, `git rm --cached` it, and keep placeholders in .env.example."

    def check(self, repo: Repo) -> Iterator[Violation]:
        shared: set[str] | None = None
        for entry in repo.of_kind(kinds.DOTENV):
            name = posixpath.basename(entry.path)
            if kinds.is_dotenv_template(name) or kinds.is_test_path(entry.path):
                continue
            if not name.lower().startswith(".env"):
                shared = _compose_env_files(repo) if shared is None else shared
                if entry.path in shared and _only_settings(repo.source(entry.path)):
                    continue
            if entry.tracked:
                message = f"`{entry.path}` is committed to git"
            elif repo.is_git:
                message = f"`{entry.path}` is not ignored by git: the next `git add .` commits it"
            else:
                message = f"`{entry.path}` is not listed in .gitignore"
            yield Violation(message, path=entry.path)


def _compose_env_files(repo: Repo) -> set[str]:
    """Repository paths of the files compose files name as `env_file:` of a service."""
    named: set[str] = set()
    for entry in repo.files:
        if not _COMPOSE_NAME.fullmatch(posixpath.basename(entry.path)):
            continue
        source = repo.source(entry.path)
        document = source.yaml if source is not None else None
        services = document.get("services") if isinstance(document, dict) else None
        if not isinstance(services, dict):
            continue
        folder = posixpath.dirname(entry.path)
        for service in services.values():
            value = service.get("env_file") if isinstance(service, dict) else None
            for item in value if isinstance(value, list) else [value]:
                path = item.get("path") if isinstance(item, dict) else item
                if isinstance(path, str) and path.strip():
                    named.add(posixpath.normpath(posixpath.join(folder, path.strip())))
    return named


def _only_settings(source: SourceFile | None) -> bool:
    """Whether a dotenv file holds settings only: no key names a secret (`DB_PASSWORD`,
    `API_KEY`, `AUTH_...`, `..._CREDENTIALS`) and no value looks like a credential or a
    URL with a password in it."""
    if source is None or source.text is None:
        return False
    for line in source.lines:
        match = _DOTENV_LINE.match(line)
        if match is None:
            continue
        key, value = match.group("key"), match.group("value").strip().strip("\"'")
        words = set(re.split(r"[_.\-]+", key.lower()))
        if is_secret_key(key) or not words.isdisjoint(_SECRET_KEY_WORDS):
            return False
        if _URL_PASSWORD.search(value) or looks_like_secret_value(value):
            return False
    return True


# /home/alice/..., /Users/alice/..., C:\Users\alice\..., a Colab Drive mount.

#: A path quoted in a message ends at a space or a quote.
_PATH_REST = lazy_compile(r"[^ \t'\"]*")
#: Keywords whose text documents an option (argparse, click, typer): never a path in use.
_DOC_KEYWORDS = frozenset({"help", "usage", "epilog", "description"})
#: Names of variables holding documentation (`USAGE`, `HELP_TEXT`, `EXAMPLE_DOC_STRING`,
#: `f.__doc__`), by their last word once `_str`/`_text`... is set aside.
_DOC_WORDS = frozenset({"doc", "docs", "docstring", "docstrings", "usage", "help", "epilog"})
_TEXT_WORDS = frozenset({"str", "string", "text", "msg", "message", "template", "tpl"})
#: A text that says what it is: `Usage: python prepare.py ...`, `Examples:`.
_DOC_TEXT = lazy_compile(r"\s*(?:usage|examples?)\s*:", re.IGNORECASE)


def _is_doc_name(target: ast.expr) -> bool:
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    words = [word for word in name.lower().split("_") if word]
    while len(words) > 1 and words[-1] in _TEXT_WORDS:
        words.pop()
    return bool(words) and words[-1] in _DOC_WORDS


def _documentation_strings(tree: ast.AST) -> set[int]:
    """ids of the string constants that document rather than run: docstrings, bare string
    statements, help/usage/epilog/description keywords, arguments of docstring helpers
    (`@add_start_docstrings(...)`) and values assigned to documentation names."""
    found = docstring_nodes(tree)
    texts: list[ast.expr] = []
    for node in walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, (ast.Constant, ast.JoinedStr)):
            texts.append(node.value)
        elif isinstance(node, ast.Call):
            helper = "docstring" in _callee(node.func).lower()
            texts.extend(node.args if helper else ())
            texts.extend(k.value for k in node.keywords if helper or k.arg in _DOC_KEYWORDS)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node.value:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_is_doc_name(target) for target in targets):
                texts.append(node.value)
    for text in texts:
        found.update(
            id(sub)
            for sub in ast.walk(text)
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str)
        )
    return found


def _quoted_path(node: ast.Constant, start: int) -> str:
    """The path as the message quotes it: from its machine-specific start to the next
    space or quote, and to the end of its line when the string spans source lines (a
    script, a usage text): never the string's first line."""
    text = node.value
    assert isinstance(text, str)  # callers pass string constants only
    rest = text[start:]
    if (getattr(node, "end_lineno", None) or node.lineno) > node.lineno:
        rest = rest.split("\n", 1)[0]
    match = _PATH_REST.match(rest)
    assert match is not None  # a `*` pattern matches every string, if only with ""
    return match.group(0)


def _path_line(lines: list[str], node: ast.Constant, path: str, before: str) -> tuple[int, int]:
    """Line and column of `path` in the source of the string `node`: the line holding it,
    not the line where a multi-line string starts. On that first line the column is the
    string's; on a later one, the path's."""
    first, last = node.lineno, getattr(node, "end_lineno", None) or node.lineno
    if last > first and path not in lines[first - 1][node.col_offset :]:
        for number in range(first + 1, min(last, len(lines)) + 1):
            at = lines[number - 1].find(path)
            if at >= 0:
                return number, at + 1
        # Escapes make the source differ from the value (`C:\\Users`): count newlines.
        number = min(first + before.count("\n"), last)
        if number > first:
            return number, 1
    return first, node.col_offset + 1


class AbsoluteMachinePath(FileRule):
    """## What it does
    Reports string literals in Python code and notebook cells that hold a path into one
    person's machine: `/home/alice/...`, `/Users/alice/...`, `C:\\Users\\alice\\...`, or a
    Colab Drive mount (`/content/drive/...`), at the line that holds the path. Comments,
    tests, placeholder users (`/home/user/`, `/Users/you/`) and documentation are not
    reported: docstrings, `help=`/`usage=`/`epilog=`/`description=` texts of argparse or
    click, usage and example texts (`USAGE = ...`, `"Usage: python prep.py ..."`,
    `EXAMPLE_DOC_STRING`, `f.__doc__ = ...`, `@add_start_docstrings(...)`) and bare
    string statements.

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
        documentation = _documentation_strings(python.tree)
        for node in walk(python.tree):
            if (
                not (isinstance(node, ast.Constant) and isinstance(node.value, str))
                or id(node) in documentation
                or _DOC_TEXT.match(node.value)
            ):
                continue
            match = machine_path(node.value)
            if match is None:
                continue
            start = match.start("path")
            path = _quoted_path(node, start)
            line, column = _path_line(python.lines, node, path, node.value[:start])
            where = python.loc(line)
            shown = path if len(path) <= 60 else path[:57] + "..."
            yield Violation(
                f"machine-specific path `{shown}`",
                line=where.line,
                column=column,
                cell=where.cell,
                cell_line=where.cell_line,
            )


# --- hyperparameters hard-coded next to a config that defines them -------------------------

# Synonyms share a group: `lr` in a YAML config and `learning_rate=` in code are one knob.
_HYPERPARAMETER_GROUPS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "learning_rate lr",
        "epochs num_epochs n_epochs max_epochs nb_epoch",
        "n_estimators num_boost_round num_iterations num_trees",
        "max_depth",
        "num_leaves",
        "min_child_samples min_data_in_leaf",
        "min_child_weight",
        "subsample bagging_fraction",
        "colsample_bytree feature_fraction",
        "reg_alpha lambda_l1",
        "reg_lambda lambda_l2",
        "batch_size train_batch_size per_device_train_batch_size",
        "test_size test_split test_ratio",
        "val_size valid_size validation_split val_split",
        "weight_decay",
        "momentum",
        "dropout dropout_rate",
        "warmup_steps",
        "gradient_accumulation_steps",
        "max_iter",
        "hidden_size hidden_dim",
        "num_layers n_layers",
    )
)
_GROUP_OF = {name: index for index, group in enumerate(_HYPERPARAMETER_GROUPS) for name in group}
_HYPERPARAMETER_BYTES = lazy_compile(
    rb"\b(?:" + b"|".join(re.escape(n.encode()) for n in sorted(_GROUP_OF)) + rb")\s*[=:]"
)
_TRAINING_NAME = lazy_compile(r"train|fit|tune|experiment|sweep")
_CONFIG_SUFFIXES = (
    "Config|Settings|Params|Parameters|HParams|Hparams|Hyperparameters|Args|Arguments|Cfg"
)
_CONFIG_CLASS = lazy_compile(rf"(?:{_CONFIG_SUFFIXES})$")
#: The bytes of such a class's definition: `class TrainConfig`, `class Settings(`.
_CONFIG_CLASS_BYTES = lazy_compile(rf"class\s+[^\s(:]*(?:{_CONFIG_SUFFIXES})\b".encode())
#: YAML/TOML/JSON files that configure tools, not runs.
_TOOL_CONFIG = lazy_compile(
    r"(?:^|/)(?:\.github/|\.gitlab-ci|\.pre-commit|\.vscode/|\.devcontainer/|docker-compose|compose\.|dvc\.(?:yaml|lock)"
    r"|environment\.ya?ml|pyproject\.toml|[^/]*\.lock$|package(?:-lock)?\.json|tsconfig|mkdocs\.ya?ml|\.copier-answers"
    r"|codecov|renovate|\.readthedocs|Pipfile|\.?ruff\.toml|\.?mypy|pytest\.ini|\.?dependabot|conda-lock)"
)
_MAX_CONFIG_BYTES = 256 * 1024
#: Calls that use a trained model rather than train one: their `batch_size=` is an
#: inference batch, not a training hyperparameter.
_INFERENCE_CALLS = frozenset(
    {
        "predict",
        "predict_proba",
        "predict_on_batch",
        "evaluate",
        "transform",
        "generate",
        "encode",
        "inference",
    }
)
#: Folders that hold a project's configuration: the project is the folder above them.
_CONFIG_FOLDERS = frozenset({"config", "configs", "conf", "cfg", "params", "hparams", "settings"})


# The keyword regex is tested inside, after the cheaper test for training code or a
# settings class that most files fail.
@fact("hyperparameter-literals", kinds=(kinds.PYTHON,))
def hyperparameter_literals(file: SourceFile) -> dict[str, list[Any]] | None:
    """Numeric literals passed as hyperparameter keywords in training code, and the
    hyperparameter fields of settings classes (`class TrainConfig: lr: float = 0.1`)."""
    if kinds.is_test_path(file.path):
        return None
    training = (
        bool(_TRAINING_NAME.search(posixpath.basename(file.path)))
        or b".fit(" in file.data
        or b".backward(" in file.data
    )
    if not training and not _CONFIG_CLASS_BYTES.search(file.data):
        return None  # neither literals (training code only) nor a settings class: no parse
    if not _HYPERPARAMETER_BYTES.search(file.data):
        return None  # no `lr=` / `epochs:`...: no literal and no settings field
    python = file.python
    if python is None or python.tree is None:
        return None
    literals: list[list[str | int]] = []  # [keyword, source text, line, column]
    fields: list[str] = []
    parents: dict[int, ast.AST] | None = None
    for node in walk(python.tree):
        if isinstance(node, ast.ClassDef) and _CONFIG_CLASS.search(node.name):
            for statement in node.body:
                target: ast.expr | None = (
                    statement.target if isinstance(statement, ast.AnnAssign) else None
                )
                if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                    target = statement.targets[0]
                if isinstance(target, ast.Name) and target.id.lower() in _GROUP_OF:
                    fields.append(target.id.lower())
        elif training and isinstance(node, ast.Call):
            callee = _callee(node.func)
            if _CONFIG_CLASS.search(callee) or callee in ("dict", "add_argument", "get", "getenv"):
                continue  # building or reading the config itself
            if callee in _INFERENCE_CALLS:
                continue  # `model.predict(x, batch_size=128)` trains nothing
            for keyword in node.keywords:
                if keyword.arg in _GROUP_OF and _is_number(keyword.value):
                    if keyword.arg == "weight_decay" and _is_zero(keyword.value):
                        if parents is None:
                            parents = {
                                id(child): parent
                                for parent in walk(python.tree)
                                for child in ast.iter_child_nodes(parent)
                            }
                        if _in_parameter_group(node, parents):
                            continue  # the deliberate no-decay group (biases, norms)
                    text = ast.get_source_segment(python.text, keyword) or f"{keyword.arg}=..."
                    literals.append(
                        [
                            keyword.arg,
                            text,
                            keyword.lineno,
                            keyword.col_offset + 1,
                        ]
                    )
    if not literals and not fields:
        return None
    return {"literals": literals, "fields": fields}


def _callee(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _is_number(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, (int, float))
        and not isinstance(node.value, bool)
    )


def _is_zero(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value == 0


def _in_parameter_group(call: ast.Call, parents: dict[int, ast.AST]) -> bool:
    """Whether a call builds one optimizer parameter group: an element of a list of
    groups (`[dict(params=decay), Group(params=no_decay, weight_decay=0.0)]`) or the
    argument of `optimizer.add_param_group(...)`."""
    parent = parents.get(id(call))
    if isinstance(parent, (ast.List, ast.Tuple)):
        return True
    return (
        isinstance(parent, ast.Call)
        and call in parent.args
        and _callee(parent.func) == "add_param_group"
    )


def _config_keys(data: object, depth: int = 0) -> Iterator[str]:
    if depth > 6:
        return
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                yield key.strip().lower().replace("-", "_")
            yield from _config_keys(value, depth + 1)
    elif isinstance(data, list):
        for item in data[:200]:
            yield from _config_keys(item, depth + 1)


def _config_home(config_path: str) -> str:
    """The folder a config file configures: the one above its `configs/` folder
    (`week_2/configs/training/x.yaml` configures `week_2`), else its own folder."""
    parts = config_path.split("/")[:-1]
    for index, part in enumerate(parts):
        if part.lower() in _CONFIG_FOLDERS:
            return "/".join(parts[:index])
    return "/".join(parts)


def _same_project(repo: Repo, config_path: str, code_path: str) -> bool:
    """Whether a config configures a code file. A config file does when the code sits
    under the folder it configures (`params.yaml` at the root configures everything; a
    course's `week_2/configs/x.yaml` is not `week_0/train.py`'s, a pipeline's
    `rec/config.json` is not `intent/train.py`'s), or when the code names it (its path or
    stem, as `yaml.safe_load(open("configs/finetune.yaml"))` or `config_name="finetune"`
    do). A settings class in a module does when the code is that module, sits in its
    folder, or imports it."""
    if config_path == code_path:
        return True
    python_config = config_path.endswith(".py")
    config_dir = posixpath.dirname(config_path)
    home = config_dir if python_config else _config_home(config_path)
    if python_config and posixpath.dirname(code_path) == home:
        return True
    if not python_config and (not home or code_path.startswith(home + "/")):
        return True
    source = repo.source(code_path)
    text = source.text if source is not None else None
    if not text:
        return False
    stem = posixpath.splitext(posixpath.basename(config_path))[0]
    if python_config:
        # `from pipeline.settings import TrainConfig`, `from .settings import ...`
        pattern = rf"^\s*(?:from\s+[\w.]*(?<![\w]){re.escape(stem)}(?:\.\w+)*\s+import|import\s+[\w.]*(?<![\w]){re.escape(stem)}\b)"
        return re.search(pattern, text, re.MULTILINE) is not None
    if config_path in text or (home and config_path[len(home) + 1 :] in text):
        return True
    return re.search(rf"(?<![\w-]){re.escape(stem)}(?![\w-])", text) is not None


class HardCodedHyperparameter(RepoRule):
    """## What it does
    Reports hyperparameters and split ratios written as numeric literals in training code
    (`lr=0.05`, `learning_rate=0.03`, `n_estimators=500`, `test_size=0.2`, `epochs=50`)
    when the project's configuration defines that same knob: a key in a YAML/TOML/JSON
    run configuration (`params.yaml`, `configs/*.yaml`, Hydra configs) or a field of a
    settings class (`class TrainConfig`, `Settings(BaseSettings)`). Synonyms count as the
    same knob (`lr` / `learning_rate`, `epochs` / `num_epochs`).

    Only that strong evidence is reported: the config says the value is configurable,
    the code silently ignores it. The config must be one the code uses: a file at the
    root, or one whose folder (the folder above its `configs/`) holds the code (a
    course's `week_2/configs/x.yaml` does not configure `week_0/train.py`, nor one
    pipeline's `rec/config.json` another's `intent/train.py`), or one the code names
    (its path or stem); a settings class counts for its own module, the modules beside
    it and those that import it. Inference calls (`predict`, `predict_proba`,
    `evaluate`, `transform`, `generate`, `encode`) train nothing: their `batch_size=`
    is not reported. `weight_decay=0.0` in an optimizer parameter group (an
    element of a list of groups, or given to `add_param_group`) is the deliberate
    no-decay group, not a hard-code. Literals in projects with no configuration at all are
    not reported (a notebook or a one-off script may legitimately fix them), nor are
    tests, argparse defaults, or calls that build the config object itself.

    ## Why is this bad?
    Someone changes `lr` in the config, the run logs the new value, and the model is
    still trained with the literal: the recorded parameters lie, and experiments cannot
    be compared or reproduced.

    ## Example
    The run configuration says `lr: 0.1`; the training code loads it and uses `0.05`:
    ```yaml
    # configs/train.yaml
    lr: 0.1
    epochs: 30
    ```
    ```python
    # src/churn/train.py
    import torch
    import yaml

    cfg = yaml.safe_load(open("configs/train.yaml"))
    model = torch.nn.Linear(20, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    ```

    ## Use instead
    ```python
    # src/churn/train.py
    import torch
    import yaml

    cfg = yaml.safe_load(open("configs/train.yaml"))
    model = torch.nn.Linear(20, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=cfg["lr"])
    ```
    """

    code = "TF304"
    depends_on = ("@code", "@config")
    name = "hard-coded-hyperparameter"
    factor = 3
    severity = Severity.WARNING
    roles = role.PRODUCT
    summary = "Hyperparameter hard-coded in training code although the config defines it"
    fix = "Read the value from the configuration instead of a literal."
    facts = ("hyperparameter-literals",)

    def applies(self, repo: Repo) -> bool:
        return repo.has_python

    def check(self, repo: Repo) -> Iterator[Violation]:
        collected = repo.facts("hyperparameter-literals")
        if not any(item["literals"] for item in collected.values()):
            return
        defined: dict[int, list[tuple[str, str]]] = {}  # group -> [(config path, key)]
        for path in sorted(collected):
            for field_name in collected[path]["fields"]:
                defined.setdefault(_GROUP_OF[field_name], []).append((path, field_name))
        for entry, data in _config_documents(repo):
            seen: set[int] = set()
            for key in _config_keys(data):
                if key in _GROUP_OF and _GROUP_OF[key] not in seen:
                    seen.add(_GROUP_OF[key])
                    defined.setdefault(_GROUP_OF[key], []).append((entry.path, key))
        for path in sorted(collected):
            for name, text, line, column in collected[path]["literals"]:
                where = next(
                    (
                        (config_path, key)
                        for config_path, key in defined.get(_GROUP_OF[name], [])
                        if _same_project(repo, config_path, path)
                    ),
                    None,
                )
                if where is None:
                    continue
                config_path, key = where
                yield Violation(
                    f"`{text}` is hard-coded in training code although {config_path} defines `{key}`",
                    path=path,
                    line=line,
                    column=max(column, 1),
                    fix=f"Pass the value from the configuration ({config_path}: `{key}`) instead of a literal.",
                )


# --- hyperparameters hard-coded with no configuration at all -------------------------------

#: A solver's convergence budget (`LogisticRegression(max_iter=1000)`) more often than a
#: tuned knob: compared with a config that defines it (TF304), not reported alone.
_NOT_TUNED = frozenset({"max_iter"})
#: Command line and config libraries: a training module that takes its knobs from one
#: (`typer.Option`, a JSON `--train-loop-config`) has a configuration, even if a
#: literal is left beside it.
_CONFIG_READERS = frozenset(
    {
        "argparse",
        "click",
        "typer",
        "fire",
        "absl",
        "hydra",
        "omegaconf",
        "ml_collections",
        "gin",
        "jsonargparse",
    }
)


@dataclass(frozen=True)
class ParameterBlock:
    """One call, parameter dict or run of module constants that fixes hyperparameters."""

    what: str  # "`RandomForestClassifier(...)`", "a parameter dict", "module constants"
    names: tuple[str, ...]  # the literals, as written (`n_estimators=500`)
    line: int | None
    cell: int | None
    cell_line: int | None


@fact("training-parameter-blocks", kinds=kinds.CODE_KINDS, prefilter=_HYPERPARAMETER_BYTES)
def training_parameter_blocks(file: SourceFile) -> tuple[ParameterBlock, ...] | None:
    """In an application's training code (a module or notebook that trains a model):
    each call given hyperparameters as numeric literals, each dict literal of two or more
    of them (a parameter grid), and each run of module-level constants naming two or more
    of them (`EPOCHS = 10`, `BATCH_SIZE = 32`)."""
    if (
        file.repo_kind != project_kind.APPLICATION
        or file.role not in role.PRODUCT
        or kinds.is_test_path(file.path)
        or is_config_module(file.path)
    ):
        return None
    python = file.python
    tree = python.tree if python is not None else None
    if python is None or tree is None:
        return None
    calls = nodes(tree, ast.Call)
    if not any(training_call(node, dotted(node.func)) for node in calls):
        return None  # not training code
    if imported_modules(tree) & _CONFIG_READERS:
        return None  # the knobs come from the command line or a config library

    def block(what: str, names: list[str], node: ast.AST) -> ParameterBlock:
        where = python.loc(getattr(node, "lineno", 0))
        return ParameterBlock(what, tuple(names), where.line, where.cell, where.cell_line)

    found: list[ParameterBlock] = []
    counted: set[int] = set()
    for node in calls:
        callee = _callee(node.func)
        if _CONFIG_CLASS.search(callee) or callee in ("dict", "add_argument", "get", "getenv"):
            continue  # building or reading the config itself
        if callee in _INFERENCE_CALLS:
            continue  # an inference batch (`model.predict(x, batch_size=128)`) trains nothing
        names = [
            ast.get_source_segment(python.text, keyword) or f"{keyword.arg}=..."
            for keyword in node.keywords
            if keyword.arg in _GROUP_OF
            and keyword.arg not in _NOT_TUNED
            and _is_number(keyword.value)
            and not (keyword.arg == "weight_decay" and _is_zero(keyword.value))
        ]
        if names:
            found.append(block(f"`{dotted(node.func) or callee}(...)`", names, node))
            counted.update(id(inner) for inner in ast.walk(node))
    for mapping in nodes(tree, ast.Dict):
        if id(mapping) in counted:
            continue
        names = [
            key
            for key, value in zip(map(constant_str, mapping.keys), mapping.values, strict=True)
            if key and key.lower() in _GROUP_OF and _is_numbers(value)
        ]
        if len(names) >= 2:
            found.append(block("a parameter dict", names, mapping))
    run: list[ast.stmt] = []
    for statement in [*tree.body, None]:
        name = _constant_name(statement)
        if name is not None:
            run.append(statement)  # type: ignore[arg-type]
            continue
        names = [_constant_name(item) or "" for item in run]
        if len(names) >= 2:
            texts = [
                ast.get_source_segment(python.text, item) or name
                for item, name in zip(run, names, strict=True)
            ]
            found.append(block("module constants", texts, run[0]))
        run = []
    return tuple(sorted(found, key=lambda b: b.line or 0)) or None


def _constant_name(statement: ast.stmt | None) -> str | None:
    """`EPOCHS = 10` / `lr: float = 1e-3` at module level: the hyperparameter it names."""
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target, value = statement.targets[0], statement.value
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        target, value = statement.target, statement.value
    else:
        return None
    if isinstance(target, ast.Name) and target.id.lower() in _GROUP_OF and _is_number(value):
        return target.id
    return None


def _is_numbers(node: ast.expr) -> bool:
    """A number, or a list/tuple of numbers (a grid's candidate values)."""
    if isinstance(node, (ast.List, ast.Tuple)):
        return bool(node.elts) and all(_is_number(item) for item in node.elts)
    return _is_number(node)


def _defined_hyperparameters(repo: Repo, collected: Mapping[str, dict[str, Any]]) -> bool:
    """Whether the project configures any hyperparameter: a settings-class field or a
    key of a run configuration file (what TF304 compares literals with)."""
    if any(item["fields"] for item in collected.values()):
        return True
    for _, data in _config_documents(repo):
        if isinstance(data, dict) and any(
            isinstance(key, str) and key.lower() in _TRAINING_SECTIONS and isinstance(value, dict)
            for key, value in data.items()
        ):
            return True  # `{"training": {"alpha": 0.4}}`: the project's own parameters file
        if any(key in _GROUP_OF for key in _config_keys(data)):
            return True
    return False


#: Top-level sections of a configuration file that hold a run's training parameters,
#: whatever they are named inside (`alpha`, `C`, `gamma`...).
_TRAINING_SECTIONS = frozenset(
    {"training", "train", "hyperparameters", "hparams", "params", "model_params"}
)


def _config_documents(repo: Repo) -> Iterator[tuple[FileEntry, Any]]:
    """The project's own YAML, TOML and JSON configuration files, parsed (JSON is YAML):
    not tool settings, not tests, not over the size limit."""
    for entry in repo.of_kind(kinds.YAML, kinds.TOML, kinds.JSON):
        if (
            entry.size > _MAX_CONFIG_BYTES
            or _TOOL_CONFIG.search(entry.path)
            or kinds.is_test_path(entry.path)
        ):
            continue
        source = repo.source(entry.path)
        if source is None or source.text is None:
            continue
        yield entry, source.toml if entry.kind == kinds.TOML else source.yaml


class HyperparametersWithoutConfig(RepoRule):
    """## What it does
    Reports, in an application with no configuration for its hyperparameters at all,
    training code that fixes them as literals: one finding per call given numeric
    hyperparameters (`RandomForestClassifier(n_estimators=500, max_depth=8)`,
    `train_test_split(X, y, test_size=0.2)`, `model.fit(X, y, epochs=50,
    batch_size=32)`), per parameter dict or grid of two or more of them
    (`{"learning_rate": [0.01, 0.1], "n_estimators": [100, 300]}`), and per run of
    module constants naming two or more (`EPOCHS = 10`, `BATCH_SIZE = 32`). Training
    code is a module that trains a model (`.fit(X, y)`, `trainer.train()`,
    `loss.backward()`), or such a notebook beside the application's own package (a
    pipeline step, not a notebook-only analysis). `max_iter` (a solver's convergence
    budget) is left to TF304.

    Not reported: projects whose configuration defines any hyperparameter (a run config
    file, a settings class: `hard-coded-hyperparameter`, TF304, compares literals with
    it) or has a training section of its own (`{"training": {"alpha": 0.4}}` in a
    `parameters.json`), modules that take their knobs from a command line or config library
    (argparse, click, typer, fire, absl, Hydra, OmegaConf, ml_collections, gin), configuration modules, code that does not train,
    tests, and repositories other than applications (a library's example, a course's
    notebook, a research script fix their values on purpose).

    ## Why is this bad?
    The values that decide what a run trains change between runs. Written into the
    code, every experiment is a code edit, the tracked run does not know which values
    it used unless someone logs them by hand, and production retrains with whatever the
    last commit happened to hold.

    ## Example
    ```python
    # src/churn/train.py
    import pandas as pd
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.model_selection import train_test_split

    df = pd.read_parquet("data/customers.parquet")
    X, y = df.drop(columns="churn"), df["churn"]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    model = GradientBoostingClassifier(n_estimators=300, learning_rate=0.05, max_depth=4)
    model.fit(X_train, y_train)
    ```

    ## Use instead
    ```yaml
    # params.yaml
    test_size: 0.2
    seed: 42
    model:
      n_estimators: 300
      learning_rate: 0.05
      max_depth: 4
    ```
    ```python
    # src/churn/train.py
    import pandas as pd
    import yaml
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.model_selection import train_test_split

    params = yaml.safe_load(open("params.yaml"))
    df = pd.read_parquet("data/customers.parquet")
    X, y = df.drop(columns="churn"), df["churn"]
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=params["test_size"], random_state=params["seed"]
    )
    model = GradientBoostingClassifier(**params["model"])
    model.fit(X_train, y_train)
    ```
    """

    code = "TF306"
    depends_on = ("@code", "@config")
    name = "hyperparameters-without-config"
    factor = 3
    severity = Severity.WARNING
    preview = True  # new in this release: runs with --preview until it is stable
    roles = role.PRODUCT
    repo_kinds = frozenset({project_kind.APPLICATION})
    summary = "Hyperparameters fixed in training code and no configuration for them"
    fix = "Move the run's hyperparameters and split ratios to a config file (params.yaml) or settings object and read them from there."
    facts = ("training-parameter-blocks", "hyperparameter-literals")

    def check(self, repo: Repo) -> Iterator[Violation]:
        blocks = repo.facts("training-parameter-blocks")
        if not blocks or _defined_hyperparameters(repo, repo.facts("hyperparameter-literals")):
            return
        steps = notebooks_are_pipeline_steps(repo)
        for path, found in sorted(blocks.items()):
            if path.endswith(".ipynb") and not steps:
                continue  # a notebook-only repository: the notebooks are the exploration
            for item in found:
                shown = ", ".join(f"`{name}`" for name in item.names[:4])
                more = f" and {len(item.names) - 4} more" if len(item.names) > 4 else ""
                yield Violation(
                    f"{item.what} fixes {shown}{more} in training code, and the project has no configuration for its hyperparameters",
                    path=path,
                    line=item.line,
                    cell=item.cell,
                    cell_line=item.cell_line,
                )
