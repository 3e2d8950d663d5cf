"""TF1003 unseeded-estimator: random split, fold or estimator with no random_state."""

from __future__ import annotations

from collections.abc import Iterator

from twelvefold import kinds
from twelvefold.detectors.pipeline_notebooks import notebook_prototypes
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule
from twelvefold.rules.f10_tests._randomness import RandomnessFacts, resolved

#: The code a project runs: its package and its scripts.
_RUN_CODE = frozenset({role.PACKAGE, role.SCRIPT})


def _has_global_seed(facts: RandomnessFacts | None, library: str) -> bool:
    return facts is not None and bool({library, "all"} & facts.seeds)


class UnseededEstimator(RepoRule):
    """## What it does
    Reports random processes called without a seed: `train_test_split` without
    `random_state` (unless `shuffle=False`), `KFold`/`StratifiedKFold`/`GroupKFold`
    with `shuffle=True` and no `random_state`, and estimators and helpers that take a
    `random_state` but were not given one: `RandomForest*`, `ExtraTrees*`,
    `GradientBoosting*`, `IsolationForest`, `Bagging*`,
    `KMeans`, `GaussianMixture`, `MLP*`, `SGD*`, `TruncatedSVD`,
    `PCA(svd_solver='randomized')`, `LogisticRegression(solver='saga'|'sag'|'liblinear')`,
    `ShuffleSplit`, `RandomizedSearchCV`, `make_classification` and the other
    generators, imbalanced-learn samplers. `HistGradientBoosting*` only with
    `early_stopping=True` or `max_features`: its default (`early_stopping='auto'`) draws
    nothing below 10,000 samples, so whether it repeats depends on data the checker
    cannot see. Not `TSNE` nor `UMAP`: they draw a picture of the data, and no result
    depends on the layout.

    Not reported in a library's examples, docs and benchmarks, nor in an application's
    or a paper's examples and docs (a tutorial notebook wiring its services), nor in
    tests: a toy estimator fitted to illustrate the code, or to give a test something to
    export, is not a result anyone reproduces. Nor in notebooks when a
    module of the package is reported too (`notebook/model_training.ipynb` beside
    `src/components/model_trainer.py`): the notebook is where that code was tried before
    it moved into the package, and the module is what runs; so too for an exploration
    notebook's estimator that the package's or a script's training code builds seeded
    (a Kedro node's `RandomForestRegressor(random_state=params["random_state"])`),
    except in a course, whose notebooks are its lessons. Nor, in a course, in a
    notebook that seeds nothing at all (no `random_state` anywhere, no seeding call): a
    lesson or an office-hours session that claims no reproducible numbers. A course's
    notebook that seeds some calls and misses one (`random_state=11` on every split but
    not on the tree) is reported: that is the slip.

    Any explicit `random_state` counts (`random_state=SEED`, `random_state=cfg.seed`),
    as does `**params`. Not reported when numpy's global generator is seeded
    (`np.random.seed`, `seed_everything`, a `set_seed` helper): in the same notebook for a
    notebook, anywhere in the project's code for modules. XGBoost, LightGBM and CatBoost
    are not listed: their default seed is fixed, so they repeat without one.

    ## Why is this bad?
    Each run gets another split, other folds or another model; a metric that moves by a
    point between runs hides real regressions and makes experiments incomparable.

    ## Example
    ```python
    # src/churn/train.py
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import train_test_split

    df = pd.read_parquet("data/customers.parquet")
    X, y = df.drop(columns="churn"), df["churn"]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
    model = RandomForestClassifier(n_estimators=300).fit(X_train, y_train)
    ```

    ## Use instead
    ```python
    # src/churn/train.py
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import train_test_split

    from churn.config import cfg

    df = pd.read_parquet("data/customers.parquet")
    X, y = df.drop(columns="churn"), df["churn"]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=cfg.seed)
    model = RandomForestClassifier(n_estimators=300, random_state=cfg.seed).fit(X_train, y_train)
    ```
    """

    code = "TF1003"
    roles = role.IN_USE
    depends_on = ("@code",)
    name = "unseeded-estimator"
    factor = 10
    severity = Severity.WARNING
    summary = "Random split, fold or estimator with no random_state"
    fix = "Pass `random_state=` from one seed in the config (e.g. random_state=settings.seed)."
    facts = ("randomness",)

    def check(self, repo: Repo) -> Iterator[Violation]:
        facts = repo.facts("randomness")
        # A library's examples, docs and benchmarks show how to use it, and so do an
        # application's or a paper's examples and docs (a tutorial notebook wiring its
        # services): a toy estimator fitted for a plot is not a result to reproduce. A
        # course's are its lessons, a template collection's its projects.
        kind = repo.model.kind
        course = kind == project_kind.COURSE
        reading = (
            role.FOR_READING
            if kind == project_kind.LIBRARY
            else frozenset({role.EXAMPLE, role.DOCS})
            if kind in (project_kind.APPLICATION, project_kind.RESEARCH)
            else frozenset()
        )
        reported = sorted(
            path
            for path, found in facts.items()
            if found.unseeded
            and repo.model.role(path) not in reading
            # a test's toy model (an iris fit to have something to export): its
            # assertions hold for any draw
            and not kinds.is_test_path(path)
            and not (path.endswith(".ipynb") and _has_global_seed(found, "numpy"))
            # A course's notebook that seeds nothing teaches or explores; one that seeds
            # other calls (or a library) means to repeat, and the unseeded call is its slip.
            and not (course and path.endswith(".ipynb") and not (found.seeded_calls or found.seeds))
        )
        # Modules are quiet when any module seeds numpy's generator: asked only when a
        # module is reported, so a library's modules that may seed are parsed only then.
        # (A test's `np.random.seed(42)` seeds that test's draws, not the pipeline's.)
        if any(path.endswith(".py") for path in reported) and any(
            _has_global_seed(resolved(repo, path, found), "numpy")
            for path, found in facts.items()
            if path.endswith(".py") and not kinds.is_test_path(path)
        ):
            reported = [path for path in reported if not path.endswith(".py")]
        prototypes = notebook_prototypes(repo, reported)
        # What the project's own training code seeds (a Kedro node's `RandomForestRegressor(
        # random_state=params["random_state"])`): an exploration notebook's unseeded copy
        # of the same estimator is where that code was tried, and the module is what runs.
        seeded_in_code: frozenset[str] = frozenset()
        if not course and any(path.endswith(".ipynb") for path in reported):
            seeded_in_code = frozenset().union(
                *(
                    found.seeded_estimators
                    for path, found in facts.items()
                    if path.endswith(".py") and found.trains and repo.model.role(path) in _RUN_CODE
                )
            )
        for path in reported:
            if path in prototypes:
                continue
            exploring = path.endswith(".ipynb") and repo.model.role(path) == role.NOTEBOOK
            for where, estimator, message in facts[path].unseeded:
                if exploring and estimator in seeded_in_code:
                    continue
                yield Violation(
                    message, path=path, line=where.line, cell=where.cell, cell_line=where.cell_line
                )
