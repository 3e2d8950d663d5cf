"""Built-in rules by factor: a package per factor (`f10_tests/`) with one module per
rule, named after the rule (`f10_tests/unseeded_randomness.py`), and helpers several
rules of a factor share in a private module (`_shared.py`); TF106 unused-suppression,
which the engine works out while it applies suppressions, is the module
`f01_unused_suppression.py`."""
