"""Modules a rule has no candidate in are not parsed: a scan of the text says so first.

Each case pairs a realistic module the rule must still judge (parsed, reported) with a
look-alike that says the same words where no rule looks (an error message, a docstring)
and must not cost a parse."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from twelvefold.config import Config
from twelvefold.detectors import secrets
from twelvefold.engine import Target, run

from tests.helpers import make_repo

_PROJECT = {
    "pyproject.toml": '[project]\nname = "shop"\nversion = "1.0"\ndependencies = ["requests==2.32.3", "fastapi==0.115.0"]\n',
    "uv.lock": "version = 1\n",
    "src/shop/__init__.py": "",
}


def test_a_pip_install_named_in_an_error_message_costs_no_parse(
    tmp_path: Path, parses: list[str]
) -> None:
    files = {
        **_PROJECT,
        "src/shop/optional.py": (
            "def need_plotly():\n"
            "    raise ImportError('plotting needs plotly: pip install plotly')\n"
        ),
        "src/shop/bootstrap.py": (
            "import subprocess\nimport sys\n\n\ndef ensure(package):\n"
            "    subprocess.check_call([sys.executable, '-m', 'pip', 'install', package])\n"
        ),
    }
    result = run([Target(make_repo(tmp_path / "repo", files))], Config(), jobs=1)
    assert [f.path for f in result.findings if f.code == "TF205"] == ["src/shop/bootstrap.py"]
    assert not any(path.endswith("optional.py") for path in parses)


def test_a_module_that_imports_no_web_framework_is_not_parsed_for_routes(
    tmp_path: Path, parses: list[str]
) -> None:
    files = {
        **_PROJECT,
        # "serve" and "flask" in prose: the old prefilter sent it to the parser.
        "src/shop/notes.py": '"""How we serve the model (we left flask for fastapi)."""\n\nVERSION = "1.0"\n',
        "src/shop/api.py": (
            "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
            "@app.post('/predict')\ndef predict(x: float) -> float:\n    return x\n"
        ),
    }
    result = run([Target(make_repo(tmp_path / "repo", files))], Config(), jobs=1)
    assert "TF1201" in {f.code for f in result.findings}  # the API has no health route
    assert not any(path.endswith("notes.py") for path in parses)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "token = 'ghp_" + "a1B2" * 9 + "'\n",
        "x = 1\n" * 2000 + "AKIA" + "Z" * 16 + "\n",
        "# é ü " * 1000 + "sk-proj-" + "Ab3" * 20 + "\n",
        "tokenizer = load()\n" * 1000,
    ],
)
def test_the_secret_scans_literal_set_finds_what_one_test_per_literal_finds(text: str) -> None:
    pytest.importorskip("re2")
    one_by_one = {p.id for anchor, p in secrets._ANCHOR_OF if anchor in text}
    assert secrets._present_patterns(text) == one_by_one
    if len(text) >= secrets._SET_MIN_CHARS:
        assert secrets._anchor_set() is not None  # the set answered


def test_secret_literals_are_ascii() -> None:
    # The set matches the text's UTF-8 bytes: exact only for ASCII literals.
    assert all(anchor.isascii() for anchor, _ in secrets._ANCHOR_OF)


# --- hyperparameter-literals: training literals and settings-class fields -----------------

_FIELDS = [
    "class TrainConfig:\n    lr: float = 0.1\n",
    'class TrainConfig:\n    """The knobs."""\n\n    EPOCHS = 10\n',
    "class Settings(BaseSettings):\n\tbatch_size: int\n",
    "class HParams: lr = 0.1\n",
    "def make():\n    class RunArgs:\n        # the run's knobs\n        weight_decay = 0.01\n    return RunArgs\n",
]

_NO_FIELDS = [
    # transformers' configuration classes: the knobs are `__init__` arguments.
    "class BertConfig(PretrainedConfig):\n    model_type = 'bert'\n\n    def __init__(\n"
    "        self,\n        hidden_size=768,\n        dropout=0.1,\n    ):\n"
    "        self.hidden_size = hidden_size\n",
    "class Trainer:\n    lr = 0.1\n",  # not a settings class by its name
]


@pytest.mark.parametrize("code", _FIELDS)
def test_a_settings_field_passes_the_text_test(code: str) -> None:
    from twelvefold.rules.f03_config._hyperparameters import _may_have_fields

    assert _may_have_fields(code)


@pytest.mark.parametrize("code", _NO_FIELDS)
def test_init_arguments_of_a_config_class_are_no_fields(code: str) -> None:
    from twelvefold.rules.f03_config._hyperparameters import _may_have_fields

    assert not _may_have_fields(code)


@pytest.mark.parametrize(
    ("code", "numeric"),
    [
        ("model.fit(x, y, epochs=10)", True),
        ("SGD(params, lr = -0.1)", True),
        ("fit(x, epochs=(\n    10  # ten\n))", True),
        ("fit(x, epochs = \\\n    10)", True),
        ("fit(x, epochs=args.epochs, lr=cfg.lr)", False),
        ("if epochs == 10: pass", False),
    ],
)
def test_numeric_keyword_is_what_the_ast_calls_a_number(code: str, numeric: bool) -> None:
    from twelvefold.rules.f03_config._hyperparameters import _NUMERIC_KEYWORD

    assert bool(_NUMERIC_KEYWORD.search(code)) is numeric


def test_a_config_class_with_init_arguments_is_not_parsed(
    tmp_path: Path, parses: list[str]
) -> None:
    files = {
        **_PROJECT,
        "configs/train.yaml": "max_iter: 500\nepochs: 20\nbatch_size: 64\n",
        "src/shop/configuration.py": _NO_FIELDS[0],
        "src/shop/train.py": (
            "from sklearn.linear_model import SGDClassifier\n\n\ndef train(x, y):\n"
            "    model = SGDClassifier(max_iter=1000)\n    model.fit(x, y)\n"
            "    return model\n"
        ),
    }
    config = Config(extend_select=["TF304"])
    result = run([Target(make_repo(tmp_path / "repo", files))], config, jobs=1)
    assert [f.path for f in result.findings if f.code == "TF304"] == ["src/shop/train.py"]
    assert not any(path.endswith("configuration.py") for path in parses)


# --- system-tool-calls: programs run by a process call ------------------------------------


@pytest.mark.parametrize(
    ("code", "runs"),
    [
        ("import subprocess\nsubprocess.run(['ffmpeg', '-i', src])\n", True),
        ("import subprocess as sp\nsp.check_output (['git', 'rev-parse', 'HEAD'])\n", True),
        ("from subprocess import run as sh\nsh(['ffmpeg'])\n", True),
        ("import os\nos.system('nvidia-smi')\n", True),
        # `os.` and `subprocess` in a module that runs nothing: the old prefilter's words.
        ("import os\n\nROOT = os.path.dirname(__file__)\n", False),
        ('"""Uses subprocess-free IO."""\nimport os.path\n', False),
    ],
)
def test_process_call_text_is_a_necessary_condition(code: str, runs: bool) -> None:
    from twelvefold.rules.f02_dependencies.undeclared_system_tool import _PROCESS_CALL_TEXT

    assert bool(_PROCESS_CALL_TEXT.search(code)) is runs


def test_a_module_whose_prints_are_only_in_its_docstrings_is_not_parsed_for_prints(
    tmp_path: Path, parses: list[str]
) -> None:
    files = {
        **_PROJECT,
        "src/shop/model.py": (
            "class Model:\n"
            '    """Example:\n\n    >>> print(model.generate("hi"))\n    """\n\n'
            "    def generate(self, text):\n"
            "        return text  # print(text) was here\n"
        ),
        "src/shop/train.py": (
            "def fit(model, epochs):\n"
            "    for epoch in range(epochs):\n"
            '        print(f"epoch {epoch}")\n'
            '    print("done")\n'
        ),
    }
    result = run([Target(make_repo(tmp_path / "repo", files))], Config(select=["TF902"]), jobs=1)
    assert [f.path for f in result.findings] == ["src/shop/train.py"]
    assert not any(path.endswith("model.py") for path in parses)


@pytest.mark.parametrize(
    "code",
    [
        "def f():\n    print(1)\n",
        "def f():\n    print (1)\n",
        "def f():\n    x = (print\n         (1))\n",
        "def f():\n    print \\\n        (1)\n",
        'def f():\n    return f"{print(1)}"\n',
        "def f():\n    return rf'{print(1)}'\n",
        "def f():  # a comment\n    '''doc'''; print(1)\n",
    ],
)
def test_the_print_scan_finds_every_print_call_the_ast_has(code: str) -> None:
    import ast

    from twelvefold.rules.f09_logs.print_as_logging import _calls_print

    calls = [
        node
        for node in ast.walk(ast.parse(code))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    ]
    assert calls and all(call.func.id == "print" for call in calls)  # type: ignore[attr-defined]
    assert _calls_print(_blanked(code))


@pytest.mark.parametrize(
    "code",
    [
        '"""print(x)"""\n',
        "# print(x)\n",
        "logger.print(x)\n",
        "pprint(x)\n",
        "x = 'print(1)'\n",
        "_print(x)\n",
        "print_table(x)\n",
    ],
)
def test_the_print_scan_skips_what_calls_no_print(code: str) -> None:
    from twelvefold.rules.f09_logs.print_as_logging import _calls_print

    assert not _calls_print(_blanked(code))


def _blanked(code: str) -> str:
    from twelvefold import kinds
    from twelvefold.rules._code_text import blanked_code
    from twelvefold.sources import SourceFile

    return blanked_code(SourceFile("module.py", kinds.PYTHON, code.encode()))


def test_a_library_module_that_draws_but_seeds_nothing_is_not_parsed_for_randomness(
    tmp_path: Path, parses: list[str]
) -> None:
    # transformers' modeling files: `torch.randn` in a library's own code is its users'
    # to seed, and its tests' draws are inputs (TF1004 does not apply to a library): 352
    # parses -> a few on transformers.
    files = {
        "pyproject.toml": (
            '[project]\nname = "shop"\nversion = "1.0"\nrequires-python = ">=3.11"\n'
            'dependencies = ["torch>=2"]\nclassifiers = ["Programming Language :: Python"]\n'
        ),
        "README.md": "# shop\n",
        "src/shop/__init__.py": "",
        "src/shop/noise.py": "import torch\n\n\ndef noise(n):\n    return torch.randn(n)\n",
        "tests/test_noise.py": (
            "import torch\n\nfrom shop.noise import noise\n\n\n"
            "def test_noise():\n    assert noise(3).shape == torch.randn(3).shape\n"
        ),
    }
    result = run([Target(make_repo(tmp_path / "repo", files))], Config(), jobs=1)
    # Nothing reported; the library module was never parsed for it.
    assert [f.path for f in result.findings if f.code == "TF1004"] == []
    assert not any(path.endswith("noise.py") and "tests" not in path for path in parses)


# --- one pass over code: `_code_text.in_code` -------------------------------------------

_PIECES = ["'", '"', "'''", '"""', "#", "\n", "\\", "f", "rf", "if", " ", "x", "(", "load"]


def _in_code_agrees(text: str) -> tuple[bool, bool]:
    """(what `in_code` says, what a search of the blanked view says) of `load` as a word."""
    re2 = pytest.importorskip("re2")
    from twelvefold.rules._code_text import blanked_text, in_code

    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1
    options.dot_nl = True
    word = rb"\bload\b"
    one_pass = re2.compile(in_code(word), options).search(text.encode()) is not None
    blanked = re2.compile(word, options).search(blanked_text(text).encode()) is not None
    return one_pass, blanked


@pytest.mark.parametrize(
    ("text", "in_code"),
    [
        ("x = load(path)\n", True),
        ('"""Call load(path) first."""\nx = 1\n', False),
        ("x = 1  # then load(path)\n", False),
        ("x = 'load'\n", False),
        ('x = f"{load(path)}"\n', True),  # an f-string's fields are code
        ('# see pdf\n"""load"""\n', True),  # a comment's last `f` before the quote
        ("x = ''\ny = '''\nload\n'''\n", False),  # `''` then a third quote: triple
        ("x = '''a''load'''\n", False),
        ("x = 'unterminated load\n", False),
        ("x = 'a'\nload()\n", True),
    ],
)
def test_in_code_reads_strings_and_comments_as_blanking_does(text: str, in_code: bool) -> None:
    assert _in_code_agrees(text) == (in_code, in_code)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=24))
def test_in_code_never_misses_what_the_blanked_view_has(pieces: list[str]) -> None:
    one_pass, blanked = _in_code_agrees("".join(pieces))
    assert one_pass or not blanked


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_PIECES, "print", ".", "\t", "\r\n"]), max_size=24))
def test_the_print_pass_never_misses_a_print_the_blanked_view_calls(pieces: list[str]) -> None:
    pytest.importorskip("re2")
    from twelvefold.rules._code_text import blanked_text, may_hold_in_code
    from twelvefold.rules.f09_logs.print_as_logging import _calls_print

    text = "".join(pieces)
    assert may_hold_in_code(rb"\bprint\b", text) or not _calls_print(blanked_text(text))


def test_a_library_script_with_a_main_guard_is_not_parsed_for_its_prints(
    tmp_path: Path, parses: list[str]
) -> None:
    # A conversion script inside a library's package prints to the person running it:
    # its main guard and the imports the scan lists say so without a parse. Its
    # look-alikes still go to the parser and are judged: the guard only in a docstring,
    # and a Flask app started under a main guard (a web service's prints are logs).
    library = {
        "pyproject.toml": '[project]\nname = "tinylib"\nversion = "1.0"\ndependencies = ["flask==3.0.3", "torch==2.4.0"]\n\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
        "uv.lock": "version = 1\n",
        "src/tinylib/__init__.py": '"""A tiny library."""\n',
        "src/tinylib/convert_checkpoint.py": (
            "import argparse\n\nimport torch\n\n\n"
            "def convert(path):\n    state = torch.load(path)\n"
            "    print(f'converted {len(state)} tensors')\n    print('done')\n\n\n"
            'if __name__ == "__main__":\n    parser = argparse.ArgumentParser()\n'
            "    parser.add_argument('path')\n    convert(parser.parse_args().path)\n"
        ),
        "src/tinylib/loader.py": (
            '"""Load checkpoints.\n\nUsage::\n\n'
            'if __name__ == "__main__":\n    load("x")\n"""\n\n\n'
            "def load(path):\n    print(f'loading {path}')\n    print('loaded')\n    return path\n"
        ),
        "src/tinylib/demo_server.py": (
            "from flask import Flask\n\napp = Flask(__name__)\n\n\n"
            "@app.get('/predict')\ndef predict():\n    print('predicting')\n    return {}\n\n\n"
            'if __name__ == "__main__":\n    app.run()\n'
        ),
    }
    result = run([Target(make_repo(tmp_path / "repo", library))], Config(), jobs=1)
    reported = {f.path for f in result.findings if f.code == "TF902"}
    assert reported == {"src/tinylib/loader.py", "src/tinylib/demo_server.py"}
    assert not any(path.endswith("convert_checkpoint.py") for path in parses)
    assert any(path.endswith("loader.py") for path in parses)
