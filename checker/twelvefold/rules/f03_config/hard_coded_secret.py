"""TF301 hard-coded-secret: secret (key, token, password, private key) hard-coded in the
repository."""

from __future__ import annotations

import ast
import functools
import itertools
import posixpath
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import ClassVar

from twelvefold import kinds, sources
from twelvefold.detectors.secrets import (
    KEY_WORDS,
    PATTERNS,
    SECRET_ASSIGNMENT_IN_SET,
    SecretMatch,
    fingerprint,
    is_embedded_assignment,
    mask,
    scan_credential_lines,
    scan_lines,
    yaml_block_scalars,
    yaml_secret_references,
)
from twelvefold.lazy_regex import lazy_compile
from twelvefold.masking import Masked, mask_secrets, masked_values
from twelvefold.model import Severity, Violation
from twelvefold.pattern_sets import SetPrefilter, escaped
from twelvefold.project import roles as role
from twelvefold.project.knowledge import API_EXAMPLE_KEYS
from twelvefold.rule import FileRule
from twelvefold.rules._pyast import (
    walk,
)
from twelvefold.sources import SourceFile

_SECRET_ANCHORS = tuple(anchor for pattern in PATTERNS for anchor in pattern.anchors)
#: What the run's one scan looks for per provider pattern: its shape where it has one
#: (`://` alone is in every license header), else each of its literal anchors.
_PROVIDER_PROBES = tuple(
    probe
    for pattern in PATTERNS
    for probe in (
        ((pattern.shape, pattern.anchors),)
        if pattern.shape is not None
        else tuple((anchor, (anchor,)) for anchor in pattern.anchors)
    )
)


class _SecretPrefilter(SetPrefilter):
    """Provider anchors in the raw bytes, or a secret-ish key word in any case: one RE2
    pass (in the run's one scan), instead of ~40. The same pass tells which provider
    patterns can match and whether code may assign a literal to a secret-named key."""

    def __init__(self) -> None:
        super().__init__()
        self._anchors: frozenset[str] = frozenset()
        self._assigns = True

    @functools.cached_property
    def patterns(self) -> tuple[bytes, ...]:  # type: ignore[override]
        # Made on first use, not at import (importing RE2 costs ~25 ms).
        try:
            import re2  # noqa: F401 (`escaped` needs it)
        except ImportError:
            return ()  # no set: `search` falls back
        probes = tuple(
            probe if probe not in _SECRET_ANCHORS else escaped(probe)
            for probe, _ in _PROVIDER_PROBES
        )
        return (
            tuple(b"(?i)" + escaped(word) for word in KEY_WORDS)
            + probes
            + (SECRET_ASSIGNMENT_IN_SET,)
        )

    def decide_numbers(self, numbers: set[int]) -> bool:
        # A key word or a provider's anchor; a shape's match holds its anchor.
        return any(number < len(KEY_WORDS) + len(_PROVIDER_PROBES) for number in numbers)

    def remember_numbers(self, data: bytes, numbers: set[int]) -> None:
        super().remember_numbers(data, numbers)
        first = len(KEY_WORDS)
        self._anchors = frozenset(
            anchor.decode()
            for number in numbers
            if first <= number < first + len(_PROVIDER_PROBES)
            for anchor in _PROVIDER_PROBES[number - first][1]
        )
        self._assigns = first + len(_PROVIDER_PROBES) in numbers

    def anchors_in(self, data: bytes) -> frozenset[str] | None:
        """The anchors of the provider patterns that can match in `data` when the run's
        one scan read these very bytes (the secret scan then needs no pass of its own to
        find them), else None."""
        return self._anchors if data is self._data else None

    def assigns_in(self, data: bytes) -> bool:
        """Whether code in `data` may assign a literal to a secret-named key; True unless
        the run's one scan read these very bytes and found no such assignment."""
        return self._assigns if data is self._data else True

    def fallback(self, data: bytes) -> bool:
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


#: Translation catalogs (`translations/nl.json`, `locales/de/common.json`, `i18n/`):
#: their values are the UI's labels ("API-sleutels"), keyed by what they name.
_TRANSLATIONS = lazy_compile(r"(?:^|/)(?:translations|locales?|i18n|l10n|lang|langs)/")
#: A connection string's host on this machine: `user:pw@localhost:5432`.
_LOCAL_HOST = lazy_compile(r"@(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?:[:/\s\"'?]|$)")
#: How a secret found in what a notebook cell printed is named.
_CELL_OUTPUT = " in a cell output"
#: Codecov's configuration, whose `token:` is the repository's upload token.
_CODECOV_FILES = frozenset({"codecov.yml", ".codecov.yml", "codecov.yaml", ".codecov.yaml"})
#: The Codecov upload action of a CI workflow (`uses: codecov/codecov-action@v3`).
_CODECOV_ACTION = "codecov/codecov-action"


#: An OAuth scope granting anonymous access (`"scope": "anonymous_account"`).
_ANONYMOUS_SCOPE = lazy_compile(r"""\bscopes?["']?\s*[:=]\s*["'][^"'\n]*anonymous""", re.I)
#: How far from a client secret its request's scope may be written.
_SCOPE_WINDOW = 5


def _anonymous_scope(lines: list[str], line: int | None) -> bool:
    """Whether the lines around `line` ask for an anonymous scope (Opera's `mini-client`
    secret with `scope: anonymous_account`): a credential every install of an app holds."""
    if line is None:
        return False
    nearby = lines[max(0, line - 1 - _SCOPE_WINDOW) : line + _SCOPE_WINDOW]
    return any(_ANONYMOUS_SCOPE.search(text) for text in nearby)


#: A service on this machine named beside a password: `"url": "bolt://localhost:7687"`,
#: `host="127.0.0.1"`.
_LOCAL_SERVICE = lazy_compile(r"\b(?:localhost|127\.0\.0\.1)\b")
#: The message of a password found by its key's name (`secret in `password``).
_PASSWORD_KEY = lazy_compile(r"secret in `[^`]*(?:pass|pwd)[^`]*`", re.IGNORECASE)


def _beside_a_local_service(lines: list[str], line: int | None) -> bool:
    """Whether the lines around `line` name a service on this machine: the password
    then logs into a local sandbox (a demo notebook's `{"url": "bolt://localhost:7687",
    "username": "memgraph", "password": "..."}`), as in a connection string to
    localhost."""
    if line is None:
        return False
    nearby = lines[max(0, line - 1 - _SCOPE_WINDOW) : line + _SCOPE_WINDOW]
    return any(_LOCAL_SERVICE.search(text) for text in nearby)


def _codecov_step_lines(lines: list[str]) -> frozenset[int]:
    """The 1-based numbers of the lines of the workflow steps that use the Codecov
    action: from the step's start (`- name:` or `- uses:`) to the next step or a line
    indented less."""
    found: set[int] = set()
    for index, line in enumerate(lines):
        if _CODECOV_ACTION not in line or "uses" not in line:
            continue
        start = index
        while start > 0 and not lines[start].lstrip().startswith("- "):
            start -= 1  # back to the dash that opens the step
        dash = len(lines[start]) - len(lines[start].lstrip())
        end = start + 1
        while end < len(lines):
            text = lines[end]
            stripped = text.lstrip()
            indent = len(text) - len(stripped)
            if stripped and not stripped.startswith("#") and indent <= dash:
                break  # the next step, or the end of the steps
            end += 1
        found.update(range(start + 1, end + 1))
    return frozenset(found)


def _workflow_service_lines(lines: list[str]) -> frozenset[int]:
    """The 1-based numbers of the lines of a GitHub workflow's `services:` blocks (the
    containers a job starts for itself: `postgres` with `POSTGRES_PASSWORD: test`): from
    the key to the next line indented as little."""
    found: set[int] = set()
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.lstrip()
        if not stripped.startswith("services:"):
            index += 1
            continue
        indent = len(line) - len(stripped)
        end = index + 1
        while end < len(lines):
            text = lines[end]
            inner = text.lstrip()
            if inner and not inner.startswith("#") and len(text) - len(inner) <= indent:
                break
            end += 1
        found.update(range(index + 1, end + 1))
        index = end
    return frozenset(found)


#: Components that run in the browser (React): every value ships to clients.
_BROWSER_SUFFIXES = (".tsx", ".jsx")
#: Folders of a web front end, whose JavaScript ships to the browser: Next.js `pages/`,
#: `components/`, a `gui/` or `frontend/` app.
_BROWSER_FOLDER = lazy_compile(r"(?:^|/)(?:pages|components|gui|frontend|client|public|static)/")


#: A module React's `"use server"` directive keeps on the server (Next.js server actions):
#: none of it ships to the browser.
_SERVER_ONLY = lazy_compile(r"\s*(?://[^\n]*\n\s*)*[\"']use server[\"']")


#: Documentation shows provider keys as examples: a line that says so is not reported.
_EXAMPLE_LINE = lazy_compile(
    r"example|e\.g\.|sample|dummy|fake|placeholder|not a real|redacted", re.IGNORECASE
)


def _docsearch_key(match: SecretMatch, lines: list[str]) -> bool:
    """An `apiKey` in a docs site's `algolia: {...}` block (Docusaurus' `siteConfig.js`):
    Algolia DocSearch's search-only key, public in every page by design."""
    if match.description != "secret in `apiKey`":
        return False
    above = lines[max(0, match.line - 4) : match.line]
    return any("algolia" in line.lower() for line in above)


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
        self.test_file = _test_data(file.path)
        self.name = posixpath.basename(file.path)
        self.yaml = file.kind == kinds.YAML
        #: Lines of the YAML block scalars of the lines being scanned (`yaml_block_scalars`).
        self.blocks: dict[int, str] = {}
        #: Lines of YAML mappings of references to a secret store (`yaml_secret_references`).
        self.references: set[int] = set()
        #: Every value the detector found on each line of the last scan, kept or not: the
        #: line a finding shows has them all masked.
        self.values: dict[int, list[str]] = {}
        #: Lines of the lines being scanned inside a `def test_...` function (a module's
        #: self-test, run by hand): its fixtures are a test's, as in a test file.
        self.in_tests: set[int] = set()

    def matches(
        self, lines: list[str], data: bytes, anchors: frozenset[str] | None = None
    ) -> Iterator[SecretMatch]:
        found = list(scan_lines(lines, code=self.code, anchors=anchors))
        self.values = {}
        for match in found:
            self.values.setdefault(match.line, []).append(match.value)
        self.in_tests = (
            _test_function_lines(lines)
            if found and self.file.kind == kinds.PYTHON and b"def test" in data
            else set()
        )
        keyed = self.yaml and any(m.description.startswith("secret in `") for m in found)
        self.blocks = yaml_block_scalars(lines) if keyed else {}
        self.references = (
            yaml_secret_references(lines)
            if keyed and (b"secrets-manager" in data or b"parameter-store" in data)
            else set()
        )
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
        if match.line in self.in_tests and (
            _test_value(match.value) or _TEST_LOGIN.fullmatch(match.value)
        ):
            return False  # a self-test's example login; a real key there is still one
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
        if match.line in self.references and match.description.startswith("secret in `"):
            return False  # `ACCESS_TOKEN: app-secret:accessToken`: the store's name for it
        if self.docs:
            return not generic and not _EXAMPLE_LINE.search(text)
        if self.file.kind == kinds.REQUIREMENTS and match.description.startswith("secret in `"):
            # A requirement's name and version (`azure-keyvault-secrets==4.7.0`): no key
            # is assigned there. An index URL's credentials (`user:token@host`) still are.
            return False
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


def _schema_example_lines(file: SourceFile) -> set[int]:
    """Line numbers of the values a Python module gives as API examples (`model_config =
    ConfigDict(json_schema_extra={"example": {"password": "SecurePass123!"}})`): shown in
    the API's documentation, sent by nobody. Empty if the module does not parse or
    names no example."""
    python = file.python
    tree = python.tree if python is not None else None
    lines: set[int] = set()
    if tree is None or file.text is None or "example" not in file.text:
        return lines
    values: list[ast.AST] = []
    for node in walk(tree):
        if isinstance(node, ast.keyword) and node.arg in API_EXAMPLE_KEYS:
            values.append(node.value)
        elif isinstance(node, ast.Dict):
            values.extend(
                value
                for key, value in zip(node.keys, node.values, strict=True)
                if isinstance(key, ast.Constant) and key.value in API_EXAMPLE_KEYS
            )
        elif isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id in API_EXAMPLE_KEYS
            for target in node.targets
        ):
            values.append(node.value)
    for value in values:
        start = getattr(value, "lineno", None)
        if start is not None:
            lines.update(range(start, (getattr(value, "end_lineno", None) or start) + 1))
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

    Not reported: placeholders (`changeme`, `<your-key>`, `[password]`, `${DB_PASSWORD}`,
    `{{ secrets.TOKEN }}`, `{random_secret()}`, an Azure template's reference to a
    deployment parameter (`[parameters('adminPassword')]`), a CSS selector such as `#password`, empty
    values, `xxxx`, a value that names itself a password:
    `evidently_password`, `password123`, an API doc's `SecurePassword123!`), documented example keys
    (`AKIAIOSFODNN7EXAMPLE`), obvious test values (`"test-token"`), and in test files
    (tests folders, `test_*.py`, `conftest.py`) any value found only by its key's name or
    a connection string's shape (`environ["API_KEY"] = "a127..."`: the test's own key for
    the app it starts; an env file named for tests, `es-test-creds.env`, counts as a
    test's; a provider's key format there is still reported), an example login (a test
    value or a word and digits, `Doc@123456`) in a module's own `def test_...` function,
    a self-test run by hand (a random key there is still reported), a private key
    in test data (`testdata/tls.key`: the self-signed certificate a test serves TLS
    with), a requirement naming a package and its version (`azure-keyvault-secrets==4.7.0`
    in `requirements.txt`; an index URL's `user:token@` there is still reported),
    a bare `key value` line of a text or configuration file (`secret garden;7102`
    in a list of names; `ENV KEY value` and `set KEY value` are assignments), environment
    variable names (`TOKEN_ENV = "HF_TOKEN"`; an ExternalSecret's `secretKey:
    R2R_SECRET_KEY`), the name of a Kubernetes Secret (Helm's `existingSecret:
    app-secrets`), the names of secrets in a store that AWS CodeBuild resolves (a
    buildspec's `secrets-manager:` or `parameter-store:` mapping, `ACCESS_TOKEN:
    app-secret:accessToken`), NLP tokens (`pad_token = "<pad>"`),
    model ids (`Org/Model_Name`), code that computes the value (`settings.API_KEY`,
    `data["api_key"]`, `load_secret(NAME)`), a word ending a sentence (`token
    expansion.`), and keys that are public by design, made to ship inside clients:
    PostHog project keys (`phc_...`), Stripe publishable keys (`pk_live_...`,
    `pk_test_...`) and Jitsu event keys (`s2s....`, iterative-telemetry's); nor are
    credentials an open-source client publishes in its own code and others copy to talk
    to the same service (Gemini CLI's OAuth client secret, known by its fingerprint).
    The text of a YAML block scalar is no key: a folded block
    (`description: >`) is prose, and a literal block (`run: |`) counts only its
    `KEY=value` and `key: value` lines (an embedded script or config file). Key/value and connection-string look-alikes are not
    reported in translation catalogs (`translations/`, `locales/`, `i18n/`: a label
    such as `"apiKeys": "API-sleutels"`), nor inside Python docstrings (usage examples such as
    `User(password='password1')`) or an API schema's examples (pydantic's
    `json_schema_extra={"example": {"password": "SecurePass123!"}}`, FastAPI's
    `openapi_examples=`), in documentation (Markdown, reStructuredText), nor in
    minified JavaScript, nor in the `services:` of a GitHub workflow's job (the
    `POSTGRES_PASSWORD` of a database the job starts for itself), nor the password of a
    connection string to this machine (`postgresql://user:pswd@localhost:5432/faq`, a
    lesson's local container, a Makefile's "export it first" hint) or one a few lines
    from a service on this machine (`"url": "bolt://localhost:7687"` beside it: a demo's
    local database), unless a notebook cell printed it; documentation reports
    provider keys (`AKIA...`, `ghp_...`,
    private keys) unless the line calls them an example. A provider's key is reported
    everywhere else.

    A value found only by its key's name or a connection string's shape (`DB_PASSWORD =
    "..."`, `postgresql://user:pw@host/db`) is a warning: a generated placeholder, a CI
    service container's password, a schema's example or a local sandbox's login looks
    the same as a leak. A provider's key format (`AKIA...`, `sk-...`, `ghp_...`) and a
    private key are errors, except where a sandbox's or a public value is as likely as
    a leak, and the warnings below say why:
    a Google API key in a Firebase web config (beside `authDomain:
    "x.firebaseapp.com"`: it names the project to every browser), a value found only by
    its key's name in a browser component (not a `"use server"` module)
    (`.tsx`, `.jsx`, JavaScript under `pages/`, `components/`, `gui/`, `frontend/`:
    shipped to every visitor, a widget's public demo key, a local sandbox's login), in a
    compose file (`password: Admin1234!` of a local service) or in a Helm chart's
    `values.yaml` (defaults an install overrides), and the `token:` of `codecov.yml` or of a workflow step
    using `codecov/codecov-action` (an upload token, committed so that forks' pull
    requests can upload coverage), a client secret sent for an anonymous scope (`scope:
    anonymous_account`: the credential an app ships to every install), anything found in
    documentation (`*.md`, `*.rst`, any file under `docs/`: a course's webhook for a
    throwaway workspace, an archived study's notebook, published on purpose), and a value
    found by its key's name in a plain text note (`*.txt`: an archived study's sample
    `secret_key`), anything in an example (`examples/`, `example/`: a sample key shows
    where a key goes), an AWS key in a
    test beside a temporary `ASIA...` key (an STS session's, which expires on its own),
    and a password of a word and digits (`test1234`: a demo login's). A provider's secret
    key format is an error everywhere else.

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
        found = self._found(file)
        first = next(found, None)
        if first is None:
            return  # most files: what follows reads the file's text again, three times
        browser = (
            file.path.endswith(_BROWSER_SUFFIXES)
            or (file.kind == kinds.JAVASCRIPT and _BROWSER_FOLDER.search(file.path) is not None)
        ) and not _SERVER_ONLY.match(file.text or "")
        # A Firebase web app's config (`apiKey` beside `authDomain: "x.firebaseapp.com"`):
        # its Google API key identifies the project to the browser, public by design.
        firebase = file.text is not None and "firebaseapp.com" in file.text
        compose = kinds.is_compose_file(file.path)
        helm_values = posixpath.basename(file.path) in ("values.yaml", "values.yml")
        airflow_config = posixpath.basename(file.path) == "airflow.cfg"
        codecov = posixpath.basename(file.path).lower() in _CODECOV_FILES
        # Documentation (Markdown, rST): a homework's webhook for a throwaway workspace;
        # plain text notes: an archived study's sample settings (its key's name only).
        # (a notebook or a config kept under `docs/`, an archived study's, is documentation)
        documentation = file.kind == kinds.DOCS or file.role == role.DOCS
        notes = file.kind == kinds.TEXT
        translations = _TRANSLATIONS.search(file.path) is not None
        codecov_steps = (
            _codecov_step_lines(file.lines)
            if file.kind == kinds.YAML and file.text is not None and _CODECOV_ACTION in file.text
            else frozenset()
        )
        ci_services = (
            _workflow_service_lines(file.lines)
            if file.kind == kinds.YAML
            and file.path.startswith(".github/workflows/")
            and file.text is not None
            and "services:" in file.text
            else frozenset()
        )
        # Tested once per file, not per finding (100k findings in one file).
        anonymous = file.text is not None and "anonymous" in file.text
        local = file.text is not None and ("localhost" in file.text or "127.0.0.1" in file.text)
        test_data = _test_data(file.path)
        # A temporary AWS key (`ASIA...`, from STS) in a test expires within hours to a
        # day and cannot sign alone (datarobot's lazy-loading test fixture).
        temporary_aws = test_data and file.text is not None and _TEMPORARY_AWS.search(file.text)
        for violation in itertools.chain((first,), found):
            if file.role == role.ARCHIVE and _DEMO_LOGIN in str(violation.message):
                continue  # a demo login in a manifest parked out of use (`kubernetes/disabled/`)
            if translations and violation.message.startswith(_GENERIC_MATCHES):
                continue  # a UI label keyed by what it names (Dutch for "API keys")
            if violation.line in ci_services and violation.message.startswith(_GENERIC_MATCHES):
                continue  # the password of a database the CI job starts for itself
            if test_data and violation.message.startswith("private key"):
                # seldon-core's `testdata/tls.key`, feast's `tests/data/localhost.key`:
                # self-signed `*.local` certificates the tests serve TLS with; judged
                # wrong or noise on every real repository that had one.
                continue
            weaker = None
            if firebase and violation.message.startswith("Google API key"):
                weaker = "a Firebase web config's apiKey: it names the project to every browser"
            elif temporary_aws and violation.message.startswith("AWS "):
                weaker = "in a test, beside a temporary (STS) key that expires on its own"
            elif file.role == role.EXAMPLE and not documentation:
                # ragflow's `example/sdk/*.py` each pass the project's sample key: an
                # example shows where a key goes, as documentation does.
                weaker = "in an example: published on purpose as often as leaked"
            elif documentation or (notes and violation.message.startswith(_GENERIC_MATCHES)):
                weaker = "in documentation: published on purpose as often as leaked"
            elif violation.message.startswith(_GENERIC_MATCHES):
                if browser:
                    # Shipped to every visitor: a public client key by design (a
                    # widget's demo key), or a leak already public.
                    weaker = "in browser code, public to every visitor"
                elif airflow_config and violation.message.startswith("secret in `"):
                    # Airflow writes its whole configuration on first start, with a random
                    # `secret_key` and `jwt_secret`: a local install's, committed with the
                    # rest of the file as often as a deploy's.
                    weaker = "in Airflow's generated airflow.cfg: a local install's as often as a deploy's"
                elif helm_values:
                    # A chart's defaults, which an install overrides (`--set`, its own
                    # values file): ragflow's `OPENSEARCH_PASSWORD: infini_rag_flow_OS_01`.
                    weaker = "in a Helm chart's default values, overridden at install"
                elif compose and violation.message.startswith("secret in `"):
                    # A compose file starts local sandboxes (`POSTGRES_PASSWORD: example`)
                    # as often as it deploys: its name alone cannot tell which.
                    weaker = "in a compose file: a local service's, or a deploy's"
                elif (
                    _LOCAL_HOST.search(violation.source or "")
                    or (
                        local
                        and _PASSWORD_KEY.match(str(violation.message))
                        and _beside_a_local_service(file.lines, violation.line)
                    )
                ) and _CELL_OUTPUT not in str(violation.message):
                    # A local sandbox's login (`postgresql://postgres:pw@127.0.0.1:5433/db`
                    # in a Makefile's "export it first" hint, a demo's `bolt://localhost`
                    # beside its password): judged FALSE or NOISE all 23 times in real
                    # repositories. What a cell printed is the author's own session.
                    continue
                elif anonymous and _anonymous_scope(file.lines, violation.line):
                    # `client_credentials` for `scope: anonymous_account`: the credential
                    # an app ships to every install to start a session with no account.
                    weaker = "for an anonymous scope: an app's public credential"
                elif codecov or violation.line in codecov_steps:
                    # Committed on purpose so forks' pull requests can upload (their
                    # CI gets no secrets): it can only upload coverage reports.
                    weaker = "a Codecov upload token, which can only upload coverage"
            if weaker is None and violation.message.startswith(_GENERIC_MATCHES):
                # Found by its key's name or a URL's shape: a placeholder, a sandbox's
                # login, a CI service container's or a schema's example as often as a
                # leak (judged so 112 times of 128 at error in real repositories).
                yield replace(violation, severity=Severity.WARNING)
            elif weaker is None:
                yield violation
            else:
                yield replace(
                    violation,
                    message=Masked(f"{violation.message} ({weaker})"),
                    severity=Severity.WARNING,
                )

    def _found(self, file: SourceFile) -> Iterator[Violation]:
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
        # The one scan read the raw bytes: their ASCII literals are the text's.
        anchors = _PREFILTER.anchors_in(file.data) if file.readable_bytes is file.data else None
        if (
            scan.code
            and anchors is not None
            and not anchors
            and file.text is not None
            and file.encoding.startswith("utf-8")
            and not _PREFILTER.assigns_in(file.data)
        ):
            # Code whose bytes are its text (UTF-8): no provider pattern can match and no
            # line assigns a literal to a secret-named key (`scan_lines` reads code's
            # keys only on such lines), so there is nothing to split into lines.
            return
        lines = file.readable_lines
        docstrings: set[int] | None = None
        seen: set[tuple[int, str]] = set()
        for match in scan.matches(lines, file.readable_bytes, anchors):
            if file.kind == kinds.JAVASCRIPT and _docsearch_key(match, lines):
                continue
            if file.kind == kinds.PYTHON and match.description.startswith(_GENERIC_MATCHES):
                if docstrings is None:
                    docstrings = _docstring_lines(file) | _schema_example_lines(file)
                if match.line in docstrings:
                    continue
            seen.add((match.line, match.value))
            text = lines[match.line - 1]
            # The scan read the line as code, which finds whatever a masking pass would
            # (provider keys in any form, quoted values of secret-named keys): the line
            # leaves masked and is not scanned again per finding (100k in one module).
            shown = masked_values(text, scan.values[match.line]) if scan.code else None
            found = _violation(match, match.line, match.column, text, shown=shown)
            if match.description.startswith("secret in `") and _WORD_AND_DIGITS.fullmatch(
                match.value
            ):
                # WebArena's published site logins (a word, then four digits): what
                # people pick for a demo account, as for a weak real one.
                found = replace(
                    found,
                    message=Masked(f"{found.message} ({_DEMO_LOGIN})"),
                    severity=Severity.WARNING,
                )
            yield found
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
            blocks = [(cell.lines, "")]
            if cell.output_lines:
                blocks.append((cell.output_lines, _CELL_OUTPUT))
            for lines, where in blocks:
                code = cell.cell_type == "code" and not where
                for match in scan_lines(lines, data, lower, code=code):
                    if test_file and _test_fixture(match):
                        continue
                    # Output lines are located in the file only for a match: there are many.
                    file_lines = cell.output_file_lines if where else cell.file_lines
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
    match: SecretMatch,
    line: int | None,
    column: int | None,
    text: str,
    where: str = "",
    *,
    shown: str | None = None,
) -> Violation:
    # Every part of the message is masked where it is made (the description quotes a key
    # of the code, masked as a text of its own, remembered: keys repeat), so it leaves as
    # `Masked` and is not scanned again per finding (100k secrets in one file).
    description = mask_secrets(match.description)
    return Violation(
        Masked(f"{description} hard-coded{mask_secrets(where)}: '{mask(match.value)}'"),
        line=line,
        column=column,
        source=shown if shown is not None else match.masked_line(text),
        key=fingerprint(match.value),
    )


#: What a password of a word and digits is said to be, in its finding's message.
_DEMO_LOGIN = "a word and digits: a demo login's, as a rule"

#: A dictionary word and digits, maybe capitalised or with one separator: `test1234`,
#: `Password.123`, `admin1234`.
_WORD_AND_DIGITS = lazy_compile(r"[A-Za-z][a-z]{2,11}[._\-!@#]?\d{1,6}[!.?]?")


#: An example login in a test function: a word and digits, the words maybe camel-cased
#: after a short tag (`E2EPass123!`, `Test@123456`, `UserPass1`).
_TEST_LOGIN = lazy_compile(r"[A-Za-z0-9]{0,4}(?:[A-Za-z][a-z]{2,11}){1,3}[._\-!@#]?\d{1,6}[!.?]?")


#: A temporary AWS access key id, issued by STS with a session token.
_TEMPORARY_AWS = lazy_compile(r"\bASIA[A-Z0-9]{16}\b")


def _test_data(path: str) -> bool:
    """A test's file: test code and fixtures, or an env file named for tests."""
    return kinds.is_test_path(path) or kinds.is_test_env_file(path)


def _test_value(value: str) -> bool:
    lowered = value.lower()
    return any(word in lowered for word in ("test", "fake", "dummy", "mock", "fixture", "example"))


#: A test function's definition: `def test_register(...)`, `async def test_login(...)`.
_TEST_FUNCTION = lazy_compile(r"([ \t]*)(?:async[ \t]+)?def[ \t]+test_?\w*[ \t]*\(")


def _test_function_lines(lines: list[str]) -> set[int]:
    """The (1-based) lines inside `def test_...` functions, by indentation: one pass."""
    inside: set[int] = set()
    indent: int | None = None  # the open test function's own indentation
    for number, line in enumerate(lines, 1):
        stripped = line.lstrip()
        depth = len(line) - len(stripped)
        if indent is not None and stripped and not stripped.startswith("#") and depth <= indent:
            indent = None  # dedented: the function ended
        match = _TEST_FUNCTION.match(line)
        if indent is None and match is not None:
            indent = len(match.group(1))
        elif indent is not None:
            inside.add(number)
    return inside


def _test_fixture(match: SecretMatch) -> bool:
    """A match in a test file that is the test's own value: an obvious test value, or any
    value found only by its key's name or a URL's shape (`environ["API_KEY"] = "<uuid>"`
    for an in-process app, `postgresql://u:pw@localhost/test`). Nothing tells such a value
    from a fixture; a provider's key format (`AKIA...`, `ghp_...`) still counts."""
    return _test_value(match.value) or match.description.startswith(_GENERIC_MATCHES)
