"""Look-alikes from the nineteenth session's held-out set (fresh-2026-12-07-g: credit-risk
and forecasting MLOps systems, student MLOps platforms, anomaly-detection research), each
failing on the checker the set was judged on (`93009f0`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, notebook

# --------------------------------------------------------------------------- TF303


def test_tf303_the_home_of_bentomls_image_user(tmp_path: Path) -> None:
    # credit-risk-ml-system's serving watcher patches the Dockerfile BentoML wrote:
    # `$BENTO_PATH` becomes `/home/bentoml/bento`, the folder every BentoML image keeps
    # the bento in (its Dockerfiles: `ARG BENTO_PATH=/home/bentoml/bento`, user
    # `bentoml`): a container's path, the same everywhere. A person's home is reported.
    module = (
        "def patch(dockerfile: str) -> str:\n"
        "    return dockerfile.replace('$BENTO_PATH', '/home/bentoml/bento')\n"
    )
    files = {"platform/watcher.py": module}
    assert findings(tmp_path / "bento", "TF303", files) == []
    files["platform/watcher.py"] = module.replace("/home/bentoml/", "/home/ngnquanq/")
    [finding] = findings(tmp_path / "person", "TF303", files)
    assert finding.line == 2


# --------------------------------------------------------------------------- TF302

_SCORING_ENV = (
    "SCORING_MODEL_NAME=credit_risk_model\n"
    "SCORING_KAFKA_BOOTSTRAP_SERVERS=localhost:9092\n"
    "MLFLOW_TRACKING_URI=http://localhost:5000\n"
    "AWS_ACCESS_KEY_ID=minio_user\n"
    "AWS_SECRET_ACCESS_KEY=changeme123\n"
)


def test_tf302_a_settings_file_whose_only_secret_is_a_placeholder(tmp_path: Path) -> None:
    # credit-risk-ml-system's `application/scoring/mlflow.env`, which pydantic loads as
    # its `env_file`: the secret access key is `changeme123` and the key ID beside it
    # (`minio_user`) is the public half of the pair, no secret. Reported at error, judged
    # FALSE. The same file with a real-looking secret key is reported.
    files = {"application/scoring/mlflow.env": _SCORING_ENV}
    assert findings(tmp_path / "placeholder", "TF302", files) == []
    files["application/scoring/mlflow.env"] = _SCORING_ENV.replace(
        "changeme123", "Zq8vR2mXk4Tn7Wp1Ls5Hd9Jc"
    )
    [finding] = findings(tmp_path / "secret", "TF302", files)
    assert finding.severity.value == "error"


def test_tf302_a_configmap_generators_settings_with_a_switch(tmp_path: Path) -> None:
    # Kubeflow's metadata overlay: `params.env` is what `configMapGenerator` turns into
    # a ConfigMap, and `MYSQL_ALLOW_EMPTY_PASSWORD=true` is a switch, not a password
    # (judged FALSE). A ConfigMap input holding a password is still reported.
    kustomization = (
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        "configMapGenerator:\n- envs:\n  - params.env\n  name: metadata-db-parameters\n"
    )
    files = {
        "k8s/db/kustomization.yaml": kustomization,
        "k8s/db/params.env": "MYSQL_DATABASE=metadb\nMYSQL_PORT=3306\nMYSQL_ALLOW_EMPTY_PASSWORD=true\n",
    }
    assert findings(tmp_path / "switch", "TF302", files) == []
    files["k8s/db/params.env"] += "MYSQL_ROOT_PASSWORD=Xk4Tn7Wp1Ls5Hd9J\n"
    assert [f.path for f in findings(tmp_path / "password", "TF302", files)] == [
        "k8s/db/params.env"
    ]


def test_tf303_a_notebook_cell_told_to_use_your_own_dataset(tmp_path: Path) -> None:
    # The group project's bias notebook: `# Replace this with your actual dataset` above
    # `pd.read_csv("/Users/akm/...")` tells the reader the path is theirs to fill in
    # (judged NOISE). A note about something else leaves the path reported.
    cell = (
        "# Replace this with your actual dataset\n"
        'data = pd.read_csv("/Users/akm/Desktop/mlops-project/dataset/data/data_preprocess.csv")'
    )
    files = {"experiments/bias.ipynb": notebook("import pandas as pd", cell)}
    assert findings(tmp_path / "told", "TF303", files) == []
    files["experiments/bias.ipynb"] = notebook(
        "import pandas as pd", cell.replace("Replace this with your actual dataset", "Load it")
    )
    [finding] = findings(tmp_path / "untold", "TF303", files)
    assert finding.cell == 1


# --------------------------------------------------------------------------- TF1202

_LOOKUP_SERVICE = """import pandas as pd
from flask import Flask, jsonify, request


def read_parquet_files(filename):
    return pd.read_parquet(filename, engine="pyarrow")


df_test_preds = read_parquet_files("lgb_preds.parquet")
app = Flask("unit-sales")


def predict(find, item_idx):
    try:
        x = df_test_preds.loc[(find["store_nbr"], item_idx, find["date"])]["unit_sales"]
    except KeyError:
        return -0.0
    return float(round(x, 2))


@app.route("/predict-sales", methods=["POST"])
def predict_endpoint():
    find = request.get_json()
    return jsonify({"unit_sales": predict(find, 7)})
"""


def test_tf1202_a_route_that_looks_up_stored_forecasts(tmp_path: Path) -> None:
    # grocery-sales' Flask service: its `predict()` reads the forecast a batch job wrote
    # to `lgb_preds.parquet`, which the module loads at the top: nothing is inferred per
    # request, and the batch job logged its predictions (judged FALSE twice). TF1201
    # still asks the service for a health route. A `predict()` calling a model is
    # reported.
    files = {"deployment/flask_sales_predictor.py": _LOOKUP_SERVICE}
    found = findings(tmp_path / "lookup", ["TF1201", "TF1202"], files)
    assert [f.code for f in found] == ["TF1201"]
    files["deployment/flask_sales_predictor.py"] = _LOOKUP_SERVICE.replace(
        'x = df_test_preds.loc[(find["store_nbr"], item_idx, find["date"])]["unit_sales"]',
        "x = model.predict([[find['store_nbr'], item_idx]])[0]",
    ).replace('df_test_preds = read_parquet_files("lgb_preds.parquet")', 'model = load("m.pkl")')
    found = findings(tmp_path / "model", ["TF1201", "TF1202"], files)
    assert sorted(f.code for f in found) == ["TF1201", "TF1202"]


# --------------------------------------------------------------------------- TF701

_LAMBDA = """import os

import mlflow
import pandas as pd

RUN_ID = os.getenv("RUN_ID")
pred_s3_location = f"s3://{os.getenv('S3_BUCKET_NAME')}/1/{RUN_ID}/artifacts/predictions/lgb_preds.parquet"
path = mlflow.artifacts.download_artifacts(artifact_uri=pred_s3_location, dst_path="./")
df_test_preds = pd.read_parquet(path)


def lambda_handler(event, context=None) -> dict:
    return {"unit_sales": float(df_test_preds.iloc[0]["unit_sales"])}
"""


def test_tf701_an_aws_lambda_handlers_init_code(tmp_path: Path) -> None:
    # grocery-sales' three Lambda functions download the predictions artifact at module
    # level: Lambda's init phase, once per cold start, where AWS loads what every
    # invocation needs (judged NOISE three times). The same download in a web service's
    # module, imported by every worker, is reported.
    files = {"infrastructure/lambda_function.py": _LAMBDA}
    assert findings(tmp_path / "lambda", "TF701", files) == []
    files["infrastructure/lambda_function.py"] = _LAMBDA.replace(
        "def lambda_handler(event, context=None) -> dict:",
        "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.post('/predict')\ndef serve() -> dict:",
    )
    [finding] = findings(tmp_path / "service", "TF701", files)
    assert finding.line == 8


# --------------------------------------------------------------------------- TF301

_KIBANA_SCRIPT = """apiVersion: v1
kind: ConfigMap
metadata:
  name: kibana-helm-scripts
data:
  manage-es-token.js: |
    const secretData = JSON.stringify({
      "kind": "Secret",
      "data": {
        "token": base64Token,
      }
    })
"""


def test_tf301_a_variable_in_a_script_a_yaml_block_embeds(tmp_path: Path) -> None:
    # Elastic's Kibana chart builds a Kubernetes Secret in a Node script kept in a
    # ConfigMap: `"token": base64Token,` names the variable holding the token fetched at
    # run time (judged FALSE). A literal token in the same place is reported.
    files = {"k8s/kibana/templates/configmap-helm-scripts.yaml": _KIBANA_SCRIPT}
    assert findings(tmp_path / "variable", "TF301", files) == []
    files["k8s/kibana/templates/configmap-helm-scripts.yaml"] = _KIBANA_SCRIPT.replace(
        "base64Token,", '"dGhpc0lzQVRva2VuOXhRMnA3",'
    )
    [finding] = findings(tmp_path / "literal", "TF301", files)
    assert finding.line == 10


# --------------------------------------------------------------------------- TF902

_BENTO_JOB = '''"""Kubernetes Job: build a Bento and upload it."""

import subprocess


def sh(cmd, cwd=None):
    print("+", cmd, flush=True)
    subprocess.check_call(cmd, shell=True, cwd=cwd)


def main():
    sh("bentoml build --version v1")
    # In your code: svc = bentoml.Service("credit_risk_scoring")
    import bentoml

    bento = bentoml.get("credit_risk_scoring:v1")
    print("DONE:", bento.path)


if __name__ == "__main__":
    main()
'''


def test_tf902_a_job_that_builds_a_bento(tmp_path: Path) -> None:
    # credit-risk-ml-system's bento builder is a one-shot Kubernetes Job: a comment
    # naming `bentoml.Service(...)` made it "a web service module" (judged FALSE); its
    # prints are the job's output. A module that defines the service is one.
    files = {
        "pyproject.toml": '[project]\nname = "scoring"\nversion = "0.1.0"\ndependencies = ["bentoml==1.3.5"]\n',
        "platform/bento-builder/build_and_upload.py": _BENTO_JOB,
    }
    assert findings(tmp_path / "job", "TF902", files) == []
    files["platform/bento-builder/build_and_upload.py"] = _BENTO_JOB.replace(
        '    # In your code: svc = bentoml.Service("credit_risk_scoring")\n    import bentoml\n',
        '    import bentoml\n\n    svc = bentoml.Service("credit_risk_scoring")\n',
    )
    [finding] = findings(tmp_path / "service", "TF902", files)
    assert "web service module" in finding.message


# --------------------------------------------------------------------------- TF206

_KFP_PIPELINE = """from kfp import dsl
from kfp.dsl import component


@component(
    base_image="rayproject/ray:2.31.0-py39",
    packages_to_install=["xgboost==2.1.1"],
)
def ray_tune(n_trials: int) -> str:
    import ray
    from xgboost import XGBClassifier

    ray.init()
    return str(XGBClassifier(n_estimators=n_trials))


@dsl.pipeline(name="train")
def train():
    ray_tune(n_trials=4)
"""


def test_tf206_a_kubeflow_component_run_in_rays_image(tmp_path: Path) -> None:
    # credit-risk-ml-system's Ray Tune component runs on `rayproject/ray`, which ships
    # Ray: its `import ray` needs no manifest (judged FALSE). The same component on a bare
    # Python image is reported.
    files = {
        "requirements.txt": "kfp==2.9.0\n",
        "pipelines/pipeline.py": _KFP_PIPELINE,
    }
    assert findings(tmp_path / "ray", "TF206", files) == []
    files["pipelines/pipeline.py"] = _KFP_PIPELINE.replace(
        "rayproject/ray:2.31.0-py39", "python:3.11-slim"
    )
    [finding] = findings(tmp_path / "python", "TF206", files)
    assert "`ray`" in finding.message


_KFP_COMPONENTS = """from kfp import dsl
from kfp.dsl import component


@component(base_image="python:3.11-slim", packages_to_install=["boto3==1.40.26"])
def fetch_snapshot(bucket: str) -> str:
    import boto3

    print(f"fetching {bucket}")
    objects = boto3.client("s3").list_objects_v2(Bucket=bucket)
    print(f"found {objects['KeyCount']} objects")
    return bucket


@dsl.pipeline(name="train")
def train(bucket: str):
    fetch_snapshot(bucket=bucket)
"""


def test_tf902_prints_of_a_kubeflow_component(tmp_path: Path) -> None:
    # credit-risk-ml-system's training pipeline: each `@component` runs alone in its pod
    # and KFP keeps its stdout as the step's log (judged NOISE). The same prints in a
    # plain pipeline module are reported.
    files = {
        "requirements.txt": "kfp==2.9.0\nboto3==1.40.26\n",
        "src/pipelines/__init__.py": "",
        "src/pipelines/train.py": _KFP_COMPONENTS,
    }
    assert findings(tmp_path / "component", "TF902", files) == []
    files["src/pipelines/train.py"] = _KFP_COMPONENTS.replace(
        '@component(base_image="python:3.11-slim", packages_to_install=["boto3==1.40.26"])\n', ""
    )
    [finding] = findings(tmp_path / "plain", "TF902", files)
    assert finding.path == "src/pipelines/train.py"


# ------------------------------------------------------- recall from set H's missed lists

#: A Hugging Face token as the Hub issues them: `hf_` and 34 letters, here without a digit.
_HF_LETTERS = "hf_" + "yQfKxWbRtLmPzAnVcDsEgHjUoIeYrTqBnMx"[:34]


def test_tf301_a_hugging_face_token_of_letters_only(tmp_path: Path) -> None:
    # llm-finetuning's `format_triviaqa.py` kept `HF_TOKEN = ("hf_yffy...",)`: 34 letters,
    # no digit, the Hub's own format (gitleaks: `hf_(?i:[a-z]{34})`), which a digit
    # requirement missed. A class name with the prefix is no token, nor a lower-case run.
    assert len(_HF_LETTERS) == 37
    files = {"grpo/format_triviaqa.py": f'HF_TOKEN = ("{_HF_LETTERS}",)\n'}
    [finding] = findings(tmp_path / "token", "TF301", files)
    assert finding.severity.value == "error"
    files = {
        "grpo/format_triviaqa.py": (
            'TRAINER = "hf_ModelForSequenceClassificationWithValueHead"\n'
            'CACHE = "hf_abcdefghijklmnopqrstuvwxyzabcdefgh"\n'
        )
    }
    assert findings(tmp_path / "names", "TF301", files) == []


def test_tf301_a_vector_stores_token_in_a_config_file(tmp_path: Path) -> None:
    # The same repository's Milvus indexing config: `milvus_token` (Zilliz Cloud's API
    # key) beside its endpoint. A `milvus_token_file` path is not one.
    token = "a57d46f0c1e9b8d7" * 6
    files = {
        "medqa/indexing_config.yaml": (
            'milvus_uri: "https://in03-43d4c9.serverless.aws-eu-central-1.cloud.zilliz.com"\n'
            f'milvus_token: "{token}"\n'
        )
    }
    [finding] = findings(tmp_path / "token", "TF301", files)
    assert "milvus_token" in finding.message and token not in finding.message
    files["medqa/indexing_config.yaml"] = 'milvus_token_file: "/run/secrets/milvus"\n'
    assert findings(tmp_path / "file", "TF301", files) == []


# --------------------------------------------------------------------------- set H


def test_roles_numbered_example_folders() -> None:
    # ray-model-serving's `src/example_2/`... `src/example_7/`: one example each, run by
    # hand against localhost (TF901 and TF301 there judged NOISE). `examples.py` and a
    # folder named `example_data` are not.
    from twelvefold.project.roles import EXAMPLE, PACKAGE, role_from_path

    assert role_from_path("src/example_2/app.py", "python") == EXAMPLE
    assert role_from_path("src/example-10/auth.py", "python") == EXAMPLE
    assert role_from_path("src/example_data/load.py", "python") == PACKAGE
    assert role_from_path("src/examples.py", "python") == PACKAGE


def test_tf206_packages_a_ray_runtime_environment_installs(tmp_path: Path) -> None:
    # The Ray Serve deployments pin their own packages per replica:
    # `"runtime_env": {"pip": ["lightgbm==4.0.0", "scikit-learn==1.3.1"]}` (judged FALSE
    # twice). An import no runtime environment lists is reported.
    app = (
        "from ray import serve\n\n\n"
        '@serve.deployment(ray_actor_options={"runtime_env": {"pip": ["lightgbm==4.0.0", "scikit-learn==1.3.1"]}})\n'
        "class Model:\n"
        "    def __init__(self):\n"
        "        import lightgbm\n"
        "        from sklearn.datasets import load_iris\n\n"
        "        self.model = lightgbm.LGBMClassifier().fit(*load_iris(return_X_y=True))\n"
    )
    files = {"requirements.txt": "ray[serve]==2.7.0\n", "src/app.py": app}
    assert findings(tmp_path / "runtime", "TF206", files) == []
    files["src/app.py"] = app.replace('"lightgbm==4.0.0", ', "")
    [finding] = findings(tmp_path / "missing", "TF206", files)
    assert "`lightgbm`" in finding.message


def test_tf301_djangos_self_labelled_insecure_key(tmp_path: Path) -> None:
    # `SECRET_KEY = 'django-insecure-...'` under Django's "unsuitable for production"
    # comment: startproject's development key, labelled as such (judged NOISE). Another
    # key there is reported.
    settings = "SECRET_KEY = 'django-insecure-8x!w2k9zp0q3r5t7yu4v6b1n'\nDEBUG = True\n"
    files = {"site/settings.py": settings}
    assert findings(tmp_path / "insecure", "TF301", files) == []
    files["site/settings.py"] = settings.replace("django-insecure-", "Kq7")
    assert len(findings(tmp_path / "real", "TF301", files)) == 1


def test_tf701_a_training_script_that_saves_its_model(tmp_path: Path) -> None:
    # llm-finetuning's `zephyr_7b_ppo_ultrafeedback.py`: model and dataset loaded at the
    # top, a PPO loop, `model.save_pretrained(...)` at the end: a script run by hand,
    # nothing imports it (3 TF701 judged FALSE). A module that only loads is reported.
    script = (
        "from datasets import load_dataset\n"
        "from transformers import AutoModelForCausalLM\n\n"
        'model = AutoModelForCausalLM.from_pretrained("HuggingFaceH4/zephyr-7b-beta")\n'
        'dataset = load_dataset("openbmb/UltraFeedback", split="train")\n\n\n'
        "def step(batch):\n    return batch\n\n\n"
        "for batch in dataset:\n    step(batch)\n\n"
        'model.save_pretrained("zephyr-ppo-ultrafeedback")\n'
    )
    files = {"src/llm_finetuning/ppo/zephyr_ppo.py": script}
    assert findings(tmp_path / "script", "TF701", files) == []
    files["src/llm_finetuning/ppo/zephyr_ppo.py"] = script.replace(
        'model.save_pretrained("zephyr-ppo-ultrafeedback")\n', ""
    )
    assert len(findings(tmp_path / "module", "TF701", files)) == 2


def test_tf306_notebooks_that_prototype_the_packages_training(tmp_path: Path) -> None:
    # credit-risk-ml-system's `notebook/01_baseline_modeling.ipynb` compares candidate
    # models whose settings the pipeline module fixes again (17 notebook findings judged
    # NOISE or FALSE): the finding belongs in the module that runs. A notebook is
    # reported when no module of the package is.
    train = (
        "from sklearn.ensemble import RandomForestClassifier\n\n\n"
        "def train(X, y):\n"
        "    return RandomForestClassifier(n_estimators=500, max_depth=8).fit(X, y)\n"
    )
    cell = (
        "from sklearn.ensemble import GradientBoostingClassifier\n"
        "model = GradientBoostingClassifier(n_estimators=300, learning_rate=0.05)\n"
        "model.fit(X, y)"
    )
    files = {
        "pyproject.toml": '[project]\nname = "credit"\nversion = "0.1.0"\n',
        "src/credit/__init__.py": "",
        "src/credit/train.py": train,
        "notebook/01_baseline_modeling.ipynb": notebook(cell),
    }
    found = findings(tmp_path / "prototype", "TF306", files)
    assert [f.path for f in found] == ["src/credit/train.py"]
    files["src/credit/train.py"] = "def train(model, X, y):\n    return model.fit(X, y)\n"
    found = findings(tmp_path / "alone", "TF306", files)
    assert [f.path for f in found] == ["notebook/01_baseline_modeling.ipynb"]


def test_tf1003_a_notebook_that_prototypes_an_orchestrated_script(tmp_path: Path) -> None:
    # churn-prediction-system's `model/Model.ipynb` tried the training that Airflow now
    # runs from `dags/scripts/model_trainer.py`, reported too (the notebook's finding
    # judged NOISE): one cause, reported in the code that runs. Alone, the notebook is
    # reported.
    trainer = (
        "from sklearn.ensemble import RandomForestClassifier\n\n\n"
        "def train(X, y):\n    return RandomForestClassifier(n_estimators=200).fit(X, y)\n"
    )
    cell = (
        "from sklearn.ensemble import RandomForestClassifier\n"
        "model = RandomForestClassifier(n_estimators=200)\nmodel.fit(X, y)"
    )
    files = {
        "requirements.txt": "scikit-learn==1.5.2\napache-airflow==2.10.2\n",
        "system/airflow/dags/training_dag.py": "from airflow import DAG\n",
        "system/airflow/dags/scripts/model_trainer.py": trainer,
        "model/Model.ipynb": notebook(cell),
    }
    found = findings(tmp_path / "script", "TF1003", files)
    assert [f.path for f in found] == ["system/airflow/dags/scripts/model_trainer.py"]
    del files["system/airflow/dags/scripts/model_trainer.py"]
    found = findings(tmp_path / "alone", "TF1003", files)
    assert [f.path for f in found] == ["model/Model.ipynb"]


def test_tf303_paths_a_main_block_assigns_and_nothing_reads(tmp_path: Path) -> None:
    # The group project's bias module: its main block assigns six split paths under
    # `/Users/akm/` and every line that used them is commented out (judged NOISE six
    # times): nothing runs with them. Read by the main block, or by a function that
    # reads the global, they are reported; so is a module-level constant.
    module = (
        "def load_splits(x_train_path):\n"
        "    return open(x_train_path).read()\n\n\n"
        'if __name__ == "__main__":\n'
        "    X_train_path = '/Users/akm/Desktop/mlops-project/experiments/X_train_split.csv'\n"
        "    # X_train = load_splits(X_train_path)\n"
    )
    files = {"dags/src/model_bias.py": module}
    assert findings(tmp_path / "unread", "TF303", files) == []
    files["dags/src/model_bias.py"] = module.replace("    # X_train =", "    X_train =")
    assert len(findings(tmp_path / "read", "TF303", files)) == 1
    files["dags/src/model_bias.py"] = module.replace(
        "    return open(x_train_path).read()", "    return open(X_train_path).read()"
    )
    assert len(findings(tmp_path / "global", "TF303", files)) == 1
    files["dags/src/model_bias.py"] = "DATA = '/Users/akm/Desktop/data.csv'\n"
    assert len(findings(tmp_path / "constant", "TF303", files)) == 1
