"""Factor 5 - Build, release, run: separate stages.

One module per rule, named after it (`unpinned_base_image.py` holds TF503
unpinned-base-image); `_shared.py` holds the file kinds TF503 and TF504 read.
"""

from twelvefold.rules.f05_build_release_run.deployable_without_version import (
    DeployableWithoutVersion,
)
from twelvefold.rules.f05_build_release_run.image_install_without_lock import (
    ImageInstallWithoutLock,
)
from twelvefold.rules.f05_build_release_run.no_build_configuration import NoBuildConfiguration
from twelvefold.rules.f05_build_release_run.no_version import NoVersion
from twelvefold.rules.f05_build_release_run.secret_in_image import SecretInImage
from twelvefold.rules.f05_build_release_run.unpinned_base_image import UnpinnedBaseImage

__all__ = [
    "DeployableWithoutVersion",
    "ImageInstallWithoutLock",
    "NoBuildConfiguration",
    "NoVersion",
    "SecretInImage",
    "UnpinnedBaseImage",
]
