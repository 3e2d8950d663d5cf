"""AWS Lambda's Python handler convention, as several rules read it.

A module that defines `lambda_handler(event, context)` at its top level is deployed as a
function, whatever deploys it: the runtime provides the AWS SDK (TF206), and runs the
module's top level once per cold start, its init phase (TF701).
"""

from __future__ import annotations

import re

from twelvefold.lazy_regex import lazy_compile

#: AWS's handler convention at a module's top level: `def lambda_handler(event, context):`.
LAMBDA_HANDLER = lazy_compile(
    r"^(?:async[ \t]+)?def[ \t]+lambda_handler[ \t]*\([ \t]*_?event\b", re.M
)


def defines_lambda_handler(text: str | None) -> bool:
    """Whether a module's text defines AWS Lambda's `lambda_handler(event, context)`."""
    return text is not None and LAMBDA_HANDLER.search(text) is not None
