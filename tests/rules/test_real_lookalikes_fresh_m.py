"""Look-alikes from held-out set M (fresh-2026-12-05-m), judged before any change: a
print that announces the level while loguru is being set up (Kokoro-FastAPI). The other
set M classes are tested beside their rules (TF203 requires-python forms, TF505 pinned
tools and URLs, TF901 project classes, TF802 pixi tasks, TF1003 liblinear, TF503 tools
copied from images, TF105 folders of models, TF301 presigned URLs, TF206 declarations)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings

_LOGURU_SETUP = (
    "import os\nimport sys\n\nfrom fastapi import FastAPI\nfrom loguru import logger\n\n\n"
    "def setup_logger():\n"
    '    level = os.getenv("API_LOG_LEVEL", "DEBUG").upper()\n'
    '    print(f"Global API loguru logger level: {level}")\n'
    "    logger.remove()\n    logger.add(sys.stdout, level=level)\n\n\n"
    "setup_logger()\napp = FastAPI()\n\n\n"
    '@app.get("/health")\ndef health():\n    return {"status": "ok"}\n'
)


def test_tf902_a_print_while_loguru_is_set_up_is_not_logging(tmp_path: Path) -> None:
    assert (
        findings(tmp_path, "TF902", {"api/src/__init__.py": "", "api/src/main.py": _LOGURU_SETUP})
        == []
    )
    # a list's `remove` is no logger setup: the route's print is still reported
    printing = _LOGURU_SETUP.replace(
        "    logger.remove()\n    logger.add(sys.stdout, level=level)\n",
        "    levels = [level, 'X']\n    levels.remove('X')\n",
    ).replace(
        '    return {"status": "ok"}\n',
        '    print("health checked")\n    return {"status": "ok"}\n',
    )
    found = findings(
        tmp_path / "b", "TF902", {"api/src/__init__.py": "", "api/src/main.py": printing}
    )
    assert [f.line for f in found] == [10]
