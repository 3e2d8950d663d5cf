"""TF1203 preprocessing-fitted-in-serving: prediction handler fits its own preprocessing
(training/serving skew).
"""

from __future__ import annotations

from collections.abc import Iterator

from twelvefold.model import Severity, Violation
from twelvefold.project import roles as role
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule
from twelvefold.rules.f12_deployability._service import _predict_routes, _services


class PreprocessingFittedInServing(RepoRule):
    """## What it does
    Reports a prediction route whose handler builds or fits its own preprocessing:
    a fresh `StandardScaler()`, `OneHotEncoder()`, `TfidfVectorizer()`,
    `LabelEncoder()`... or a `.fit(...)`/`.fit_transform(...)` call on request data.

    This is the visible form of training/serving skew: a transformer fitted on one
    request is not the transformer the model was trained with. A model the handler fits
    on the request itself (`model.fit(batch, n_clusters=k)` of a clustering endpoint, a
    Prophet model for the posted series) is the answer it computes, not preprocessing:
    not reported.

    ## Why is this bad?
    The model receives features scaled or encoded differently from training (a scaler
    fitted on one row maps everything to 0; an encoder fitted on the request invents its
    own categories), and predictions are silently wrong.

    ## Example
    ```python
    # src/churn/service.py
    import joblib
    import pandas as pd
    from fastapi import FastAPI
    from pydantic import BaseModel
    from sklearn.preprocessing import StandardScaler

    app = FastAPI()
    model = joblib.load("model.joblib")


    class Features(BaseModel):
        tenure_months: int
        monthly_charges: float


    @app.post("/predict")
    def predict(body: Features):
        X = StandardScaler().fit_transform(pd.DataFrame([body.model_dump()]))
        return {"churn": model.predict(X).tolist()}
    ```

    ## Use instead
    Fit the preprocessing in training, save it with the model (one scikit-learn
    `Pipeline`), and load that pipeline in the service: `pipeline.predict(frame)`.
    ```python
    # src/churn/service.py
    import joblib
    import pandas as pd
    from fastapi import FastAPI
    from pydantic import BaseModel

    app = FastAPI()
    pipeline = joblib.load("pipeline.joblib")  # StandardScaler + model, fitted in training


    class Features(BaseModel):
        tenure_months: int
        monthly_charges: float


    @app.post("/predict")
    def predict(body: Features):
        return {"churn": pipeline.predict(pd.DataFrame([body.model_dump()])).tolist()}
    ```
    """

    code = "TF1203"
    roles = role.IN_USE
    depends_on = ("@code",)
    name = "preprocessing-fitted-in-serving"
    factor = 12
    severity = Severity.WARNING
    summary = "Prediction handler fits its own preprocessing (training/serving skew)"
    fix = "Save the fitted preprocessing with the model (one sklearn Pipeline) and only call transform/predict when serving."
    facts = ("service",)

    def applies(self, repo: Repo) -> bool:
        """Only where there is something to check: without a service the factor is n/a here."""
        return bool(repo.facts("service"))

    def check(self, repo: Repo) -> Iterator[Violation]:
        for path, route in _predict_routes(_services(repo)):
            if route.refits:
                yield Violation(
                    f"route `{route.path}` ({route.function}) fits preprocessing at serving time: {route.refits}",
                    path=path,
                    line=route.line,
                )
