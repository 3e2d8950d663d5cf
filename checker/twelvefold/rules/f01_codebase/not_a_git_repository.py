"""TF101 not-a-git-repository: the project is not under git version control."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from twelvefold.model import Severity, Violation
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule


class NotAGitRepository(RepoRule):
    """## What it does
    Reports an audited directory that is not inside a git work tree.

    ## Why is this bad?
    One codebase, many deploys: without version control there is no history, no review,
    no way to tell which code trained which model or is running in production, and no
    way back to the version that worked. The other factor 1 checks (what is committed)
    need git and are skipped.

    ## Example
    A project folder copied around as `churn_model_final_v3.zip`.

    ## Use instead
    ```console
    git init && git add . && git commit -m "Initial commit"
    ```
    with data and models kept out of git (`.gitignore`, DVC or git-LFS).
    """

    code = "TF101"
    depends_on = ()  # the repository itself: a commit is made in git
    name = "not-a-git-repository"
    factor = 1
    severity = Severity.ERROR
    summary = "The project is not under git version control"
    fix = "Run `git init`, ignore data and secrets in .gitignore, and commit the code."

    def check(self, repo: Repo) -> Iterator[Violation]:
        if not repo.is_git and not _has_git_folder(repo.root):
            yield Violation("the audited directory is not inside a git repository")


def _has_git_folder(root: Path) -> bool:
    """A `.git` in the root or a parent: a repository git would not read (owned by
    another user, as in a container on a mounted checkout). Discovery says why in a
    diagnostic; the project is under version control all the same."""
    try:
        return any((folder / ".git").exists() for folder in (root, *root.resolve().parents))
    except OSError:
        return False
