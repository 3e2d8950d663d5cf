"""The `randomness` fact (random draws, unseeded estimators and global seeds of a module)
and the tables behind it, read by `unseeded-estimator` and `unseeded-randomness`.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from twelvefold import kinds
from twelvefold.detectors.random_state import RANDOM_BY_DEFAULT
from twelvefold.lazy_regex import lazy_compile
from twelvefold.pattern_sets import PatternSetPrefilter
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.rule import fact
from twelvefold.rules._code_text import (
    LINE_BREAK,
    SPACE,
    TOKEN_START,
    alternatives,
    blanked_code,
)
from twelvefold.rules._pyast import (
    constant_str,
    dotted,
    has_star_kwargs,
    import_aliases,
    imported_modules,
    is_true,
    keyword,
    nodes,
    qualified,
)
from twelvefold.sources import SourceFile

if TYPE_CHECKING:
    from twelvefold.repo import Repo

#: Random only when asked (`early_stopping=True`, `max_features`): see gen_random_state.py.
_HIST_GRADIENT_BOOSTING = frozenset(
    {"HistGradientBoostingClassifier", "HistGradientBoostingRegressor"}
)
#: Callables whose results are random unless `random_state` is set: scikit-learn's, from
#: its own metadata (`detectors/random_state.py`, generated), and those of libraries
#: built on its API (imbalanced-learn samplers, UMAP).
_ALWAYS_RANDOM = (
    RANDOM_BY_DEFAULT
    | frozenset(
        {
            "RandomUnderSampler",
            "RandomOverSampler",
            "SMOTE",
            "ADASYN",
            "BorderlineSMOTE",
            "SVMSMOTE",
            "KMeansSMOTE",
            "SMOTENC",
            "SMOTEN",
            "UMAP",
        }
    )
) - frozenset(
    # t-SNE and UMAP draw a picture of the data: no result depends on its layout (judged
    # on teaching notebooks plotting learned embeddings; UMAP four times NOISE, laying
    # out a citation plot, a GUI's projection, training diagnostics and a lesson's plot).
    {"TSNE", "UMAP"}
)
#: Named like a class, `make_*` or `permutation_importance`: a bare call in a module that
#: imports scikit-learn is its callable (a star import). A bare `shuffle(...)` or
#: `resample(...)` may be anyone's: only the resolved name counts.
_BARE_NAME = lazy_compile(r"[A-Z]\w*|make_\w+|permutation_importance")
_KFOLDS = frozenset({"KFold", "StratifiedKFold", "GroupKFold", "StratifiedGroupKFold"})
#: Libraries of estimators that take a `random_state`.
_ESTIMATOR_LIBRARIES = ("sklearn", "imblearn", "umap")
_RANDOM_STATE_LIBRARIES = tuple(f"{library}." for library in _ESTIMATOR_LIBRARIES)

_NUMPY_NOT_DRAWS = frozenset(
    {
        "seed",
        "default_rng",
        "RandomState",
        "Generator",
        "SeedSequence",
        "PCG64",
        "PCG64DXSM",
        "MT19937",
        "Philox",
        "SFC64",
        "BitGenerator",
        "get_state",
        "set_state",
    }
)
_STDLIB_DRAWS = frozenset(
    {
        "random",
        "randint",
        "randrange",
        "choice",
        "choices",
        "shuffle",
        "sample",
        "uniform",
        "gauss",
        "normalvariate",
        "betavariate",
        "expovariate",
        "triangular",
        "getrandbits",
    }
)
_TORCH_DRAWS = frozenset(
    {
        "rand",
        "randn",
        "randint",
        "randperm",
        "rand_like",
        "randn_like",
        "randint_like",
        "normal",
        "bernoulli",
        "multinomial",
        "poisson",
        "random_split",
    }
)
_KERAS_MODULES = frozenset({"tensorflow", "keras", "tf_keras"})
_DATA_LIBRARIES = frozenset(
    {
        "numpy",
        "pandas",
        "torch",
        "tensorflow",
        "sklearn",
        "jax",
        "keras",
        "scipy",
        "lightning",
        "pytorch_lightning",
    }
)
_SEED_FUNCTION = lazy_compile(
    r"^_?(?:(?:set|fix|setup|init|reset|make|seed|configure)_?)?(?:global_|random_|all_|torch_|np_|numpy_)?seeds?(?:_all|_everything|_everywhere|_worker)?$|seed_everything|seed_all"
)


@dataclass(frozen=True)
class Place:
    line: int | None
    cell: int | None
    cell_line: int | None


@dataclass(frozen=True)
class RandomnessFacts:
    """Random calls of one file: unseeded estimators, library draws, and seeding."""

    #: (where, the estimator or helper called, the message) of each unseeded call
    unseeded: tuple[tuple[Place, str, str], ...]
    #: library -> (where, what) of its first draw in the file
    draws: tuple[tuple[str, Place, str], ...]
    #: libraries seeded here ("all" for seed_everything-like helpers)
    seeds: frozenset[str]
    #: Some call here passes a `random_state` (`train_test_split(..., random_state=11)`).
    seeded_calls: bool = False
    #: The file trains or splits: a `.fit(...)`, a `.backward()`, a `train_test_split`.
    trains: bool = False
    #: Libraries whose recorded draw orders or splits data, or starts a training run (a
    #: shuffle, a permutation, `random_split`, a shuffling DataLoader): a result depends
    #: on it wherever it is.
    ordering: frozenset[str] = frozenset()
    #: A library's own module that may seed something and names no estimator library:
    #: its seeds are all it could give (its draws are its users' to seed), and no rule
    #: needs them unless another file is reported, so it is parsed then (`resolved`),
    #: not in every run's file pass. Every other field is empty until then.
    seeds_unread: bool = False
    #: What the calls given a `random_state` are (`RandomForestRegressor`): an exploration
    #: notebook's unseeded copy of one the project's training code seeds is its prototype.
    seeded_estimators: frozenset[str] = frozenset()


#: What a library's module that may only seed gives the file pass (see `seeds_unread`).
_SEEDS_UNREAD = RandomnessFacts((), (), frozenset(), seeds_unread=True)


#: The literals the fact was filtered on until now: a file with none of them was never
#: read. Kept as an outer bound of the code test below, so that it only drops files that
#: gave no fact (a seeding `numpy...default_rng(seed)` without "random" in the file, say).
_EARLIER_LITERALS = (
    b"random",
    b"Random",
    b"seed",
    b"split",
    b"Split",
    b"KFold",
    b"PCA",
    b"torch",
    b"tensorflow",
    b"keras",
    b"backward",
    b"shuffle",
    b"TrainingArguments",
    # random only with some arguments (`_unseeded_estimator`)
    b"LogisticRegression",
    b"HistGradientBoosting",
    *sorted({name.encode() for name in _ALWAYS_RANDOM}),
)

#: Names (the last part of a call's resolved name) the extractor acts on, besides the
#: torch draws: a training loop, a shuffling loader, transformers' seeding arguments and
#: numpy's generators (a seed when given one, a draw when not).
_CALLED_NAMES = frozenset(
    {"backward", "DataLoader", "TrainingArguments", "RandomState", "default_rng"}
)

#: What follows a called name in code: its call's `(` (a definition's, or `[` of its type
#: parameters), or `as` where it is imported under another name; a comment or a line
#: continuation may come first (a backslash: also a line break in a notebook's JSON).
#: Prose ("a random seed ...") has a word after the name instead.
_CALLED = SPACE + rb"(?:[(\[#]|as\b|" + LINE_BREAK + rb")"
#: What follows a module's name in code: `.` (`np.random.rand`), `as` or `import`.
_MODULE = SPACE + rb"(?:[.#]|as\b|import\b|" + LINE_BREAK + rb")"


#: Calls that train a model or split its data (`model.fit(X, y)`, `loss.backward()`,
#: `train_test_split(...)`): a module making one produces results a seed makes repeatable.
_TRAINING_CALLS = frozenset(
    {"fit", "fit_generator", "backward", "train_test_split", "random_split"}
)


#: One test each, matched in one pass (a file's every path to a fact needs one of them):
_RANDOM_CODE = {
    # `np.random.X`, `tf.random.X`, `random.X`, `nn.init.X` and their imports
    "modules": TOKEN_START + alternatives({"random", "init"}) + _MODULE,
    "draws": TOKEN_START + alternatives(_TORCH_DRAWS | _CALLED_NAMES) + _CALLED,
    # what `_SEED_FUNCTION` and `_seeding` accept ends in one of these (`set_seed`,
    # `manual_seed_all`, `seed_everything`), the last two anywhere in a name
    "seeding": rb"seeds?(?:_all|_everything|_everywhere|_worker)?"
    + _CALLED
    + rb"|seed_everything|seed_all"
    # any `seed_*(` call: `seed_index_everything(cfg)` in a module that may not parse
    + rb"|seed_\w{1,40}"
    + _CALLED,
    "estimators": alternatives(_ESTIMATOR_LIBRARIES),
    # a Keras run: `.fit(...)` and `.compile(...)` in a module importing Keras
    "fit": TOKEN_START + rb"fit" + _CALLED,
    "compile": rb"compile",
    "keras": alternatives(_KERAS_MODULES),
    "earlier": alternatives(name.decode() for name in _EARLIER_LITERALS),
    # seeded training code (`random_state=...` and a `.fit(`), kept for TF1003
    "seeded": rb"random_state",
    "trains": TOKEN_START + alternatives(_TRAINING_CALLS) + _CALLED,
}


def _may_have_randomness(found: set[str]) -> bool:
    keras_run = {"fit", "compile", "keras"} <= found
    direct = not found.isdisjoint({"modules", "draws", "seeding", "estimators"})
    seeded_training = {"seeded", "trains"} <= found
    return (direct or keras_run or seeded_training) and "earlier" in found


_RANDOM_PREFILTER = PatternSetPrefilter(_RANDOM_CODE, _may_have_randomness, _EARLIER_LITERALS)


#: A call of a function named for seeding (`seed_index_everything(`, `set_seed(`).
_SEEDING_CALL = lazy_compile(r"\b\w*seed\w*\s*\(")


#: What a library's own module (not a test) can give the fact: its draws are its users'
#: to seed, so only a seed or an estimator of these libraries counts. Each needs one of
#: these in its text: a name with `seed` in it called, defined or imported under another
#: name (`set_seed(`, `def seed_all(`, `seed as s`; also what `_SEEDING_CALL` takes in a
#: module that does not parse), an estimator library's name, or a seeding constructor
#: called. With RE2 one pass; without it, the literals these patterns need.
_LIBRARY_MODULE = PatternSetPrefilter(
    {
        "seed": rb"seed[0-9A-Za-z_\x80-\xff]*" + _CALLED,
        "estimators": alternatives(_ESTIMATOR_LIBRARIES),
        "constructors": alternatives({"TrainingArguments", "default_rng", "RandomState"}) + _CALLED,
    },
    bool,
    (
        b"seed",
        b"TrainingArguments",
        b"default_rng",
        b"RandomState",
        *(library.encode() for library in _ESTIMATOR_LIBRARIES),
    ),
)


def _code_bytes(file: SourceFile) -> bytes:
    """A module's code without its strings and comments (`>>> set_seed(0)` in a docstring
    seeds nothing), as bytes for the pattern set; a notebook's bytes as they are."""
    if file.kind != kinds.PYTHON or file.text is None:
        return file.data
    return blanked_code(file).encode("utf-8", "surrogatepass")


@fact("randomness", kinds=[kinds.PYTHON, kinds.NOTEBOOK], prefilter=_RANDOM_PREFILTER)
def randomness(file: SourceFile) -> RandomnessFacts | None:
    if file.repo_kind == project_kind.LIBRARY and not kinds.is_test_path(file.path):
        if not _LIBRARY_MODULE.search(file.data):
            return None  # a library's module that draws (`torch.randn`) but seeds nothing
        code = _code_bytes(file)
        if not _LIBRARY_MODULE.search(code):
            return None
        if file.kind == kinds.PYTHON and not _names_an_estimator_library(code):
            # No estimator to report here: its seeds, when asked. (A module only: a
            # notebook is small, and one that does not parse says so, as before.)
            return _SEEDS_UNREAD
    return read_randomness(file)


#: An estimator library's name (`sklearn`), as its imports write it: an estimator is
#: reported only where one is imported. A longer name holding it is none
#: (`is_sklearn_available`); a non-ASCII letter beside it is taken for a boundary.
_ESTIMATOR_LIBRARY = lazy_compile(alternatives(_ESTIMATOR_LIBRARIES))


def _names_an_estimator_library(code: bytes) -> bool:
    for found in _ESTIMATOR_LIBRARY.finditer(code):
        before = code[found.start() - 1 : found.start()]
        after = code[found.end() : found.end() + 1]
        if not (before.isalnum() or before == b"_" or after.isalnum() or after == b"_"):
            return True
    return False


def resolved(repo: Repo, path: str, found: RandomnessFacts) -> RandomnessFacts | None:
    """`found` with its seeds read, for a library module whose file pass left them
    unread (`seeds_unread`): the module is parsed now, once per run. One that cannot be
    read any more is taken to seed everything: nothing is reported for want of it."""
    if not found.seeds_unread:
        return found
    read = repo.derived(_resolved_modules)
    if path not in read:
        read[path] = _read_deferred(repo, path)
    return read[path]


def _resolved_modules(repo: Repo) -> dict[str, RandomnessFacts | None]:
    return {}


def _read_deferred(repo: Repo, path: str) -> RandomnessFacts | None:
    source = repo.source(path)
    if source is None:
        return RandomnessFacts((), (), frozenset({"all"}))
    source.role = repo.model.roles.get(path, role.PACKAGE)
    source.repo_kind = repo.model.kind
    return read_randomness(source)


def read_randomness(file: SourceFile) -> RandomnessFacts | None:
    """The fact of one file, read from its parse."""
    python = file.python
    tree = python.tree if python is not None else None
    if python is not None and tree is None and _SEEDING_CALL.search(python.text):
        # A module that does not parse (a template's `{{ cookiecutter.x }}`) and calls a
        # seeding function: what it seeds cannot be known, so nothing is called unseeded.
        return RandomnessFacts((), (), frozenset({"all"}))
    if python is None or tree is None:
        return None
    aliases = import_aliases(tree)
    modules = imported_modules(tree)
    sklearn_like = bool(modules & set(_ESTIMATOR_LIBRARIES))
    data_code = bool(modules & _DATA_LIBRARIES)
    unseeded: list[tuple[Place, str, str]] = []
    draws: dict[str, tuple[Place, str]] = {}
    seeds: set[str] = set()

    def place(node: ast.AST) -> Place:
        where = python.loc(getattr(node, "lineno", 0))
        return Place(where.line, where.cell, where.cell_line)

    functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = [
        *nodes(tree, ast.FunctionDef),
        *nodes(tree, ast.AsyncFunctionDef),
    ]
    if any(_SEED_FUNCTION.search(function.name) for function in functions):
        seeds.add("all")
    # A library's own code: its draws are its users' to seed (TF1004 reads a library's
    # tests only), its seeds and unseeded estimators still count.
    draws_count = not (file.repo_kind == project_kind.LIBRARY and not kinds.is_test_path(file.path))
    named: set[int] = set()
    in_transforms: set[int] = set()
    if draws_count:
        named = _formatted_into_strings(tree) | _mocked_values(tree) | _operational_draws(functions)
        named |= _declared_fabrications(tree, python.text)
        in_transforms = _transform_calls(tree) if "random" in modules else set()
    seeded_calls = False
    seeded_estimators: set[str] = set()
    trains = False
    # A `.backward()` trains only where an optimizer steps: Grad-CAM's `score.backward()`
    # takes the gradients of a trained model.
    steps = ".step(" in python.text
    ordering: set[str] = set()
    for node in nodes(tree, ast.Call):
        if not trains and isinstance(node.func, (ast.Attribute, ast.Name)):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            trains = called in _TRAINING_CALLS
        name = qualified(node.func, aliases)
        if not name:
            continue
        last = name.rsplit(".", 1)[-1]
        given = keyword(node, "random_state")
        if given is not None and not (
            isinstance(given.value, ast.Constant) and given.value.value is None
        ):
            seeded_calls = True
            seeded_estimators.add(last)
        library_seed = _seeding(name, last, node)
        if library_seed:
            seeds.add(library_seed)
            continue
        problem = _unseeded_estimator(name, last, node, sklearn_like)
        if problem:
            unseeded.append((place(node), last, problem))
        if not draws_count:
            continue
        draw = None if id(node) in named else _draw(name, last, node, modules, data_code, steps)
        if draw and draw[0] == "random" and id(node) in in_transforms:
            draw = (TRANSFORM_RANDOM, draw[1])
        if draw and (draw[0] not in draws or (draw[0] not in ordering and _orders(last))):
            # The first draw, or the first that orders data after one that does not.
            draws[draw[0]] = (place(node), draw[1])
            if _orders(last):
                ordering.add(draw[0])
    # A Keras `.fit` in the project's own code; an example or a doc shows how to train.
    own_code = file.role not in role.FOR_READING and not kinds.is_test_path(file.path)
    if draws_count and "tensorflow" not in draws and own_code and modules & _KERAS_MODULES:
        keras_fit = _keras_training(tree)
        if keras_fit is not None:
            draws["tensorflow"] = (
                place(keras_fit),
                "a Keras training run (`.fit(...)` of a compiled model; weights start random)",
            )
            ordering.add("tensorflow")
    # Seeded training code is kept too: it tells TF1003 a notebook's copy is a prototype.
    if not (unseeded or draws or seeds or (seeded_calls and trains)):
        return None
    return RandomnessFacts(
        tuple(unseeded),
        tuple((lib, where, what) for lib, (where, what) in draws.items()),
        frozenset(seeds),
        seeded_calls,
        trains,
        frozenset(ordering),
        seeded_estimators=frozenset(seeded_estimators),
    )


#: Draws that order, split or feed training data (`np.random.permutation(len(df))`,
#: `DataLoader(shuffle=True)`, a `.backward()` loop): a result depends on them anywhere.
_ORDERING_DRAWS = frozenset(
    {"shuffle", "permutation", "randperm", "random_split", "DataLoader", "backward"}
)


def _orders(last: str) -> bool:
    return last in _ORDERING_DRAWS


#: Draws of Python's `random` inside a transform's `__call__`/`forward`: in PyTorch
#: DataLoader workers, which seed `random` from `torch.manual_seed`'s generator.
TRANSFORM_RANDOM = "random@transform"
_TRANSFORM_METHODS = frozenset({"__call__", "forward"})


def _transform_calls(tree: ast.Module) -> set[int]:
    found: set[int] = set()
    for cls in nodes(tree, ast.ClassDef):
        for method in cls.body:
            if isinstance(method, ast.FunctionDef) and method.name in _TRANSFORM_METHODS:
                found.update(id(node) for node in ast.walk(method) if isinstance(node, ast.Call))
    return found


_TEST_DOUBLE = lazy_compile(r"(?:Mock|Fake|Dummy|Stub)[A-Z_]|(?:Mock|Fake|Dummy|Stub)$")


def _liblinear_shuffles(node: ast.Call) -> bool:
    """Whether liblinear shuffles for this `LogisticRegression`: in the dual problem
    (`dual=True`) and with an L1 penalty (coordinate descent over a random order), not
    in the default primal L2 problem. A value it cannot read is not judged."""
    dual = keyword(node, "dual")
    if dual is not None and isinstance(dual.value, ast.Constant) and dual.value.value is True:
        return True
    penalty = keyword(node, "penalty")
    return penalty is not None and constant_str(penalty.value) in ("l1", "elasticnet")


#: A function whose randomness is how a service behaves, not what a model learns: a
#: cache's random eviction (`_evict_random`), a retry's jitter or backoff, a load
#: balancer's pick of a replica.
_OPERATIONAL_FUNCTION = lazy_compile(r"evict|jitter|backoff|retry|retries|load_balanc", re.I)


def _operational_draws(functions: list[ast.FunctionDef | ast.AsyncFunctionDef]) -> set[int]:
    """The calls inside functions named for `_OPERATIONAL_FUNCTION`: seeding them would
    be wrong (every replica would evict, or retry, in step)."""
    return {
        id(node)
        for function in functions
        if _OPERATIONAL_FUNCTION.search(function.name)
        for node in ast.walk(function)
        if isinstance(node, ast.Call)
    }


def _mocked_values(tree: ast.Module) -> set[int]:
    """Calls that build a mock's canned value (`mocker.patch(..., return_value=
    tf.random.uniform([8, 8]))`, the methods of `class MockModel`): a test whose
    assertions hold for any draw."""
    found: set[int] = set()
    for cls in nodes(tree, ast.ClassDef):
        if _TEST_DOUBLE.match(cls.name):
            found.update(id(node) for node in ast.walk(cls) if isinstance(node, ast.Call))
    for item in nodes(tree, ast.keyword):
        if item.arg in ("return_value", "side_effect") and isinstance(item.value, ast.Call):
            found.update(id(node) for node in ast.walk(item.value) if isinstance(node, ast.Call))
    return found


#: A word saying values are made up on purpose.
_FABRICATED_WORD = r"\b(?:mock(?:ed|s|ing)?|fake[sd]?|simulat\w*|dummy)\b"
_FABRICATED = lazy_compile(_FABRICATED_WORD, re.IGNORECASE)
#: A comment holding such a word (from its `#` to the end of its line).
_FABRICATED_COMMENT = lazy_compile(r"#[^\n]*?" + _FABRICATED_WORD, re.IGNORECASE)


def _declared_fabrications(tree: ast.Module, text: str) -> set[int]:
    """Calls whose module says it mocks or simulates something (its docstring or its
    leading comments: "mimics an external API ... uses responses to mock it"), or that a
    comment on their line or the two lines above calls mocked, fake, simulated or dummy
    ("# Mocked performance metrics, randomized each run to demo metadata tracking"):
    data made up on purpose, whose variation is the point. One regex pass over the text
    (`text` is what the tree's line numbers count)."""
    header = ast.get_docstring(tree) or ""
    for line in text.splitlines()[:50]:
        if line.strip() and not line.lstrip().startswith("#"):
            break
        header += "\n" + line
    calls = nodes(tree, ast.Call)
    if _FABRICATED.search(header):
        return {id(node) for node in calls}
    commented: set[int] = set()
    number, last = 1, 0
    for found in _FABRICATED_COMMENT.finditer(text):
        number += text.count("\n", last, found.start())
        last = found.start()
        commented.add(number)
    if not commented:
        return set()
    return {
        id(node) for node in calls if commented & {node.lineno, node.lineno - 1, node.lineno - 2}
    }


def _formatted_into_strings(tree: ast.Module) -> set[int]:
    """Calls whose value goes straight into a string: `f"{random.randrange(2**32)}"`,
    `str(...)`, `"%d" % ...`, `"{}".format(...)`, the characters of `"".join(...)`. A
    random number formatted into text
    names something (a unique prefix, a temporary file); it affects no result."""
    found: set[int] = set()
    for formatted in nodes(tree, ast.FormattedValue):
        if isinstance(formatted.value, ast.Call):
            found.add(id(formatted.value))
    for node in nodes(tree, ast.Call):
        func = node.func
        if (isinstance(func, ast.Name) and func.id == "str") or (
            isinstance(func, ast.Attribute)
            and func.attr == "format"
            and isinstance(func.value, ast.Constant)
            and isinstance(func.value.value, str)
        ):
            found.update(id(arg) for arg in node.args if isinstance(arg, ast.Call))
        elif (
            isinstance(func, ast.Attribute)
            and func.attr == "join"
            and isinstance(func.value, ast.Constant)
            and isinstance(func.value.value, str)
            and node.args
            and isinstance(node.args[0], (ast.GeneratorExp, ast.ListComp))
            and isinstance(node.args[0].elt, ast.Call)
        ):
            # `"".join(random.choice(letters) for _ in range(8))`: a made-up name
            found.add(id(node.args[0].elt))
    for operation in nodes(tree, ast.BinOp):
        if (
            isinstance(operation.op, ast.Mod)
            and isinstance(operation.left, ast.Constant)
            and isinstance(operation.left.value, str)
        ):
            right = (
                operation.right.elts
                if isinstance(operation.right, ast.Tuple)
                else [operation.right]
            )
            found.update(id(item) for item in right if isinstance(item, ast.Call))
    return found


#: What a preprocessing step is called: its `.fit(...)` trains no network.
_PREPROCESSOR = lazy_compile(
    r"scaler|encoder|vectori[sz]er|imputer|pca|tokeni[sz]er|normali[sz]er|selector|binarizer",
    re.IGNORECASE,
)
#: Keras calls that load trained weights into a model (`model.load_weights(path)`).
_LOADS_WEIGHTS = frozenset({"load_weights", "load_model"})


def _keras_training(tree: ast.Module) -> ast.Call | None:
    """The first `.fit(...)` of a module that also `.compile(...)`s: a Keras model
    trained from randomly initialised weights. None if the module does not both."""
    fits: list[ast.Call] = []
    loads: list[ast.Call] = []  # `model.load_weights(path)`, `load_model(path)`
    compiled: set[str] = set()  # what `.compile(optimizer=...)` was called on
    modules = import_aliases(tree)
    for node in nodes(tree, ast.Call):
        if isinstance(node.func, ast.Attribute):
            receiver = node.func.value
            if isinstance(receiver, ast.Name) and receiver.id in modules:
                continue  # `re.compile(...)`, `torch.compile(...)`: a module's function
            if node.func.attr == "compile" and (
                {k.arg for k in node.keywords} & {"optimizer", "loss", "metrics"}
                or (node.args and constant_str(node.args[0]) is not None)
            ):
                # `model.compile(optimizer="adam", ...)`, not `re.compile`
                compiled.add(dotted(receiver))
            elif node.func.attr == "fit" and (node.args or node.keywords):
                fits.append(node)
            elif node.func.attr in _LOADS_WEIGHTS:
                loads.append(node)
    if not compiled:
        return None  # no model compiled: `re.compile`, an sklearn `.fit`
    # The fit of a compiled model (`model.fit`), not `scaler.fit(x_train)` before it.
    # A receiver that is no plain name (`build_model().compile(...)`) matches any fit;
    # a model compiled elsewhere (`tf_model = build_and_compile_model()`) any fit but a
    # preprocessing step's.
    trained = [
        node
        for node in fits
        if isinstance(node.func, ast.Attribute)
        and ("" in compiled or dotted(node.func.value) in compiled)
    ] or [
        node
        for node in fits
        if isinstance(node.func, ast.Attribute)
        and not _PREPROCESSOR.search(dotted(node.func.value).rsplit(".", 1)[-1])
    ]
    if not trained:
        return None
    first = min(trained, key=lambda node: (node.lineno, node.col_offset))
    if any(load.lineno < first.lineno for load in loads):
        return None  # fine-tuned from a checkpoint: the weights do not start random
    return first


def _seeding(name: str, last: str, node: ast.Call) -> str | None:
    """The library a call seeds ("all" for helpers), or None."""
    has_argument = bool(node.args or node.keywords)
    if name in ("numpy.random.seed",) or (
        last in ("default_rng", "RandomState") and name.startswith("numpy") and has_argument
    ):
        return "numpy"
    if last in ("manual_seed", "manual_seed_all"):
        return "torch"
    if name in ("random.seed",) or (name == "random.Random" and has_argument):
        # `random.Random(DATASET_SEED).shuffle(...)`: a seeded generator of its own
        return "random"
    if last in ("set_seed", "set_random_seed") and name.startswith(("tensorflow", "tf.")):
        return "all" if "set_random_seed" in last and "keras" in name else "tensorflow"
    if _SEED_FUNCTION.search(last) and last not in ("seed",):
        return "all"
    if last == "TrainingArguments":  # transformers' Trainer seeds everything (default 42)
        return "all"
    return None


def _unseeded_estimator(name: str, last: str, node: ast.Call, sklearn_like: bool) -> str | None:
    resolved = name.startswith(_RANDOM_STATE_LIBRARIES)
    if not (resolved or (name == last and sklearn_like and _BARE_NAME.fullmatch(last))):
        return None
    if keyword(node, "random_state") is not None or has_star_kwargs(node):
        return None
    if last == "train_test_split":
        shuffle = keyword(node, "shuffle")
        if shuffle is not None and not is_true(shuffle.value):
            return None
        return "`train_test_split(...)` without `random_state`: the split changes on every run"
    if last in _KFOLDS:
        shuffle = keyword(node, "shuffle")
        if shuffle is None or not is_true(shuffle.value) or len(node.args) >= 3:
            return None
        return f"`{last}(shuffle=True)` without `random_state`: the folds change on every run"
    if last == "LogisticRegression":
        solver = constant_str(getattr(keyword(node, "solver"), "value", None))
        if solver not in ("sag", "saga", "liblinear"):
            return None
        if solver == "liblinear" and not _liblinear_shuffles(node):
            return None  # the primal L2 problem: liblinear's Newton solver draws nothing
        return f"`LogisticRegression(solver='{solver}')` without `random_state`"
    if last == "PCA":
        solver = constant_str(getattr(keyword(node, "svd_solver"), "value", None))
        if solver not in ("randomized", "arpack"):
            return None
        return f"`PCA(svd_solver='{solver}')` without `random_state`"
    if last in _HIST_GRADIENT_BOOSTING:
        # Random only with early stopping or feature subsampling: the default
        # `early_stopping='auto'` depends on the data's size, so only an explicit ask counts.
        early = keyword(node, "early_stopping")
        features = keyword(node, "max_features")
        if early is not None and is_true(early.value):
            return f"`{last}(early_stopping=True)` without `random_state`: the validation split changes on every run"
        if features is not None and not (
            isinstance(features.value, ast.Constant) and features.value.value in (1, 1.0)
        ):
            return f"`{last}(max_features=...)` without `random_state`: results change on every run"
        return None
    if last in _ALWAYS_RANDOM:
        return f"`{last}(...)` without `random_state`: results change on every run"
    return None


def _draw(
    name: str, last: str, node: ast.Call, modules: set[str], data_code: bool, steps: bool
) -> tuple[str, str] | None:
    if name.startswith("numpy.random.") and name.count(".") == 2:
        if last not in _NUMPY_NOT_DRAWS:
            return "numpy", f"`np.random.{last}(...)`"
        if last in ("default_rng", "RandomState") and not (node.args or node.keywords):
            return "numpy", f"`np.random.{last}()` with no seed"
        return None
    if name.startswith("torch."):
        if last in _TORCH_DRAWS and (
            name.count(".") == 1 or "torch.utils.data" in name or "torch.random" in name
        ):
            return "torch", f"`torch.{last}(...)`"
        if name.startswith("torch.nn.init."):
            return "torch", f"`torch.nn.init.{last}(...)`"
    if (
        last == "DataLoader"
        and is_true(getattr(keyword(node, "shuffle"), "value", None))
        and "torch" in modules
    ):
        return "torch", "`DataLoader(shuffle=True)`"
    if last == "backward" and "torch" in modules and not node.args and steps:
        return "torch", "a torch training loop (`.backward()`; weights start random)"
    if name.startswith(("tensorflow.random.", "tf.random.")) and last not in (
        "set_seed",
        "Generator",
    ):
        return "tensorflow", f"`tf.random.{last}(...)`"
    if name.startswith("random.") and name.count(".") == 1 and last in _STDLIB_DRAWS and data_code:
        return "random", f"`random.{last}(...)`"
    return None
