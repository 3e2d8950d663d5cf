"""Look-alikes from held-out set ZZ (judged on 615d261) and the corpus's remaining
FALSE/NOISE classes: each class judged FALSE or NOISE there, self-written, with the
violation the rule must still find."""

from __future__ import annotations

from pathlib import Path

from twelvefold.model import Severity

from tests.helpers import findings

# --------------------------------------------------------------------------- TF301

_DEPLOY_MANIFEST = (
    "name: rag-app\n"
    "components:\n"
    "  - name: indexer\n"
    "    type: job\n"
    "    env:\n"
    "      VECTOR_DB_URL: http://qdrant.internal.svc.cluster.local:6333\n"
    "      EMBEDDER_API_KEY: {value}\n"
)


def test_tf301_a_reference_to_a_secret_store_is_not_the_secret(tmp_path: Path) -> None:
    # truefoundry/cognita's deployment manifest names each key by its TrueFoundry secret
    # (`tfy-secret://team:app:KEY`), resolved when the job is deployed: seven errors were
    # FALSE. 1Password's `op://` and an AWS Secrets Manager ARN are references too; the
    # key written out in the same place is still an error.
    for name, reference in (
        ("tfy", "tfy-secret://internal:rag-app:EMBEDDER_API_KEY"),
        ("op", "op://platform/embedder/credential"),
        ("arn", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:embedder-Xy12Ab"),
    ):
        files = {"deploy.yaml": _DEPLOY_MANIFEST.format(value=reference)}
        assert findings(tmp_path / name, "TF301", files) == [], name
    key = "tfy-8sKq2LmX9vPz4RtY7wBn3CdE6fGh1JkQ"
    files = {"deploy.yaml": _DEPLOY_MANIFEST.format(value=key)}
    [finding] = findings(tmp_path / "written-out", "TF301", files)
    assert finding.severity is Severity.ERROR and key not in finding.message
