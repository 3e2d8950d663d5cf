"""Render the one copier template into the folder cookiecutter just created.

cookiecutter is only a front-end here: its answers are handed to copier, which renders
`copier.yml` + `template/` from the same repository, so nothing of the template exists
twice. Needs `copier` importable where cookiecutter runs (`pip install cookiecutter copier`).
"""

import json
import pathlib
import shutil
import subprocess
import sys

CONTEXT = json.loads(r"""{{ cookiecutter | jsonify }}""")
QUESTIONS = (
    "project_name",
    "package_name",
    "description",
    "author_name",
    "author_email",
    "license",
    "python_version",
    "ml_framework",
    "serving",
    "experiment_tracking",
    "plots",
    "data_versioning",
    "ci",
    "docker",
    "dependency_updates",
)


# cookiecutter's built-in abbreviations, spelled out for copier (which knows gh: and gl:
# but not bb:).
ABBREVIATIONS = {
    "gh:": "https://github.com/",
    "gl:": "https://gitlab.com/",
    "bb:": "https://bitbucket.org/",
}


def remote_url(template: str) -> str | None:
    """The git URL cookiecutter cloned the template from, or None (a local path, a zip)."""
    for prefix, base in ABBREVIATIONS.items():
        if template.startswith(prefix):
            return base + template[len(prefix) :]
    if template.endswith(".zip"):
        return None
    if "://" in template or template.startswith("git@"):
        return template
    return None


def checked_out_commit(repo: pathlib.Path) -> str:
    result = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() if result.returncode == 0 else "HEAD"


def main() -> int:
    try:
        import copier
    except ImportError:
        sys.stderr.write(
            "twelvefold: this template renders with copier: pip install 'copier>=9.4'\n"
        )
        return 1
    # cookiecutter runs this hook inside the new project. It gives the checkout it used
    # (`_repo_dir`, the `cookiecutter/` folder): the template is its parent, at HEAD.
    # cruft gives the template's URL and the commit it resolved instead.
    # When cookiecutter cloned a URL, copier renders from that URL at the commit cookiecutter
    # checked out: the answers file then names the repository, not cookiecutter's private
    # clone, so `copier update` and the scheduled check-update job work from anywhere.
    if CONTEXT.get("_repo_dir"):
        clone = pathlib.Path(CONTEXT["_repo_dir"]).resolve().parent
        url = remote_url(str(CONTEXT.get("_template", "")))
        if url:
            template_root, ref = url, checked_out_commit(clone)
        else:
            template_root, ref = str(clone), "HEAD"
    else:
        template_root, ref = CONTEXT["_template"], CONTEXT.get("_commit") or "HEAD"
    project = pathlib.Path.cwd()
    for placeholder in project.iterdir():
        if placeholder.is_dir():
            shutil.rmtree(placeholder)
        else:
            placeholder.unlink()
    data = {key: CONTEXT[key] for key in QUESTIONS}
    for flag in ("docker", "plots"):
        data[flag] = str(data[flag]).lower() in ("yes", "true", "y", "1")
    copier.run_copy(
        template_root,
        str(project),
        data=data,
        defaults=True,
        unsafe=True,
        overwrite=True,
        vcs_ref=ref,
        quiet=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
