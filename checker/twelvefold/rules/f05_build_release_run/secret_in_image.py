"""TF504 secret-in-image: secret or .env file baked into a container image."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from twelvefold import kinds
from twelvefold.detectors import dockerfile
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Finding, Severity, Violation
from twelvefold.project import roles as role
from twelvefold.repo import Repo
from twelvefold.rule import FileRule
from twelvefold.rules.f05_build_release_run._shared import (
    _DOCKERFILE_KINDS,
)
from twelvefold.sources import SourceFile

# Files that hold secrets and must never be copied into an image.
_SECRET_FILE = lazy_compile(
    r"(?:^|/)(?:\.env(?:\.[\w.-]+)?|[\w.-]*\.env|id_rsa|id_ed25519|\.netrc|\.pypirc|\.npmrc|"
    r"credentials|[\w.-]*credentials[\w.-]*\.json|service[-_]account[\w.-]*\.json|[\w.-]*\.pem|[\w.-]*\.p12|[\w.-]*\.key)$"
)


def _is_secret_source(path: str) -> bool:
    path = path.rstrip("/").strip("\"'")
    name = posixpath.basename(path)
    if kinds.is_dotenv_template(name) or name in (".envrc",):
        return False
    if "*" in name and name.startswith(".env"):
        return True  # `.env*` copies the real .env along with the example
    return bool(_SECRET_FILE.search(path))


def _named_env_file(path: str) -> bool:
    """`serge.env`, `app.env`: an env file named for what it configures, which holds the
    settings its scripts `source` as often as secrets (`.env` and `.env.*` are the names
    every tool reads secrets from)."""
    name = posixpath.basename(path.rstrip("/").strip("\"'"))
    return name.endswith(".env") and not name.startswith(".env") and "*" not in name


class SecretInImage(FileRule):
    """## What it does
    Reports secrets baked into a container image by its Dockerfile: `COPY`/`ADD` of a
    `.env` file, SSH or cloud credentials (`id_rsa`, `.netrc`, `credentials.json`,
    `*.pem`, `*.key`), and `ENV`/`ARG` instructions that put a secret-named variable
    into the image (`ENV HF_TOKEN=$HF_TOKEN`, `ARG GITHUB_TOKEN=ghp_...`). A literal
    credential value is reported once, by `hard-coded-secret` (TF301), not again here.
    Templates (`.env.example`) and variables pointing at files (`*_FILE`,
    `/run/secrets/...`) are fine, and so is a committed package-manager config (`.npmrc`,
    `.pypirc`) that holds no credential or reads it from a variable
    (`_authToken=${NPM_TOKEN}`); so are a value or default that says where a secret
    is kept (`${CONSUL_INIT_SECRET:-secret/consul/vault/initialize}`, a Vault path); a
    stand-in named for its variable (`ENV API_INTERNAL_SECRET_KEY=internal_secret_key`,
    not a password) is a warning: replaced at start as often as used. An image of the tests, benchmarks, examples or docs
    (built on a developer's machine, pushed nowhere) is reported as a warning, and so is
    the copy of an env file named for what it configures (`serge.env`: the settings its
    scripts `source` as often as secrets; TF302 reads the file itself).

    A stage no build produces is not read: not the last, with no name for `--target`,
    and named by no `--from=<index>` (the first of two Dockerfiles pasted into one).

    ## Why is this bad?
    Every layer of an image is readable by anyone who can pull it: `docker history` and
    `docker save` show `ENV` values, build args and copied files even if a later layer
    deletes them. The secret then ships to every registry and machine the image goes
    to, and the image only works with one deploy's credentials.

    ## Example
    ```dockerfile
    COPY .env /app/.env
    ARG HF_TOKEN
    ENV HF_TOKEN=${HF_TOKEN}
    ```

    ## Use instead
    ```dockerfile
    RUN --mount=type=secret,id=hf_token HF_TOKEN=$(cat /run/secrets/hf_token) python download.py
    ```
    and pass runtime secrets with `docker run --env-file .env` or the orchestrator's
    secret store. Add `.env` to `.dockerignore`.
    """

    code = "TF504"
    name = "secret-in-image"
    factor = 5
    severity = Severity.ERROR
    summary = "Secret or .env file baked into a container image"
    fix = "Pass secrets at run time (--env-file, orchestrator secrets) or with RUN --mount=type=secret; never COPY/ENV them."
    kinds = _DOCKERFILE_KINDS
    prefilter = (
        b".env",
        b"id_rsa",
        b"id_ed25519",
        b"netrc",
        b"pypirc",
        b"npmrc",
        b"credentials",
        b"service",
        b".pem",
        b".key",
        b".p12",
        b"ENV",
        b"ARG",
        b"env ",
        b"arg ",
    )

    def group(self, findings: list[Finding], repo: Repo) -> list[Finding]:
        """Leave out a copied file the repository commits with nothing in it but comments
        (mlrun's `mlrun.env` template), and a package-manager config (`.npmrc`, `.pypirc`)
        without a credential in it: ragflow's `web/.npmrc` holds `engine-strict=true` and
        a registry mirror, no `_authToken`; a token read from a variable
        (`_authToken=${NPM_TOKEN}`, `_authToken=NPM_AUTH_TOKEN`) is none either."""
        kept = []
        for finding in findings:
            copied = _COPIED.match(finding.message)
            source = copied.group(1).strip("\"'").removeprefix("./") if copied else ""
            folder = posixpath.dirname(finding.path or "")
            texts = [
                text
                for candidate in dict.fromkeys((source, posixpath.join(folder, source)))
                if source and repo.has(candidate) and (text := _text(repo, candidate)) is not None
            ]
            if texts and all(not _SETTING_LINE.search(text) for text in texts):
                continue  # mlrun's `mlrun.env`: comments only, a template users fill in
            if (
                posixpath.basename(source) in _SETTINGS_OR_CREDENTIALS
                and texts
                and not any(_holds_credential(text) for text in texts)
            ):
                continue
            kept.append(finding)
        return kept

    def check(self, file: SourceFile) -> Iterator[Violation]:
        if file.text is None:
            return
        from twelvefold.detectors.secrets import (
            PASSWORD_KEY,
            is_placeholder,
            is_secret_key,
            scan_lines,
        )

        # An image of the tests, benchmarks, examples or docs is built on a developer's
        # machine and pushed nowhere (ragas' `tests/benchmarks/Dockerfile`): a warning.
        severity = Severity.WARNING if file.role in role.NOT_SHIPPED else None
        parsed = dockerfile.parse(file.text)
        unbuilt = dockerfile.unbuilt_stages(parsed)
        dead = {
            instruction.line
            for stage in (parsed.stages if unbuilt else ())
            if stage.index in unbuilt
            for instruction in stage.instructions
        }
        for instruction in parsed.instructions:
            if instruction.line in dead:
                continue  # a stage no build produces (a pasted, unreferenced first copy)
            if instruction.keyword in ("COPY", "ADD"):
                words = list(instruction.exec_form) if instruction.exec_form else instruction.words
                if "--from" in instruction.flags or len(words) < 2:
                    continue  # from another stage or image: not the build context
                for source in words[:-1]:
                    if _is_secret_source(source):
                        named = _named_env_file(source)
                        yield Violation(
                            f"`{instruction.keyword} {source}` copies a secrets file into the image"
                            + (
                                " (a named env file: settings as often as secrets)" if named else ""
                            ),
                            line=instruction.line,
                            severity=Severity.WARNING if named else severity,
                            fix=f"Remove the {instruction.keyword}, add `{source}` to .dockerignore, and pass its values at run time (`docker run --env-file`).",
                        )
            elif instruction.keyword in ("ENV", "ARG"):
                literal_lines = list(range(instruction.line, instruction.end_line + 1))
                reported_by_tf301 = any(
                    True
                    for _ in scan_lines(
                        [file.lines[n - 1] for n in literal_lines if n - 1 < len(file.lines)],
                        file.data,
                        file.lower,
                        code=False,
                    )
                )
                for name, raw_value in _assignments(instruction):
                    if not is_secret_key(name) or raw_value is None:
                        continue
                    value = raw_value.strip("\"'")
                    if not value or value.startswith("/run/secrets"):
                        continue
                    shown = _default(value) if value.startswith("$") else value
                    if shown is not None and _LOCATION.fullmatch(shown):
                        continue  # where a secret is kept (a Vault path), not the secret
                    # A stand-in named for its variable (`internal_secret_key`): replaced
                    # at start as often as used, a warning. A password is what a person
                    # picks, `mlflow-password` included.
                    stand_in = (
                        shown is not None
                        and not PASSWORD_KEY.search(name)
                        and _names_its_key(shown, name)
                    )
                    if value.startswith("$"):
                        if instruction.keyword == "ARG":
                            continue
                        problem = f"`ENV {name}={value}` stores the secret in the image's config, readable with `docker inspect`"
                    elif is_placeholder(value) or reported_by_tf301:
                        continue
                    else:
                        problem = (
                            f"`{instruction.keyword} {name}` bakes a literal secret into the image"
                        )
                    if stand_in:
                        problem += " (a stand-in named for its variable: replaced at start as often as used)"
                    yield Violation(
                        problem,
                        line=instruction.line,
                        severity=Severity.WARNING if stand_in else severity,
                    )


#: A default written into a variable reference: `${VAULT_PASSWORD:-"api-minio"}`.
_REFERENCE_DEFAULT = lazy_compile(r"\$\{\w+:?-(.*)\}")
#: A path of lower-case words (`secret/consul/vault/initialize`, a Vault KV path): where
#: a secret is kept. A key holding `/` mixes cases and digits (`wJalrXUtnFEMI/K7MDENG`).
_LOCATION = lazy_compile(r"[a-z][a-z0-9_.-]*(?:/[a-z][a-z0-9_.-]*)+/?")


def _default(value: str) -> str | None:
    """The default of a `${NAME:-default}` value, unquoted; None without one."""
    match = _REFERENCE_DEFAULT.fullmatch(value)
    return match.group(1).strip("\"'") if match is not None else None


def _names_its_key(value: str, name: str) -> bool:
    """Whether `value` is the variable's own name, or its end (`internal_secret_key` for
    `API_MINIO_INTERNAL_SECRET_KEY`), eight letters or more: a stand-in to be replaced,
    not a secret anyone chose."""
    value = value.lower().replace("-", "_")
    return (
        len(value) >= 8
        and value.strip("_").replace("_", "").isalpha()
        and (name.lower().endswith(value) or name.lower() in value)
    )


#: The source a COPY finding names, and the package-manager configs that hold registry
#: settings as often as credentials.
_COPIED = lazy_compile(r"`(?:COPY|ADD) (\S+)` copies a secrets file")
_SETTINGS_OR_CREDENTIALS = frozenset({".npmrc", ".pypirc", ".yarnrc.yml"})
#: What a credential looks like in them: npm's `_auth`/`_authToken`/`_password`, pypirc's
#: `password =`, yarn's `npmAuthToken`; the value after it.
_CREDENTIAL_ENTRY = lazy_compile(
    r"(?im)(?:_auth\w*|_password|password|authtoken|token)[\"']?[ \t]*[=:][ \t]*(.*)$"
)
#: A value that names where the credential comes from: `${NPM_TOKEN}`, `$NPM_TOKEN`, or
#: the variable's name itself (`_authToken=NPM_AUTH_TOKEN`, replaced before the build).
_REFERENCE = lazy_compile(r"[\"']?(?:\$\{?\w+\}?|[A-Z][A-Z0-9_]*)[\"']?")


def _holds_credential(text: str) -> bool:
    """Whether a package-manager config sets a credential to a value of its own, not a
    reference to a variable (npm reads `${NPM_TOKEN}` from the environment)."""
    from twelvefold.detectors.secrets import is_placeholder

    for match in _CREDENTIAL_ENTRY.finditer(text):
        value = match.group(1).strip()
        if value and not _REFERENCE.fullmatch(value) and not is_placeholder(value.strip("\"'")):
            return True
    return False


#: A line that sets something: not blank, not a comment.
_SETTING_LINE = lazy_compile(r"(?m)^[ \t]*[^#;\s]")


def _text(repo: Repo, path: str) -> str | None:
    source = repo.source(path)
    return source.text if source is not None else None


def _assignments(instruction: dockerfile.Instruction) -> Iterator[tuple[str, str | None]]:
    words = instruction.words
    # Legacy `ENV NAME value with spaces`.
    if instruction.keyword == "ENV" and words and "=" not in words[0]:
        yield words[0], " ".join(words[1:]) or None
        return
    for word in words:
        name, equals, value = word.partition("=")
        yield name, value if equals else None
