"""Built-in rules by factor: a package per factor (`f10_tests/`) with one module per
rule, named after the rule (`f10_tests/unseeded_randomness.py`); factors not yet split
are one module (`f03_config.py`)."""
