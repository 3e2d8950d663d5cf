"""Factor 10 - Tests: code AND model, deterministic.

One module per rule, named after it (`tests_not_collected.py` holds TF1002
tests-not-collected); `_randomness.py` holds the `randomness` fact that
`unseeded-estimator` and `unseeded-randomness` both read.
"""

from twelvefold.rules.f10_tests.no_tests import NoTests
from twelvefold.rules.f10_tests.tests_not_collected import TestsNotCollected
from twelvefold.rules.f10_tests.unseeded_estimator import UnseededEstimator
from twelvefold.rules.f10_tests.unseeded_randomness import UnseededRandomness

__all__ = ["NoTests", "TestsNotCollected", "UnseededEstimator", "UnseededRandomness"]
