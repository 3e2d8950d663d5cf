"""Property-based tests: random repositories of every supported file type, with random
names, encodings and malformed contents, and planted secrets.

Whatever the tree: no exception escapes, the exit code is 0 or 1 (no rule crashed),
JSON output parses, every reported path is a file of the tree (relative, no `..`),
and no planted secret is ever printed whole. Bounded: ~60 examples per property.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from twelvefold.cli import main
from twelvefold.config import Config
from twelvefold.engine import Target, run

from tests.helpers import make_repo

# Secret bodies without vowels or `x`: never mistaken for a placeholder word ("example",
# "todo", "xxxx"), and always mixed case with digits, so the detector recognises them.
_BODY = "bcdfghjklmnpqrstvwzBCDFGHJKLMNPQRSTVWZ23456789"


@st.composite
def secrets(draw: st.DrawFn) -> tuple[str, str]:
    """(the secret value, a line that holds it), for some file kind's syntax."""
    body = draw(st.text(_BODY, min_size=33, max_size=33))
    kind = draw(st.sampled_from(["github", "aws", "password", "key"]))
    if kind == "github":
        value = "ghp_Q7z" + body
    elif kind == "aws":
        value = "AKIAQ7ZP" + "".join(c for c in body.upper() if c.isalnum())[:12].ljust(12, "K")
    elif kind == "password":
        value = "Q7z" + body[:12]
    else:
        value = "Q7z" + body[:20]
    return kind, value


def _line(kind: str, value: str, syntax: str) -> str:
    if kind == "password":
        return {
            "py": f'DB = "postgresql://app:{value}@db.internal/x"  # /home/alice/x.csv',
            "yml": f"url: postgresql://app:{value}@db.internal/x",
            "env": f"DATABASE_URL=postgresql://app:{value}@db.internal/x",
            "docker": f"ENV DATABASE_URL=postgresql://app:{value}@db.internal/x",
            "req": f"git+https://app:{value}@github.com/org/pkg.git",
        }.get(syntax, f"dsn = postgresql://app:{value}@db.internal/x")
    if kind == "key":
        return {
            "py": f'API_TOKEN = "{value}"; DATA = "/home/alice/data.csv"',
            "yml": f"api_key: {value}",
            "env": f"API_KEY={value}",
            "docker": f"ENV API_KEY={value}",
            "json": f'"api_key": "{value}"',
        }.get(syntax, f"api_key = {value}")
    return {
        "py": f'token = "{value}"; subprocess.run(["pip", "install", "x"])',
        "yml": f"token: {value}",
        "env": f"GH_TOKEN={value}",
        "docker": f"ARG GH_TOKEN={value}",
        "json": f'"token": "{value}"',
    }.get(syntax, f"token = {value}")


FRAGMENTS = {
    "py": [
        "import os\n",
        "import requests, torch\n",
        'DATA = "/home/alice/data.csv"\n',
        'subprocess.run(["pip", "install", "x"])\n',
        "def f(:\n",
        'x = """\n',
        "\tif x:\n  y\n",
        "%matplotlib inline\n",
        "!pip install torch\n",
        "x = os.environ['TOKEN']\n",
        "# twelvefold: ignore[TF301]\n",
        "# twelvefold: ignore\n",
        "print(\x1b[31m)\n",
        "x = " + "(" * 300 + ")" * 300 + "\n",
        "λ = 'ü'\n",
        "\x00\n",
    ],
    "req": [
        "requests\n",
        "torch>=2\n",
        "-r other.txt\n",
        "--hash=sha256:ab\n",
        "foo[bar\n",
        "numpy \\\n",
        "-e .\n",
        "pkg @ https://x/y.whl\n",
        "===\n",
        "# c\n",
    ],
    "toml": [
        "[project]\n",
        'dependencies = ["x>=1", 3]\n',
        "[project\n",
        'requires-python = ">=3.10"\n',
        "[tool.poetry.dependencies]\n",
        'python = "^3.11"\n',
        "x = [[[\n",
        '"a" = {b = 1}\n',
    ],
    "yml": [
        "jobs:\n  t:\n    steps:\n      - run: pip install x\n",
        "a: &a [1, 2]\nb: *a\n",
        "on: [push\n",
        "\t- bad\n",
        "dependencies:\n  - python=3.11\n  - pip:\n    - x\n",
        "services:\n  db:\n    image: postgres\n",
        "- - - x\n",
        "!!python/object:os.system x\n",
        "---\n",
    ],
    "docker": [
        "FROM python:3.11\n",
        "RUN pip install x\n",
        "RUN \\\n",
        "COPY . .\n",
        "FROM\n",
        "CMD [\n",
    ],
    "env": ["=\n", "export\n", "PASSWORD\n", "TOKEN='unterminated\n", "A=1\n"],
    "json": ['{"a": ', "[1, 2,", "{}", "null", '"\\ud800"'],
    "cfg": [
        "[metadata]\n",
        "name = x\n",
        "[options\n",
        "install_requires =\n  foo\n",
        "password =\n",
    ],
}

#: File names (or suffixes) of each supported kind, and the syntax their lines use.
KINDS = [
    ("py", ".py"),
    ("nb", ".ipynb"),
    ("req", "requirements.txt"),
    ("req", "requirements-dev.txt"),
    ("toml", "pyproject.toml"),
    ("yml", ".yml"),
    ("yml", "docker-compose.yml"),
    ("docker", "Dockerfile"),
    ("env", ".env"),
    ("json", ".json"),
    ("cfg", ".cfg"),
    ("cfg", "setup.cfg"),
    ("env", ".sh"),
]

_NAME_CHARS = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\\0", min_codepoint=0x20
)
names = (
    st.text(_NAME_CHARS, min_size=1, max_size=12)
    .map(lambda s: s if s.strip(".") else s + "_")
    .filter(lambda s: len(s.encode()) < 200 and s not in (".git", ".twelvefold_cache"))
)


def _notebook(draw: st.DrawFn, lines: list[str]) -> str:
    cells = [
        {
            "cell_type": draw(st.sampled_from(["code", "code", "markdown", "raw", 7])),
            "metadata": {},
            "source": draw(st.sampled_from([lines, "".join(lines), None, [1, None]])),
            "outputs": [{"output_type": "stream", "name": "stdout", "text": lines}],
        }
    ]
    text = json.dumps(
        {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1
    )
    cut = draw(st.sampled_from([None, None, len(text) // 2, 1]))
    return text if cut is None else text[:cut]


def _encode(draw: st.DrawFn, text: str) -> bytes:
    encoding = draw(
        st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16", "bytes"])
    )
    if encoding == "bytes":
        return draw(st.binary(max_size=200)) + text.encode()
    return text.encode(encoding, "replace")


@st.composite
def trees(draw: st.DrawFn) -> tuple[dict[str, bytes], list[str]]:
    """A repository: {path: bytes}, and the secrets planted in it."""
    files: dict[str, bytes] = {}
    planted: list[str] = []
    for number in range(draw(st.integers(1, 8))):
        syntax, suffix = draw(st.sampled_from(KINDS))
        folder = draw(st.sampled_from(["", "src/", "deep/er/", "-dash dir/", "ünï/"]))
        name = (draw(names) + suffix) if suffix.startswith(".") and suffix != ".env" else suffix
        if name == "pyproject.toml" and folder == "":
            folder = (
                "pkg/"  # a broken root pyproject.toml is a config error (exit 2): tested elsewhere
            )
        path = (
            f"{folder}{number}{name}"
            if name == suffix and suffix.startswith(".")
            else f"{folder}{name}"
        )
        if any(p == path or p.startswith(path + "/") or path.startswith(p + "/") for p in files):
            continue
        pieces = draw(st.lists(st.sampled_from(FRAGMENTS.get(syntax, FRAGMENTS["py"])), max_size=6))
        pieces += [draw(st.text(max_size=30))]
        if draw(st.booleans()):
            kind, value = draw(secrets())
            planted.append(value)
            pieces.insert(draw(st.integers(0, len(pieces))), _line(kind, value, syntax) + "\n")
        text = "".join(pieces) if syntax != "nb" else _notebook(draw, pieces)
        files[path] = _encode(draw, text)
    return files, planted


def _run(root: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", *args, str(root)])
    return code, out.getvalue(), err.getvalue()


#: Raise for a longer hunt: TWELVEFOLD_PROPERTY_EXAMPLES=2000 uv run pytest tests/test_property.py
EXAMPLES = int(os.environ.get("TWELVEFOLD_PROPERTY_EXAMPLES", "60"))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(trees(), st.booleans())
def test_any_tree_is_checked_safely(
    tree: tuple[dict[str, bytes], list[str]], use_git: bool
) -> None:
    files, planted = tree
    with tempfile.TemporaryDirectory() as workdir:
        root = make_repo(Path(workdir) / "repo", files, git_init=use_git)  # type: ignore[arg-type]
        code, out, err = _run(root, "--output-format", "json")
        assert code in (0, 1), err
        assert "internal error" not in err and "Traceback" not in err, err
        report = json.loads(out)
        for item in [*report["findings"], *report["diagnostics"]]:
            path = item["path"]
            if path is None:
                continue
            assert not path.startswith("/") and ".." not in path.split("/"), path
            assert path in files, f"{path!r} is not a file of the tree"
        event(f"findings: {'some' if report['findings'] else 'none'}")
        event(
            f"secrets planted: {bool(planted)}, TF301 reported: {any(f['code'] == 'TF301' for f in report['findings'])}"
        )
        full_code, full, full_err = _run(root, "--output-format", "full")
        assert full_code == code
        for value in planted:
            for stream in (out, err, full, full_err):
                assert value not in stream, f"secret printed whole: {value}"


# --- manifests with the wrong type in any field ------------------------------------------
#
# Manifests are typed by convention only: `setup(install_requires=5)`, `dependencies: 5`
# in environment.yml or `jobs: [1, 2]` in a workflow parse fine, and a rule that trusted
# the shape crashed (an internal error fails the run, but the rule must handle it). Each
# example replaces fields of realistic manifests with values of other types (YAML keys
# too) and checks the whole rule set in-process: no rule may crash.

_PYPROJECT: dict[str, Any] = {
    "build-system": {"requires": ["hatchling>=1.26"], "build-backend": "hatchling.build"},
    "project": {
        "name": "churn",
        "version": "1.0",
        "requires-python": ">=3.11",
        "dependencies": ["pandas==2.2.2", "fastapi>=0.110", "torch"],
        "optional-dependencies": {"dev": ["pytest>=8"]},
        "dynamic": ["readme"],
        "scripts": {"churn": "churn.cli:main"},
    },
    "dependency-groups": {"dev": ["pytest>=8", {"include-group": "lint"}], "lint": ["ruff"]},
    "tool": {
        "poetry": {
            "name": "churn",
            "dependencies": {"python": "^3.11", "numpy": "^1.26", "requests": {"version": "^2"}},
            "group": {"dev": {"dependencies": {"pytest": "^8"}}},
            "dev-dependencies": {"black": "*"},
        },
        "pdm": {"dev-dependencies": {"test": ["pytest"]}},
        "uv": {"dev-dependencies": ["pytest"], "workspace": {"members": ["packages/*"]}},
        "pytest": {"ini_options": {"testpaths": ["tests"], "python_files": ["test_*.py"]}},
        "tox": {"legacy_tox_ini": "[tox]\nenvlist = py311\n[testenv]\ncommands = pytest\n"},
    },
}
_UV_LOCK: dict[str, Any] = {
    "version": 1,
    "requires-python": ">=3.11",
    "package": [
        {"name": "pandas", "version": "2.2.2", "dependencies": [{"name": "numpy"}]},
        {
            "name": "churn",
            "version": "1.0",
            "source": {"editable": "."},
            "metadata": {
                "requires-dist": [{"name": "pandas", "specifier": "==2.2.2"}, {"name": "torch"}],
                "requires-dev": {"dev": [{"name": "pytest", "specifier": ">=8"}]},
            },
        },
    ],
}
_SETUP: dict[str, Any] = {
    "name": "churn",
    "version": "1.0",
    "install_requires": ["pandas==2.2.2", "requests"],
    "extras_require": {"dev": ["pytest"]},
    "tests_require": ["pytest"],
    "python_requires": ">=3.11",
    "entry_points": {"console_scripts": ["churn=churn.cli:main"]},
}
_GITHUB: dict[str, Any] = {
    "on": {"push": {"branches": ["main"]}},
    "jobs": {
        "test": {
            "runs-on": "ubuntu-latest",
            "container": {"image": "python:3.11"},
            "services": {"db": {"image": "postgres:16"}},
            "steps": [
                {"uses": "actions/checkout@v4"},
                {"uses": "astral-sh/setup-uv@v5", "with": {"version": "0.5"}},
                {"run": "uv sync --locked"},
                {"run": "pip install -r requirements.txt"},
                {"name": "test", "run": "uv run pytest"},
            ],
        }
    },
}
_GITLAB: dict[str, Any] = {
    "image": "python:3.11",
    "before_script": ["pip install uv"],
    "test": {"script": ["uv sync --locked", "pytest"], "services": ["postgres:16"]},
}
_CIRCLE: dict[str, Any] = {
    "version": 2.1,
    "jobs": {
        "test": {
            "docker": [{"image": "cimg/python:3.11"}],
            "steps": ["checkout", {"run": {"name": "t", "command": "pytest"}}],
        }
    },
}
_PRECOMMIT: dict[str, Any] = {
    "repos": [
        {
            "repo": "https://github.com/kynan/nbstripout",
            "rev": "0.7.1",
            "hooks": [{"id": "nbstripout"}],
        },
        {"repo": "local", "hooks": [{"id": "pytest", "entry": "pytest", "language": "system"}]},
    ]
}
_COMPOSE: dict[str, Any] = {
    "services": {
        "web": {
            "build": {"context": ".", "dockerfile": "Dockerfile"},
            "command": "uvicorn app:app",
            "environment": {"DB": "postgres://db"},
            "healthcheck": {"test": ["CMD", "curl", "-f", "http://localhost/health"]},
            "env_file": [".env"],
        },
        "db": {"image": "postgres:16", "environment": ["POSTGRES_PASSWORD_FILE=/run/x"]},
    }
}
_DVC: dict[str, Any] = {
    "stages": {
        "train": {
            "cmd": "python train.py",
            "deps": ["data/raw", {"data/x": {"cache": False}}],
            "outs": ["models/model.pkl", {"models/m2": {"persist": True}}],
            "params": ["train.lr"],
            "wdir": ".",
        }
    }
}
_NOTEBOOK: dict[str, Any] = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": 1,
            "metadata": {},
            "outputs": [{"output_type": "stream", "name": "stdout", "text": ["1\n"]}],
            "source": ["import pandas as pd\n", "!pip install torch\n", "model.fit(X, y)\n"],
        }
    ],
    "metadata": {"kernelspec": {"name": "python3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}

#: (path, format, document): the manifests, CI and tool files rules parse.
MANIFESTS: list[tuple[str, str, Any]] = [
    ("pyproject.toml", "toml", _PYPROJECT),
    ("pkg/pyproject.toml", "toml", _PYPROJECT),
    ("uv.lock", "toml", _UV_LOCK),
    ("pkg/poetry.lock", "toml", {"package": [{"name": "numpy", "version": "1.26.4"}]}),
    ("Pipfile", "toml", {"packages": {"requests": "*"}, "dev-packages": {"pytest": "*"}}),
    ("setup.py", "setup", _SETUP),
    (
        "environment.yml",
        "yaml",
        {"name": "churn", "dependencies": ["python=3.11", "numpy", {"pip": ["requests==2"]}]},
    ),
    (".github/workflows/ci.yml", "yaml", _GITHUB),
    (".gitlab-ci.yml", "yaml", _GITLAB),
    (".circleci/config.yml", "yaml", _CIRCLE),
    ("azure-pipelines.yml", "yaml", {"steps": [{"script": "pytest"}, {"bash": "pip install x"}]}),
    (".pre-commit-config.yaml", "yaml", _PRECOMMIT),
    ("docker-compose.yml", "yaml", _COMPOSE),
    ("dvc.yaml", "yaml", _DVC),
    ("data.dvc", "yaml", {"outs": [{"md5": "ab", "path": "data"}]}),
    ("MLproject", "yaml", {"name": "churn", "entry_points": {"main": {"command": "python t.py"}}}),
    ("params.yaml", "yaml", {"train": {"lr": 0.1, "epochs": 10}, "seed": 42}),
    (".devcontainer/devcontainer.json", "json", {"image": "python:3.11", "features": {"x": {}}}),
    ("notebooks/train.ipynb", "json", _NOTEBOOK),
]
#: Code that makes the rules reading those files apply.
MANIFEST_CODE = {
    "src/churn/__init__.py": "",
    "src/churn/train.py": (
        "import pandas as pd\nimport torch\nfrom sklearn.model_selection import train_test_split\n"
        "lr = 0.1\nX_train, X_test = train_test_split(df)\nmodel.fit(X_train)\n"
    ),
    "src/churn/api.py": (
        "from fastapi import FastAPI\nimport subprocess\napp = FastAPI()\nSTORE = {}\n"
        "@app.post('/predict')\ndef predict(x):\n    subprocess.run(['ffmpeg'])\n"
        "    return model.predict(x)\n"
    ),
    "tests/test_train.py": "def test_x():\n    assert True\n",
    "Dockerfile": "FROM python:3.11\nCOPY . .\nRUN pip install -r requirements.txt\nCMD python s.py\n",
    "requirements.txt": "pandas==2.2.2\nrequests\n",
}


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value if v is not None) + "]"
    if isinstance(value, dict):
        items = (
            f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in value.items() if v is not None
        )
        return "{" + ", ".join(items) + "}"
    return '""'


def _toml(document: Any) -> str:
    """TOML as people write it: scalars first, then a [table] or [[array]] per key."""
    if not isinstance(document, dict):
        return f"x = {_toml_value(document)}\n"
    head: list[str] = []
    tables: list[str] = []

    def table(header: str, values: dict[str, Any]) -> None:
        tables.append(header)
        tables.extend(
            f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in values.items() if v is not None
        )

    for key, value in document.items():
        name = json.dumps(str(key))
        if isinstance(value, dict) and key == "tool":
            for sub, values in value.items():
                if isinstance(values, dict):
                    table(f"[{name}.{json.dumps(str(sub))}]", values)
                elif values is not None:
                    tables.append(f"[{name}]\n{json.dumps(str(sub))} = {_toml_value(values)}")
        elif isinstance(value, dict):
            table(f"[{name}]", value)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for item in value:
                table(f"[[{name}]]", item)
        elif value is not None:
            head.append(f"{name} = {_toml_value(value)}")
    return "\n".join(head + tables) + "\n"


def _setup_py(arguments: Any) -> str:
    if not isinstance(arguments, dict):
        return f"from setuptools import setup\n\nsetup({arguments!r})\n"
    rendered = ", ".join(
        f"{key}={value!r}"
        if isinstance(key, str) and key.isidentifier()
        else f"**{{{key!r}: {value!r}}}"
        for key, value in arguments.items()
    )
    return f"from setuptools import setup\n\nsetup({rendered})\n"


def render_manifest(fmt: str, document: Any) -> str:
    import yaml

    if fmt == "toml":
        return _toml(document)
    if fmt == "yaml":
        return yaml.safe_dump(document, sort_keys=False)
    if fmt == "json":
        return json.dumps(document, indent=1)
    return _setup_py(document)


def _places(document: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every node of a document, the document itself first."""
    found = [prefix]
    if isinstance(document, dict):
        for key, value in document.items():
            found += _places(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += _places(value, (*prefix, index))
    return found


def _replace(document: Any, place: tuple[Any, ...], value: Any, *, key: bool = False) -> Any:
    """A copy of `document` with the node at `place` replaced by `value` (or, with
    `key`, the key of that node renamed to `value`)."""
    if not place:
        return value
    copied = copy.deepcopy(document)
    node = copied
    for part in place[:-1]:
        node = node[part]
    if key and isinstance(node, dict):
        node[value] = node.pop(place[-1])
    else:
        node[place[-1]] = value
    return copied


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "x", "pandas", "==1", "*", "python=3.11", "-r x.txt", "../..", "/abs"]),
    st.text(max_size=8),
)
#: Anything a manifest field could hold instead of what the rules expect.
wrong_values = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["name", "run", "steps", "pip", "dependencies", "version", "x"]),
            children,
            max_size=3,
        )
    ),
    max_leaves=6,
)


@st.composite
def confused_manifests(draw: st.DrawFn) -> dict[str, str]:
    """The manifests, some of them with fields of the wrong type."""
    files = dict(MANIFEST_CODE)
    chosen = draw(st.sets(st.integers(0, len(MANIFESTS) - 1), min_size=1, max_size=5))
    for index, (path, fmt, original) in enumerate(MANIFESTS):
        document = original
        if index in chosen:
            for _ in range(draw(st.integers(1, 3))):
                place = draw(st.sampled_from(_places(document)))
                if fmt == "yaml" and place and isinstance(place[-1], str) and draw(st.booleans()):
                    key = draw(st.sampled_from([5, True, None, 1.5]))
                    document = _replace(document, place, key, key=True)
                else:
                    document = _replace(document, place, draw(wrong_values))
        files[path] = render_manifest(fmt, document)
    return files


def _internal_errors(files: dict[str, str]) -> list[str]:
    with tempfile.TemporaryDirectory() as workdir:
        root = make_repo(Path(workdir) / "repo", files, git_init=False)  # type: ignore[arg-type]
        result = run([Target(root)], Config(), jobs=1)
    return [diagnostic.message for diagnostic in result.internal_errors]


def test_the_manifests_themselves_crash_no_rule() -> None:
    files = dict(MANIFEST_CODE)
    files.update({path: render_manifest(fmt, doc) for path, fmt, doc in MANIFESTS})
    assert _internal_errors(files) == []


@settings(
    max_examples=max(10, EXAMPLES // 2),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(confused_manifests())
def test_type_confused_manifests_crash_no_rule(files: dict[str, str]) -> None:
    assert _internal_errors(files) == []


#: What the hunt over every field found (each crashed a rule): manifest, field, value.
KNOWN_CONFUSIONS: list[tuple[str, tuple[Any, ...], Any]] = [
    ("setup.py", ("install_requires",), 5),
    ("setup.py", ("install_requires",), True),
    ("setup.py", ("extras_require", "dev"), None),
    ("setup.py", ("extras_require", "dev"), 5),
    ("pyproject.toml", ("project", "dynamic"), [{"a": [1]}]),
    ("pyproject.toml", ("project", "dynamic", 0), [5]),
    ("pyproject.toml", ("tool", "pytest", "ini_options", "testpaths"), 5),
    ("pyproject.toml", ("tool", "pytest", "ini_options", "python_files"), True),
    ("uv.lock", ("package",), 5),
    ("uv.lock", ("package", 1, "metadata", "requires-dev"), "x"),
    ("uv.lock", ("package", 1, "metadata", "requires-dev", "dev"), 5),
    ("uv.lock", ("package", 1, "metadata", "requires-dist"), 5),
    ("environment.yml", ("dependencies",), 5),
    (".github/workflows/ci.yml", ("jobs",), [1, 2]),
    (".pre-commit-config.yaml", ("repos",), {"a": 1}),
]


@pytest.mark.parametrize(("path", "place", "value"), KNOWN_CONFUSIONS)
def test_known_type_confusions_crash_no_rule(path: str, place: tuple[Any, ...], value: Any) -> None:
    files = dict(MANIFEST_CODE)
    for name, fmt, document in MANIFESTS:
        confused = _replace(document, place, value) if name == path else document
        files[name] = render_manifest(fmt, confused)
    assert _internal_errors(files) == []


#: One wrong type per field and round, in turn (TOML has no null: the field is dropped).
SWEEP: list[Any] = [5, None, "x", [5], {"k": 5}, True, [{"a": [1]}], 1.5, [None], ""]


def test_every_manifest_field_with_a_wrong_type_crashes_no_rule() -> None:
    """A sweep: round `r` gives field `r` of every manifest (cycling through the short
    ones) the wrong value `SWEEP[r]`, so every field of every manifest is tried at least
    once. Fields of different files are independent, so one run tries all manifests."""
    places = [_places(document) for _, _, document in MANIFESTS]
    crashed: list[tuple[int, list[str]]] = []
    for round_ in range(max(len(found) for found in places)):
        files = dict(MANIFEST_CODE)
        for (path, fmt, document), found in zip(MANIFESTS, places, strict=True):
            value = SWEEP[(round_ + len(found)) % len(SWEEP)]
            files[path] = render_manifest(
                fmt, _replace(document, found[round_ % len(found)], value)
            )
        errors = _internal_errors(files)
        if errors:
            crashed.append((round_, errors))
    assert crashed == []
