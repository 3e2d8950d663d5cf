"""Factor 3 - Config: in the environment, never in code.

One module per rule, named after it (`hard_coded_secret.py` holds TF301
hard-coded-secret); `_hyperparameters.py` holds the `hyperparameter-literals` fact and
the configuration reading that TF304 and TF306 share, `_shared.py` a helper of several
rules.
"""

from twelvefold.rules.f03_config.absolute_machine_path import AbsoluteMachinePath
from twelvefold.rules.f03_config.dotenv_not_ignored import DotenvCommitted
from twelvefold.rules.f03_config.hard_coded_hyperparameter import HardCodedHyperparameter
from twelvefold.rules.f03_config.hard_coded_secret import HardCodedSecret
from twelvefold.rules.f03_config.hyperparameters_without_config import HyperparametersWithoutConfig
from twelvefold.rules.f03_config.secret_scan_incomplete import SecretScanIncomplete

__all__ = [
    "AbsoluteMachinePath",
    "DotenvCommitted",
    "HardCodedHyperparameter",
    "HardCodedSecret",
    "HyperparametersWithoutConfig",
    "SecretScanIncomplete",
]
