"""Look-alikes from the seventh session's review of the real corpus: classes judged
NOISE or FALSE across several repositories, each with the violation it must still find."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings

# A desktop or Colab app's worker: its prints are the console the user watches.
_WORKER = (
    "import time\n\n\n"
    "def worker(task):\n"
    "    started = time.time()\n"
    "    print(f'[Worker] processing {task}')\n"
    "    result = task.run()\n"
    "    print(f'[Worker] done in {time.time() - started:.2f}s')\n"
    "    return result\n"
)


def test_tf902_a_package_with_no_log_stream_and_no_service(tmp_path: Path) -> None:
    # Fooocus-like `modules/`, a paper's `sgm/`, a thesis' `encoder/`: no module of the
    # package logs or serves requests, so its prints are console output (NOISE on 35).
    files = {
        "app/__init__.py": "",
        "app/async_worker.py": _WORKER,
        "app/config.py": "import os\n\nPATH = os.environ.get('APP_PATH', '.')\n",
    }
    assert findings(tmp_path / "console", "TF902", files) == []
    # The same module in a package whose other modules log: the prints bypass that stream.
    files["app/log.py"] = "import logging\n\nlogger = logging.getLogger('app')\n"
    [finding] = findings(tmp_path / "logging", "TF902", files)
    assert finding.path == "app/async_worker.py" and "package module" in finding.message


def test_tf902_a_package_that_serves_requests(tmp_path: Path) -> None:
    # LibreTranslate: no module logs, but `app.py` is a Flask service and `cache.py`
    # swallows its errors with print: the server's only record (TRUE).
    files = {
        "translate/__init__.py": "",
        "translate/app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "translate/cache.py": _WORKER,
    }
    [finding] = findings(tmp_path / "service", "TF902", files)
    assert finding.path == "translate/cache.py"
    # A web framework only in a sibling package does not make this one a service.
    files = {
        "translate/__init__.py": "",
        "translate/cache.py": _WORKER,
        "web/__init__.py": "",
        "web/app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
    }
    assert findings(tmp_path / "sibling", "TF902", files) == []


def test_tf902_a_src_layout_package_with_a_logger(tmp_path: Path) -> None:
    files = {
        "src/churn/__init__.py": "",
        "src/churn/steps.py": _WORKER,
        "src/churn/utils/__init__.py": "",
        "src/churn/utils/logs.py": "from loguru import logger\n",
    }
    [finding] = findings(tmp_path, "TF902", files)
    assert finding.path == "src/churn/steps.py"
