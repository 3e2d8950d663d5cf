"""`twelvefold adopt`: bring the template's missing pieces into an existing repository.

The template is rendered with copier into a scratch folder, with answers inferred from
the repository (name, package, Python version, ML stack, CI provider); then only the
pieces an existing project lacks are copied in: CI, pre-commit, `.env.example`,
`.python-version`, the settings module, test scaffolding, and missing `.gitignore`
entries. Existing files are never overwritten: each one skipped is listed with the
reason. The copier answers file is written, so `copier update` works from then on.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twelvefold.compat import tomllib
from twelvefold.lazy_regex import lazy_compile
from twelvefold.manifests import normalise

#: Template pieces adopted, as paths in the rendered project (`{pkg}`: the package).
PIECES = (
    ".github/workflows/ci.yml",
    ".github/workflows/template-update.yml",
    ".gitlab-ci.yml",
    ".pre-commit-config.yaml",
    ".env.example",
    ".python-version",
    "src/{pkg}/config.py",
    "tests/conftest.py",
    "tests/test_config.py",
)
#: The weekly `copier check-update` workflow: it duplicates no CI, so it is added even
#: next to the project's own workflows.
TEMPLATE_UPDATE_WORKFLOW = ".github/workflows/template-update.yml"
GITIGNORE = ".gitignore"
ANSWERS = ".copier-answers.yml"


class AdoptError(Exception):
    """The repository or the template cannot be used; the message says why."""


@dataclass
class AdoptPlan:
    answers: dict[str, Any]
    package_dir: str  # where the project's package lives, e.g. "src/churn" or "churn"
    added: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    gitignore_added: list[str] = field(default_factory=list)


def infer_answers(root: Path) -> tuple[dict[str, Any], str]:
    """Answers for the template's questions, read from the repository's files."""
    pyproject: dict[str, Any] = {}
    if (root / "pyproject.toml").is_file():
        try:
            pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
            pyproject = {}
    project: dict[str, Any] = (
        pyproject["project"] if isinstance(pyproject.get("project"), dict) else {}
    )
    name = str(project.get("name") or root.resolve().name)
    project_name = re.sub(r"[^A-Za-z0-9 ._-]+", "-", name).strip("-") or "project"
    if not project_name[0].isalpha():
        project_name = "project-" + project_name
    package_dir, package_name = _find_package(root, project_name)
    deps = _declared_names(root, pyproject)
    answers: dict[str, Any] = {
        "project_name": project_name,
        "package_name": package_name,
        "python_version": _python_version(root, project),
        "ml_framework": "pytorch"
        if "torch" in deps
        else "scikit-learn"
        if "scikit-learn" in deps
        else "none",
        "serving": "fastapi" if "fastapi" in deps else "none",
        "experiment_tracking": "mlflow" if deps & {"mlflow", "mlflow-skinny"} else "none",
        "data_versioning": "dvc"
        if (root / "dvc.yaml").is_file() or (root / ".dvc").is_dir()
        else "none",
        "ci": "gitlab" if (root / ".gitlab-ci.yml").is_file() else "github",
        "docker": (root / "Dockerfile").is_file(),
    }
    answers.update(_author(root, project))
    if isinstance(project.get("description"), str) and '"' not in project["description"]:
        answers["description"] = (
            project["description"].splitlines()[0] if project["description"] else ""
        )
    return answers, package_dir


_EMAIL = lazy_compile(r'[^@\s"]+@[^@\s"]+\.[^@\s"]+')


def _author(root: Path, project: Mapping[str, Any]) -> dict[str, str]:
    """The author for LICENSE and pyproject: the project's first `[project].authors`
    entry, else git's `user.name` / `user.email` for this repository; nothing (the
    template asks) when neither says, so no placeholder name is written silently."""
    name = email = ""
    authors = project.get("authors")
    if isinstance(authors, list) and authors and isinstance(authors[0], Mapping):
        name = str(authors[0].get("name") or "")
        email = str(authors[0].get("email") or "")
    if not name:
        name = _git_config(root, "user.name")
    if not email:
        email = _git_config(root, "user.email")
    found: dict[str, str] = {}
    if name.strip() and '"' not in name and "\n" not in name:
        found["author_name"] = name.strip()
    if _EMAIL.fullmatch(email.strip()):
        found["author_email"] = email.strip()
    return found


def _git_config(root: Path, key: str) -> str:
    import subprocess

    try:
        done = subprocess.run(
            ["git", "-C", str(root), "config", "--get", key],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _find_package(root: Path, project_name: str) -> tuple[str, str]:
    expected = re.sub(r"[^a-z0-9]+", "_", project_name.lower()).strip("_")
    candidates: list[tuple[str, str]] = []
    for base in ("src", ""):
        folder = root / base if base else root
        if not folder.is_dir():
            continue
        for child in sorted(folder.iterdir()):
            if (
                child.is_dir()
                and not child.is_symlink()
                and (child / "__init__.py").is_file()
                and re.fullmatch(r"[a-z_][a-z0-9_]*", child.name)
                and child.name not in ("tests", "test", "docs", "scripts", "notebooks")
            ):
                candidates.append(
                    (posixpath.join(base, child.name) if base else child.name, child.name)
                )
    for path, name in candidates:
        if name == expected:
            return path, name
    if candidates:
        return candidates[0]
    return f"src/{expected or 'project'}", expected or "project"


def _declared_names(root: Path, pyproject: Mapping[str, Any]) -> set[str]:
    from twelvefold.manifests import parse_requirements, pyproject_all_dependencies

    names: set[str] = set()
    for text in pyproject_all_dependencies(dict(pyproject)):
        names.add(normalise(re.split(r"[\s\[<>=!~;@]", text, maxsplit=1)[0]))
    for requirements in sorted(root.glob("requirements*.txt")):
        try:
            parsed, _, _ = parse_requirements(requirements.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        names |= {r.name for r in parsed}
    return names


def _python_version(root: Path, project: Mapping[str, Any]) -> str:
    supported = ("3.10", "3.11", "3.12", "3.13")
    candidates: list[str] = []
    if (root / ".python-version").is_file():
        candidates.append(
            (root / ".python-version").read_text(encoding="utf-8", errors="replace").strip()
        )
    if isinstance(project.get("requires-python"), str):
        candidates.append(project["requires-python"])
    for text in candidates:
        match = re.search(r"3\.(\d+)", text)
        if match and f"3.{match.group(1)}" in supported:
            return f"3.{match.group(1)}"
    return "3.12"


def adopt(
    root: Path,
    template: str,
    *,
    vcs_ref: str | None = None,
    data: Mapping[str, Any] | None = None,
    dry_run: bool = False,
) -> AdoptPlan:
    try:
        import copier
    except ImportError:
        raise AdoptError("`twelvefold adopt` needs copier: pip install 'copier>=9.4'") from None
    if not root.is_dir():
        raise AdoptError(f"{root}: not a directory")
    answers, package_dir = infer_answers(root)
    answers.update(data or {})
    plan = AdoptPlan(answers, package_dir)
    with tempfile.TemporaryDirectory(prefix="twelvefold-adopt-") as scratch:
        rendered = Path(scratch) / "project"
        try:
            copier.run_copy(
                template,
                rendered,
                data=answers,
                defaults=True,
                unsafe=True,
                skip_tasks=True,  # no lock here: the project keeps its own dependency setup
                quiet=True,
                vcs_ref=vcs_ref,
            )
        except Exception as exc:  # copier raises many types; all mean "cannot render"
            raise AdoptError(
                f"cannot render the template {template}: {type(exc).__name__}: {exc}"
            ) from None
        package = str(answers["package_name"])
        for piece in PIECES:
            source = rendered / piece.format(pkg=package)
            if not source.is_file():
                continue  # an option of the template not chosen (e.g. GitLab vs GitHub)
            target_rel = piece.format(pkg=package)
            if piece.startswith("src/{pkg}/"):
                target_rel = posixpath.join(package_dir, piece.removeprefix("src/{pkg}/"))
            _place(root, source, target_rel, plan, dry_run)
        _merge_gitignore(root, rendered / GITIGNORE, plan, dry_run)
        answers_file = rendered / ANSWERS
        if (root / ANSWERS).exists():
            plan.skipped.append((ANSWERS, "exists: the project already follows a copier template"))
        elif answers_file.is_file():
            plan.added.append(ANSWERS)
            if not dry_run:
                shutil.copyfile(answers_file, root / ANSWERS)
    return plan


def _place(root: Path, source: Path, target_rel: str, plan: AdoptPlan, dry_run: bool) -> None:
    target = root / target_rel
    if target.exists() or target.is_symlink():
        plan.skipped.append(
            (target_rel, "exists: not overwritten (compare with the template by hand)")
        )
        return
    if (
        target_rel.startswith(".github/workflows/")
        and target_rel != TEMPLATE_UPDATE_WORKFLOW
        and any((root / ".github" / "workflows").glob("*.y*ml"))
    ):
        plan.skipped.append((target_rel, "the project already has GitHub workflows"))
        return
    plan.added.append(target_rel)
    if not dry_run:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def _merge_gitignore(root: Path, rendered: Path, plan: AdoptPlan, dry_run: bool) -> None:
    if not rendered.is_file():
        return
    target = root / GITIGNORE
    existing = target.read_text(encoding="utf-8", errors="replace") if target.is_file() else ""
    have = {line.strip() for line in existing.splitlines()}
    missing = [
        line.strip()
        for line in rendered.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#") and line.strip() not in have
    ]
    plan.gitignore_added = missing
    if missing and not dry_run:
        block = (
            "\n# Added by `twelvefold adopt` (twelve-factor defaults)\n" + "\n".join(missing) + "\n"
        )
        with target.open("a", encoding="utf-8") as handle:
            if existing and not existing.endswith("\n"):
                handle.write("\n")
            handle.write(block)


def render_plan(plan: AdoptPlan, dry_run: bool) -> str:
    verb = "would add" if dry_run else "added"
    lines = [
        f"Adopting the twelvefold template (package `{plan.answers['package_name']}` in {plan.package_dir}/):"
    ]
    lines.extend(f"  {verb}    {path}" for path in plan.added)
    if plan.gitignore_added:
        lines.append(f"  {verb}    .gitignore entries: {', '.join(plan.gitignore_added)}")
    lines.extend(f"  skipped  {path}: {reason}" for path, reason in plan.skipped)
    return "\n".join(lines) + "\n"


def parse_data(items: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise AdoptError(f"--data {item!r}: expected KEY=VALUE")
        data[key] = {"true": True, "false": False}.get(value.lower(), value)
    return data


def main(
    path: Path, template: str | None, vcs_ref: str | None, data: list[str], dry_run: bool
) -> int:
    import os

    template = template or os.environ.get("TWELVEFOLD_TEMPLATE")
    if not template:
        sys.stderr.write(
            "twelvefold: error: adopt needs --template (or TWELVEFOLD_TEMPLATE): the template's git URL or path\n"
        )
        return 2
    try:
        plan = adopt(path, template, vcs_ref=vcs_ref, data=parse_data(data), dry_run=dry_run)
    except AdoptError as exc:
        from twelvefold.report import log_line

        sys.stderr.write(log_line(f"twelvefold: error: {exc}") + "\n")
        return 2
    sys.stdout.write(render_plan(plan, dry_run))
    if dry_run:
        return 0
    sys.stdout.write("\nWhat is still to fix by hand (twelvefold check):\n\n")
    sys.stdout.flush()
    from twelvefold.commands import CheckOptions, run_check

    run_check(CheckOptions(paths=[path], fail_on="never"))
    return 0
