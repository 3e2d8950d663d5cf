"""Factor 3 - Config: in the environment, never in code."""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator

from twelvefold import kinds
from twelvefold.detectors.secrets import KEY_WORDS, PATTERNS, fingerprint, mask, scan_lines
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.repo import Repo
from twelvefold.rule import FileRule, RepoRule, fact
from twelvefold.rules._pyast import docstring_nodes, walk
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


#: Matches that depend on a key's name or a URL's shape rather than a provider's format.
_GENERIC_MATCHES = ("secret in `", "password in a connection string")


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
    `api_key: ...`, `HF_TOKEN=...`). It reads Python, notebook cells and their text
    outputs, config files (YAML, TOML, JSON, INI), `.env` files, shell scripts and
    Dockerfiles. Findings show only a masked prefix of the value.

    Not reported: placeholders (`changeme`, `<your-key>`, `${DB_PASSWORD}`,
    `{{ secrets.TOKEN }}`, empty values, `xxxx`), documented example keys
    (`AKIAIOSFODNN7EXAMPLE`), obvious test values (`"test-token"`), environment
    variable names (`TOKEN_ENV = "HF_TOKEN"`), NLP tokens (`pad_token = "<pad>"`) and
    model ids (`Org/Model_Name`). Documentation files are not scanned, nor are
    key/value and connection-string look-alikes inside Python docstrings (usage
    examples such as `User(password='password1')`); a provider's key (`AKIA...`,
    `hf_...`) is reported wherever it is.

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
    kinds = frozenset(
        {kinds.PYTHON, kinds.NOTEBOOK, kinds.DOCKERFILE, kinds.MAKEFILE} | kinds.CONFIG_TEXT_KINDS
    )
    prefilter = _SecretPrefilter()  # type: ignore[assignment]

    def check(self, file: SourceFile) -> Iterator[Violation]:
        if file.text is None or (file.kind == kinds.DOTENV and kinds.is_dotenv_template(file.path)):
            return
        test_file = kinds.is_test_path(file.path)
        if file.kind == kinds.NOTEBOOK:
            yield from self._notebook(file, test_file)
            return
        code = file.kind == kinds.PYTHON
        docstrings: set[int] | None = None
        for match in scan_lines(file.lines, file.data, file.lower, code=code):
            if test_file and _test_value(match.value):
                continue
            if code and match.description.startswith(_GENERIC_MATCHES):
                if docstrings is None:
                    docstrings = _docstring_lines(file)
                if match.line in docstrings:
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
                blocks.append(
                    (
                        [t for t, _ in cell.outputs],
                        [n for _, n in cell.outputs],
                        " in a cell output",
                    )
                )
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
_MACHINE_PATH = lazy_compile(
    r"(?:^|[\s=:'\"(,;]|file://)(?P<path>/home/(?P<home>[^/\s'\"]+)/|/Users/(?P<mac>[^/\s'\"]+)/"
    r"|[A-Za-z]:(?:\\\\|\\|/)Users(?:\\\\|\\|/)(?P<win>[^\\/\s'\"]+)|/content/drive/)"
)
_PLACEHOLDER_USERS = frozenset(
    {
        "user",
        "username",
        "you",
        "yourname",
        "your_name",
        "your-name",
        "me",
        "foo",
        "example",
        "name",
        "runner",
        "jovyan",
        "shared",
        "public",
        "default",
        "$user",
        "<user>",
        "{user}",
        "<username>",
        "{username}",
        "*",
        "...",
        "someone",
        "myuser",
        "your_user",
        "your-user",
        "<you>",
    }
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
        docstrings = docstring_nodes(python.tree)
        for node in walk(python.tree):
            if (
                not (isinstance(node, ast.Constant) and isinstance(node.value, str))
                or id(node) in docstrings
            ):
                continue
            match = _MACHINE_PATH.search(node.value)
            if match is None:
                continue
            user = match.group("home") or match.group("mac") or match.group("win")
            if user is not None and (
                user.lower() in _PLACEHOLDER_USERS or user.startswith(("$", "{", "<", "%"))
            ):
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


# The keyword regex is tested inside, after the cheaper test for training code or a
# settings class that most files fail.
@fact("hyperparameter-literals", kinds=(kinds.PYTHON,))
def hyperparameter_literals(file: SourceFile) -> dict[str, list] | None:
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
    literals: list[list] = []
    fields: list[str] = []
    for node in walk(python.tree):
        if isinstance(node, ast.ClassDef) and _CONFIG_CLASS.search(node.name):
            for statement in node.body:
                target = statement.target if isinstance(statement, ast.AnnAssign) else None
                if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                    target = statement.targets[0]
                if isinstance(target, ast.Name) and target.id.lower() in _GROUP_OF:
                    fields.append(target.id.lower())
        elif training and isinstance(node, ast.Call):
            callee = _callee(node.func)
            if _CONFIG_CLASS.search(callee) or callee in ("dict", "add_argument", "get", "getenv"):
                continue  # building or reading the config itself
            for keyword in node.keywords:
                if keyword.arg in _GROUP_OF and _is_number(keyword.value):
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


class HardCodedHyperparameter(RepoRule):
    """## What it does
    Reports hyperparameters and split ratios written as numeric literals in training code
    (`lr=0.05`, `learning_rate=0.03`, `n_estimators=500`, `test_size=0.2`, `epochs=50`)
    when the project's configuration defines that same knob: a key in a YAML/TOML/JSON
    run configuration (`params.yaml`, `configs/*.yaml`, Hydra configs) or a field of a
    settings class (`class TrainConfig`, `Settings(BaseSettings)`). Synonyms count as the
    same knob (`lr` / `learning_rate`, `epochs` / `num_epochs`).

    Only that strong evidence is reported: the config says the value is configurable,
    the code silently ignores it. Literals in projects with no configuration at all are
    not reported (a notebook or a one-off script may legitimately fix them), nor are
    tests, argparse defaults, or calls that build the config object itself.

    ## Why is this bad?
    Someone changes `lr` in the config, the run logs the new value, and the model is
    still trained with the literal: the recorded parameters lie, and experiments cannot
    be compared or reproduced.

    ## Example
    ```python
    # configs/resnet18.yaml has `lr: 0.1`
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    ```

    ## Use instead
    ```python
    optimizer = torch.optim.SGD(model.parameters(), lr=cfg["lr"])
    ```
    """

    code = "TF304"
    name = "hard-coded-hyperparameter"
    factor = 3
    severity = Severity.WARNING
    summary = "Hyperparameter hard-coded in training code although the config defines it"
    fix = "Read the value from the configuration instead of a literal."
    facts = ("hyperparameter-literals",)

    def applies(self, repo: Repo) -> bool:
        return repo.has_python

    def check(self, repo: Repo) -> Iterator[Violation]:
        collected = repo.facts("hyperparameter-literals")
        if not any(item["literals"] for item in collected.values()):
            return
        defined: dict[int, tuple[str, str]] = {}  # group -> (config path, key)
        for path in sorted(collected):
            for field_name in collected[path]["fields"]:
                defined.setdefault(_GROUP_OF[field_name], (path, field_name))
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
            data = source.toml if entry.kind == kinds.TOML else source.yaml  # JSON is YAML
            for key in _config_keys(data):
                if key in _GROUP_OF:
                    defined.setdefault(_GROUP_OF[key], (entry.path, key))
        for path in sorted(collected):
            for name, text, line, column in collected[path]["literals"]:
                where = defined.get(_GROUP_OF[name])
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
