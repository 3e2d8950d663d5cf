"""Every attack of tests/gate_attacks.py, run through the real `twelvefold` command,
must hold: the planted key is still reported, nothing outside the repository changes,
no secret leaves in clear, and whatever the settings turn off is said (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gate_attacks import ATTACKS, Attack, attempt


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda attack: attack.name)
def test_the_gate_holds(tmp_path: Path, attack: Attack) -> None:
    root, runs = attempt(attack, tmp_path)
    breach = attack.breach(root, runs)
    detail = "\n".join(
        f"$ twelvefold {' '.join(r.argv)} -> {r.code}\n{r.stderr[-400:]}" for r in runs
    )
    assert breach is None, f"{attack.name} (item {attack.item}): {breach}\n{detail}"
