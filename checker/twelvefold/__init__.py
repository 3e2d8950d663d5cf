"""twelvefold: audit ML repositories against the twelve factors of production ML."""

import os as _os
import sys as _sys

__version__ = "0.1.0"

# `python -m twelvefold` run inside an audited repository puts that repository first on
# sys.path, so its `fnmatch.py` or `yaml.py` would be imported (executed) in place of the
# standard library's and our dependencies'. While `-m` is resolving this package,
# argv[0] is "-m": drop the repository before anything else is imported. (A folder
# named `twelvefold/` there is found before this runs: use the `twelvefold` command or
# `python -P -m twelvefold`.)
if _sys.argv[:1] == ["-m"] and not getattr(_sys.flags, "safe_path", False):
    _cwd = _os.getcwd()
    _sys.path[:] = [entry for entry in _sys.path if entry not in ("", _cwd)]
