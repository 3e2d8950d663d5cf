"""Container images a project builds in code (Modal's `modal.Image`), as a Dockerfile
would: the environment its code runs in, declared in a module."""

from __future__ import annotations

from twelvefold import kinds
from twelvefold.lazy_regex import lazy_compile
from twelvefold.repo import Repo

#: An image built from code: Modal's `Image.debian_slim(...)`, `Image.from_registry(...)`,
#: `Image.micromamba(...)`, `Image.from_dockerfile(...)`.
_IMAGE_IN_CODE = lazy_compile(
    r"\bImage\.(?:debian_slim|from_registry|micromamba|from_dockerfile)\("
)
#: ... that installs packages into it (`.pip_install("torch==2.5.1")`, `.uv_pip_install`).
_PIP_INSTALL_METHOD = lazy_compile(r"\.(?:uv_)?pip_install\(")
#: ... with its Python at a version (`debian_slim(python_version="3.11")`,
#: `from_registry(..., add_python="3.10")`).
_PYTHON_AT_A_VERSION = lazy_compile(r"\b(?:python_version|add_python)\s*=\s*[\"']3\.\d+")
#: How many Python modules are read to find an image declared in code.
_MAX_MODULES_READ = 50


def images_in_code(repo: Repo) -> tuple[bool, bool]:
    """Whether a module builds its runtime's image in code and installs packages into it
    (modal-labs/llm-finetuning's `modal.Image.from_registry(...).pip_install(
    "accelerate==0.31.0", ...)`), and whether such an image fixes its Python's version."""
    installs = python = False
    for entry in repo.of_kind(kinds.PYTHON)[:_MAX_MODULES_READ]:
        source = repo.source(entry.path)
        text = source.text if source is not None else None
        if not text or "Image." not in text or not _IMAGE_IN_CODE.search(text):
            continue
        installs = installs or bool(_PIP_INSTALL_METHOD.search(text))
        python = python or bool(_PYTHON_AT_A_VERSION.search(text))
    return installs, python
