"""TF1205 preprocessing-reimplemented-in-serving: serving code defines again a
preprocessing function the training side defines (training/serving skew)."""

from __future__ import annotations

import ast
import hashlib
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass

from twelvefold import kinds
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as repo_kind
from twelvefold.project import roles as role
from twelvefold.project.knowledge import MODEL_SERVERS, SERVING_FRAMEWORKS, WEB_FRAMEWORKS
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule, fact
from twelvefold.rules._pyast import dotted, imported_modules, walk
from twelvefold.rules.f12_deployability._service import own_module_tree
from twelvefold.sources import SourceFile

#: Names of functions that turn raw input into model features.
_PREPROCESSING_NAME = lazy_compile(
    r"preprocess|featuri[sz]|features?_|_features?$|^features?$|normali[sz]|standardi[sz]"
    r"|clean_|_clean$|^clean$|tokeni[sz]|^encode_|^transform_|^prepare_(?:input|features|data|text)"
)
_PREFILTER = lazy_compile(
    rb"def\s+\w*(?:preprocess|featur|normali[sz]|standardi[sz]|clean|tokeni[sz]|encode_|transform_|prepare_)"
)
_SERVING_MODULES = WEB_FRAMEWORKS | SERVING_FRAMEWORKS | MODEL_SERVERS
_HANDLER_NAMES = frozenset({"lambda_handler", "handler"})
#: Top folders whose code belongs to the whole repository, not to one sub-project.
_SHARED_TOPS = frozenset({"", "src", "app", "lib"})


@dataclass(frozen=True)
class PreprocessingDefs:
    #: (name, line, digest of the body) of each top-level preprocessing function.
    defs: tuple[tuple[str, int, str], ...]
    #: Names this module imports (`from features import preprocess`): shared, not re-made.
    imported: frozenset[str]
    serving: bool


def _body_digest(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    text = "\n".join(ast.dump(statement) for statement in body)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]


def _delegates(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`def preprocess(x): return features.preprocess(x)`: a wrapper around the shared one."""
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and dotted(node.func).rpartition(".")[2] == function.name:
            return True
    return False


def _serves(tree: ast.Module) -> bool:
    if {module.split(".")[0] for module in imported_modules(tree)} & _SERVING_MODULES:
        return True
    for node in tree.body:
        if (
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.name in _HANDLER_NAMES
        ) and [a.arg for a in node.args.args] == ["event", "context"]:
            return True
        if isinstance(node, ast.ClassDef) and any(
            dotted(base).rpartition(".")[2] == "BasePredictor" for base in node.bases
        ):
            return True
    return False


@fact("preprocessing-defs", kinds=[kinds.PYTHON], prefilter=_PREFILTER)
def preprocessing_defs(file: SourceFile) -> PreprocessingDefs | None:
    tree = own_module_tree(file)
    if tree is None:
        return None
    defs = tuple(
        (node.name, node.lineno, _body_digest(node))
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and not node.name.startswith("test")
        and _PREPROCESSING_NAME.search(node.name.lower())
        and not _delegates(node)
    )
    if not defs:
        return None
    imported = frozenset(
        alias.asname or alias.name
        for node in walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    )
    return PreprocessingDefs(defs, imported, _serves(tree))


def _module_name(path: str) -> str:
    module = posixpath.splitext(path)[0].replace("/", ".")
    return module.removeprefix("src.")


def _top(path: str) -> str:
    head = path.split("/", 1)
    return head[0] if len(head) > 1 else ""


def _same_project(serving: str, training: str) -> bool:
    return _top(serving) == _top(training) or bool({_top(serving), _top(training)} & _SHARED_TOPS)


class PreprocessingReimplementedInServing(RepoRule):
    """## What it does
    Reports a preprocessing function (`preprocess`, `clean_text`, `build_features`,
    `normalize_*`...) that serving code (a FastAPI/Flask/BentoML service, a Lambda
    `handler(event, context)`, a cog predictor) defines again although the training
    side of the same project already defines one with the same name or the same body,
    instead of importing it. Fine: serving code that imports the function, a wrapper
    that calls the shared one, two services sharing nothing with training, tests, and
    libraries, courses and research repositories (applications only).

    ## Why is this bad?
    Two copies of the feature code drift apart: a fix or a new feature lands in the
    training copy, the model is retrained, and the service keeps feeding it features
    computed the old way. Predictions are silently wrong (training/serving skew), and
    no test catches it because each copy is right on its own.

    ## Example
    ```python
    # src/churn/features.py
    import pandas as pd


    def preprocess(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.fillna(0)
        frame["charges_per_month"] = frame["total_charges"] / frame["tenure_months"].clip(lower=1)
        return frame
    ```
    ```python
    # src/churn/service.py
    import pandas as pd
    from fastapi import FastAPI

    app = FastAPI()


    def preprocess(frame: pd.DataFrame) -> pd.DataFrame:
        frame["charges_per_month"] = frame["total_charges"] / frame["tenure_months"]
        return frame
    ```

    ## Use instead
    ```python
    # src/churn/service.py
    from fastapi import FastAPI

    from churn.features import preprocess

    app = FastAPI()
    ```
    """

    code = "TF1205"
    depends_on = ("@code",)
    name = "preprocessing-reimplemented-in-serving"
    factor = 12
    severity = Severity.WARNING
    preview = True
    roles = role.OWN_CODE
    repo_kinds = frozenset({repo_kind.APPLICATION})
    summary = "Serving code re-implements a preprocessing function the training code defines"
    fix = "Import the training code's preprocessing in the service (or ship it inside the model pipeline) instead of a second copy."
    facts = ("preprocessing-defs",)

    def check(self, repo: Repo) -> Iterator[Violation]:
        collected: dict[str, PreprocessingDefs] = dict(repo.facts("preprocessing-defs"))
        training_side = {path: item for path, item in collected.items() if not item.serving}
        by_name: dict[str, list[tuple[str, int]]] = {}
        by_digest: dict[str, list[tuple[str, int, str]]] = {}
        for path in sorted(training_side):
            for name, line, digest in training_side[path].defs:
                by_name.setdefault(name, []).append((path, line))
                by_digest.setdefault(digest, []).append((path, line, name))
        for path in sorted(collected):
            item = collected[path]
            if not item.serving:
                continue
            for name, line, digest in item.defs:
                if name in item.imported:
                    continue
                same_name = [
                    (other, at) for other, at in by_name.get(name, ()) if _same_project(path, other)
                ]
                if same_name:
                    other, at = same_name[0]
                    yield Violation(
                        f"serving code defines `{name}` again although {other}:{at} defines it for training: two copies of the preprocessing drift apart (training/serving skew)",
                        path=path,
                        line=line,
                        fix=f"Import `{name}` from {_module_name(other)} instead of re-implementing it.",
                    )
                    continue
                same_body = [
                    (other, at, twin)
                    for other, at, twin in by_digest.get(digest, ())
                    if _same_project(path, other)
                ]
                if same_body:
                    other, at, twin = same_body[0]
                    yield Violation(
                        f"serving code's `{name}` repeats the body of `{twin}` ({other}:{at}): two copies of the preprocessing drift apart (training/serving skew)",
                        path=path,
                        line=line,
                        fix=f"Import `{twin}` from the training code instead of a copy.",
                    )
