"""TF1201 service-without-health-endpoint: prediction service with no health endpoint."""

from __future__ import annotations

import re
from collections.abc import Iterator

from twelvefold import kinds
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule
from twelvefold.rules.f12_deployability._service import _predict_routes, _services


def _external_health_check(repo: Repo) -> bool:
    """A Dockerfile HEALTHCHECK or Kubernetes probes: health is checked some other way."""
    for entry in repo.of_kind(kinds.DOCKERFILE, kinds.YAML):
        source = repo.source(entry.path)
        if source is None or source.text is None:
            continue
        if entry.kind == kinds.DOCKERFILE and re.search(
            r"^\s*HEALTHCHECK\s+(?!NONE)", source.text, re.MULTILINE | re.IGNORECASE
        ):
            return True
        if entry.kind == kinds.YAML and re.search(
            r"\b(?:liveness|readiness|startup)Probe\s*:", source.text
        ):
            return True
    return False


class ServiceWithoutHealthEndpoint(RepoRule):
    """## What it does
    Reports a prediction service (a FastAPI, Flask, Starlette, Litestar, Sanic, Quart or
    aiohttp app with a route such as `/predict`, `/invocations`, `/score`) that has no
    health route anywhere in the project: nothing like `/health`, `/healthz`, `/ready`,
    `/livez`, `/ping`, `/status` or `/`.

    Not reported: serving frameworks that expose health endpoints themselves (BentoML,
    Ray Serve, LitServe, KServe, TorchServe, MLServer), health routes from a library
    (`fastapi-health`), services whose Dockerfile has a `HEALTHCHECK` or whose
    Kubernetes manifests define probes, batch-only projects, and extensions of a host
    application (a Stable Diffusion web UI extension adds its routes to the host's server,
    whose health is the host's).

    ## Why is this bad?
    The platform cannot tell a service that is up from one that is loading its model,
    stuck or out of memory: traffic is sent to replicas that are not ready, and broken
    ones are never restarted.

    ## Example
    ```python
    # src/churn/service.py
    import joblib
    from fastapi import FastAPI
    from pydantic import BaseModel

    app = FastAPI()
    model = joblib.load("model.joblib")


    class Features(BaseModel):
        tenure_months: int
        monthly_charges: float


    @app.post("/predict")
    def predict(body: Features):
        return {"churn": int(model.predict([[body.tenure_months, body.monthly_charges]])[0])}
    ```

    ## Use instead
    ```python
    # src/churn/service.py
    import joblib
    from fastapi import FastAPI
    from pydantic import BaseModel

    app = FastAPI()
    model = joblib.load("model.joblib")


    class Features(BaseModel):
        tenure_months: int
        monthly_charges: float


    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}


    @app.post("/predict")
    def predict(body: Features):
        return {"churn": int(model.predict([[body.tenure_months, body.monthly_charges]])[0])}
    ```
    """

    code = "TF1201"
    roles = role.IN_USE
    # A course's service is the lesson's smallest example, not a deployment to probe.
    repo_kinds = frozenset(project_kind.KINDS) - {project_kind.COURSE}
    depends_on = ("@code", "@dockerfiles", "@config")
    name = "service-without-health-endpoint"
    factor = 12
    severity = Severity.WARNING
    summary = "Prediction service with no health endpoint"
    fix = (
        "Add a cheap GET /health (or /healthz, /ready) route that reports the loaded model version."
    )
    facts = ("service",)

    def applies(self, repo: Repo) -> bool:
        """Only where there is something to check: without a service the factor is n/a
        here. An extension's routes join its host's server, whose health is the host's."""
        return repo.model.host is None and bool(repo.facts("service"))

    def check(self, repo: Repo) -> Iterator[Violation]:
        services = _services(repo)
        predict = _predict_routes(services)
        if not predict:
            return
        if any(found.self_healthy for found in services.values()):
            return
        if any(route.health for found in services.values() for route in found.routes):
            return
        if _external_health_check(repo):
            return
        path, route = predict[0]
        yield Violation(
            f"service route `{route.path}` ({route.function}) has no health endpoint beside it",
            path=path,
            line=route.line,
        )
