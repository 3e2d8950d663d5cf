"""Which distributions provide an import name, for the common Python/ML stack.

Package and module names differ (`scikit-learn` installs `sklearn`, `Pillow` installs
`PIL`) and nothing in an installed-nothing checkout can tell them apart, so the
undeclared-import rule only reports modules listed here: for any other name it cannot
know which distribution to ask for, and stays silent. Keys are top-level module names or
dotted prefixes for namespace packages (`google.cloud.storage`); values are the
distributions (PyPI or conda names, any spelling: they are normalised) that provide it.
"""

from __future__ import annotations

import re
import sys

_SAME = "="  # marker: the distribution has the module's own name

# One line per module: "module: dist dist ...". `=` stands for the module's own name.
_TABLE = """
accelerate: =
aiohttp: =
albumentations: =
altair: =
anthropic: =
apache_beam: apache-beam
arrow: =
attr: attrs
attrs: =
azure.ai.ml: azure-ai-ml
azure.identity: azure-identity
azure.keyvault.secrets: azure-keyvault-secrets
azure.storage.blob: azure-storage-blob
azure.storage.queue: azure-storage-queue
azure.storage.filedatalake: azure-storage-file-datalake
azure.servicebus: azure-servicebus
azure.eventhub: azure-eventhub
azure.cosmos: azure-cosmos
azureml.core: azureml-core
bentoml: =
boto3: =
botocore: = boto3
bs4: beautifulsoup4
catboost: =
category_encoders: category-encoders
celery: =
click: =
cloudpickle: =
confluent_kafka: confluent-kafka
Crypto: pycryptodome pycrypto
Cryptodome: pycryptodomex
cupy: = cupy-cuda12x cupy-cuda11x cupy-cuda111 cupy-cuda102
cv2: opencv-python opencv-python-headless opencv-contrib-python opencv-contrib-python-headless opencv py-opencv libopencv
dask: =
datasets: =
dateutil: python-dateutil
delta: delta-spark
diffusers: =
dill: =
django: =
docker: =
docx: python-docx
dotenv: python-dotenv
dvc: =
dvclive: =
elasticsearch: =
evaluate: =
evidently: =
faiss: faiss-cpu faiss-gpu faiss
fastapi: =
fastparquet: =
feast: =
fitz: pymupdf
flask: =
flask_cors: flask-cors
fsspec: =
gcsfs: =
gensim: =
git: gitpython
github: pygithub
gitlab: python-gitlab
google.api_core: google-api-core
google.auth: google-auth
google.oauth2: google-auth
google.cloud.aiplatform: google-cloud-aiplatform
google.cloud.aiplatform_v1: google-cloud-aiplatform
google.cloud.bigquery: google-cloud-bigquery
google.cloud.bigquery_storage: google-cloud-bigquery-storage
google.cloud.bigtable: google-cloud-bigtable
google.cloud.datastore: google-cloud-datastore
google.cloud.firestore: google-cloud-firestore
google.cloud.kms: google-cloud-kms
google.cloud.language: google-cloud-language
google.cloud.logging: google-cloud-logging
google.cloud.monitoring: google-cloud-monitoring
google.cloud.pubsub: google-cloud-pubsub google-cloud-pubsub-v1
google.cloud.pubsub_v1: google-cloud-pubsub
google.cloud.secretmanager: google-cloud-secret-manager
google.cloud.spanner: google-cloud-spanner
google.cloud.speech: google-cloud-speech
google.cloud.storage: google-cloud-storage
google.cloud.tasks: google-cloud-tasks
google.cloud.translate: google-cloud-translate
google.cloud.vision: google-cloud-vision
google.generativeai: google-generativeai
google.protobuf: protobuf
googleapiclient: google-api-python-client
gradio: =
great_expectations: great-expectations
grpc: grpcio
gunicorn: =
h5py: =
hdbscan: =
httpx: =
huggingface_hub: huggingface-hub
hydra: hydra-core
imageio: =
imblearn: imbalanced-learn
jax: =
jinja2: =
jose: python-jose
joblib: =
jwt: pyjwt
keras: = tensorflow tensorflow-cpu tensorflow-gpu tensorflow-macos tf-nightly tensorflow-intel
kafka: kafka-python kafka-python-ng
kfp: =
langchain: =
librosa: =
lightgbm: =
lightning: = pytorch-lightning
loguru: =
lxml: =
magic: python-magic
matplotlib: =
ml_metadata: ml-metadata
mlflow: = mlflow-skinny
mpl_toolkits: matplotlib
multipart: python-multipart
MySQLdb: mysqlclient
nacl: pynacl
neptune: = neptune-client
networkx: =
nltk: =
numba: =
numpy: =
omegaconf: =
onnx: =
onnxruntime: = onnxruntime-gpu onnxruntime-directml
openai: =
OpenSSL: pyopenssl
openpyxl: =
optuna: =
orjson: =
pandas: =
pandera: =
papermill: =
peft: =
PIL: pillow pillow-simd
plotly: =
polars: = polars-lts-cpu
prometheus_client: prometheus-client
prophet: =
psycopg: = psycopg-binary
psycopg2: = psycopg2-binary
pyarrow: =
pydantic: =
pydantic_settings: pydantic-settings
pymongo: =
pymysql: =
pyspark: =
pytorch_lightning: pytorch-lightning lightning
ray: =
redis: =
requests: =
rich: =
s3fs: =
sacred: =
scipy: =
seaborn: =
sentence_transformers: sentence-transformers
sentencepiece: =
sentry_sdk: sentry-sdk
shap: =
skimage: scikit-image
skopt: scikit-optimize
sklearn: scikit-learn
slugify: python-slugify
spacy: =
sqlalchemy: =
starlette: = fastapi
statsmodels: =
streamlit: =
structlog: =
tensorboard: = tensorflow
tensorflow: = tensorflow-cpu tensorflow-gpu tensorflow-macos tf-nightly tensorflow-intel
tensorflow_data_validation: tensorflow-data-validation
tensorflow_datasets: tensorflow-datasets tfds-nightly
tensorflow_hub: tensorflow-hub
tensorflow_model_analysis: tensorflow-model-analysis
tensorflow_serving: tensorflow-serving-api tensorflow-protobuf
tensorflow_transform: tensorflow-transform
tfx: =
tfx_bsl: tfx-bsl
tiktoken: =
timm: =
tokenizers: =
toml: =
torch: = pytorch
torchaudio: =
torchvision: =
tqdm: =
transformers: =
typer: =
ujson: =
ultralytics: =
umap: umap-learn
uvicorn: =
wandb: =
xgboost: = py-xgboost
yaml: pyyaml
zmq: pyzmq
"""


def _parse(table: str) -> dict[str, tuple[str, ...]]:
    parsed: dict[str, tuple[str, ...]] = {}
    for line in table.strip().splitlines():
        module, _, dists = line.partition(":")
        names = [module if d == _SAME else d for d in dists.split()]
        parsed[module.strip()] = tuple(normalise(n) for n in names)
    return parsed


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


IMPORT_TO_DISTRIBUTIONS: dict[str, tuple[str, ...]] = _parse(_TABLE)


def distributions_for(module: str) -> tuple[str, ...] | None:
    """The distributions that may provide `module` (a dotted import path), or None when
    the table does not know it. The longest listed dotted prefix wins."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        found = IMPORT_TO_DISTRIBUTIONS.get(".".join(parts[:end]))
        if found is not None:
            return found
    return None


def _distributions_by_top(
    table: dict[str, tuple[str, ...]],
) -> dict[str, tuple[frozenset[str], ...]]:
    by_top: dict[str, set[frozenset[str]]] = {}
    for module, names in table.items():
        by_top.setdefault(module.split(".", 1)[0], set()).add(frozenset(names))
    return {top: tuple(sorted(sets, key=sorted)) for top, sets in by_top.items()}


#: Top-level name -> every set of candidate distributions `distributions_for` can give for
#: a module under it (`google` -> {google-cloud-storage}, {google-cloud-bigquery}...): what
#: a scan that sees only the top-level names of a file's imports can tell without the AST.
DISTRIBUTIONS_BY_TOP: dict[str, tuple[frozenset[str], ...]] = _distributions_by_top(
    IMPORT_TO_DISTRIBUTIONS
)


#: Python 3.10+ has the list; older interpreters are not supported by the checker.
STDLIB_MODULES: frozenset[str] = frozenset(sys.stdlib_module_names) | {"__future__"}


def is_stdlib(module: str) -> bool:
    return module.split(".", 1)[0] in STDLIB_MODULES


# Required (not optional) dependencies of common distributions: a module these bring is
# installed by the lock whenever the declaring distribution is, so importing it directly is
# not reported (precision first; deptry calls this a transitive dependency). Only
# long-standing, unconditional requirements are listed (what the current and the previous
# major releases both require: `pandas` brings `python-dateutil`, `streamlit` brings
# `altair`/`pandas`/`numpy`, `hydra-core` brings `omegaconf`, `dash` brings `plotly`).
# `sklearn` is the old PyPI alias that installed scikit-learn. `zenml`'s line is from the
# Requires-Dist of zenml 0.93.0 as published on PyPI; `pygithub`'s and `tf2onnx`'s are
# what both PyGithub 1.59.1 and 2.6.1, and tf2onnx 1.14.0 and 1.16.1 require there;
# `sagemaker`'s is from sagemaker 2.230.0 (no 1.x wheel was at hand to compare); `tfx`
# brings TFMA, TFDV, TFT, TFX-BSL and ML Metadata (the TFX user guide's installation
# section names them as its major dependencies); `wandb`'s and `langchain`'s are what both
# wandb 0.15.12 and 0.18.7, and langchain 0.0.305 and 0.3.0 require on PyPI;
# `tensorflow-datasets` brings what 3.1.0 and 4.9.3 both require, `tensorflow-gan` what 2.0.0
# and 2.1.0 require. `tensorflow-protobuf` 2.11.0 ships `tensorflow_serving`'s protos.
# `catboost`: what 0.26.1, 1.2.2 and 1.2.5 require; `scikit-optimize`: 0.9.0 and 0.10.2;
# `imgaug`: 0.2.9 and 0.4.0; `flask-sqlalchemy`: what the wheels of 2.5.1 and 3.1.1 require; `catalyst`: what 19.12.3, 20.5.1 and 22.4 all require (the
# older releases also required pandas, matplotlib and scikit-learn; 22.4 does not).
# `huggingface-hub`: what the wheels of 0.20.3 and 0.34.4 both require; `diffusers`: 0.25.0
# and 0.31.0; `fastai`: 2.7.14 and 2.8.4; `timm`: what 0.1.26, 0.4.12, 0.9.16 and 1.0.15
# all require (pyyaml and huggingface-hub only since 0.9: a repository pinning
# `timm==0.1.26` gets neither) (read from each wheel's METADATA). `librosa`: what 0.7.0
# (its setup.py's install_requires) and 0.10.2 (its wheel's METADATA) both require.
# Added in the sixteenth session, each what every listed release requires (wheels'
# METADATA, an sdist's setup.py where no wheel exists): `snorkel` 0.9.9, 0.10.0;
# `ploomber` 0.22.0, 0.23.0; `llama-index-core` 0.10.0, 0.12.0; `dspy-ai` 2.4.9, 2.5.0;
# `onnx2torch` 1.5.0, 1.5.15; `sse-starlette` 1.8.2, 2.1.0; `face-alignment` 1.3.5,
# 1.4.1; `facexlib` 0.2.5, 0.3.0; `google-cloud-bigquery` 3.10.0, 3.27.0;
# `google-cloud-storage` 1.44.0, 2.10.0, 2.18.0; `nba-api` 1.4.1, 1.10.0;
# `apache-airflow` 2.2.3, 2.9.3; `apache-airflow-providers-google` 8.0.0, 10.0.0; `feast`
# 0.34.1, 0.40.0; `pandasai` 2.0.0, 3.0.0. Added in the twenty-fifth session (wheels'
# METADATA): `be-great` 0.0.5, 0.0.9; `ultralytics` 8.0.200, 8.3.40; `vertexai` 1.43.0,
# 1.71.1 (an alias of google-cloud-aiplatform). Not `opencv-python`'s numpy nor
# `prometheus-fastapi-instrumentator`'s prometheus-client: each, imported directly, was
# judged a missing declaration in one service and noise in another.
# Extras (`name[extra]`, declared as written):
# `fastapi[all]` 0.92.0, 0.100.0, 0.115.0; `fastapi[standard]` 0.112.0, 0.115.0, 0.120.0
# (0.111.0 installed them without the extra); `uvicorn[standard]` 0.20.0, 0.30.0 (its
# colorama only on Windows). Left out on purpose: gradio, sentence-
# transformers, streamlit-folium, qdrant-client, wikipedia and hopsworks, whose users'
# direct imports of what they bring (uvicorn, pandas, transformers, torch, httpx, bs4)
# were judged missing declarations as often as not: a framework's own dependencies move
# with its releases.
_REQUIRES = """
accelerate: torch numpy pyyaml huggingface-hub
altair: jinja2 jsonschema packaging
apache-airflow-providers-google: apache-airflow google-api-core google-api-python-client google-auth google-auth-httplib2 google-cloud-aiplatform google-cloud-automl google-cloud-bigquery-datatransfer google-cloud-bigtable google-cloud-build google-cloud-container google-cloud-datacatalog google-cloud-dataplex google-cloud-dataproc google-cloud-dataproc-metastore google-cloud-dlp google-cloud-kms google-cloud-language google-cloud-logging google-cloud-memcache google-cloud-monitoring google-cloud-orchestration-airflow google-cloud-os-login google-cloud-pubsub google-cloud-redis google-cloud-secret-manager google-cloud-spanner google-cloud-speech google-cloud-storage google-cloud-tasks google-cloud-texttospeech google-cloud-translate google-cloud-videointelligence google-cloud-vision google-cloud-workflows grpcio-gcp httpx json-merge-patch looker-sdk pandas pandas-gbq proto-plus pyopenssl sqlalchemy-bigquery
apache-airflow: alembic apache-airflow-providers-ftp apache-airflow-providers-http apache-airflow-providers-imap apache-airflow-providers-sqlite argcomplete attrs blinker colorlog croniter cryptography dill flask flask-caching flask-wtf gunicorn httpx itsdangerous jinja2 jsonschema lazy-object-proxy lockfile markupsafe marshmallow-oneofschema packaging pendulum psutil pygments pyjwt python-daemon python-dateutil python-nvd3 python-slugify rich setproctitle sqlalchemy sqlalchemy-jsonfield tabulate tenacity termcolor unicodecsv werkzeug
arrow: python-dateutil
azureml-sdk: azureml-core azureml-pipeline azureml-train-core azureml-dataset-runtime
be-great: datasets numpy pandas scikit-learn torch tqdm transformers accelerate
catalyst: numpy torch tqdm tensorboardx
catboost: graphviz matplotlib numpy pandas scipy plotly six
clu: absl-py flax jax jaxlib ml-collections numpy packaging typing-extensions wrapt
cookiecutter: binaryornot jinja2 click pyyaml python-slugify requests arrow
dash: flask werkzeug plotly requests typing-extensions retrying nest-asyncio
dask: click cloudpickle fsspec packaging pyyaml toolz partd
datasets: numpy pyarrow pandas requests tqdm fsspec huggingface-hub pyyaml
diffusers: importlib-metadata filelock huggingface-hub numpy regex requests safetensors pillow
distrax: absl-py chex jax jaxlib numpy
dspy-ai: backoff datasets joblib openai optuna pandas pydantic regex requests structlog tqdm ujson
face-alignment: numba numpy opencv-python scikit-image scipy torch tqdm
facexlib: filterpy numba numpy opencv-python pillow scipy torch torchvision tqdm
fastai: pip packaging fastdownload fastcore torchvision matplotlib pandas requests pyyaml fastprogress pillow scikit-learn scipy spacy torch
fastapi: pydantic starlette
fastapi[all]: email-validator httpx itsdangerous jinja2 orjson python-multipart pyyaml ujson uvicorn
fastapi[standard]: email-validator fastapi-cli httpx jinja2 python-multipart uvicorn
feast: click colorama dask dill fastapi gunicorn jinja2 jsonschema mmh3 mypy-protobuf numpy pandas protobuf pyarrow pydantic pygments pyyaml requests sqlalchemy tabulate tenacity toml tqdm typeguard uvicorn
flask-sqlalchemy: flask sqlalchemy
flask: werkzeug jinja2 itsdangerous click
flax: numpy jax msgpack optax orbax-checkpoint tensorstore rich typing-extensions pyyaml
google-api-core: googleapis-common-protos protobuf proto-plus google-auth requests
google-auth-oauthlib: google-auth requests-oauthlib
google-cloud-aiplatform: protobuf proto-plus google-api-core google-cloud-storage google-cloud-bigquery packaging
google-cloud-bigquery: google-api-core google-cloud-core google-resumable-media packaging python-dateutil requests
google-cloud-storage: google-api-core google-auth google-cloud-core google-resumable-media requests
httpx: httpcore anyio certifi idna
huggingface-hub: filelock fsspec requests tqdm pyyaml typing-extensions packaging
hydra-core: omegaconf antlr4-python3-runtime packaging
imgaug: six numpy scipy pillow matplotlib scikit-image opencv-python imageio shapely
jinja2: markupsafe
langchain: pyyaml sqlalchemy aiohttp langsmith numpy pydantic requests tenacity
librosa: audioread numpy scipy scikit-learn joblib decorator numba soundfile
lightgbm: numpy scipy
lightning: torch pyyaml tqdm
llama-index-core: aiohttp dataclasses-json deprecated dirtyjson fsspec httpx nest-asyncio networkx nltk numpy pillow pyyaml requests sqlalchemy tenacity tiktoken tqdm typing-extensions typing-inspect
matplotlib: numpy pillow python-dateutil packaging pyparsing
mlflow-skinny: click requests pyyaml
mlflow: mlflow-skinny pandas numpy scipy scikit-learn sqlalchemy matplotlib flask
nba-api: numpy requests
omegaconf: pyyaml antlr4-python3-runtime
onnx2torch: numpy onnx torch torchvision
optax: absl-py jax jaxlib numpy
pandas: numpy python-dateutil
pandasai: astor duckdb jinja2 matplotlib pandas pillow pydantic python-dotenv requests scipy
ploomber: autopep8 click humanize ipdb ipykernel ipython jinja2 jupyter-client jupytext mistune nbconvert nbformat networkx papermill parso ploomber-core ploomber-engine ploomber-scaffold posthog pydantic pyflakes pygments pyyaml sqlalchemy sqlparse tabulate tqdm
prefect: anyio cloudpickle fsspec httpx jsonschema orjson packaging pydantic python-dateutil python-slugify pyyaml rich toml ujson uvicorn click jinja2 sqlalchemy typer
pydantic-settings: pydantic python-dotenv
pygithub: pynacl requests pyjwt deprecated
pytorch-lightning: torch pyyaml tqdm
requests: urllib3 idna certifi charset-normalizer
sagemaker: boto3 numpy pandas pyyaml requests protobuf cloudpickle
scikit-learn: numpy scipy joblib
scikit-optimize: joblib pyaml numpy scipy scikit-learn
scipy: numpy
seaborn: numpy pandas matplotlib
sklearn: scikit-learn
snorkel: munkres networkx numpy pandas scikit-learn scipy tensorboard torch tqdm
sse-starlette: anyio starlette uvicorn
statsmodels: numpy scipy pandas
streamlit: altair blinker cachetools click numpy packaging pandas pillow protobuf pyarrow requests toml gitpython pydeck tornado
tensorflow-datasets: absl-py numpy promise protobuf requests termcolor tensorflow-metadata tqdm wrapt
tensorflow-gan: tensorflow-hub tensorflow-probability
tensorflow-transform: tensorflow numpy protobuf pyarrow apache-beam tfx-bsl
tensorflow: numpy keras tensorboard protobuf
tf2onnx: numpy onnx requests six flatbuffers
tfx: tensorflow tensorflow-transform tensorflow-model-analysis tensorflow-data-validation tfx-bsl numpy protobuf apache-beam ml-metadata
timm: torch torchvision
torchaudio: torch
torchvision: torch numpy pillow
transformers: huggingface-hub numpy pyyaml requests tokenizers tqdm
typer: click
ultralytics: matplotlib numpy opencv-python pillow pyyaml requests scipy torch torchvision tqdm pandas seaborn psutil py-cpuinfo
uvicorn: click
uvicorn[standard]: httptools python-dotenv pyyaml uvloop watchfiles websockets
vertexai: google-cloud-aiplatform
wandb: click gitpython requests psutil sentry-sdk docker-pycreds pyyaml setproctitle protobuf
xgboost: numpy scipy
zenml: click cloudpickle gitpython packaging pydantic python-dateutil pyyaml rich
"""

REQUIRES: dict[str, tuple[str, ...]] = {
    normalise(key): tuple(normalise(d) for d in value.split())
    for key, _, value in (line.partition(":") for line in _REQUIRES.strip().splitlines())
}


def with_requirements(declared: set[str]) -> set[str]:
    """`declared` plus everything the listed distributions always install."""
    closed = set(declared)
    pending = list(declared)
    while pending:
        for dependency in REQUIRES.get(pending.pop(), ()):
            if dependency not in closed:
                closed.add(dependency)
                pending.append(dependency)
    return closed
