"""Factor 10 rules: tests exist and run, randomness is seeded."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import check, findings, make_repo, notebook

PYPROJECT = '[project]\nname = "churn"\nversion = "0.1.0"\ndependencies = ["pandas"]\n\n[dependency-groups]\ndev = ["pytest>=8"]\n'
TEST = "def test_ok():\n    assert 1 + 1 == 2\n"

# ------------------------------------------------------------------- TF1001 no tests


def test_research_repo_without_tests_is_reported(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": PYPROJECT,
        "src/churn/__init__.py": "",
        "src/churn/train.py": "import pandas\n",
    }
    [finding] = findings(tmp_path, "TF1001", files)
    assert "no tests" in finding.message


def test_kaggle_notebooks_without_tests_are_reported(tmp_path: Path) -> None:
    files = {
        "titanic.ipynb": notebook("import pandas as pd\ndf = pd.read_csv('train.csv')"),
        "requirements.txt": "pandas==2.2.3\n",
    }
    assert [f.code for f in findings(tmp_path, "TF1001", files)] == ["TF1001"]


def test_tests_folder_or_test_files_anywhere_count(tmp_path: Path) -> None:
    variants = [
        {"tests/test_train.py": TEST},
        {"src/churn/train_test.py": TEST},
        {"test/integration/pipeline.py": TEST},
    ]
    for index, extra in enumerate(variants):
        assert findings(tmp_path / str(index), "TF1001", {"train.py": "x = 1\n", **extra}) == []


# ------------------------------------------------------------------- TF1002 not collected


def test_check_prefixed_file_in_tests_is_reported(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": PYPROJECT,
        "tests/test_features.py": TEST,
        "tests/check_model.py": "import pytest\n\ndef test_accuracy():\n    assert 0.9 > 0.8\n\ndef test_auc():\n    assert True\n",
    }
    [finding] = findings(tmp_path, "TF1002", files)
    assert finding.path == "tests/check_model.py" and finding.line == 3
    assert (
        "defines 2 tests that never run:" in finding.message
        and "test_*.py, *_test.py" in finding.message
    )


def test_configured_python_files_and_testpaths_are_honoured(tmp_path: Path) -> None:
    pyproject = (
        PYPROJECT
        + '\n[tool.pytest.ini_options]\npython_files = ["check_*.py"]\ntestpaths = ["tests"]\n'
    )
    files = {
        "pyproject.toml": pyproject,
        "tests/check_model.py": TEST,  # collected: matches the configured pattern
        "tests/test_features.py": TEST,  # NOT collected any more: only check_*.py
        "testing/check_data.py": TEST,  # matches, but outside testpaths
    }
    result = findings(tmp_path, "TF1002", files)
    assert [(f.path, "check_*.py" in f.message or "testpaths" in f.message) for f in result] == [
        ("testing/check_data.py", True),
        ("tests/test_features.py", True),
    ]


def test_setup_cfg_and_pytest_ini_configurations_are_read(tmp_path: Path) -> None:
    files = {
        "setup.cfg": "[metadata]\nname = x\n\n[tool:pytest]\npython_files = *_tests.py test_*.py\n",
        "tests/model_tests.py": TEST,
        "tests/test_a.py": TEST,
    }
    assert findings(tmp_path / "cfg", "TF1002", files) == []
    files = {"pytest.ini": "[pytest]\naddopts = -q\n", "tests/model_tests.py": TEST}
    [finding] = findings(tmp_path / "ini", "TF1002", files)
    assert "pytest.ini" in finding.message


def test_helpers_fixtures_and_unittest_modules_are_fine(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": PYPROJECT,
        "tests/conftest.py": "import pytest\n\ndef test_helper():\n    assert True\n",
        "tests/test_model.py": TEST,
        "tests/helpers.py": "def make_frame():\n    return None\n",
        "src/churn/db.py": "def test_connection(engine):\n    assert engine is not None\n",
    }
    assert findings(tmp_path / "a", "TF1002", files) == []
    unittest_repo = {
        "requirements.txt": "pandas==2.2\n",
        "tests/test_io.py": "import unittest\n\nclass IoTest(unittest.TestCase):\n    def test_read(self):\n        self.assertTrue(True)\n",
    }
    assert findings(tmp_path / "b", "TF1002", unittest_repo) == []


def test_unittest_module_misnamed_without_pytest_is_reported(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "pandas==2.2\n",
        "tests/io_checks.py": "import unittest\n\nclass IoTest(unittest.TestCase):\n    def test_read(self):\n        assert True\n",
    }
    [finding] = findings(tmp_path, "TF1002", files)
    assert "unittest discovery" in finding.message


def test_unittest_modules_run_by_pytest_in_ci_follow_pytest_patterns(tmp_path: Path) -> None:
    # Held-out set O (vision_transformer): CI runs `pytest vit_jax`, which collects
    # `*_test.py`; nothing else says pytest.
    module = "import unittest\n\nclass ModelsTest(unittest.TestCase):\n    def test_shape(self):\n        assert True\n"
    workflow = (
        "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - run: pip install -r vit_jax/requirements.txt\n"
        "      - run: pytest vit_jax\n"
    )
    files = {
        "vit_jax/requirements.txt": "jax==0.4.30\n",
        "vit_jax/models_test.py": module,
        ".github/workflows/build.yml": workflow,
    }
    assert findings(tmp_path, "TF1002", files) == []
    # a name pytest does not collect either is still reported, with pytest's patterns
    files["vit_jax/testing_models.py"] = module
    [finding] = findings(tmp_path / "b", "TF1002", files)
    assert finding.path == "vit_jax/testing_models.py" and "pytest only collects" in finding.message


def test_base_classes_of_collected_test_modules_are_run_through_them(tmp_path: Path) -> None:
    # Held-out set P (segmentation_models.pytorch): `tests/models/base.py` holds the test
    # methods, each collected `test_*.py` subclasses its class.
    base = (
        "import unittest\n\n\nclass BaseModelTester(unittest.TestCase):\n"
        "    model_type = None\n\n    def test_forward(self):\n        assert self.model_type\n"
    )
    files = {
        "pyproject.toml": '[project]\nname = "smp"\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
        "tests/__init__.py": "",
        "tests/models/__init__.py": "",
        "tests/models/base.py": base,
        "tests/models/test_unet.py": (
            "from tests.models import base\n\n\nclass TestUnet(base.BaseModelTester):\n"
            "    model_type = 'unet'\n"
        ),
        "tests/encoders/__init__.py": "",
        "tests/encoders/base.py": base.replace("BaseModelTester", "BaseEncoderTester"),
        "tests/encoders/test_smp.py": (
            "from .base import BaseEncoderTester\n\n\nclass TestSmp(BaseEncoderTester):\n"
            "    model_type = 'smp'\n"
        ),
    }
    assert findings(tmp_path, "TF1002", files) == []
    # a misnamed module nothing imports is still reported
    files["tests/models/checks.py"] = base.replace("BaseModelTester", "CheckTester")
    [finding] = findings(tmp_path / "b", "TF1002", files)
    assert finding.path == "tests/models/checks.py"


# ------------------------------------------------------------------- TF1003 unseeded estimators


def test_kaggle_notebook_split_and_forest_without_seed_are_reported(tmp_path: Path) -> None:
    nb = notebook(
        "import pandas as pd\nfrom sklearn.model_selection import train_test_split\nfrom sklearn.ensemble import RandomForestClassifier",
        "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)\nmodel = RandomForestClassifier(n_estimators=500)\nmodel.fit(X_train, y_train)",
    )
    result = findings(tmp_path, "TF1003", {"titanic.ipynb": nb})
    assert [(f.cell, f.cell_line) for f in result] == [(1, 1), (1, 2)]
    assert "train_test_split" in result[0].message and "RandomForestClassifier" in result[1].message


def test_research_module_kfold_kmeans_and_saga_are_reported(tmp_path: Path) -> None:
    code = (
        "import sklearn.cluster as cl\n"
        "from sklearn.model_selection import StratifiedKFold\n"
        "from sklearn.linear_model import LogisticRegression\n"
        "from sklearn.decomposition import PCA\n\n"
        "cv = StratifiedKFold(n_splits=5, shuffle=True)\n"
        "km = cl.KMeans(n_clusters=8)\n"
        "lr = LogisticRegression(solver='saga', max_iter=1000)\n"
        "pca = PCA(n_components=50, svd_solver='randomized')\n"
    )
    result = findings(tmp_path, "TF1003", {"src/exp/cluster.py": code})
    assert [f.line for f in result] == [6, 7, 8, 9]


def test_seeds_passed_down_and_deterministic_calls_are_fine(tmp_path: Path) -> None:
    code = (
        "from sklearn.model_selection import train_test_split, KFold\n"
        "from sklearn.ensemble import RandomForestClassifier\n"
        "from sklearn.linear_model import LogisticRegression\n"
        "from sklearn.decomposition import PCA\n"
        "from pyspark.ml.classification import RandomForestClassifier as SparkForest\n"
        "import xgboost as xgb\n\n"
        "def fit(cfg, X, y, params):\n"
        "    a = train_test_split(X, y, test_size=cfg.test_size, random_state=cfg.seed)\n"
        "    b = train_test_split(X, y, shuffle=False)\n"
        "    KFold(n_splits=5)\n"
        "    KFold(n_splits=5, shuffle=True, random_state=SEED)\n"
        "    RandomForestClassifier(**params)\n"
        "    RandomForestClassifier(random_state=None)\n"
        "    LogisticRegression(C=1.0)\n"
        "    PCA(n_components=2)\n"
        "    SparkForest(numTrees=10)\n"
        "    xgb.XGBClassifier(n_estimators=100)\n"
    )
    assert findings(tmp_path, "TF1003", {"src/model.py": code}) == []


def test_liblinear_shuffles_only_in_the_dual_or_l1_problem(tmp_path: Path) -> None:
    # Held-out set M (ml-zoomcamp): `solver='liblinear'` with the default primal L2
    # problem gives the same coefficients for every seed.
    code = (
        "from sklearn.linear_model import LogisticRegression\n\n"
        "a = LogisticRegression(solver='liblinear', C=1.0, max_iter=1000)\n"
        "b = LogisticRegression(solver='liblinear', penalty='l1')\n"
        "c = LogisticRegression(solver='liblinear', dual=True)\n"
        "d = LogisticRegression(solver='liblinear', penalty='l2', dual=False)\n"
    )
    result = findings(tmp_path, "TF1003", {"src/exp/model.py": code})
    assert [f.line for f in result] == [4, 5]


def test_global_numpy_seed_makes_estimators_repeatable(tmp_path: Path) -> None:
    nb = notebook(
        "import numpy as np\nnp.random.seed(42)",
        "from sklearn.ensemble import RandomForestClassifier\nm = RandomForestClassifier()",
    )
    files = {
        "kaggle.ipynb": nb,
        "src/utils.py": "import random, numpy as np, torch\n\ndef seed_everything(seed):\n    random.seed(seed)\n    np.random.seed(seed)\n    torch.manual_seed(seed)\n",
        "src/train.py": "from sklearn.model_selection import train_test_split\nparts = train_test_split(X, y)\n",
    }
    assert findings(tmp_path, "TF1003", files) == []


def test_a_library_module_that_may_seed_is_read_only_when_an_estimator_is_reported(
    tmp_path: Path,
) -> None:
    """A library's module that seeds and names no estimator library leaves its seeds
    unread in the file pass (no parse); TF1003 reads them when a module is reported."""
    from twelvefold.config import Config
    from twelvefold.rules.f10_tests._randomness import randomness
    from twelvefold.sources import SourceFile

    seeding = "import numpy as np\n\n\ndef set_seed(seed: int) -> None:\n    np.random.seed(seed)\n"
    source = SourceFile("src/kit/utils.py", "python", seeding.encode())
    source.repo_kind, source.role = "library", "package"
    deferred = randomness(source)
    assert deferred is not None and deferred.seeds_unread and not deferred.seeds
    assert "tree" not in vars(source.python)  # never parsed
    # A name holding an estimator library's (`is_sklearn_available`) imports none.
    guarded = "from .imports import is_sklearn_available\n\n" + seeding
    source = SourceFile("src/kit/seeding.py", "python", guarded.encode())
    source.repo_kind, source.role = "library", "package"
    assert randomness(source) == deferred
    estimator = (
        "from sklearn.ensemble import RandomForestClassifier\n\n\n"
        "def model():\n    return RandomForestClassifier()\n"
    )
    library = {
        "pyproject.toml": '[project]\nname = "kit"\nversion = "1.0.0"\n',
        "src/kit/__init__.py": "",
        "src/kit/model.py": estimator,
    }
    make_repo(tmp_path / "unseeded", library)
    [finding] = check(
        tmp_path / "unseeded", config=Config(kind="library", select=["TF1003"])
    ).findings
    assert finding.path == "src/kit/model.py" and finding.line == 5
    make_repo(tmp_path / "seeded", {**library, "src/kit/utils.py": seeding})
    seeded = check(tmp_path / "seeded", config=Config(kind="library", select=["TF1003"]))
    assert seeded.findings == []


# ------------------------------------------------------------------- TF1004 unseeded libraries


def test_numpy_and_torch_without_any_seed_are_reported_once_each(tmp_path: Path) -> None:
    files = {
        "data.py": "import numpy as np\n\ndef shuffle(df):\n    idx = np.random.permutation(len(df))\n    return df.iloc[idx]\n",
        "aug.py": (
            "import numpy as np\n\ndef fit(model, X, y):\n"
            "    noise = np.random.normal(0, 1, X.shape)\n    model.fit(X + noise, y)\n"
        ),
        "train.py": (
            "import torch\nfrom torch.utils.data import DataLoader\n\n"
            "def train(model, ds):\n"
            "    for x, y in DataLoader(ds, batch_size=32, shuffle=True):\n"
            "        loss = model(x, y)\n"
            "        loss.backward()\n"
        ),
    }
    result = findings(tmp_path, "TF1004", files)
    assert [(f.path, f.line) for f in result] == [("aug.py", 4), ("train.py", 5)]
    assert "np.random.normal" in result[0].message and "1 other file" in result[0].message
    assert "DataLoader(shuffle=True)" in result[1].message


def test_unseeded_default_rng_in_notebook_is_reported(tmp_path: Path) -> None:
    nb = notebook(
        "import numpy as np",
        "rng = np.random.default_rng()\nsample = rng.choice(100, 10)",
        "model.fit(X[sample], y[sample])",
    )
    [finding] = findings(tmp_path, "TF1004", {"explore.ipynb": nb})
    assert finding.cell == 1 and "default_rng()` with no seed" in finding.message


def test_seeding_anywhere_is_fine(tmp_path: Path) -> None:
    variants = [
        {
            "conftest.py": "import numpy as np\nimport pytest\n\n@pytest.fixture(autouse=True)\ndef seed():\n    np.random.seed(0)\n"
        },
        {"main.py": "import lightning as L\nL.seed_everything(42)\n"},
        {
            "main.py": "from transformers import TrainingArguments\nargs = TrainingArguments(output_dir='out')\n"
        },
        {"data.py": "import numpy as np\nrng = np.random.default_rng(cfg.seed)\n"},
    ]
    base = {
        "aug.py": "import numpy as np\nimport torch\nnoise = np.random.normal(0, 1, 10)\nw = torch.randn(3)\n"
        "model.fit(noise, w)\n"
    }
    for index, extra in enumerate(variants):
        result = findings(tmp_path / str(index), "TF1004", {**base, **extra})
        if index == 3:  # default_rng(seed) seeds numpy only: torch is still unseeded
            assert [f.message.split("`")[1] for f in result] == ["torch.randn(...)"]
        else:
            assert result == [], extra


def test_a_draw_where_nothing_trains_or_orders_data_is_not_reported(tmp_path: Path) -> None:
    # Look-alikes from real repositories: a service's token sampling (gpt_academic's
    # `np.random.choice` top-p), demo traffic, dummy inputs to time a served model; only
    # a draw in a module that trains or splits, or one that orders data, changes a result.
    sampling = (
        "import numpy as np\nimport torch\n\ndef generate(probs):\n"
        "    token = np.random.choice(len(probs), p=probs)\n"
        "    return torch.multinomial(torch.tensor(probs), 1), token\n"
    )
    assert findings(tmp_path / "serve", "TF1004", {"app/sampling.py": sampling}) == []
    trains = sampling + "\ndef fit(model, X, y):\n    model.fit(X, y)\n"
    result = findings(tmp_path / "train", "TF1004", {"app/sampling.py": trains})
    assert [f.message.split("`")[1] for f in result] == [
        "np.random.choice(...)",
        "torch.multinomial(...)",
    ]
    shuffles = (
        "import numpy as np\n\ndef split(df):\n    return df.iloc[np.random.permutation(len(df))]\n"
    )
    [finding] = findings(tmp_path / "split", "TF1004", {"app/data.py": shuffles})
    assert "np.random.permutation" in finding.message


def test_stdlib_random_outside_data_code_is_fine(tmp_path: Path) -> None:
    files = {
        "client.py": "import random, time\n\ndef backoff(attempt):\n    time.sleep(random.uniform(0, 2 ** attempt))\n"
    }
    assert findings(tmp_path, "TF1004", files) == []


def test_no_tests_suppresses_not_collected(tmp_path: Path) -> None:
    make_repo(tmp_path, {"train.py": "x = 1\n", "checks/model_checks.py": TEST})
    assert [f.code for f in check(tmp_path, select=["TF1001", "TF1002"]).findings] == ["TF1001"]


def test_misnamed_test_next_to_an_underscore_opt_out_is_still_reported(tmp_path: Path) -> None:
    # Look-alike: `_test_distributed.py` is opted out of collection on purpose.
    files = {
        "pyproject.toml": PYPROJECT,
        "tests/test_model.py": TEST,
        "tests/_test_distributed.py": TEST,
        "tests/distributed_checks.py": TEST,
    }
    [finding] = findings(tmp_path, "TF1002", files)
    assert finding.path == "tests/distributed_checks.py"


def test_config_seed_excuses_modules_but_not_notebooks_or_other_configs(tmp_path: Path) -> None:
    # Look-alike: a `seed` in a config module or YAML config seeds the project's modules.
    model = (
        "import numpy as np\n\ndef train(model, x, y):\n"
        "    model.fit(x + np.random.normal(0, 0.1, x.shape), y)\n"
    )
    files = {
        "configs/train.yaml": "seed: 1\n",
        "src/model/net.py": model,
        "explore.ipynb": notebook("import numpy as np\nsample = np.random.rand(10)\nm.fit(sample)"),
    }
    [finding] = findings(tmp_path / "notebook", "TF1004", files)
    assert finding.path == "explore.ipynb"
    not_config = {
        ".github/workflows/ci.yml": "jobs:\n  test:\n    env:\n      seed: 1\n",
        "tests/fixtures/params.yaml": "seed: 1\n",
        "src/model/data.json": '{"seed": 1}\n',
        "src/model/utils.py": "seed = 42\n",
        "src/model/net.py": model,
    }
    [finding] = findings(tmp_path / "elsewhere", "TF1004", not_config)
    assert finding.path == "src/model/net.py"


def test_files_ci_does_not_pass_to_pytest_by_path_are_still_reported(tmp_path: Path) -> None:
    # Look-alike (test_real_lookalikes_f9_f12.py): CI, tox, nox or a Makefile target
    # passing the file to pytest by path. A folder argument still applies python_files,
    # `--ignore` leaves the file out, and another file's path says nothing about this one.
    workflow = (
        "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - run: pytest tests/ --ignore tests/model_checks.py tests/test_features.py\n"
        "      - run: python -m pytest tests/gpu --ignore=tests/gpu/cuda_checks.py\n"
    )
    files = {
        "pyproject.toml": PYPROJECT,
        "tests/test_features.py": TEST,
        "tests/model_checks.py": TEST,
        "tests/gpu/cuda_checks.py": TEST,
        ".github/workflows/ci.yml": workflow,
        "Makefile": "lint:\n\truff check tests/model_checks.py\n",
    }
    result = findings(tmp_path, "TF1002", files)
    assert [f.path for f in result] == ["tests/gpu/cuda_checks.py", "tests/model_checks.py"]


# ------------------------------------------------------------------- issue 15: recall


def test_estimators_from_the_generated_table_are_reported(tmp_path: Path) -> None:
    # Random by default according to scikit-learn's own documentation, missing from the
    # old hand-kept list.
    files = {
        "src/churn/train.py": (
            "from sklearn.ensemble import AdaBoostRegressor\n"
            "from sklearn.tree import DecisionTreeRegressor\n"
            "from sklearn.utils import shuffle\n\n"
            "def train(X, y):\n"
            "    X, y = shuffle(X, y)\n"
            "    tree = DecisionTreeRegressor(max_depth=4).fit(X, y)\n"
            "    boosted = AdaBoostRegressor(n_estimators=200).fit(X, y)\n"
            "    return tree, boosted\n"
        )
    }
    found = findings(tmp_path, "TF1003", files)
    assert [(f.line, f.message.split("(")[0]) for f in found] == [
        (6, "`shuffle"),
        (7, "`DecisionTreeRegressor"),
        (8, "`AdaBoostRegressor"),
    ]


def test_estimators_random_only_when_asked_and_local_helpers_are_fine(tmp_path: Path) -> None:
    files = {
        "src/churn/train.py": (
            "from sklearn.linear_model import Lasso, Ridge\n"
            "from sklearn.svm import SVC\n"
            "from sklearn.dummy import DummyClassifier\n"
            "from sklearn.gaussian_process import GaussianProcessRegressor\n"
            "from sklearn.tree import DecisionTreeRegressor\n\n"
            "def shuffle(rows):  # the project's own, deterministic\n"
            "    return sorted(rows)\n\n"
            "def train(X, y, seed):\n"
            "    shuffle(X)\n"
            "    models = [Lasso(alpha=0.1), Ridge(), SVC(C=2.0), DummyClassifier(),\n"
            "              GaussianProcessRegressor()]\n"
            "    models.append(DecisionTreeRegressor(random_state=seed))\n"
            "    return [m.fit(X, y) for m in models]\n"
        )
    }
    assert findings(tmp_path, "TF1003", files) == []


def test_generated_table_agrees_with_the_rule_special_cases() -> None:
    from twelvefold.detectors import random_state

    # Conditional in scikit-learn's documentation: the rule has its own checks for them.
    for name in ("train_test_split", "KFold", "StratifiedKFold", "LogisticRegression", "PCA"):
        assert name in random_state.RANDOM_WHEN_CONFIGURED
    for name in ("DecisionTreeRegressor", "AdaBoostRegressor", "RandomForestClassifier"):
        assert name in random_state.RANDOM_BY_DEFAULT
    assert not random_state.RANDOM_BY_DEFAULT & random_state.RANDOM_WHEN_CONFIGURED


KERAS_TRAINER = (
    "import tensorflow as tf\nfrom tensorflow import keras\n\n\n"
    "def train(train_ds, eval_ds, hyperparams):\n"
    "    model = keras.Sequential([keras.layers.Dense(64, activation='relu'), keras.layers.Dense(1)])\n"
    "    model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])\n"
    "    model.fit(train_ds, epochs=hyperparams['num_epochs'], validation_data=eval_ds)\n"
    "    return model\n"
)


def test_keras_training_without_any_tf_seed_is_reported(tmp_path: Path) -> None:
    files = {"src/pipeline/trainer.py": KERAS_TRAINER}
    [finding] = findings(tmp_path, "TF1004", files)
    assert finding.path == "src/pipeline/trainer.py" and finding.line == 8
    assert "Keras training run" in finding.message and "TensorFlow" in finding.message
    assert "tf.random.set_seed" in (finding.fix or "")


def test_keras_training_seeded_anywhere_or_not_compiled_is_fine(tmp_path: Path) -> None:
    for index, seeding in enumerate(
        (
            "tf.random.set_seed(42)",
            "keras.utils.set_random_seed(42)",
            "tf.keras.utils.set_random_seed(1)",
        )
    ):
        files = {
            "src/pipeline/trainer.py": KERAS_TRAINER,
            "src/pipeline/task.py": f"import tensorflow as tf\nfrom tensorflow import keras\n\n{seeding}\n",
        }
        assert findings(tmp_path / str(index), "TF1004", files) == [], seeding
    # `re.compile` and an sklearn `.fit` in a module that imports TensorFlow: no Keras run
    look_alike = (
        "import re\nimport tensorflow as tf\nfrom sklearn.linear_model import Ridge\n\n"
        "PATTERN = re.compile(r'\\d+')\n\ndef fit(X, y):\n    return Ridge().fit(X, y)\n"
    )
    assert findings(tmp_path / "re", "TF1004", {"src/features.py": look_alike}) == []
