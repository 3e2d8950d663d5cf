"""Which files are CI configuration, by path alone (no reading, no repository needed).

Used by the project model (a repository with CI), the pre-commit scope (a named CI file
asks the CI rules) and the CI detector (`detectors/ci.py`), which reads them.
"""

from __future__ import annotations

import posixpath

#: CI configuration files at fixed paths (root of the repository), by provider.
CI_FILES = {
    ".gitlab-ci.yml": "GitLab CI",
    ".gitlab-ci.yaml": "GitLab CI",
    ".circleci/config.yml": "CircleCI",
    ".circleci/config.yaml": "CircleCI",
    "Jenkinsfile": "Jenkins",
    "azure-pipelines.yml": "Azure Pipelines",
    "azure-pipelines.yaml": "Azure Pipelines",
    "bitbucket-pipelines.yml": "Bitbucket Pipelines",
    ".travis.yml": "Travis CI",
    ".drone.yml": "Drone",
    ".woodpecker.yml": "Woodpecker",
    "appveyor.yml": "AppVeyor",
    ".appveyor.yml": "AppVeyor",
    "cloudbuild.yaml": "Google Cloud Build",
    "cloudbuild.yml": "Google Cloud Build",
    "buildspec.yml": "AWS CodeBuild",
    "codemagic.yaml": "Codemagic",
    "bitrise.yml": "Bitrise",
    ".semaphore/semaphore.yml": "Semaphore",
    "wercker.yml": "Wercker",
    ".taskcluster.yml": "Taskcluster",
    ".pipeline/config.yaml": "PipelineLib",
}
#: Providers whose configuration file only starts jobs defined elsewhere (Taskcluster's
#: `taskcluster/kinds/`, Wikimedia PipelineLib's Blubber variants and Jenkins jobs):
#: what their jobs run cannot be read from it.
OPAQUE_PROVIDERS = frozenset({"Taskcluster", "PipelineLib"})
#: Folders whose YAML files are CI configuration.
CI_DIRS = {
    ".github/workflows/": "GitHub Actions",
    ".gitea/workflows/": "Gitea Actions",
    ".forgejo/workflows/": "Forgejo Actions",
    ".buildkite/": "Buildkite",
    ".woodpecker/": "Woodpecker",
    ".azure-pipelines/": "Azure Pipelines",
    # Azure DevOps keeps pipelines under any path; these folders are the conventions.
    ".pipelines/": "Azure Pipelines",
    "azure-pipelines/": "Azure Pipelines",
    ".azuredevops/": "Azure Pipelines",
}
#: Shared pieces of CI (composite actions, GitLab includes): commands, not a CI on their own.
CI_PART_DIRS = (".github/actions/", ".gitlab/", "ci/", ".ci/")


#: CI files found by name in any folder.
_ANYWHERE = {"buildspec.yml": "AWS CodeBuild", "buildspec.yaml": "AWS CodeBuild"}


def ci_provider(path: str) -> str | None:
    """The CI provider whose configuration file `path` (repo-relative) is, if any."""
    provider = CI_FILES.get(path)
    if provider is None and posixpath.basename(path) in _ANYWHERE:
        # A CodeBuild project names its buildspec's path: a pipeline's sub-folder
        # (`build_pipeline/buildspec.yml`, one CodeCommit repository each) holds its own.
        return _ANYWHERE[posixpath.basename(path)]
    if provider is None:
        for prefix, name in CI_DIRS.items():
            if path.startswith(prefix) and path.endswith((".yml", ".yaml")):
                return name
    return provider
