"""The prefilters of the `randomness` and `training` facts: necessary, and tight.

A prefilter is a necessary condition: a file it rejects is taken to give no fact. So
every way the extractors find something (each name of the tables they read, each
spelling: aliases, line breaks, notebooks) is checked here to pass, on code the extractor
really takes. And the tightening is checked the other way: realistic files with no
randomness or training (a torch model, prose about seeds, a `model.train()` mode switch)
that the earlier literal prefilters let through are now rejected.
"""

from __future__ import annotations

import itertools
import json
import random

import pytest
from twelvefold import kinds
from twelvefold.registry import all_rules
from twelvefold.rule import FACTS, passes_prefilter
from twelvefold.rules.f10_tests import _randomness
from twelvefold.rules.f11_training import _training
from twelvefold.sources import SourceFile

from tests.helpers import notebook

all_rules()
pytest.importorskip("re2")  # without it the prefilters are the earlier literal tests


def _fact(name: str, code: str, *, path: str = "src/proj/run.py") -> object:
    kind = kinds.NOTEBOOK if path.endswith(".ipynb") else kinds.PYTHON
    return FACTS[name].extract(SourceFile(path, kind, code.encode()))


def _passes(name: str, code: str) -> bool:
    return passes_prefilter(FACTS[name].prefilter, code.encode())


def _single_string_notebook(code: str) -> str:
    """A notebook whose cell source is one string (`\\n` escapes inside), tab-indented."""
    cell = {"cell_type": "code", "metadata": {}, "source": code, "outputs": []}
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def _spellings(code: str) -> list[tuple[str, str]]:
    """The code as a module, as a notebook (line list) and as a one-string notebook."""
    return [
        (code, "src/proj/run.py"),
        (notebook(code), "notebooks/run.ipynb"),
        (_single_string_notebook(code), "notebooks/one.ipynb"),
    ]


def _assert_found_and_passes(name: str, code: str) -> None:
    for text, path in _spellings(code):
        assert _fact(name, text, path=path) is not None, (path, code)
        assert _passes(name, text), (path, code)


# ----------------------------------------------------------------------------- randomness

_TORCH = "import torch\nimport numpy as np\n"


@pytest.mark.parametrize("draw", sorted(_randomness._TORCH_DRAWS))
def test_every_torch_draw_passes(draw: str) -> None:
    module = "torch.utils.data" if draw == "random_split" else "torch"
    _assert_found_and_passes("randomness", f"{_TORCH}x = {module}.{draw}(3)\n")
    # imported under another name: the call site shows only the alias
    _assert_found_and_passes("randomness", f"from {module} import {draw} as d\nx = d(3)\n")
    # spaced, commented and continued calls
    _assert_found_and_passes("randomness", f"{_TORCH}x = (torch.{draw}  # why\n     (3))\n")
    _assert_found_and_passes("randomness", f"{_TORCH}x = torch.{draw} \\\n    (3)\n")


@pytest.mark.parametrize(
    "code",
    [
        "x = np.random.rand(3)\n",
        "x = np . random . permutation(10)\n",
        "x = (np.random\n     .choice([1, 2]))\n",
        "x = np.random \\\n    .uniform()\n",
        "from numpy import random\nx = random.randint(3)\n",
        "from numpy import random as r\nx = r.randint(3)\n",
        "from numpy.random import shuffle\nshuffle([1, 2])\n",
        "import numpy.random as npr\nx = npr.normal()\n",
        "rng = np.random.default_rng()\n",
        "import random\nx = random.random()\n",
        "from random import choice as pick\nx = pick([1, 2])\n",
        "import tensorflow as tf\nx = tf.random.uniform([2])\n",
        "from torch import nn\nnn.init.xavier_uniform_(w)\n",
        "from torch.nn import init\ninit.normal_(w)\n",
        "from torch.nn.init import trunc_normal_\ntrunc_normal_(w)\n",
        "import torch.nn.init as I\nI.kaiming_normal_(w)\n",
        "from torch.utils.data import DataLoader\nloader = DataLoader(ds, shuffle=True)\n",
        "loss = model(x)\nloss.backward()\noptimizer.step()\n",
        "from torch.autograd import backward as bw\nbw()\nopt.step()\n",
        "from sklearn.model_selection import train_test_split\na, b = train_test_split(x)\n",
        "from sklearn.decomposition import PCA\np = PCA(svd_solver='randomized')\n",
        "from sklearn.linear_model import LogisticRegression\nm = LogisticRegression(solver='saga')\n",
        "from sklearn.model_selection import KFold\nk = KFold(5, shuffle=True)\n",
        "from sklearn.ensemble import *\nm = HistGradientBoostingClassifier(early_stopping=True)\n",
        "import tensorflow as tf\nmodel.compile(optimizer='adam')\nmodel.fit(x, y, epochs=3)\n",
    ],
)
def test_every_kind_of_draw_passes(code: str) -> None:
    _assert_found_and_passes("randomness", _TORCH + code)


#: The arguments that make the estimators that are random only on request random.
_RANDOM_WHEN: dict[str, str] = {
    **dict.fromkeys(_randomness._KFOLDS, "5, shuffle=True"),
    **dict.fromkeys(_randomness._HIST_GRADIENT_BOOSTING, "early_stopping=True"),
    "LogisticRegression": "solver='saga'",
    "PCA": "svd_solver='arpack'",
}


@pytest.mark.parametrize("estimator", sorted(_randomness._ALWAYS_RANDOM))
def test_every_estimator_without_random_state_passes(estimator: str) -> None:
    arguments = _RANDOM_WHEN.get(estimator, "")
    code = f"from sklearn.base import {estimator}\nm = {estimator}({arguments})\n"
    for text, path in _spellings(code):
        found = _fact("randomness", text, path=path)
        assert found is not None and found.unseeded, (estimator, path)  # type: ignore[attr-defined]
        assert _passes("randomness", text)
    assert _passes("randomness", f"import imblearn\nm = imblearn.{estimator}()\n")


@pytest.mark.parametrize(
    "code",
    [
        "np.random.seed(0)\n",
        "random.seed(0)\n",
        "torch.manual_seed(0)\n",
        "torch.cuda.manual_seed_all(0)\n",
        "tf.random.set_seed(0)\n",
        "import tensorflow as tf\ntf.keras.utils.set_random_seed(0)\n",
        "seed_everything(0)\n",
        "from lightning import seed_everything as se\nse(0)\n",
        "pl.seed_everything(42, workers=True)\n",
        "utils.set_seed(1)\n",
        "fix_seeds(1)\n",
        "init_seeds(1)\n",
        "def set_global_seed(seed):\n    pass\n",
        "def seed_worker(worker_id):\n    pass\n",
        "def seed(value):\n    pass\n",
        "def my_seed_all_helper():\n    pass\n",
        "rng = np.random.default_rng(7)\n",
        "rng = np.random.RandomState(7)\n",
        "args = TrainingArguments(output_dir='out')\n",
        "from transformers import TrainingArguments as TA\nargs = TA('out')\n",
    ],
)
def test_every_seeding_passes(code: str) -> None:
    _assert_found_and_passes("randomness", "import numpy as np\nimport random\n" + code)


def test_the_seed_function_names_the_prefilter_knows_are_the_extractors() -> None:
    # Every helper name `_SEED_FUNCTION` takes (built from its parts) passes when called.
    prefixes = ["", "_"]
    verbs = ["", "set", "fix", "setup", "init", "reset", "make", "seed", "configure"]
    scopes = ["", "global_", "random_", "all_", "torch_", "np_", "numpy_"]
    ends = ["", "_all", "_everything", "_everywhere", "_worker"]
    for prefix, verb, scope, plural, end in itertools.product(
        prefixes, verbs, scopes, ["", "s"], ends
    ):
        for joint in ("_", "") if verb else ("",):
            name = f"{prefix}{verb}{joint}{scope}seed{plural}{end}"
            assert _randomness._SEED_FUNCTION.search(name), name
            assert _passes("randomness", f"import torch\n{name}(1)\n"), name


# A torch model with no draw: its weights come from a checkpoint. The prose mentions
# randomness, seeds, normal distributions and backward compatibility.
_TORCH_MODEL = '''"""A residual block. Weights are loaded from a checkpoint, so no random seed is
needed; the normal initialisation of the original paper (a random normal distribution)
is kept for backward compatibility only."""
import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, dim: int, seed_size: int = 4) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.proj = nn.Linear(dim, dim)
        self.post_init()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        operand = self.norm(x)
        return x + self.proj(operand)

    def _init_weights(self, module: nn.Module) -> None:
        module.weight.data.normal_(mean=0.0, std=0.02)
'''


@pytest.mark.parametrize(
    "code",
    [
        _TORCH_MODEL,
        # a data module that only reads
        "import numpy as np\nimport pandas as pd\n\ndef load(path):\n"
        '    """Load the random split made upstream (seed 42)."""\n'
        "    return np.load(path)\n",
        # a config module
        'config = {"seed": 42, "random_crop": True, "normal": "bf16"}\n',
    ],
)
def test_code_without_randomness_is_rejected(code: str) -> None:
    assert passes_prefilter(_randomness._EARLIER_LITERALS, code.encode())  # let through before
    assert _fact("randomness", code) is None
    assert not _passes("randomness", code)
    assert not _passes("randomness", notebook(code))


# ----------------------------------------------------------------------------- training


@pytest.mark.parametrize(
    "module", sorted(_training._TRACKING_MODULES | _training._PIPELINE_MODULES)
)
def test_every_tracking_or_pipeline_import_passes(module: str) -> None:
    # "earlier" keeps the outer bound: a file with none of its literals was never read
    prefix = "import numpy as np  # metrics\n"
    for code in (f"import {module}\n", f"from {module}.x import y\n", f"import os, {module}\n"):
        _assert_found_and_passes("training", prefix + code)


@pytest.mark.parametrize("call", _training._TRACKING_CALL_NAMES)
def test_every_tracking_call_passes(call: str) -> None:
    assert _training._TRACKING_CALLS.search(f"x.{call}")
    _assert_found_and_passes("training", f"# results\nwriter = x.{call}(1)\n")
    _assert_found_and_passes("training", f"# results\nwriter = {call} (1)\n")


@pytest.mark.parametrize(
    "code",
    [
        "model.fit(X, y)\n",
        "clf.fit(X)\n",
        "(model.\n    fit(X, y))\n",
        "model.fit(X, y, epochs=3)  # .fit(\n",
        "trainer.train()\n",
        "Trainer(model).train()\n",
        "lgb.train(params, data)\n",
        "loss.backward()\n",
        "scaler.scale(loss).backward()\n",
        "total_LOSS.backward()\n",
        "json.dump(m, open('eval_results.json', 'w'))\n",
        "df.to_csv('METRICS_final.CSV')\n",
        "p = ('run_scores'\n     '.yaml')\n",
        "USE_WANDB = True\n",
        "use_WandB: bool = True\n",
        "run(track=True)\n",
        "log_mlflow = True\n",
        "tracking = False\nTRACKING = True\n",
        "import torch\n# results go to tensorboard\n",
    ],
)
def test_every_kind_of_training_passes(code: str) -> None:
    _assert_found_and_passes("training", "import numpy as np  # scores\n" + code)


# Evaluation code: a `model.train()` mode switch, a loss with no backward, prose about
# trainers, results and tracking; `track_running_stats=True` of a batch norm.
_EVALUATION = '''"""Evaluate a checkpoint. The training code writes its results and metrics
elsewhere; nothing here is tracked."""
import torch
from torch import nn

norm = nn.BatchNorm1d(8, track_running_stats=True)


def evaluate(model: nn.Module, batches: list) -> float:
    model.eval()
    total = 0.0
    with torch.no_grad():
        for x, y in batches:
            loss = nn.functional.mse_loss(model(x), y)
            total += float(loss)
    model.train()
    return total / len(batches)
'''


@pytest.mark.parametrize(
    "code",
    [
        _EVALUATION,
        # the autograd function of a kernel: `backward` is defined, not a training step
        "import torch\n\nclass Scale(torch.autograd.Function):\n"
        "    @staticmethod\n    def backward(ctx, grad):\n        return grad  # loss scale\n",
        # prose about trackers in a docstring
        '"""Results can be tracked with wandb or mlflow: see the docs."""\nimport os\n',
    ],
)
def test_code_without_training_is_rejected(code: str) -> None:
    assert passes_prefilter(_training._EARLIER_LITERALS, code.encode())  # let through before
    assert _fact("training", code) is None
    assert not _passes("training", code)
    assert not _passes("training", notebook(code))


# ----------------------------------------------------------------------------- both

_STATEMENTS = [
    "import numpy as np",
    "import torch",
    "import tensorflow as tf",
    "import random",
    "from sklearn.cluster import KMeans",
    "import wandb",
    "x = np.random.rand(3)",
    "x = torch.randn(2)",
    "x = random.choice(items)",
    "m = KMeans(3)",
    "m = KMeans(3, random_state=0)",
    "np.random.seed(0)",
    "torch.manual_seed(0)",
    "model.fit(X, y)",
    "model.compile(optimizer='adam')",
    "model.train()",
    "loss.backward()",
    "wandb.log({'a': 1})",
    "USE_WANDB = True",
    "open('results.json', 'w')",
    "# a random seed for the trainer's results",
    '"""Backward compatibility: normal random init."""',
    "def set_seed(s):\n    pass",
    "trainer.train()",
    "writer = SummaryWriter()",
]


def test_random_programs_that_give_a_fact_pass() -> None:
    """Programs made of statements the extractors act on and of look-alikes: each one that
    the earlier prefilter let through and that gives a fact passes the new prefilter, and
    none passes that the earlier one rejected."""
    rng = random.Random(20240611)
    earlier = {"randomness": _randomness._EARLIER_LITERALS, "training": _training._EARLIER_LITERALS}
    for _ in range(400):
        code = "\n".join(rng.sample(_STATEMENTS, rng.randint(1, 6))) + "\n"
        for text, path in _spellings(code):
            for name, literals in earlier.items():
                before = passes_prefilter(literals, text.encode())
                now = _passes(name, text)
                assert before or not now, (name, code)
                if before and _fact(name, text, path=path) is not None:
                    assert now, (name, path, code)


def test_without_re2_the_prefilters_are_the_earlier_literal_tests(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from twelvefold import pattern_sets

    monkeypatch.setattr(pattern_sets, "pattern_set", lambda patterns: None)
    for code in (_TORCH_MODEL, _EVALUATION, "import os\n"):
        data = code.encode()
        for name, module in (("randomness", _randomness), ("training", _training)):
            expected = passes_prefilter(module._EARLIER_LITERALS, data)
            assert passes_prefilter(FACTS[name].prefilter, data) == expected
