"""Generate `random_state.py`: which scikit-learn callables are random by default.

Run it with a Python that has scikit-learn installed (a throwaway environment: the
checker itself never imports scikit-learn):

    python -m venv /tmp/sk && /tmp/sk/bin/pip install scikit-learn
    /tmp/sk/bin/python checker/twelvefold/detectors/gen_random_state.py

The source of truth is scikit-learn's own metadata: every public estimator
(`sklearn.utils.all_estimators`), splitter and function whose signature takes
`random_state`, and the numpydoc text of that parameter. A parameter documented as used
only under a condition ("Used when ``solver`` == 'sag'", "Ignored when `probability` is
False", "when ``shuffle`` is set to ``True``") makes the callable random by default only
when the condition holds for the signature's default value; otherwise it is random by
default. `_BY_HAND` keeps the few cases where the text says less than the code does.
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys
from collections.abc import Callable
from pathlib import Path

from twelvefold.lazy_regex import lazy_compile

OUTPUT = Path(__file__).with_name("random_state.py")

#: Modules whose public functions and classes (beyond `all_estimators`) are searched.
_MODULES = (
    "sklearn.model_selection",
    "sklearn.datasets",
    "sklearn.inspection",
    "sklearn.utils",
    "sklearn.cluster",
    "sklearn.decomposition",
    "sklearn.manifold",
)
#: Where the documentation under-states or over-states the default behaviour.
_BY_HAND: dict[str, bool] = {
    # "only used when `estimator` exposes a `random_state`": the default estimator is a
    # decision tree, which does.
    "AdaBoostClassifier": True,
    "AdaBoostRegressor": True,
    # Random only with optimizer restarts (`n_restarts_optimizer=0` by default) or when
    # sampling from the posterior.
    "GaussianProcessClassifier": False,
    "GaussianProcessRegressor": False,
    # Random only on data larger than `subsample` rows.
    "KBinsDiscretizer": False,
    "QuantileTransformer": False,
    "SplineTransformer": False,
    # Random only with early stopping, which the default `early_stopping='auto'` turns on
    # above 10,000 samples (the validation split), with `max_features` below 1, or when
    # binning subsamples more than 200,000 rows: whether a call repeats depends on the
    # data, which the checker cannot see. `early_stopping=True` and `max_features` have
    # a rule of their own in the checker.
    "HistGradientBoostingClassifier": False,
    "HistGradientBoostingRegressor": False,
    # Conditional in ways the text does not put in the parser's words.
    "HalvingGridSearchCV": False,  # when `resources != 'n_samples'`
    "estimate_bandwidth": False,  # when `n_samples` is given
    "locally_linear_embedding": False,  # as `LocallyLinearEmbedding`
    "PartialDependenceDisplay": False,  # subsamples individual curves only
    "BaseShuffleSplit": False,  # a base class
    # `train_test_split`, `KFold`-like splitters, `LogisticRegression` and `PCA` have
    # rules of their own (shuffle, solver) in the checker.
    "train_test_split": False,
    "KFold": False,
    "StratifiedKFold": False,
    "GroupKFold": False,
    "StratifiedGroupKFold": False,
    "LogisticRegression": False,
    "PCA": False,
}
#: "Used when X" / "Ignored when X": the phrases that make a parameter conditional.
_CONDITION = lazy_compile(
    r"(?P<neg>ignored|has no effect)?[^.]*?\b(?:when|if|for)\s+(?:the\s+)?[`']+(?P<param>\w+)[`']*"
    r"\s*(?:==|=|equals|is set to|is|in)\s*(?P<values>[^.]*)",
    re.IGNORECASE,
)
_VALUE = lazy_compile(r"[`'\"]*([\w.-]+)[`'\"]*")


def random_state_doc(obj: object) -> str:
    doc = inspect.getdoc(obj) or ""
    match = re.search(r"^random_state\s*:.*?\n((?:[ \t]+.*\n|[ \t]*\n)+)", doc + "\n", re.M)
    return " ".join(match.group(1).split()) if match else ""


def documented_default(obj: object, name: str) -> object:
    """A parameter's default as the documentation states it (`probability : bool,
    default=False`), else the signature's: a deprecated parameter's signature default is
    a sentinel (`"deprecated"`), not what the callable does."""
    doc = inspect.getdoc(obj) or ""
    match = re.search(rf"^{re.escape(name)}\s*:.*?default=([^\s,]+)", doc, re.M)
    if match is not None:
        text = match.group(1).strip("`'\"")
        return {"True": True, "False": False, "None": None}.get(text, text)
    return inspect.signature(obj).parameters[name].default  # type: ignore[arg-type]


def random_by_default(obj: object) -> bool:
    """Whether calling `obj` with its defaults draws random numbers from `random_state`.

    A condition in the parameter's first two sentences ("Used when ...") or in a sentence
    that opens with "Ignored"/"Only used" makes it conditional; a sentence listing
    several sources of randomness (" - ", "In addition", "also") names a condition for
    one of them, not for all.
    """
    parameters = inspect.signature(obj).parameters  # type: ignore[arg-type]
    sentences = re.split(r"(?<=\.)\s+", random_state_doc(obj))
    for index, sentence in enumerate(sentences):
        opens = re.match(r"(?:ignored|only used|has no effect)\b", sentence, re.I)
        if index >= 2 and not opens:
            continue
        if " - " in sentence or re.search(r"\b(?:in addition|also)\b", sentence, re.I):
            continue
        match = _CONDITION.search(sentence)
        if match is None or match.group("param") not in parameters:
            continue
        default = documented_default(obj, match.group("param"))
        values = {value.lower() for value in _VALUE.findall(match.group("values"))[:6]}
        holds = str(default).lower() in values or (
            default is None and "none" not in values and "not" in values
        )
        negated = bool(match.group("neg")) or " not " in f" {match.group('values')} "
        return holds != negated
    return True


def candidates(all_estimators: Callable[[], list[tuple[str, type]]]) -> dict[str, object]:
    """Every public scikit-learn callable that takes `random_state`, by name."""
    found: dict[str, object] = dict(all_estimators())
    for module_name in _MODULES:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", dir(module)):
            if name.startswith("_") or name in found:
                continue
            obj = getattr(module, name, None)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                found[name] = obj
    result = {}
    for name, obj in found.items():
        try:
            parameters = inspect.signature(obj).parameters  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if "random_state" in parameters:
            result[name] = obj
    return result


def main() -> None:
    # Run as a script, this folder comes first on sys.path, and its `secrets.py` would
    # shadow the standard library's for scikit-learn.
    here = Path(__file__).resolve().parent
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != here]
    try:
        import sklearn
        from sklearn.experimental import (  # noqa: F401  (the halving searches, as users import them)
            enable_halving_search_cv,
            enable_iterative_imputer,
        )
        from sklearn.utils import all_estimators
    except ImportError as exc:  # the checker's own environment has no scikit-learn
        raise SystemExit("needs scikit-learn: see this module's docstring") from exc
    always: list[str] = []
    conditional: list[str] = []
    for name, obj in sorted(candidates(all_estimators).items()):
        if name.startswith(("fetch_", "load_")):
            continue  # dataset loaders: `random_state` only orders what they download
        random = _BY_HAND.get(name, random_by_default(obj))
        (always if random else conditional).append(name)
    lines = [
        f'"""Generated by gen_random_state.py from scikit-learn {sklearn.__version__}: do not edit.',
        "",
        "Callables of scikit-learn that take `random_state`, split by whether their results",
        "are random when it is left out (with every other parameter at its default).",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        f'SKLEARN_VERSION = "{sklearn.__version__}"',
        "",
        "#: Random unless `random_state` is given.",
        "RANDOM_BY_DEFAULT = frozenset(",
        "    {",
        *(f'        "{name}",' for name in always),
        "    }",
        ")",
        "#: Take `random_state` but only use it when another parameter asks for randomness.",
        "RANDOM_WHEN_CONFIGURED = frozenset(",
        "    {",
        *(f'        "{name}",' for name in conditional),
        "    }",
        ")",
        "",
    ]
    OUTPUT.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
