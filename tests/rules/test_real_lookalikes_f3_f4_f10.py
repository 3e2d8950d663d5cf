"""Look-alikes found by judging real repositories (TF304, TF401, TF402, TF1002, TF1004).

Each test is a minimal, self-written reproduction of a FALSE or NOISE class seen on a
real repository: none of them may be reported. The matching violations that must still
be reported sit next to each rule's other tests (tests/rules/test_f0*.py, test_f10_*).
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings

# ------------------------------------------------------------------- TF401 service endpoints


def test_tf401_bucket_that_is_only_the_default_of_an_env_read_is_fine(tmp_path: Path) -> None:
    module = (
        "import os\n"
        "REGION = os.getenv('AWS_REGION', 'eu-west-1')\n"
        "_DEFAULT_BUCKET = 's3://acme-datasets'\n"
        "DATA_BUCKET = os.getenv('DATA_BUCKET', _DEFAULT_BUCKET)\n"
        "_DEFAULT_CACHE = f'gs://acme-{REGION}-cache/'\n"
        "CACHE_URI = os.environ.get('CACHE_URI', _DEFAULT_CACHE)\n"
        "MODEL_URI_PATTERN = os.getenv('MODEL_URI_PATTERN', 's3://acme-models/{name}/{version}')\n"
        "STORE_URL = os.getenv('STORE_URL') or 's3://acme-feature-store'\n"
        "\n"
        "def export_uri(run_id):\n"
        "    return os.environ.get('EXPORT_URI', f's3://acme-exports-{REGION}/{run_id}')\n"
    )
    assert findings(tmp_path, "TF401", {"src/acme/storage.py": module}) == []


def test_tf401_regular_expressions_over_urls_are_not_endpoints(tmp_path: Path) -> None:
    module = (
        "import re\n"
        "from re import compile as re_compile\n"
        "PAPER_URL = re.compile(\n"
        "    r'https://(?:huggingface\\.co/papers/|arxiv\\.org/(?:abs|pdf)/)(\\d{4}\\.\\d{4,5})'\n"
        ")\n"
        "S3_KEY = re_compile(r's3://(\\w+)/(.*)')\n"
        "\n"
        "def paper_id(text):\n"
        "    match = re.search(r'https?://(www\\.)?arxiv\\.org/abs/(\\S+)', text)\n"
        "    return match and match.group(2)\n"
    )
    assert findings(tmp_path, "TF401", {"src/papers/links.py": module}) == []


def test_tf401_vendor_telemetry_url_next_to_a_do_not_track_opt_out_is_fine(
    tmp_path: Path,
) -> None:
    module = (
        '"""Anonymous usage statistics; set ACME_DO_NOT_TRACK=true to turn them off."""\n'
        "import os\n"
        "import requests\n"
        "ACME_DO_NOT_TRACK = 'ACME_DO_NOT_TRACK'\n"
        "USAGE_TRACKING_URL = 'https://t.acme-ml.com'\n"
        "\n"
        "def do_not_track():\n"
        "    return os.environ.get(ACME_DO_NOT_TRACK, 'false').lower() == 'true'\n"
        "\n"
        "def track(event):\n"
        "    if not do_not_track():\n"
        "        requests.post(USAGE_TRACKING_URL, json=event, timeout=1)\n"
    )
    assert findings(tmp_path, "TF401", {"src/acme/_analytics.py": module}) == []


# ------------------------------------------------------------------- TF402 hard-coded data paths


def test_tf402_paths_in_configuration_modules_are_fine(tmp_path: Path) -> None:
    reads = (
        "import numpy as np\n"
        "import pandas as pd\n"
        "LABELS_PATH = 'data/imagenet/labels.csv'\n"
        "LABELS = pd.read_csv(LABELS_PATH)\n"
        "MEAN_STD = np.load('data/imagenet/mean_std.npy')\n"
    )
    files = {
        "src/vision/configs/imagenet.py": reads,
        "src/vision/config/paths.py": reads,
        "src/vision/conf/data.py": reads,
        "src/vision/config_base.py": reads,
        "src/vision/cfg_resnet.py": reads,
        "src/vision/train_config.py": reads,
        "src/vision/settings.py": reads,
    }
    assert findings(tmp_path, "TF402", files) == []


# ------------------------------------------------------------------- TF304 hyperparameters


def test_tf304_config_of_another_course_week_does_not_apply(tmp_path: Path) -> None:
    files = {
        "week_2/configs/finetune.yaml": "lr: 0.0001\nbatch_size: 16\nepochs: 3\n",
        "week_2/finetune.py": (
            "import yaml\ncfg = yaml.safe_load(open('configs/finetune.yaml'))\n"
            "model.fit(X, y, epochs=cfg['epochs'])\n"
        ),
        "week_0/train.py": (
            "import torch\n"
            "optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
            "for epoch in range(10):\n"
            "    loss.backward()\n"
        ),
    }
    assert findings(tmp_path, "TF304", files) == []


def test_tf304_no_decay_parameter_group_is_fine(tmp_path: Path) -> None:
    files = {
        "configs/train.yaml": "lr: 0.001\nweight_decay: 0.05\n",
        "src/vit/train.py": (
            "import torch\n"
            "from collections import OrderedDict\n"
            "CONFIG = 'configs/train.yaml'\n"
            "\n"
            "def build_optimizer(model, cfg):\n"
            "    decay, no_decay = split_parameters(model)\n"
            "    groups = [\n"
            "        OrderedDict(params=decay, weight_decay=cfg['weight_decay']),\n"
            "        OrderedDict(params=no_decay, weight_decay=0.0),\n"
            "    ]\n"
            "    optimizer = torch.optim.AdamW(groups, lr=cfg['lr'])\n"
            "    optimizer.add_param_group(OrderedDict(params=model.head.parameters(), weight_decay=0.))\n"
            "    return optimizer\n"
            "\n"
            "def step(loss):\n"
            "    loss.backward()\n"
        ),
    }
    assert findings(tmp_path, "TF304", files) == []


# ------------------------------------------------------------------- TF1002 not collected


def test_tf1002_underscore_prefixed_test_file_is_a_deliberate_opt_out(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "x"\nversion = "0"\n\n[dependency-groups]\ndev = ["pytest"]\n',
        "tests/test_model.py": "def test_ok():\n    assert True\n",
        "tests/_test_distributed.py": (
            "import torch.distributed as dist\n\n"
            "def test_all_reduce():\n    assert dist.is_available()\n"
        ),
    }
    assert findings(tmp_path, "TF1002", files) == []


# ------------------------------------------------------------------- TF1004 unseeded randomness

MODEL = (
    "import numpy as np\n"
    "import torch\n"
    "\n"
    "def augment(x):\n"
    "    return x + np.random.normal(0, 0.1, x.shape)\n"
    "\n"
    "def init(layer):\n"
    "    torch.nn.init.xavier_uniform_(layer.weight)\n"
)


def test_tf1004_seed_defined_in_a_config_module_or_file_is_fine(tmp_path: Path) -> None:
    variants = [
        {
            "configs/default_config.py": "from ml_collections import ConfigDict\ncfg = ConfigDict()\ncfg.seed = 472505\n"
        },
        {
            "src/model/config.py": "from dataclasses import dataclass\n\n@dataclass\nclass Config:\n    seed: int = 42\n"
        },
        {"configs/train.yaml": "model: resnet\ntraining:\n  seed: 3407\n  epochs: 10\n"},
        {"params.yaml": "seed: 0\n"},
    ]
    for index, extra in enumerate(variants):
        files = {"src/model/net.py": MODEL, **extra}
        assert findings(tmp_path / str(index), "TF1004", files) == [], extra
