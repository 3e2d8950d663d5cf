"""Look-alikes from the twenty-third session: sets AA (customer segmentation) and AB
(crop yield), judged on `da58ac8`, and AC (anomaly detection), AD (cancer detection) and
AE (summarization), judged on `9b30039`; each failing on the commit it was judged on."""

from __future__ import annotations

from pathlib import Path

from twelvefold.model import Severity

from tests.helpers import findings, inferred_kind, make_repo

# --------------------------------------------------------------------------- TF1202

_SATELLITE_SERVICE = {
    "requirements.txt": "fastapi==0.115.0\njoblib==1.4.2\n",
    "crop_service/__init__.py": "",
}

_QUEUED = """import threading
import uuid

import joblib
from fastapi import FastAPI
from fastapi.responses import FileResponse

app = FastAPI()
model = joblib.load("model.joblib")
tasks = {}


def _run_inference(task_id, paths):
    tasks[task_id] = {"classes": model.predict(paths).tolist()}


def _api_prediction_file(job_id, name):
    return OUTPUTS / job_id / name


@app.post("/api/infer/start")
async def infer_start(file_ids: list[str]):
    task_id = uuid.uuid4().hex
    threading.Thread(target=_run_inference, args=(task_id, file_ids), daemon=True).start()
    return {"task_id": task_id, "status": "queued"}


@app.get("/api-predictions/{job_id}/classification")
def api_prediction_classification(job_id: str):
    path = _api_prediction_file(job_id, "classification.tif")
    return FileResponse(path, filename=path.name)
"""


def test_tf1202_a_route_that_queues_a_job_or_downloads_its_output(tmp_path: Path) -> None:
    # A satellite crop service: `/api/infer/start` starts a thread and answers with a task
    # id; `/api-predictions/{job_id}/classification` streams a GeoTIFF the job wrote
    # (`_api_prediction_file(...)` names a place, not a computation): 4 FALSE in set AB.
    files = {**_SATELLITE_SERVICE, "crop_service/api.py": _QUEUED}
    assert findings(tmp_path, "TF1202", files) == []
    # The same service answering with the prediction itself is reported.
    inline = _QUEUED + (
        "\n\n@app.post('/api/infer')\nasync def infer(file_ids: list[str]):\n"
        "    return {'classes': model.predict(file_ids).tolist()}\n"
    )
    [finding] = findings(tmp_path / "inline", "TF1202", {**files, "crop_service/api.py": inline})
    assert "`/api/infer`" in finding.message


_PRINTED = """from fastapi import APIRouter

from app.services import CropDoctor

router = APIRouter()
doctor = CropDoctor()


@router.post("/yield-production")
async def predict_yield(data: YieldRequest):
    print("[PYTHON] Yield prediction request:", data.model_dump(), flush=True)
    result = await doctor.predict_crop_yield(data.model_dump())
    print(f"[PYTHON] Yield prediction result: {result}", flush=True)
    return {"yield": result}
"""


def test_tf1202_a_handler_printing_its_inputs_logs_them(tmp_path: Path) -> None:
    # Two crop-yield apps print the request (`data.model_dump()`, each form field) to
    # stdout: a log line by the factors, so TF1202's claim was FALSE twice (set AB).
    files = {"requirements.txt": "fastapi==0.115.0\n", "app/routes/predict.py": _PRINTED}
    assert findings(tmp_path, "TF1202", files) == []
    flask_form = (
        "from flask import Flask, request\n\nimport joblib\n\napp = Flask(__name__)\n"
        "model = joblib.load('model.pkl')\n\n\n"
        "@app.route('/predict', methods=['POST'])\ndef predict():\n"
        "    crop = request.form.get('crop')\n    area = request.form.get('area')\n"
        "    print(f'Crop: {crop}')\n    print(f'Area: {area} hectares')\n"
        "    return {'yield': float(model.predict([[crop, area]])[0])}\n"
    )
    flask_files = {"requirements.txt": "flask==3.0.3\njoblib==1.4.2\n", "app.py": flask_form}
    assert findings(tmp_path / "form", "TF1202", flask_files) == []
    # A print of the error or of one field of the request is no record of it.
    debug = _PRINTED.replace(
        'print("[PYTHON] Yield prediction request:", data.model_dump(), flush=True)',
        'print(f"model {data.model_name}")',
    ).replace('print(f"[PYTHON] Yield prediction result: {result}", flush=True)', "")
    debug = debug.replace(
        '    return {"yield": result}\n',
        '    try:\n        return {"yield": result}\n    except Exception as e:\n        print(e)\n',
    )
    [finding] = findings(tmp_path / "debug", "TF1202", {**files, "app/routes/predict.py": debug})
    assert "`/yield-production`" in finding.message


# --------------------------------------------------------------------------- TF1203

_SEGMENTS = """from fastapi import Depends, FastAPI

app = FastAPI()


@app.post("/predict")
async def predict_segments(request: SegmentRequest, components: dict = Depends(get_components)):
    frame = components["loader"].load_from_dict([c.dict() for c in request.customers])
    model = components["kmeans_model"]
    model.fit(frame, n_clusters=request.n_clusters)
    return {"segments": model.predict(frame).tolist()}
"""


def test_tf1203_a_clustering_endpoint_fits_the_uploaded_batch(tmp_path: Path) -> None:
    # "Cluster this uploaded batch" is the product: the model fitted on the request is
    # the answer, no preprocessing skewed from training (FALSE in set AA; 6 FALSE of 8
    # TF1203 findings corpus-wide were a `*model.fit(...)`).
    files = {
        "requirements.txt": "fastapi==0.115.0\nscikit-learn==1.5.2\n",
        "api/main.py": _SEGMENTS,
    }
    assert findings(tmp_path, "TF1203", files) == []
    # A vectorizer refitted on the request is still preprocessing out of step.
    tfidf = _SEGMENTS.replace(
        '    model = components["kmeans_model"]\n',
        '    tfidf_vectorizer = components["tfidf"]\n    tfidf_vectorizer.fit(frame)\n'
        '    model = components["kmeans_model"]\n',
    )
    [finding] = findings(tmp_path / "tfidf", "TF1203", {**files, "api/main.py": tfidf})
    assert "tfidf_vectorizer.fit" in finding.message


_SUMMARY_JOBS = """from fastapi import APIRouter

from app.services import model_job_service, summary_service

router = APIRouter()


@router.post("/patients/{patient_id}/summaries/generate-async", status_code=202)
def generate_patient_summary_async(patient_id: str, payload: SummaryRequest):
    return model_job_service.enqueue_summary_generation(
        patient_id=patient_id, request_payload=payload.model_dump(mode="json")
    )
"""


def test_tf1202_a_route_that_enqueues_through_a_model_job_service(tmp_path: Path) -> None:
    # A clinical summarizer's async route hands the request to `model_job_service.
    # enqueue_...` and answers 202 with the job: neither the service's name nor pydantic's
    # `payload.model_dump()` runs a model (FALSE in set AE).
    files = {"requirements.txt": "fastapi==0.115.0\n", "app/routers/summaries.py": _SUMMARY_JOBS}
    assert findings(tmp_path, "TF1202", files) == []
    inline = _SUMMARY_JOBS + (
        "\n\n@router.post('/patients/{patient_id}/summaries/generate')\n"
        "def generate_patient_summary(patient_id: str, payload: SummaryRequest):\n"
        "    return summary_service.model.generate(payload.model_dump())\n"
    )
    [finding] = findings(
        tmp_path / "inline", "TF1202", {**files, "app/routers/summaries.py": inline}
    )
    assert "summaries/generate`" in finding.message


# --------------------------------------------------------------------------- TF201 / TF202


def test_tf201_a_misspelled_requirements_file_is_a_manifest(tmp_path: Path) -> None:
    # A research repo's 325-line pip freeze is `requierements.txt`: TF201 said at error
    # that no manifest exists (FALSE in set AE).
    files = {
        "requierements.txt": "torch==2.5.1\ntransformers==4.46.3\n",
        "train.py": "import torch\nimport transformers\n",
    }
    assert findings(tmp_path, "TF201", files) == []
    notes = {"requests_notes.txt": "torch==2.5.1\n", "train.py": "import torch\n"}
    assert len(findings(tmp_path / "notes", "TF201", notes)) == 1


_CONDA_ENV = """name: ocgan
channels:
  - conda-forge
dependencies:
  - python=3.10
  - pip
  - numpy
  - scipy
  - pip:
      - timm
"""


def test_tf202_a_conda_file_whose_names_a_requirements_file_pins(tmp_path: Path) -> None:
    # An anomaly-detection project keeps a conda file of open names beside a
    # requirements.txt pinning each of them, which its README installs (FALSE in set AC).
    pinned = "numpy==2.4.6\nscipy==1.17.1\ntimm==1.0.27\n"
    files = {
        "app/environment.yml": _CONDA_ENV,
        "app/requirements.txt": pinned,
        "app/train.py": "import numpy\nimport scipy\nimport timm\n",
    }
    assert findings(tmp_path, "TF202", files) == []
    # One name left out of the pinned list: the conda file is reported.
    partial = {**files, "app/requirements.txt": "numpy==2.4.6\ntimm==1.0.27\n"}
    [finding] = findings(tmp_path / "partial", "TF202", partial)
    assert finding.path == "app/environment.yml"
    # A lab's environment pinned but for the library it teaches, a one-line requirements
    # file pinning that one: the environment is the lab's, its open entry TRUE (udacity).
    lab = {
        "lab/environment.yml": "name: lab\ndependencies:\n  - numpy==1.11.2\n  - tensorflow>=0.12.1\n",
        "lab/requirements.txt": "tensorflow==1.0.0\n",
        "lab/train.py": "import numpy\nimport tensorflow\n",
    }
    [finding] = findings(tmp_path / "lab", "TF202", lab)
    assert "tensorflow>=0.12.1" in finding.message
    # A `pip freeze` of a conda environment pins nothing another machine can install.
    frozen = {
        **files,
        "app/requirements.txt": pinned
        + "colorama @ file:///home/conda/feedstock_root/build_artifacts/colorama_1/work\n",
    }
    assert any(
        f.path == "app/environment.yml" for f in findings(tmp_path / "frozen", "TF202", frozen)
    )


# --------------------------------------------------------------------------- TF301


def test_tf301_a_password_hashing_scheme_is_no_password(tmp_path: Path) -> None:
    # `PASSWORD_SCHEME = "pbkdf2_sha256"` names the hashing algorithm (FALSE in set AE).
    auth = 'PASSWORD_SCHEME = "pbkdf2_sha256"\nPASSWORD_ALGORITHM = "argon2id_v19"\n'
    assert findings(tmp_path, "TF301", {"backend/app/auth.py": auth}) == []
    leaked = auth + 'ADMIN_PASSWORD = "Clinic-Sum-2024!"\n'
    [finding] = findings(tmp_path / "leaked", "TF301", {"backend/app/auth.py": leaked})
    assert finding.line == 3


# --------------------------------------------------------------------------- TF902

_INGEST = """import logging
import time
from contextlib import contextmanager

logger = logging.getLogger(__name__)


@contextmanager
def phase(label: str):
    \"\"\"Sync context manager: print a phase header banner and elapsed time on exit.\"\"\"
    print(f"-- {label} --")
    start = time.monotonic()
    yield
    print(f"({time.monotonic() - start:.1f}s)")


def validate_distribution(train, test):
    \"\"\"Validate the distribution across splits.

    Prints statistics to ensure no group is missing.
    \"\"\"
    print(train.value_counts())
    print(test.value_counts())


def basic_overview(frame):
    print(frame.head())
    print(frame.describe())


def load(rows):
    logger.info("loading %d rows", len(rows))
    return rows
"""


def test_tf902_functions_whose_docstring_or_name_says_they_print(tmp_path: Path) -> None:
    # A banner context manager ("Sync context manager: print a phase header..."), a
    # validation report ("Prints statistics..."), an EDA command's `basic_overview`:
    # their prints are their output (3 FALSE in sets AC and AD).
    files = {
        "requirements.txt": "pandas==2.2.3\n",
        "src/ingest/__init__.py": "",
        "src/ingest/pipeline.py": _INGEST,
    }
    assert findings(tmp_path, "TF902", files) == []
    progress = _INGEST.replace(
        '    logger.info("loading %d rows", len(rows))\n',
        '    logger.info("loading %d rows", len(rows))\n    print("loaded", len(rows))\n',
    )
    [finding] = findings(
        tmp_path / "progress", "TF902", {**files, "src/ingest/pipeline.py": progress}
    )
    assert "load()" in finding.message


# --------------------------------------------------------------------------- TF1004

_GRADCAM = """import torch


class GradCAM:
    def __init__(self, model):
        self.model = model.eval()

    def explain(self, image, target):
        score = self.model(image)[0, target]
        self.model.zero_grad()
        score.backward()
        return image.grad
"""


def test_tf1004_a_backward_pass_with_no_optimizer_step_trains_nothing(tmp_path: Path) -> None:
    # Grad-CAM's `score.backward()` takes a trained model's gradients: no weights start
    # random there (FALSE in set AD).
    files = {"requirements.txt": "torch==2.5.1\n", "src/xai/gradcam.py": _GRADCAM}
    assert findings(tmp_path, "TF1004", files) == []
    loop = (
        "import torch\n\n\ndef train(model, batches, optimizer):\n"
        "    for x, y in batches:\n        loss = torch.nn.functional.mse_loss(model(x), y)\n"
        "        optimizer.zero_grad()\n        loss.backward()\n        optimizer.step()\n"
    )
    [finding] = findings(tmp_path / "loop", "TF1004", {**files, "src/train.py": loop})
    assert finding.path == "src/train.py"


# --------------------------------------------------------------------------- the kind


def test_scripts_named_test_that_define_no_test_are_no_suite(tmp_path: Path) -> None:
    # A master's thesis keeps experiment scripts named `test5.py`, `test_attributes_1.py`
    # beside its package folders: no test in them, so nothing ships; read as an
    # application, it was asked for CI and a Python version (NOISE in set AH).
    files = {
        "requirements.txt": "torch>=2.1\n",
        "multimodal_modules/__init__.py": "",
        "multimodal_modules/fusion.py": "import torch\n\n\ndef fuse(a, b):\n    return torch.cat([a, b])\n",
        "train.py": "from multimodal_modules.fusion import fuse\n\nprint(fuse)\n",
        **{
            f"test_attributes_{n}.py": "import torch\n\nprint(torch.zeros(2))\n"
            for n in range(1, 6)
        },
    }
    make_repo(tmp_path, files)
    assert inferred_kind(tmp_path) == "research"
    # Three modules that define tests are a suite: the project is maintained as such.
    suite = {
        **files,
        **{f"tests/test_{n}.py": "def test_zero():\n    assert 0 == 0\n" for n in range(3)},
    }
    make_repo(tmp_path / "suite", suite)
    assert inferred_kind(tmp_path / "suite") == "application"


# --------------------------------------------------------------------------- TF301

_FIREBASE_PAGE = """const firebaseConfig = {
  apiKey: "AIzaSyBx7Q2mZ4kLp9wR3tY6uI0oP5aS8dF1gHj",
  authDomain: "trafficai-auth.firebaseapp.com",
  projectId: "trafficai-auth",
};
"""


def test_tf301_a_firebase_web_configs_api_key(tmp_path: Path) -> None:
    # A Next.js build inlines the Firebase web config into every page: its apiKey names
    # the project to the browser (2 NOISE at error in set AG). Reported as a warning.
    [finding] = findings(tmp_path, "TF301", {"web/.next/server/app/page.js": _FIREBASE_PAGE})
    assert finding.severity is Severity.WARNING and "Firebase" in finding.message
    # The same key shape beside no Firebase config (a Gemini key) stays an error.
    gemini = 'import google.generativeai as genai\n\ngenai.configure(api_key="AIzaSyBx7Q2mZ4kLp9wR3tY6uI0oP5aS8dF1gHj")\n'
    [finding] = findings(tmp_path / "gemini", "TF301", {"rag.py": gemini})
    assert finding.severity is Severity.ERROR


def test_tf301_a_server_action_is_no_browser_code(tmp_path: Path) -> None:
    # A Next.js `"use server"` page seeding accounts runs on the server only: TF301 said
    # its value was "in browser code, public to every visitor" (FALSE twice in set AF).
    page = (
        '"use server";\n\nexport async function seed() {\n  return { password: "Zq8#vR2!mK" };\n}\n'
    )
    [finding] = findings(tmp_path, "TF301", {"src/app/setup/page.tsx": page})
    assert "browser" not in finding.message
    client = page.replace('"use server";', '"use client";')
    [finding] = findings(tmp_path / "client", "TF301", {"src/app/setup/page.tsx": client})
    assert "browser" in finding.message


def test_tf301_a_secrets_base64_placeholder_and_a_test_functions_login(tmp_path: Path) -> None:
    # A Kubernetes Secret's `api-key: YXBpa2V5MTIz` is base64 of `apikey123` under
    # "replace with actual secrets"; a test runner's `def test_end_to_end_workflow()`
    # registers `E2EPass123!`: 2 FALSE in set AF.
    secret = (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ntype: Opaque\ndata:\n"
        "  # Base64 encoded values - replace with actual secrets\n"
        "  api-key: YXBpa2V5MTIz\n"
    )
    runner = (
        "def test_end_to_end_workflow(security):\n"
        '    user = security.create_user(username="e2euser", password="E2EPass123!")\n'
        "    assert user\n"
    )
    files = {"kubernetes/production.yaml": secret, "comprehensive_test_runner.py": runner}
    assert findings(tmp_path, "TF301", files) == []
    # A random value in either place is still a secret.
    real = {
        "kubernetes/production.yaml": secret.replace("YXBpa2V5MTIz", "bTlYcTJ2THA4elI0d1Q3aw=="),
        "comprehensive_test_runner.py": runner.replace("E2EPass123!", "m9Xq2vLp8zR4wT7k"),
    }
    assert len(findings(tmp_path / "real", "TF301", real)) == 2


# --------------------------------------------------------------------------- roles


def test_an_original_copy_kept_beside_its_rewrite_is_archived(tmp_path: Path) -> None:
    # `src/api/kafka_integration_original.py`, a stale copy nothing imports, was reported
    # a server loop with no SIGTERM handler (FALSE in set AG).
    loop = (
        "import time\n\n\ndef start_consuming(consumer):\n    while True:\n"
        "        for message in consumer.poll():\n            handle(message)\n"
        "        time.sleep(1)\n\n\nif __name__ == '__main__':\n    start_consuming(make())\n"
    )
    files = {
        "requirements.txt": "kafka-python==2.0.2\n",
        "src/api/kafka_integration_original.py": loop,
    }
    assert findings(tmp_path, "TF703", files) == []
    live = {"requirements.txt": "kafka-python==2.0.2\n", "src/api/kafka_integration.py": loop}
    assert len(findings(tmp_path / "live", "TF703", live)) == 1


# --------------------------------------------------------------------------- TF505

_SEGMENTATION_IMAGE = """FROM python:3.11-slim
WORKDIR /app
COPY requirements-app.txt .
RUN pip install --no-cache-dir -r requirements-app.txt
COPY pyproject.toml .
RUN pip install --no-cache-dir . || pip install --no-cache-dir -e .
COPY src/ src/
RUN pip install --no-cache-dir -e .
COPY scripts/download_models.py .
RUN pip install huggingface_hub && python download_models.py
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]
"""


def test_tf505_an_install_the_image_already_made(tmp_path: Path) -> None:
    # A pneumonia service's image installs `huggingface_hub` after its pinned
    # requirements pinned it, and the project twice (before and after its sources are
    # copied): the repeats change nothing and share one root cause (3 NOISE in sets AC, AF).
    files = {
        "Dockerfile": _SEGMENTATION_IMAGE,
        "requirements-app.txt": "fastapi==0.115.0\nhuggingface-hub==0.26.2\n",
        "pyproject.toml": '[project]\nname = "seg"\nversion = "0.1"\ndependencies = ["fastapi"]\n',
        "src/seg/__init__.py": "",
    }
    assert findings(tmp_path, "TF505", files) == []
    # A package the requirements do not pin is still an unpinned install.
    files["Dockerfile"] = _SEGMENTATION_IMAGE.replace("huggingface_hub", "gradio")
    assert [f.line for f in findings(tmp_path / "other", "TF505", files)] == [10]
    # With no requirements installed first, the project's install is reported once.
    files["Dockerfile"] = _SEGMENTATION_IMAGE.replace(
        "RUN pip install --no-cache-dir -r requirements-app.txt\n", ""
    )
    found = findings(tmp_path / "unlocked", "TF505", files)
    assert [f.line for f in found] == [5, 9]  # the project once; `huggingface_hub` open
    # Two projects installed in two folders are two installs (poolformer's image).
    two = "FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -e .\nWORKDIR /app/plugin\nRUN pip install -e .\n"
    found = findings(tmp_path / "two", "TF505", {**files, "Dockerfile": two})
    assert [f.line for f in found] == [4, 6]


# --------------------------------------------------------------------------- sets AI to AK


def test_tf701_a_pipeline_stage_script_run_by_dvc(tmp_path: Path) -> None:
    # A music-genre project's `src/data/make_dataset.py` downloads GTZAN at its top level,
    # which `dvc.yaml` runs as `python src/data/make_dataset.py`: nothing imports it, so
    # nothing downloads at an import (FALSE in set AK, measured on ab13a7b).
    stage = (
        "import requests\n\nDATASET_URL = 'https://example.org/gtzan.zip'\n\n\n"
        "def download_dataset_if_necessary():\n"
        "    return requests.get(DATASET_URL, timeout=60).content\n\n\n"
        "download_dataset_if_necessary()\n"
    )
    files = {
        "requirements.txt": "requests==2.32.3\n",
        "src/__init__.py": "",
        "src/data/__init__.py": "",
        "src/data/make_dataset.py": stage,
        "dvc.yaml": "stages:\n  make_dataset:\n    cmd: python src/data/make_dataset.py\n",
    }
    assert findings(tmp_path, "TF701", files) == []
    # Imported by the service, its top level runs at the import: reported.
    served = {**files, "src/app.py": "from src.data.make_dataset import DATASET_URL\n"}
    assert len(findings(tmp_path / "served", "TF701", served)) == 1


def test_tf206_micropython_firmware(tmp_path: Path) -> None:
    # An air-quality project's ESP32 sensor code imports MicroPython's built-ins
    # (`machine`, `network`, `ujson`): no manifest declares those (FALSE in set AJ).
    firmware = "import machine\nimport network\nimport ujson\n\nprint(ujson.dumps({'pm25': 3}))\n"
    files = {"requirements.txt": "pandas==2.2.3\n", "core/esp32_sensor.py": firmware}
    assert findings(tmp_path, "TF206", files) == []
    host = {**files, "core/upload.py": "import ujson\n\nprint(ujson.dumps({}))\n"}
    [finding] = findings(tmp_path / "host", "TF206", host)
    assert finding.path == "core/upload.py"


def test_tf1003_a_tests_seed_does_not_seed_the_pipeline(tmp_path: Path) -> None:
    # A music-genre service's `classifier/utils/data.py` splits with no `random_state`;
    # only a test calls `np.random.seed(42)`. That seed quieted the module, so the rule
    # reported the exploration notebook's copy instead (3 NOISE in set AK, and the
    # module's split listed as missed).
    files = {
        "requirements.txt": "scikit-learn==1.5.2\nnumpy==2.1.3\n",
        "classifier/__init__.py": "",
        "classifier/data.py": (
            "from sklearn.model_selection import train_test_split\n\n\n"
            "def prepare(X, y):\n    return train_test_split(X, y, test_size=0.2)\n"
        ),
        "tests/test_monitoring.py": (
            "import numpy as np\n\n\ndef test_drift():\n    np.random.seed(42)\n"
            "    assert np.random.rand() < 1\n"
        ),
    }
    [finding] = findings(tmp_path, "TF1003", files)
    assert finding.path == "classifier/data.py"
    # A seed in the project's own code still seeds it.
    seeded = {**files, "classifier/__init__.py": "import numpy as np\n\nnp.random.seed(0)\n"}
    assert findings(tmp_path / "seeded", "TF1003", seeded) == []
