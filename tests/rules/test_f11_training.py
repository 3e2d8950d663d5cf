"""Factor 11 rules: notebooks run by code, experiment tracking, pipelines."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import check, findings, make_repo, notebook

# ------------------------------------------------------------------- TF1101 notebooks run by code


def test_papermill_pipeline_is_reported(tmp_path: Path) -> None:
    code = (
        "import papermill as pm\n\n"
        "def run(params):\n"
        "    pm.execute_notebook('notebooks/train.ipynb', 'out/train.ipynb', parameters=params)\n"
    )
    [finding] = findings(tmp_path, "TF1101", {"pipeline/run.py": code})
    # Reported where the notebook is executed; the import is the related place.
    assert finding.line == 4 and finding.message.startswith("`pm.execute_notebook(...)` executes")
    assert "imports `papermill`" in finding.message and "(see line 1)" in finding.message
    assert finding.related == ((1, "the notebook runner is imported here"),)


def test_a_notebook_runner_imported_but_not_called_here_is_reported_at_the_import(
    tmp_path: Path,
) -> None:
    code = "from papermill import execute_notebook as run_nb\n\n__all__ = ['run_nb']\n"
    [finding] = findings(tmp_path, "TF1101", {"pipeline/runners.py": code})
    assert finding.line == 1 and finding.related == ()


def test_nbconvert_execute_and_import_ipynb_are_reported(tmp_path: Path) -> None:
    files = {
        "src/jobs/nightly.py": (
            "import subprocess\n"
            "from nbconvert.preprocessors import ExecutePreprocessor\n\n"
            "subprocess.run(['jupyter', 'nbconvert', '--to', 'notebook', '--execute', 'score.ipynb'], check=True)\n"
        ),
        "src/jobs/features.py": "import import_ipynb\nimport feature_engineering\n",
    }
    result = findings(tmp_path, "TF1101", files)
    assert [(f.path, f.line) for f in result] == [
        ("src/jobs/features.py", 1),
        ("src/jobs/nightly.py", 2),
        ("src/jobs/nightly.py", 4),
    ]


def test_notebooks_tests_docs_and_exports_are_fine(tmp_path: Path) -> None:
    files = {
        "notebooks/report.ipynb": notebook("%run ./helpers.ipynb\nplot(df)"),
        "tests/test_notebooks.py": "import papermill as pm\n\ndef test_nb(tmp_path):\n    pm.execute_notebook('a.ipynb', tmp_path / 'o.ipynb')\n",
        "docs/conf.py": "extensions = ['nbsphinx']\nfrom nbconvert.preprocessors import ExecutePreprocessor\n",
        "noxfile.py": "import nox\n\n@nox.session\ndef notebooks(session):\n    session.run('jupyter', 'nbconvert', '--execute', 'a.ipynb')\n",
        "tools/export.py": "import nbformat\nfrom nbconvert import HTMLExporter\n\nbody, _ = HTMLExporter().from_notebook_node(nbformat.read('a.ipynb', 4))\n",
    }
    assert findings(tmp_path, "TF1101", files) == []


# ------------------------------------------------------------------- TF1102 no tracking

TRAIN = "from sklearn.linear_model import LogisticRegression\n\ndef train(X, y):\n    model = LogisticRegression()\n    model.fit(X, y)\n    print(model.score(X, y))\n    return model\n"


def test_training_module_without_tracking_is_info(tmp_path: Path) -> None:
    [finding] = findings(tmp_path, "TF1102", {"src/churn/train.py": TRAIN})
    assert finding.severity.value == "info" and finding.line == 5 and "model.fit" in finding.message


def test_torch_loop_without_tracking_is_reported(tmp_path: Path) -> None:
    code = "import torch\n\nfor x, y in loader:\n    loss = crit(net(x), y)\n    opt.zero_grad()\n    loss.backward()\n    opt.step()\n"
    [finding] = findings(tmp_path, "TF1102", {"train.py": code})
    assert "loss.backward()" in finding.message


def test_any_tracking_evidence_is_enough(tmp_path: Path) -> None:
    variants = [
        {"track.py": "import mlflow\n\nmlflow.log_metric('auc', 0.9)\n"},
        {"dvc.yaml": "stages:\n  train:\n    cmd: python train.py\n    metrics: [metrics.json]\n"},
        {"report.py": "import json\n\njson.dump(scores, open('metrics.json', 'w'))\n"},
        {"tb.py": "from torch.utils.tensorboard import SummaryWriter\nw = SummaryWriter()\n"},
        {"exp.ipynb": notebook("import wandb\nwandb.init(project='churn')")},
    ]
    for index, extra in enumerate(variants):
        assert (
            findings(tmp_path / str(index), "TF1102", {"src/churn/train.py": TRAIN, **extra}) == []
        ), extra


def test_preprocessing_fit_and_tests_are_not_training(tmp_path: Path) -> None:
    files = {
        "features.py": "from sklearn.preprocessing import StandardScaler\n\nscaler = StandardScaler()\nscaler.fit(X)\n",
        "tests/test_model.py": TRAIN,
    }
    assert findings(tmp_path, "TF1102", files) == []


# ------------------------------------------------------------------- TF1103 only notebooks


def test_kaggle_repo_training_only_in_notebooks_is_info(tmp_path: Path) -> None:
    files = {
        "notebooks/01-eda.ipynb": notebook("import pandas as pd\ndf = pd.read_csv('train.csv')"),
        "notebooks/02-model.ipynb": notebook(
            "from xgboost import XGBClassifier", "clf = XGBClassifier()\nclf.fit(X_train, y_train)"
        ),
        "utils.py": "def load(path):\n    return path\n",
    }
    [finding] = findings(tmp_path, "TF1103", files)
    assert (
        finding.path == "notebooks/02-model.ipynb" and finding.cell == 1 and finding.cell_line == 2
    )


def test_research_notebook_training_only_is_reported(tmp_path: Path) -> None:
    nb = notebook(
        "import torch", "for batch in loader:\n    loss = model(batch)\n    loss.backward()"
    )
    assert [f.code for f in findings(tmp_path, "TF1103", {"experiment.ipynb": nb})] == ["TF1103"]


def test_notebooks_beside_a_pipeline_are_fine(tmp_path: Path) -> None:
    nb = notebook("clf.fit(X_train, y_train)")
    variants = [
        {"dvc.yaml": "stages: {}\n"},
        {"Makefile": "train:\n\tpython -m churn.train\n"},
        {"src/churn/train.py": "def main():\n    pass\n"},
        {"flows/flow.py": "from prefect import flow\n"},
    ]
    for index, extra in enumerate(variants):
        assert findings(tmp_path / str(index), "TF1103", {"explore.ipynb": nb, **extra}) == [], (
            extra
        )


# ------------------------------------------------------------------- TF1102 off by default

GPT_TRAIN = (
    "import torch\n\n"
    "# I/O\n"
    "eval_interval = 2000\n"
    "wandb_log = False  # disabled by default\n"
    "wandb_project = 'owt'\n\n"
    "if wandb_log:\n"
    "    import wandb\n"
    "    wandb.init(project=wandb_project)\n\n"
    "for X, Y in batches:\n"
    "    loss = model(X, Y)\n"
    "    loss.backward()\n"
    "    if wandb_log and iter_num % eval_interval == 0:\n"
    "        wandb.log({'loss': loss.item()})\n"
)
ARGS_TRAIN = (
    "import argparse\n\nimport mlflow\nfrom sklearn.ensemble import RandomForestClassifier\n\n"
    "parser = argparse.ArgumentParser()\n"
    "parser.add_argument('--track', action='store_true', help='log the run to MLflow')\n"
    "args = parser.parse_args()\n\n"
    "model = RandomForestClassifier(random_state=0)\n"
    "model.fit(X_train, y_train)\n"
    "if args.track:\n"
    "    with mlflow.start_run():\n"
    "        mlflow.log_metric('acc', model.score(X_test, y_test))\n"
)


def test_tracking_off_by_default_is_no_tracking_in_an_application(tmp_path: Path) -> None:
    [finding] = findings(tmp_path, "TF1102", {"src/gpt/train.py": GPT_TRAIN})
    assert (finding.path, finding.line) == ("src/gpt/train.py", 5)
    assert "off by default (`wandb_log = False`)" in finding.message
    assert "loss.backward()" in finding.message
    [finding] = findings(tmp_path / "args", "TF1102", {"src/churn/train.py": ARGS_TRAIN})
    assert finding.line == 7 and "`--track` off unless passed" in finding.message


def test_tracking_turned_on_somewhere_or_unguarded_is_tracking(tmp_path: Path) -> None:
    from twelvefold.config import Config

    variants = [
        # a config module turns it on (nanoGPT's config/train_gpt2.py)
        {"config/train_gpt2.py": "wandb_log = True\nwandb_run_name = 'gpt2-124M'\n"},
        # a YAML config the pipeline runs with
        {"configs/prod.yaml": "wandb_log: true\nlr: 0.0006\n"},
        # another tracker, always on
        {
            "src/gpt/metrics.py": "import json\n\ndef save(m):\n    json.dump(m, open('metrics.json', 'w'))\n"
        },
    ]
    for index, extra in enumerate(variants):
        files = {"src/gpt/train.py": GPT_TRAIN, **extra}
        assert findings(tmp_path / str(index), "TF1102", files) == [], extra
    # on by default, and used unguarded
    on = GPT_TRAIN.replace("wandb_log = False", "wandb_log = True")
    assert findings(tmp_path / "on", "TF1102", {"src/gpt/train.py": on}) == []
    unguarded = "import wandb\n\nwandb_log = False\nwandb.init()\nmodel.fit(X, y)\n"
    assert findings(tmp_path / "unguarded", "TF1102", {"src/gpt/train.py": unguarded}) == []
    # research repositories choose their own defaults
    make_repo(tmp_path / "research", {"train.py": GPT_TRAIN})
    found = check(tmp_path / "research", select=["TF1102"], config=Config(kind="research"))
    assert found.findings == []
