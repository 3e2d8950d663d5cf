"""Look-alikes from held-out set EEE (judged on 1200b4a): each class judged FALSE or
NOISE there, self-written, with the violation the rule must still find."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from twelvefold.model import Severity

from tests.helpers import findings

# --------------------------------------------------------------------------- TF301


def _jwt(claims: dict[str, object]) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    header = part({"alg": "HS256", "typ": "JWT"})
    return f"{header}.{part(claims)}.Qm9ndXNTaWduYXR1cmVGb3JUZXN0c09ubHkxMjM0NTY3OA"


def test_tf301_a_supabase_anon_key_is_public_by_design(tmp_path: Path) -> None:
    # langchain-ai/langgraph's CLI sends opt-out analytics with its Supabase project's
    # anon key (`"role": "anon"`), which Supabase documents as safe to expose with
    # row-level security: an error was FALSE. The service-role key of the same shape
    # bypasses row-level security and is still an error; so is a publishable-looking
    # name on a secret key.
    claims = {"iss": "supabase", "ref": "kzqxwmplvbnhtyrd", "iat": 1719257579}
    anon = _jwt({**claims, "role": "anon", "exp": 2034833579})
    files = {
        "cli/constants.py": f'SUPABASE_URL = "https://kzqxwmplvbnhtyrd.supabase.co"\n'
        f'SUPABASE_PUBLIC_API_KEY = "{anon}"\n',
        "web/client.py": 'SUPABASE_KEY = "sb_publishable_Xk29fLmQ8vRt3NzPw7Ys4Bh"\n',
    }
    assert findings(tmp_path / "anon", "TF301", files) == []
    service = _jwt({**claims, "role": "service_role", "exp": 2034833579})
    files = {"cli/constants.py": f'SUPABASE_PUBLIC_API_KEY = "{service}"\n'}
    [finding] = findings(tmp_path / "service", "TF301", files)
    assert finding.severity is Severity.ERROR and service not in finding.message


# --------------------------------------------------------------------------- TF803


def _workflow(*steps: str, defaults: str = "") -> str:
    run = "".join(f"      - run: {step}\n" for step in steps)
    return (
        "on: [push, pull_request]\n"
        f"{defaults}"
        "jobs:\n"
        "  test:\n"
        "    runs-on: ubuntu-24.04\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        f"{run}"
    )


_APP = '[project]\nname = "recsys"\nversion = "0.1.0"\ndependencies = ["fastapi>=0.110"]\n'
_LOCK = 'version = 1\nrequires-python = ">=3.11"\n\n[[package]]\nname = "fastapi"\nversion = "0.115.0"\n'


def test_tf803_the_lock_of_another_folder_pins_nothing_the_step_installs(tmp_path: Path) -> None:
    # feast-dev/feast-workshop's workflows `pip install "feast[aws]"` (the CLI the job
    # runs) while the only lock is `module_4_rag/poetry.lock`, another module's; a
    # langgraph step runs `pip install -e .` in `libs/cli` (`working-directory`) while
    # the lock named was `libs/checkpoint-conformance/uv.lock`: five FALSE. A buildspec
    # in a pipeline's folder installs that folder, not the root's Pipfile.lock project.
    files = {
        "module_4_rag/pyproject.toml": _APP,
        "module_4_rag/uv.lock": _LOCK,
        "module_4_rag/app.py": "import fastapi\n",
        ".github/workflows/apply.yml": _workflow('pip install "feast[aws]"', "feast apply"),
        ".github/workflows/cli.yml": _workflow(
            "pip install -e .", "pytest", defaults="defaults:\n  run:\n    working-directory: cli\n"
        ),
        ".github/workflows/sdk.yml": _workflow("cd sdk && pip install -e .", "pytest"),
        "pipelines/train/buildspec.yml": "version: 0.2\nphases:\n  build:\n    commands:\n"
        "      - pip install .\n      - python run_pipeline.py\n",
        "uv.lock": _LOCK,
    }
    files["pyproject.toml"] = _APP
    found = findings(tmp_path / "elsewhere", "TF803", files)
    assert [(f.path, f.line) for f in found] == []
    # The root's own project installed around the root's lock is still reported, as is a
    # module installed by its path around that module's lock.
    files[".github/workflows/ci.yml"] = _workflow(
        'pip install -e ".[dev]"', "pip install ./module_4_rag"
    )
    found = findings(tmp_path / "own", "TF803", files)
    assert sorted((f.path, f.line, f.message.split("while")[1]) for f in found) == [
        (".github/workflows/ci.yml", 7, " `uv.lock` pins the environment"),
        (".github/workflows/ci.yml", 8, " `module_4_rag/uv.lock` pins the environment"),
    ]
