from __future__ import annotations

import os

# Tests build git repositories: keep the developer's git configuration out of them.
os.environ.setdefault("GIT_CONFIG_NOSYSTEM", "1")
