"""TF506 (preview): a deployed application with no version anywhere (issue 15, class 7)."""

from __future__ import annotations

from pathlib import Path

from twelvefold.config import Config

from tests.helpers import check, findings, make_repo

SERVICE = {
    "requirements.txt": "fastapi==0.115.0\nuvicorn==0.30.6\n",
    "app.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    "Dockerfile": (
        "FROM python:3.12-slim\nCOPY requirements.txt app.py ./\n"
        "RUN pip install -r requirements.txt\n"
        'CMD ["uvicorn", "app:app", "--host", "0.0.0.0"]\n'
    ),
    ".github/workflows/image.yml": (
        "name: image\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: docker build -t ghcr.io/acme/churn-api:latest .\n"
    ),
}


def test_a_service_image_built_as_latest_with_no_version_is_reported(tmp_path: Path) -> None:
    [finding] = findings(tmp_path, "TF506", SERVICE)
    assert finding.path == "Dockerfile" and "carries no version" in finding.message


def test_any_version_evidence_is_enough(tmp_path: Path) -> None:
    evidence = {
        "version-file": {"VERSION": "1.4.0\n"},
        "init": {
            "app.py": 'from fastapi import FastAPI\n\n__version__ = "1.4.0"\napp = FastAPI()\n'
        },
        "label": {
            "Dockerfile": SERVICE["Dockerfile"].replace(
                "FROM python:3.12-slim\n",
                "FROM python:3.12-slim\nLABEL org.opencontainers.image.version=1.4.0\n",
            )
        },
        "ci-sha": {
            ".github/workflows/image.yml": SERVICE[".github/workflows/image.yml"].replace(
                ":latest", ":${{ github.sha }}"
            )
        },
        "pyproject": {
            "pyproject.toml": '[project]\nname = "churn-api"\nversion = "1.4.0"\nrequires-python = ">=3.12"\n'
        },
    }
    for name, files in evidence.items():
        assert findings(tmp_path / name, "TF506", {**SERVICE, **files}) == [], name


def test_libraries_and_undeployed_code_are_not_asked(tmp_path: Path) -> None:
    make_repo(tmp_path / "lib", SERVICE)
    library = Config(kind="library", preview=True)
    assert check(tmp_path / "lib", select=["TF506"], config=library).findings == []
    undeployed = {k: v for k, v in SERVICE.items() if k != "Dockerfile"}
    assert findings(tmp_path / "script", "TF506", undeployed) == []
