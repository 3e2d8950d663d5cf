"""Run one fuzz target: coverage-guided under atheris, else a hypothesis fallback.

    uv run --with atheris python fuzz/run.py TARGET [corpus dir] [libFuzzer options]
    uv run python fuzz/run.py TARGET --fallback [--examples N]

Targets are in fuzz/targets.py. Under atheris, crashing inputs are written where
`-artifact_prefix=` says (use fuzz/crashes/TARGET/); copy each into
fuzz/crashes/TARGET/ so tests/test_fuzz_regressions.py replays it forever.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # `fuzz` and `tests` importable from anywhere


INSTRUMENTED = (
    "twelvefold.sources",
    "twelvefold.notebook",
    "twelvefold.manifests",
    "twelvefold.suppression",
    "twelvefold.detectors.secrets",
    "twelvefold.detectors.dockerfile",
)


def _seeds(target: str) -> list[bytes]:
    folders = [HERE / "corpus" / target, HERE / "crashes" / target]
    return [
        path.read_bytes()
        for folder in folders
        if folder.is_dir()
        for path in sorted(folder.iterdir())
        if path.is_file()
    ]


def run_atheris(target: str, argv: list[str]) -> None:
    import importlib

    import atheris

    # Import the checker's modules inside the context, so every one is instrumented.
    with atheris.instrument_imports(include=["twelvefold", "fuzz"]):
        for name in INSTRUMENTED:
            importlib.import_module(name)
        from twelvefold.registry import all_rules

        from fuzz.targets import TARGETS

        all_rules()  # loads the rule modules
    atheris.Setup([sys.argv[0], *argv], TARGETS[target])
    atheris.Fuzz()


def run_fallback(target: str, examples: int) -> None:
    """Random and seed-derived inputs through hypothesis (no coverage guidance)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from fuzz.targets import TARGETS

    function = TARGETS[target]
    seeds = _seeds(target)
    for seed in seeds:
        function(seed)
    mutated = st.sampled_from(seeds or [b""]).flatmap(
        lambda seed: st.tuples(
            st.integers(0, len(seed)), st.integers(0, 64), st.binary(max_size=64)
        ).map(lambda cut: seed[: cut[0]] + cut[2] + seed[cut[0] + cut[1] :])
    )
    inputs = st.one_of(st.binary(max_size=2048), st.text(max_size=512).map(str.encode), mutated)

    @settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(inputs)
    def fuzz(data: bytes) -> None:
        function(data)

    fuzz()
    print(f"{target}: {len(seeds)} seeds and {examples} generated inputs, no failure")


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        from fuzz.targets import TARGETS

        print(__doc__)
        print("targets:", ", ".join(TARGETS))
        return 2
    target, rest = argv[0], argv[1:]
    fallback = "--fallback" in rest
    if not fallback:
        try:
            import atheris  # noqa: F401
        except ImportError:
            print("atheris is not installed: using the hypothesis fallback", file=sys.stderr)
            fallback = True
    if fallback:
        examples = int(rest[rest.index("--examples") + 1]) if "--examples" in rest else 2000
        run_fallback(target, examples)
        return 0
    run_atheris(target, rest)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
