"""What the factor 9 rules share: the tooling scripts they leave alone."""

from __future__ import annotations

#: Build and task files are tooling, not the application.
_TOOLING = frozenset({"setup.py", "noxfile.py", "tasks.py", "fabfile.py", "conftest.py", "dodo.py"})
