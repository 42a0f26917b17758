"""A real SMTP server for the delivery tests.

aiosmtpd on 127.0.0.1: STARTTLS is required (a certificate for 127.0.0.1 from a throwaway
CA made with trustme), then AUTH with the given user and password. Every message it
accepts is decoded and written to OUT/<sequence>.json:

    {"mail_from", "rcpt_tos", "from", "to", "reply_to", "subject", "text", "html",
     "tls", "auth"}

Usage: smtp_sink.py --port PORT --out DIR --certs DIR [--user U --password P]

The CA (ca.pem) and the server's certificate are written to --certs on first start and
reused after, so a restarted sink presents the same certificate. "READY <port>" is
printed once the server listens; it runs until SIGTERM or SIGINT.
"""

import argparse
import email
import itertools
import json
import os
import signal
import ssl
import sys
import threading
import time
from email import policy
from pathlib import Path

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def certificates(folder: Path) -> ssl.SSLContext:
    chain, key, ca_file = folder / "server.pem", folder / "server.key", folder / "ca.pem"
    if not chain.exists():
        folder.mkdir(parents=True, exist_ok=True)
        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1", "localhost")
        ca.cert_pem.write_to_path(str(ca_file))
        cert.private_key_pem.write_to_path(str(key))
        with open(chain, "wb") as out:
            for blob in cert.cert_chain_pems:
                out.write(blob.bytes())
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(chain), str(key))
    return context


class Sink:
    def __init__(self, out: Path):
        self.out = out
        out.mkdir(parents=True, exist_ok=True)
        existing = [int(p.stem) for p in out.glob("*.json") if p.stem.isdigit()]
        self.sequence = itertools.count(max(existing, default=0) + 1)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        text = message.get_body(("plain",))
        html = message.get_body(("html",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": message["From"],
            "to": message["To"],
            "reply_to": message["Reply-To"],
            "subject": message["Subject"],
            "text": text.get_content() if text is not None else None,
            "html": html.get_content() if html is not None and html is not text else None,
            "tls": session.ssl is not None,
            "auth": bool(session.authenticated),
        }
        path = self.out / f"{next(self.sequence)}.json"
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(record))
        os.replace(temporary, path)
        return "250 Message accepted"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--certs", type=Path, required=True)
    parser.add_argument("--user", default="keystep")
    parser.add_argument("--password", default="sink-password")
    args = parser.parse_args()

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == args.user.encode()
            and auth_data.password == args.password.encode()
        )
        return AuthResult(success=ok, handled=False)

    controller = Controller(
        Sink(args.out),
        hostname="127.0.0.1",
        port=args.port,
        tls_context=certificates(args.certs),
        require_starttls=True,
        authenticator=authenticate,
        auth_require_tls=True,
        auth_required=True,
    )
    controller.start()
    print(f"READY {args.port}", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.is_set():
        time.sleep(0.1)
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
