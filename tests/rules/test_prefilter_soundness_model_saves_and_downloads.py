"""The text scans that spare TF701 and the `model-saves` fact a parse: realistic
violations still pass them (and are still reported), realistic look-alikes fail them
and are never parsed."""

from __future__ import annotations

from pathlib import Path

import pytest
from twelvefold import kinds
from twelvefold.rules.f07_disposability.download_at_import import (
    DownloadAtImport,
    _may_download_at_import,
)
from twelvefold.rules.f12_deployability.model_saved_without_metadata import (
    _may_save_or_note,
    model_saves,
)
from twelvefold.sources import SourceFile

from tests.helpers import findings

# ------------------------------------------------------------------- TF701 download at import

#: Downloads at import time, each reported by TF701 (path `app/model.py`, one finding).
REPORTED = {
    "under a module-level if": (
        "import os\nfrom transformers import AutoModel\n\n"
        'if os.environ.get("WARM"):\n'
        '    model = AutoModel.from_pretrained("bert-base-uncased")\n'
    ),
    "after a function, in a class body": (
        "from transformers import AutoModel\n\n\n"
        "def predict(x):\n    return model(x)\n\n\n"
        "class Holder:\n"
        '    """Holds `from_pretrained` models."""\n\n'
        "    def reset(self):\n        pass\n\n"
        '    model = AutoModel.from_pretrained("bert-base-uncased")\n'
    ),
    "a helper called at import": (
        "import torch\n\n\n"
        "def load_model():\n"
        '    """Load it."""\n'
        '    return torch.hub.load("pytorch/vision", "resnet18")\n\n\n'
        "MODEL = load_model()\n"
    ),
    "an alias bound in a function": (
        "def _lazy():\n    from huggingface_hub import snapshot_download as fetch\n\n\n"
        'PATH = fetch("org/model")\n'
    ),
    "a multi-line signature before": (
        "from transformers import pipeline\n\n\n"
        "def predict(\n    text: str,\n    top_k: int = 1,\n) -> list:\n"
        '    """>>> pipeline("sentiment-analysis")"""\n    return classifier(text)\n\n\n'
        'classifier = pipeline("sentiment-analysis")\n'
    ),
    "a continuation line": (
        "import torch\n\n\ndef f():\n    pass\n\n\n"
        'MODEL = (\n    torch.hub\n    .load("pytorch/vision", "resnet18")\n)\n'
    ),
    "after a docstring that looks like a def": (
        "import requests\n\n"
        'USAGE = """\ndef example():\n"""\n'
        'if True:\n    BODY = requests.get("https://example.com/weights.bin")\n'
    ),
    "a copy run through subprocess": (
        "import subprocess\n\n"
        'subprocess.run(["aws", "s3", "cp", "s3://bucket/model.pkl", "model.pkl"])\n'
    ),
    "with tabs": (
        "import requests\n\n\ndef f():\n\treturn 1\n\n\n"
        'if True:\n\tDATA = requests.get("https://example.com/data.csv")\n'
    ),
}

#: Look-alikes: no download at import time, and nothing to parse.
NOT_PARSED = {
    "only inside a function": (
        "from transformers import AutoModel\n\n\n"
        "def load():\n"
        '    return AutoModel.from_pretrained("bert-base-uncased")\n'
    ),
    "only in docstrings": (
        '"""Load with `AutoModel.from_pretrained("bert")`."""\n\n\n'
        "class Config:\n"
        '    """Example:\n\n    >>> model = AutoModel.from_pretrained("bert-base-uncased")\n    """\n\n'
        "    hidden: int = 768\n"
    ),
    "only in a method and a comment": (
        "# model = AutoModel.from_pretrained('x') at import would block\n"
        "class Loader:\n"
        "    def __init__(self, name: str) -> None:\n"
        "        from transformers import AutoModel\n\n"
        "        self.model = AutoModel.from_pretrained(\n"
        "            name,\n"
        "        )\n"
    ),
    "a relative import of a hub module": (
        "from .utils.hub import cached_file\n\n\ndef resolve(name):\n    return cached_file(name)\n"
    ),
}


@pytest.mark.parametrize("name", sorted(REPORTED))
def test_downloads_at_import_pass_the_scan_and_are_reported(tmp_path: Path, name: str) -> None:
    source = REPORTED[name]
    assert _may_download_at_import(source)
    found = findings(tmp_path, "TF701", {"app/model.py": source})
    assert len(found) == 1, name


@pytest.mark.parametrize("name", sorted(NOT_PARSED))
def test_look_alikes_fail_the_scan_and_are_not_parsed(name: str) -> None:
    source = NOT_PARSED[name]
    assert not _may_download_at_import(source)
    file = SourceFile("app/model.py", kinds.PYTHON, source.encode())
    assert list(DownloadAtImport().check(file)) == []
    assert file.python is not None and "tree" not in file.python.__dict__


def test_the_scan_never_parses_and_reports_as_the_parse_does(tmp_path: Path) -> None:
    # A nested function's download is not the helper's, but the scan keeps the file.
    source = (
        "import requests\n\n\ndef outer():\n    def inner():\n"
        '        return requests.get("https://example.com/x")\n    return inner\n\n\n'
        "HANDLER = outer()\n"
    )
    assert _may_download_at_import(source)
    assert findings(tmp_path, "TF701", {"app/model.py": source}) == []


# ------------------------------------------------------------------- model-saves fact


#: Files whose fact is not None: each must pass the scan.
SAVES_OR_METADATA = {
    "a dump": 'import joblib\n\njoblib.dump(model, "models/model.PKL")\n',
    "into an opened file": (
        'import pickle\n\nwith open("model.pkl", "wb") as f:\n    pickle.dump(clf, f)\n'
    ),
    "a metadata key": 'import json\n\nmeta = {"version": 3}\n',
    "a short docstring": 'def tag():\n    """Write the VERSION file."""\n',
    "an escaped string": 'NOTE = "model\\nmeta"\n',
    "an f-string part": 'name = f"{run}: model_card written by {user} ' + "x" * 100 + '"\n',
    "a registry": "def push(model):\n    model.push_to_hub('org/model')\n",
    "a versioned store": "import mlflow\n",
    "strings on separate statements": '"""Module."""\n"version 2"\n',
}

#: Files whose fact is None: not parsed.
NOTHING_TO_FIND = {
    "a version in a name": (
        "from packaging.version import parse\n\n\n"
        "def newer(a, b):\n    return parse(a) > parse(b)\n"
    ),
    "a long docstring": (
        'def save_all(x):\n    """'
        + "Saves everything, whatever the version of the library; " * 3
        + '"""\n    return x\n'
    ),
    "a long message in pieces": (
        "import warnings\n\nwarnings.warn(\n"
        '    "This argument is deprecated and will be removed in version 5 of the library, "\n'
        '    "please use the `dtype` argument instead, which does the same thing."\n)\n'
    ),
    "a dump of no model file": 'import json\n\njson.dump(data, open("out.json", "w"))\n',
}


@pytest.mark.parametrize("name", sorted(SAVES_OR_METADATA))
def test_saves_and_metadata_pass_the_scan(name: str) -> None:
    source = SAVES_OR_METADATA[name]
    assert _may_save_or_note(source), name
    fact = model_saves(SourceFile("src/train.py", kinds.PYTHON, source.encode()))
    assert fact is not None, name


@pytest.mark.parametrize("name", sorted(NOTHING_TO_FIND))
def test_files_with_nothing_to_find_are_not_parsed(name: str) -> None:
    source = NOTHING_TO_FIND[name]
    assert not _may_save_or_note(source), name
    file = SourceFile("src/train.py", kinds.PYTHON, source.encode())
    assert model_saves(file) is None
    assert file.python is not None and "tree" not in file.python.__dict__
