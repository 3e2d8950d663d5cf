"""Built-in rules, one module per factor (`f03_config.py` holds factor 3)."""
