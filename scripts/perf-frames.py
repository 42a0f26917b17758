#!/usr/bin/env python3
"""Folds `perf script` output into stacks and prints where the samples are.

    perf record -e cpu-clock -F 1999 -g -p <pid> -- sleep 8
    perf script | scripts/perf-frames.py [--folded out.folded] [--top 15]
    scripts/perf-frames.py --from-folded out.folded      # the same tables again

Prints the top frames by self time and by inclusive time, as a Markdown table, with
frames grouped into a few buckets (kernel, SQLite, sqlx, crypto, serde, allocator, tokio,
hyper/axum, keystep) so that runs can be compared. `--folded` writes the stacks in the
folded format flame-graph tools read (`flamegraph.pl`, `inferno-flamegraph`).
"""
import argparse
import collections
import re
import sys

BUCKETS = [
    ("kernel", re.compile(r"^\[k\]|^(entry_SYSCALL|__x64_sys|do_syscall|futex|schedule|__schedule|try_to_wake|ep_poll|tcp_|ip_|sock_|__sys_|syscall_exit)")),
    ("sqlite", re.compile(r"^sqlite3|^(pager|btree|vdbe|wal|unixRead|unixWrite)", re.I)),
    ("sqlx", re.compile(r"sqlx")),
    ("crypto", re.compile(r"aws_lc|bn_|BN_|RSA|rsa_|sha256|SHA256|sha512|hmac|HMAC|keystep_srp|num_bigint|mont|mulx|sqrx|conditional_assign|ecp_|EC_|pbkdf|argon2|scrypt")),
    ("serde/json", re.compile(r"serde|json")),
    ("allocator", re.compile(r"malloc|free|realloc|_int_|calloc|memcpy|memmove|memset|alloc::")),
    ("tokio", re.compile(r"tokio|mio|parking_lot|crossbeam|flume|futures_")),
    ("hyper/axum/tower", re.compile(r"hyper|axum|tower|h2::|http::")),
    ("tracing", re.compile(r"tracing")),
    ("keystep", re.compile(r"keystep")),
]


def bucket(frame):
    for name, pattern in BUCKETS:
        if pattern.search(frame):
            return name
    return "other"


def clean(sym):
    sym = re.sub(r"\+0x[0-9a-f]+$", "", sym)
    sym = re.sub(r"::h[0-9a-f]{16}$", "", sym)
    return sym


def stacks(lines):
    stack = []
    kernel = False
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if stack:
                yield list(reversed(stack))
            stack = []
            continue
        if not line.startswith((" ", "\t")):
            continue  # the sample header
        parts = line.strip().split(None, 1)
        if len(parts) < 2:
            continue
        sym, dso = parts[1].rsplit(" (", 1) if " (" in parts[1] else (parts[1], "")
        sym = clean(sym)
        if "kernel" in dso or dso.startswith("[kernel"):
            sym = "[k] " + sym
        stack.append(sym)
    if stack:
        yield list(reversed(stack))


def samples(folded_path):
    """(stack, count) pairs from `perf script` on stdin, or from a folded file."""
    if not folded_path:
        for st in stacks(sys.stdin):
            yield st, 1
        return
    with open(folded_path) as f:
        for line in f:
            stack, _, n = line.rstrip("\n").rpartition(" ")
            if stack:
                yield stack.split(";"), int(n)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--folded")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--from-folded", help="read folded stacks instead of perf script output")
    args = ap.parse_args()
    folded = collections.Counter()
    self_count = collections.Counter()
    incl = collections.Counter()
    buckets = collections.Counter()
    syscalls = collections.Counter()
    total = 0
    for st, n in samples(args.from_folded):
        total += n
        folded[";".join(st)] += n
        leaf = st[-1]
        self_count[leaf] += n
        buckets[bucket(leaf)] += n
        for f in set(st):
            incl[f] += n
        if leaf.startswith("[k]"):
            user = [f for f in st if not f.startswith("[k]")]
            syscalls[user[-1][:60] if user else "(interrupt)"] += n
    if args.folded:
        with open(args.folded, "w") as out:
            for k, v in folded.items():
                out.write(f"{k} {v}\n")
    if not total:
        print("no samples")
        return
    print(f"{total} samples\n")
    print("| bucket (leaf frame) | share |\n|---|---:|")
    for name, n in buckets.most_common():
        print(f"| {name} | {100 * n / total:.1f}% |")
    print(f"\n| top self frames | share |\n|---|---:|")
    for f, n in self_count.most_common(args.top):
        print(f"| `{f[:90]}` | {100 * n / total:.1f}% |")
    print(f"\n| kernel time by the call that entered it | share |\n|---|---:|")
    for call, n in syscalls.most_common(8):
        print(f"| `{call}` | {100 * n / total:.1f}% |")
    print(f"\n| top inclusive keystep frames | share |\n|---|---:|")
    shown = 0
    for f, n in incl.most_common():
        if "keystep" in f and shown < args.top:
            print(f"| `{f[:90]}` | {100 * n / total:.1f}% |")
            shown += 1


if __name__ == "__main__":
    main()
