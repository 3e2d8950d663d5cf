"""Factor 9 - Logs: event streams to stdout.

One module per rule, named after it (`print_as_logging.py` holds TF902 print-as-logging);
`_shared.py` holds what both use.
"""

from twelvefold.rules.f09_logs.log_file_handler import LogFileHandler
from twelvefold.rules.f09_logs.print_as_logging import PrintAsLogging

__all__ = ["LogFileHandler", "PrintAsLogging"]
