"""Real app servers for tests: gunicorn processes started with deploy/gunicorn.conf.py, and
Debian's nginx in front of them with deploy/nginx/editions.conf."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from editions.core.settings import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
GUNICORN = Path(sys.executable).with_name("gunicorn")
PUBLIC_HOST = "news.example.org"  # the server_name of deploy/nginx/editions.conf


class ServerFailed(RuntimeError):
    """A server that did not start, with its log."""


def _wait_for(condition, what: str, log: Path, process: subprocess.Popen, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        if process.poll() is not None:
            break
        time.sleep(0.05)
    raise ServerFailed(f"{what} did not start:\n{log.read_text(errors='replace')[-3000:]}")


@dataclass
class AppServer:
    """One gunicorn on a port of its own, its instance folder its own too."""

    process: subprocess.Popen
    log: Path
    url: str

    @classmethod
    def start(cls, folder: Path, env: dict[str, str]) -> AppServer:
        folder.mkdir(parents=True)
        log = folder / "gunicorn.log"
        command = [str(GUNICORN), "-c", str(DEPLOY / "gunicorn.conf.py")]
        command += ["--bind", "127.0.0.1:0", "--workers", "1"]  # the port: whichever is free
        if _gunicorn_version() >= (27,):  # one control socket per server, not one per user
            command += ["--control-socket", str(folder / "gunicorn.ctl")]
        with log.open("wb") as out:
            process = subprocess.Popen(
                command,
                cwd=PROJECT_ROOT,
                env={**os.environ, **env, "EDITIONS_INSTANCE": str(folder / "instance")},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        return cls(process, log, "")

    def wait(self) -> AppServer:
        def listening() -> str | None:
            found = re.search(r"Listening at: (http://\S+)", self.log.read_text(errors="replace"))
            return found.group(1) if found else None

        self.url = _wait_for(listening, "gunicorn", self.log, self.process)
        return self

    def access_log(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        stop(self.process)


def stop(process: subprocess.Popen) -> None:
    # SIGINT: a quick shutdown for gunicorn and nginx alike; a test has no requests to drain.
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _gunicorn_version() -> tuple[int, ...]:
    out = subprocess.run(
        [str(GUNICORN), "--version"], capture_output=True, text=True, check=True
    ).stdout
    return tuple(int(part) for part in re.findall(r"\d+", out)[:2])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx",) if os.access(path, os.X_OK)), None
    )


@dataclass
class Nginx:
    process: subprocess.Popen
    http_port: int
    https_port: int
    certificate: Path

    @classmethod
    def start(cls, binary: str, folder: Path, upstreams: list[str]) -> Nginx:
        """nginx on two free ports with the shipped site config, changed only where a test
        must: the upstream servers, the ports, the certificate and the cache folder."""
        folder.mkdir(parents=True)
        certificate, key = folder / "site.crt", folder / "site.key"
        subprocess.run(
            [
                *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
                *("-keyout", str(key), "-out", str(certificate), "-subj", f"/CN={PUBLIC_HOST}"),
                *("-addext", f"subjectAltName=IP:127.0.0.1,DNS:{PUBLIC_HOST}"),
            ],
            check=True,
            capture_output=True,
        )
        http_port, https_port = free_port(), free_port()
        site = site_config(
            (DEPLOY / "nginx" / "editions.conf").read_text(),
            upstreams=upstreams,
            http_port=http_port,
            https_port=https_port,
            certificate=certificate,
            key=key,
            cache=folder / "cache",
        )
        (folder / "editions.conf").write_text(site)
        temporary = {
            name: folder / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        }
        user = "user root;\n" if os.geteuid() == 0 else ""  # workers write into this folder
        (folder / "nginx.conf").write_text(
            f"{user}daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'error.log'};\nevents {{ worker_connections 64; }}\n"
            "http {\n"
            f"  access_log {folder / 'access.log'};\n"
            + "".join(f"  {name}_temp_path {path};\n" for name, path in temporary.items())
            + "  include /etc/nginx/mime.types;\n"
            f"  include {folder / 'editions.conf'};\n"
            "}\n"
        )
        log = folder / "error.log"
        with (folder / "stderr.log").open("wb") as out:
            process = subprocess.Popen(
                [binary, "-p", str(folder), "-e", str(log), "-c", str(folder / "nginx.conf")],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        server = cls(process, http_port, https_port, certificate)

        def answering() -> bool:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=0.2).close()
            except OSError:
                return False
            return True

        _wait_for(answering, "nginx", folder / "stderr.log", process, timeout=10)
        return server

    def stop(self) -> None:
        stop(self.process)


def site_config(
    text: str,
    *,
    upstreams: list[str],
    http_port: int,
    https_port: int,
    certificate: Path,
    key: Path,
    cache: Path,
) -> str:
    """The shipped site config with this machine's addresses; every replaced line must be
    found, so the test fails when the shipped file changes shape."""
    servers = "".join(
        f"    server {upstream} max_fails=3 fail_timeout=10s;\n" for upstream in upstreams
    )
    replacements = [
        (r"(?m)^    server 10\.0\.0\.\d+:8000 .*;\n", "", 2),
        (r"(?m)^upstream editions_app \{\n(?:    #.*\n)*", None, 1),
        (r"(?m)^    listen \[::\]:.*\n", "", 2),
        (r"listen 80;", f"listen 127.0.0.1:{http_port};", 1),
        (r"listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;", 1),
        (r"ssl_certificate /\S+;", f"ssl_certificate {certificate};", 1),
        (r"ssl_certificate_key /\S+;", f"ssl_certificate_key {key};", 1),
        (r"/var/cache/nginx/editions", str(cache), 1),
    ]
    for pattern, replacement, expected in replacements:
        text, count = re.subn(
            pattern,
            lambda found, new=replacement: found.group(0) + servers if new is None else new,
            text,
        )
        assert count == expected, f"{pattern!r} matched {count} times in editions.conf"
    return text
