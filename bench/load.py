"""Load benchmark: users browsing the main pages while a large statement is imported.

    .venv/bin/python bench/load.py                              # SQLite and PostgreSQL, 60 s
    LOAD_SECONDS=15 .venv/bin/python bench/load.py --databases sqlite     # a quick check

For each database the script builds its own world in its own database (SQLite: a file in a
temporary folder under var/; PostgreSQL: the database ``bench_load`` on 127.0.0.1:5432,
dropped afterwards): a region with LOAD_PARTICIPANTS participants and a booked payment run
(bench/support/load.py). It starts a real server on 127.0.0.1 (gunicorn with LOAD_WORKERS
workers when it is installed, as production runs; else ``runserver --noreload``) and a task
worker (``db_worker``). LOAD_USERS users (threads, each with its own session) browse the
dashboard, the participant list, a participant's page (which writes its audit entry), a
plan, the payment run and the bank page for LOAD_SECONDS seconds, pausing
LOAD_THINK_SECONDS (0.5 to 1.5 times) between pages as a person does: the baseline of this
run. Then one of them uploads a statement of LOAD_ENTRIES entries through the upload page,
and while the worker imports it they browse as long again (the bank page is now the
import's page). Every request goes to 127.0.0.1 only; the loops end by themselves.

It prints, per database: requests per second, p50/p95/max per page during the import and
the p95 of the baseline beside it, the errors (anything but a 200, or no answer within
30 s), and how far the import got in the window. Targets (issue 13): 0 errors and p95
under 2 s on every page; the script exits non-zero on a miss.

Settings (environment, or the same-named options): LOAD_SECONDS (60), LOAD_USERS (20),
LOAD_ENTRIES (100000), LOAD_PARTICIPANTS (2000), LOAD_THINK_SECONDS (3.0), LOAD_WORKERS (4),
LOAD_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/bench_load). See bench/README.md.
"""

import argparse
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

HOST = "127.0.0.1"
TARGET_P95 = 2.0
REQUEST_TIMEOUT = 30
PAGES = ("dashboard", "deelnemers", "deelnemer", "plan", "betaalrun", "bankimport")


def env_number(name: str, default, kind=int):
    value = os.environ.get(name)
    return kind(value) if value else default


@dataclass
class Settings:
    seconds: float
    users: int
    entries: int
    participants: int
    think: float
    workers: int
    postgres_url: str


@dataclass
class Phase:
    """What the users saw in one browsing window."""

    seconds: float = 0.0
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def count(self) -> int:
        return sum(len(times) for times in self.times.values())


@dataclass
class Results:
    database: str
    server: str
    quiet: Phase = field(default_factory=Phase)
    busy: Phase = field(default_factory=Phase)
    import_before: dict = field(default_factory=dict)
    import_after: dict = field(default_factory=dict)
    import_done: dict = field(default_factory=dict)
    world: dict = field(default_factory=dict)


# --- processes ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def django_env(database_url: str | None, var_dir: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LOAD_", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "ontzorg.conf.dev",
        "DEBUG": "0",
        "ONTZORG_VAR_DIR": str(var_dir),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "LOG_LEVEL": "WARNING",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run(command: list[str], env: dict, what: str) -> str:
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{what} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
    return done.stdout


def manage(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), *args]


def child(*args: str) -> list[str]:
    return [sys.executable, __file__, "--child", *args]


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    """A process of ours in its own process group, so that it and its children stop together."""
    with open(log, "ab") as out:
        return subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def server_command(port: int, workers: int) -> tuple[list[str], str]:
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return manage("runserver", "--noreload", f"{HOST}:{port}"), "runserver (threaded)"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "ontzorg.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    return command, f"gunicorn, {workers} workers"


def postgres_database(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if name in ("", "postgres", "template0", "template1", "test", "test_test"):
        raise SystemExit(f"refusing to use the database {name!r}: give the benchmark its own")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


# --- browsing -------------------------------------------------------------------------------


class Session:
    """One user's browser: its own cookies, its own CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None):
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def csrf(self, path: str) -> str:
        _status, _headers, body = self.request(path)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        return found.group(1).decode() if found else ""

    def login(self, username: str, password: str, totp_key: str) -> None:
        """Both steps of the login: the password, then the code of the authenticator app
        (the TOTP device with the hex key `totp_key`, see bench/support/load.py)."""
        from django_otp.oath import totp

        token = self.csrf("/inloggen/")
        data = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        status, headers, _body = self.request(
            "/inloggen/", data, {"Referer": self.base + "/inloggen/"}
        )
        if status != 302 or "/inloggen/code/" not in headers.get("Location", ""):
            raise SystemExit(f"login of {username} failed with {status}")
        token = self.csrf("/inloggen/code/")
        code = str(totp(bytes.fromhex(totp_key))).zfill(6)
        data = urllib.parse.urlencode({"code": code, "csrfmiddlewaretoken": token}).encode()
        status, _headers, _body = self.request(
            "/inloggen/code/", data, {"Referer": self.base + "/inloggen/code/"}
        )
        if status != 302:
            raise SystemExit(f"second login step of {username} failed with {status}")

    def upload(self, path: str, fields: dict, file_field: str, file_path: Path) -> str:
        token = self.csrf(path)
        boundary = uuid.uuid4().hex
        head = b""
        for name, value in {**fields, "csrfmiddlewaretoken": token}.items():
            head += (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            ).encode()
        head += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
            f'filename="{file_path.name}"\r\nContent-Type: application/xml\r\n\r\n'
        ).encode()
        body = head + file_path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
        status, headers, _body = self.request(
            path,
            body,
            {
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": self.base + path,
            },
        )
        if status != 302:
            raise SystemExit(f"upload failed with {status}")
        return headers["Location"]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def page_paths(world: dict, job_id: int | None) -> dict:
    """How to pick each page; before the upload the bank page is the list of imports."""
    people = world["participants"]
    bank = f"/bank/import/{job_id}/" if job_id else "/bank/"
    return {
        "dashboard": lambda rng: "/",
        "deelnemers": lambda rng: "/deelnemers/",
        "deelnemer": lambda rng: f"/deelnemers/{rng.choice(people)}/",
        "plan": lambda rng: f"/plannen/deelnemer/{rng.choice(people)}/",
        "betaalrun": lambda rng: f"/betalingen/{world['run_id']}/",
        "bankimport": lambda rng: bank,
    }


def browse(session: Session, paths: dict, deadline: float, think: float, seed: int, results):
    rng = random.Random(seed)
    order = list(PAGES)
    lock = results.lock
    while time.monotonic() < deadline:
        rng.shuffle(order)
        for page in order:
            if time.monotonic() >= deadline:
                return
            path = paths[page](rng)
            start = time.perf_counter()
            try:
                status, _headers, _body = session.request(path)
                problem = None if status == 200 else f"{page} {path}: HTTP {status}"
            except Exception as error:  # a refused or timed-out request is an error to count
                problem = f"{page} {path}: {type(error).__name__}: {error}"
            elapsed = time.perf_counter() - start
            with lock:
                results.times[page].append(elapsed)
                if problem:
                    results.errors.append(problem)
            time.sleep(think * rng.uniform(0.5, 1.5))


# --- one database ---------------------------------------------------------------------------


def run_one(database: str, settings: Settings) -> Results:
    (ROOT / "var").mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"bench-load-{database}-", dir=ROOT / "var"))
    url = settings.postgres_url if database == "postgresql" else None
    env = django_env(url, work)
    server = worker = None
    port = free_port()
    command, server_name = server_command(port, settings.workers)
    results = Results(database, server_name)
    try:
        if url:
            postgres_database(url)
        print(f"[{database}] migrating ...", flush=True)
        run(manage("migrate", "--noinput", "-v", "0"), env, "migrate")
        print(f"[{database}] building {settings.participants:,} participants and a run ...")
        statement = work / "afschrift.xml"
        world = json.loads(
            run(
                child("setup", str(settings.participants), str(settings.entries), str(statement)),
                env,
                "setup",
            ).splitlines()[-1]
        )
        results.world = world
        server = start(command, env, work / "server.log")
        base = f"http://{HOST}:{port}"
        _wait_for(base)
        worker = start(
            manage(
                "db_worker",
                "--queue-name",
                "*",
                "--interval",
                "0.5",
                "--no-startup-delay",
                "--no-reload",
                "-v",
                "0",
            ),
            env,
            work / "worker.log",
        )
        sessions = []
        for number in range(settings.users):
            session = Session(base)
            username = world["users"][number % len(world["users"])]
            # Each session its own TOTP device: a device takes each code only once.
            totp_key = world["totp_keys"][username][number // len(world["users"])]
            session.login(username, world["password"], totp_key)
            sessions.append(session)
        # The same browsing without an import first: the baseline of this run.
        print(f"[{database}] {settings.users} users browse for {settings.seconds:.0f} s ...")
        world_paths = page_paths(world, None)
        _browse_all(sessions, world_paths, settings, results.quiet)
        print(f"[{database}] uploading a statement of {settings.entries:,} entries ...")
        location = sessions[0].upload(
            "/bank/inlezen/", {"region": world["region_id"]}, "file", Path(world["statement"])
        )
        job_id = int(re.search(r"/import/(\d+)/", location).group(1))
        results.import_before = _import_state(env, job_id)
        print(f"[{database}] ... and again while it is imported")
        _browse_all(sessions, page_paths(world, job_id), settings, results.busy)
        results.import_after = _import_state(env, job_id)
        results.import_done = _wait_for_import(env, job_id, limit=900)
    finally:
        stop(worker)
        stop(server)
        if url:
            postgres_database(url, drop_only=True)
        shutil.rmtree(work, ignore_errors=True)
    return results


def _browse_all(sessions, paths, settings: Settings, phase: Phase) -> None:
    started = time.monotonic()
    deadline = started + settings.seconds
    threads = [
        threading.Thread(
            target=browse,
            args=(session, paths, deadline, settings.think, number, phase),
            daemon=True,
        )
        for number, session in enumerate(sessions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(settings.seconds + REQUEST_TIMEOUT + 10)
    phase.seconds = time.monotonic() - started


def _wait_for(base: str, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/inloggen/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server at {base} did not answer within {limit:.0f} s")


def _import_state(env: dict, job_id: int) -> dict:
    return json.loads(run(child("state", str(job_id)), env, "import state").splitlines()[-1])


def _wait_for_import(env: dict, job_id: int, limit: float) -> dict:
    deadline = time.monotonic() + limit
    while True:
        state = _import_state(env, job_id)
        if state.get("finished_at") or state.get("status") in ("failed", "interrupted"):
            return state
        if time.monotonic() > deadline:
            return state
        time.sleep(2)


# --- report ---------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def report(all_results: list[Results], settings: Settings) -> bool:
    from datetime import datetime

    ok = True
    print()
    print(
        f"Load benchmark: {settings.users} users, {settings.seconds:.0f} s per window, think "
        f"{settings.think:.1f} s; first without an import (the baseline), then while a "
        f"statement of {settings.entries:,} entries is imported"
    )
    for results in all_results:
        quiet, busy = results.quiet, results.busy
        print()
        print(f"[{results.database}] server: {results.server}")
        for name, phase in (("without import", quiet), ("during import", busy)):
            print(
                f"  {name:<15}{phase.count:>6,} requests in {phase.seconds:5.1f} s = "
                f"{phase.count / max(phase.seconds, 0.001):5.1f} requests/s; "
                f"errors: {len(phase.errors)}"
            )
        print(
            f"  {'page':<12}{'p95 quiet':>10}{'requests':>10}{'p50 s':>8}{'p95 s':>8}"
            f"{'max s':>8}{'x quiet':>9}"
        )
        for page in PAGES:
            times = busy.times.get(page, [])
            p95 = percentile(times, 0.95)
            baseline = percentile(quiet.times.get(page, []), 0.95)
            print(
                f"  {page:<12}{baseline:>10.2f}{len(times):>10}{percentile(times, 0.5):>8.2f}"
                f"{p95:>8.2f}{max(times, default=0):>8.2f}{p95 / max(baseline, 0.001):>9.1f}"
                f"   {'ok' if p95 < TARGET_P95 else 'MISSED'}"
            )
            ok = ok and p95 < TARGET_P95 and len(times) > 0
        for error in (quiet.errors + busy.errors)[:10]:
            print(f"  error: {error}")
        before, after, done = results.import_before, results.import_after, results.import_done
        print(
            f"  import: {before.get('cursor', 0):,} entries stored when browsing began, "
            f"{after.get('cursor', 0):,} when it ended; status at the end {done.get('status')}"
            f" ({done.get('cursor', 0):,} of {done.get('entries_read', 0):,})"
        )
        if done.get("finished_at"):
            seconds = (
                datetime.fromisoformat(done["finished_at"])
                - datetime.fromisoformat(done["received_at"])
            ).total_seconds()
            print(
                f"  import took {seconds:.1f} s from upload to done "
                f"({done['entries_new'] / max(seconds, 0.001):,.0f} entries/s under load)"
            )
        if after.get("finished_at"):
            print("  note: the import finished before the browsing ended")
        errors = len(quiet.errors) + len(busy.errors)
        ok = ok and not errors
        print(f"  errors: {errors}   target 0   {'ok' if not errors else 'MISSED'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    parser.add_argument("--seconds", type=float, default=env_number("LOAD_SECONDS", 60.0, float))
    parser.add_argument("--users", type=int, default=env_number("LOAD_USERS", 20))
    parser.add_argument("--entries", type=int, default=env_number("LOAD_ENTRIES", 100_000))
    parser.add_argument("--participants", type=int, default=env_number("LOAD_PARTICIPANTS", 2000))
    parser.add_argument("--think", type=float, default=env_number("LOAD_THINK_SECONDS", 3.0, float))
    parser.add_argument("--workers", type=int, default=env_number("LOAD_WORKERS", 4))
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "LOAD_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bench_load"
        ),
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        import django

        django.setup()
        from bench.support import load

        load.main(args.child)
        return
    settings = Settings(
        args.seconds,
        args.users,
        args.entries,
        args.participants,
        args.think,
        args.workers,
        args.postgres_url,
    )
    all_results, failures = [], []
    for database in args.databases:
        try:
            all_results.append(run_one(database, settings))
        except SystemExit as failure:
            failures.append(f"[{database}] not measured: {failure}")
    ok = report(all_results, settings)
    for failure in failures:
        print(failure)
    if failures or not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
