"""Factor 8 - Dev/prod parity and continuous integration.

CI configuration is read as data (YAML through the shared safe loader, a Jenkinsfile as
text); the commands it runs are followed through the repository's Makefile, tox, nox and
invoke configuration and scripts, read as text. What cannot be followed (a script that is not in
the repository, a container that runs the tests) makes the rules stay silent.

One module per rule, named after it (`ci_never_runs_tests.py` holds TF802
ci-never-runs-tests); `_shared.py` holds what several of them use.
"""

from twelvefold.rules.f08_dev_prod_parity.ci_installs_without_lock import CiInstallsWithoutLock
from twelvefold.rules.f08_dev_prod_parity.ci_lock_not_enforced import CiLockNotEnforced
from twelvefold.rules.f08_dev_prod_parity.ci_never_runs_tests import CiNeverRunsTests
from twelvefold.rules.f08_dev_prod_parity.no_continuous_integration import NoContinuousIntegration
from twelvefold.rules.f08_dev_prod_parity.no_pre_commit_hooks import NoPreCommitHooks
from twelvefold.rules.f08_dev_prod_parity.no_reproducible_environment import (
    NoReproducibleEnvironment,
)

__all__ = [
    "CiInstallsWithoutLock",
    "CiLockNotEnforced",
    "CiNeverRunsTests",
    "NoContinuousIntegration",
    "NoPreCommitHooks",
    "NoReproducibleEnvironment",
]
