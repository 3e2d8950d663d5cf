"""Factor 4 rules: hard-coded service endpoints and hard-coded data paths."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, notebook

# ------------------------------------------------------------------- TF401 service endpoints


TRAIN_WITH_TRACKING = '''"""Train the churn model and log it to the team's MLflow."""
import mlflow
import redis
from sqlalchemy import create_engine

mlflow.set_tracking_uri("http://10.0.0.5:5000")
engine = create_engine("postgresql://ml@db-prod.internal:5432/features")
cache = redis.Redis(host="10.1.2.3", port=6379)


def load_features():
    return engine.execute("select * from features")
'''


def test_tracking_server_database_and_redis_in_a_training_script_are_reported(
    tmp_path: Path,
) -> None:
    found = findings(tmp_path, "TF401", {"train.py": TRAIN_WITH_TRACKING})
    assert [(f.line, f.severity.value) for f in found] == [
        (6, "warning"),
        (7, "warning"),
        (8, "warning"),
    ]
    assert "`mlflow.set_tracking_uri()` connects to a private IP `10.0.0.5`" in found[0].message
    assert "an internal host `db-prod.internal` (postgresql)" in found[1].message
    assert "`redis.Redis()` connects to a private IP `10.1.2.3`" in found[2].message


def test_buckets_constants_and_internal_http_calls_are_reported(tmp_path: Path) -> None:
    module = (
        "import boto3, requests\n"
        "import pandas as pd\n"
        "MLFLOW_TRACKING_URI = 'https://mlflow.acme-corp.com'\n"
        "DB_HOST = '172.16.4.20'\n"
        "def score(run_id, rows):\n"
        "    model_uri = f's3://acme-ml-models/churn/{run_id}/model.pkl'\n"
        "    features = pd.read_parquet('gs://acme-features/daily/latest.parquet')\n"
        "    return requests.post('http://scoring-svc.default.svc.cluster.local/predict', json=rows)\n"
    )
    found = findings(tmp_path, "TF401", {"src/churn/pipeline.py": module})
    assert [f.line for f in found] == [3, 4, 6, 7, 8]
    assert "`MLFLOW_TRACKING_URI` hard-codes a host `mlflow.acme-corp.com`" in found[0].message
    assert "`DB_HOST` hard-codes a private IP `172.16.4.20`" in found[1].message
    assert "the bucket `s3://acme-ml-models` is hard-coded" in found[2].message
    assert "the bucket `gs://acme-features`" in found[3].message
    assert "`requests.post()` connects to an internal host" in found[4].message


def test_notebook_pointed_at_the_production_database_reports_the_cell(tmp_path: Path) -> None:
    nb = notebook(
        "import pandas as pd",
        "from sqlalchemy import create_engine\nengine = create_engine('mysql+pymysql://analyst@10.20.0.7/sales')",
    )
    [finding] = findings(tmp_path, "TF401", {"analysis.ipynb": nb})
    assert (finding.cell, finding.cell_line) == (1, 2) and "10.20.0.7" in finding.message


def test_env_overrides_localhost_docs_tests_and_public_urls_are_fine(tmp_path: Path) -> None:
    module = '''"""Serve the model.

Set MLFLOW_TRACKING_URI, e.g. http://10.0.0.5:5000 or s3://acme-ml-models/.
"""
import os
import mlflow
import redis
import requests
import pandas as pd
from pydantic_settings import BaseSettings
from sklearn.datasets import fetch_openml

DOCS_URL = "https://mlflow.org/docs/latest/tracking.html"
DATA_URL = "https://archive.ics.uci.edu/ml/machine-learning-databases/iris/iris.data"
HOST = "0.0.0.0"


class Settings(BaseSettings):
    database_url: str = "postgresql://app@db:5432/app"
    artifact_bucket: str = "s3://acme-dev-artifacts"


mlflow.set_tracking_uri(os.getenv("MLFLOW_TRACKING_URI", "http://localhost:5000"))
mlflow.set_tracking_uri("file:./mlruns")
mlflow.set_tracking_uri("databricks")
cache = redis.Redis(host=os.environ.get("REDIS_HOST", "localhost"))
local = redis.Redis(host="127.0.0.1")
iris = pd.read_csv(DATA_URL)
readme = requests.get("https://raw.githubusercontent.com/mlflow/mlflow/master/README.md")


def export(bucket: str = "s3://acme-default-bucket") -> None:
    # upload to s3://acme-ml-models/exports when run in prod
    print(f"s3://{bucket}/export")
'''
    test = 'ENGINE = "postgresql://test@10.0.0.9/test"\ndef test_x():\n    assert ENGINE\n'
    files = {"src/churn/serve.py": module, "tests/test_serve.py": test}
    assert findings(tmp_path, "TF401", files) == []


# ------------------------------------------------------------------- TF402 hard-coded data paths


def test_research_script_reading_fixed_paths_is_reported(tmp_path: Path) -> None:
    script = (
        "import joblib\n"
        "import pandas as pd\n"
        "from pathlib import Path\n"
        "TRAIN_PATH = 'data/processed/train_v3.csv'\n"
        "\n"
        "def main():\n"
        "    train = pd.read_csv(TRAIN_PATH)\n"
        "    test = pd.read_parquet(Path('data') / 'processed' / 'test.parquet')\n"
        "    model = joblib.load('models/churn.joblib')\n"
        "    return model.score(test.drop(columns='y'), test.y)\n"
    )
    found = findings(tmp_path, "TF402", {"train.py": script})
    assert [(f.line, f.severity.value) for f in found] == [
        (7, "warning"),
        (8, "warning"),
        (9, "warning"),
    ]
    assert (
        found[0].message
        == "`pd.read_csv()` reads `data/processed/train_v3.csv` (via `TRAIN_PATH`), a path written in the code"
    )
    assert (
        "`data/processed/test.parquet`" in found[1].message
        and "`joblib.load()`" in found[2].message
    )


def test_torch_and_numpy_loads_in_a_package_are_reported(tmp_path: Path) -> None:
    module = "import numpy as np\nimport torch\nEMB = np.load('/mnt/shared/embeddings.npy')\nstate = torch.load(f='checkpoints/best.pt')\n"
    found = findings(tmp_path, "TF402", {"src/ranker/model.py": module})
    assert [f.line for f in found] == [3, 4]


def test_a_home_folder_path_read_in_place_is_one_tf303_finding_not_two(tmp_path: Path) -> None:
    script = (
        "import joblib\n"
        "import pandas as pd\n"
        "from pathlib import Path\n"
        "df = pd.read_csv('/home/alice/churn/data/train.csv')\n"
        "model = joblib.load(\n"
        "    Path('/Users/bob/models/') / 'churn.joblib',\n"
        ")\n"
    )
    found = findings(tmp_path, ["TF303", "TF402"], {"train.py": script})
    assert [(f.code, f.line) for f in found] == [("TF303", 4), ("TF303", 6)]


def test_tf402_still_reports_other_paths_next_to_a_home_folder_path(tmp_path: Path) -> None:
    script = (
        "import pandas as pd\n"
        "RAW = '/home/alice/churn/raw.csv'\n"
        "df = pd.read_csv(RAW)\n"
        "test = pd.read_csv('data/test.csv')\n"
    )
    found = findings(tmp_path, ["TF303", "TF402"], {"train.py": script})
    # The constant's line is TF303's; the read two lines below, via the constant, and the
    # relative path are TF402's: different lines, different fixes.
    assert [(f.code, f.line) for f in found] == [("TF303", 2), ("TF402", 3), ("TF402", 4)]


def test_configured_package_relative_urls_and_notebook_paths_are_fine(tmp_path: Path) -> None:
    module = (
        "import argparse, os\n"
        "from pathlib import Path\n"
        "import joblib\n"
        "import pandas as pd\n"
        "from churn.config import settings\n"
        "SCHEMA = Path(__file__).parent / 'schema.parquet'\n"
        "def load(path: str = 'data/train.csv'):\n"
        "    return pd.read_csv(path)\n"
        "def main():\n"
        "    parser = argparse.ArgumentParser()\n"
        "    parser.add_argument('--train', default='data/train.csv')\n"
        "    args = parser.parse_args()\n"
        "    df = pd.read_csv(args.train)\n"
        "    model = joblib.load(settings.model_dir / 'model.joblib')\n"
        "    ref = pd.read_parquet(SCHEMA)\n"
        "    other = pd.read_csv(os.environ['EVAL_DATA'])\n"
        "    iris = pd.read_csv('https://raw.githubusercontent.com/mwaskom/seaborn-data/master/iris.csv')\n"
        "    return df, model, ref, other, iris\n"
    )
    files = {
        "src/churn/train.py": module,
        "notebooks/eda.ipynb": notebook(
            "import pandas as pd\ndf = pd.read_csv('../input/titanic/train.csv')"
        ),
        "tests/test_train.py": "import pandas as pd\ndef test_x():\n    pd.read_csv('tests/data/sample.csv')\n",
        "examples/quickstart.py": "import pandas as pd\npd.read_csv('data/iris.csv')\n",
    }
    assert findings(tmp_path, "TF402", files) == []


def test_dvc_stage_paths_and_scratch_files_are_fine_but_undeclared_paths_are_not(
    tmp_path: Path,
) -> None:
    dvc_yaml = (
        "stages:\n"
        "  featurize:\n"
        "    cmd: python -m forecast.featurize\n"
        "    deps:\n      - data/raw/sales.csv\n"
        "    outs:\n      - data/features.parquet\n"
    )
    featurize = (
        "import boto3, joblib\n"
        "import pandas as pd\n"
        "def main():\n"
        "    sales = pd.read_csv('data/raw/sales.csv', parse_dates=['week'])\n"
        "    boto3.client('s3').download_file('models', 'm.joblib', '/tmp/model.joblib')\n"
        "    model = joblib.load('/tmp/model.joblib')\n"
        "    holidays = pd.read_csv('data/raw/holidays.csv')\n"
        "    return sales, model, holidays\n"
    )
    files = {"dvc.yaml": dvc_yaml, "src/forecast/featurize.py": featurize}
    [finding] = findings(tmp_path, "TF402", files)
    assert finding.line == 7 and "`data/raw/holidays.csv`" in finding.message


def test_boto3_bucket_names_are_reported_unless_configured(tmp_path: Path) -> None:
    module = (
        "import boto3\n"
        "from churn.config import settings\n"
        "s3 = boto3.client('s3')\n"
        "def fetch_model():\n"
        "    s3.download_file('acme-ml-models', 'churn/model.joblib', 'model.joblib')\n"
        "    s3.put_object(Bucket='acme-predictions', Key='latest.json', Body=b'{}')\n"
        "    s3.download_file(settings.model_bucket, 'churn/model.joblib', 'model.joblib')\n"
        "    s3.upload_file('report.html', settings.report_bucket, 'report.html')\n"
    )
    found = findings(tmp_path, "TF401", {"src/churn/storage.py": module})
    assert [f.line for f in found] == [5, 6]
    assert "uses the bucket `acme-ml-models`" in found[0].message
    assert "uses the bucket `acme-predictions`" in found[1].message


def test_names_of_keys_and_env_vars_in_host_named_constants_are_not_hosts(
    tmp_path: Path,
) -> None:
    # Look-alikes from mlflow and bentoml: constants whose name mentions a server or host
    # but whose value is an environment variable name, a dict key or a process name.
    module = (
        "FLASK_SERVER_SECRET_KEY_ENV_VAR = 'MLFLOW_FLASK_SERVER_SECRET_KEY'\n"
        "MLFLOW_SERVER_JOB_ID_ENV_VAR = '_MLFLOW_SERVER_JOB_ID'\n"
        "SERVER_INFO_STORE_TYPE = 'store_type'\n"
        "API_SERVER_NAME = '_bento_api_server'\n"
        "API_SERVER = 'api_server'\n"
        "HOST = 'host'\n"
        "DB_HOST = 'db-prod'\n"
        "KAFKA_BROKERS = 'kafka-1.internal:9092'\n"
    )
    found = findings(tmp_path, "TF401", {"src/churn/constants.py": module})
    assert [f.line for f in found] == [7, 8]
    assert "`DB_HOST` hard-codes an internal host `db-prod`" in found[0].message


def test_default_constant_also_used_directly_and_plain_buckets_are_still_reported(
    tmp_path: Path,
) -> None:
    # The look-alike (tests/rules/test_real_lookalikes_f3_f4_f10.py) reads the bucket only
    # as the default of os.getenv; here the same constant is also used as it is.
    module = (
        "import os\n"
        "import pandas as pd\n"
        "_DEFAULT_BUCKET = 's3://acme-datasets'\n"
        "DATA_BUCKET = os.getenv('DATA_BUCKET', _DEFAULT_BUCKET)\n"
        "ARCHIVE = 's3://acme-archive/2024'\n"
        "def load():\n"
        "    train = pd.read_parquet(f'{_DEFAULT_BUCKET}/train.parquet')\n"
        "    return train, pd.read_parquet(ARCHIVE + '/old.parquet')\n"
    )
    found = findings(tmp_path, "TF401", {"src/acme/storage.py": module})
    assert [f.line for f in found] == [3, 5]
    assert "the bucket `s3://acme-datasets`" in found[0].message


def test_regex_module_still_reports_real_endpoints(tmp_path: Path) -> None:
    module = (
        "import re\n"
        "import requests\n"
        "PAPER_URL = re.compile(r'https://(?:huggingface\\.co/papers/|arxiv\\.org/abs/)(\\S+)')\n"
        "REDIS_URL = 'redis://cache.internal:6379/0'\n"
        "def score(rows):\n"
        "    return requests.post('http://10.0.0.5:8080/predict', json=rows)\n"
    )
    found = findings(tmp_path, "TF401", {"src/papers/service.py": module})
    assert [f.line for f in found] == [4, 6]
    assert "an internal host `cache.internal` (redis)" in found[0].message


def test_do_not_track_excuses_only_public_telemetry_urls(tmp_path: Path) -> None:
    module = (
        "import os\n"
        "ACME_DO_NOT_TRACK = 'ACME_DO_NOT_TRACK'\n"
        "USAGE_TRACKING_URL = 'https://t.acme-ml.com'\n"
        "MLFLOW_TRACKING_URI = 'http://10.0.0.5:5000'\n"
        "DATABASE_URL = 'postgresql://usage@db-prod.internal/usage'\n"
    )
    found = findings(tmp_path, "TF401", {"src/acme/_analytics.py": module})
    assert [f.line for f in found] == [4, 5]


def test_data_paths_next_to_a_config_folder_are_still_reported(tmp_path: Path) -> None:
    # Look-alike: the same reads in `configs/`, `config.py`, `settings.py`... are not reported.
    reads = "import pandas as pd\nLABELS = pd.read_csv('data/imagenet/labels.csv')\n"
    files = {
        "src/vision/configs/__init__.py": "",
        "src/vision/data.py": reads,
        "src/vision/reconfigure.py": reads,
    }
    found = findings(tmp_path, "TF402", files)
    assert [f.path for f in found] == ["src/vision/data.py", "src/vision/reconfigure.py"]


def test_tf402_training_notebook_beside_the_package_is_a_pipeline_step(tmp_path: Path) -> None:
    cells = notebook(
        "import pandas as pd\nfrom sklearn.linear_model import Ridge\n\n"
        "train = pd.read_csv('../input/train.csv')\n"
        "model = Ridge(alpha=1.0)\nmodel.fit(train[['x']], train['y'])"
    )
    eda = notebook("import pandas as pd\n\npd.read_csv('../input/train.csv').describe()")
    files = {"src/app/__init__.py": "", "notebooks/train.ipynb": cells, "notebooks/eda.ipynb": eda}
    [finding] = findings(tmp_path, "TF402", files)
    assert (finding.path, finding.cell, finding.cell_line) == ("notebooks/train.ipynb", 0, 4)
    assert "`../input/train.csv`" in finding.message
    # a notebook-only repository (a Kaggle solution): the notebooks are the exploration
    assert findings(tmp_path / "kaggle", "TF402", {"train.ipynb": cells}) == []


_LOADERS = (
    "import os\nimport pickle\n\nimport pandas as pd\n\n\n"
    "def load_data(path):\n    return pd.read_csv(path)\n\n\n"
    "def load_object(file_path):\n"
    "    with open(file_path, 'rb') as file_obj:\n        return pickle.load(file_obj)\n"
)


def test_tf402_data_read_through_a_project_helper_is_reported_at_the_call(
    tmp_path: Path,
) -> None:
    # Issue 15, class 14 (loading): the helper reads whatever path it is given; the
    # fixed path is in the caller.
    files = {
        "src/__init__.py": "",
        "src/utils.py": _LOADERS,
        "src/pipeline/__init__.py": "",
        "src/pipeline/predict.py": (
            "import os\n\nfrom src.utils import load_object\n\n\n"
            "def predict(features):\n"
            "    model = load_object(file_path=os.path.join('artifacts', 'model.pkl'))\n"
            "    return model.predict(features)\n"
        ),
        "src/train.py": (
            "from . import utils\n\n\n"
            "def main():\n    frame = utils.load_data('data/train.csv')\n    return frame\n"
        ),
    }
    found = findings(tmp_path, "TF402", files)
    assert [(f.path, f.line) for f in found] == [
        ("src/pipeline/predict.py", 7),
        ("src/train.py", 5),
    ]
    assert found[0].message == (
        "`load_object()` reads `artifacts/model.pkl` (through `load_object` in `src/utils.py`), "
        "a path written in the code"
    )
    assert "`utils.load_data()` reads `data/train.csv`" in found[1].message


def test_tf402_helper_look_alikes_are_fine(tmp_path: Path) -> None:
    variants = [
        # the path comes from configuration
        {
            "src/__init__.py": "",
            "src/utils.py": _LOADERS,
            "src/train.py": "from src.utils import load_data\n\nframe = load_data(settings.train_path)\n",
        },
        # the called function writes, not reads; and a library's function of that name
        {
            "src/__init__.py": "",
            "src/utils.py": "import pandas as pd\n\n\ndef export(frame, path):\n    frame.to_csv(path)\n",
            "src/report.py": (
                "from src.utils import export\nfrom datasets import load_data\n\n"
                "export(frame, 'reports/summary.csv')\nload_data('data/train.csv')\n"
            ),
        },
        # a scratch file and a file the module writes first
        {
            "src/__init__.py": "",
            "src/utils.py": _LOADERS,
            "src/cache.py": (
                "from src.utils import load_data\n\n"
                "frame = load_data('/tmp/cache.csv')\n"
                "open('out/local.csv', 'w').write('a,b')\nagain = load_data('out/local.csv')\n"
            ),
        },
    ]
    for index, files in enumerate(variants):
        assert findings(tmp_path / str(index), "TF402", files) == [], files
