"""Code copied from another project, as its own header says.

A module that opens with `# Adapted from https://github.com/CompVis/latent-diffusion/...`
or with a docstring "Modified from https://github.com/wzhouxiff/RestoreFormer" is vendored: its
maintainers keep it as upstream wrote it, so that later fixes can be merged in. Rules
about style (print as logging) leave such a module alone; rules about what the code needs
to run (an undeclared import) do not, since vendored code runs like any other.
"""

from __future__ import annotations

import re
from collections.abc import Container

from twelvefold.lazy_regex import lazy_compile

#: Only the top of the file: the header, before the code.
HEADER_CHARS = 1500

#: Where code is kept: a paper's URL (`Source: https://arxiv.org/...`) cites an idea, a
#: code host's says where the module was copied from.
_CODE_URL = (
    r"https?://(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|huggingface\.co"
    r"|raw\.githubusercontent\.com|gist\.github\.com)/[^\s\"'<>()]+"
)
#: "copied / borrowed / adapted / modified / ported / taken / forked / derived ... from
#: <name>... <code URL>", or a bare "From: <code URL>" / "Source: <code URL>" line. The
#: name of the upstream project may come between "from" and the URL ("modified from
#: ControlNet, publicly available at https://github.com/..."). After "copied from" the
#: URL may start the next line ("This code is copied from NVIDIA apex:\n    https://...");
#: "adapted from" with the URL below is pyod's own estimator citing where a part came from.
_COPIED_FROM = lazy_compile(
    r"(?im)\b(?:cop(?:ied|y)|borrowed|adapted|modified|ported|taken|forked|derived)"
    rf"(?:\s+and\s+\w+)?\s+from\b[^\n]{{0,80}}?{_CODE_URL}"
    rf"|\bcopied\s+from\b[^\n]{{0,80}}\n[ \t#*]{{0,40}}{_CODE_URL}"
    rf"|^[#\s\"']*(?:from|source|origin(?:al)?)\s*:\s*{_CODE_URL}"
)


def copied_from(text: str) -> str | None:
    """The upstream URL a module's header says it was copied from, or None."""
    match = _COPIED_FROM.search(text[:HEADER_CHARS])
    if match is None:
        return None
    found = match.group(0)
    return found[found.index("http") :]


#: A README that opens by crediting the code's upstream repository: "### Credit" then
#: `https://github.com/282857341/nnFormer` (nnFormer's code copied into a study).
_CREDIT_HEADING = lazy_compile(
    r"\A\s*(?:#+[ \t]*)?(?:credits?|original(?:[ \t]+(?:code|repository|implementation))?"
    rf"|upstream)[ \t]*:?[ \t]*\n?\s*{_CODE_URL}",
    re.IGNORECASE,
)


def credits_upstream(readme: str) -> bool:
    """Whether a folder's README opens by crediting another repository as the code's
    source ("### Credit" and its URL, "Adapted from https://github.com/...")."""
    return bool(_CREDIT_HEADING.search(readme[:400]) or copied_from(readme[:400]))


#: File names of a license.
LICENSE_NAMES = ("LICENSE", "LICENSE.txt", "LICENSE.md", "LICENSE.rst", "COPYING")


def separately_licensed(path: str, present: Container[str]) -> bool:
    """Whether a folder above `path` (not the repository's root) carries a license of its
    own: a component taken from another project with its license (`SentEval/`,
    `basicsr/`), whose code its maintainers keep as upstream wrote it. `present`: the
    repository's file paths."""
    folders = path.split("/")[:-1]
    for depth in range(1, len(folders) + 1):
        folder = "/".join(folders[:depth])
        if any(f"{folder}/{name}" in present for name in LICENSE_NAMES):
            return True
    return False
