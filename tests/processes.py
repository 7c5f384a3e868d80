"""Real processes for the tests that need them: gunicorn serving the app, and an SMTP server on 127.0.0.1.

Every wait has a deadline; a server is started in a process group of its own, so that stopping it
(or killing it with SIGKILL, as a crash would) ends the master and its workers together.
"""
import os
import re
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import requests
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_env(database_url: str, **settings: str) -> dict[str, str]:
    """The environment for the app in another process (gunicorn, the flask command) on this database."""
    env = dict(os.environ, DATABASE_URL=database_url, PYTHONPATH=str(ROOT), **settings)
    env.pop("STITCHWORK_ENV", None)
    return env


class Gunicorn:
    """`gunicorn workshop:create_app()` on 127.0.0.1:port; its output goes to `log`."""

    def __init__(self, env: dict[str, str], log: Path, port: int | None = None, workers: int = 1):
        self.env, self.log, self.workers = env, log, workers
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, ready_seconds: float = 60) -> "Gunicorn":
        """Start it and wait until /readyz says 200."""
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                [str(VENV_BIN / "gunicorn"), "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}",
                 "--graceful-timeout", "5", "workshop:create_app()"],
                cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=output, stderr=output,
                start_new_session=True)
        self._wait_until_ready(ready_seconds)
        return self

    def _wait_until_ready(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn on port {self.port} stopped:\n{self.log_tail()}")
            try:
                if requests.get(f"{self.url}/readyz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn on port {self.port} was not ready in {seconds} s:\n{self.log_tail()}")

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL the master and every worker at once, as a power cut would."""
        self._signal_group(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        """End it (SIGTERM, then SIGKILL after a grace period); nothing happens if it is not running."""
        if self.process is None or self.process.poll() is not None:
            self._signal_group(signal.SIGKILL)  # workers a killed master left behind
            return
        self._signal_group(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self.process.wait(timeout=30)

    def _signal_group(self, signal_number: int) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal_number)  # its own group: start_new_session above
        except ProcessLookupError:
            pass


@contextmanager
def gunicorn_servers(count: int, env: dict[str, str], log_folder: Path, workers: int = 1):
    """`count` started servers; they are stopped when the block ends, whatever happened."""
    servers = [Gunicorn(env, log_folder / f"gunicorn-{number}.log", workers=workers) for number in range(count)]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def log_in(session: requests.Session, base: str, email: str, password: str) -> requests.Response:
    """Log in through the real login form."""
    token = csrf_token(session.get(f"{base}/login", timeout=30).text)
    return session.post(f"{base}/login", data={"csrf_token": token, "email": email, "password": password},
                        allow_redirects=False, timeout=30)


# --- A local SMTP server ------------------------------------------------------------------------


class Inbox:
    """An aiosmtpd handler that keeps each message it is given, and who logged in."""

    def __init__(self):
        self.envelopes = []
        self.logins: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=True)

    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(envelope.content, policy=policy.default) for envelope in self.envelopes]


@contextmanager
def smtp_server(inbox: Inbox | None = None):
    """A real SMTP server on 127.0.0.1 (aiosmtpd): its .inbox (an Inbox, or the one given) holds what it received."""
    inbox = inbox or Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=inbox.authenticate,
                            auth_require_tls=False)
    controller.start()
    controller.inbox = inbox
    try:
        yield controller
    finally:
        controller.stop()
