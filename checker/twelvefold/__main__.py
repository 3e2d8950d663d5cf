"""`python -m twelvefold` runs the CLI."""

from twelvefold.cli import main

raise SystemExit(main())
