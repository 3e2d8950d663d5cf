"""TF703 server-loop-without-sigterm: custom server or worker loop with no SIGTERM handling."""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator

from twelvefold import kinds
from twelvefold.detectors.import_scan import imported_tops
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Finding, Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.project.knowledge import WEB_FRAMEWORKS
from twelvefold.repo import Repo
from twelvefold.rule import FileRule
from twelvefold.rules._pyast import dotted, nodes, walk
from twelvefold.sources import SourceFile

#: Blocking calls that make a `while True:` loop a server or consumer loop.
_CONSUME = frozenset(
    {
        "accept",
        "recv",
        "recvfrom",
        "recv_into",
        "poll",
        "consume",
        "receive_message",
        "receive_messages",
        "blpop",
        "brpop",
        "brpoplpush",
        "bzpopmin",
        "xread",
        "xreadgroup",
        "get_message",
        "basic_get",
        "pull",
        "handle_request",
    }
)
#: `poll()`, `consume()` and `pull()` block on a message only for consumers
#: (`proc.poll()` checks a subprocess, `tokenizer.consume()` reads a parser's input).
_POLLERS = lazy_compile(r"consumer|kafka|subscriber|queue|sqs|pubsub", re.IGNORECASE)
_AMBIGUOUS = frozenset({"poll", "consume", "pull"})
_SERVE_FOREVER = frozenset({"serve_forever", "start_consuming", "run_forever"})


def _handles_sigterm(text: str) -> bool:
    # signal.signal(signal.SIGTERM, ...), loop.add_signal_handler(signal.SIGTERM, ...),
    # `for sig in (SIGINT, SIGTERM)`: any mention is taken as handling (precision first).
    return "SIGTERM" in text


#: Reads that end when the peer closes: a loop around one with a `break` reads a reply
#: to its end (a client), not requests forever.
_READS = frozenset({"recv", "recvfrom", "recv_into"})
#: The end of a `multiprocessing.Pipe` a worker reads its parent's requests from
#: (`self.child.recv()`, `child_conn.recv()`): inside the process, not from outside.
_PIPE_END = lazy_compile(r"child|pipe", re.IGNORECASE)


def _daemon_bodies(tree: ast.Module) -> set[int]:
    """ids of the nodes inside functions run as daemon threads or processes
    (`Thread(target=_accept, daemon=True)`): a helper of a process whose own stop is
    handled elsewhere, ended with it."""
    targets: set[str] = set()
    for call in nodes(tree, ast.Call):
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        daemon = keywords.get("daemon")
        target = keywords.get("target")
        if isinstance(daemon, ast.Constant) and daemon.value is True and target is not None:
            name = dotted(target).rsplit(".", 1)[-1]
            if name:
                targets.add(name)
    # `self.consumer_thread = Thread(target=self._consume)` then
    # `self.consumer_thread.daemon = True`: made a daemon after it is built.
    made_daemons = {
        dotted(target.value)
        for assign in nodes(tree, ast.Assign)
        if isinstance(assign.value, ast.Constant) and assign.value.value is True
        for target in assign.targets
        if isinstance(target, ast.Attribute) and target.attr == "daemon"
    }
    for assign in nodes(tree, ast.Assign) if made_daemons else ():
        if isinstance(assign.value, ast.Call) and any(
            dotted(target) in made_daemons for target in assign.targets
        ):
            target = next((k.value for k in assign.value.keywords if k.arg == "target"), None)
            name = dotted(target).rsplit(".", 1)[-1] if target is not None else ""
            if name:
                targets.add(name)
    inside: set[int] = set()
    for node in walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in targets:
            inside.update(id(inner) for inner in ast.walk(node))
        elif isinstance(node, ast.ClassDef) and _daemon_class(node):
            # `class Worker(Process)` whose `__init__` says `daemon=True`: its methods
            # run in the daemon (a model worker fed over a Pipe).
            inside.update(id(inner) for inner in ast.walk(node))
    return inside


#: Calls that run an event loop: the module hosts its coroutines itself.
_EVENT_LOOP_RUNNERS = frozenset({"run", "run_until_complete", "run_forever"})


def _runs_an_event_loop(tree: ast.Module) -> bool:
    """`asyncio.run(main())`, `loop.run_until_complete(...)`, `uvloop.run(...)`."""
    return any(
        isinstance(call.func, ast.Attribute)
        and call.func.attr in _EVENT_LOOP_RUNNERS
        and dotted(call.func.value).rsplit(".", 1)[-1]
        in ("asyncio", "uvloop", "loop", "anyio", "trio")
        for call in nodes(tree, ast.Call)
    )


def _coroutine_bodies(tree: ast.Module) -> set[int]:
    """ids of the nodes inside `async def` functions."""
    return {
        id(inner) for function in nodes(tree, ast.AsyncFunctionDef) for inner in ast.walk(function)
    }


def _daemon_class(node: ast.ClassDef) -> bool:
    """A `Process` or `Thread` subclass made a daemon in its own code:
    `super().__init__(daemon=True)` or `self.daemon = True`."""
    if not any(dotted(base).rsplit(".", 1)[-1] in ("Process", "Thread") for base in node.bases):
        return False
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call) and any(
            k.arg == "daemon" and isinstance(k.value, ast.Constant) and k.value.value is True
            for k in inner.keywords
        ):
            return True
        if (
            isinstance(inner, ast.Assign)
            and any(isinstance(t, ast.Attribute) and t.attr == "daemon" for t in inner.targets)
            and isinstance(inner.value, ast.Constant)
            and inner.value.value is True
        ):
            return True
    return False


def _breaks(loop: ast.While) -> bool:
    """Whether `loop` has a `break` of its own (not one of a nested loop's), or a
    `return` (a client's `call()` returning the reply it waited for)."""
    stack: list[ast.AST] = list(loop.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Break, ast.Return)):
            return True
        if isinstance(
            node,
            (ast.For, ast.AsyncFor, ast.While, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef),
        ):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return False


#: Calls that make a module a server: it listens (`asyncio.start_server`,
#: `loop.create_server`, `websockets.serve`) or builds a web application.
_SERVES = frozenset(
    {
        "start_server",
        "start_unix_server",
        "create_server",
        "create_unix_server",
        "serve",
        "server",
        "Server",
        "Application",
        "AppRunner",
        "TCPSite",
        "UnixSite",
        "FastAPI",
        "Flask",
        "Starlette",
        "Sanic",
        "Quart",
    }
)


def _stops_own_loop(tree: ast.Module, call: ast.Call) -> bool:
    """`loop.run_forever()` in a module that defines no server and stops that loop itself
    (`loop.stop()`, `loop.call_later(5, loop.stop)`): a client or benchmark that runs
    until its work is done, not a server."""
    if not isinstance(call.func, ast.Attribute):
        return False
    owner = dotted(call.func.value)
    stopped = {
        dotted(node.value)
        for node in nodes(tree, ast.Attribute)
        if node.attr == "stop" and isinstance(node.ctx, ast.Load)
    }
    if not owner or owner not in stopped:
        return False
    for node in nodes(tree, ast.Call):
        func = node.func
        name = (
            func.attr
            if isinstance(func, ast.Attribute)
            else func.id
            if isinstance(func, ast.Name)
            else ""
        )
        if name in _SERVES:
            return False
    return True


def _streams_or_asks(loop: ast.While) -> bool:
    """A loop that yields what it receives (a streaming response's generator: it runs
    for one request, inside a server that handles the signal), or reads the terminal
    (`input()`: an interactive client, stopped by Ctrl-C) or its standard input
    (`sys.stdin.readline`: a stdio transport, an MCP or LSP server its client starts and
    stops by closing the pipe)."""
    for inner in ast.walk(loop):
        if isinstance(inner, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(inner, ast.Attribute) and inner.attr == "stdin":
            return True
        if (
            isinstance(inner, ast.Call)
            and isinstance(inner.func, ast.Name)
            and inner.func.id == "input"
        ):
            return True
    return False


def _server_loop(tree: ast.Module, websocket_client: bool) -> tuple[ast.AST, str] | None:
    """The first server loop of the module, and how to name it. `websocket_client`: the
    module works with websocket-client's `WebSocketApp`, whose `run_forever()` runs one
    connection to a remote API until the peer closes it, not a server."""
    daemon = _daemon_bodies(tree)
    # A coroutine's loop runs in the event loop of whoever awaits it: a module that runs
    # none of its own (no `asyncio.run(...)`) is a task of a server's loop (a consumer a
    # FastAPI lifespan starts and cancels), stopped with that server.
    hosted = set() if _runs_an_event_loop(tree) else _coroutine_bodies(tree)
    for node in walk(tree):
        if id(node) in daemon:
            continue
        if isinstance(node, ast.Call):
            func = node.func
            attr = (
                func.attr
                if isinstance(func, ast.Attribute)
                else func.id
                if isinstance(func, ast.Name)
                else ""
            )
            if attr == "run_forever" and (websocket_client or _stops_own_loop(tree, node)):
                continue
            if attr in _SERVE_FOREVER:
                return node, f"`{attr}()`"
        if (
            isinstance(node, ast.While)
            and isinstance(node.test, ast.Constant)
            and node.test.value in (True, 1)
            and id(node) not in hosted
            and not _streams_or_asks(node)
        ):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute):
                    attr = inner.func.attr
                    owner = inner.func.value
                    owner_name = (
                        owner.id
                        if isinstance(owner, ast.Name)
                        else owner.attr
                        if isinstance(owner, ast.Attribute)
                        else ""
                    )
                    if attr in _AMBIGUOUS and not _POLLERS.search(owner_name):
                        continue
                    if attr in _READS and (_breaks(node) or _PIPE_END.search(owner_name)):
                        continue  # a client's reply read, or a Pipe from the parent process
                    if attr in _CONSUME:
                        return (
                            node,
                            f"a `while True:` loop around `{owner_name + '.' if owner_name else ''}{attr}()`",
                        )
    return None


#: A module starting a daemon thread: `Thread(..., daemon=True)` or `t.daemon = True`.
_STARTS_DAEMONS = lazy_compile(r"\bdaemon\s*=\s*True\b")


def _hosts_daemon_threads(repo: Repo, folder: str) -> bool:
    """Whether a module of `folder` imports a web framework (whose server handles SIGTERM
    for the process) and starts daemon threads."""
    for entry in repo.of_kind(kinds.PYTHON):
        if posixpath.dirname(entry.path) != folder:
            continue
        source = repo.source(entry.path)
        text = source.text if source is not None else None
        if not text or not _STARTS_DAEMONS.search(text):
            continue
        tops = imported_tops(text)
        if tops is not None and not tops.isdisjoint(WEB_FRAMEWORKS):
            return True
    return False


class ServerLoopWithoutSigterm(FileRule):
    """## What it does
    Reports a module that runs its own server or worker loop - `serve_forever()`,
    `start_consuming()`, `loop.run_forever()`, or a `while True:` loop around a
    blocking receive from outside the process (`sock.accept()`, `consumer.poll()`,
    `redis.blpop()`, `sqs.receive_message()`) - and never installs a SIGTERM handler
    (`signal.signal(signal.SIGTERM, ...)` or `loop.add_signal_handler(signal.SIGTERM,
    ...)`). Handling only `KeyboardInterrupt` (SIGINT) does not count. Servers run by
    a framework or an application server (uvicorn, gunicorn, Flask's `app.run`,
    Celery workers) handle signals themselves and are not reported, nor are tests,
    notebooks, loops with no blocking receive (a training loop), threads draining an
    in-process `queue.Queue`, loops in functions run as daemon threads or processes
    (`Thread(target=_accept, daemon=True)`, a thread made one after it is built
    (`t.daemon = True`), or the `run()` of a `Process` subclass that
    sets `daemon=True`: they end with the process whose stop is
    handled elsewhere), `while True:` loops of coroutines in a module that runs no event
    loop of its own (no `asyncio.run(...)`: a task a server's lifespan starts and
    cancels, stopped with that server), loops in a module with no main guard beside a
    web service's module that starts daemon threads (the service's consumers, run in its
    process), `recv()` loops with a `break` or a `return` (a client reading
    a reply to its end) or on a `multiprocessing.Pipe` end (`self.child.recv()`: a worker fed by its
    parent process), loops that `yield` what they receive (the generator of one streaming
    response, inside a server that handles the signal), loops that read the terminal
    (`input()`: an interactive client) or standard input (`sys.stdin.readline`: a
    stdio transport, which its client stops by closing the pipe), `loop.run_forever()` in a module that starts no server and stops
    that loop itself (`loop.stop()`: a client or benchmark that ends when done), and
    `ws.run_forever()` of a websocket-client `WebSocketApp` (one connection to a remote
    API, which returns when the peer closes it). Only an application's (or a template's)
    own code is checked: scripts run by hand, a course's demos, a paper's code and a
    library's local tools are started from a terminal and stopped with Ctrl+C.

    ## Why is this bad?
    Orchestrators stop processes with SIGTERM. Python's default action for SIGTERM is
    to die on the spot: `finally` blocks and `with` exits do not run, the message being
    processed is lost or processed twice, connections are not closed, and rolling
    deploys drop work.

    ## Example
    ```python
    while True:
        _, job = redis_client.blpop("jobs")
        handle(job)
    ```

    ## Use instead
    ```python
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    while not stopping.is_set():
        item = redis_client.blpop("jobs", timeout=1)
        if item is not None:
            handle(item[1])
    ```
    """

    code = "TF703"
    name = "server-loop-without-sigterm"
    factor = 7
    severity = Severity.WARNING
    # A script run by hand (`scripts/`, `tools/`, `devtools/`) is stopped with Ctrl+C.
    roles = role.PRODUCT
    # Only what is deployed is stopped by an orchestrator: not a course's demo consumers,
    # a paper's scripts, or a library's local viewer (Metaflow's `card server`), each
    # started from a terminal and stopped with Ctrl+C (judged NOISE on all of them).
    repo_kinds = frozenset({project_kind.APPLICATION, project_kind.TEMPLATE})
    summary = "Custom server or worker loop with no SIGTERM handling"
    fix = "Install a SIGTERM handler (signal.signal(signal.SIGTERM, ...)) that stops the loop after the current item."
    kinds = frozenset({kinds.PYTHON})
    prefilter = (b"while True", b"while 1", b"serve_forever", b"start_consuming", b"run_forever")

    def group(self, findings: list[Finding], repo: Repo) -> list[Finding]:
        """A loop in a module the script never runs itself (no main guard), beside a web
        service's module that starts daemon threads (a FastAPI app starting its
        RabbitMQ consumer with `Thread(target=service.start, daemon=True)`): the
        consumer runs in the service's process, whose server handles the signal, and
        ends with it."""
        hosts: dict[str, bool] = {}
        kept: list[Finding] = []
        for finding in findings:
            folder = posixpath.dirname(finding.path or "")
            if folder not in hosts:
                hosts[folder] = _hosts_daemon_threads(repo, folder)
            source = repo.source(finding.path) if hosts[folder] and finding.path else None
            if source is not None and source.text is not None and "__main__" not in source.text:
                continue
            kept.append(finding)
        return kept

    def check(self, file: SourceFile) -> Iterator[Violation]:
        if kinds.is_test_path(file.path):
            return
        python = file.python
        if python is None or python.tree is None or _handles_sigterm(python.text):
            return
        found = _server_loop(python.tree, "WebSocketApp" in python.text)
        if found is None:
            return
        node, what = found
        yield Violation(
            f"{what} runs a server loop but the module installs no SIGTERM handler: `docker stop` kills it mid-work",
            line=getattr(node, "lineno", None),
            column=getattr(node, "col_offset", 0) + 1,
        )
