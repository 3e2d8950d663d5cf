"""Look-alikes from the tenth fresh held-out set (fresh-2026-12-05-j), self-written."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings

# ------------------------------------------------------------------------------ TF902

_SOLVER = (
    "class Solver:\n"
    "    def __init__(self, trace=False):\n"
    "        self.trace = trace\n\n"
    "    def fit(self, y):\n"
    "        for order in range(3):\n"
    "            if self.trace:\n"
    '                print("Fit ARIMA order %d" % order)\n'
    "        if self.trace > 1:\n"
    '            print("Best model found")\n'
    "        return self\n"
)
_WRAPPER = (
    "import logging\n\nimport torch\n\n\n"
    "class Detr(torch.nn.Module):\n"
    "    def load_weights(self, path):\n"
    "        state = torch.load(path)\n"
    '        print("loading weights from", path)\n'
    "        self.load_state_dict(state)\n"
)


def test_tf902_prints_under_a_trace_switch_or_beside_an_unused_logging_import(
    tmp_path: Path,
) -> None:
    files = {"tsa/__init__.py": "", "tsa/solvers.py": _SOLVER, "tsa/detr.py": _WRAPPER}
    assert findings(tmp_path, "TF902", files) == []


def test_tf902_a_module_that_logs_and_prints_is_still_reported(tmp_path: Path) -> None:
    logs = _WRAPPER.replace(
        "        state = torch.load(path)\n",
        '        logging.getLogger(__name__).info("loading")\n        state = torch.load(path)\n',
    )
    [finding] = findings(tmp_path, "TF902", {"tsa/__init__.py": "", "tsa/detr.py": logs})
    assert "already uses logging" in finding.message


# ------------------------------------------------------------------------------ TF206


def test_tf206_what_wandb_and_langchain_bring_is_declared_with_them(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "wandb==0.18.7\nlangchain==0.0.305\n",
        "app/__init__.py": "",
        "app/cache.py": "import git\nfrom pydantic import BaseModel\nimport wandb\nimport langchain\n",
    }
    assert findings(tmp_path / "declared", "TF206", files) == []
    bare = {**files, "requirements.txt": "numpy==1.26.4\n"}
    found = sorted(f.message.split("`")[1] for f in findings(tmp_path / "bare", "TF206", bare))
    assert found == ["git", "langchain", "pydantic", "wandb"]


def test_maintainers_script_folders_are_scripts() -> None:
    from twelvefold.project import roles

    for path in (
        "etc/downloads_badges.py",
        "maint_tools/sort_whats_new.py",
        "build_tools/wheels.py",
    ):
        assert roles.role_from_path(path, "python") == roles.SCRIPT, path
    assert roles.role_from_path("etcetera/x.py", "python") == roles.PACKAGE


# ------------------------------------------------------------------------------ TF304

_NN = (
    "import torch\n\n\n"
    "def train(model, train_set, valid_set, cfg):\n"
    "    loader = torch.utils.data.DataLoader(train_set, batch_size=cfg.batch_size, shuffle=True)\n"
    "    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)\n"
    "    for x, y in loader:\n"
    "        loss = model(x, y)\n"
    "        loss.backward()\n"
    "        optimizer.step()\n\n\n"
    "def predict(model, test_set):\n"
    "    loader = torch.utils.data.DataLoader(test_set, batch_size=512, shuffle=False)\n"
    "    return [model(x) for x in loader]\n"
)
_CONFIG = "class Config:\n    batch_size = 256\n    lr = 1e-3\n"


def test_tf304_the_batch_size_of_a_loader_that_does_not_shuffle_is_inference(
    tmp_path: Path,
) -> None:
    files = {"src/__init__.py": "", "src/config.py": _CONFIG, "src/nn.py": _NN}
    assert findings(tmp_path / "eval", "TF304", files) == []
    shuffled = _NN.replace("batch_size=512, shuffle=False", "batch_size=512, shuffle=True")
    [finding] = findings(tmp_path / "train", "TF304", {**files, "src/nn.py": shuffled})
    assert finding.line == 14
