"""Look-alikes from held-out set N (fresh-2026-12-05-n), judged before any change: the
batch size of a data-processing step beside a training run (llm-applications, TF306).
The other set N classes are tested beside their rules (TF301 header names, TF303 Colab's
Drive mount, TF206 what catboost, scikit-optimize and imgaug install)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import check, make_repo

_EMBED_AND_TRAIN = (
    "import ray\nfrom sentence_transformers import SentenceTransformer\n\n\n"
    "def build_index(chunks_ds):\n"
    "    embedded = chunks_ds.map_batches(EmbedChunks, batch_size=100, num_gpus=1)\n"
    "    return embedded.map_batches(StoreResults, batch_size=128)\n\n\n"
    "def finetune(model, loader):\n"
    "    model.fit(train_objectives=[(loader, loss)], epochs=2, warmup_steps=100)\n"
)


def _tf306(root: Path, files: dict) -> list:
    from twelvefold.config import Config

    make_repo(root, files)
    return check(root, select=["TF306"], config=Config(kind="application", preview=True)).findings


def test_tf306_a_processing_batch_is_no_training_hyperparameter(tmp_path: Path) -> None:
    found = _tf306(tmp_path, {"rag/__init__.py": "", "rag/index.py": _EMBED_AND_TRAIN})
    # the fine-tuning call is still one finding; the two map_batches calls are none
    assert [(f.line, f.message.split(" fixes ")[0]) for f in found] == [(11, "`model.fit(...)`")]


_LIBRARY_SETUP = (
    "from setuptools import setup\n\n"
    "setup(name='palettes', version='1.2.0', classifiers=['Programming Language :: Python :: 3'])\n"
)


def test_tf1004_a_librarys_package_randomness_is_its_users_to_seed(tmp_path: Path) -> None:
    # yellowbrick: `ColorMap(shuffle=True)` shuffles the palette; a library must not
    # seed its users' global generator. Nor are its tests' draws (inputs to assertions
    # that hold for any draw).
    package = (
        "import numpy as np\n\n\nclass ColorMap:\n"
        "    def __init__(self, colors, shuffle=False):\n"
        "        self.colors = list(colors)\n"
        "        if shuffle:\n            np.random.shuffle(self.colors)\n"
    )
    files = {"setup.py": _LIBRARY_SETUP, "palettes/__init__.py": "", "palettes/colors.py": package}
    from twelvefold.config import Config

    make_repo(tmp_path / "a", files)
    library = Config(kind="library")
    assert check(tmp_path / "a", select=["TF1004"], config=library).findings == []
    # the same module in an application is reported
    [finding] = check(tmp_path / "a", select=["TF1004"]).findings
    assert finding.path == "palettes/colors.py"
    tests = (
        "import numpy as np\n\nfrom palettes.colors import ColorMap\n\n\n"
        "def test_shuffle_keeps_colors():\n"
        "    colors = list(np.random.rand(5))\n"
        "    assert sorted(ColorMap(colors, shuffle=True).colors) == sorted(colors)\n"
    )
    make_repo(tmp_path / "b", {**files, "tests/test_colors.py": tests})
    assert check(tmp_path / "b", select=["TF1004"], config=Config(kind="library")).findings == []
