"""copier task: take the author from git when the author questions were left empty.

copier.yml runs this on `copier copy` when `author_name` is empty (the default), in the
new project, with copier's own Python. A placeholder name ("Your Name") would go silently
into the license and the package metadata, so the default is empty and this task fills
in git's `user.name` / `user.email` — the identity the user already commits with:

- `pyproject.toml` gets `authors = [...]` after the `requires-python` line;
- the license's copyright line names the author instead of "The <project> authors";
- the answers file records the values, so `copier update` renders the same author.

Without a git identity nothing is invented: the project has no `authors` entry, the
license names "The <project> authors", and a warning says how to set them. The task
never fails the copy.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path


def git_config(key: str) -> str:
    try:
        result = subprocess.run(
            ["git", "config", "--get", key], capture_output=True, text=True, check=False
        )
    except OSError:  # git is missing
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def warn(message: str) -> None:
    sys.stderr.write(f"twelvefold: {message}\n")


def toml_string(value: str) -> str:
    # A JSON string is a valid TOML basic string (same escapes for quotes, backslashes
    # and control characters).
    return json.dumps(value, ensure_ascii=False)


def main(answers_file: str, fallback_holder: str) -> int:
    name = git_config("user.name")
    email = git_config("user.email")
    if not name or '"' in name:
        warn(
            "no author given and git has no user.name: pyproject.toml has no `authors` and the "
            f"license names {fallback_holder!r}. Set them there, and in {answers_file} "
            "(author_name, author_email) so `copier update` keeps them."
        )
        return 0
    if not re.fullmatch(r'[^@\s"]+@[^@\s"]+\.[^@\s"]+', email):
        email = ""
    pyproject = Path("pyproject.toml")
    text = pyproject.read_text(encoding="utf-8")
    entry = f"name = {toml_string(name)}" + (f", email = {toml_string(email)}" if email else "")
    text, count = re.subn(
        r"^(requires-python = .*\n)",
        rf"\g<1>authors = [{{ {entry} }}]\n",
        text,
        count=1,
        flags=re.M,
    )
    if count:
        pyproject.write_text(text, encoding="utf-8")
    license_file = Path("LICENSE")
    if license_file.is_file():
        license_text = license_file.read_text(encoding="utf-8")
        license_file.write_text(license_text.replace(fallback_holder, name), encoding="utf-8")
    answers = Path(answers_file)
    if answers.is_file():
        # JSON strings are valid YAML double-quoted scalars.
        lines = answers.read_text(encoding="utf-8")
        lines = re.sub(r"^author_name: .*$", f"author_name: {json.dumps(name)}", lines, flags=re.M)
        lines = re.sub(
            r"^author_email: .*$", f"author_email: {json.dumps(email)}", lines, flags=re.M
        )
        answers.write_text(lines, encoding="utf-8")
    print(f"twelvefold: author from git: {name}" + (f" <{email}>" if email else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
