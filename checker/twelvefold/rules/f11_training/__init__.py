"""Factor 11 - Reproducible, tracked, comparable training.

Partly organisational: a checker sees evidence of a pipeline and of tracking, or its
absence. Missing evidence is reported at `info`.

One module per rule, named after it (`notebook_run_by_code.py` holds TF1101
notebook-run-by-code); `_training.py` holds the `training` fact that TF1102 and TF1103
both read.
"""

from twelvefold.rules.f11_training.no_experiment_tracking import NoExperimentTracking
from twelvefold.rules.f11_training.notebook_run_by_code import NotebookRunByCode
from twelvefold.rules.f11_training.training_only_in_notebooks import TrainingOnlyInNotebooks

__all__ = ["NoExperimentTracking", "NotebookRunByCode", "TrainingOnlyInNotebooks"]
