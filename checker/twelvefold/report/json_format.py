"""`json`: the machine-readable report. Its shape is a public contract.

```
{
  "version": "1",                       # schema version of this document
  "tool": {"name": "twelvefold", "version": "0.1.0"},
  "findings": [                         # sorted by path, line, column, code
    {"code": "TF301", "name": "hard-coded-secret", "factor": 3, "severity": "error",
     "path": "src/app.py", "line": 3, "column": 5,        # path null: repo-level finding
     "message": "...", "fix": "...",
     "cell": 2, "cell_line": 1,         # notebooks only: 0-based cell, 1-based line in it
     "related": [{"line": 9, "message": "..."}],  # only when set: other places, same file
     "files": ["notebooks/b.ipynb"]}    # only when set: other files this finding covers
  ],
  "summary": {"total": 1, "by_severity": {...}, "by_factor": {"1": 0, ...},
              "files_checked": 12, "scorecard": {"1": {"name", "title", "status"}, ...}},
  "diagnostics": [{"path": ..., "level": "warning|error", "message": ..., "internal": false}]
}
```
The JSON Schema is `twelvefold/report/schema/report.schema.json`.
"""

from __future__ import annotations

from twelvefold import __version__
from twelvefold.report import Report, json_text

SCHEMA_VERSION = "1"


def render(report: Report) -> str:
    document = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "twelvefold", "version": __version__},
        "findings": [finding.to_dict() for finding in report.findings],
        "summary": report.summary(),
        "notices": [notice.to_dict() for notice in report.shown_notices()],
        "diagnostics": [
            {"path": d.path, "level": d.level, "message": d.message, "internal": d.internal}
            for d in report.diagnostics
        ],
    }
    return json_text(document)
