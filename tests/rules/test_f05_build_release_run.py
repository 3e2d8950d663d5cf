"""Factor 5 rules: build configuration, version, Dockerfile base image, secrets, lock."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import check, findings

BUILD = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
PROJECT = '[project]\nname = "churn"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
TRAIN = "import pandas as pd\n\ndef train(path):\n    return pd.read_csv(path)\n"


# ------------------------------------------------------------------- TF501 no build configuration


def test_research_repo_with_only_requirements_is_reported(tmp_path: Path) -> None:
    files = {"requirements.txt": "pandas==2.2.3\n", "train.py": TRAIN}
    [finding] = findings(tmp_path, "TF501", files)
    assert "no build configuration" in finding.message


def test_uv_app_pyproject_without_build_system_is_reported(tmp_path: Path) -> None:
    files = {"pyproject.toml": PROJECT, "src/churn/train.py": TRAIN}
    [finding] = findings(tmp_path, "TF501", files)
    assert finding.path == "pyproject.toml" and "[build-system]" in finding.message


def test_build_system_setup_py_or_dockerfile_count_as_build(tmp_path: Path) -> None:
    cases = {
        "pyproject": {"pyproject.toml": BUILD + PROJECT},
        "setup": {"setup.py": "from setuptools import setup\nsetup(name='churn', version='0.1')\n"},
        "docker": {
            "docker/Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n",
            "requirements.txt": "pandas==2.2.3\n",
        },
        "nested": {"services/api/pyproject.toml": BUILD + PROJECT},
    }
    for name, extra in cases.items():
        assert findings(tmp_path / name, "TF501", {**extra, "train.py": TRAIN}) == [], name


def test_repo_without_python_needs_no_build(tmp_path: Path) -> None:
    assert findings(tmp_path, "TF501", {"README.md": "# notes\n"}) == []


# ------------------------------------------------------------------- TF502 no version


def test_project_without_version_is_reported(tmp_path: Path) -> None:
    pyproject = BUILD + '[project]\nname = "churn"\nrequires-python = ">=3.11"\n'
    [finding] = findings(
        tmp_path, "TF502", {"pyproject.toml": pyproject, "src/churn/__init__.py": ""}
    )
    assert "`churn` declares no version" in finding.message and finding.line == 4


def test_poetry_project_without_version_is_reported(tmp_path: Path) -> None:
    pyproject = (
        BUILD + '[tool.poetry]\nname = "churn"\n\n[tool.poetry.dependencies]\npython = "^3.11"\n'
    )
    [finding] = findings(tmp_path, "TF502", {"pyproject.toml": pyproject, "churn/__init__.py": ""})
    assert "[tool.poetry]" in finding.message


def test_static_dynamic_setup_and_poetry_versions_are_fine(tmp_path: Path) -> None:
    cases = {
        "static": {"pyproject.toml": BUILD + PROJECT},
        "dynamic": {
            "pyproject.toml": BUILD
            + '[project]\nname = "churn"\ndynamic = ["version"]\n[tool.hatch.version]\npath = "churn/__init__.py"\n'
        },
        "setup": {
            "pyproject.toml": BUILD + '[project]\nname = "churn"\n',
            "setup.py": "setup(version='1.0')\n",
        },
        "poetry": {"pyproject.toml": BUILD + '[tool.poetry]\nname = "churn"\nversion = "0.2.0"\n'},
        "docker-only": {
            "Dockerfile": "FROM python:3.12-slim\n",
            "pyproject.toml": "[tool.ruff]\nline-length = 100\n",
        },
    }
    for name, extra in cases.items():
        assert findings(tmp_path / name, "TF502", {**extra, "churn/__init__.py": ""}) == [], name


def test_no_version_is_not_reported_on_top_of_no_build(tmp_path: Path) -> None:
    files = {"pyproject.toml": '[project]\nname = "churn"\n', "train.py": TRAIN}
    assert [f.code for f in findings(tmp_path, ["TF501", "TF502"], files)] == ["TF501"]


# ------------------------------------------------------------------- TF503 unpinned base image


def test_untagged_and_latest_base_images_are_reported(tmp_path: Path) -> None:
    dockerfile = (
        "# syntax=docker/dockerfile:1\n"
        "FROM python AS build\n"
        "RUN pip wheel --no-deps -w /wheels .\n"
        "FROM --platform=linux/amd64 pytorch/pytorch:latest\n"
        "COPY --from=build /wheels /wheels\n"
    )
    found = findings(tmp_path, "TF503", {"Dockerfile": dockerfile})
    # A bare name with no tag may be an image the repository builds itself: a warning.
    assert [(f.line, f.severity.value) for f in found] == [(2, "warning"), (4, "error")]
    assert "`python` has no tag" in found[0].message and "python:3.12-slim" in found[0].fix
    assert "`pytorch/pytorch:latest`" in found[1].message


def test_arg_default_latest_is_reported(tmp_path: Path) -> None:
    dockerfile = "ARG BASE=nvidia/cuda:latest\nFROM ${BASE}\nRUN nvidia-smi\n"
    [finding] = findings(tmp_path, "TF503", {"docker/gpu.Dockerfile": dockerfile})
    assert "nvidia/cuda:latest" in finding.message and finding.line == 2


def test_pinned_digest_stage_scratch_and_arg_bases_are_fine(tmp_path: Path) -> None:
    dockerfile = (
        "ARG PYTHON_VERSION=3.12\n"
        "ARG CUDA_IMAGE\n"
        "FROM python:${PYTHON_VERSION}-slim AS builder\n"
        "RUN pip wheel -w /w .\n"
        "FROM builder AS test\n"
        "FROM ${CUDA_IMAGE} AS gpu\n"
        "FROM ghcr.io/astral-sh/uv:0.5.11 AS uv\n"
        "FROM python@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
        "FROM localhost:5000/team/base:2024.06 AS local\n"
        "FROM scratch\n"
        "COPY --from=builder /w /w\n"
    )
    assert findings(tmp_path, "TF503", {"Dockerfile": dockerfile}) == []


# ------------------------------------------------------------------- TF504 secret in image


def test_copy_dotenv_and_env_from_build_arg_are_reported(tmp_path: Path) -> None:
    dockerfile = (
        "FROM python:3.12-slim\n"
        "WORKDIR /app\n"
        "COPY .env /app/.env\n"
        "ARG HF_TOKEN\n"
        "ENV HF_TOKEN=${HF_TOKEN} \\\n"
        "    TOKENIZERS_PARALLELISM=false\n"
        'COPY ["config/gcp-credentials.json", "/secrets/"]\n'
    )
    found = findings(tmp_path, "TF504", {"Dockerfile": dockerfile})
    assert [f.line for f in found] == [3, 5, 7]
    assert "`COPY .env`" in found[0].message
    assert "HF_TOKEN=${HF_TOKEN}" in found[1].message and "TOKENIZERS" not in found[1].message


def test_literal_secret_in_arg_is_reported_once_across_rules(tmp_path: Path) -> None:
    dockerfile = (
        "FROM python:3.12-slim\nARG WANDB_API_KEY=4f1c0d2b9e8a7f6c5d4e3b2a1f0e9d8c7b6a5f4e\n"
    )
    found = findings(tmp_path, ["TF301", "TF504"], {"Dockerfile": dockerfile})
    assert [f.code for f in found] == ["TF301"]
    # Too short for the secret scanner to be sure, but a password baked into the image all the same.
    found = findings(
        tmp_path / "b",
        ["TF301", "TF504"],
        {"Dockerfile": "FROM python:3.12-slim\nENV DB_PASSWORD=hunter2\n"},
    )
    assert [(f.code, f.line) for f in found] == [("TF504", 2)]
    assert "`ENV DB_PASSWORD` bakes a literal secret" in found[0].message


def test_env_example_secret_files_and_runtime_mounts_are_fine(tmp_path: Path) -> None:
    dockerfile = (
        "FROM python:3.12-slim\n"
        "COPY .env.example /app/.env.example\n"
        "COPY --from=build /app/.venv /app/.venv\n"
        "ARG HF_TOKEN\n"
        "ENV HF_TOKEN_FILE=/run/secrets/hf_token PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false\n"
        "ENV API_KEY=\n"
        "RUN --mount=type=secret,id=hf_token HF_TOKEN=$(cat /run/secrets/hf_token) python download.py\n"
        "COPY src/ ./src/\n"
    )
    assert findings(tmp_path, "TF504", {"Dockerfile": dockerfile}) == []


# ------------------------------------------------------------------- TF505 install without lock


def test_unpinned_requirements_and_ad_hoc_installs_are_reported(tmp_path: Path) -> None:
    dockerfile = (
        "FROM python:3.12-slim\n"
        "COPY requirements.txt .\n"
        "RUN pip install --no-cache-dir -r requirements.txt\n"
        "RUN pip install --upgrade pip && \\\n"
        "    pip install fastapi uvicorn[standard]\n"
    )
    files = {
        "Dockerfile": dockerfile,
        "requirements.txt": "pandas\nscikit-learn>=1.3\njoblib==1.4.2\n",
    }
    found = findings(tmp_path, "TF505", files)
    assert [f.line for f in found] == [3, 4]
    assert "`pandas`" in found[0].message and "`scikit-learn>=1.3`" in found[0].message
    assert "`fastapi`" in found[1].message and "pip`" not in found[1].message


def test_project_install_without_lock_and_heredoc_are_reported(tmp_path: Path) -> None:
    dockerfile = (
        "FROM python:3.12-slim AS app\n"
        "COPY . /app\n"
        "RUN <<EOF\n"
        "set -e\n"
        "python -m pip install /app\n"
        "EOF\n"
        "FROM python:3.12-slim AS poetry\n"
        "RUN pip install poetry==1.8.3 && poetry install --only main\n"
    )
    # (a project that requires something: one that requires nothing resolves nothing)
    files = {
        "Dockerfile": dockerfile,
        "pyproject.toml": BUILD + PROJECT + 'dependencies = ["pandas>=2.2"]\n',
    }
    found = findings(tmp_path, "TF505", files)
    assert [f.line for f in found] == [3, 8]
    assert "resolves its dependencies" in found[0].message and "poetry.lock" in found[1].message


def test_locked_installs_are_fine(tmp_path: Path) -> None:
    dockerfile = (
        "FROM python:3.12-slim AS uv\n"
        "COPY --from=ghcr.io/astral-sh/uv:0.5.11 /uv /bin/uv\n"
        "RUN uv sync --locked --no-dev --no-install-project\n"
        "RUN uv sync --frozen --no-dev\n"
        "FROM python:3.12-slim AS pip\n"
        "RUN pip install --upgrade pip setuptools wheel\n"
        "RUN pip install --require-hashes -r requirements.lock\n"
        "RUN pip install --no-deps .\n"
        "RUN pip install -r requirements.txt && pip install -e .\n"
        "RUN pip install -r requirements.in -c constraints.txt\n"
        "RUN pip install torch==2.3.1 --index-url https://download.pytorch.org/whl/cpu\n"
        "FROM python:3.12-slim AS poetry\n"
        "RUN pip install poetry && poetry install --no-root\n"
    )
    files = {
        "Dockerfile": dockerfile,
        "requirements.txt": "pandas==2.2.3\nnumpy==2.0.1\n",
        "requirements.in": "pandas\n",
        "poetry.lock": "# lock\n",
        "pyproject.toml": BUILD + PROJECT,
    }
    assert findings(tmp_path, "TF505", files) == []


def test_versioned_tools_urls_and_exported_locks_are_not_the_project(tmp_path: Path) -> None:
    # Held-out set M (llm-twin-course, ml-zoomcamp): a tool pinned by a build argument,
    # a versioned wheel URL, a VCS URL at a commit, and the lock exported into pip.
    dockerfile = (
        "FROM python:3.11-slim\n"
        "ARG POETRY_VERSION=1.8.3\n"
        'RUN pip install --no-cache-dir "poetry==$POETRY_VERSION"\n'
        "RUN poetry install --no-root\n"
        "RUN pip install https://example.org/wheels/tflite_runtime-2.14.0-cp310-cp310-linux_x86_64.whl\n"
        "RUN pip install git+https://github.com/onnx/tensorflow-onnx.git@${COMMIT_ID}\n"
        "RUN uv pip install --system -r <(uv export --format requirements-txt)\n"
    )
    files = {"Dockerfile": dockerfile, "poetry.lock": "# lock\n", "pyproject.toml": BUILD + PROJECT}
    assert findings(tmp_path, "TF505", files) == []
    # the same forms left open are still reported, with what they install
    dockerfile = (
        "FROM python:3.11-slim\n"
        "RUN pip install git+https://github.com/org/tool.git\n"
        "RUN pip install $EXTRA_PACKAGES .\n"
        "RUN uv pip install --system -r <(cat requirements.txt)\n"
    )
    found = findings(
        tmp_path / "open", "TF505", {"Dockerfile": dockerfile, "pyproject.toml": BUILD + PROJECT}
    )
    assert [f.line for f in found] == [2, 3]
    assert "git+https://github.com/org/tool.git" in found[0].message
    assert "of the project" in found[1].message


# ------------------------------------------------------------------- the shared Dockerfile parser


def test_parser_joins_continuations_skips_comments_and_reads_heredocs() -> None:
    from twelvefold.detectors.dockerfile import expand, parse, split_image

    text = (
        "# syntax=docker/dockerfile:1\n"
        "ARG PY=3.12\n"
        "FROM --platform=$BUILDPLATFORM python:${PY}-slim AS Build\n"
        "RUN pip install \\\n"
        "    # a comment inside the continuation\n"
        "    pandas\n"
        "RUN <<-EOF\n"
        "\tpip install torch\n"
        "\tEOF\n"
        'CMD ["python", "app.py"]\n'
        "ENTRYPOINT [not json\n"
    )
    parsed = parse(text)
    assert parsed.directives == {"syntax": "docker/dockerfile:1"}
    assert [(i.keyword, i.line, i.end_line) for i in parsed.instructions] == [
        ("ARG", 2, 2),
        ("FROM", 3, 3),
        ("RUN", 4, 6),
        ("RUN", 7, 9),
        ("CMD", 10, 10),
        ("ENTRYPOINT", 11, 11),
    ]
    assert parsed.instructions[2].arguments == "pip install pandas"
    assert parsed.instructions[3].heredocs == ("pip install torch",)
    assert parsed.instructions[4].exec_form == ("python", "app.py")
    assert parsed.instructions[5].exec_form is None
    [stage] = parsed.stages
    assert (stage.base, stage.name) == ("python:${PY}-slim", "build")
    assert split_image(expand(stage.base, parsed.global_args) or "") == (
        "python",
        "3.12-slim",
        None,
    )
    assert expand("${IMAGE}", {}) is None and expand("${IMAGE:-python:3.12}", {}) == "python:3.12"


def test_parser_never_raises_on_garbage() -> None:
    from twelvefold.detectors.dockerfile import parse

    for text in (
        "",
        "\\\n",
        "FROM",
        "RUN <<EOF\nunterminated",
        "# escape=`\nRUN a `\n b",
        "\x00\x01",
        "COPY ['x'\n",
    ):
        parse(text)


def test_extras_of_a_package_pinned_nowhere_on_the_line_are_still_reported(
    tmp_path: Path,
) -> None:
    # Look-alike (tests/rules/test_real_lookalikes_heldout.py): `pkg==1.4.2 pkg[extra]`.
    dockerfile = (
        "FROM python:3.12-slim\n"
        "RUN pip install acme-client==1.4.2 acme-tracing[otel]\n"
        "RUN pip install acme-client[metrics]\n"
        "RUN pip install acme-client==1.4.2\n"
        "RUN pip install acme-client[metrics] pandas\n"
    )
    # The image's unpinned packages are one finding at its first step (3 steps of 4: the
    # extras beside their own pin on line 2 and the bare pin on line 4 are pinned).
    [found] = findings(tmp_path, "TF505", {"Dockerfile": dockerfile})
    assert found.line == 2 and "(3 steps)" in found.message
    assert "`acme-tracing[otel]`, `acme-client[metrics]`, `pandas` in" in found.message


def test_copy_from_an_unpinned_image_is_reported(tmp_path: Path) -> None:
    dockerfile = (
        "FROM python:3.12.4-slim AS build\n"
        "COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/\n"
        "COPY --from=bitnami/kubectl /opt/bitnami/kubectl/bin/kubectl /usr/local/bin/\n"
        "WORKDIR /app\n"
        "FROM python:3.12.4-slim\n"
        "COPY --from=build /app /app\n"
    )
    found = findings(tmp_path, "TF503", {"Dockerfile": dockerfile, "app.py": "print(1)\n"})
    assert [(f.line, f.message) for f in found] == [
        (
            2,
            "`COPY --from=ghcr.io/astral-sh/uv:latest` copies from an image that uses the moving `latest` tag",
        ),
        (
            3,
            "`COPY --from=bitnami/kubectl` copies from an image that has no tag (it means `latest`)",
        ),
    ]
    # A tool copied from a moving tag is a warning (held-out set M: at error it failed
    # course images whose runtime is pinned); a moving base image stays an error, and a
    # severity configured for the rule still wins.
    assert {f.severity.value for f in found} == {"warning"}
    base = "FROM python:latest\nCOPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/\n"
    found = findings(tmp_path / "base", "TF503", {"Dockerfile": base, "app.py": "print(1)\n"})
    assert [(f.line, f.severity.value) for f in found] == [(1, "error"), (2, "warning")]
    from twelvefold.config import Config
    from twelvefold.model import Severity

    configured = Config(severity={"TF503": Severity.ERROR})
    found = check(tmp_path / "base", select=["TF503"], config=configured).findings
    assert [(f.line, f.severity.value) for f in found] == [(1, "error"), (2, "error")]


def test_copy_from_stages_pinned_images_and_build_contexts_is_fine(tmp_path: Path) -> None:
    dockerfile = (
        "ARG UV=0.5.11\n"
        "FROM python:3.12.4-slim AS builder\n"
        "RUN pip install --no-deps -r requirements.txt\n"
        "FROM python:3.12.4-slim\n"
        "COPY --from=ghcr.io/astral-sh/uv:${UV} /uv /bin/uv\n"
        "COPY --from=ghcr.io/astral-sh/uv@sha256:" + "a" * 64 + " /uvx /bin/uvx\n"
        "COPY --from=builder /usr/local /usr/local\n"
        "COPY --from=0 /etc/passwd /etc/passwd\n"
        "COPY --from=assets /static /app/static\n"  # a named build context
        "COPY --chown=app:app src /app/src\n"
    )
    assert findings(tmp_path, "TF503", {"Dockerfile": dockerfile, "app.py": "print(1)\n"}) == []
