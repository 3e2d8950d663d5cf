"""TF304 hard-coded-hyperparameter: hyperparameter hard-coded in training code although the
config defines it."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from twelvefold.model import Severity, Violation
from twelvefold.project import roles as role
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule
from twelvefold.rules.f03_config._hyperparameters import (
    _GROUP_OF,
    _config_documents,
    _config_keys,
)

#: Folders that hold a project's configuration: the project is the folder above them.
_CONFIG_FOLDERS = frozenset({"config", "configs", "conf", "cfg", "params", "hparams", "settings"})


def _config_home(config_path: str) -> str:
    """The folder a config file configures: the one above its `configs/` folder
    (`week_2/configs/training/x.yaml` configures `week_2`), else its own folder."""
    parts = config_path.split("/")[:-1]
    for index, part in enumerate(parts):
        if part.lower() in _CONFIG_FOLDERS:
            return "/".join(parts[:index])
    return "/".join(parts)


def _same_project(repo: Repo, config_path: str, code_path: str) -> bool:
    """Whether a config configures a code file. A config file does when the code sits
    under the folder it configures (`params.yaml` at the root configures everything; a
    course's `week_2/configs/x.yaml` is not `week_0/train.py`'s, a pipeline's
    `rec/config.json` is not `intent/train.py`'s), or when the code names it (its path or
    stem, as `yaml.safe_load(open("configs/finetune.yaml"))` or `config_name="finetune"`
    do). A settings class in a module does when the code is that module, sits in its
    folder, or imports it."""
    if config_path == code_path:
        return True
    python_config = config_path.endswith(".py")
    config_dir = posixpath.dirname(config_path)
    home = config_dir if python_config else _config_home(config_path)
    if python_config and posixpath.dirname(code_path) == home:
        return True
    if not python_config and (not home or code_path.startswith(home + "/")):
        return True
    source = repo.source(code_path)
    text = source.text if source is not None else None
    if not text:
        return False
    stem = posixpath.splitext(posixpath.basename(config_path))[0]
    if python_config:
        # `from pipeline.settings import TrainConfig`, `from .settings import ...`
        pattern = rf"^\s*(?:from\s+[\w.]*(?<![\w]){re.escape(stem)}(?:\.\w+)*\s+import|import\s+[\w.]*(?<![\w]){re.escape(stem)}\b)"
        return re.search(pattern, text, re.MULTILINE) is not None
    if config_path in text or (home and config_path[len(home) + 1 :] in text):
        return True
    return re.search(rf"(?<![\w-]){re.escape(stem)}(?![\w-])", text) is not None


class HardCodedHyperparameter(RepoRule):
    """## What it does
    Reports hyperparameters and split ratios written as numeric literals in training code
    (`lr=0.05`, `learning_rate=0.03`, `n_estimators=500`, `test_size=0.2`, `epochs=50`)
    when the project's configuration defines that same knob: a key in a YAML/TOML/JSON
    run configuration (`params.yaml`, `configs/*.yaml`, Hydra configs) or a field of a
    settings class (`class TrainConfig`, `Settings(BaseSettings)`). Synonyms count as the
    same knob (`lr` / `learning_rate`, `epochs` / `num_epochs`).

    Only that strong evidence is reported: the config says the value is configurable,
    the code silently ignores it. The config must be one the code uses: a file at the
    root, or one whose folder (the folder above its `configs/`) holds the code (a
    course's `week_2/configs/x.yaml` does not configure `week_0/train.py`, nor one
    pipeline's `rec/config.json` another's `intent/train.py`), or one the code names
    (its path or stem); a settings class counts for its own module, the modules beside
    it and those that import it. Inference calls (`predict`, `predict_proba`,
    `evaluate`, `transform`, `generate`, `encode`) train nothing: their `batch_size=`
    is not reported, nor is that of a loader that does not shuffle
    (`DataLoader(valid, batch_size=512, shuffle=False)`: evaluation or inference). `weight_decay=0.0` in an optimizer parameter group (an
    element of a list of groups, or given to `add_param_group`) is the deliberate
    no-decay group, not a hard-code. Literals in projects with no configuration at all are
    not reported (a notebook or a one-off script may legitimately fix them), nor are
    tests, argparse defaults (`add_argument(default=...)`, `parser.set_defaults(epochs=10)`),
    calls that build the config object itself, or a convenience
    call in the `if __name__ == "__main__":` block (`train(epochs=10)` beside the
    `run.py` that passes the config).

    ## Why is this bad?
    Someone changes `lr` in the config, the run logs the new value, and the model is
    still trained with the literal: the recorded parameters lie, and experiments cannot
    be compared or reproduced.

    ## Example
    The run configuration says `lr: 0.1`; the training code loads it and uses `0.05`:
    ```yaml
    # configs/train.yaml
    lr: 0.1
    epochs: 30
    ```
    ```python
    # src/churn/train.py
    import torch
    import yaml

    cfg = yaml.safe_load(open("configs/train.yaml"))
    model = torch.nn.Linear(20, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    ```

    ## Use instead
    ```python
    # src/churn/train.py
    import torch
    import yaml

    cfg = yaml.safe_load(open("configs/train.yaml"))
    model = torch.nn.Linear(20, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=cfg["lr"])
    ```
    """

    code = "TF304"
    # Opt-in (`Rule.default`): none of its 6 findings on 146 real repositories was worth fixing: a literal next to a config value is usually a different setting.
    default = False
    depends_on = ("@code", "@config")
    name = "hard-coded-hyperparameter"
    factor = 3
    severity = Severity.WARNING
    roles = role.PRODUCT
    summary = "Hyperparameter hard-coded in training code although the config defines it"
    fix = "Read the value from the configuration instead of a literal."
    facts = ("hyperparameter-literals",)

    def applies(self, repo: Repo) -> bool:
        return repo.has_python

    def check(self, repo: Repo) -> Iterator[Violation]:
        collected = repo.facts("hyperparameter-literals")
        if not any(item["literals"] for item in collected.values()):
            return
        defined: dict[int, list[tuple[str, str]]] = {}  # group -> [(config path, key)]
        for path in sorted(collected):
            for field_name in collected[path]["fields"]:
                defined.setdefault(_GROUP_OF[field_name], []).append((path, field_name))
        for entry, data in _config_documents(repo):
            seen: set[int] = set()
            for key in _config_keys(data):
                if key in _GROUP_OF and _GROUP_OF[key] not in seen:
                    seen.add(_GROUP_OF[key])
                    defined.setdefault(_GROUP_OF[key], []).append((entry.path, key))
        for path in sorted(collected):
            main_blocks = collected[path].get("main", ())
            for name, text, line, column in collected[path]["literals"]:
                if any(start <= line <= end for start, end in main_blocks):
                    continue  # a convenience call in the main block, not the run's config path
                where = next(
                    (
                        (config_path, key)
                        for config_path, key in defined.get(_GROUP_OF[name], [])
                        if _same_project(repo, config_path, path)
                    ),
                    None,
                )
                if where is None:
                    continue
                config_path, key = where
                yield Violation(
                    f"`{text}` is hard-coded in training code although {config_path} defines `{key}`",
                    path=path,
                    line=line,
                    column=max(column, 1),
                    fix=f"Pass the value from the configuration ({config_path}: `{key}`) instead of a literal.",
                )
