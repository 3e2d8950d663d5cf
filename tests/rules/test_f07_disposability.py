"""Factor 7 rules: downloads at import time, shell-form CMD, server loops without SIGTERM."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, notebook

# ------------------------------------------------------------------- TF701 download at import

FASTAPI_SENTIMENT = '''"""Sentiment API."""
from fastapi import FastAPI
from transformers import AutoModelForSequenceClassification, AutoTokenizer

MODEL_ID = "distilbert-base-uncased-finetuned-sst-2-english"
tokenizer = AutoTokenizer.from_pretrained(MODEL_ID)
model = AutoModelForSequenceClassification.from_pretrained(MODEL_ID)
app = FastAPI()


@app.post("/predict")
def predict(text: str) -> dict:
    return {"label": int(model(**tokenizer(text, return_tensors="pt")).logits.argmax())}
'''


def test_fastapi_module_loading_hub_models_at_import_is_reported(tmp_path: Path) -> None:
    found = findings(tmp_path, "TF701", {"app/main.py": FASTAPI_SENTIMENT})
    assert [(f.line, f.severity.value) for f in found] == [(6, "warning"), (7, "warning")]
    assert "`AutoTokenizer.from_pretrained(MODEL_ID)` runs at import time" in found[0].message
    assert "distilbert-base-uncased-finetuned-sst-2-english" in found[0].message


def test_module_level_dataset_and_weight_downloads_are_reported(tmp_path: Path) -> None:
    module = (
        "import os\n"
        "import urllib.request\n"
        "from datasets import load_dataset\n"
        "import torchvision\n"
        "from huggingface_hub import hf_hub_download as fetch\n"
        "\n"
        "if not os.path.exists('glove.txt'):\n"
        "    urllib.request.urlretrieve('https://nlp.stanford.edu/data/glove.6B.zip', 'glove.zip')\n"
        "IMDB = load_dataset('imdb')\n"
        "backbone = torchvision.models.resnet50(weights='IMAGENET1K_V2')\n"
        "class Config:\n"
        "    weights = fetch(repo_id='acme/churn-model', filename='model.joblib')\n"
    )
    found = findings(tmp_path, "TF701", {"src/churn/features.py": module})
    assert [f.line for f in found] == [8, 9, 10, 12]
    assert "`imdb` dataset" in found[1].message and "Hugging Face Hub" in found[3].message


def test_object_store_download_at_import_is_reported(tmp_path: Path) -> None:
    module = (
        "import boto3, joblib\n"
        "from app.settings import settings\n"
        "s3 = boto3.client('s3')\n"
        "s3.download_file(settings.bucket, 'churn/model.joblib', '/tmp/model.joblib')\n"
        "model = joblib.load('/tmp/model.joblib')\n"
        "def refresh():\n"
        "    s3.download_file(settings.bucket, 'churn/model.joblib', '/tmp/model.joblib')\n"
    )
    [finding] = findings(tmp_path, "TF701", {"app/main.py": module})
    assert finding.line == 4 and "downloads from object storage" in finding.message


def test_downloads_in_functions_main_blocks_scripts_and_notebooks_are_fine(tmp_path: Path) -> None:
    lazy = (
        "from functools import lru_cache\n"
        "from contextlib import asynccontextmanager\n"
        "from transformers import AutoModel\n"
        "from datasets import load_dataset\n"
        "import requests\n"
        "\n"
        "@lru_cache\n"
        "def get_model():\n"
        "    return AutoModel.from_pretrained('bert-base-uncased')\n"
        "\n"
        "@asynccontextmanager\n"
        "async def lifespan(app):\n"
        "    app.state.model = AutoModel.from_pretrained('bert-base-uncased')\n"
        "    yield\n"
        "\n"
        "LOCAL = AutoModel.from_pretrained('./models/bert')\n"
        "OFFLINE = AutoModel.from_pretrained('bert-base-uncased', local_files_only=True)\n"
        "TRAIN = load_dataset('csv', data_files='data/train.csv')\n"
        "session = requests.Session()\n"
    )
    script = "from transformers import AutoModel\n\nmodel = AutoModel.from_pretrained('gpt2')\n\nif __name__ == '__main__':\n    model.save_pretrained('out')\n"
    files = {
        "src/churn/model.py": lazy,
        "train.py": script,
        "scripts/fetch.py": "from huggingface_hub import snapshot_download\nsnapshot_download('gpt2')\n",
        "download_weights.py": "import torch\nmodel = torch.hub.load('pytorch/vision', 'resnet18')\n",
        "eda.ipynb": notebook("from datasets import load_dataset\nds = load_dataset('imdb')"),
        "tests/conftest.py": "from transformers import AutoModel\nMODEL = AutoModel.from_pretrained('hf-internal-testing/tiny-random-bert')\n",
    }
    assert findings(tmp_path, "TF701", files) == []


# ------------------------------------------------------------------- TF702 shell-form CMD


def test_shell_form_cmd_and_entrypoint_are_reported(tmp_path: Path) -> None:
    dockerfile = (
        "FROM python:3.12-slim AS api\n"
        "CMD uvicorn app.main:app --host 0.0.0.0 --port 8000\n"
        "FROM python:3.12-slim AS worker\n"
        "ENTRYPOINT python -m churn.worker \\\n"
        "    --queue predictions\n"
    )
    found = findings(tmp_path, "TF702", {"Dockerfile": dockerfile})
    assert [f.line for f in found] == [2, 4]
    assert (
        "`CMD uvicorn app.main:app --host 0.0.0.0 --port 8000` is in shell form" in found[0].message
    )
    assert (
        found[0].fix
        == 'Use exec form: `CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]`.'
    )
    assert "--queue predictions" in found[1].message


def test_single_quoted_exec_form_runs_in_a_shell(tmp_path: Path) -> None:
    [finding] = findings(
        tmp_path, "TF702", {"Dockerfile": "FROM python:3.12-slim\nCMD ['python', 'serve.py']\n"}
    )
    assert "not valid JSON" in finding.message


def test_exec_form_exec_prefix_and_builder_stages_are_fine(tmp_path: Path) -> None:
    dockerfile = (
        "FROM python:3.12-slim AS build\n"
        "CMD echo builder stages are never run\n"
        "RUN pip wheel -w /wheels .\n"
        "FROM python:3.12-slim\n"
        "COPY --from=build /wheels /wheels\n"
        "CMD python old.py\n"
        'CMD ["gunicorn", "-k", "uvicorn.workers.UvicornWorker", "app.main:app"]\n'
    )
    assert findings(tmp_path, "TF702", {"Dockerfile": dockerfile}) == []
    exec_shell = "FROM python:3.12-slim\nCMD exec uvicorn app:app --port ${PORT:-8000}\n"
    assert findings(tmp_path / "b", "TF702", {"Dockerfile": exec_shell}) == []


# ------------------------------------------------------------------- TF703 server loop without SIGTERM


QUEUE_WORKER = """import json
import redis
from churn.model import predict

r = redis.Redis.from_url(settings.redis_url)


def main() -> None:
    try:
        while True:
            _, raw = r.blpop("jobs")
            r.rpush("results", json.dumps(predict(json.loads(raw))))
    except KeyboardInterrupt:
        pass
"""


def test_queue_worker_handling_only_ctrl_c_is_reported(tmp_path: Path) -> None:
    [finding] = findings(tmp_path, "TF703", {"worker.py": QUEUE_WORKER})
    assert finding.line == 10 and "`r.blpop()`" in finding.message
    assert "no SIGTERM handler" in finding.message


def test_socket_and_http_server_loops_are_reported(tmp_path: Path) -> None:
    socket_server = (
        "import socket\n"
        "sock = socket.socket()\n"
        "sock.bind(('0.0.0.0', 9000))\n"
        "sock.listen()\n"
        "while True:\n"
        "    conn, _ = sock.accept()\n"
        "    conn.sendall(b'ok')\n"
    )
    http_server = (
        "from http.server import HTTPServer, BaseHTTPRequestHandler\n"
        "class Handler(BaseHTTPRequestHandler):\n"
        "    def do_GET(self):\n"
        "        self.send_response(200)\n"
        "HTTPServer(('', 8080), Handler).serve_forever()\n"
    )
    found = findings(
        tmp_path, "TF703", {"serve_socket.py": socket_server, "serve_http.py": http_server}
    )
    assert [(f.path, f.line) for f in found] == [("serve_http.py", 5), ("serve_socket.py", 5)]
    assert "`serve_forever()`" in found[0].message and "`sock.accept()`" in found[1].message


def test_sigterm_handlers_frameworks_and_training_loops_are_fine(tmp_path: Path) -> None:
    handled = QUEUE_WORKER.replace(
        "def main", "import signal\nsignal.signal(signal.SIGTERM, lambda *_: stop())\n\ndef main"
    )
    asyncio_worker = (
        "import asyncio, signal\n"
        "async def main():\n"
        "    loop = asyncio.get_running_loop()\n"
        "    for sig in (signal.SIGINT, signal.SIGTERM):\n"
        "        loop.add_signal_handler(sig, stop.set)\n"
        "    while True:\n"
        "        msg = await queue.get()\n"
    )
    training = (
        "import subprocess\n"
        "step = 0\n"
        "while True:\n"
        "    loss = train_step(next(batches))\n"
        "    step += 1\n"
        "    if step > 1000:\n"
        "        break\n"
        "proc = subprocess.Popen(['tensorboard'])\n"
        "while True:\n"
        "    if proc.poll() is not None:\n"
        "        break\n"
    )
    uvicorn_app = "import uvicorn\nfrom fastapi import FastAPI\napp = FastAPI()\nif __name__ == '__main__':\n    uvicorn.run(app)\n"
    files = {
        "handled.py": handled,
        "aworker.py": asyncio_worker,
        "train.py": training,
        "serve.py": uvicorn_app,
        "tests/test_worker.py": QUEUE_WORKER,
    }
    assert findings(tmp_path, "TF703", files) == []


def test_thread_draining_an_in_process_queue_is_fine(tmp_path: Path) -> None:
    watcher = (
        "import queue, threading\n"
        "_queue = queue.Queue()\n"
        "def _worker():\n"
        "    while True:\n"
        "        event = _queue.get()\n"
        "        event.handle()\n"
        "threading.Thread(target=_worker, daemon=True).start()\n"
    )
    assert findings(tmp_path, "TF703", {"src/churn/events.py": watcher}) == []


def test_daemon_helpers_and_client_reads_are_fine(tmp_path: Path) -> None:
    # Look-alikes from scikit-learn's callback transport (an accept loop in a daemon
    # thread, closed by its owner), a child process reading its parent's pipe, and a
    # client reading a reply until the peer closes.
    listener = (
        "from multiprocessing.connection import Listener\n"
        "from threading import Thread\n\n"
        "def start(consumer):\n"
        "    listener = Listener(authkey=b'k')\n\n"
        "    def _accept():\n"
        "        while True:\n"
        "            try:\n"
        "                conn = listener.accept()\n"
        "            except OSError:\n"
        "                return\n"
        "            Thread(target=consumer, args=(conn,), daemon=True).start()\n\n"
        "    Thread(target=_accept, daemon=True).start()\n"
        "    return listener.address\n"
    )
    pipe_worker = (
        "import multiprocessing as mp\n\n"
        "def _worker(conn):\n"
        "    while True:\n"
        "        msg = conn.recv()\n"
        "        if msg is None:\n"
        "            break\n"
        "        conn.send(msg)\n\n"
        "def start():\n"
        "    parent, child = mp.Pipe()\n"
        "    mp.Process(target=_worker, args=(child,), daemon=True).start()\n"
        "    return parent\n"
    )
    client = (
        "import socket\n\n"
        "def fetch(host, port):\n"
        "    sock = socket.create_connection((host, port))\n"
        "    chunks = []\n"
        "    while True:\n"
        "        data = sock.recv(4096)\n"
        "        if not data:\n"
        "            break\n"
        "        chunks.append(data)\n"
        "    return b''.join(chunks)\n"
    )
    parser = (
        "def parse_marker(tokenizer):\n"
        "    while True:\n"
        "        tokenizer.consume('WS')\n"
        "        if tokenizer.check('END'):\n"
        "            return\n"
    )
    files = {
        "src/churn/markers.py": parser,
        "src/churn/transport.py": listener,
        "src/churn/pool.py": pipe_worker,
        "src/churn/client.py": client,
    }
    assert findings(tmp_path, "TF703", files) == []


def test_foreground_receive_loops_are_still_reported(tmp_path: Path) -> None:
    # The same loops run in the foreground (or in a non-daemon thread) are the process.
    server = (
        "import socket, threading\n\n"
        "def _serve(sock):\n"
        "    while True:\n"
        "        conn, _ = sock.accept()\n"
        "        conn.sendall(b'ok')\n\n"
        "threading.Thread(target=_serve, args=(socket.socket(),)).start()\n"
    )
    reader = "def relay(sock, out):\n    while True:\n        out.write(sock.recv(4096))\n"
    files = {"serve.py": server, "relay.py": reader}
    assert [f.path for f in findings(tmp_path, "TF703", files)] == ["relay.py", "serve.py"]
