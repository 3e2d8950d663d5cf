"""Paths into one person's folder on one machine (`/home/alice/`, `/Users/bob/`,
`/admin/home/victor/` on a cluster's mount,
`C:\\Users\\carol`): shared by the rules about machine-specific paths (TF303) and data
paths (TF402), which must agree on what such a path is. Colab's Drive mount
(`/content/drive/MyDrive/...`) is the same path for every user, like `/home/user/`: on
the real repositories judged it was never one person's machine.
"""

from __future__ import annotations

import re

from twelvefold.lazy_regex import lazy_compile

MACHINE_PATH = lazy_compile(
    # a home folder may sit under a cluster's mount: `/admin/home/victor/`, `/mnt/home/al/`
    r"(?:^|[\s=:'\"(,;]|file://)(?P<path>(?:/[A-Za-z0-9_.-]+)?/home/(?P<home>[^/\s'\"]+)/"
    r"|/Users/(?P<mac>[^/\s'\"]+)/"
    r"|[A-Za-z]:(?:\\\\|\\|/)Users(?:\\\\|\\|/)(?P<win>[^\\/\s'\"]+))"
)
PLACEHOLDER_USERS = frozenset(
    {
        "user",
        "username",
        "you",
        "yourname",
        "your_name",
        "your-name",
        "me",
        "foo",
        "example",
        "name",
        "runner",
        "jovyan",
        "shared",
        "public",
        "default",
        "$user",
        "<user>",
        "{user}",
        "<username>",
        "{username}",
        "*",
        "...",
        "someone",
        "myuser",
        "your_user",
        "your-user",
        "<you>",
        # service accounts of containers, sandboxes and CI images, not a person
        "agent",
        "app",
        "appuser",
        "nonroot",
        "worker",
        "vscode",
        "coder",
        # the users of Ray's images (`/home/ray/`) and NVIDIA NIM's (`/home/nvs/loras`)
        "ray",
        "nvs",
        # BentoML's images: `BENTO_PATH=/home/bentoml/bento` in every Dockerfile it writes
        "bentoml",
        # the notebook user of Vertex AI Workbench (`/home/jupyter`): the same path on
        # every instance
        "jupyter",
        # the user of the official Airflow image (`/home/airflow/.local/bin` on its PATH)
        "airflow",
    }
)


#: A "user" holding a regex or glob operator: the text is a pattern over paths
#: (`r"(?:/home/|/mnt/|/tmp/)"` of a validator looking for absolute paths), not a path.
_PATTERN_OPERATOR = lazy_compile(r"[|()\[\]*?+^]")


def machine_path(value: str) -> re.Match[str] | None:
    """The first path into a real person's folder in `value` (placeholders and patterns
    over paths skipped)."""
    for match in MACHINE_PATH.finditer(value):
        user = match.group("home") or match.group("mac") or match.group("win")
        if user is None or not (
            user.lower() in PLACEHOLDER_USERS
            or user.startswith(("$", "{", "<", "%"))
            or _PATTERN_OPERATOR.search(user)
        ):
            return match
    return None
