"""Render the one copier template into the folder cookiecutter just created.

cookiecutter is only a front-end here: its answers are handed to copier, which renders
`copier.yml` + `template/` from the same repository, so nothing of the template exists
twice. Needs `copier` importable where cookiecutter runs (`pip install cookiecutter copier`).
"""

import json
import pathlib
import shutil
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
    "data_versioning",
    "ci",
    "docker",
)


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
    if CONTEXT.get("_repo_dir"):
        template_root, ref = str(pathlib.Path(CONTEXT["_repo_dir"]).resolve().parent), "HEAD"
    else:
        template_root, ref = CONTEXT["_template"], CONTEXT.get("_commit") or "HEAD"
    project = pathlib.Path.cwd()
    for placeholder in project.iterdir():
        if placeholder.is_dir():
            shutil.rmtree(placeholder)
        else:
            placeholder.unlink()
    data = {key: CONTEXT[key] for key in QUESTIONS}
    data["docker"] = str(data["docker"]).lower() in ("yes", "true", "y", "1")
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
