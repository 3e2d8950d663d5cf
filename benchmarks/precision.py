"""Per-rule precision and recall on the corpus (tests/corpus): a table, and JSON with --json.

uv run python benchmarks/precision.py [--json]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.corpus.measure import main

if __name__ == "__main__":
    raise SystemExit(main())
