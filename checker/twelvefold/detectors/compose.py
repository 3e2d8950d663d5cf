"""The services of the repository's Docker Compose files (`docker-compose.yml`,
`compose.prod.yaml`...), as their YAML maps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from twelvefold import kinds

if TYPE_CHECKING:
    from twelvefold.repo import Repo


def compose_services(repo: Repo) -> Iterator[tuple[str, dict[str, Any]]]:
    """(compose file path, service map) of every service of every compose file that
    parses; a service that is not a map is left out."""
    for entry in repo.files:
        if not kinds.is_compose_file(entry.path):
            continue
        source = repo.source(entry.path)
        document = source.yaml if source is not None else None
        services = document.get("services") if isinstance(document, dict) else None
        if not isinstance(services, dict):
            continue
        for service in services.values():
            if isinstance(service, dict):
                yield entry.path, service
