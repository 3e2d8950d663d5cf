"""Factor 6 - Processes: stateless, share nothing.

Both rules look only at web services: Python modules that import a web framework and
define request handlers. Training jobs and scripts legitimately write files.

One module per rule, named after it (`module_level_store.py` holds TF602
module-level-store); `_service.py` finds the services both rules read.
"""

from twelvefold.rules.f06_processes.module_level_store import ModuleLevelStore
from twelvefold.rules.f06_processes.service_writes_local_state import ServiceWritesLocalState

__all__ = ["ModuleLevelStore", "ServiceWritesLocalState"]
