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

import contextlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # deploy/ is the project's, not an installed package
    sys.path.insert(0, str(ROOT))

from deploy.local_stack import LIVEZ, free_port, http_get, self_signed_certificate  # noqa: E402

MODULES = (
    "xss,permanentxss,sql,timesql,exec,file,redirect,crlf,csp,cookieflags,http_headers,"
    "csrf,methods,ldap,upload"
)
WAPITI = ROOT / ".venv-scan" / "bin" / "wapiti"


def wait_for(port: int, seconds: float = 30) -> None:
    """Until the instance answers ``/livez`` over TLS (our own throw-away certificate)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if http_get(port, LIVEZ, timeout=2, tls=True)[0] == 200:
                return
        time.sleep(0.3)
    raise SystemExit(f"the instance did not answer at https://127.0.0.1:{port}{LIVEZ}")


def main() -> int:
    if not WAPITI.exists():
        print("wapiti is missing: make scan installs it in .venv-scan", file=sys.stderr)
        return 2
    wapiti = str(WAPITI)
    work = Path(tempfile.mkdtemp(prefix="congress-scan-"))
    certificate = self_signed_certificate(work)
    port = free_port()
    base = f"https://127.0.0.1:{port}"
    env = {
        **os.environ,
        "CONGRESS_ENV": "production",
        "CONGRESS_INSTANCE_PATH": str(work / "instance"),
        "CONGRESS_SECRET_KEY": secrets.token_urlsafe(48),
        "CONGRESS_CFP_FILES_KEY": Fernet.generate_key().decode(),
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
            str(certificate.certificate),
            "--keyfile",
            str(certificate.key),
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(work / "server.log").open("w"),
    )
    report = work / "report.json"
    try:
        wait_for(port)
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
