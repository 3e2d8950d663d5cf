"""TF401: resources of one deploy named in code, beyond hosts and buckets (issue 15, class 11)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings

WORKER = (
    "import json\n"
    "import boto3\n\n"
    "sqs = boto3.client('sqs')\n"
    "firehose = boto3.client('firehose')\n"
    "table = boto3.resource('dynamodb').Table('predictions')\n\n\n"
    "def publish(prediction: dict) -> None:\n"
    "    queue = sqs.get_queue_url(QueueName='churn-scores-prod')['QueueUrl']\n"
    "    sqs.send_message(QueueUrl=queue, MessageBody=json.dumps(prediction))\n"
    "    firehose.put_record(DeliveryStreamName='scores-stream', Record={'Data': b'x'})\n"
)
WAREHOUSE = (
    "from google.cloud import bigquery, pubsub_v1\n\n"
    "client = bigquery.Client()\n"
    "publisher = pubsub_v1.PublisherClient()\n"
    "TOPIC = publisher.topic_path('acme-prod', 'churn-scores')\n\n\n"
    "def load_training_frame():\n"
    "    sql = 'SELECT * FROM `acme-prod.sales.orders` WHERE day > @day'\n"
    "    return client.query(\n"
    "        'SELECT * FROM `acme-prod.sales.orders` WHERE day > @day'\n"
    "    ).to_dataframe()\n\n\n"
    "def save(frame):\n"
    "    client.load_table_from_dataframe(frame, 'acme-prod.ml.churn_scores').result()\n"
)
TRAIN = (
    "import wandb\n"
    "from pytorch_lightning.loggers import WandbLogger\n\n"
    "logger = WandbLogger(project='churn', entity='alice')\n"
    "run = wandb.init(project='churn', entity='ml-team')\n"
)


def test_queue_stream_table_topic_and_tracker_account_in_code_are_reported(tmp_path: Path) -> None:
    files = {
        "src/churn/__init__.py": "",
        "src/churn/worker.py": WORKER,
        "src/churn/warehouse.py": WAREHOUSE,
        "src/churn/train.py": TRAIN,
    }
    found = [
        (f.path, f.line, f.message.split(" written")[0]) for f in findings(tmp_path, "TF401", files)
    ]
    assert found == [
        (
            "src/churn/train.py",
            4,
            "`pytorch_lightning.loggers.WandbLogger()` uses the W&B entity (account) `alice`",
        ),
        ("src/churn/train.py", 5, "`wandb.init()` uses the W&B entity (account) `ml-team`"),
        (
            "src/churn/warehouse.py",
            5,
            "`publisher.topic_path()` uses the Pub/Sub topic `acme-prod/churn-scores`",
        ),
        (
            "src/churn/warehouse.py",
            11,
            "`client.query()` uses the BigQuery table `acme-prod.sales.orders`",
        ),
        (
            "src/churn/warehouse.py",
            16,
            "`client.load_table_from_dataframe()` uses the BigQuery table `acme-prod.ml.churn_scores`",
        ),
        ("src/churn/worker.py", 10, "`sqs.get_queue_url()` uses the SQS queue `churn-scores-prod`"),
        (
            "src/churn/worker.py",
            12,
            "`firehose.put_record()` uses the Firehose stream `scores-stream`",
        ),
    ]


def test_resource_names_from_configuration_and_look_alikes_are_fine(tmp_path: Path) -> None:
    worker = (
        "import os\nimport boto3\n\n"
        "sqs = boto3.client('sqs')\n\n\n"
        "def publish(body: str, settings) -> None:\n"
        "    sqs.send_message(QueueUrl=os.environ['SCORES_QUEUE_URL'], MessageBody=body)\n"
        "    boto3.client('firehose').put_record(DeliveryStreamName=settings.stream, Record={})\n"
        "    name = f'{settings.env}-scores'\n"
        "    sqs.get_queue_url(QueueName=name)\n"
    )
    warehouse = (
        "import os\nfrom google.cloud import bigquery\n\n"
        "client = bigquery.Client()\n"
        "TABLE = os.environ['ORDERS_TABLE']\n\n\n"
        "def load():\n"
        "    return client.query(f'SELECT * FROM `{TABLE}`').to_dataframe()\n\n\n"
        "def version():\n"
        "    return client.query('SELECT 1').result()\n"
    )
    other = (
        # no boto3 / bigquery / wandb here: the same keywords mean something else
        "import spacy\nimport pandas as pd\n\n"
        "def rows(db):\n"
        "    db.query('SELECT * FROM sales.orders.v2')\n"
        "    return pd.DataFrame(db.scan(TableName='orders'))\n\n"
        "def tag(doc, init):\n"
        "    return init(entity='PERSON')\n"
    )
    train = (
        "import os\nimport wandb\n\nwandb.init(project='churn', entity=os.getenv('WANDB_ENTITY'))\n"
    )
    files = {
        "src/churn/__init__.py": "",
        "src/churn/worker.py": worker,
        "src/churn/warehouse.py": warehouse,
        "src/churn/other.py": other,
        "src/churn/train.py": train,
        "tests/test_worker.py": "import boto3\n\ndef test_q():\n    boto3.client('sqs').get_queue_url(QueueName='test-queue')\n",
    }
    assert findings(tmp_path, "TF401", files) == []


def test_a_compose_service_address_in_a_module_variable_is_reported(tmp_path: Path) -> None:
    """The streamlit front-end calls the API container by its compose service name."""
    ui = (
        "import requests\nimport streamlit as st\n\n"
        '# interact with the FastAPI endpoint\nbackend = "http://fastapi:8000/segmentation"\n'
        'scorer = "http://10.0.3.7/score"\n\n\n'
        "def process(image, server_url: str):\n"
        "    return requests.post(server_url, data=image, timeout=8)\n"
    )
    found = findings(tmp_path, "TF401", {"streamlit/ui.py": ui})
    assert [(f.line, f.message) for f in found] == [
        (5, "`backend` hard-codes an internal host `fastapi`"),
        (6, "`scorer` hard-codes a private IP `10.0.3.7`"),
    ]


def test_placeholders_local_hosts_and_configured_addresses_are_fine(tmp_path: Path) -> None:
    module = (
        "import os\n\n"
        'EXAMPLE = "http://host:8080/predict"\n'
        'local = "http://localhost:8000/predict"\n'
        'backend = os.getenv("BACKEND_URL", "http://fastapi:8000/segmentation")\n'
        'docs = "http://web/"\n\n\n'
        "def url(port: int = 8000) -> str:\n"
        '    inner = "http://fastapi:8000/segmentation"\n'
        "    return inner\n"
    )
    assert findings(tmp_path, "TF401", {"app/client.py": module}) == []
