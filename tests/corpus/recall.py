"""Corpus repositories for the violations of issue 15 (recall): the classes a reviewer
found that no rule reported, each planted in an application next to its look-alikes, and
a library whose examples and notebooks hold the same code on purpose.

Both applications start from the well-kept repository (every factor in order), so the
only findings are the planted ones.
"""

from __future__ import annotations

from collections.abc import Sequence

from tests.corpus.model import CorpusRepo, Expect, Lookalike, Member, binary_blob, notebook, uv_lock

_DEPS = [
    "pandas>=2.2",
    "scikit-learn>=1.5",
    "pydantic-settings>=2.3",
    "mlflow>=2.14",
    "fastapi>=0.111",
    "uvicorn>=0.30",
    "tensorflow>=2.16",
    "google-cloud-bigquery>=3.25",
]
_LOCKED = {
    "pandas": "2.2.2",
    "scikit-learn": "1.5.1",
    "pydantic-settings": "2.3.4",
    "pydantic": "2.8.2",
    "mlflow": "2.14.3",
    "fastapi": "0.111.1",
    "uvicorn": "0.30.1",
    "tensorflow": "2.16.2",
    "google-cloud-bigquery": "3.25.0",
    "pytest": "8.2.2",
    "ruff": "0.5.2",
    "httpx": "0.27.0",
    "pre-commit": "3.7.1",
    "numpy": "1.26.4",
}


_KERAS_NOTEBOOK = notebook(
    ("markdown", "# Keras baseline\nTrained weekly by the pipeline runner (papermill)."),
    (
        "code",
        "import pandas as pd\nfrom tensorflow import keras\n\n"
        'frame = pd.read_csv("../data/processed/train.csv")\n'
        'X, y = frame.drop(columns=["churned"]).values, frame["churned"].values',
    ),
    (
        "code",
        'model = keras.Sequential([keras.layers.Dense(32, activation="relu"), keras.layers.Dense(1)])\n'
        'model.compile(optimizer="adam", loss="binary_crossentropy")\n'
        "history = model.fit(X, y, validation_split=0.2)",
    ),
)
_GET_DATA_NOTEBOOK = notebook(
    ("markdown", "# Get the data"),
    ("code", "!kaggle datasets download -d blastchar/telco-customer-churn -p ../data/raw"),
    ("code", "!unzip -o ../data/raw/telco-customer-churn.zip -d ../data/raw"),
)
_TREE_NOTEBOOK = notebook(
    ("markdown", "# Which features matter? (exploration, trains nothing kept)"),
    (
        "code",
        "import pandas as pd\nfrom sklearn.tree import DecisionTreeRegressor\n\n"
        "from churn_model.config import Settings\n\n"
        'frame = pd.read_csv(Settings().data_dir / "raw" / "dataset.csv")\n'
        'tree = DecisionTreeRegressor(max_depth=3)\ntree.fit(frame[["tenure"]], frame["charges"])',
    ),
)

_TRAINER_SETTINGS = (
    '"""Settings from the environment (prefix CHURN_MODEL_): paths and services only."""\n\n'
    "from pathlib import Path\n\nfrom pydantic_settings import BaseSettings, SettingsConfigDict\n\n\n"
    "class Settings(BaseSettings):\n"
    '    model_config = SettingsConfigDict(env_prefix="CHURN_MODEL_", env_file=".env", env_ignore_empty=True)\n\n'
    "    seed: int = 42\n"
    '    data_dir: Path = Path("data")\n'
    '    output_dir: Path = Path("artifacts")\n'
    '    api_token: str = ""\n'
    '    host: str = "127.0.0.1"\n'
    "    port: int = 8000\n"
    '    mlflow_tracking_uri: str = "sqlite:///mlflow.db"\n'
)
_TRAINER = (
    '"""Training: search a boosted model, save it with its metadata."""\n\n'
    "import json\nimport logging\n\nimport joblib\nimport mlflow\n"
    "from sklearn.ensemble import GradientBoostingClassifier\n"
    "from sklearn.metrics import roc_auc_score\n"
    "from sklearn.model_selection import GridSearchCV, train_test_split\n\n"
    "from churn_model import __version__, data\nfrom churn_model.config import Settings\n\n"
    "logger = logging.getLogger(__name__)\n\n"
    "N_ESTIMATORS = 300\n"
    "MAX_DEPTH = 4\n"
    "use_mlflow = False  # turn on to log the run\n\n\n"
    "def train(settings: Settings) -> dict:\n"
    '    frame = data.read(settings.data_dir / "raw" / "dataset.csv")\n'
    '    X, y = frame.drop(columns=["churned"]), frame["churned"]\n'
    "    x_train, x_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=settings.seed)\n"
    '    grid = {"learning_rate": [0.01, 0.05, 0.1], "subsample": [0.8, 1.0]}\n'
    "    base = GradientBoostingClassifier(n_estimators=N_ESTIMATORS, max_depth=MAX_DEPTH, random_state=settings.seed)\n"
    "    search = GridSearchCV(base, grid, cv=5)\n"
    "    search.fit(x_train, y_train)\n"
    '    metrics = {"roc_auc": float(roc_auc_score(y_test, search.predict_proba(x_test)[:, 1]))}\n'
    '    model_dir = settings.output_dir / "model"\n    model_dir.mkdir(parents=True, exist_ok=True)\n'
    '    joblib.dump(search.best_estimator_, model_dir / "model.joblib")\n'
    '    (model_dir / "metadata.json").write_text(json.dumps({"version": __version__, "params": search.best_params_}))\n'
    "    if use_mlflow:\n"
    "        mlflow.set_tracking_uri(settings.mlflow_tracking_uri)\n"
    "        with mlflow.start_run():\n"
    "            mlflow.log_params(search.best_params_)\n"
    "            mlflow.log_metrics(metrics)\n"
    '    logger.info("trained model %s: %s", __version__, metrics)\n    return metrics\n'
)

_LIB_KERAS_EXAMPLE = (
    "from tensorflow import keras\n\n"
    "EPOCHS = 5\nBATCH_SIZE = 32\n\n"
    "model = keras.Sequential([keras.layers.Dense(1)])\n"
    "model.compile(optimizer='adam', loss='mse')\n"
    "model.fit(x, y, epochs=EPOCHS, batch_size=BATCH_SIZE)\n"
)

RECALL_LIBRARY = CorpusRepo(
    name="recall_library_examples",
    style="library whose examples and demo notebooks hold the application violations",
    kind=None,
    files={
        "README.md": "# kerasplus\n\nLayers for Keras. `pip install kerasplus`.\n",
        ".gitignore": "__pycache__/\n.venv/\n",
        "pyproject.toml": (
            '[project]\nname = "kerasplus"\nversion = "1.2.0"\nrequires-python = ">=3.10"\n'
            'dependencies = ["tensorflow>=2.12", "numpy>=1.24"]\n'
            'classifiers = ["Programming Language :: Python :: 3", "Intended Audience :: Science/Research"]\n\n'
            '[build-system]\nrequires = ["hatchling>=1.25"]\nbuild-backend = "hatchling.build"\n'
        ),
        ".github/workflows/ci.yml": (
            "name: CI\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-24.04\n    steps:\n"
            "      - uses: actions/checkout@v4\n      - uses: actions/setup-python@v5\n"
            "        with:\n          python-version: '3.12'\n      - run: pip install -e . pytest==8.2.2\n"
            "      - run: pytest\n"
        ),
        ".pre-commit-config.yaml": (
            "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.5.2\n"
            "    hooks:\n      - id: ruff\n"
        ),
        "src/kerasplus/__init__.py": '"""Layers for Keras."""\n\n__version__ = "1.2.0"\n',
        "src/kerasplus/layers.py": (
            "from tensorflow import keras\n\n\n"
            "class Scale(keras.layers.Layer):\n"
            "    def call(self, inputs):\n        return inputs * 2.0\n"
        ),
        "tests/test_layers.py": (
            "from kerasplus.layers import Scale\n\n\ndef test_scale():\n    assert Scale()(1.0) == 2.0\n"
        ),
        "examples/train_mnist.py": _LIB_KERAS_EXAMPLE,
        "examples/pretrained/scale.keras": binary_blob(20_000, "lib-example-model"),
        "examples/quickstart.ipynb": notebook(
            ("code", "!kaggle datasets download -d zalando-research/fashionmnist"),
            ("code", _LIB_KERAS_EXAMPLE),
        ),
        "src/kerasplus/assets/vocab.pkl": binary_blob(2_000, "lib-vocab"),
    },
    expected=[],
    lookalikes=[
        Lookalike("TF1004", "examples/train_mnist.py", "model.fit(", "a library's example"),
        Lookalike("TF306", "examples/train_mnist.py", "EPOCHS = 5", "a library's example"),
        Lookalike("TF105", "examples/pretrained/scale.keras", None, "an example's model"),
        Lookalike("TF105", "src/kerasplus/assets/vocab.pkl", None, "a library's package data"),
        Lookalike("TF207", "examples/quickstart.ipynb", "!kaggle", "a demo notebook"),
    ],
)


def _pyproject(name: str, deps: list[str], dev: Sequence[str]) -> str:
    return (
        f'[project]\nname = "{name}"\nversion = "0.1.0"\nrequires-python = ">=3.12"\n'
        "dependencies = [\n" + "".join(f'    "{d}",\n' for d in deps) + "]\n\n"
        '[project.scripts]\nchurn-model = "churn_model.cli:main"\n\n'
        "[dependency-groups]\ndev = [" + ", ".join(f'"{d}"' for d in dev) + "]\n\n"
        '[build-system]\nrequires = ["hatchling>=1.25"]\nbuild-backend = "hatchling.build"\n'
    )


def recall_repos(well_kept: CorpusRepo, kept_dev: Sequence[str]) -> tuple[CorpusRepo, ...]:
    """The issue 15 repositories; the applications start from `well_kept` (passed in, so
    this module does not import the module that lists every repository)."""
    recall_service = CorpusRepo(
        name="recall_churn_service",
        style="well-kept application with the issue 15 violations planted in it",
        files={
            **well_kept.files,
            "pyproject.toml": _pyproject("churn-model", _DEPS, kept_dev),
            "uv.lock": uv_lock(">=3.12", [Member("churn-model", ".", _DEPS, kept_dev)], _LOCKED),
            "Dockerfile": well_kept.files["Dockerfile"].replace(  # type: ignore[union-attr]
                "COPY --from=ghcr.io/astral-sh/uv:0.4.0 /uv /bin/uv\n",
                "COPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/uv\n"
                "COPY --from=build-tools /bin/tini /bin/tini\n",
            ),
            # committed model artifacts and a tracker store, small
            "serving/model.pkl": binary_blob(300_000, "recall-model"),
            "serving/preprocessor.joblib": binary_blob(4_000, "recall-preprocessor"),
            "mlruns/0/meta.yaml": "artifact_location: mlruns/0\nexperiment_id: '0'\nname: Default\n",
            "mlruns/0/4f1c2a9e/metrics/roc_auc": "1717171717 0.91 0\n",
            "tests/fixtures/tiny_model.joblib": binary_blob(900, "fixture-model"),
            # a namespace package imported from the namespace
            "src/churn_model/export.py": (
                '"""Export predictions to the warehouse and the bucket."""\n\n'
                "from google.cloud import bigquery, storage\n\n\n"
                "def export(rows: list[dict], settings) -> None:\n"
                "    bigquery.Client().insert_rows_json(settings.predictions_table, rows)\n"
                "    storage.Client().bucket(settings.bucket).blob('latest.json').upload_from_string('ok')\n"
            ),
            # a pipeline step that prints its progress, with a script part; training
            # builds its features with it (a step nothing imports is run by hand)
            "src/churn_model/train.py": well_kept.files["src/churn_model/train.py"]
            .replace("import __version__, data\n", "import __version__, data, features\n")  # type: ignore[union-attr]
            .replace(
                'frame = data.read(settings.data_dir / "raw" / "dataset.csv")',
                'frame = features.build_features(data.read(settings.data_dir / "raw" / "dataset.csv"))',
            ),
            "src/churn_model/features.py": (
                "import pandas as pd\n\n\n"
                "def build_features(raw: pd.DataFrame) -> pd.DataFrame:\n"
                "    print('building features...')\n"
                '    frame = raw.assign(tenure_years=raw["tenure"] / 12)\n'
                "    print(f'built {len(frame.columns)} features')\n"
                "    return frame\n\n\n"
                "if __name__ == '__main__':\n"
                "    print(build_features(pd.DataFrame({'tenure': [1, 24]})))\n"
            ),
            "notebooks/keras-baseline.ipynb": _KERAS_NOTEBOOK,
            "notebooks/get-data.ipynb": _GET_DATA_NOTEBOOK,
            "notebooks/tree-exploration.ipynb": _TREE_NOTEBOOK,
            "notebooks/eda.ipynb": notebook(
                (
                    "code",
                    'import pandas as pd\n\nframe = pd.read_csv("../data/raw/dataset.csv")\nframe.describe()',
                ),
            ),
        },
        untracked=well_kept.untracked,
        expected=[
            Expect("TF105", "serving/model.pkl", note="300 KB model served from the checkout"),
            Expect("TF105", "serving/preprocessor.joblib", note="fitted preprocessor"),
            Expect("TF105", "mlruns/0/4f1c2a9e/metrics/roc_auc", note="MLflow run store"),
            Expect("TF503", "Dockerfile", "COPY --from=ghcr.io/astral-sh/uv:latest"),
            Expect(
                "TF206", "src/churn_model/export.py", "from google.cloud import bigquery, storage"
            ),
            Expect("TF902", "src/churn_model/features.py", "print('building features...')"),
            Expect("TF1004", "notebooks/keras-baseline.ipynb", "history = model.fit(X, y"),
            Expect("TF402", "notebooks/keras-baseline.ipynb", "../data/processed/train.csv"),
            Expect("TF207", "notebooks/get-data.ipynb", "!kaggle datasets download"),
            Expect(
                "TF1003", "notebooks/tree-exploration.ipynb", "DecisionTreeRegressor(max_depth=3)"
            ),
        ],
        lookalikes=[
            *well_kept.lookalikes,
            Lookalike("TF105", "tests/fixtures/tiny_model.joblib", None, "a test fixture"),
            Lookalike("TF503", "Dockerfile", "COPY --from=build-tools", "a named build context"),
            Lookalike("TF503", "Dockerfile", "COPY --from=build /app/.venv", "an earlier stage"),
            Lookalike(
                "TF206",
                "src/churn_model/export.py",
                "bigquery",
                "google-cloud-bigquery is declared",
            ),
            Lookalike(
                "TF902", "src/churn_model/features.py", "print(build_features", "script part"
            ),
            Lookalike("TF207", "notebooks/get-data.ipynb", "!unzip", "every notebook host has it"),
            Lookalike("TF402", "notebooks/eda.ipynb", "../data/raw/dataset.csv", "trains nothing"),
            Lookalike("TF402", "notebooks/tree-exploration.ipynb", "Settings().data_dir", "config"),
        ],
    )

    recall_trainer = CorpusRepo(
        name="recall_churn_trainer",
        style="application with no hyperparameter configuration and tracking off by default",
        files={
            **{
                path: content
                for path, content in well_kept.files.items()
                if path not in ("dvc.yaml", ".dvc/config", ".dvcignore")
            },
            "src/churn_model/config.py": _TRAINER_SETTINGS,
            "src/churn_model/train.py": _TRAINER,
            "src/churn_model/data.py": well_kept.files["src/churn_model/data.py"],
        },
        untracked=well_kept.untracked,
        expected=[
            Expect("TF306", "src/churn_model/train.py", "N_ESTIMATORS = 300", note="constants"),
            Expect("TF306", "src/churn_model/train.py", "test_size=0.2", note="split ratio"),
            Expect("TF306", "src/churn_model/train.py", '"learning_rate": [0.01', note="grid"),
            Expect("TF1102", "src/churn_model/train.py", "use_mlflow = False"),
        ],
        lookalikes=[
            Lookalike(
                "TF306",
                "src/churn_model/train.py",
                "GradientBoostingClassifier(n_estimators=N_ESTIMATORS",
                "names, not literals: the constants block is the finding",
            ),
            Lookalike("TF306", "src/churn_model/config.py", "seed: int = 42", "a config module"),
            Lookalike(
                "TF1102",
                "src/churn_model/train.py",
                "mlflow.log_params",
                "tracking, but switched off",
            ),
        ],
    )
    return (
        recall_service,
        recall_trainer,
        RECALL_LIBRARY,
        _round2_service(well_kept, kept_dev),
        _round2_setup_py(well_kept),
    )


_SETUP_PY = (
    "from setuptools import find_packages, setup\n\n"
    "setup(\n"
    '    name="churn-model",\n'
    '    version="0.1.0",\n'
    '    python_requires=">=3.12",\n'
    '    package_dir={"": "src"},\n'
    '    packages=find_packages("src"),\n'
    "    install_requires=[\n"
    '        "pandas>=2.2",\n'
    '        "scikit-learn",\n'
    '        "pydantic-settings>=2.3",\n'
    '        "mlflow",\n'
    '        "fastapi",\n'
    '        "uvicorn",\n'
    "    ],\n"
    '    entry_points={"console_scripts": ["churn-model=churn_model.cli:main"]},\n'
    ")\n"
)


def _round2_setup_py(well_kept: CorpusRepo) -> CorpusRepo:
    """Issue 15, second round, class 15: an application installed by its setup.py, whose
    install_requires nothing pins."""
    files = {
        path: content
        for path, content in well_kept.files.items()
        if path not in ("pyproject.toml", "uv.lock")
    }
    files["setup.py"] = _SETUP_PY
    # TF106: a path suppression whose path went to the environment, beside a live one.
    files["src/churn_model/paths.py"] = (
        '"""Where the data lives."""\n\nimport os\n\n'
        'DATA_DIR = os.environ["CHURN_DATA_DIR"]  # twelvefold: ignore[TF303]\n'
        'SAMPLE = "/home/ci/fixtures/churn_sample.csv"  # twelvefold: ignore[TF303]\n'
    )
    files["Dockerfile"] = (
        "FROM python:3.12.4-slim\nWORKDIR /app\nCOPY . .\n"
        'RUN pip install --no-cache-dir .\nEXPOSE 8000\nCMD ["churn-model", "serve"]\n'
    )
    files[".github/workflows/ci.yml"] = (
        "name: CI\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-24.04\n"
        "    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-python@v5\n"
        "        with:\n          python-version: '3.12'\n"
        "      - run: pip install . pytest==8.2.2 httpx==0.27.0\n      - run: pytest\n"
    )
    return CorpusRepo(
        name="recall2_setup_py_application",
        style="application installed by setup.py, with no lock",
        files=files,
        untracked=well_kept.untracked,
        expected=[
            Expect("TF202", "setup.py", '"pandas>=2.2"', note="install_requires, no lock"),
            Expect("TF505", "Dockerfile", "RUN pip install --no-cache-dir .", note="no lock"),
            Expect("TF106", "src/churn_model/paths.py", "DATA_DIR = ", note="path moved to env"),
        ],
        lookalikes=[
            Lookalike("TF202", "setup.py", '"scikit-learn"', "one finding per file, not per line"),
            Lookalike("TF106", "src/churn_model/paths.py", "SAMPLE = ", "still suppresses TF303"),
        ],
    )


_REGISTRY_API = (
    '"""Scores with the registry model; uvicorn imports `app` (the main block is for local runs)."""\n\n'
    "import logging\n\nimport mlflow\nfrom fastapi import FastAPI\n\n"
    "logger = logging.getLogger(__name__)\n"
    'model = mlflow.pyfunc.load_model("models:/churn/Production")\n'
    'baseline = mlflow.pyfunc.load_model("artifacts/baseline")\n'
    "app = FastAPI()\n\n\n"
    '@app.on_event("startup")\n'
    "def load_shadow() -> None:\n"
    '    app.state.shadow = mlflow.pyfunc.load_model("models:/churn/Staging")\n\n\n'
    '@app.get("/health")\ndef health() -> dict:\n    return {"status": "ok"}\n\n\n'
    '@app.post("/score")\n'
    "def score(rows: list[dict]) -> list[float]:\n"
    "    predictions = [float(p) for p in model.predict(rows)]\n"
    '    logger.info("scored inputs=%s predictions=%s", rows, predictions)\n'
    "    return predictions\n\n\n"
    'if __name__ == "__main__":\n'
    "    import uvicorn\n\n"
    '    uvicorn.run(app, host="127.0.0.1", port=8001)\n'
)
_EVALUATE_SCRIPT = (
    '"""Compare the registry model with the baseline: run by hand."""\n\n'
    "import mlflow\n\n"
    'candidate = mlflow.pyfunc.load_model("models:/churn/Staging")\n\n\n'
    "def main() -> None:\n"
    "    print(candidate.metadata.run_id)\n\n\n"
    'if __name__ == "__main__":\n    main()\n'
)


def _round2_service(well_kept: CorpusRepo, kept_dev: Sequence[str]) -> CorpusRepo:
    """Issue 15, second round: downloads through framework helpers (class 4)."""
    return CorpusRepo(
        name="recall2_churn_service",
        style="well-kept application with the second-round issue 15 violations planted",
        files={
            **well_kept.files,
            "src/churn_model/registry_api.py": _REGISTRY_API,
            "src/churn_model/evaluate.py": _EVALUATE_SCRIPT,
            # TF106: a suppression left behind after the secret moved to the environment,
            # beside one that still suppresses a finding.
            "src/churn_model/warehouse.py": (
                '"""Warehouse connection settings."""\n\nimport os\n\n'
                'WAREHOUSE_URL = os.environ["WAREHOUSE_URL"]  # twelvefold: ignore[TF301]\n'
                'DEMO_PASSWORD = "Xk8#pq2!Lm9zQ"  # twelvefold: ignore[TF301]\n'
            ),
            # a legacy setup.py shim for old pip, its ranges pinned by uv.lock
            "setup.py": (
                "from setuptools import setup\n\n"
                'setup(install_requires=["pandas>=2.2", "scikit-learn>=1.5", "mlflow>=2.14"])\n'
            ),
        },
        untracked=well_kept.untracked,
        expected=[
            Expect(
                "TF106",
                "src/churn_model/warehouse.py",
                'WAREHOUSE_URL = os.environ["WAREHOUSE_URL"]',
                note="the secret moved to the environment, the suppression stayed",
            ),
            Expect(
                "TF701",
                "src/churn_model/registry_api.py",
                'model = mlflow.pyfunc.load_model("models:/churn/Production")',
                note="a served module's main block does not make it a script",
            ),
        ],
        lookalikes=[
            *well_kept.lookalikes,
            Lookalike(
                "TF701", "src/churn_model/registry_api.py", '"artifacts/baseline"', "a local path"
            ),
            Lookalike(
                "TF701",
                "src/churn_model/registry_api.py",
                '"models:/churn/Staging"',
                "startup hook",
            ),
            Lookalike(
                "TF701", "src/churn_model/evaluate.py", "candidate = ", "a script, no routes"
            ),
            Lookalike("TF202", "setup.py", '"pandas>=2.2"', "uv.lock pins it"),
            Lookalike("TF106", "src/churn_model/warehouse.py", "DEMO_PASSWORD", "still suppresses"),
        ],
    )
