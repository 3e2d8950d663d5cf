"""Factor 12 - Deployability and monitoring.

Services are found by their routes (FastAPI, Flask, Starlette, Litestar, Sanic, Quart,
aiohttp decorators and `add_api_route`/`add_url_rule`/`Route(...)`). Serving frameworks
that provide health endpoints themselves (BentoML, Ray Serve, LitServe, KServe,
TorchServe, MLServer) are not asked for one.

One module per rule, named after it (`predictions_not_logged.py` holds TF1202
predictions-not-logged); `_service.py` holds the `service` fact that the three rules on
prediction services read.
"""

from twelvefold.rules.f12_deployability.model_saved_without_metadata import (
    ModelSavedWithoutMetadata,
)
from twelvefold.rules.f12_deployability.predictions_not_logged import PredictionsNotLogged
from twelvefold.rules.f12_deployability.preprocessing_fitted_in_serving import (
    PreprocessingFittedInServing,
)
from twelvefold.rules.f12_deployability.preprocessing_reimplemented_in_serving import (
    PreprocessingReimplementedInServing,
)
from twelvefold.rules.f12_deployability.service_without_health_endpoint import (
    ServiceWithoutHealthEndpoint,
)

__all__ = [
    "ModelSavedWithoutMetadata",
    "PredictionsNotLogged",
    "PreprocessingFittedInServing",
    "PreprocessingReimplementedInServing",
    "ServiceWithoutHealthEndpoint",
]
