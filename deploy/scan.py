"""Run the Wapiti web scanner against a live instance on loopback and judge its report.

One command (``make scan``): a throw-away instance (SQLite, the demo edition, no SMTP)
in production mode is served by gunicorn over TLS (a self-signed certificate made for
the run) on 127.0.0.1, as it would be behind its proxy, so HSTS and the cookie's
``Secure`` flag are what they are in production. Wapiti (PyPI's wapiti3, in its own
virtual environment ``.venv-scan``, since its dependencies clash with the site's)
crawls it and runs its injection and header
modules, and the report is read back: the run fails if Wapiti reports any injection
(SQL, blind SQL, XSS, stored XSS, command execution, path traversal, CRLF, open
redirect), any missing or weak security header, any cookie flag problem, or any
server error (anomaly). Modules that would call a third-party server (ssrf, xxe) or
fetch outside data (wapp, nikto) are left out: this machine talks to loopback only.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = (
    "xss,permanentxss,sql,timesql,exec,file,redirect,crlf,csp,cookieflags,http_headers,"
    "csrf,methods,ldap,upload"
)
WAPITI = ROOT / ".venv-scan" / "bin" / "wapiti"


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A one-day certificate for 127.0.0.1, made with the cryptography package."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    start = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    import ssl

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # our own throw-away certificate
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2, context=context):  # noqa: S310
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the instance did not answer at {url}")


def main() -> int:
    if not WAPITI.exists():
        print("wapiti is missing: make scan installs it in .venv-scan", file=sys.stderr)
        return 2
    wapiti = str(WAPITI)
    work = Path(tempfile.mkdtemp(prefix="congress-scan-"))
    cert, key = self_signed(work)
    port = free_port()
    base = f"https://127.0.0.1:{port}"
    env = {
        **os.environ,
        "CONGRESS_ENV": "production",
        "CONGRESS_INSTANCE_PATH": str(work / "instance"),
        "CONGRESS_SECRET_KEY": secrets.token_urlsafe(48),
        "CONGRESS_BASE_URL": base,
        # The scanner sends hundreds of requests a minute from one address: limits
        # would hide forms from it. They are tested on their own in tests/security.
        "CONGRESS_RATELIMIT_ENABLED": "false",
    }
    flask = [str(ROOT / ".venv/bin/flask"), "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True)
    subprocess.run([*flask, "congress", "seed-demo"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--certfile",
            str(cert),
            "--keyfile",
            str(key),
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(work / "server.log").open("w"),
    )
    report = work / "report.json"
    try:
        wait_for(f"{base}/livez")
        subprocess.run(
            [
                wapiti,
                "-u",
                f"{base}/",
                "--scope",
                "folder",
                "-m",
                MODULES,
                "-d",
                "3",
                "--max-links-per-page",
                "40",
                "--max-scan-time",
                os.environ.get("SCAN_SECONDS", "600"),
                "--max-attack-time",
                "120",
                "-f",
                "json",
                "-o",
                str(report),
                "--flush-session",
                # The modules that talk to out-of-band endpoints (ssrf, xxe) are not run;
                # the DNS one is pointed home so no lookup leaves the machine either.
                "--dns-endpoint",
                "localhost",
                "-x",
                f"{base}/static/*",
            ],
            check=False,
            timeout=1200,
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
    data = json.loads(report.read_text())
    failures = 0
    for section in ("vulnerabilities", "anomalies"):
        for category, findings in sorted(data.get(section, {}).items()):
            status = "FAIL" if findings else "ok"
            failures += len(findings)
            print(f"{status:4}  {section}: {category}: {len(findings)}")
            for finding in findings[:5]:
                print(
                    f"        {finding.get('method')} {finding.get('path')} {finding.get('info')}"
                )
    crawled = data.get("infos", {}).get("crawled_pages_nbr", "n/a")
    print(f"scan: {failures} findings; {crawled} pages crawled; report {report}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
