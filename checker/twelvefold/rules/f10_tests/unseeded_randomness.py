"""TF1004 unseeded-randomness: numpy/torch/TensorFlow/random used with no seeding anywhere."""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator

from twelvefold import kinds
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.project.roles import is_config_module
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule
from twelvefold.rules._pyast import constant_str, walk
from twelvefold.rules.f10_tests._randomness import TRANSFORM_RANDOM, resolved

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


#: Names of a configured seed: `seed`, `SEED`, `random_seed`, `manual_seed`...
_SEED_NAME = lazy_compile(r"(?:(?:random|global|rng|manual|train|training)_)?seed", re.IGNORECASE)
#: Config files that configure tools, not runs (their `seed` is not the project's).
_TOOL_CONFIG_NAME = lazy_compile(
    r"pyproject\.toml|[^/]*\.lock|package(?:-lock)?\.json|tsconfig[^/]*|\.pre-commit[^/]*"
    r"|docker-compose[^/]*|compose\.ya?ml|dvc\.lock|environment\.ya?ml|mkdocs\.ya?ml"
)
_CONFIG_FILE_ROLES = role.OWN_CODE
_MAX_CONFIG_BYTES = 256 * 1024


#: Modules that measure speed wherever they sit (a test suite's `parity/benchmark.py`):
#: their random payloads are traffic, no result.
_MEASURES = ("benchmark", "bench_", "locustfile")


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


class UnseededRandomness(RepoRule):
    """## What it does
    Reports a library's randomness used with no seeding anywhere in the project:
    numpy (`np.random.rand`, `np.random.shuffle`, `np.random.default_rng()` with no
    seed), torch (`torch.rand*`, `randperm`, `random_split`, `nn.init.*`,
    `DataLoader(shuffle=True)`, a training loop's `.backward()` in a file where an
    optimizer steps: Grad-CAM's `score.backward()` takes a trained model's gradients),
    TensorFlow
    (`tf.random.*`, the `.fit(...)` of a model a module compiles, unless it loads trained
    weights into it: `load_weights`, `load_model`) and the `random` module in data code.
    One finding per library, at
    its first use outside tests: a test's random inputs (a fake embedding, a noise image
    to draw on) feed assertions that hold for any draw. A draw counts where a result
    depends on it: one that orders or splits data (a shuffle, a permutation,
    `random_split`, a shuffling DataLoader, a training loop), or any draw in a module that
    trains or splits (`.fit(...)`, `.backward()`, `train_test_split(...)`). Elsewhere
    randomness is the behaviour wanted (a retry's jitter, a reply picked at random, a
    language model's token sampling, demo traffic, dummy inputs to time a served model).
    Not reported in a library (kind
    `library`): the randomness of its package (weight initialisation, augmentation) is
    its users' to seed, and its examples, docs, benchmarks and demo notebooks show how
    to use it. Benchmarks and load
    generators (`locustfile.py`, a `benchmark*.py` wherever it sits) are never reported: they measure speed, their random
    traffic is no result. Nor is a draw formatted straight into a string
    (`f"{random.randrange(2**32)}_graph"`, `str(...)`, `"".join(random.choice(letters)
    for _ in range(8))`): it names something; nor a mock's
    canned value (`return_value=tf.random.uniform([8, 8])`, the methods of a `MockModel` /
    `FakeClient` class), nor data the code says it makes up (a module whose docstring or
    leading comments say it mocks or simulates something, or a draw under a comment
    calling it mocked, fake, simulated or dummy: `# Mocked metrics, randomized each run`).
    Nor is `random` in a transform's `__call__`/`forward` when torch is seeded: DataLoader
    workers seed `random` from torch's generator. Not reported in a research repository
    (a paper's or a competition's scripts run by hand, kind `research`): its training is
    often unseeded by design (multi-GPU runs are not bit-reproducible anyway), and a
    frozen release is not changed after the fact.

    Seeding anywhere counts: `np.random.seed`, `np.random.default_rng(seed)`,
    `torch.manual_seed`, `random.seed`, a seeded `random.Random(seed)`, `tf.random.set_seed`,
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
    import numpy as np
    import torch

    idx = np.random.permutation(len(df))  # a different split on every run
    weights = torch.randn(128, 10)
    model.fit(X[idx], y[idx])
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
    roles = role.IN_USE
    depends_on = ("@code", "@config")
    name = "unseeded-randomness"
    factor = 10
    severity = Severity.WARNING
    # A library's randomness (weight initialisation, augmentation) is its users' to seed.
    repo_kinds = frozenset(project_kind.KINDS) - {project_kind.RESEARCH, project_kind.LIBRARY}
    summary = "numpy/torch/TensorFlow/random used with no seeding anywhere"
    fix = "Seed the library once per entry point from a configured seed (e.g. a seed_everything(cfg.seed) helper)."
    facts = ("randomness",)

    def check(self, repo: Repo) -> Iterator[Violation]:
        facts = {
            path: read
            for path, found in repo.facts("randomness").items()
            if (read := resolved(repo, path, found)) is not None
        }
        seeded: set[str] = set()
        for found in facts.values():
            seeded |= found.seeds
        if "all" in seeded:
            return
        config_seed: bool | None = None
        # A library's examples, docs and demo notebooks show how to use it: their
        # augmentation or toy data is not the library's results to reproduce. A benchmark
        # or load generator (`locustfile.py`) measures speed: its random traffic is no result.
        reading = frozenset({role.BENCHMARK})
        for library in LIBRARIES:
            if library in seeded:
                continue
            # `random` in a transform's `__call__` runs in DataLoader workers, which
            # seed it from torch's generator: seeded when torch is.
            also = TRANSFORM_RANDOM if library == "random" and "torch" not in seeded else None
            uses = sorted(
                (path, where, what)
                for path, found in facts.items()
                for lib, where, what in found.draws
                if lib in (library, also)
                and repo.model.role(path) not in reading
                and not posixpath.basename(path).startswith(_MEASURES)
                # A test's random inputs (a fake embedding, a noise image) feed assertions
                # that hold for any draw: judged noise on every real repository but one.
                and not kinds.is_test_path(path)
                # A draw where nothing trains or splits (a retry's jitter, a reply picked
                # at random, token sampling, demo traffic) changes no result to reproduce.
                and (found.trains or lib in found.ordering)
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
