"""Look-alikes from held-out set GG (judged on the checker of a2abcc5): each class judged
FALSE or NOISE there, with the violation the rule must still find."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings

# --------------------------------------------------------------------------- TF206

_TOKENIZER = "import numpy\nimport sentencepiece\nimport transformers\n"


def test_tf206_a_requirements_folder_holding_a_pyproject_is_no_project(tmp_path: Path) -> None:
    # EleutherAI/gpt-neox: `requirements/` holds `requirements*.txt` and a poetry
    # `pyproject.toml`; the folder was read as a project of its own, so the root's code
    # seemed to declare nothing (numpy, transformers, sentencepiece: FALSE).
    files = {
        "requirements/requirements.txt": "numpy<2.0\ntransformers==4.38.0\nsentencepiece\n",
        "requirements/pyproject.toml": (
            '[tool.poetry]\nname = "gpt-neox"\nversion = "2.0.0"\n\n'
            '[tool.poetry.dependencies]\npython = "^3.8"\nnumpy = "<2.0"\n'
        ),
        "megatron/__init__.py": "",
        "megatron/tokenizer.py": _TOKENIZER,
        "train.py": "import megatron\n",
    }
    assert findings(tmp_path / "declared", "TF206", files) == []
    # An import none of those files declares is still reported.
    files["megatron/tokenizer.py"] = _TOKENIZER + "import tiktoken\n"
    [finding] = findings(tmp_path / "undeclared", "TF206", files)
    assert "`tiktoken`" in finding.message
    # A folder with code of its own and a project file is a project of its own: its
    # manifests no longer declare the root's imports, and its own import is reported.
    files["requirements/build.py"] = "import tiktoken\n"
    found = findings(tmp_path / "project", "TF206", files)
    assert "requirements/build.py" in {f.path for f in found}


_KERNEL_SETUP = (
    "from setuptools import setup, find_packages\n"
    "from torch.utils.cpp_extension import BuildExtension, CUDAExtension\n\n"
    "setup(\n"
    "    name='fused_kernels',\n"
    "    version='0.0.2',\n"
    "    ext_modules=[CUDAExtension('softmax', ['softmax.cpp'])],\n"
    "    cmdclass={'build_ext': BuildExtension},\n"
    ")\n"
)


def test_tf206_a_kernel_built_in_place_inside_a_package_is_the_packages_code(
    tmp_path: Path,
) -> None:
    # gpt-neox's `megatron/fused_kernels/setup.py` compiles CUDA kernels in a sub-package:
    # its `torch` import is the root project's, reported there (once) or declared there.
    # (torch was FALSE there: reported a second time for the kernel's folder).
    files = {
        "requirements.txt": "numpy==1.26.4\n",
        "megatron/__init__.py": "import numpy\nimport torch\n",
        "megatron/fused_kernels/__init__.py": "import torch\n",
        "megatron/fused_kernels/setup.py": _KERNEL_SETUP,
    }
    [finding] = findings(tmp_path / "once", "TF206", files)
    assert (finding.path, finding.line) == ("megatron/__init__.py", 2)
    # A sub-package whose setup.py declares dependencies is a project of its own.
    files["megatron/fused_kernels/setup.py"] = _KERNEL_SETUP.replace(
        "    version='0.0.2',\n", "    version='0.0.2',\n    install_requires=['ninja'],\n"
    )
    found = findings(tmp_path / "own", "TF206", files)
    assert {f.path for f in found} == {"megatron/__init__.py", "megatron/fused_kernels/__init__.py"}


# --------------------------------------------------------------------------- TF505

_IMAGE = (
    "FROM nvcr.io/nvidia/pytorch:24.02-py3\n"
    "RUN python -m pip install --upgrade pip setuptools wheel packaging ninja && \\\n"
    "    python -m pip install gpustat\n"
    "COPY requirements/* ./\n"
    "RUN python -m pip install --no-cache-dir -r requirements.txt\n"
    "COPY megatron/fused_kernels/ /megatron/fused_kernels\n"
    "RUN pip install --no-cache-dir --no-build-isolation /megatron/fused_kernels\n"
)


def test_tf505_requirements_copied_by_a_glob_and_a_kernel_that_requires_nothing(
    tmp_path: Path,
) -> None:
    # gpt-neox's images: build tools and a GPU monitor left open beside pip (NOISE), a
    # kernel folder whose setup.py requires nothing "resolves its dependencies" (FALSE),
    # and the open requirements copied in by `COPY requirements/* ./` were missed.
    files = {
        "requirements/requirements.txt": "numpy<2.0\ntransformers==4.38.0\n",
        "megatron/__init__.py": "",
        "megatron/fused_kernels/__init__.py": "",
        "megatron/fused_kernels/setup.py": _KERNEL_SETUP,
        "train.py": "import megatron\n",
        "Dockerfile": _IMAGE,
    }
    [finding] = findings(tmp_path / "image", "TF505", files)
    assert finding.line == 5
    assert "`pip install -r requirements.txt` installs unpinned requirements" in finding.message
    assert "`numpy<2.0`" in finding.message
    # A kernel whose setup.py requires packages resolves them at build time.
    files["megatron/fused_kernels/setup.py"] = _KERNEL_SETUP.replace(
        "    version='0.0.2',\n", "    version='0.0.2',\n    install_requires=['einops'],\n"
    )
    found = findings(tmp_path / "requires", "TF505", files)
    assert [f.line for f in found] == [5, 7]
    assert "`/megatron/fused_kernels` resolves its dependencies" in found[1].message


# --------------------------------------------------------------------------- TF902

_PACKAGE = {"lib/__init__.py": "", "lib/log.py": "import logging\n\nlog = logging.getLogger()\n"}


def test_tf902_first_rank_prints_and_install_hints(tmp_path: Path) -> None:
    # gpt-neox (Megatron): status printed by the first process of a distributed run
    # (`if rank == 0: print(...)`), and "please install boto3" when an import fails.
    module = (
        "import torch\n\n"
        "try:\n"
        "    import boto3\n"
        "except ModuleNotFoundError:\n"
        "    print('For s3 checkpointing, please install boto3')\n\n\n"
        "def initialize(args):\n"
        "    if torch.distributed.get_rank() == 0:\n"
        "        print('> initializing model parallel')\n"
        "    if args.rank == 0:\n"
        "        print(f'> setting random seeds to {args.seed}')\n"
        "    if args.local_rank in [-1, 0]:\n"
        "        print('> building dataset')\n"
    )
    files = {**_PACKAGE, "lib/initialize.py": module}
    assert findings(tmp_path / "first-rank", "TF902", files) == []
    # Every rank printing status is still print as logging.
    files["lib/initialize.py"] = module + (
        "\n\ndef build(args):\n"
        "    print('> building model')\n"
        "    print(f'> rank {args.rank} done')\n"
    )
    [finding] = findings(tmp_path / "every-rank", "TF902", files)
    assert "`build()`" in finding.message


def test_tf902_copied_code_a_command_callback_and_a_function_for_printing(
    tmp_path: Path,
) -> None:
    # gpt-neox's `fused_layer_norm.py` ("This code is copied from NVIDIA apex:" with the
    # URL on the next line), shell_gpt's `@option_callback` behind `--install-functions`,
    # causalml's `uplift_tree_string()` ("Convert the tree to string for print").
    status = "\n\ndef forward(x):\n    print('fused')\n    print('done')\n    return x\n"
    files = {
        **_PACKAGE,
        "lib/fused_layer_norm.py": (
            '"""This code is copied from NVIDIA apex:\n'
            "      https://github.com/NVIDIA/apex\n"
            '   with some changes."""\n' + status
        ),
        "lib/install.py": (
            "from lib.utils import option_callback\n\n\n"
            "@option_callback\n"
            "def install_functions(*_args):\n"
            "    print('Installing default functions...')\n"
            "    print('Installed')\n"
        ),
        "lib/plot.py": (
            "def uplift_tree_string(tree):\n"
            '    """Convert the tree to string for print."""\n'
            "    print(tree)\n"
            "    print(tree.left)\n"
        ),
    }
    assert findings(tmp_path / "exempt", "TF902", files) == []
    # The same status prints in the package's own module are reported.
    files["lib/fused.py"] = '"""Fused layer norm, written here."""\n' + status
    [finding] = findings(tmp_path / "own", "TF902", files)
    assert finding.path == "lib/fused.py"


# --------------------------------------------------------------------------- TF701


def test_tf701_a_data_preparation_script_writing_files(tmp_path: Path) -> None:
    # gpt-neox's `post-training/llama_data.py`: statements only, downloads a dataset
    # and writes `data/*.jsonl` (run as `python post-training/llama_data.py`).
    script = (
        "import os\n\nfrom datasets import load_dataset\n\n"
        "raw = load_dataset('HuggingFaceH4/ultrafeedback_binarized')\n"
        "os.makedirs('data', exist_ok=True)\n"
        "for split in ['train', 'test']:\n"
        "    with open(os.path.join('data', f'{split}.jsonl'), 'w') as f:\n"
        "        for item in raw[split]:\n"
        "            f.write(str(item))\n"
    )
    files = {"post-training/llama_data.py": script}
    assert findings(tmp_path / "script", "TF701", files) == []
    # A module that only downloads at import time is imported by others: reported.
    files["post-training/llama_data.py"] = script.split("os.makedirs", maxsplit=1)[0]
    [finding] = findings(tmp_path / "module", "TF701", files)
    assert finding.line == 5


# --------------------------------------------------------------------------- TF703


def test_tf703_an_example_module_is_an_example(tmp_path: Path) -> None:
    # gpt-neox's `post-training/online_data_example_llama3.py`: a localhost data server
    # started by hand to show the online-data protocol.
    server = (
        "import socket\n\n\n"
        "def serve():\n"
        "    server = socket.socket()\n"
        "    server.bind(('localhost', 8000))\n"
        "    server.listen()\n"
        "    while True:\n"
        "        conn, _ = server.accept()\n"
        "        conn.close()\n\n\n"
        "serve()\n"
    )
    assert (
        findings(tmp_path / "example", "TF703", {"post-training/online_data_example.py": server})
        == []
    )
    [finding] = findings(
        tmp_path / "server", "TF703", {"post-training/online_data_server.py": server}
    )
    assert finding.path == "post-training/online_data_server.py"


def test_tf902_a_print_a_loop_repeats_or_a_logging_helper_is_reported_alone(
    tmp_path: Path,
) -> None:
    # Without the install hint, yzhao062/pyod's `deep_svdd.py` holds one print: the loss
    # of every epoch (TRUE there); oobabooga's `debug_msg()` prints for its callers.
    files = {
        **_PACKAGE,
        "lib/deep_svdd.py": (
            '"""Deep SVDD. Part of the code is adapted from\n'
            'https://github.com/lukasruff/Deep-SVDD-PyTorch\n"""\n'
            "try:\n    import torch\nexcept ImportError:\n    print('please install torch first')\n"
            "\n\ndef fit(model, epochs):\n"
            "    for epoch in range(epochs):\n"
            "        loss = model.step()\n"
            "        print(f'Epoch {epoch + 1}/{epochs}, Loss: {loss}')\n"
        ),
        "lib/api_utils.py": (
            "import os\n\n\n"
            "def debug_msg(*args, **kwargs):\n"
            "    if int(os.environ.get('OPENEDAI_DEBUG', 0)):\n"
            "        print(*args, **kwargs)\n"
        ),
    }
    found = findings(tmp_path / "repeated", "TF902", files)
    assert [(f.path, f.line) for f in found] == [("lib/api_utils.py", 6), ("lib/deep_svdd.py", 13)]
    # A single print outside loops and logging helpers stays below the threshold.
    files["lib/deep_svdd.py"] = files["lib/deep_svdd.py"].replace(
        "    for epoch in range(epochs):\n        loss = model.step()\n        print(",
        "    loss = model.step()\n    print(",
    )
    files["lib/api_utils.py"] = files["lib/api_utils.py"].replace("debug_msg", "send_reply")
    assert findings(tmp_path / "once", "TF902", files) == []


# ----------------------------------------------------------------- held-out set HH


def test_tf1002_a_test_module_that_runs_itself(tmp_path: Path) -> None:
    # google-research/bert: `modeling_test.py` subclasses `tf.test.TestCase` and ends
    # with `tf.test.main()`: run as `python modeling_test.py`, no runner configured.
    module = (
        "import tensorflow as tf\n\n\n"
        "class ModelingTest(tf.test.TestCase):\n"
        "    def test_config(self):\n"
        "        assert 1 + 1 == 2\n"
    )
    runs = module + '\n\nif __name__ == "__main__":\n    tf.test.main()\n'
    files = {"requirements.txt": "tensorflow==1.15.5\n", "modeling_test.py": runs}
    assert findings(tmp_path / "runs", "TF1002", files) == []
    # Without its main, unittest discovery (`test*.py`) never collects it.
    files["modeling_test.py"] = module
    [finding] = findings(tmp_path / "dead", "TF1002", files)
    assert "unittest discovery only collects test*.py" in finding.message


def test_tf206_an_environment_image_the_code_is_mounted_into(tmp_path: Path) -> None:
    # ybabakhin/kaggle_salt_bes_phalanx: `docker/Dockerfile` copies nothing in (the
    # repository is mounted at /workdir); it pins torch by a wheel URL after `pip
    # --no-cache-dir install` and starts from tensorflow/tensorflow.
    dockerfile = (
        "FROM tensorflow/tensorflow:1.9.0-gpu-py3\n"
        "RUN pip --no-cache-dir install --upgrade \\\n"
        "        http://download.pytorch.org/whl/cu90/torch-0.4.0-cp35-cp35m-linux_x86_64.whl \\\n"
        "        torchvision==0.2.1\n"
        "RUN pip install tqdm==4.24.0\n"
        "WORKDIR /workdir\n"
    )
    module = "import tensorflow as tf\nimport torch\nimport torchvision\nimport tqdm\n"
    files = {"docker/Dockerfile": dockerfile, "bes/train.py": module}
    assert findings(tmp_path / "mounted", "TF206", files) == []
    # An image that copies its own folder in builds that folder only.
    files["docker/Dockerfile"] = dockerfile + "COPY . /workdir\n"
    [finding] = findings(tmp_path / "copied", "TF206", files)
    assert "`tensorflow`" in finding.message


def test_tf301_an_unpadded_base64_placeholder_in_a_kubernetes_secret(tmp_path: Path) -> None:
    # danswer-ai/danswer's `deployment/kubernetes/secrets.yaml`: 27 bytes need no `=`, so
    # `example_google_oauth_secret` was judged as it was written (an error, FALSE).
    import base64

    def b64(text: str) -> str:
        return base64.b64encode(text.encode()).decode()

    manifest = (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: env-secrets\ntype: Opaque\ndata:\n"
        f"  google_oauth_client_secret: {b64('example_google_oauth_secret')}\n"
    )
    assert not b64("example_google_oauth_secret").endswith("=")
    assert findings(tmp_path / "placeholder", "TF301", {"k8s/secrets.yaml": manifest}) == []
    real = manifest + f"  api_token: {b64('kTzQvWmXbRpLnYcF8dGhJsUaEiO')}\n"
    [finding] = findings(tmp_path / "real", "TF301", {"k8s/secrets.yaml": real})
    assert finding.line == 8


def test_tf206_google_auth_comes_with_the_google_cloud_clients(tmp_path: Path) -> None:
    # danswer: `from google.oauth2 import service_account` next to a pinned
    # google-cloud-aiplatform, which requires google-api-core, which requires google-auth.
    module = "from google.oauth2 import service_account\nimport vertexai\n"
    files = {"requirements.txt": "google-cloud-aiplatform==1.58.0\n", "encoders.py": module}
    assert findings(tmp_path / "declared", "TF206", files) == []
    # (`vertexai` brings google-cloud-aiplatform too: its 1.43.0 and 1.71.1 wheels say so)
    files = {
        "requirements.txt": "requests==2.32.3\n",
        "encoders.py": "from google.oauth2 import service_account\n",
    }
    [finding] = findings(tmp_path / "undeclared", "TF206", files)
    assert "`google-auth`" in finding.message


def test_tf401_a_providers_public_api_endpoint(tmp_path: Path) -> None:
    # danswer's blob connector: Google Cloud Storage's S3-compatible endpoint, the same
    # for every deploy; the bucket and keys come from the connector's configuration.
    module = (
        "import boto3\n\n\n"
        "def gcs_client(key, secret):\n"
        "    return boto3.client('s3', endpoint_url='https://storage.googleapis.com',\n"
        "                        aws_access_key_id=key, aws_secret_access_key=secret)\n"
    )
    assert findings(tmp_path / "provider", "TF401", {"blob.py": module}) == []
    own = module.replace("storage.googleapis.com", "minio.internal:9000")
    [finding] = findings(tmp_path / "own", "TF401", {"blob.py": own})
    assert "minio.internal" in finding.message


def test_tf202_the_notebook_editor_left_open_in_a_course_environment(tmp_path: Path) -> None:
    # rasbt/machine-learning-book's `environment.yml`: every package the code imports
    # pinned, `jupyterlab>=3.4.4` (the editor) open.
    environment = (
        "name: pyml-book\nchannels:\n  - conda-forge\ndependencies:\n"
        "  - python=3.9\n  - numpy=1.21.2\n  - scikit-learn=1.0\n  - jupyterlab>=3.4.4\n"
    )
    files = {"environment.yml": environment, "ch01/check.py": "import numpy\nimport sklearn\n"}
    assert findings(tmp_path / "editor", "TF202", files) == []
    files["environment.yml"] = environment.replace("numpy=1.21.2", "numpy>=1.21")
    [finding] = findings(tmp_path / "open", "TF202", files)
    assert "numpy" in finding.message


def test_tf902_a_print_of_the_loss_the_caller_asked_for(tmp_path: Path) -> None:
    # coqui-ai/TTS's bark tokenizer: `if log_loss: print(...)` inside its training loop.
    module = (
        "def train(model, data, log_loss=False):\n"
        "    for batch in data:\n"
        "        loss = model.step(batch)\n"
        "        if log_loss:\n"
        "            print(f'loss: {loss}')\n"
    )
    files = {**_PACKAGE, "lib/tokenizer.py": module}
    assert findings(tmp_path / "asked", "TF902", files) == []
    files["lib/tokenizer.py"] = module.replace("        if log_loss:\n    ", "")
    [finding] = findings(tmp_path / "always", "TF902", files)
    assert finding.path == "lib/tokenizer.py"
    # torchensemble: `log_interval` only spaces the progress prints out (TRUE there).
    files["lib/tokenizer.py"] = module.replace("log_loss=False", "log_interval=100").replace(
        "if log_loss:", "if batch % log_interval == 0:"
    )
    [finding] = findings(tmp_path / "interval", "TF902", files)
    assert finding.path == "lib/tokenizer.py"


# ----------------------------------------------------------------- held-out set II


def test_tf401_a_checkpoint_bucket_in_a_configuration_module(tmp_path: Path) -> None:
    # google-research/big_vision: `config.model_init = "gs://big_vision/..."` in its
    # `configs/` (12 FALSE): a run's checkpoint path, in the run's configuration.
    config = (
        "import ml_collections\n\n\n"
        "def get_config():\n"
        "    config = ml_collections.ConfigDict()\n"
        "    config.model_init = 'gs://big_vision/uvim/depth_stageI_params.npz'\n"
        "    return config\n"
    )
    files = {
        "big_vision/configs/proj/uvim/train_depth.py": config,
        "Dockerfile": "FROM python:3.11-slim\nCOPY . /app\nCMD python -m big_vision.train\n",
    }
    assert findings(tmp_path / "config", "TF401", files) == []
    # The same path opened by the trainer's code is hard-coded there.
    trainer = (
        "import boto3\nimport pandas as pd\n\n\n"
        "def load_labels():\n"
        "    return pd.read_parquet('gs://big_vision/uvim/depth_labels.parquet')\n"
    )
    files["big_vision/pipeline.py"] = trainer
    [finding] = findings(tmp_path / "code", "TF401", files)
    assert finding.path == "big_vision/pipeline.py"
    # A database host in a configuration module is still a deploy's address.
    database = "import sqlalchemy\n\nengine = sqlalchemy.create_engine('postgresql://app@db.prod.internal/app')\n"
    [finding] = findings(tmp_path / "database", "TF401", {"configs/settings.py": database})
    assert "db.prod.internal" in finding.message


def test_tf206_jax_comes_with_flax_and_optax(tmp_path: Path) -> None:
    # big_vision declares flax, optax, distrax and clu, not jax (its TPU script installs
    # `jax[tpu]`): each of them requires jax.
    module = "import jax\nimport numpy\n"
    for declared in ("flax==0.8.5", "optax==0.2.3", "distrax==0.1.5", "clu==0.0.12"):
        files = {"requirements.txt": f"numpy==1.26.4\n{declared}\n", "train.py": module}
        assert findings(tmp_path / declared, "TF206", files) == [], declared
    files["requirements.txt"] = "numpy==1.26.4\n"
    [finding] = findings(tmp_path / "undeclared", "TF206", files)
    assert "`jax`" in finding.message


def test_tf1002_a_test_module_a_hatch_script_runs(tmp_path: Path) -> None:
    # Kaggle/kaggle-api: `tests/unit_tests.py` ends with `unittest.main()` and the hatch
    # scripts run `cd tests; python unit_tests.py --failfast`; pytest runs the rest.
    module = (
        "import unittest\n\n\n"
        "class TestKaggleApi(unittest.TestCase):\n"
        "    def test_competitions_list(self):\n"
        "        assert [] == []\n\n\n"
        'if __name__ == "__main__":\n    unittest.main()\n'
    )
    pyproject = (
        '[project]\nname = "kaggle"\nversion = "1.7"\n\n'
        '[tool.hatch.envs.test]\ndependencies = ["pytest"]\n\n'
        "[tool.hatch.envs.test.scripts]\n"
        'local = "cd tests; python unit_tests.py --failfast"\n'
        'integration = "pytest integration_tests"\n'
    )
    files = {"pyproject.toml": pyproject, "tests/unit_tests.py": module}
    assert findings(tmp_path / "script", "TF1002", files) == []
    files["pyproject.toml"] = pyproject.replace("python unit_tests.py", "python smoke.py")
    [finding] = findings(tmp_path / "unrun", "TF1002", files)
    assert finding.path == "tests/unit_tests.py"


def test_tf902_a_function_whose_doctest_shows_what_it_prints(tmp_path: Path) -> None:
    # Lightning-AI/torchmetrics' `check_forward_full_state_property`: its recommendation
    # is printed, and its doctest expects the printed lines.
    module = (
        "def check_forward_full_state_property(metric_class):\n"
        '    """Check whether `full_state_update` can be False.\n\n'
        "    Example:\n"
        "        >>> check_forward_full_state_property(MyMetric)\n"
        "        Recommended setting `full_state_update=False`\n"
        '    """\n'
        "    print('Full state for 10 steps took: 0.1')\n"
        "    print('Recommended setting `full_state_update=False`')\n"
    )
    files = {**_PACKAGE, "lib/checks.py": module}
    assert findings(tmp_path / "doctest", "TF902", files) == []
    # A doctest that calls it and shows no output (presidio's `add_recognizers_from_yaml`,
    # TRUE there) says nothing of its prints.
    files["lib/checks.py"] = module.replace(
        "        Recommended setting `full_state_update=False`\n", ""
    )
    [finding] = findings(tmp_path / "silent", "TF902", files)
    assert finding.path == "lib/checks.py"
    # Nor does a doctest of another function.
    files["lib/checks.py"] = module.replace(
        ">>> check_forward_full_state_property(", ">>> other_check("
    )
    [finding] = findings(tmp_path / "other", "TF902", files)
    assert finding.path == "lib/checks.py"


def test_tf902_a_package_that_tees_its_stdout_into_log_files(tmp_path: Path) -> None:
    # gpt-neox's `megatron/logging.py`: `Tee` replaces `sys.stdout`, so whatever the
    # package prints also lands in the run's log files (its dataset prints were NOISE).
    tee = (
        "import sys\n\n\n"
        "class Tee:\n"
        "    def __init__(self, path):\n"
        "        self.file = open(path, 'a')\n"
        "        self.std = sys.stdout\n"
        "        sys.stdout = self\n\n"
        "    def write(self, data):\n"
        "        self.file.write(data)\n"
        "        self.std.write(data)\n"
    )
    dataset = (
        "def build(n):\n    print(f'> building dataset of {n} samples')\n    print('> done')\n"
    )
    files = {**_PACKAGE, "lib/tee.py": tee, "lib/dataset.py": dataset}
    assert findings(tmp_path / "teed", "TF902", files) == []
    files["lib/tee.py"] = tee.replace("sys.stdout = self", "self.replaced = False")
    [finding] = findings(tmp_path / "plain", "TF902", files)
    assert finding.path == "lib/dataset.py"
