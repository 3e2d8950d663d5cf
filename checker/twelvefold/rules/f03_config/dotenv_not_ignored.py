"""TF302 dotenv-not-ignored: .env file committed or not ignored by git."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from fnmatch import fnmatchcase

from twelvefold import kinds
from twelvefold.detectors.compose import compose_services
from twelvefold.detectors.secrets import (
    is_placeholder,
    is_secret_key,
    looks_like_secret_value,
    scan_lines,
)
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule
from twelvefold.sources import SourceFile

#: Compose files (`docker-compose.yml`, `docker-compose.prod.yaml`, `compose.yaml`).
_COMPOSE_PATTERNS = ("docker-compose*.yml", "docker-compose*.yaml", "compose*.yml", "compose*.yaml")


#: Kustomize's file names: its `configMapGenerator` may read an env file.
_KUSTOMIZATIONS = ("kustomization.yaml", "kustomization.yml", "Kustomization")

_DOTENV_LINE = lazy_compile(r"^\s*(?:export\s+)?(?P<key>[A-Za-z_][\w.\-]*)\s*=(?P<value>.*)$")


#: Words of a key that may name a credential even when `is_secret_key` lets them pass.
_SECRET_KEY_WORDS = frozenset(
    {"key", "credential", "credentials", "auth", "dsn", "cert", "pass", "private"}
)


_URL_PASSWORD = lazy_compile(r"://[^/\s:@]+:[^/\s@]+@")


class DotenvCommitted(RepoRule):
    """## What it does
    Reports a `.env` file (also `.env.local`, `.env.production`, `prod.env`...) that git
    tracks, or that is not ignored so the next `git add .` commits it. Templates such as
    `.env.example`, `.env.sample`, `.env.template`, `.env.dist` and `.env.default` are
    fine: they hold placeholders; so are `example.env`, `sample.env`, `template.env` and
    `.env-example` (the word before or after `env`, any separator). So is a named settings file such as `app.env`
    that a compose file shares between its services (`env_file: app.env`), that a
    kustomization turns into a ConfigMap (`configMapGenerator: - envs: [gcp-configs.env]`),
    or that a `.gitignore` re-includes by name (`!docker.env`), or that a script of the
    repository sources (`source serge.env` in `deploy.sh`), or that is a shell file
    of `export NAME=value` lines a README sources (`source demo.env`), or a `.env.*`
    a compose file shares between its services (`env_file: .env.docker`), when none of
    its keys names a secret and no value looks like one (`REDIS_HOST=redis`,
    `IMAGE_WIDTH=224`, `CERT_MANAGER_VERSION=v1.16.1`: a key ending in `_VERSION`,
    `_TAG` or `_IMAGE` is a setting, and so is a switch, `MYSQL_ALLOW_EMPTY_PASSWORD=true`,
    or a key pair's public half, `AWS_ACCESS_KEY_ID=minio_user`): that is configuration
    committed on purpose, kept out of the code. So are a Vite project's mode files (`.env`, `.env.production` beside
    a `vite.config.ts`), a Next.js project's or Create React App's (`react-scripts` in the
    `package.json` beside them: `REACT_APP_API_URL=http://localhost:8000`) that hold
    settings only: the build loads them and its guide commits them (`*.local` is what it
    keeps out). So is a file of make assignments (`TAG ?=
    latest`), which a Makefile includes.
    So is any env file with a template engine's placeholders (`SESSION_SECRET={{
    random_secret }}`), or under a `templates/` folder with no credential in it, which a
    generator renders into the projects it makes.
    So is a named file such as `azure.env` that no compose service reads and whose every
    secret-named variable holds a placeholder (`AZURE_SERVICE_PRINCIPAL_PASSWORD=<..>`). So is a development or test
    environment's file (`.env.development`, `.env.dev`,
    `.env.test`, `.env.ci`, `.env.docker`) whose every secret-named variable holds a
    placeholder (`OPENAI_API_KEY=sk-XXXXXXXX`, `AWS_SECRET=xxx`): a template the README
    says to copy. So is a `.env` whose every variable is one Docker Compose reads for
    itself (`COMPOSE_PROJECT_NAME=app`, `DOCKER_BUILDKIT=1`) or one a compose file beside
    it interpolates (`TAG=` for `image: app:${TAG}`), none naming or holding a secret:
    Compose's project file. So is a `.env.*` (not `.env` itself) whose every variable is a front-end build's
    public one (`VITE_`, `NEXT_PUBLIC_`, `REACT_APP_`...: embedded in the bundle every
    browser downloads, committed by the framework's own instructions) and whose values
    look like no credential. Any other `.env` or `.env.*` is reported whatever it holds:
    those names are the ones every tool reads and every `.gitignore` is expected to
    exclude; a `.env.*` (not `.env.local`) in which no value is a secret
    (`.env.docker` of `postgresql://user:password@db/app`), or a named file such as
    `hbase-local.env` in which no value is a secret, is a warning, not an error, so
    is a named file a compose service reads (`env_file: ./env/postgres.env`) whose
    secret-named keys are empty, placeholders or an image's stock password
    (`POSTGRES_PASSWORD=postgres`: a quick-start stack's settings), and so is any env file
    whose every variable is empty (`API_KEY=`: a list of the
    variables, a template but for its name).

    ## Why is this bad?
    `.env` files exist to keep each deploy's configuration and credentials out of the
    repository. Committed, they leak secrets and pin one machine's settings into every
    checkout.

    ## Example
    A `.env` that git tracks (`git ls-files` lists it):
    ```dotenv
    # .env
    MLFLOW_TRACKING_URI=http://localhost:5000
    DATA_DIR=./data
    ```

    ## Use instead
    ```text
    # .gitignore
    .env
    .env.*
    !.env.example
    ```
    Then `git rm --cached .env`, rotate anything it held, and document the variables in
    `.env.example`.
    """

    code = "TF302"
    depends_on = ("@dotenv", ".gitignore", *_COMPOSE_PATTERNS, *_KUSTOMIZATIONS)
    name = "dotenv-not-ignored"
    factor = 3
    severity = Severity.ERROR
    roles = frozenset(role.ROLES) - {role.TEMPLATE}
    summary = ".env file committed or not ignored by git"
    fix = "Add `.env` to .gitignore, `git rm --cached` it, and keep placeholders in .env.example."

    def check(self, repo: Repo) -> Iterator[Violation]:
        for entry in repo.of_kind(kinds.DOTENV):
            name = posixpath.basename(entry.path)
            stack = False
            source = repo.source(entry.path)
            if (
                kinds.is_dotenv_template(name)
                or kinds.is_test_path(entry.path)
                or kinds.is_test_env_file(entry.path)
            ):
                continue  # placeholders, or a test's throw-away service (unstructured's
                # `es-dest-ingest-test-creds.env`)
            if _make_variables(source):
                continue  # `TAG ?= latest`: make's variables, which a Makefile includes
            if _variables(source) == []:
                # mlrun's `mlrun.env`: every line a comment (`# V3IO_ACCESS_KEY=<key>`),
                # a template of what to uncomment; it sets nothing.
                continue
            if _rendered_template(source) or (
                _TEMPLATES_FOLDER.search(entry.path) and _no_credential(source)
            ):
                # gpt-pilot's project trees (`core/templates/tree/react_express/.env`):
                # `SESSION_SECRET={{ random_secret }}`, `JWT_SECRET=some_super_secret_string`
                continue
            if not name.lower().startswith(".env"):
                shared = repo.derived(_env_files_of_services)
                stack = entry.path in shared and _stock_secrets_only(source)
                if (
                    entry.path in shared
                    or _kept_by_gitignore(repo, entry.path)
                    or _shell_exports(source)
                    or name in repo.derived(_sourced_by_scripts)
                ) and _only_settings(source):
                    # Shared with a service, kept on purpose, or a shell script of
                    # `export NAME=value` lines a README sources (kubeflow's demos).
                    continue
                if entry.path in shared and _every_secret(source, _emulator_dummy, some=True):
                    # Pocket's `.docker/local.env` of `AWS_SECRET_ACCESS_KEY=localstack-ET-key`:
                    # the keys a local emulator accepts whatever they are; nobody fills
                    # a real one in there.
                    continue
                if entry.path not in shared and _placeholders_only(source):
                    # `azure.env` of `AZURE_..._PASSWORD=<..>` that no service reads: a
                    # template in all but name (a compose `env_file:` is filled in place).
                    continue
            elif _compose_settings_only(repo, entry.path):
                continue  # `COMPOSE_PROJECT_NAME=app`, `TAG=`: Docker Compose's own file
            elif (
                name.lower() != ".env"
                and entry.path in repo.derived(_env_files_of_services)
                and _only_settings(source)
            ):
                continue  # `.env.docker` of ports and URLs the compose services share
            elif name.lower() != ".env" and _public_build_variables(source):
                continue  # Vite's `.env.production`: public values baked into the bundle
            elif (
                not name.lower().endswith(".local")
                and _beside_a_front_end_build(repo, entry.path)
                and _only_settings(source)
            ):
                # ragflow's `web/.env` (`PORT=9222`, `VITE_DEFAULT_LANGUAGE_CODE=en`): the
                # mode files Vite loads, committed as its guide says (`*.local` is not).
                continue
            elif name.lower() in _DEVELOPMENT_ENV_FILES and _placeholders_only(source):
                continue  # `.env.development` of `sk-XXXX`: a template in all but name
            elif (
                name.lower() != ".env"
                and _says_copy_me(source)
                and _every_secret(source, _placeholder_or_to_replace)
            ):
                # NeuroScan's `.env.postgres`: "Copiez ce fichier vers .env", then
                # `SECRET_KEY=...-change-in-production`: a template by its own word.
                continue
            if entry.tracked:
                message = f"`{entry.path}` is committed to git"
            elif repo.is_git:
                message = f"`{entry.path}` is not ignored by git: the next `git add .` commits it"
            else:
                message = f"`{entry.path}` is not listed in .gitignore"
            if repo.model.kind == project_kind.COURSE and (stack or _holds_no_secret(source)):
                # A lesson's env file (the compose lesson's `envs_dir/service_2.env` of
                # hostnames and the images' demo passwords): the material being taught.
                continue
            if stack:
                # R2R's `docker/env/postgres.env` of the quick-start stack: empty keys and
                # the images' stock passwords, filled in by whoever deploys. The name is
                # wrong (a filled-in copy would be committed), nothing leaks yet.
                yield Violation(
                    f"{message} (it holds no secret today: empty keys and the stock "
                    "passwords of the services' images)",
                    path=entry.path,
                    severity=Severity.WARNING,
                )
                continue
            if _every_value_empty(source):
                # LLaMA-Factory's `.env.local` "just for reference": the variables it
                # reads, each left empty. Nothing leaks until someone fills in the copy
                # git tracks, which the name invites.
                yield Violation(
                    f"{message} (every value is empty: name it `.env.example` so a "
                    "filled-in copy is never committed)",
                    path=entry.path,
                    severity=Severity.WARNING,
                )
                continue
            if (
                not name.lower().startswith(".env")
                or (name.lower().startswith(".env.") and name.lower() != ".env.local")
            ) and _holds_no_secret(source):
                # `.env.docker` of `user:password@db`, `hbase-local.env` of a service's
                # settings: the name is wrong, nothing leaks yet, and a named settings
                # file is often committed on purpose (a gate must not fail on it).
                yield Violation(
                    f"{message} (it holds no secret today)",
                    path=entry.path,
                    severity=Severity.WARNING,
                )
                continue
            yield Violation(message, path=entry.path)


def _kept_by_gitignore(repo: Repo, path: str) -> bool:
    """Whether a `.gitignore` of the file's folder or above re-includes it by name or by
    a glob (`!docker.env` under `.env*`, `!.devcontainer/*`): committed on purpose, the
    maintainers' decision."""
    folder = posixpath.dirname(path)
    while True:
        ignore = posixpath.join(folder, ".gitignore") if folder else ".gitignore"
        source = repo.source(ignore) if ignore in repo.by_path else None
        if source is not None and source.text:
            relative = path[len(folder) + 1 :] if folder else path
            for line in source.lines:
                pattern = line.strip()
                if not pattern.startswith("!"):
                    continue
                pattern = pattern[1:].lstrip("/")
                # `!docker.env`, `!/config/app.env`, or a glob (`!.devcontainer/*`: LLaVA
                # keeps its dev container's env file)
                if fnmatchcase(relative, pattern) or (
                    "/" not in pattern and fnmatchcase(posixpath.basename(path), pattern)
                ):
                    return True
        if not folder:
            return False
        folder = posixpath.dirname(folder)


#: A shell script reading a file of settings: `source serge.env`, `. ./app.env`.
_SOURCES = lazy_compile(
    r"(?:^|[;&|]|\bthen|\bdo)[ \t]*(?:source|\.)[ \t]+[\"']?(?:[\w./${}-]*/)?([\w.-]+\.env)\b",
    re.M,
)


def _sourced_by_scripts(repo: Repo) -> frozenset[str]:
    """The base names of the env files the repository's shell scripts `source`
    (serge's `deploy.sh`: `source serge.env`): settings the scripts read on purpose."""
    found: set[str] = set()
    for entry in repo.of_kind(kinds.SHELL):
        source = repo.source(entry.path)
        if source is not None and source.text is not None and ".env" in source.text:
            found.update(_SOURCES.findall(source.text))
    return frozenset(found)


def _env_files_of_services(repo: Repo) -> set[str]:
    """Repository paths of the files compose files name as `env_file:` of a service, and
    of those a kustomization's `configMapGenerator` reads (`envs: [gcp-configs.env]`: a
    ConfigMap's settings, by design not a secret's)."""
    named: set[str] = set()
    for entry in repo.named(*_KUSTOMIZATIONS):
        source = repo.source(entry.path)
        document = source.yaml if source is not None else None
        generators = document.get("configMapGenerator") if isinstance(document, dict) else None
        folder = posixpath.dirname(entry.path)
        for generator in generators if isinstance(generators, list) else []:
            if not isinstance(generator, dict):
                continue
            listed = generator.get("envs") or []
            single = generator.get("env")
            for item in [*(listed if isinstance(listed, list) else []), single]:
                if isinstance(item, str) and item.strip():
                    named.add(posixpath.normpath(posixpath.join(folder, item.strip())))
    for compose, service in compose_services(repo):
        folder = posixpath.dirname(compose)
        value = service.get("env_file")
        for item in value if isinstance(value, list) else [value]:
            path = item.get("path") if isinstance(item, dict) else item
            if isinstance(path, str) and path.strip():
                named.add(posixpath.normpath(posixpath.join(folder, path.strip())))
    return named


#: Variables a front-end build embeds in the code it ships to every browser (Vite,
#: Next.js, Create React App, Nuxt, SvelteKit/Astro): public by design.
_PUBLIC_PREFIXES = (
    "VITE_",
    "NEXT_PUBLIC_",
    "REACT_APP_",
    "NUXT_PUBLIC_",
    "PUBLIC_",
    "EXPO_PUBLIC_",
)


def _compose_settings_only(repo: Repo, path: str) -> bool:
    """Whether every variable of the dotenv file at `path` is one Docker Compose reads
    for itself (`COMPOSE_PROJECT_NAME`, `COMPOSE_PROFILES`, `DOCKER_BUILDKIT`) or one a
    compose file beside it interpolates (`image: ${REGISTRY_NAME}app:${TAG}`), directly
    or through another of its variables, and none names or holds a secret: Compose reads
    them from the `.env` of the project folder, which is committed for that purpose."""
    source = repo.source(path)
    variables = _variables(source)
    if not variables or not _only_settings(source):
        return False
    keys = {key for key, _, _ in variables if not key.startswith(("COMPOSE_", "DOCKER_"))}
    if not keys:
        return True
    folder = posixpath.dirname(path)
    interpolated: set[str] = set()
    for entry in repo.files:
        if posixpath.dirname(entry.path) != folder or not kinds.is_compose_file(entry.path):
            continue
        compose = repo.source(entry.path)
        if compose is not None and compose.text is not None:
            interpolated |= set(_INTERPOLATION.findall(compose.text))
    if not interpolated:
        return False
    # A variable the file's own values interpolate (`VLLM_TOKENIZER` in `MODEL_ARGS=...
    # --tokenizer ${VLLM_TOKENIZER}`) reaches Compose through them.
    for _, value, _ in variables:
        interpolated |= set(_INTERPOLATION.findall(value))
    return keys <= interpolated


#: A variable a compose file interpolates: `${TAG}`, `${TAG:-latest}`, `$TAG`.
_INTERPOLATION = lazy_compile(r"\$\{?([A-Za-z_]\w*)")


def _public_build_variables(source: SourceFile | None) -> bool:
    """Whether every key of the file is a front-end build's public variable and no
    value looks like a credential (the framework's `.env.production`, committed by its
    own instructions)."""
    variables = _variables(source)
    if not variables:
        return False
    for key, value, _ in variables:
        if not key.startswith(_PUBLIC_PREFIXES) or _URL_PASSWORD.search(value):
            return False
        if is_secret_key(key.split("_", 1)[1]) and looks_like_secret_value(value):
            return False  # `VITE_API_SECRET=...`: whatever the prefix, a secret shipped
    return True


def _beside_a_front_end_build(repo: Repo, path: str) -> bool:
    """Whether the env file sits in the folder of a front-end build that loads it and whose
    guide commits it (`*.local` is what they keep out): a Vite project (`vite.config.*`),
    a Next.js one (`next.config.*`), or Create React App's (`react-scripts` in its
    `package.json`)."""
    folder = posixpath.dirname(path)
    if any(
        repo.has(posixpath.join(folder, f"{tool}.config.{suffix}"))
        for tool in ("vite", "next")
        for suffix in ("ts", "js", "mjs", "mts", "cjs", "cts")
    ):
        return True
    package = posixpath.join(folder, "package.json")
    source = repo.source(package) if repo.has(package) else None
    return source is not None and source.text is not None and '"react-scripts"' in source.text


#: Env files of a development or test environment, never of a deploy.
_DEVELOPMENT_ENV_FILES = frozenset(
    {".env.development", ".env.dev", ".env.test", ".env.testing", ".env.ci", ".env.docker"}
)


def _variables(source: SourceFile | None) -> list[tuple[str, str, bool]] | None:
    """(key, value, whether the key names a secret) of each variable of a dotenv file;
    None when it cannot be read."""
    if source is None or source.text is None:
        return None
    found = []
    for line in source.lines:
        match = _DOTENV_LINE.match(line)
        if match is None:
            continue
        key, value = match.group("key"), match.group("value").strip().strip("\"'")
        parts = [word for word in re.split(r"[_.\-]+", key.lower()) if word]
        if parts and parts[-1] in _SETTING_LAST_WORDS:
            # `CERT_MANAGER_VERSION=v1.16.1`: the version of a tool named for what it keeps
            found.append((key, value, False))
            continue
        if parts[-2:] == ["key", "id"] or value.lower() in _SWITCH_VALUES:
            # `AWS_ACCESS_KEY_ID=minio_user`: the public half of a key pair (an AWS key
            # ID's own format is TF301's); `MYSQL_ALLOW_EMPTY_PASSWORD=true`,
            # `AUTH_ENABLED=false`: a switch named for what it turns on.
            found.append((key, value, False))
            continue
        words = set(parts)
        found.append((key, value, is_secret_key(key) or not words.isdisjoint(_SECRET_KEY_WORDS)))
    return found


#: Values of a switch: a variable holding one sets a behaviour, whatever its name says.
_SWITCH_VALUES = frozenset({"true", "false", "yes", "no", "on", "off"})


#: The last word of a key that names a setting whatever comes before it (kserve's
#: `CERT_MANAGER_VERSION`, `AUTH_PROXY_IMAGE`).
_SETTING_LAST_WORDS = frozenset({"version", "tag", "image", "img"})
#: A make assignment (`TAG ?= latest`, `IMG := x`): a file of them is a Makefile's
#: include (kserve's `kserve-images.env`), not a dotenv.
_MAKE_ASSIGNMENT = lazy_compile(r"^\s*[A-Za-z_][\w.\-]*\s*(?:\?|:|::|\+|!)=")


def _make_variables(source: SourceFile | None) -> bool:
    """Whether every assignment of the file is make's (`?=`, `:=`, `+=`)."""
    if source is None or source.text is None:
        return False
    lines = [line for line in source.lines if line.strip() and not line.lstrip().startswith("#")]
    return bool(lines) and all(_MAKE_ASSIGNMENT.match(line) for line in lines)


#: A folder of templates a generator copies into the projects it makes.
_TEMPLATES_FOLDER = lazy_compile(r"(?:^|/)templates?/")
#: A template engine's placeholder in a value: Jinja's `{{ random_secret }}`, `{% if %}`.
_TEMPLATE_SYNTAX = lazy_compile(r"\{\{[^{}\n]*\}\}|\{%[^\n]*%\}")


def _rendered_template(source: SourceFile | None) -> bool:
    """Whether the file is a template another program renders into a project it
    generates (`SESSION_SECRET={{ random_secret }}`): not this repository's settings."""
    return (
        source is not None
        and source.text is not None
        and bool(_TEMPLATE_SYNTAX.search(source.text))
    )


def _every_value_empty(source: SourceFile | None) -> bool:
    """Whether the file lists variables and leaves every one empty (`API_KEY=`)."""
    variables = _variables(source)
    if not variables:
        return False
    return all(not value for _, value, _ in variables)


def _no_token(source: SourceFile) -> bool:
    """TF301's detectors find nothing in the file (an `sk-...` key under any name)."""
    return next(scan_lines(source.lines, code=False), None) is None


def _every_secret(
    source: SourceFile | None, acceptable: Callable[[str], bool], *, some: bool = False
) -> bool:
    """Whether every value of a secret-named key of a dotenv file is `acceptable` (with
    `some`, at least one such key exists), and TF301's detectors find nothing in it."""
    variables = _variables(source)
    if variables is None or source is None:
        return False
    values = [value for _, value, named in variables if named]
    if some and not values:
        return False
    return all(acceptable(value) for value in values) and _no_token(source)


def _empty_or_placeholder(value: str) -> bool:
    return not value or is_placeholder(value) or bool(_NAMES_A_CREDENTIAL.fullmatch(value))


#: A value that says what goes in its place (`WANDB_API_KEY=wandb-api-key`,
#: `HF_TOKEN=huggingface-token`): words ending in the kind of credential.
_NAMES_A_CREDENTIAL = lazy_compile(
    r"[a-z]+(?:[-_][a-z]+)*[-_](?:api[-_]?key|key|token|secret|password|passwd|pwd)"
)


#: An env file's opening comment telling the reader to copy it to `.env` ("Copy this
#: file to .env", "cp .env.postgres .env", "Copiez ce fichier vers .env", "rename to .env").
_COPY_ME = lazy_compile(
    r"^[ \t]*#[^\n]*\b(?:cop(?:y|ie[rz]?)|cp|rename|renommez)\b[^\n]*[\s`'\"]\.env\b", re.I | re.M
)
#: A value asking to be replaced: `...-change-in-production`, `replace-me`, `your-key`.
_TO_REPLACE = lazy_compile(r"chang|replac|your[-_]|example", re.I)


def _says_copy_me(source: SourceFile | None) -> bool:
    """Whether the file's first lines tell the reader to copy it to `.env`: a template
    under another name."""
    if source is None or source.text is None:
        return False
    return _COPY_ME.search(source.text[:600]) is not None


def _placeholder_or_to_replace(value: str) -> bool:
    return _empty_or_placeholder(value) or _TO_REPLACE.search(value) is not None


def _holds_no_secret(source: SourceFile | None) -> bool:
    """Whether no value of a dotenv file is a secret: secret-named keys empty or holding
    placeholders, no password in a URL but a placeholder, nothing TF301 finds."""
    return _every_secret(source, _empty_or_placeholder)


def _no_credential(source: SourceFile | None) -> bool:
    """Whether no secret-named value of a dotenv file could be a credential by TF301's
    measure (`JWT_SECRET=some_super_secret_string` is words), nor anything else in it."""
    return _every_secret(source, lambda value: not value or not looks_like_secret_value(value))


#: Passwords the services' images start with (`POSTGRES_PASSWORD=postgres`).
_STOCK_PASSWORDS = frozenset({"postgres", "password", "minioadmin", "admin", "root", "guest"})


def _stock_value(value: str) -> bool:
    """Empty, too short to be a secret (`LM_STUDIO_API_KEY=1234`), a placeholder
    (`change_me_immediately`), an image's stock password (`postgres`, `minioadmin`,
    `hatchet_password`), or an address (a password in it is TF301's)."""
    return (
        len(value) < 8
        or value.lower() in _STOCK_PASSWORDS
        or "password" in value.lower()
        or is_placeholder(value)
        or "://" in value
    )


def _emulator_dummy(value: str) -> bool:
    """A credential only a local emulator takes (LocalStack accepts any AWS key: its
    guides use `test`, projects `localstack-...`), or none (empty)."""
    return not value or value.lower() == "test" or value.lower().startswith("localstack")


def _stock_secrets_only(source: SourceFile | None) -> bool:
    """Whether the file names secrets and leaves each a stock value (`_stock_value`),
    with nothing TF301 finds: a stack's starting settings."""
    return _every_secret(source, _stock_value, some=True)


def _placeholders_only(source: SourceFile | None) -> bool:
    """Whether every secret-named key of a dotenv file holds a placeholder or nothing
    (`OPENAI_API_KEY=sk-XXXXXXXX`, `AWS_SECRET=xxx`), at least one does, and TF301's
    detectors find no secret in it: a template the README says to copy to `.env`."""
    return _every_secret(source, _empty_or_placeholder, some=True)


def _shell_exports(source: SourceFile | None) -> bool:
    """Whether every statement of the file is a shell `export NAME=value` or `source`
    of another (comments and blank lines aside): parameters for `source demo.env`,
    written for a shell."""
    if source is None or source.text is None:
        return False
    statements = [
        line.strip() for line in source.lines if line.strip() and not line.strip().startswith("#")
    ]
    return bool(statements) and all(
        line.startswith(("export ", "source ", ". ")) for line in statements
    )


def _only_settings(source: SourceFile | None) -> bool:
    """Whether a dotenv file holds settings only: no key names a secret (`DB_PASSWORD`,
    `API_KEY`, `AUTH_...`, `..._CREDENTIALS`), no value is a URL with a password in it,
    and TF301's detectors find no token in it (a model tag such as `qwen3.5:9b` under
    `GENERATION_MODEL` is a setting, an `sk-...` key under any name is not)."""
    variables = _variables(source)
    if variables is None or source is None:
        return False
    return not any(
        named or _URL_PASSWORD.search(value) for _, value, named in variables
    ) and _no_token(source)
