"""The import scan (`detectors.import_scan`) and the parses it saves.

The scan must never say less than the AST (a rule skips the parse on its word), and
should say little more (each extra name may cost a parse)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from twelvefold.config import Config
from twelvefold.detectors.import_scan import imported_tops
from twelvefold.engine import Target, run
from twelvefold.rules._pyast import imported_modules

from tests.helpers import make_repo

#: Import statements in the shapes real code writes them, and what they import.
SHAPES = {
    "import torch\n": {"torch"},
    "import numpy as np, pandas as pd\n": {"numpy", "pandas"},
    "import os.path, google.cloud.storage as gcs\n": {"os", "google"},
    "from sklearn.svm import SVC\n": {"sklearn"},
    "from google.cloud import (\n    storage,\n    bigquery,\n)\n": {"google"},
    "from torch import distributed as dist\n": {"torch"},
    "from . import utils\nfrom .models import Net\nfrom ..x import y\n": set(),
    "try:\n    import wandb\nexcept ImportError:\n    wandb = None\n": {"wandb"},
    "if TYPE_CHECKING: import mlflow\n": {"mlflow"},
    "x = 1; import yaml\n": {"yaml"},
    "import \\\n    requests\n": {"requests"},
    "from boto3 \\\n    import client\n": {"boto3"},
    "import json\r\nfrom httpx import get\r\n": {"json", "httpx"},
    "def load():\n\timport joblib\n\treturn joblib\n": {"joblib"},
    "from __future__ import annotations\n": {"__future__"},
    "async def f():\n    yield_from = 1\n    from_pretrained = 2\n": set(),
}


@pytest.mark.parametrize("code", SHAPES)
def test_the_scan_finds_what_the_ast_imports(code: str) -> None:
    found = imported_tops(code)
    assert found is not None
    assert imported_modules(ast.parse(code)) <= found
    assert found == SHAPES[code]  # and no more: `from X import a` names no module `a`


def test_import_like_text_is_a_candidate_never_a_miss() -> None:
    # A string or comment may name a module the code does not import: the scan says it
    # (the parse that follows decides), which costs a parse and nothing else.
    code = '"""Example:\n\n    import torch\n"""\n# from wandb import init\n'
    assert imported_modules(ast.parse(code)) == set()
    assert imported_tops(code) == {"torch", "wandb"}


def test_words_that_contain_the_keywords_are_not_imports() -> None:
    code = "reimport = 1\nx.import_module('a')\nfrom_pretrained('bert')\nimportlib = None\n"
    assert imported_tops(code) == set()


def test_a_logical_line_too_long_to_look_back_over_is_left_to_the_parse() -> None:
    code = "x = [" + "1, " * 3000 + "]; import torch\n"
    assert imported_tops(code) is None
    assert imported_tops("import torch\n" * 10_000) == {"torch"}  # many short lines: fine


def test_modules_that_import_only_what_is_declared_are_not_parsed(
    tmp_path: Path, parses: list[str]
) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "shop"\nversion = "1.0"\ndependencies = ["numpy==2.1.0", "requests==2.32.3"]\n',
        "uv.lock": "version = 1\n",
        "src/shop/__init__.py": "",
        **{
            f"src/shop/mod_{n}.py": f"import os\n\nimport numpy as np\n\n\ndef f_{n}(x):\n    return np.asarray(x)\n"
            for n in range(5)
        },
        "src/shop/fetch.py": "import requests\n\nimport boto3\n\n\ndef get(url):\n    return requests.get(url)\n",
    }
    root = make_repo(tmp_path / "repo", files)
    result = run([Target(root)], Config(), jobs=1)
    undeclared = [f for f in result.findings if f.code == "TF206"]
    assert [(f.path, f.line) for f in undeclared] == [("src/shop/fetch.py", 3)]  # boto3
    assert "src/shop/fetch.py" in parses  # it may import something undeclared: parsed
    assert not any("mod_" in path for path in parses)  # numpy is declared: never parsed


def test_an_undeclared_import_in_a_guard_is_still_judged_by_the_ast(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "shop"\nversion = "1.0"\ndependencies = ["numpy==2.1.0"]\n',
        "src/shop/__init__.py": "",
        "src/shop/track.py": "try:\n    import wandb\nexcept ImportError:\n    wandb = None\n",
        "src/shop/store.py": "import numpy\n\nimport boto3\n",
    }
    root = make_repo(tmp_path / "repo", files)
    result = run([Target(root)], Config(), jobs=1)
    assert [(f.path, f.line) for f in result.findings if f.code == "TF206"] == [
        ("src/shop/store.py", 3)
    ]
