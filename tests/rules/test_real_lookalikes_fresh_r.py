"""Look-alikes from held-out set R (fresh-2026-12-05-r), judged before any change: the
pseudocode of a standard in a RAG evaluation corpus (TF301), a compose env file the
`.gitignore` re-includes by name (TF302)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings

#: RFC 9001 as a RAG application's evaluation corpus keeps it (localGPT): key derivation
#: written as pseudocode, each call broken over two lines.
RFC_PSEUDOCODE = (
    "   This process in pseudocode is:\n\n"
    "   initial_salt = 0x38762cf7f55934b34d179ae6a4c80cadccbb7f0a\n"
    "   initial_secret = HKDF-Extract(initial_salt,\n"
    "                                 client_dst_connection_id)\n\n"
    "   client_initial_secret = HKDF-Expand-Label(initial_secret,\n"
    '                                             "client in", "",\n'
    "                                             Hash.length)\n"
)


def test_tf301_pseudocode_calls_in_a_text_corpus_are_not_secrets(tmp_path: Path) -> None:
    files = {"eval/corpora/rfc/RFC 9001.txt": RFC_PSEUDOCODE}
    assert findings(tmp_path / "rfc", "TF301", files) == []
    # a value that is a credential, in the same place, still is one: a warning in a
    # plain text note (an archived study's sample settings look the same), an error
    # when its format is a provider's
    leaked = {"eval/corpora/notes.txt": "client_secret = Xk8pq2Lm9zQ4vT7wR1yB\n"}
    [finding] = findings(tmp_path / "leak", "TF301", leaked)
    assert finding.severity.value == "warning"
    token = "ghp_" + "Xk8pq2Lm9zQ4vT7wR1yBXk8pq2Lm9zQ4vT7w"
    [finding] = findings(tmp_path / "token", "TF301", {"eval/notes.txt": f"token {token}\n"})
    assert finding.severity.value == "error"


#: localGPT's `docker.env`: the `--env-file` of its compose commands, service wiring and
#: model tags only.
DOCKER_ENV = (
    "# passed via: docker compose --env-file docker.env up\n"
    "OLLAMA_HOST=http://host.docker.internal:11434\n"
    "NODE_ENV=production\n"
    "RAG_API_URL=http://rag-api:8001\n"
    "DB_PATH=/app/backend/chat_data.db\n"
    "GENERATION_MODEL=qwen3.5:9b\n"
    "RERANKER_MODEL=Qwen/Qwen3-Reranker-4B\n"
)
GITIGNORE = "# env files\n.env*\n*.env\n\n# keep the compose settings tracked\n!docker.env\n"


def test_tf302_an_env_file_the_gitignore_keeps_on_purpose(tmp_path: Path) -> None:
    files = {".gitignore": GITIGNORE, "docker.env": DOCKER_ENV}
    assert findings(tmp_path / "kept", "TF302", files) == []
    # without the negation it is an env file like any other
    plain = {".gitignore": ".venv/\n", "docker.env": DOCKER_ENV}
    assert len(findings(tmp_path / "plain", "TF302", plain)) == 1
    # kept on purpose, but holding a token: reported
    keyed = {
        ".gitignore": GITIGNORE,
        "docker.env": DOCKER_ENV + "HF=hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567\n",
    }
    assert len(findings(tmp_path / "keyed", "TF302", keyed)) == 1
    # `.env` itself is never excused by a negation
    dotenv = {".gitignore": ".env*\n!.env\n", ".env": DOCKER_ENV}
    assert len(findings(tmp_path / "dotenv", "TF302", dotenv)) == 1


def _workflow(step: str) -> str:
    return (
        "name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: pip install requests python-dotenv\n"
        f"      - run: {step}\n"
    )


def test_tf802_ci_running_a_plain_script_test_module_runs_the_tests(tmp_path: Path) -> None:
    # localGPT's only test is a script that exits non-zero when a route is wrong.
    test = "import sys\n\n\ndef main():\n    ok = True\n    sys.exit(0 if ok else 1)\n\n\nmain()\n"
    files = {"backend/test_gateway_routing.py": test, "backend/server.py": "import json\n"}
    ci = {".github/workflows/ci.yml": _workflow("python backend/test_gateway_routing.py")}
    assert findings(tmp_path / "runs", "TF802", {**files, **ci}) == []
    # linting the test module, or running another script, does not run the tests
    for name, step in (
        ("lint", "ruff check backend/test_gateway_routing.py"),
        ("other", "python backend/server.py"),
    ):
        ci = {".github/workflows/ci.yml": _workflow(step)}
        assert len(findings(tmp_path / name, "TF802", {**files, **ci})) == 1


#: piper's training package: `setup.py` reads `requirements.txt` into install_requires.
PIPER_SETUP = (
    "from pathlib import Path\nfrom setuptools import setup, find_packages\n\n"
    "requirements = (Path(__file__).parent / 'requirements.txt').read_text().splitlines()\n"
    "setup(name='piper_train', version='1.0.0', packages=find_packages(),\n"
    "      install_requires=requirements)\n"
)
CYTHON_HELPER = (
    "from distutils.core import setup\nfrom pathlib import Path\n\nimport numpy\n"
    "from Cython.Build import cythonize\n\n_DIR = Path(__file__).parent\n\n"
    "setup(name='monotonic_align', ext_modules=cythonize(str(_DIR / 'core.pyx')),\n"
    "      include_dirs=[numpy.get_include()])\n"
)


def test_tf206_lint_settings_and_an_extension_helper_are_not_projects(tmp_path: Path) -> None:
    """A `setup.cfg` of flake8/isort settings and a `setup.py` compiling a Cython helper
    in place live inside the package: its imports are declared by the package's
    requirements, not by those files."""
    files = {
        "src/python/setup.py": PIPER_SETUP,
        "src/python/requirements.txt": "numpy>=1.19.0\nlibrosa>=0.9.2,<1\ncython>=0.29.0,<1\n",
        "src/python/piper_train/__init__.py": "",
        "src/python/piper_train/setup.cfg": "[flake8]\nmax-line-length = 88\n\n[isort]\nprofile = black\n",
        "src/python/piper_train/norm_audio/__init__.py": "import librosa\nimport numpy as np\n",
        "src/python/piper_train/vits/monotonic_align/__init__.py": "import numpy as np\n",
        "src/python/piper_train/vits/monotonic_align/setup.py": CYTHON_HELPER,
    }
    assert findings(tmp_path / "piper", "TF206", files) == []
    # a setup.cfg with metadata is a project of its own: what it does not declare is missing
    project = "[metadata]\nname = norm_audio\n\n[options]\ninstall_requires =\n    scipy\n"
    files["src/python/piper_train/norm_audio/setup.cfg"] = project
    [finding] = findings(tmp_path / "own", "TF206", files)
    assert finding.path == "src/python/piper_train/norm_audio/__init__.py"


def test_tf505_a_compatible_release_held_to_one_patch_series_is_pinned(tmp_path: Path) -> None:
    # piper's training image: `~=1.7.0` takes 1.7.x patches only, which TF202 calls pinned.
    image = "FROM nvcr.io/nvidia/pytorch:22.03-py3\n\nRUN pip3 install \\\n    'pytorch-lightning~={}'\n"
    files = {"train.py": "import json\n", "Dockerfile": image.format("1.7.0")}
    assert findings(tmp_path / "patch", "TF505", files) == []
    files["Dockerfile"] = image.format("1.7")  # any 1.x from 1.7: a range
    assert len(findings(tmp_path / "minor", "TF505", files)) == 1


LIGHTNING_MODULE = (
    "import pytorch_lightning as pl\nimport torch\n\n\n"
    "class VitsModel(pl.LightningModule):\n"
    "    def __init__(self, lr: float = 2e-4):\n"
    "        super().__init__()\n"
    "{record}"
    "        self.net = torch.nn.Linear(4, 4)\n\n"
    "    def training_step(self, batch, batch_idx):\n"
    "        loss = self.net(batch).mean()\n"
    "        self.log('loss', loss)\n"
    "        return loss\n"
)
LIGHTNING_MAIN = (
    "import argparse\n\nimport pytorch_lightning as pl\n\nfrom .model import VitsModel\n\n\n"
    "def main():\n    parser = argparse.ArgumentParser()\n    args = parser.parse_args()\n"
    "    trainer = pl.Trainer.from_argparse_args(args)\n"
    "    trainer.fit(VitsModel())\n"
)


def test_tf1102_a_lightning_module_saving_its_hyperparameters_is_tracked(
    tmp_path: Path,
) -> None:
    # piper: Lightning's default logger records `save_hyperparameters()` and `self.log`
    # of every run under lightning_logs/, which its training docs open in TensorBoard.
    tracked = LIGHTNING_MODULE.format(record="        self.save_hyperparameters()\n")
    files = {"piper_train/__init__.py": "", "piper_train/__main__.py": LIGHTNING_MAIN}
    assert findings(tmp_path / "hp", "TF1102", {**files, "piper_train/model.py": tracked}) == []
    untracked = LIGHTNING_MODULE.format(record="")
    model = {"piper_train/model.py": untracked}
    assert len(findings(tmp_path / "none", "TF1102", {**files, **model})) == 1


def test_tf201_an_extension_helper_is_not_the_dependency_manifest(tmp_path: Path) -> None:
    # Swin-Transformer: the only setup.py builds a CUDA kernel in place; the training code
    # declares its dependencies nowhere.
    kernel = (
        "from setuptools import setup\nfrom torch.utils.cpp_extension import BuildExtension, CUDAExtension\n\n"
        "setup(name='swin_window_process', ext_modules=[CUDAExtension('swin_window_process', "
        "['swin_window_process.cpp'])], cmdclass={'build_ext': BuildExtension})\n"
    )
    files = {"main.py": "import torch\n", "kernels/window_process/setup.py": kernel}
    [finding] = findings(tmp_path / "swin", "TF201", files)
    assert finding.path is None
    files["requirements.txt"] = "torch==2.3.1\n"
    assert findings(tmp_path / "declared", "TF201", files) == []


SAMPLER = (
    "import torch\n\n\nclass PLMSSampler:\n"
    "    def sample(self, steps):\n"
    "        print(f'Data shape for PLMS sampling is {steps}')\n"
    "        print(f'Running PLMS Sampling with {steps} timesteps')\n"
    "        return torch.zeros(steps)\n"
)


def test_tf902_a_module_its_header_says_is_copied_from_upstream(tmp_path: Path) -> None:
    # IOPaint keeps latent-diffusion's sampler as CompVis wrote it, prints and all.
    header = "# From: https://github.com/CompVis/latent-diffusion/blob/main/ldm/models/diffusion/plms.py\n"
    borrowed = (
        '"""\nPart of the implementation is borrowed and modified from ControlNet, publicly '
        'available at https://github.com/lllyasviel/ControlNet/blob/main/ldm/models/diffusion/ddpm.py\n"""\n'
    )
    files = {
        "iopaint/__init__.py": "",
        "iopaint/server.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
        "iopaint/model/__init__.py": "",
        "iopaint/model/plms_sampler.py": header + SAMPLER,
        "iopaint/model/ddpm.py": borrowed + SAMPLER,
    }
    assert findings(tmp_path / "vendored", "TF902", files) == []
    # the project's own module, or one merely citing a URL, is reported
    files["iopaint/model/plms_sampler.py"] = (
        "# Sampler for https://arxiv.org/abs/2202.09778\n" + SAMPLER
    )
    # pyod: the paper an estimator implements is its source, not code it copies
    paper = '"""Using AE-1SVM with Outlier Detection\n   Source: https://arxiv.org/pdf/1804.04888\n"""\n'
    files["iopaint/model/ddpm.py"] = paper + SAMPLER
    assert len(findings(tmp_path / "own", "TF902", files)) == 2


def test_tf206_an_import_whose_comment_says_to_install_it(tmp_path: Path) -> None:
    # NVlabs' dataset_tool.py: LSUN sources only, each import saying what to install.
    tool = (
        "import numpy as np\n\n\ndef open_lmdb(lmdb_dir):\n"
        "    import cv2  # pyright: ignore [reportMissingImports] # pip install opencv-python\n"
        "    import h5py  # pip install h5py\n"
        "    return cv2, h5py, np\n"
    )
    files = {"requirements.txt": "numpy==1.26.4\n", "dataset_tool.py": tool}
    assert findings(tmp_path / "noted", "TF206", files) == []
    files["dataset_tool.py"] = tool.replace("# pip install h5py", "# the HDF5 reader")
    [finding] = findings(tmp_path / "plain", "TF206", files)
    assert "`h5py`" in finding.message


GAN_TRAINING = (
    "import pickle\n\nimport torch\n\n\n"
    "def train(G, epochs):\n"
    "    samples = []\n"
    "    for epoch in range(epochs):\n"
    "        samples.append(G(torch.randn(16, 100)))\n"
    "    with open('train_samples.pkl', 'wb') as f:\n"
    "        pickle.dump(samples, f)\n"
)
CHECKPOINT = (
    "import torch\n\n\n"
    "def save(model):\n"
    "    checkpoint = {'input_size': 784, 'output_size': 10,\n"
    "                  'hidden_layers': [each.out_features for each in model.hidden_layers],\n"
    "                  'state_dict': model.state_dict()}\n"
    "    torch.save(checkpoint, 'checkpoint.pth')\n"
)


def test_tf1204_a_dump_of_samples_and_a_checkpoint_with_its_metadata(tmp_path: Path) -> None:
    # udacity's deep-learning course: GAN samples pickled for a later plot, and the
    # lesson's checkpoint dict carrying the network's shape next to its weights.
    files = {"gan/train.py": GAN_TRAINING, "intro/checkpoint.py": CHECKPOINT}
    assert findings(tmp_path / "course", "TF1204", files) == []
    # the generator itself pickled, or the weights alone saved, are models with nothing
    files["gan/train.py"] = GAN_TRAINING.replace(
        "pickle.dump(samples, f)", "pickle.dump(G, f)"
    ).replace("train_samples.pkl", "gan_model.pkl")
    files["intro/checkpoint.py"] = CHECKPOINT.replace(
        "torch.save(checkpoint,", "torch.save(model.state_dict(),"
    )
    found = findings(tmp_path / "models", "TF1204", files)
    assert sorted(f.path for f in found) == ["gan/train.py", "intro/checkpoint.py"]


def test_tf1003_tsne_drawing_embeddings_is_not_a_result(tmp_path: Path) -> None:
    # udacity's word2vec lesson: a 2-D picture of the learned embeddings.
    plot = (
        "import matplotlib.pyplot as plt\nfrom sklearn.manifold import TSNE\n\n\n"
        "def show(embeddings):\n"
        "    points = TSNE().fit_transform(embeddings[:600])\n"
        "    plt.scatter(points[:, 0], points[:, 1])\n"
    )
    assert findings(tmp_path / "tsne", "TF1003", {"word2vec/plot.py": plot}) == []
    clusters = plot.replace("TSNE()", "KMeans(n_clusters=8)").replace(
        "from sklearn.manifold import TSNE", "from sklearn.cluster import KMeans"
    )
    assert len(findings(tmp_path / "kmeans", "TF1003", {"word2vec/plot.py": clusters})) == 1
