"""Look-alikes from the twenty-first session's held-out sets (fresh-2026-12-07-m: loan
default and heart disease projects; fresh-2026-12-07-n: energy forecasting and anomaly
detection), each failing on the checker its set was judged on (`daf2199` for set M)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, notebook

# --------------------------------------------------------------------------- TF1102

_OUTLIER_CLASS = """from sklearn.base import BaseEstimator, TransformerMixin


class OutlierRemover3SD(BaseEstimator, TransformerMixin):
    def fit(self, df, numerical_columns):
        self.stats_ = df[numerical_columns].agg(["mean", "std"])
        return self

    def transform(self, df):
        return df
"""


def test_tf1102_names_the_model_fit_not_a_preprocessing_step(tmp_path: Path) -> None:
    # A loan-default notebook fits a notebook-defined outlier remover first
    # (`outlier_remover_3sd.fit(X_train, numerical_columns)`) and trains the model dozens
    # of cells later. The untracked training was TRUE; naming the remover's `fit` as the
    # training was judged FALSE. The model's fit is named instead.
    cells = notebook(
        _OUTLIER_CLASS,
        "outlier_remover_3sd = OutlierRemover3SD()\n"
        "outlier_remover_3sd.fit(X_train, numerical_columns)\n",
        "from sklearn.linear_model import LogisticRegression\n\n"
        "pipeline = LogisticRegression(random_state=42)\n"
        "pipeline.fit(X_train, y_train)\n",
    )
    [finding] = findings(tmp_path, "TF1102", {"loan_default_prediction.ipynb": cells})
    assert "pipeline.fit" in finding.message
    assert "outlier" not in finding.message
    # An autoencoder is a model: fitting it is training.
    code = "autoencoder.fit(X_train, X_train, epochs=10)\n"
    [finding] = findings(tmp_path / "ae", "TF1102", {"train.py": code})
    assert "autoencoder.fit" in finding.message


# --------------------------------------------------------------------------- TF206

_APP_FILES = {
    "requirements.txt": "fastapi==0.115.0\nuvicorn==0.30.6\n",
    "api/__init__.py": "",
    "api/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
}


def test_tf206_a_hidden_one_off_helper_at_the_root(tmp_path: Path) -> None:
    # A heart-disease application's `.codex_build_defense_docx.py` renders a Markdown
    # guide into a .docx for the viva (judged NOISE: nobody adds python-docx to the app's
    # requirements for it). No import can name a module whose name starts with a dot: it
    # is run by hand, a one-off script. The same import in the application is reported.
    helper = "from docx import Document\n\nDocument().save('docs/guide.docx')\n"
    files = {**_APP_FILES, ".codex_build_defense_docx.py": helper}
    assert findings(tmp_path / "hidden", "TF206", files) == []
    files = {**_APP_FILES, "api/report.py": helper}
    [finding] = findings(tmp_path / "app", "TF206", files)
    assert finding.path == "api/report.py"


# --------------------------------------------------------------------------- TF301

_MINIO = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: minio
spec:
  template:
    spec:
      containers:
        - name: minio
          image: minio/minio:RELEASE.2024-01-16T16-07-38Z
          env:
            - name: MINIO_ROOT_USER
              value: admin
          args: ["server", "/data"]
      rootUser: admin
      rootPassword: rootpass123
"""


def test_tf301_a_demo_login_in_a_parked_manifest(tmp_path: Path) -> None:
    # A loan-default platform keeps the MinIO manifest it dropped for GCS in
    # `kubernetes/disabled/`, outside the folder ArgoCD syncs (judged NOISE: a demo root
    # password in a manifest nothing deploys). The same manifest where it is deployed is
    # reported, and a provider's key in the parked folder still is.
    assert findings(tmp_path / "parked", "TF301", {"kubernetes/disabled/minio.yaml": _MINIO}) == []
    [finding] = findings(tmp_path / "live", "TF301", {"kubernetes/applications/minio.yaml": _MINIO})
    assert "demo login" in finding.message
    key = "aws_secret_access_key: " + "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"[::-1] + "\n"
    leaked = _MINIO + "      aws_access_key_id: AKIA" + "ZQ3DN4XKJ7WLPMRT" + "\n      " + key
    assert findings(tmp_path / "key", "TF301", {"kubernetes/disabled/minio.yaml": leaked})


# --------------------------------------------------------------------------- TF401

_KFP_PIPELINE = """from kfp import compiler, dsl

IMAGE = "us-central1-docker.pkg.dev/acme/apps/loan-trainer:1.0"
MLFLOW_URI = "http://mlflow.mlflow.svc.cluster.local:5000"


@dsl.container_component
def train_step():
    return dsl.ContainerSpec(image=IMAGE, command=["python", "src/train.py"])


@dsl.pipeline(name="loan-default-training")
def training_pipeline():
    task = train_step()
    task.set_env_variable("MLFLOW_TRACKING_URI", MLFLOW_URI)


if __name__ == "__main__":
    compiler.Compiler().compile(training_pipeline, "training_pipeline.yaml")
"""


def test_tf401_a_host_a_kubeflow_pipeline_puts_in_a_steps_environment(tmp_path: Path) -> None:
    # The pipeline definition wires the step's environment as a manifest's `env:` does,
    # and the step's code reads MLFLOW_TRACKING_URI from it (judged NOISE). A step's own
    # code calling the host is still reported.
    files = {"requirements.txt": "kfp==2.7.0\nmlflow==2.16.0\n"}
    files["ml/pipelines/training_pipeline.py"] = _KFP_PIPELINE
    assert findings(tmp_path / "wired", "TF401", files) == []
    files["ml/pipelines/training_pipeline.py"] = _KFP_PIPELINE.replace(
        'task.set_env_variable("MLFLOW_TRACKING_URI", MLFLOW_URI)',
        "import mlflow\n\n    mlflow.set_tracking_uri(MLFLOW_URI)",
    )
    [finding] = findings(tmp_path / "called", "TF401", files)
    assert "mlflow.mlflow.svc.cluster.local" in finding.message
