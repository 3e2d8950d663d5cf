"""What the factor 5 rules on Dockerfiles share: the file kinds they read."""

from __future__ import annotations

from twelvefold import kinds

_DOCKERFILE_KINDS = frozenset({kinds.DOCKERFILE})
