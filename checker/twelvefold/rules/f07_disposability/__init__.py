"""Factor 7 - Disposability: fast start, graceful stop.

One module per rule, named after it (`shell_form_command.py` holds TF702
shell-form-command).
"""

from twelvefold.rules.f07_disposability.download_at_import import DownloadAtImport
from twelvefold.rules.f07_disposability.server_loop_without_sigterm import ServerLoopWithoutSigterm
from twelvefold.rules.f07_disposability.shell_form_command import ShellFormCommand

__all__ = ["DownloadAtImport", "ServerLoopWithoutSigterm", "ShellFormCommand"]
