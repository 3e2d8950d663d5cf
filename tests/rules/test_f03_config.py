"""Factor 3 rules: secrets, committed .env files, machine paths, hard-coded hyperparameters."""

from __future__ import annotations

import random
import re
import string
from pathlib import Path

import pytest
from twelvefold.detectors.secrets import PATTERNS

from tests.helpers import check, findings, make_repo, notebook

UPPER_DIGITS = string.ascii_uppercase + string.digits
ALNUM = string.ascii_letters + string.digits


def made_up(alphabet: str, length: int, seed: int = 0) -> str:
    """A random-looking value built at run time (no credential-shaped literal in this file).
    It always mixes upper case, lower case and digits when the alphabet has them."""
    rng = random.Random(seed)
    value = "".join(rng.choice(alphabet) for _ in range(length))
    fixes = [c for c in ("A", "b", "7") if c in alphabet]
    return "".join(fixes) + value[len(fixes) :]


# One realistic leak per pattern of the detector table, as people write them.
SECRET_SAMPLES: dict[str, str] = {
    "aws-access-key-id": f'AWS_ACCESS_KEY_ID = "AKIA{made_up(UPPER_DIGITS, 16)}"\n',
    "aws-secret-access-key": f'aws_secret_access_key = "{made_up(ALNUM + "/+", 40)}"\n',
    "github-token": f'g = Github("ghp_{made_up(ALNUM, 36)}")\n',
    "github-fine-grained-token": f'headers = {{"Authorization": "Bearer github_pat_{made_up(ALNUM + "_", 82)}"}}\n',
    "gitlab-token": f'gl = gitlab.Gitlab(url, private_token="glpat-{made_up(ALNUM, 20)}")\n',
    "slack-token": f'client = WebClient("xoxb-{made_up(string.digits, 12)}-{made_up(ALNUM, 24)}")\n',
    "slack-webhook": f'requests.post("https://hooks.slack.com/services/T{made_up(UPPER_DIGITS, 8)}/B{made_up(UPPER_DIGITS, 8)}/{made_up(ALNUM, 24)}", json=msg)\n',
    "stripe-live-key": f'stripe.api_key = "sk_live_{made_up(ALNUM, 24)}"\n',
    "openai-api-key": f'client = OpenAI(api_key="sk-proj-{made_up(ALNUM, 48)}")\n',
    "anthropic-api-key": f'client = Anthropic(api_key="sk-ant-api03-{made_up(ALNUM, 93)}")\n',
    "huggingface-token": f'login(token="hf_{made_up(ALNUM, 34)}")\n',
    "google-api-key": f'genai.configure(api_key="AIza{made_up(ALNUM, 35)}")\n',
    "google-oauth-secret": f'flow = Flow(client_id=cid, client_secret="GOCSPX-{made_up(ALNUM, 28)}")\n',
    "azure-storage-key": f'CONN = "DefaultEndpointsProtocol=https;AccountName=ml;AccountKey={made_up(ALNUM + "+/", 86)}==;EndpointSuffix=core.windows.net"\n',
    "pypi-token": f'UPLOAD = "pypi-AgEIcHlwaS5vcmc{made_up(ALNUM, 70)}"\n',
    "private-key": f'KEY = """-----BEGIN RSA PRIVATE KEY-----\n{made_up(ALNUM + "+/", 64)}\n-----END RSA PRIVATE KEY-----"""\n',
    "connection-string-password": f'engine = create_engine("postgresql://ml:{made_up(ALNUM, 12)}@db-prod.internal:5432/features")\n',
}


def test_every_pattern_has_a_sample() -> None:
    assert set(SECRET_SAMPLES) == {pattern.id for pattern in PATTERNS}


@pytest.mark.parametrize("pattern_id", sorted(SECRET_SAMPLES))
def test_tf301_each_provider_pattern(tmp_path: Path, pattern_id: str) -> None:
    code = SECRET_SAMPLES[pattern_id]
    found = findings(tmp_path, "TF301", {"src/app/clients.py": "import os\n\n" + code})
    assert found, pattern_id
    assert found[0].line == 3
    # The output never holds the whole secret (the random part of the sample).
    secret = max(re.findall(r"Ab?7[A-Za-z0-9+/_]+", code), key=len)  # made_up() values
    for finding in found:
        assert finding.source is not None and secret not in finding.source
        assert secret not in finding.message and "chars)" in finding.message


@pytest.mark.parametrize(
    "line",
    [
        'DB_PASSWORD = "Xk8#pq2!Lm9z"',
        'config = {"api_key": "c0ffee5d4e3b2a1f9e8d7c6b"}',
        'os.environ["WANDB_API_KEY"] = "3f9c2e8b71d4a05f6e9b8c7d1a2f3e4b5c6d7e8f"',
        'app.secret_key = "8f42a73054b1749f8f58848be5e6502c"',
        'hf_token: str = "Qm7tVbXrKpLwNcYd4fGh"',
        'DB_PASSWORD = "letmein42"',  # people choose word-like passwords
        'DB_PASSWORD = "Correct-Horse-Battery"',  # hyphenated words are no header name
    ],
)
def test_tf301_secret_named_keys_in_code(tmp_path: Path, line: str) -> None:
    assert len(findings(tmp_path, "TF301", {"settings.py": f"import os\n{line}\n"})) == 1


@pytest.mark.parametrize(
    "line",
    [
        'AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"',
        'aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
        'DB_PASSWORD = "changeme"',
        'API_KEY = "<your-api-key>"',
        'API_KEY = ""',
        'API_KEY = "xxxxxxxxxxxxxxxx"',
        'API_KEY = "${API_KEY}"',
        'TOKEN_ENV = "HF_TOKEN"',
        'token = os.environ["HF_TOKEN"]',
        'api_key = os.getenv("OPENAI_API_KEY")',
        'pad_token = "<pad>"',
        "tokenizer.pad_token = tokenizer.eos_token",
        'bos_token = "<|begin_of_text|>"',
        "max_tokens = 4096",
        'model_name = "meta-llama/Llama_2-7b-hf"',
        'tokenizer = AutoTokenizer.from_pretrained("Org/Model_Name", token=True)',
        'password_file = "/run/secrets/db_password"',
        'secret_name = "prod/ml/db"',
        'token_type = "Bearer"',
        'DATABASE_URL = "postgresql://user:${DB_PASSWORD}@db:5432/app"',
        'DATABASE_URL = "postgresql://postgres:postgres@localhost:5432/app"',
        'url = f"postgresql://{user}:{password}@{host}/db"',
        'MLFLOW_URI = "http://mlflow:5000"',
        # Look-alikes from mlflow, bentoml and diffusers sources:
        '"""Masked for display: ``{"api_key": "sk-...xyz123"}``."""',
        'masked = {"api_key": "sk-\u2026xyz1234"}',
        "SNIPPET = \"const apiKey = 'sk-1234567890';\"",
        '"""Remotes can carry credentials: ``https://user:token@host/path``."""',
        "MSG = \"URIs of the form 'models://scope:prefix@databricks/name' are deprecated\"",
        '_LAZY = {"ApiToken": "._internal.cloud.api_token:ApiToken"}',
        'ENTRY = {"auth_token": "myapp.auth.tokens:AuthToken"}',
        'pipe.load_textual_inversion("./charturnerv2.pt", token="charturnerv2")',
        # held-out set P (DocsGPT): a translated label, a value that says it is fake
        'apiKey = "API-Schlüssel"',
        'noAccessToken = "アクセストークンがありません"',
        'JWT_SECRET_KEY = "e2e-fixed-secret-never-use-in-prod"',
        # held-out set N (bugbug): the name of the header the token is sent in
        'API_TOKEN = "X-Api-Key"',
        'AUTH_TOKEN = "X-Auth-Token"',
        'TOKEN_HEADER_KEY = "Authorization"',
        # held-out set M (ml-zoomcamp): a presigned download link's key ID
        'URL = "https://objects.example.com/x?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAZ7QW3RTY5UIOP2LK%2F20211120%2Fus-east-1%2Fs3%2Faws4_request"',
    ],
)
def test_tf301_look_alikes_in_code(tmp_path: Path, line: str) -> None:
    assert not findings(tmp_path, "TF301", {"settings.py": f"import os\n{line}\n"})


def test_tf301_usage_examples_in_docstrings(tmp_path: Path) -> None:
    # pydantic's docstrings show `User(password='password1')` and multi-host URLs; the
    # same call in code is a hard-coded password, and a provider key is one anywhere.
    module = (
        "class SecretStr:\n"
        '    """A string that is masked when printed.\n\n'
        "    ```python\n"
        "    user = User(username='scolvin', password='password1')\n"
        "    mhu = MultiHostUrl('https://foo.com:123,foo:bar@bar.com/path')\n"
        "    ```\n"
        '    """\n\n'
        "def connect():\n"
        '    """Connect with aws_access_key_id=AKIAZ7QW3RTY5UIOP2LK."""\n'
        "    return User(username='scolvin', password='Tr0ub4dor3')\n"
    )
    found = findings(tmp_path, "TF301", {"src/churn/types.py": module})
    assert [f.line for f in found] == [11, 12]
    assert "AWS" in found[0].message and "`password`" in found[1].message


def test_tf301_config_files(tmp_path: Path) -> None:
    token = "ghp_" + made_up(ALNUM, 36, seed=3)
    files = {
        "config/prod.yaml": f"db:\n  host: db.internal\n  password: Xk8pq2Lm9zR4\ngithub:\n  token: {token}\n",
        ".github/workflows/ci.yml": "env:\n  HF_TOKEN: ${{ secrets.HF_TOKEN }}\n  PASSWORD: ''\n",
        "docker-compose.yml": "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n",
        ".env.example": "DB_PASSWORD=changeme\nHF_TOKEN=\nOPENAI_API_KEY=<your-key>\n",
        "docs/setup.md": f"Set `GITHUB_TOKEN={token}` (example)\n",
    }
    found = findings(tmp_path, "TF301", files)
    assert [(f.path, f.line) for f in found] == [("config/prod.yaml", 3), ("config/prod.yaml", 5)]


def test_tf301_dotenv_with_secret(tmp_path: Path) -> None:
    files = {".env": "DB_PASSWORD=Xk8pq2Lm9zR4\nDEBUG=1\n", ".gitignore": ""}
    assert [f.line for f in findings(tmp_path, "TF301", files)] == [1]


def test_tf301_test_values_in_tests_are_fine(tmp_path: Path) -> None:
    files = {
        "tests/test_auth.py": 'API_TOKEN = "test-token-123456"\nPASSWORD = "fake-Pw-123456"\n',
        "tests/conftest.py": 'os.environ["HF_TOKEN"] = "dummy_token_value_123"\n',
    }
    assert not findings(tmp_path, "TF301", files)


def test_tf301_notebook_source_and_outputs(tmp_path: Path) -> None:
    token = "hf_" + made_up(ALNUM, 34, seed=5)
    output = {"name": "stdout", "output_type": "stream", "text": [f"HF_TOKEN={token}\n"]}
    nb = notebook(
        "import os",
        (f'os.environ["OPENAI_API_KEY"] = "sk-proj-{made_up(ALNUM, 48, 6)}"', []),
        ("!env | grep TOKEN", [output]),
    )
    found = findings(tmp_path, "TF301", {"eda.ipynb": nb})
    assert [(f.cell, "output" in f.message) for f in found] == [(1, False), (2, True)]
    lines = nb.splitlines()
    for finding in found:
        assert finding.line is not None and (
            "OPENAI_API_KEY" in lines[finding.line - 1] or "HF_TOKEN" in lines[finding.line - 1]
        )
        assert token not in finding.message and token not in (finding.source or "")


# --- TF302 dotenv-not-ignored -------------------------------------------------------------


def test_tf302_committed_dotenv(tmp_path: Path) -> None:
    found = findings(tmp_path, "TF302", {".env": "DEBUG=1\n", "a.py": ""})
    assert [f.path for f in found] == [".env"] and "committed" in found[0].message


def test_tf302_untracked_and_not_ignored(tmp_path: Path) -> None:
    make_repo(tmp_path, {"a.py": ""})
    (tmp_path / ".env.production").write_text("DEBUG=0\n")
    found = findings(tmp_path, "TF302")
    assert [f.path for f in found] == [".env.production"] and "not ignored" in found[0].message


def test_tf302_look_alikes(tmp_path: Path) -> None:
    make_repo(
        tmp_path,
        {
            ".gitignore": ".env\n",
            ".env.example": "DB_PASSWORD=\n",
            ".env.sample": "X=\n",
            "tests/fixtures/.env": "X=1\n",
            "template/.env.example.jinja": "X=\n",
        },
    )
    (tmp_path / ".env").write_text("DB_PASSWORD=local\n")  # ignored: fine
    assert not findings(tmp_path, "TF302")


# --- TF303 absolute-machine-path ----------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        'df = pd.read_csv("/home/alice/projects/churn/data/train.csv")',
        'MODEL_DIR = "/Users/bob/models/"',
        'out = r"C:\\Users\\carol\\Desktop\\preds.csv"',
        'DATA = "C:/Users/dave/data"',
        'torch.save(model, f"/home/alice/ckpt/{epoch}.pt")',
    ],
)
def test_tf303_machine_paths(tmp_path: Path, line: str) -> None:
    assert len(findings(tmp_path, "TF303", {"train.py": f"import pandas as pd\n{line}\n"})) == 1


@pytest.mark.parametrize(
    "line",
    [
        # held-out set N (Whisper-WebUI): Colab's Drive mount, the same for every user
        'df = pd.read_csv("/content/drive/MyDrive/data.csv")',
        'DATA = "/home/user/data"',
        'DATA = "/Users/you/data"',
        'DATA = "/home/jovyan/work/data.csv"',
        'DATA = "/home/runner/work"',
        'DATA = "/home/$USER/data"',
        'DATA = "~/data/train.csv"',
        "DATA = Path.home() / 'data'",
        'DATA = "/data/train.csv"',
        "# was /home/alice/data/train.csv",
        'def f():\n    """Reads /home/alice/data by default on the lab box."""',
        'DATA = "/opt/ml/input/data/train"',
    ],
)
def test_tf303_look_alikes(tmp_path: Path, line: str) -> None:
    assert not findings(tmp_path, "TF303", {"train.py": f"from pathlib import Path\n{line}\n"})


def test_tf303_tests_and_notebooks(tmp_path: Path) -> None:
    files = {
        "tests/test_io.py": 'P = "/home/alice/tmp/x.csv"\n',
        "eda.ipynb": notebook(
            "%matplotlib inline\nimport pandas as pd", 'df = pd.read_csv("/home/alice/data.csv")'
        ),
    }
    found = findings(tmp_path, "TF303", files)
    assert [(f.path, f.cell, f.cell_line) for f in found] == [("eda.ipynb", 1, 1)]


# Documentation inside code: usage texts, help strings and example docstrings that are
# not the first statement of a body (so not docstrings to `ast`), as libraries write them.
DOCUMENTATION_STRINGS = {
    "example_docstring": (
        'EXAMPLE_DOC_STRING = """\n'
        "    Examples:\n"
        "        ```py\n"
        "        >>> pipe = Pipeline.from_pretrained('/home/alice/checkpoints/sd-lora')\n"
        "        >>> image = pipe(prompt).images[0]\n"
        "        ```\n"
        '"""\n'
        "\n"
        "@replace_example_docstring(EXAMPLE_DOC_STRING)\n"
        "def generate(prompt):\n"
        "    return prompt\n"
    ),
    "doc_decorator_argument": (
        "@add_start_docstrings(\n"
        '    """Loads weights, e.g. `load("/Users/bob/models/bert")`."""\n'
        ")\n"
        "def load(path):\n"
        "    return path\n"
    ),
    "assigned_dunder_doc": (
        "def train():\n"
        "    pass\n"
        "\n"
        'train.__doc__ = "Run as: python train.py --data /home/carol/data/train.csv"\n'
    ),
    "argparse_help_usage_epilog_description": (
        "import argparse\n"
        "parser = argparse.ArgumentParser(\n"
        '    description="Fine-tune on a folder such as /home/alice/datasets/pets.",\n'
        '    usage="%(prog)s --data /home/alice/datasets/pets",\n'
        '    epilog=f"Example: python {__file__} --data /Users/bob/pets",\n'
        ")\n"
        'parser.add_argument("--data", required=True, help="e.g. /home/alice/datasets/pets")\n'
        "args = parser.parse_args()\n"
    ),
    "click_option_help": (
        "import click\n"
        "\n"
        '@click.option("--out", help="Where to write, like C:\\\\Users\\\\dave\\\\preds.csv")\n'
        "@click.command()\n"
        "def main(out):\n"
        "    print(out)\n"
    ),
    "module_level_usage_text": (
        "import sys\n"
        "\n"
        'USAGE = """\n'
        "usage: python convert.py SRC DST\n"
        "\n"
        "  python convert.py /home/alice/ckpt/model.bin out/\n"
        '"""\n'
        "\n"
        "if len(sys.argv) != 3:\n"
        "    sys.exit(USAGE)\n"
    ),
    "usage_message_printed": (
        "import sys\n"
        "\n"
        "if len(sys.argv) != 2:\n"
        '    print("Usage: python prepare.py /home/alice/raw/reviews.jsonl")\n'
        "    sys.exit(2)\n"
    ),
    "bare_string_statement": (
        "import torch\n"
        "\n"
        '"""Second module string, documentation only:\n'
        "torch.load('/home/alice/ckpt/last.pt')\n"
        '"""\n'
    ),
}


@pytest.mark.parametrize("source", DOCUMENTATION_STRINGS.values(), ids=DOCUMENTATION_STRINGS)
def test_tf303_documentation_strings_are_not_code_that_runs(tmp_path: Path, source: str) -> None:
    assert findings(tmp_path, "TF303", {"src/pipe/generate.py": source}) == []


def test_tf303_a_path_that_runs_next_to_documentation_is_reported_on_its_line(
    tmp_path: Path,
) -> None:
    source = (
        "import argparse\n"
        "parser = argparse.ArgumentParser(description='Train; see /home/alice/notes.txt')\n"
        "parser.add_argument(\n"
        "    '--data',\n"
        "    default='/home/alice/datasets/pets',\n"
        "    help='Folder of images, e.g. /home/alice/datasets/pets',\n"
        ")\n"
    )
    found = findings(tmp_path, "TF303", {"train.py": source})
    assert [(f.line, f.message) for f in found] == [
        (5, "machine-specific path `/home/alice/datasets/pets`")
    ]


def test_tf303_multi_line_string_points_at_the_path_and_quotes_it(tmp_path: Path) -> None:
    source = (
        "import subprocess\n"
        "\n"
        'SCRIPT = """#!/usr/bin/env bash\n'
        "# fetch the weights of the last run\n"
        "set -e\n"
        "cp -r /home/alice/ckpt/run-42 ./weights\n"
        '"""\n'
        "subprocess.run(['bash', '-c', SCRIPT], check=True)\n"
    )
    found = findings(tmp_path, "TF303", {"fetch.py": source})
    assert [(f.line, f.message) for f in found] == [
        (6, "machine-specific path `/home/alice/ckpt/run-42`")
    ]


def test_tf303_multi_line_string_in_a_notebook_cell_points_at_the_path(tmp_path: Path) -> None:
    cell = 'CMD = """\nset -e\ncp /Users/bob/data/train.csv data/\n"""\nimport os\nos.system(CMD)'
    found = findings(tmp_path, "TF303", {"prep.ipynb": notebook("import os", cell)})
    assert [(f.cell, f.cell_line, f.message) for f in found] == [
        (1, 3, "machine-specific path `/Users/bob/data/train.csv`")
    ]


# --- TF304 hard-coded-hyperparameter ------------------------------------------------------

TRAIN = (
    "import torch\nimport yaml\n\ncfg = yaml.safe_load(open('configs/base.yaml'))\n"
    "optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=cfg['momentum'])\n"
    "loss.backward()\n"
)


def test_tf304_yaml_config_defines_the_knob(tmp_path: Path) -> None:
    files = {"configs/base.yaml": "lr: 0.1\nmomentum: 0.9\n", "train.py": TRAIN}
    found = findings(tmp_path, "TF304", files)
    assert [(f.path, f.line) for f in found] == [("train.py", 5)]
    assert "`lr=0.05`" in found[0].message and "configs/base.yaml" in found[0].message


def test_tf304_synonyms_and_settings_classes(tmp_path: Path) -> None:
    files = {
        "src/proj/config.py": "from dataclasses import dataclass\n\n@dataclass\nclass TrainConfig:\n    learning_rate: float = 0.05\n    test_size: float = 0.2\n",
        "src/proj/train.py": (
            "from sklearn.model_selection import train_test_split\nimport lightgbm as lgb\n"
            "X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=0)\n"
            "model = lgb.LGBMClassifier(lr=0.1, n_estimators=500)\nmodel.fit(X_tr, y_tr)\n"
        ),
    }
    found = findings(tmp_path, "TF304", files)
    assert [f.line for f in found] == [3, 4]  # n_estimators is not in the config: not reported


def test_tf304_look_alikes(tmp_path: Path) -> None:
    files = {
        "params.yaml": "train:\n  learning_rate: 0.05\n  n_estimators: 500\n",
        ".github/workflows/ci.yml": "env:\n  batch_size: 4\n",
        "src/proj/train.py": (
            "import argparse\nparser = argparse.ArgumentParser()\n"
            "parser.add_argument('--learning-rate', type=float, default=0.05)\n"
            "cfg = TrainConfig(learning_rate=0.01)\n"
            "model = XGBClassifier(learning_rate=params['learning_rate'], n_estimators=p.n_estimators)\n"
            "loader = DataLoader(ds, batch_size=64)\n"
            "model.fit(X, y)\n"
        ),
        "src/proj/plots.py": "ax.plot(x, y, lr=0.5)\n",  # not training code
        "tests/test_train.py": "model = XGBClassifier(learning_rate=0.3)\nmodel.fit(X, y)\n",
    }
    assert not findings(tmp_path, "TF304", files)


def test_tf304_no_config_no_finding(tmp_path: Path) -> None:
    files = {
        "train.py": "model = XGBClassifier(n_estimators=300, learning_rate=0.05)\nmodel.fit(X, y)\n"
    }
    assert not findings(tmp_path, "TF304", files)


def test_tf304_config_of_the_same_folder_or_loaded_by_name_still_applies(
    tmp_path: Path,
) -> None:
    # Look-alike: week_0/train.py is not configured by week_2/configs/finetune.yaml.
    files = {
        "week_2/configs/finetune.yaml": "lr: 0.0001\nbatch_size: 16\n",
        "week_2/finetune.py": (
            "import torch\noptimizer = torch.optim.AdamW(model.parameters(), lr=0.001)\n"
            "loss.backward()\n"
        ),
        "configs/resnet.yaml": "momentum: 0.9\n",
        "src/vision/train.py": (
            "import torch\nimport yaml\ncfg = yaml.safe_load(open(args.config or 'configs/resnet.yaml'))\n"
            "optimizer = torch.optim.SGD(model.parameters(), lr=cfg['lr'], momentum=0.8)\n"
            "loss.backward()\n"
        ),
    }
    found = findings(tmp_path, "TF304", files)
    assert [(f.path, f.line) for f in found] == [
        ("src/vision/train.py", 4),
        ("week_2/finetune.py", 2),
    ]
    assert "week_2/configs/finetune.yaml defines `lr`" in found[1].message


def test_tf304_weight_decay_outside_a_no_decay_group_is_still_reported(tmp_path: Path) -> None:
    # Look-alike: `weight_decay=0.0` in a parameter group is the deliberate no-decay group.
    files = {
        "configs/train.yaml": "lr: 0.001\nweight_decay: 0.05\n",
        "src/vit/train.py": (
            "import torch\n"
            "from collections import OrderedDict\n"
            "CONFIG = 'configs/train.yaml'\n"
            "def build_optimizer(model, cfg):\n"
            "    groups = [\n"
            "        OrderedDict(params=model.backbone.parameters(), weight_decay=0.01),\n"
            "        OrderedDict(params=model.norms.parameters(), weight_decay=0.0),\n"
            "    ]\n"
            "    head = torch.optim.AdamW(model.head.parameters(), lr=cfg['lr'], weight_decay=0.0)\n"
            "    return torch.optim.AdamW(groups, lr=cfg['lr']), head\n"
            "def step(loss):\n"
            "    loss.backward()\n"
        ),
    }
    found = findings(tmp_path, "TF304", files)
    assert [f.line for f in found] == [6, 9]


# ------------------------------------------------------------------- TF301 held-out look-alikes
# (tests/rules/test_real_lookalikes_heldout.py holds the look-alikes that must stay silent)


def test_tf301_keys_of_scripts_and_files_embedded_in_yaml_blocks_are_reported(
    tmp_path: Path,
) -> None:
    password, token = made_up(ALNUM, 20, seed=1), made_up(ALNUM, 32, seed=2)
    workflow = (
        "description: >\n"
        "  Nightly export of the feature tables. Every run needs an API\n"
        "  token (fine-grained).\n"
        "jobs:\n"
        "  export:\n"
        "    steps:\n"
        "      - run: |\n"
        f"          export DB_PASSWORD={password}\n"
        "          python export.py\n"
        "      - run: >\n"
        f"          curl -H 'Authorization: token ghp_{made_up(ALNUM, 36, seed=3)}'\n"
        "          https://api.github.com/user\n"
        f"api_token: {token}\n"
    )
    config_map = (
        "kind: ConfigMap\n"
        "data:\n"
        "  application.properties: |\n"
        f"    spring.datasource.password={password}\n"
        "  serving.yaml: |\n"
        "    model: churn\n"
        f"    hub_token: {token}\n"
    )
    files = {".github/workflows/export.yml": workflow, "deploy/configmap.yaml": config_map}
    found = findings(tmp_path, "TF301", files)
    assert [(f.path, f.line) for f in found] == [
        (".github/workflows/export.yml", 8),
        (".github/workflows/export.yml", 11),
        (".github/workflows/export.yml", 13),
        ("deploy/configmap.yaml", 4),
        ("deploy/configmap.yaml", 7),
    ]
    assert "GitHub token" in found[1].message


def test_tf301_random_values_ending_in_punctuation_or_with_dots_are_reported(
    tmp_path: Path,
) -> None:
    # Not prose and not code: a word with digits before the full stop, a vault token.
    notes = f"token {made_up(ALNUM, 16, seed=4)}.\n"
    dotenv = (
        f"ACCESS_TOKEN=s.{made_up(ALNUM, 24, seed=5)}\nDB_PASSWORD=Tr0ub4dor.{made_up(ALNUM, 6)}\n"
    )
    files = {"ops/notes.txt": notes, "deploy/prod.env": dotenv}
    found = findings(tmp_path, "TF301", files)
    assert [(f.path, f.line) for f in found] == [
        ("deploy/prod.env", 1),
        ("deploy/prod.env", 2),
        ("ops/notes.txt", 1),
    ]


def test_tf301_secret_keys_of_providers_with_public_keys_are_reported(tmp_path: Path) -> None:
    # PostHog personal API keys (phx_) read every project; Stripe secret keys spend money.
    module = (
        f'POSTHOG_PERSONAL_API_KEY = "{"phx_" + made_up(ALNUM, 43, seed=6)}"\n'
        f'STRIPE_API_KEY = "{"sk_" + "live_" + made_up(ALNUM, 24, seed=7)}"\n'
        f'PAYMENTS_API_KEY = "{"pk_" + made_up(ALNUM, 24, seed=8)}"\n'
    )
    found = findings(tmp_path, "TF301", {"src/acme/settings.py": module})
    assert [f.line for f in found] == [1, 2, 3]
    assert "Stripe" in found[1].message


# ------------------------------------------------------------------- TF306 (issue 15)

TRAINER = (
    "import pandas as pd\n"
    "from sklearn.ensemble import GradientBoostingClassifier\n"
    "from sklearn.model_selection import GridSearchCV, train_test_split\n\n\n"
    "def train(frame: pd.DataFrame, seed: int):\n"
    "    X, y = frame.drop(columns=['churned']), frame['churned']\n"
    "    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=seed)\n"
    "    grid = {'learning_rate': [0.01, 0.05, 0.1], 'n_estimators': [100, 300], 'max_depth': [3, 5]}\n"
    "    search = GridSearchCV(GradientBoostingClassifier(random_state=seed), grid, cv=5)\n"
    "    search.fit(X_train, y_train)\n"
    "    return search.best_estimator_\n"
)
KERAS_TRAIN = (
    "from tensorflow import keras\n\n"
    "EPOCHS = 30\n"
    "BATCH_SIZE = 64\n"
    "LEARNING_RATE = 1e-3\n\n"
    "model = keras.Sequential([keras.layers.Dense(1)])\n"
    "model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss='mse')\n"
    "model.fit(x, y, epochs=EPOCHS, batch_size=BATCH_SIZE)\n"
)


def tf306(root: Path, files: dict, kind: str = "application") -> list:
    from twelvefold.config import Config

    make_repo(root, files)
    return check(root, select=["TF306"], config=Config(kind=kind, preview=True)).findings


def test_hyperparameters_with_no_config_one_finding_per_call_or_block(tmp_path: Path) -> None:
    found = tf306(
        tmp_path, {"src/churn/train.py": TRAINER, "src/churn/keras_train.py": KERAS_TRAIN}
    )
    assert [(f.path, f.line, f.message.split(" fixes ")[0]) for f in found] == [
        ("src/churn/keras_train.py", 3, "module constants"),
        ("src/churn/train.py", 8, "`train_test_split(...)`"),
        ("src/churn/train.py", 9, "a parameter dict"),
    ]
    assert "`EPOCHS = 30`, `BATCH_SIZE = 64`, `LEARNING_RATE = 1e-3`" in found[0].message
    assert "`test_size=0.2`" in found[1].message
    assert "`learning_rate`, `n_estimators`, `max_depth`" in found[2].message


def test_hyperparameters_in_an_application_training_notebook(tmp_path: Path) -> None:
    cells = notebook(
        "from sklearn.ensemble import RandomForestClassifier",
        "model = RandomForestClassifier(n_estimators=500, max_depth=8, random_state=0)\nmodel.fit(X, y)",
    )
    [finding] = tf306(tmp_path, {"src/churn/__init__.py": "", "notebooks/train.ipynb": cells})
    assert (finding.cell, finding.cell_line) == (1, 1)
    assert "`n_estimators=500`, `max_depth=8`" in finding.message


def test_hyperparameter_look_alikes_without_config(tmp_path: Path) -> None:
    files = {
        # the project configures hyperparameters: TF304's domain
        "params.yaml": "train:\n  n_estimators: 300\n",
        "src/churn/train.py": TRAINER,
    }
    assert tf306(tmp_path / "config", files) == []
    files = {
        # knobs from the command line; code that does not train; a config module
        "src/churn/train.py": (
            "import argparse\n\nparser = argparse.ArgumentParser()\n"
            "parser.add_argument('--n-estimators', type=int, default=300)\n"
            "model = RF(n_estimators=300)\nmodel.fit(X, y)\n"
        ),
        "src/churn/features.py": "from sklearn.decomposition import PCA\n\nPCA(n_components=2, max_iter=50)\n",
        "src/churn/config.py": "EPOCHS = 10\nBATCH_SIZE = 32\nmodel.fit(X, y)\n",
        "tests/test_train.py": TRAINER,
        "examples/train.py": TRAINER,
    }
    assert tf306(tmp_path / "cli", files) == []
    for kind in ("library", "research", "course"):
        assert tf306(tmp_path / kind, {"train.py": TRAINER}, kind=kind) == []


def test_tf301_base64_values_of_a_kubernetes_secret_are_judged_decoded(tmp_path: Path) -> None:
    # Held-out set P (DocsGPT): `docsgpt` and a change-me JWT secret, base64-encoded.
    import base64

    def b64(text: str) -> str:
        return base64.b64encode(text.encode()).decode()

    manifest = (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n"
        f"  postgres-password: {b64('docsgpt')}\n"
        f"  JWT_SECRET_KEY: {b64('docsgpt-dev-jwt-secret-change-me')}\n"
    )
    assert findings(tmp_path, "TF301", {"k8s/secrets.yaml": manifest}) == []
    real = manifest + f"  api-token: {b64('kTzQvWmXbRpLnYcF8dGhJsUaEiOqPz1')}\n"
    [finding] = findings(tmp_path / "b", "TF301", {"k8s/secrets.yaml": real})
    assert finding.line == 8 and "kTzQ" not in finding.message


def test_tf302_a_front_end_builds_public_env_files_are_committed_on_purpose(
    tmp_path: Path,
) -> None:
    # Held-out set P (DocsGPT): Vite's `.env.development` / `.env.production`.
    vite = (
        "# Please put appropriate value\nVITE_BASE_URL=http://localhost:5173\n"
        "VITE_API_HOST=http://127.0.0.1:7091\n"
        "VITE_GOOGLE_CLIENT_ID=896376503572-u46l78n8ctgtdr4dlei4u06jv6rbpqc5.apps.googleusercontent.com\n"
    )
    files = {"frontend/.env.production": vite, "frontend/.env.development": vite, "a.py": ""}
    assert findings(tmp_path, "TF302", files) == []
    # a server variable among them, a secret behind the prefix, or `.env` itself: reported
    variants = [
        {"frontend/.env.production": vite + "DATABASE_URL=postgres://db/app\n"},
        {"frontend/.env.production": vite + "VITE_API_SECRET=kTzQvWmXbRpLnYcF8dGhJsUaEiOqPz1\n"},
        {"frontend/.env": vite},
    ]
    for index, extra in enumerate(variants):
        assert len(findings(tmp_path / str(index), "TF302", {**extra, "a.py": ""})) == 1, extra


def test_tf301_a_key_named_value_in_a_browser_component_is_a_warning(tmp_path: Path) -> None:
    """A React widget's default `apiKey` ships to every visitor (DocsGPT's public demo
    key): a warning; a provider's token in the same component is still an error."""
    widget = (
        "export const DocsGPTWidget = ({\n"
        "  apiHost = 'https://gptcloud.arc53.com',\n"
        "  apiKey = '5276d1d4-43a8-4c2e-8f1b-6d2a7c9e0b13',\n"
        "}) => null;\n"
    )
    [finding] = findings(tmp_path / "widget", "TF301", {"src/components/Widget.tsx": widget})
    assert finding.severity.value == "warning" and "browser code" in finding.message
    server = {"src/api/client.ts": widget}
    [finding] = findings(tmp_path / "server", "TF301", server)
    assert finding.severity.value == "warning" and finding.message.endswith("'")
    token = widget.replace(
        "'5276d1d4-43a8-4c2e-8f1b-6d2a7c9e0b13'", "'ghp_1A2b3C4d5E6f7G8h9I0jKlMnOpQrStUvWxYz'"
    )
    [finding] = findings(tmp_path / "token", "TF301", {"src/components/Widget.tsx": token})
    assert finding.severity.value == "error"
