"""A real IMAP server for the e-mail intake's tests: Debian's dovecot, started as a process of its own on a
free port with a temporary configuration (maildir in a temporary folder, one passwd-file user with a plain
password, no TLS, no system sockets). Messages are delivered by IMAP APPEND, as any client would."""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from datetime import datetime
from pathlib import Path

from tests.servers import free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "office", "mail-pass-1"


def available() -> bool:
    return os.path.exists(DOVECOT)


def _accounts() -> tuple[str, str, str, int, int]:
    """(internal user, its group, login user, mail uid, mail gid). Unprivileged: everything is the
    current user. As root (CI containers), dovecot refuses to run its login process as root: the
    package's own dovecot and dovenull users."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid())
        group = grp.getgrgid(os.getegid()).gr_name
        return me.pw_name, group, me.pw_name, me.pw_uid, me.pw_gid
    internal = pwd.getpwnam("dovecot")
    return "dovecot", grp.getgrgid(internal.pw_gid).gr_name, "dovenull", internal.pw_uid, internal.pw_gid


class Dovecot:
    def __init__(self) -> None:
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="dovecot-"))
        self.proc: subprocess.Popen[bytes] | None = None
        internal, group, login, uid, gid = _accounts()
        for sub in ("mail", "home", "run", "state"):
            (self.root / sub).mkdir()
        if os.geteuid() == 0:
            self.root.chmod(0o755)
            for sub in ("mail", "home"):
                os.chown(self.root / sub, uid, gid)
        (self.root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        (self.root / "passwd").chmod(0o644)
        self.conf = self.root / "dovecot.conf"
        self.conf.write_text(f"""
base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.root}/dovecot.log
instance_name = test-{self.port}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
last_valid_uid = 0
mail_location = maildir:{self.root}/mail/%u
default_internal_user = {internal}
default_internal_group = {group}
default_login_user = {login}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={self.root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0600
  }}
  unix_listener stats-writer {{
    mode = 0600
  }}
}}
""")

    @property
    def url(self) -> str:
        return f"imap://{USER}:{PASSWORD}@127.0.0.1:{self.port}/INBOX"

    def start(self, timeout: float = 15) -> Dovecot:
        self.proc = subprocess.Popen([DOVECOT, "-F", "-c", str(self.conf)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"dovecot exited: {self.log()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    if s.recv(64).startswith(b"* OK"):
                        return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"dovecot did not start within {timeout:g} s: {self.log()[-2000:]}")

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
        self.proc = None
        # Its children (imap, auth, log) end with the master; wait until the port is free again.
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    time.sleep(0.1)
            except OSError:
                return

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        try:
            return (self.root / "dovecot.log").read_text(errors="replace")
        except OSError:
            return ""

    def append(self, raw: bytes, folder: str = "INBOX", arrived: datetime | None = None) -> None:
        """Deliver one message (IMAP APPEND; ``arrived``: its internal date, default now)."""
        imap = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        try:
            imap.login(USER, PASSWORD)
            status, data = imap.append(folder, "", imaplib.Time2Internaldate(arrived) if arrived else "", raw)
            assert status == "OK", data
        finally:
            imap.logout()

    def seen_flags(self) -> list[bytes]:
        """Each message's flags (the intake reads without marking anything)."""
        imap = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        try:
            imap.login(USER, PASSWORD)
            imap.select("INBOX", readonly=True)
            _, data = imap.fetch("1:*", "(FLAGS)")
            return [d for d in data if isinstance(d, bytes)]
        finally:
            imap.logout()
