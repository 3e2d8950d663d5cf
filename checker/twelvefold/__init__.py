"""twelvefold: audit ML repositories against the twelve factors of production ML."""

__version__ = "0.1.0"
