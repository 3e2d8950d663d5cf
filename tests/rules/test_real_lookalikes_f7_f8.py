"""Look-alikes found by judging real repositories (TF702, TF703, TF805), each beside a
realistic violation the fix must keep reporting. The files are written for these tests."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings

PYPROJECT = '[project]\nname = "churn"\nversion = "0.1.0"\nrequires-python = ">=3.11"\ndependencies = ["pandas>=2.2"]\n'
CODE = {
    "pyproject.toml": PYPROJECT,
    "src/churn/__init__.py": "",
    "src/churn/train.py": "import pandas as pd\n\ndef train(path):\n    return pd.read_csv(path)\n",
    "tests/test_train.py": "def test_train():\n    assert True\n",
}


def workflow(*steps: str) -> str:
    body = "".join(f"      - {step}\n" for step in steps)
    return (
        "name: CI\non: [push, pull_request]\njobs:\n  check:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - uses: actions/checkout@v4\n" + body
    )


# ------------------------------------------------------------------- TF805 lint gate in CI


def test_tf805_ci_lint_gate_with_no_local_hook_is_reported(tmp_path: Path) -> None:
    # A lint or format check written in the CI configuration itself: nothing local runs it
    # (test_real_lookalikes_fresh.py holds the repositories with no such check).
    variants = {
        "ruff-action": {".github/workflows/lint.yml": workflow("uses: astral-sh/ruff-action@v3")},
        "psf-black": {".github/workflows/lint.yml": workflow("uses: psf/black@stable")},
        "ruff-run": {
            ".github/workflows/ci.yml": workflow(
                "run: pip install ruff==0.6.9", "run: ruff check . && ruff format --check ."
            )
        },
        "flake8-module": {".github/workflows/ci.yml": workflow("run: python -m flake8 src tests")},
        "black-isort": {
            ".github/workflows/ci.yml": workflow(
                "run: |\n          black --check --diff .\n          isort --check-only ."
            )
        },
        "pylint": {".github/workflows/ci.yml": workflow("run: poetry run pylint src/churn")},
        "pre-commit-run": {
            ".github/workflows/ci.yml": workflow("run: pipx run pre-commit run --all-files")
        },
        "gitlab-flake8": {
            ".gitlab-ci.yml": "quality:\n  stage: test\n  script:\n    - flake8 src tests\n",
        },
    }
    for name, extra in variants.items():
        found = findings(tmp_path / name, "TF805", {**CODE, **extra})
        assert [f.code for f in found] == ["TF805"], name


def test_tf805_ci_without_its_own_lint_gate_is_not_reported(tmp_path: Path) -> None:
    variants = {
        "ultralytics-action-commits-fixes": {
            ".github/workflows/format.yml": workflow(
                "uses: ultralytics/actions@main\n        with:\n          python: true"
            )
        },
        "tests-only": {
            ".github/workflows/ci.yml": workflow(
                "run: pip install -e '.[dev]'", "run: pytest -q", "run: python -m build"
            )
        },
        "installs-but-never-runs": {
            ".github/workflows/ci.yml": workflow("run: pip install ruff black", "run: pytest")
        },
        "black-rewrites-only": {".github/workflows/ci.yml": workflow("run: black .")},
        "gitlab-make-test": {
            ".gitlab-ci.yml": "test:\n  script:\n    - make test\n",
            "Makefile": "test:\n\tpytest\n",
        },
        "no-ci": {},
        # Lint through a task of the repository: developers run the same task locally.
        "gitlab-make-quality": {
            ".gitlab-ci.yml": "quality:\n  stage: test\n  script:\n    - make quality\n",
            "Makefile": ".PHONY: quality\nquality:\n\truff check src tests\n\truff format --check src tests\n",
        },
        "make-ci-follows-lint": {
            ".github/workflows/ci.yml": workflow("run: make ci"),
            "Makefile": "ci: style unit\nstyle:\n\tflake8 src\nunit:\n\tpytest\n",
        },
        "tox-lint-env": {
            ".github/workflows/ci.yml": workflow("run: tox -e lint"),
            "tox.ini": "[testenv]\ncommands = pytest\n[testenv:lint]\ncommands = ruff check .\n",
        },
    }
    for name, extra in variants.items():
        assert findings(tmp_path / name, "TF805", {**CODE, **extra}) == [], name


# ------------------------------------------------------------------- TF702 init as PID 1


def test_tf702_shell_form_cmd_under_an_init_entrypoint_is_fine(tmp_path: Path) -> None:
    variants = {
        "tini": (
            "FROM python:3.11-slim\n"
            "RUN apt-get update && apt-get install -y --no-install-recommends tini\n"
            'ENTRYPOINT ["/usr/bin/tini", "--"]\n'
            "CMD python -m churn.worker --queue ${QUEUE:-default}\n"
        ),
        "tini-added": (
            "FROM python:3.11-slim\n"
            "ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini\n"
            "RUN chmod +x /tini\n"
            'ENTRYPOINT ["/tini", "--"]\n'
            "CMD jupyter lab --ip 0.0.0.0 --no-browser\n"
        ),
        "dumb-init": (
            "FROM python:3.11-slim\n"
            "RUN pip install dumb-init==1.2.5\n"
            'ENTRYPOINT ["/usr/bin/dumb-init", "--"]\n'
            "CMD gunicorn -b 0.0.0.0:8000 churn.app:app\n"
        ),
        "inherited-stage": (
            "FROM python:3.11-slim AS base\n"
            'ENTRYPOINT ["tini", "-g", "--"]\n'
            "FROM base AS api\n"
            "CMD uvicorn churn.app:app --host 0.0.0.0\n"
        ),
    }
    for name, text in variants.items():
        assert findings(tmp_path / name, "TF702", {"Dockerfile": text}) == [], name


def test_tf702_shell_form_cmd_without_an_init_is_still_reported(tmp_path: Path) -> None:
    script_entrypoint = (
        "FROM python:3.11-slim\n"
        "COPY docker-entrypoint.sh /docker-entrypoint.sh\n"
        'ENTRYPOINT ["/docker-entrypoint.sh"]\n'
        "CMD gunicorn -b 0.0.0.0:8000 churn.app:app\n"
    )
    [finding] = findings(tmp_path / "script", "TF702", {"Dockerfile": script_entrypoint})
    assert finding.line == 4 and "shell form" in finding.message
    # tini in another, unrelated stage does not wrap this one.
    other_stage = (
        "FROM python:3.11-slim AS notebook\n"
        'ENTRYPOINT ["tini", "--"]\n'
        "CMD jupyter lab\n"
        "FROM python:3.11-slim AS api\n"
        "CMD uvicorn churn.app:app --host 0.0.0.0\n"
    )
    found = findings(tmp_path / "stages", "TF702", {"Dockerfile": other_stage})
    assert [f.line for f in found] == [5]
    # An init in shell form is itself the shell-form finding.
    shell_init = "FROM python:3.11-slim\nENTRYPOINT tini -- python serve.py\n"
    assert [f.line for f in findings(tmp_path / "shell", "TF702", {"Dockerfile": shell_init})] == [
        2
    ]


# ------------------------------------------------------------------- TF703 self-stopping loop

BENCH_CLIENT = """import asyncio
import time

import aiohttp

URL = "http://localhost:8000/predict"


async def fire(session, latencies):
    start = time.perf_counter()
    async with session.post(URL, json={"features": [1.0, 2.0, 3.0]}) as response:
        await response.read()
    latencies.append(time.perf_counter() - start)


async def run(loop, total):
    latencies = []
    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(fire(session, latencies) for _ in range(total)))
    latencies.sort()
    print(f"p50={latencies[total // 2]:.3f}s p99={latencies[int(total * 0.99)]:.3f}s")
    loop.stop()


def main():
    loop = asyncio.new_event_loop()
    loop.create_task(run(loop, 1000))
    loop.run_forever()


if __name__ == "__main__":
    main()
"""


def test_tf703_client_that_stops_its_own_loop_is_not_a_server(tmp_path: Path) -> None:
    call_later = (
        "import asyncio\n\n"
        "async def probe(host):\n"
        "    reader, writer = await asyncio.open_connection(host, 6379)\n"
        "    writer.write(b'PING\\r\\n')\n"
        "    print(await reader.readline())\n\n"
        "loop = asyncio.get_event_loop()\n"
        "loop.create_task(probe('localhost'))\n"
        "loop.call_later(5, loop.stop)\n"
        "loop.run_forever()\n"
    )
    files = {"load_client.py": BENCH_CLIENT, "src/churn/probe.py": call_later}
    assert findings(tmp_path, "TF703", files) == []


def test_tf703_servers_and_loops_nobody_stops_are_still_reported(tmp_path: Path) -> None:
    server = (
        "import asyncio\n\n"
        "async def handle(reader, writer):\n"
        "    writer.write(await reader.readline())\n\n"
        "def main():\n"
        "    loop = asyncio.new_event_loop()\n"
        "    loop.run_until_complete(asyncio.start_server(handle, '0.0.0.0', 9000))\n"
        "    try:\n"
        "        loop.run_forever()\n"
        "    except KeyboardInterrupt:\n"
        "        loop.stop()\n"
    )
    consumer = BENCH_CLIENT.replace("    loop.stop()\n", "")
    files = {"serve.py": server, "consume.py": consumer}
    found = findings(tmp_path, "TF703", files)
    assert [(f.path, f.line) for f in found] == [("consume.py", 27), ("serve.py", 10)]
    assert all("`run_forever()`" in f.message for f in found)
