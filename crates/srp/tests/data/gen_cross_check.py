"""Regenerates cross-check.json from the independent Python reference.

Run from this directory:  PYTHONPATH=/work/shared/spec python3 gen_cross_check.py > cross-check.json
Seeded, so the output is stable. Byte values are written as raw big-endian hex *with*
any leading zero bytes, to exercise the "leading zeros do not matter" rule.
"""
import base64, datetime, json, random
from cognito_srp_ref import N, g, pad, compute_x, compute_u, hkdf16, make_verifier, server_B, server_S, client_S, signature, secret_hash, timestamp

rng = random.Random(20261128)

def rbytes(n, lead_zero=False, top_bit=None):
    b = bytearray(rng.getrandbits(8) for _ in range(n))
    if top_bit is True: b[0] |= 0x80
    if top_bit is False: b[0] &= 0x7f
    if lead_zero: b[0] = 0
    return bytes(b)

names = [("XaMpLe123", "alice", "Correct-Horse-9!"),
         ("AbCdEf", "6f1c2a3e-1111-4a4a-9b9b-0123456789ab", "pässwörd-ü-✓"),
         ("-F2zOAzAd", "us-east-1_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", base64.b64encode(b"x" * 40).decode()),
         ("", "", ""),
         ("Pool_9", "bob:colon", "pw:with:colons")]
cases = []
for i in range(12):
    pool, user, pw = names[i % len(names)]
    salt = rbytes(16, lead_zero=(i % 4 == 1), top_bit=(i % 3 == 0))
    if i == 5: salt = b"\x00\x00\x01"
    a = rbytes(128 if i % 2 else 32, lead_zero=(i % 5 == 2))
    b = rbytes(32, lead_zero=(i % 6 == 3))
    si, ai, bi = (int.from_bytes(x, 'big') for x in (salt, a, b))
    v = make_verifier(si, pool, user, pw)
    A = pow(g, ai, N)
    B = server_B(bi, v)
    S, u = server_S(A, B, bi, v)
    S2, _ = client_S(ai, A, B, si, pool, user, pw)
    assert S == S2
    K = hkdf16(S, u)
    block = rbytes(rng.randrange(0, 200))
    ts = timestamp(datetime.datetime.fromtimestamp(rng.randrange(0, 4_102_444_800), datetime.timezone.utc))
    cases.append({
        "pool_name": pool, "user_id_for_srp": user, "password": pw,
        "salt": salt.hex(), "a": a.hex(), "b": b.hex(),
        "x": format(compute_x(si, pool, user, pw), 'x'), "v": format(v, 'x'),
        "A": format(A, 'x'), "B": format(B, 'x'), "u": format(u, 'x'), "S": format(S, 'x'),
        "K": K.hex(), "secret_block": block.hex(), "timestamp": ts,
        "signature": signature(K, pool, user, base64.b64encode(block).decode(), ts),
    })

timestamps = []
for t in [0, 951782400, 951868800, 1709164800, 1772521509, 1795615200, 4102444799] + [rng.randrange(0, 253402300799) for _ in range(40)]:
    timestamps.append({"epoch": t, "text": timestamp(datetime.datetime.fromtimestamp(t, datetime.timezone.utc))})

hashes = []
for secret_len in [0, 1, 26, 52, 64, 65, 100]:
    secret = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(secret_len))
    for user in ["alice", "Ünïcode@example.com", ""]:
        cid = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(26))
        hashes.append({"client_secret": secret, "username": user, "client_id": cid, "secret_hash": secret_hash(secret, user, cid)})

pads = [{"n": format(n, 'x'), "pad": pad(n).hex()} for n in [0, 1, 20, 127, 128, 200, 236, 255, 256, 0x7fff, 0x8000, 2**255, 2**256 - 1]]

print(json.dumps({"srp": cases, "timestamps": timestamps, "secret_hashes": hashes, "pads": pads}, indent=1, ensure_ascii=False))
