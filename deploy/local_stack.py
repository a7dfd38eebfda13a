"""The deployed shape on loopback: nginx from ``deploy/nginx.conf`` and gunicorn pools.

Used by the load benchmark (``bench/load_bench.py``) and by the production-shape browser
suite (``tests/browser/production/``), so both run what ``deploy/nginx.conf`` and
``gunicorn.conf.py`` say rather than a copy of them. Nothing here is imported by the
application.

The nginx configuration is derived from the deployed file line by line: addresses,
paths and, for the benchmark only, the per-address limits and TLS are changed; every
change is returned with the configuration so that the caller can print it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import ipaddress
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = PROJECT_ROOT / "deploy" / "nginx.conf"
LIVEZ = "/livez"


# --------------------------------------------------------------------------- processes


@dataclass(slots=True)
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def master_pid(self) -> int:
        return self.process.pid


def free_port() -> int:
    """A port free on loopback right now (the tiny race is acceptable here)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def children_of(pid: int) -> list[int]:
    """Direct children of ``pid``: the gunicorn workers of a master."""
    found: set[int] = set()
    task_dir = Path(f"/proc/{pid}/task")
    with contextlib.suppress(OSError):
        for task in task_dir.iterdir():
            with contextlib.suppress(OSError):
                found.update(int(p) for p in (task / "children").read_text().split())
    if found:
        return sorted(found)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = (entry / "stat").read_text()
            # pid (comm) state ppid ...: comm may hold spaces, so split after ")".
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return sorted(found)


def http_get(
    port: int,
    path: str,
    timeout: float,
    headers: dict[str, str] | None = None,
    *,
    tls: bool = False,
) -> tuple[int, int]:
    """(status, body length as sent) of one GET on loopback (any certificate over TLS)."""
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            "127.0.0.1", port, timeout=timeout, context=context
        )
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, len(response.read())
    finally:
        connection.close()


def wait_until_live(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited with {server.process.returncode}:\n{log_tail(server.log_path)}"
            )
        with contextlib.suppress(OSError):
            if http_get(server.port, LIVEZ, timeout=2)[0] == 200:
                # Every worker imports the app on its own; give them a moment to be ready.
                time.sleep(1.0)
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {LIVEZ} in {timeout:.0f}s")


def stop_server(server: Server) -> None:
    """SIGTERM to the master (it stops its workers), then SIGKILL by pid if it lingers."""
    process = server.process
    if process.poll() is not None:
        return
    workers = children_of(process.pid)
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.kill()
        process.wait(timeout=10)


def log_tail(path: Path, lines: int = 20) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return "(no log)"


@contextlib.contextmanager
def gunicorn_pool(
    pool: str, env: Mapping[str, str], workdir: Path, *, workers: int = 0
) -> Iterator[Server]:
    """One pool of the project's ``gunicorn.conf.py`` on a free loopback port; always stopped.

    ``env`` holds the ``CONGRESS_*`` settings of the run (production mode, database,
    Redis...); the ambient ``CONGRESS_*`` variables are dropped so that the caller's
    test settings never leak into the server.
    """
    port = free_port()
    log_path = workdir / f"gunicorn-{pool}.log"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CONGRESS_")}
    environment.update(env)
    environment.update(CONGRESS_BIND=f"127.0.0.1:{port}", CONGRESS_POOL=pool)
    environment.setdefault("CONGRESS_BASE_URL", f"http://127.0.0.1:{port}")
    if workers:
        environment["CONGRESS_WORKERS"] = str(workers)
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
    with serving(command, port, log_path, environment) as server:
        yield server


@contextlib.contextmanager
def serving(
    command: list[str], port: int, log_path: Path, env: Mapping[str, str]
) -> Iterator[Server]:
    """Run a gunicorn ``command`` bound to ``port``, its output into ``log_path``; yield it
    once it answers ``/livez``, and stop it afterwards whatever happens."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
    server = Server(process, port, log_path)
    try:
        wait_until_live(server, timeout=60)
        yield server
    finally:
        stop_server(server)


# --------------------------------------------------------------------------- TLS


@dataclass(frozen=True, slots=True)
class Certificate:
    certificate: Path
    key: Path


def self_signed_certificate(directory: Path) -> Certificate:
    """A certificate for 127.0.0.1 and localhost, valid for a day, made for this run."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    moment = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(moment - dt.timedelta(minutes=5))
        .not_valid_after(moment + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    paths = Certificate(directory / "fullchain.pem", directory / "privkey.pem")
    paths.certificate.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    paths.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    paths.key.chmod(0o600)
    return paths


# --------------------------------------------------------------------------- nginx


NGINX_PREAMBLE = """# Derived by deploy/local_stack.py from deploy/nginx.conf.
worker_processes {workers};
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    access_log {access_log};
{temp_paths}
{http_block}
{site}
}}
"""


def find_nginx() -> str | None:
    """Debian installs nginx in /usr/sbin, which is not on every user's PATH."""
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def nginx_version(nginx: str) -> tuple[int, ...]:
    result = subprocess.run([nginx, "-v"], capture_output=True, text=True, check=False)
    found = re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", result.stderr + result.stdout)
    return tuple(int(part) for part in found.groups()) if found else (0, 0, 0)


def _commented_block(source: str, start_marker: str) -> list[str]:
    """The configuration lines quoted in a comment after ``start_marker`` (``#     ...``)."""
    lines = source.splitlines()
    for index, line in enumerate(lines):
        if start_marker in line:
            block = []
            for quoted in lines[index + 1 :]:
                if not quoted.startswith("#     "):
                    break
                block.append(quoted[1:].rstrip())
            return block
    return []


def _drop_blocks(text_: str, predicate: Callable[[str], bool]) -> str:
    """Remove each top-level ``server { ... }`` block for which ``predicate(block)`` holds."""
    out, index = [], 0
    for match in re.finditer(r"^server \{", text_, re.M):
        if match.start() < index:
            continue
        depth, end = 0, match.start()
        for end in range(match.start(), len(text_)):
            if text_[end] == "{":
                depth += 1
            elif text_[end] == "}":
                depth -= 1
                if depth == 0:
                    break
        block = text_[match.start() : end + 1]
        out.append(text_[index : match.start()])
        if not predicate(block):
            out.append(block)
        index = end + 1
    out.append(text_[index:])
    return "".join(out)


def derive_nginx_config(
    source: str,
    nginx: str,
    *,
    port: int,
    upstream: int,
    private_upstream: int,
    workdir: Path,
    tls: Certificate | None = None,
    same_size_dir: Path | None = None,
    relax_limits: bool = False,
) -> tuple[str, list[str]]:
    """A runnable configuration from ``deploy/nginx.conf``, and what was changed.

    With ``tls`` the server keeps its TLS settings and uses that certificate (the
    production shape); without, it listens in clear text (the benchmark measures the
    proxy, not the handshakes). ``relax_limits`` lifts the per-address limits for a
    load test whose every client is 127.0.0.1; ``same_size_dir`` adds a location of
    static files to compare with.
    """
    changes: list[str] = []
    params = workdir / "congress_proxy_params"
    params.write_text("\n".join(_commented_block(source, "/etc/nginx/congress_proxy_params:")))
    http_block = "\n".join(_commented_block(source, "In the http block"))
    version = nginx_version(nginx)
    site_lines = []
    for line in source.splitlines():
        code = line.split("#", 1)[0].rstrip()
        stripped = code.strip()
        if not stripped:
            continue
        if stripped.startswith("proxy_cache_path "):
            code = code.replace("/var/cache/nginx/congress", str(workdir / "cache"))
        elif stripped == "server 127.0.0.1:8000;":
            code = code.replace("8000", str(upstream))
        elif stripped == "server 127.0.0.1:8001;":
            code = code.replace("8001", str(private_upstream))
        elif stripped.startswith("listen 443"):
            listen = stripped.replace("listen 443", f"listen 127.0.0.1:{port}")
            code = code.replace(stripped, listen if tls else f"listen 127.0.0.1:{port};")
        elif stripped.startswith("listen [::]") or (stripped.startswith("ssl_") and tls is None):
            continue
        elif stripped.startswith("ssl_certificate_key ") and tls is not None:
            code = code.replace(stripped, f"ssl_certificate_key {tls.key};")
        elif stripped.startswith("ssl_certificate ") and tls is not None:
            code = code.replace(stripped, f"ssl_certificate {tls.certificate};")
        elif stripped == "http2 on;":
            # In clear text HTTP/2 would need prior knowledge, which wrk lacks.
            if tls is None or version < (1, 25, 1):
                if version < (1, 25, 1):
                    changes.append(
                        f"'http2 on;' dropped: nginx {'.'.join(map(str, version))} predates "
                        "the directive (1.25.1); the deployed file needs nginx >= 1.25.1"
                    )
                continue
        elif stripped.startswith("alias /srv/congress/static/"):
            code = code.replace("/srv/congress/static/", f"{PROJECT_ROOT / 'static'}/")
        elif stripped.startswith("include /etc/nginx/congress_proxy_params"):
            code = code.replace("/etc/nginx/congress_proxy_params", str(params))
        elif stripped.startswith("access_log /var/log/nginx/"):
            code = code.replace("/var/log/nginx/", f"{workdir}/")
        elif relax_limits and stripped.startswith("limit_req_zone"):
            code = re.sub(r"rate=\d+r/s", "rate=1000000r/s", code)
        elif relax_limits and stripped.startswith("limit_req "):
            code = re.sub(r"burst=\d+", "burst=1000000", code)
        elif relax_limits and stripped.startswith("limit_conn congress_conn"):
            code = re.sub(r"\d+;", "10000;", code)
        elif same_size_dir is not None and stripped == "location /static/ {":
            indent = code[: len(code) - len(code.lstrip())]
            site_lines.append(f"{indent}location /__same-size/ {{")
            site_lines.append(f"{indent}    alias {same_size_dir}/;")
            site_lines.append(f"{indent}    access_log off;")
            site_lines.append(f"{indent}}}")
        site_lines.append(code)
    site = _drop_blocks(
        "\n".join(site_lines), lambda block: re.search(r"listen 80;", block) is not None
    )
    listening = (
        f"the TLS server listens on 127.0.0.1:{port} with a certificate made for this run"
        if tls
        else f"the TLS server listens on 127.0.0.1:{port} without TLS (ssl_* lines dropped)"
    )
    changes[:0] = [
        f"the port-80 redirect server dropped; {listening}",
        f"upstreams 127.0.0.1:{upstream} and 127.0.0.1:{private_upstream} (this run's public "
        f"and private pools); alias {PROJECT_ROOT / 'static'}/; "
        "cache, logs and proxy params under a temporary directory",
    ]
    if relax_limits:
        changes.append(
            "per-address limits raised (rate=1000000r/s burst=1000000, limit_conn 10000): every "
            "client is 127.0.0.1; access_log off for the public locations and the static files"
        )
    if same_size_dir is not None:
        changes.append("added: location /__same-size/ (static files of each page's size)")
    temp_paths = []
    features = subprocess.run([nginx, "-V"], capture_output=True, text=True, check=False).stderr
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        if name != "client_body" and f"--without-http_{name}_module" in features:
            continue
        temp_paths.append(f"    {name}_temp_path {workdir / ('temp-' + name)};")
    config = NGINX_PREAMBLE.format(
        dir=workdir,
        workers="auto" if relax_limits else "1",
        access_log="off" if relax_limits else f"{workdir}/access.log",
        temp_paths="\n".join(temp_paths),
        http_block="\n".join(f"    {line}" for line in http_block.splitlines()),
        site=site,
    )
    return config, changes


def check_nginx_config(nginx: str, config_path: Path) -> None:
    """``nginx -t`` on a derived file; a refusal names nginx's reason."""
    check = subprocess.run(
        [nginx, "-t", "-p", str(config_path.parent), "-c", str(config_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if check.returncode != 0:
        raise RuntimeError(f"derived nginx config refused: {check.stderr.strip()[-500:]}")


@contextlib.contextmanager
def nginx_server(
    nginx: str, config_path: Path, port: int, *, tls: bool = False
) -> Iterator[subprocess.Popen[bytes]]:
    """nginx as a child in the foreground (``daemon off``); stopped by its pid."""
    log = config_path.parent / "nginx.stderr"
    with log.open("wb") as stream:
        process = subprocess.Popen(
            [nginx, "-p", str(config_path.parent), "-c", str(config_path)],
            stdin=subprocess.DEVNULL,
            stdout=stream,
            stderr=stream,
        )
    try:
        deadline = time.monotonic() + 15
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"nginx exited: {log_tail(log)}")
            with contextlib.suppress(OSError):
                if http_get(port, LIVEZ, timeout=2, tls=tls)[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not answer: {log_tail(log)}")
            time.sleep(0.1)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGQUIT)  # graceful: workers finish, then exit
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
