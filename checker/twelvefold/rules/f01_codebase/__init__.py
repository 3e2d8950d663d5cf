"""Factor 1 - Codebase: one repo, code and data under version control.

One module per rule, named after it (`notebook_with_outputs.py` holds TF104
notebook-with-outputs); `_shared.py` holds what the rules on committed files share (which
paths git-LFS stores, which folders hold data and whether DVC versions them).
TF106 unused-suppression lives in `f01_unused_suppression.py`.
"""

from twelvefold.rules.f01_codebase.large_data_file_committed import LargeDataFileCommitted
from twelvefold.rules.f01_codebase.model_artifact_committed import ModelArtifactCommitted
from twelvefold.rules.f01_codebase.not_a_git_repository import NotAGitRepository
from twelvefold.rules.f01_codebase.notebook_with_outputs import NotebookWithOutputs
from twelvefold.rules.f01_codebase.unversioned_data_folder import UnversionedDataFolder

__all__ = [
    "LargeDataFileCommitted",
    "ModelArtifactCommitted",
    "NotAGitRepository",
    "NotebookWithOutputs",
    "UnversionedDataFolder",
]
