"""Factor 2 - Dependencies: declared, pinned, isolated.

One module per rule, named after it (`undeclared_import.py` holds TF206
undeclared-import); `_shared.py` holds the helpers several rules use.
"""

from twelvefold.rules.f02_dependencies.lock_out_of_date import LockOutOfDate
from twelvefold.rules.f02_dependencies.no_dependency_manifest import NoDependencyManifest
from twelvefold.rules.f02_dependencies.python_version_not_declared import PythonVersionNotDeclared
from twelvefold.rules.f02_dependencies.runtime_package_install import RuntimePackageInstall
from twelvefold.rules.f02_dependencies.undeclared_import import (
    ImportMissingFromPackageMetadata,
    UndeclaredImport,
)
from twelvefold.rules.f02_dependencies.undeclared_system_tool import UndeclaredSystemTool
from twelvefold.rules.f02_dependencies.unpinned_dependency import UnpinnedDependency

__all__ = [
    "ImportMissingFromPackageMetadata",
    "LockOutOfDate",
    "NoDependencyManifest",
    "PythonVersionNotDeclared",
    "RuntimePackageInstall",
    "UndeclaredImport",
    "UndeclaredSystemTool",
    "UnpinnedDependency",
]
