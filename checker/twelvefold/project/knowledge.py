"""What the rules know about the Python ecosystem, as data, each list once.

Rules read these instead of keeping their own copies, so a tool added here is known to
every rule that asks (TF202's requirements files and TF505's image installs agree on what
a build tool is).
"""

from __future__ import annotations

#: Installers and packaging tools: an image or a requirements file may leave them open
#: (`pip install -U pip`), they build the environment and never run in the product.
PACKAGING_TOOLS = frozenset(
    {
        "pip",
        "setuptools",
        "setuptools-scm",
        "wheel",
        "uv",
        "poetry",
        "poetry-plugin-export",
        "pipenv",
        "pdm",
        "hatch",
        "pip-tools",
        "virtualenv",
        "build",
        "twine",
        "nvidia-pyindex",  # a pip plugin that adds NVIDIA's package index
    }
)
#: Tools that compile extensions or generate code while an environment is built (`pip
#: install packaging ninja` before a CUDA kernel's `setup.py`), command-line monitors an
#: operator runs in a training image (`gpustat`), and the notebook editor a course's
#: environment opens (`jupyterlab>=3.4`): none is imported by the product.
BUILD_AND_OPERATOR_TOOLS = frozenset(
    {
        "ninja",
        "cmake",
        "packaging",
        "cython",
        "pybind11",
        "scikit-build",
        "scikit-build-core",
        "meson",
        "meson-python",
        # Code generators run while the image builds its sources (protoc plugins):
        # `mypy-protobuf` beside a pinned `grpcio-tools` writes type stubs, then leaves.
        "mypy-protobuf",
        # The TOML reader a build script imports before Python 3.11's tomllib (kserve's
        # license generator in each builder stage).
        "tomli",
        "gpustat",
        "nvitop",
        "py-spy",
        "jupyter",
        "jupyterlab",
        "notebook",
    }
)
#: Test and quality tools: left open in a file that pins everything else with `==`
#: (`pytest` at the end of a pinned requirements.txt), they never run in the product.
TEST_TOOLS = frozenset({"pytest", "pre-commit", "coverage", "tox", "nox"})


def is_build_tool(name: str) -> bool:
    """A packaging, extension-build, monitoring or test tool, by its normalised
    distribution name (`pytest-cov` too)."""
    return (
        name in PACKAGING_TOOLS
        or name in BUILD_AND_OPERATOR_TOOLS
        or name in TEST_TOOLS
        or name.startswith("pytest-")
    )


#: Web frameworks: a module that imports one serves requests (routes, handlers).
WEB_FRAMEWORKS = frozenset(
    {
        "fastapi",
        "flask",
        "starlette",
        "django",
        "aiohttp",
        "sanic",
        "tornado",
        "litestar",
        "quart",
        "falcon",
        "bottle",
    }
)
#: Web frameworks that are as often an HTTP client (`aiohttp.ClientSession`): a module
#: serves with one only when it imports its server part.
SERVER_PART = {"aiohttp": "aiohttp.web"}
#: Model-serving frameworks that run a service of their own (`bentoml.service`, Ray Serve).
SERVING_FRAMEWORKS = frozenset({"bentoml", "ray"})
#: Deep-learning frameworks a library may leave out of its metadata on purpose, so that
#: pip never replaces the build its user chose for their CUDA (fvcore: "fvcore requires
#: pytorch"): distribution -> the names a README calls it by.
USER_INSTALLED_FRAMEWORKS = {
    "torch": ("pytorch", "torch"),
    "torchvision": ("torchvision",),
    "torchaudio": ("torchaudio",),
    "torchao": ("torchao",),
    "tensorflow": ("tensorflow",),
    "jax": ("jax",),
    "jaxlib": ("jaxlib",),
}
#: Model servers whose predictor class is the service (`kserve.Model`, LitServe's
#: `LitAPI`, Cog's `BasePredictor`): a module importing one answers requests.
MODEL_SERVERS = frozenset({"kserve", "litserve", "cog"})
#: Byte literals for a prefilter: a file naming no web framework defines no service.
WEB_FRAMEWORK_PREFILTER = tuple(name.encode() for name in sorted(WEB_FRAMEWORKS))

#: Model and fitted-artifact formats (pickles, checkpoints, exported graphs): a committed
#: one is a training output in git, whatever its size. Data formats (csv, parquet...) are
#: not here: a small data file is a fixture or a lookup table.
MODEL_SUFFIXES = frozenset(
    {
        ".pkl",
        ".pickle",
        ".joblib",
        ".pt",
        ".pth",
        ".ckpt",
        ".h5",
        ".keras",
        ".onnx",
        ".safetensors",
        ".tflite",
        ".sav",
        ".gguf",
        ".cbm",
    }
)
#: Folders that experiment trackers and training frameworks write their runs into, by
#: the tool that writes them.
TRACKER_STORE_DIRS = {
    "mlruns": "MLflow",
    "mlartifacts": "MLflow",
    "catboost_info": "CatBoost",
    "lightning_logs": "PyTorch Lightning",
}
#: Files that are a tracker's database, by the tool that writes them.
TRACKER_STORE_FILES = {"mlflow.db": "MLflow"}
#: TensorBoard event files: `events.out.tfevents.1700000000.host.1234.0`.
TFEVENTS_PREFIX = "events.out.tfevents."

#: What IBM's Model Asset eXchange base image installs (IBM/MAX-Base: `pip install -r
#: requirements.txt` of its framework `maxfw`, whose metadata requires flask-restx,
#: flask-cors, Pillow and numpy (maxfw 1.1.6 on PyPI); early releases listed
#: flask-restplus and flask-cors themselves), which every MAX model image is built on.
MAX_BASE = frozenset(
    {"maxfw", "flask", "flask-restx", "flask-restplus", "flask-cors", "pillow", "numpy"}
)

#: Python distributions that well-known base images ship, by image repository: code
#: built on `FROM tiangolo/uvicorn-gunicorn-fastapi:python3.11` imports fastapi without
#: declaring it, the image is its declaration. Only images whose published Dockerfile or
#: documentation says what they install: the FastAPI image installs `fastapi` on its
#: `tiangolo/uvicorn-gunicorn` base (uvicorn run by gunicorn); the official PyTorch image
#: is built with PyTorch installed, and torchvision and torchaudio beside it (the
#: `conda-installs` stage of pytorch/pytorch's Dockerfile); the official TensorFlow
#: images hold the TensorFlow release of their tag; TFX's own image (`gcr.io/tfx-oss-public/tfx`, the default image
#: of TFX pipelines on Kubeflow and Vertex) holds the TFX release of its tag; Apache
#: Spark's own images (`apache/spark`, built from `apache/spark-docker`) unpack the Spark
#: release with its `python/pyspark` into `/opt/spark/python`.
BASE_IMAGE_DISTRIBUTIONS: dict[str, frozenset[str]] = {
    "tiangolo/uvicorn-gunicorn-fastapi": frozenset({"fastapi", "uvicorn", "gunicorn"}),
    "tiangolo/uvicorn-gunicorn": frozenset({"uvicorn", "gunicorn"}),
    "pytorch/pytorch": frozenset({"torch", "torchvision", "torchaudio"}),
    "ghcr.io/pytorch/pytorch": frozenset({"torch", "torchvision", "torchaudio"}),
    "tensorflow/tensorflow": frozenset({"tensorflow"}),
    "gcr.io/tfx-oss-public/tfx": frozenset({"tfx"}),
    "apache/spark": frozenset({"pyspark"}),
    "rayproject/ray": frozenset({"ray"}),
    "rayproject/ray-ml": frozenset({"ray"}),
    # AWS's base images for Lambda functions in Python: Lambda's Python runtime, whose
    # environment "includes the SDK for Python (Boto3)" (AWS Lambda developer guide,
    # "Building Lambda functions with Python"), for every module the image copies.
    "public.ecr.aws/lambda/python": frozenset({"boto3", "botocore"}),
    "amazon/aws-lambda-python": frozenset({"boto3", "botocore"}),
    "quay.io/codait/max-base": MAX_BASE,
    "codait/max-base": MAX_BASE,
}


#: The same for images published to each user's own registry, known by their name alone:
#: Amazon SageMaker's Spark processing image (`<account>.dkr.ecr.<region>.amazonaws.com/
#: sagemaker-spark-processing:3.0-cpu-py37-v1.3`, from aws/sagemaker-spark-container),
#: which runs PySpark jobs.
BASE_IMAGE_NAMES: dict[str, frozenset[str]] = {
    "sagemaker-spark-processing": frozenset({"pyspark"}),
}


def base_image_distributions(repository: str) -> frozenset[str]:
    """What a base image (`repository` without tag or digest) ships; Docker Hub's
    default registry prefixes (`docker.io/`, `index.docker.io/`) are ignored, and any
    registry for the images of `BASE_IMAGE_NAMES`."""
    name = repository.lower()
    for prefix in ("docker.io/", "index.docker.io/", "registry-1.docker.io/"):
        name = name.removeprefix(prefix)
    found = BASE_IMAGE_DISTRIBUTIONS.get(name)
    if found is not None:
        return found
    return BASE_IMAGE_NAMES.get(name.rsplit("/", 1)[-1], frozenset())


#: Where an API documents its requests, shown to readers and sent by nobody: FastAPI's
#: `openapi_examples=` / `openapi_extra=`, pydantic's `json_schema_extra=` / `examples=`
#: (v1's `schema_extra = {...}`), OpenAPI's `example` / `examples` keys.
API_EXAMPLE_KEYS = frozenset(
    {
        "example",
        "examples",
        "openapi_examples",
        "openapi_extra",
        "json_schema_extra",
        "schema_extra",
    }
)

#: The levels a logger (or `logging` itself) is called at: `logger.info(...)`.
LOG_LEVELS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical"})
