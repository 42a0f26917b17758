"""Test certificates for the HTTPS tests: two independent CAs, each with a certificate for
127.0.0.1 and localhost.

Usage: make_certs.py OUT_DIR   ->  OUT_DIR/{a,b}-ca.pem, {a,b}-cert.pem (chain), {a,b}-key.pem
"""

import sys
from pathlib import Path

import trustme


def main() -> int:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name in ("a", "b"):
        ca = trustme.CA(organization_name=f"Keystep test CA {name}")
        cert = ca.issue_cert("127.0.0.1", "localhost")
        ca.cert_pem.write_to_path(str(out / f"{name}-ca.pem"))
        cert.private_key_pem.write_to_path(str(out / f"{name}-key.pem"))
        with open(out / f"{name}-cert.pem", "wb") as chain:
            for blob in cert.cert_chain_pems:
                chain.write(blob.bytes())
    return 0


if __name__ == "__main__":
    sys.exit(main())
