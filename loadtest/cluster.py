"""Two app servers, one site: gunicorn twice on loopback behind HAProxy (round-robin), one
PostgreSQL, one cache. `make cluster` runs it until Ctrl-C; tests/test_cluster.py walks the
questionnaire across both servers with it.

    make cluster                 # http://127.0.0.1:8100 (HAProxy), servers on 8101 and 8102

Each server is a separate gunicorn with its own workers: nothing is shared but the database
and the cache (Redis when REDIS_URL is set, else the database's cache tables).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BALANCER_PORT = 8100
SERVER_PORTS = (8101, 8102)
HAPROXY_CONFIG = """
global
    maxconn 256
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend site
    bind 127.0.0.1:{balancer}
    default_backend apps
backend apps
    balance roundrobin
    option httpchk GET /healthz
    http-request set-header X-Forwarded-For %[src]
{servers}
"""


def server_environment(extra: dict | None = None) -> dict:
    """Production settings on loopback: debug off, a throwaway secret, plain HTTP."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or _secret(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "HVSELECT_CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR",
        **(extra or {}),
    }
    return env


def _secret() -> str:
    import secrets

    return secrets.token_urlsafe(50)


@contextmanager
def cluster(env: dict, *, ports=SERVER_PORTS, balancer: int | None = BALANCER_PORT, workers=2):
    """Start the servers (and HAProxy when `balancer` is given and installed); yield the
    servers' base URLs and the balancer's (None without HAProxy); stop everything after."""
    processes = []
    config_dir = Path(tempfile.mkdtemp(prefix="hvselect-cluster-"))
    try:
        for port in ports:
            processes.append(
                subprocess.Popen(
                    [
                        str(ROOT / ".venv/bin/gunicorn"),
                        "hvselect.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        str(workers),
                        "--log-level",
                        "warning",
                    ],
                    cwd=ROOT,
                    env=env,
                )
            )
        servers = [f"http://127.0.0.1:{port}" for port in ports]
        for url in servers:
            _wait_for(url + "/healthz", processes)
        front = None
        if balancer and shutil.which("haproxy"):
            config = config_dir / "haproxy.cfg"
            config.write_text(
                HAPROXY_CONFIG.format(
                    balancer=balancer,
                    servers="\n".join(
                        f"    server app{n} 127.0.0.1:{port} check"
                        for n, port in enumerate(ports, 1)
                    ),
                )
            )
            processes.append(subprocess.Popen(["haproxy", "-f", str(config), "-db"]))
            front = f"http://127.0.0.1:{balancer}"
            _wait_for(front + "/healthz", processes)
        yield servers, front
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(config_dir, ignore_errors=True)


def _wait_for(url: str, processes, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            raise RuntimeError(f"a server of the cluster exited while starting ({url})")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def main() -> None:
    """`make cluster`: production settings with collected static files, until Ctrl-C."""
    env = server_environment()
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    with cluster(env) as (servers, front):
        print(f"Servers: {', '.join(servers)}")
        print(f"HAProxy (round-robin): {front}" if front else "HAProxy not installed")
        print("Ctrl-C stops them.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    sys.exit(main())
