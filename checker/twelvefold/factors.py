"""The twelve factors of production ML: numbers, names and selector slugs."""

from __future__ import annotations

from typing import NamedTuple


class Factor(NamedTuple):
    number: int
    slug: str
    title: str
    short: str


FACTORS: dict[int, Factor] = {
    f.number: f
    for f in (
        Factor(
            1, "codebase", "Codebase: one repo, code and data under version control", "Codebase"
        ),
        Factor(2, "dependencies", "Dependencies: declared, pinned, isolated", "Dependencies"),
        Factor(3, "config", "Config: in the environment, never in code", "Config"),
        Factor(
            4,
            "backing-services",
            "Backing services: attached resources, swapped by config",
            "Backing services",
        ),
        Factor(
            5, "build-release-run", "Build, release, run: separate stages", "Build, release, run"
        ),
        Factor(6, "processes", "Processes: stateless, share nothing", "Processes"),
        Factor(7, "disposability", "Disposability: fast start, graceful stop", "Disposability"),
        Factor(
            8,
            "dev-prod-parity",
            "Dev/prod parity and continuous integration",
            "Dev/prod parity & CI",
        ),
        Factor(9, "logs", "Logs: event streams to stdout", "Logs"),
        Factor(10, "tests", "Tests: code AND model, deterministic", "Tests"),
        Factor(11, "training", "Reproducible, tracked, comparable training", "Tracked training"),
        Factor(12, "deployability", "Deployability and monitoring", "Deployability & monitoring"),
    )
}


def factor_from_selector(selector: str) -> int | None:
    """Map `F3`, `factor3` or a slug such as `config` to a factor number."""
    text = selector.strip().lower()
    for prefix in ("factor-", "factor", "f"):
        if text.startswith(prefix) and text[len(prefix) :].isdigit():
            number = int(text[len(prefix) :])
            return number if number in FACTORS else None
    for factor in FACTORS.values():
        if factor.slug == text:
            return factor.number
    return None
