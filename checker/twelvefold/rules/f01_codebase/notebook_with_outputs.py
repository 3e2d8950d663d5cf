"""TF104 notebook-with-outputs: notebook committed with cell outputs."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, replace

from twelvefold import kinds
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Finding, Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule, fact
from twelvefold.sources import SourceFile

_HAS_OUTPUT = lazy_compile(rb'"outputs"\s*:\s*\[\s*\{')


#: Outputs below this size (their JSON text) are a few lines: `%pwd`, a shape, a log
#: line. Judged on real repositories, nobody strips those; a table, a plot or a dump of
#: records is larger.
SMALL_OUTPUTS = 8 * 1024


@dataclass(frozen=True)
class NotebookOutputs:
    cells_with_outputs: int
    code_cells: int
    first_cell: int
    first_line: int | None
    #: Size of the outputs as stored (their JSON text), to tell a few lines from a dump;
    #: counted up to SMALL_OUTPUTS, and not at all beside an image.
    output_bytes: int = 0
    #: Whether an output is an image (a plot): binary in git history whatever its size.
    has_image: bool = False


@fact("notebook-outputs", kinds=[kinds.NOTEBOOK], prefilter=_HAS_OUTPUT)
def notebook_outputs(file: SourceFile) -> NotebookOutputs | None:
    """How many code cells of a notebook carry outputs, and where the first one is."""
    notebook = file.notebook
    if notebook is None:
        return None
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    with_outputs = [cell for cell in code_cells if cell.raw_outputs]
    if not with_outputs:
        return None
    has_image = any(
        isinstance(output, dict)
        and isinstance(output.get("data"), dict)
        and any(str(key).startswith("image/") for key in output["data"])
        for cell in with_outputs
        for output in cell.raw_outputs
    )
    # Their size matters only below SMALL_OUTPUTS: counting stops there (an image's
    # base64 payload can be megabytes).
    output_bytes = 0
    for cell in with_outputs:
        if has_image or output_bytes >= SMALL_OUTPUTS:
            break
        output_bytes += len(json.dumps(cell.raw_outputs))
    first = with_outputs[0]
    line = next((n for n in first.file_lines if n is not None), None)
    if line is None and first.output_lines:
        line = first.output_file_lines[0]
    return NotebookOutputs(
        len(with_outputs), len(code_cells), first.index, line, output_bytes, has_image
    )


#: Notebooks named in a grouped finding's message; its `files` list them all.
_LISTED = 5
_HOOK_CONFIGURED = " (already configured: run `pre-commit run --all-files`)"

_STRIP_HOOKS = (
    "nbstripout",
    "nbstripout-fast",
    "strip-notebook-output",
    "jupyter-nb-clear-output",
    "nb-clean",
)


def _strips_on_add(repo: Repo, path: str) -> bool:
    """A git filter (nbstripout --install) strips outputs from what is committed."""
    texts: list[tuple[str, str]] = []
    for entry in repo.named(".gitattributes"):
        source = repo.source(entry.path)
        if source is not None and source.text:
            texts.append((posixpath.dirname(entry.path), source.text))
    if repo.git_root is not None:
        info = repo.git_root / ".git" / "info" / "attributes"
        try:
            if info.is_file() and not info.is_symlink():
                texts.append(("", info.read_text(encoding="utf-8", errors="replace")[:100_000]))
        except OSError:
            pass
    for folder, text in texts:
        patterns = [
            line.split()[0]
            for line in text.splitlines()
            if len(line.split()) >= 2
            and any(
                w.startswith("filter=nbstripout") or w == "filter=jupyter" for w in line.split()[1:]
            )
        ]
        if not patterns:
            continue
        prefix = folder + "/" if folder else ""
        from pathspec import GitIgnoreSpec

        try:
            if path.startswith(prefix) and GitIgnoreSpec.from_lines(patterns).match_file(
                path[len(prefix) :]
            ):
                return True
        except ValueError:
            continue
    return False


def _pre_commit_strips(repo: Repo) -> bool:
    for entry in repo.named(".pre-commit-config.yaml", ".pre-commit-config.yml"):
        source = repo.source(entry.path)
        if source is not None and source.text and any(hook in source.text for hook in _STRIP_HOOKS):
            return True
    return False


class NotebookWithOutputs(RepoRule):
    """## What it does
    Reports Jupyter notebooks committed with cell outputs, with the number of code cells
    that carry outputs and the first of them. One finding covers every such notebook of
    the repository (one root cause, one fix: nothing strips outputs before a commit): it
    points at the first and lists the others, and `--fix` strips them all. Text outputs of a few
    lines (under 8 KiB as stored, no image: a working directory, a shape, a log line) are
    not reported; secrets in outputs are TF301's, whatever their size. A notebook not yet committed is reported only if nothing will strip it: an
    `nbstripout` (or similar) pre-commit hook or a `filter=nbstripout` git attribute
    strips outputs before they are committed. A hook does not excuse outputs already
    committed. Notebooks under `docs/` (rendered with their outputs on purpose) and
    test fixtures are not reported.

    ## Why is this bad?
    Outputs carry data samples, tokens printed by accident, absolute paths and
    megabytes of images into git history, where they stay after being cleared. Every
    re-run becomes a noisy diff that hides the code change in review.

    ## Example
    A notebook committed after a run, with the table `df.describe()` printed and a plot:
    ```json
    // notebooks/eda.ipynb
    {
     "cells": [
      {
       "cell_type": "code",
       "execution_count": 3,
       "metadata": {},
       "outputs": [
        {
         "data": {"text/plain": ["        tenure  monthly_charges\\n", "count  7043.0           7043.0\\n"]},
         "execution_count": 3,
         "metadata": {},
         "output_type": "execute_result"
        },
        {
         "data": {"image/png": "iVBORw0KGgoAAAANSUhEUgAAAoAAAAHgCAYAAAA10dzkAAAAOXRFWHRTb2Z0d2FyZQ=="},
         "metadata": {},
         "output_type": "display_data"
        }
       ],
       "source": ["df = pd.read_parquet(\\"data/customers.parquet\\")\\n", "df.describe()"]
      }
     ],
     "metadata": {"kernelspec": {"display_name": "Python 3", "name": "python3"}},
     "nbformat": 4,
     "nbformat_minor": 5
    }
    ```

    ## Use instead
    ```console
    nbstripout notebooks/eda.ipynb && git add notebooks/eda.ipynb
    ```
    which commits the code cells only:
    ```json
    // notebooks/eda.ipynb
    {
     "cells": [
      {
       "cell_type": "code",
       "execution_count": null,
       "metadata": {},
       "outputs": [],
       "source": ["df = pd.read_parquet(\\"data/customers.parquet\\")\\n", "df.describe()"]
      }
     ],
     "metadata": {"kernelspec": {"display_name": "Python 3", "name": "python3"}},
     "nbformat": 4,
     "nbformat_minor": 5
    }
    ```
    and add the `nbstripout` hook so it cannot happen again:
    ```yaml
    # .pre-commit-config.yaml
    repos:
      - repo: https://github.com/kynan/nbstripout
        rev: 0.8.1
        hooks:
          - id: nbstripout
    ```
    `twelvefold check --fix` strips the outputs for you.
    """

    code = "TF104"
    # Opt-in (`Rule.default`): 7 of its 166 findings judged on real repositories were
    # worth fixing: outputs of demo, teaching and exploration notebooks are kept on purpose.
    default = False
    facts_per_file = True
    depends_on = ("*.ipynb", ".gitattributes", ".pre-commit-config.yaml")
    name = "notebook-with-outputs"
    factor = 1
    severity = Severity.WARNING
    # An archived notebook's outputs are committed data all the same (a run's report).
    roles = role.OWN_CODE | {role.ARCHIVE, role.VENDORED}
    repo_kinds = frozenset({project_kind.APPLICATION})
    summary = "Notebook committed with cell outputs"
    fix = "Strip the outputs (`nbstripout <notebook>`) and add the nbstripout pre-commit hook."
    facts = ("notebook-outputs",)

    def check(self, repo: Repo) -> Iterator[Violation]:
        found = repo.facts("notebook-outputs")
        if not found:
            return
        hook = _pre_commit_strips(repo)
        for path, outputs in sorted(found.items()):
            entry = repo.by_path.get(path)
            if entry is None or kinds.is_test_path(path) or path.split("/")[0] in ("docs", "doc"):
                continue
            if outputs.output_bytes < SMALL_OUTPUTS and not outputs.has_image:
                continue  # a few lines (a path, a shape, a log line): nothing to strip
            if _strips_on_add(repo, path):
                continue
            if entry.tracked is False and hook:
                continue  # the hook strips it when it is committed
            states: dict[bool | None, str] = {True: "committed", False: "not ignored by git"}
            state = states.get(entry.tracked, "saved")
            yield Violation(
                # The first cell with outputs is the finding's place (`cell`): every
                # format shows it, so the message does not repeat it.
                f"notebook {state} with outputs in {outputs.cells_with_outputs} of "
                f"{outputs.code_cells} code cells",
                path=path,
                line=outputs.first_line,
                cell=outputs.first_cell,
                fix=f"`nbstripout {path}` (or `twelvefold check --fix`), commit, and add the nbstripout pre-commit hook"
                + (_HOOK_CONFIGURED if hook else "")
                + ".",
            )

    def group(self, findings: list[Finding], repo: Repo) -> list[Finding]:
        """One finding for all the notebooks: the first, listing the others."""
        if len(findings) < 2:
            return findings
        first, others = findings[0], findings[1:]
        paths = [other.path for other in others if other.path is not None]
        listed = ", ".join(f"`{path}`" for path in paths[:_LISTED])
        if len(paths) > _LISTED:
            listed += f" and {len(paths) - _LISTED} more"
        noun = "notebook has" if len(paths) == 1 else "notebooks have"
        hook = any(_HOOK_CONFIGURED in finding.fix for finding in findings)
        return [
            replace(
                first,
                message=f"{first.message}; {len(paths)} more {noun} outputs: {listed}",
                fix="Strip the outputs of all of them (`nbstripout` on each, or "
                "`twelvefold check --fix`), commit, and add the nbstripout pre-commit hook"
                + (_HOOK_CONFIGURED if hook else "")
                + ".",
                files=tuple(paths),
            )
        ]
