"""The production start as the README documents it: `scripts/production-start` under
`ontzorg.conf.base` with the documented environment, `check --deploy` without warnings, and
`load_demo` refused there.

Each test runs the real thing in a subprocess (its own settings module, a temporary SQLite
database and var folder), bounded by timeouts; a started server is always stopped."""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[4]
SCRIPT = REPO / "scripts" / "production-start"
# Long and varied enough for `check --deploy` (security.W009); a test key, never used elsewhere.
SECRET_KEY = "production-test-only-7f3a9c2e-Qm4Zr8Kx1Vb6Ny0Tw5Hs-LpDgJuEoIa"
SECURITY_HEADERS = (
    "Strict-Transport-Security",
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
)


def documented_env(var_dir: Path, **changes: str) -> dict[str, str]:
    """The required production settings of the README, and nothing of this test run."""
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    env |= {
        "DJANGO_SETTINGS_MODULE": "ontzorg.conf.base",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        # The proxy on this host, as gunicorn on 127.0.0.1 sees it.
        "TRUSTED_PROXIES": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{var_dir / 'ontzorg.sqlite3'}",
        "ONTZORG_VAR_DIR": str(var_dir),
        "PYTHON": sys.executable,
    }
    return env | changes


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_documented_settings(tmp_path):
    done = manage(documented_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.parametrize(
    "changes, warning",
    [
        ({"SECURE_SSL_REDIRECT": "0"}, "security.W008"),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SECURE_COOKIES": "0"}, "security.W012"),
    ],
)
def test_check_deploy_warns_when_a_guard_is_switched_off(tmp_path, changes, warning):
    done = manage(documented_env(tmp_path, **changes), "check", "--deploy")
    assert warning in done.stdout + done.stderr


def test_load_demo_is_refused_under_production_settings(tmp_path):
    env = documented_env(tmp_path)
    assert manage(env, "migrate", "--noinput").returncode == 0
    done = manage(env, "load_demo")
    assert done.returncode == 1
    assert "niet geladen onder de productie-instellingen" in done.stderr
    users = manage(
        env,
        "shell",
        "-v",
        "0",
        "-c",
        "from ontzorg.accounts.models import User; print(User.objects.count())",
    )
    assert users.stdout.strip() == "0", users.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str, **headers: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def wait_until_serving(server: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"production start stopped (exit {server.returncode}):\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"production start not serving after 120 s:\n{log.read_text()}")


def test_production_start_serves_the_login_page_with_security_headers(tmp_path):
    port = free_port()
    env = documented_env(tmp_path, BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1")
    log = tmp_path / "server.log"
    with log.open("w") as out:
        # Its own process group: stopping it stops gunicorn's workers too.
        server = subprocess.Popen(
            [str(SCRIPT)], cwd=REPO, env=env, stdout=out, stderr=out, start_new_session=True
        )
    try:
        wait_until_serving(server, port, log)
        # Plain HTTP is sent to HTTPS; behind the proxy (X-Forwarded-Proto) the page answers.
        plain = get(port, "/inloggen/")
        assert plain.status == 301
        assert plain.getheader("Location") == f"https://127.0.0.1:{port}/inloggen/"
        page = get(port, "/inloggen/", **{"X-Forwarded-Proto": "https"})
        assert page.status == 200, page.body[:2000]
        missing = [name for name in SECURITY_HEADERS if not page.getheader(name)]
        assert not missing, f"missing security headers: {missing}"
        assert "script-src 'self'" in page.getheader("Content-Security-Policy")
        assert "max-age=31536000" in page.getheader("Strict-Transport-Security")
        assert "Secure" in page.getheader("Set-Cookie")
        # The static files were collected at start and are served under their hashed names.
        stylesheet = re.search(rb'href="(/static/ontzorg/ontzorg\.[0-9a-f]+\.css)"', page.body)
        assert stylesheet, page.body[:2000]
        css = get(port, stylesheet.group(1).decode(), **{"X-Forwarded-Proto": "https"})
        assert css.status == 200
        assert css.getheader("Content-Type").startswith("text/css")
        # No mock DigiD in production: its pages do not exist.
        mock = get(port, "/mijn/digid-mock/inloggen/", **{"X-Forwarded-Proto": "https"})
        assert mock.status == 404
        # One cache for all workers (a DigiD login request may come back to another one):
        # what one process stores, another reads.
        manage(env, "shell", "-c", "from django.core.cache import cache; cache.set('w', 7, 60)")
        read = manage(
            env, "shell", "-c", "from django.core.cache import cache; print(cache.get('w'))"
        )
        assert read.stdout.split()[-1:] == ["7"], read.stderr
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)
