"""Factor 1 rules: git, large data files, unversioned data folders, notebook outputs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from twelvefold.config import Config

from tests.helpers import check, findings, git, make_repo, notebook

MB = 1024 * 1024
TRAIN = "import pandas as pd\n\ndef train(path):\n    return pd.read_csv(path)\n"
POINTER = (
    "version https://git-lfs.github.com/spec/v1\n"
    "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
    "size 104857600\n"
)


def csv_bytes(size: int) -> bytes:
    row = b"42,0.25,churned,2024-01-01\n"
    return b"id,score,label,date\n" + row * (size // len(row))


# ------------------------------------------------------------------- TF101 not a git repository


def test_folder_outside_git_is_reported_and_git_checks_are_skipped(tmp_path: Path) -> None:
    files = {"train.py": TRAIN, "data/train.csv": csv_bytes(6 * MB)}
    found = findings(tmp_path, ["TF101", "TF102", "TF103"], files, git_init=False)
    assert [f.code for f in found] == ["TF101"]
    assert "not inside a git repository" in found[0].message


def test_git_repository_is_fine_even_before_the_first_commit(tmp_path: Path) -> None:
    assert findings(tmp_path, "TF101", {"train.py": TRAIN}) == []
    assert findings(tmp_path / "fresh", "TF101", {"train.py": TRAIN}, commit=False) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown")
def test_repository_git_refuses_to_read_is_not_reported_as_missing(tmp_path: Path) -> None:
    # A checkout owned by another user (a container on a mounted volume): git stops with
    # "dubious ownership". The project is in git; the run says why git was not used.
    make_repo(tmp_path, {"train.py": TRAIN})
    os.chown(tmp_path, 4321, 4321)
    result = check(tmp_path, select=["TF101"])
    assert result.findings == []
    assert any("owned by another user" in d.message for d in result.diagnostics)


# ------------------------------------------------------------------- TF102 large data file


def test_committed_model_and_untracked_checkpoint_are_reported(tmp_path: Path) -> None:
    make_repo(tmp_path, {"train.py": TRAIN, "models/model.pkl": b"\x80\x04" + b"\0" * (8 * MB)})
    (tmp_path / "checkpoints").mkdir()
    (tmp_path / "checkpoints" / "epoch_10.pt").write_bytes(b"PK\x03\x04" + b"\1" * (12 * MB))
    found = findings(tmp_path, "TF102", None)
    assert [(f.path, f.severity.value) for f in found] == [
        ("checkpoints/epoch_10.pt", "error"),
        ("models/model.pkl", "error"),
    ]
    assert "(12.0 MB) is not ignored by git" in found[0].message
    assert "`models/model.pkl` (8.0 MB) is committed to git" in found[1].message
    assert 'git lfs track "*.pkl"' in found[1].fix


def test_threshold_is_a_rule_option(tmp_path: Path) -> None:
    from twelvefold.config import Config

    make_repo(tmp_path, {"embeddings.npy": b"\x93NUMPY" + b"\0" * (2 * MB)})
    assert check(tmp_path, select=["TF102"]).findings == []
    config = Config(options={"large-data-file-committed": {"max-size-mb": 1}})
    [finding] = check(tmp_path, select=["TF102"], config=config).findings
    assert finding.path == "embeddings.npy"


def test_lfs_pointers_lfs_rules_ignored_and_small_files_are_fine(tmp_path: Path) -> None:
    files = {
        ".gitattributes": "*.onnx filter=lfs diff=lfs merge=lfs -text\n",
        ".gitignore": "artifacts/\n",
        "models/classifier.onnx": b"\x08\x07" + b"\0" * (7 * MB),
        "models/encoder.safetensors": POINTER,
        "artifacts/model.joblib": b"\0" * (9 * MB),
        "tests/fixtures/sample.csv": csv_bytes(20_000),
        "notebooks/lookup.parquet": b"PAR1" + b"\0" * 50_000,
    }
    assert findings(tmp_path, "TF102", files) == []


# ------------------------------------------------------------------- TF103 unversioned data folder


def test_kaggle_repo_with_committed_data_folder_gets_one_finding(tmp_path: Path) -> None:
    files = {
        "train.py": TRAIN,
        "data/raw/train.csv": csv_bytes(7 * MB),
        "data/raw/test.csv": csv_bytes(2 * MB),
        "data/processed/features.parquet": b"PAR1" + b"\2" * (1 * MB),
        "data/README.md": "Downloaded from Kaggle\n",
    }
    found = findings(tmp_path, ["TF102", "TF103"], files)
    assert [f.code for f in found] == ["TF103"]  # the 7 MB csv is not reported a second time
    assert (
        "`data/` holds 3 data files (10.0 MB) committed to git with no DVC or git-LFS"
        in found[0].message
    )
    assert "`raw/train.csv` (7.0 MB)" in found[0].message and "dvc add data" in found[0].fix


def test_image_dataset_folder_counts_every_file(tmp_path: Path) -> None:
    files = {f"datasets/cats/cat.{n}.jpg": b"\xff\xd8\xff" + b"\3" * 300_000 for n in range(20)}
    [finding] = findings(tmp_path, "TF103", {**files, "train.py": TRAIN})
    assert "`datasets/` holds 20 data files" in finding.message


def test_dvc_lfs_ignored_small_and_package_data_folders_are_fine(tmp_path: Path) -> None:
    cases = {
        "dvc-file": {
            "data.dvc": "outs:\n- md5: 1\n  path: data\n",
            "data/raw.csv": csv_bytes(6 * MB),
        },
        "dvc-yaml": {
            "dvc.yaml": "stages:\n  prepare:\n    cmd: python prepare.py\n    outs:\n    - data/processed\n",
            "data/processed/x.csv": csv_bytes(6 * MB),
        },
        "lfs": {
            ".gitattributes": "data/** filter=lfs diff=lfs merge=lfs -text\n",
            "data/x.csv": csv_bytes(6 * MB),
        },
        "ignored": {".gitignore": "/data/\n", "data/x.csv": csv_bytes(6 * MB)},
        "small": {"data/iris.csv": csv_bytes(5_000), "data/labels.json": '{"0": "setosa"}\n'},
        "package": {"src/churn/data/__init__.py": "", "src/churn/data/vocab.txt": "a\n" * (3 * MB)},
        "fixtures": {"tests/data/big.csv": csv_bytes(6 * MB)},
    }
    for name, files in cases.items():
        assert findings(tmp_path / name, "TF103", {**files, "train.py": TRAIN}) == [], name


# ------------------------------------------------------------------- TF104 notebook with outputs


def stream(text: str) -> dict:
    return {"name": "stdout", "output_type": "stream", "text": [text]}


def image() -> dict:
    # A plot as Jupyter stores it: base64 PNG, kilobytes (a 1x1 pixel would be "a few lines").
    return {
        "output_type": "display_data",
        "data": {"image/png": "iVBORw0KGgo=" * 900},
        "metadata": {},
    }


#: `df.head(100)`: a table, well over TF104's few-lines floor.
TABLE = stream(
    "".join(
        f"{i:>4}  {i * 0.37:>10.4f}  {i * 1.91:>10.4f}  {i % 7:>3}  train\n" for i in range(200)
    )
)


def test_kaggle_notebook_with_outputs_is_reported_once_with_the_count(tmp_path: Path) -> None:
    eda = notebook(
        "import pandas as pd",
        ("df = pd.read_csv('train.csv')\ndf.shape", [stream("(891, 12)\n")]),
        ("df.Age.hist()", [image()]),
        "df.describe()",
    )
    [finding] = findings(tmp_path, "TF104", {"notebooks/eda.ipynb": eda})
    assert finding.path == "notebooks/eda.ipynb" and finding.severity.value == "warning"
    assert finding.message == "notebook committed with outputs in 2 of 4 code cells"
    assert finding.cell == 1
    assert finding.line is not None and "df = pd.read_csv" in eda.splitlines()[finding.line - 1]


def test_notebooks_of_one_repository_are_one_finding_listing_the_others(tmp_path: Path) -> None:
    """One root cause (nothing strips outputs before a commit), one finding: an EDA folder
    of seven executed notebooks is one finding at the first, naming the others (judged
    on a monorepo whose 42 per-notebook findings were one decision)."""
    ran = notebook(("df.head(200)", [TABLE]))
    files = {f"notebooks/{n:02d}_eda.ipynb": ran for n in range(1, 8)}
    [finding] = findings(tmp_path, "TF104", {**files, "train.py": TRAIN})
    assert finding.path == "notebooks/01_eda.ipynb"
    assert finding.files == tuple(f"notebooks/{n:02d}_eda.ipynb" for n in range(2, 8))
    assert finding.message == (
        "notebook committed with outputs in 1 of 1 code cells; 6 more notebooks have outputs: "
        "`notebooks/02_eda.ipynb`, `notebooks/03_eda.ipynb`, `notebooks/04_eda.ipynb`, "
        "`notebooks/05_eda.ipynb`, `notebooks/06_eda.ipynb` and 1 more"
    )
    assert "all of them" in finding.fix


def test_a_notebook_ignored_on_its_own_is_left_out_of_the_group(tmp_path: Path) -> None:
    """Per-file ignores drop a notebook before the group is made: the group never brings
    it back, and the others are still reported."""
    ran = notebook(("df.head(200)", [TABLE]))
    make_repo(tmp_path, {"a.ipynb": ran, "b.ipynb": ran, "c.ipynb": ran})
    config = Config(kind="application", per_file_ignores={"a.ipynb": ["TF104"]})
    [finding] = check(tmp_path, select=["TF104"], config=config).findings
    assert (finding.path, finding.files) == ("b.ipynb", ("c.ipynb",))
    assert finding.message.endswith("; 1 more notebook has outputs: `c.ipynb`")


def test_pre_commit_hook_does_not_excuse_committed_outputs(tmp_path: Path) -> None:
    hook = "repos:\n- repo: https://github.com/kynan/nbstripout\n  rev: 0.7.1\n  hooks:\n  - id: nbstripout\n"
    small = notebook(("df.head(200)", [TABLE]))
    [finding] = findings(
        tmp_path, "TF104", {".pre-commit-config.yaml": hook, "scratch.ipynb": small}
    )
    assert "outputs in 1 of 1 code cells" in finding.message and "pre-commit run" in finding.fix


def test_untracked_notebook_is_reported_unless_a_hook_will_strip_it(tmp_path: Path) -> None:
    ran = notebook(("print(history)", [TABLE]))
    make_repo(tmp_path, {"train.py": TRAIN})
    (tmp_path / "explore.ipynb").write_text(ran)
    [finding] = findings(tmp_path, "TF104", None)
    assert finding.message.startswith("notebook not ignored by git with outputs")
    (tmp_path / ".pre-commit-config.yaml").write_text(
        "repos:\n- repo: local\n  hooks:\n  - id: nbstripout-fast\n"
    )
    assert findings(tmp_path, "TF104", None) == []


def test_a_few_lines_of_output_are_not_reported(tmp_path: Path) -> None:
    """`%pwd`, a shape, a log line: under 8 KiB of outputs nobody strips (judged on real
    stage-prototype notebooks); the same notebook with a table is reported."""
    few = notebook(
        ("%pwd", [stream("'/workspace/churn/research'\n")]),
        ("df.shape", [stream("(1599, 12)\n")]),
        ("logger.info('ingested')", [stream("[2024-05-01 10:00:00] INFO ingested\n")]),
    )
    assert findings(tmp_path / "few", "TF104", {"research/01_ingest.ipynb": few}) == []
    table = notebook(("df.head(200)", [TABLE]))
    assert findings(tmp_path / "table", "TF104", {"research/01_ingest.ipynb": table})
    plot = {"output_type": "display_data", "data": {"image/png": "iVBORw0KGgo="}, "metadata": {}}
    small_plot = notebook(("df.Age.hist()", [plot]))
    assert findings(tmp_path / "plot", "TF104", {"research/01_ingest.ipynb": small_plot})


def test_clean_docs_fixture_and_filtered_notebooks_are_fine(tmp_path: Path) -> None:
    ran = notebook(("print('hello')", [stream("hello\n")]))
    files = {
        "notebooks/clean.ipynb": notebook("import pandas as pd", "pd.__version__"),
        "docs/tutorial.ipynb": ran,
        "tests/fixtures/ran.ipynb": ran,
        ".gitattributes": "*.ipynb filter=nbstripout\n*.ipynb diff=ipynb\n",
    }
    make_repo(tmp_path, files)
    # Outputs in the work tree, stripped by the git filter when committed.
    (tmp_path / "notebooks" / "filtered.ipynb").write_text(ran)
    git(tmp_path, "add", "-A")
    assert findings(tmp_path, "TF104", None) == []


def test_malformed_notebook_does_not_crash(tmp_path: Path) -> None:
    broken = '{"cells": [{"cell_type": "code", "outputs": [{"x": 1}], "source": 5}'
    result = check(
        make_repo(
            tmp_path,
            {"bad.ipynb": broken, "odd.ipynb": json.dumps({"cells": "x", "outputs": [{}]})},
        ),
        select=["TF104"],
    )
    assert result.findings == [] and result.internal_errors == []


# ------------------------------------------------------------------- TF105 model artifacts


def tf105(root: Path, files: dict | None = None, kind: str = "application") -> list:
    """TF102 and TF105 findings (TF105 is a preview rule)."""
    from twelvefold.config import Config

    if files is not None:
        make_repo(root, files)
    config = Config(kind=kind, preview=True)
    return check(root, select=["TF102", "TF105"], config=config).findings


SERVE = (
    "import joblib\nfrom fastapi import FastAPI\n\napp = FastAPI()\n"
    'model = joblib.load("app/model.pkl")\n'
)


def test_small_model_and_preprocessor_served_from_the_checkout_are_reported(
    tmp_path: Path,
) -> None:
    files = {
        "app/main.py": SERVE,
        "app/model.pkl": b"\x80\x04" + b"\0" * 300_000,
        "app/preprocessor.pkl": b"\x80\x04" + b"\0" * 2_000,
        "models/classifier.onnx": b"\x08\x07" + b"\0" * 50_000,
    }
    found = tf105(tmp_path, files)
    assert [(f.code, f.path) for f in found] == [
        ("TF105", "app/model.pkl"),
        ("TF105", "app/preprocessor.pkl"),
        ("TF105", "models/classifier.onnx"),
    ]
    assert "model artifact `app/model.pkl` (293 KB) is committed to git" in found[0].message
    # below the size limit: information, not a gate failure (FACTORS.md: "over a few MB")
    assert {f.severity.value for f in found} == {"info"}


def test_many_models_of_one_type_in_one_folder_are_one_finding(tmp_path: Path) -> None:
    # Held-out set M (Kokoro-FastAPI): 68 voice packs gave 68 findings.
    files = {
        "app/main.py": SERVE,
        **{f"api/voices/v{index}.pt": b"PK" + b"\0" * 5_000 for index in range(5)},
        "api/voices/config.json": "{}",
        "api/model.pkl": b"\x80\x04" + b"\0" * 2_000,
        "api/encoder.pkl": b"\x80\x04" + b"\0" * 2_000,
    }
    found = tf105(tmp_path, files)
    assert [(f.path, f.message) for f in found] == [
        ("api/encoder.pkl", "model artifact `api/encoder.pkl` (2 KB) is committed to git"),
        ("api/model.pkl", "model artifact `api/model.pkl` (2 KB) is committed to git"),
        (
            "api/voices/v0.pt",
            "5 model artifacts `api/voices/*.pt` (24 KB in all) are committed to git",
        ),
    ]


def test_tracker_stores_are_reported_once_per_store(tmp_path: Path) -> None:
    files = {
        "train.py": TRAIN,
        "mlflow.db": b"SQLite format 3\0" + b"\0" * 4096,
        "mlruns/0/meta.yaml": "name: Default\n",
        "mlruns/0/4f1c2a/metrics/rmse": "1700000000 0.42 0\n",
        "mlruns/0/4f1c2a/params/alpha": "0.5\n",
        "catboost_info/learn_error.tsv": "iter\tRMSE\n0\t1.2\n",
        "runs/exp1/events.out.tfevents.1700000000.host.1.0": b"\0" * 100,
        "wandb/run-20240101_120000-abc123/files/config.yaml": "lr: 0.1\n",
    }
    found = tf105(tmp_path, files)
    assert sorted(f.message.split(" run store")[0] for f in found) == [
        "CatBoost",
        "MLflow",
        "MLflow",
        "TensorBoard",
        "Weights & Biases",
    ]
    mlruns = next(f for f in found if "`mlruns/`" in f.message)
    assert mlruns.path == "mlruns/0/4f1c2a/metrics/rmse"
    assert "(3 files)" in mlruns.message
    assert {f.severity.value for f in found} == {"warning"}


def test_model_lookalikes_are_fine(tmp_path: Path) -> None:
    files = {
        "train.py": TRAIN,
        # test fixtures, examples, LFS-tracked models, ignored models, small data files,
        # and code folders named like a tracker
        "tests/fixtures/tiny_model.pkl": b"\x80\x04" + b"\0" * 100,
        "examples/demo/model.joblib": b"\0" * 1000,
        ".gitattributes": "*.pt filter=lfs diff=lfs merge=lfs -text\n",
        "weights/resnet.pt": POINTER,
        "weights/head.pt": b"\0" * 1000,
        ".gitignore": "artifacts/\n",
        "artifacts/model.pkl": b"\0" * 1000,
        "lookup/countries.csv": "code,name\nfr,France\n",
        "integrations/wandb/callback.py": "import wandb\n",
        "src/mlruns_cleanup.py": "import shutil\n",
    }
    assert tf105(tmp_path, files) == []


def test_models_of_libraries_and_courses_and_research_are_left_alone(tmp_path: Path) -> None:
    files = {"train.py": TRAIN, "model.pkl": b"\0" * 1000, "mlruns/0/meta.yaml": "name: x\n"}
    make_repo(tmp_path, files)
    for kind, expected in (("library", []), ("course", []), ("research", ["TF105"])):
        found = tf105(tmp_path, kind=kind)
        assert [f.code for f in found] == expected, kind
        assert all("mlruns/" in f.message for f in found)


def test_large_model_is_left_to_tf102(tmp_path: Path) -> None:
    files = {"train.py": TRAIN, "models/model.pkl": b"\x80\x04" + b"\0" * (6 * MB)}
    found = tf105(tmp_path, files)
    assert [f.code for f in found] == ["TF102"]
