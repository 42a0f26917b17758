#!/usr/bin/env python3
"""Pins the facts Keystep needs from the AWS `cognito-idp` service model.

Reads botocore's service-2.json (the botocore of tests/python/requirements.lock, installed in
.venv by scripts/test) and writes spec/model/cognito-idp.json: every operation with whether it
is signed, its input members (type, required, enum values, bounds, whether sensitive), its output members and its
modelled errors; no documentation text. docs/compatibility.md is generated from this file by
`KEYSTEP_BLESS=1 cargo test -p keystep-server --test compatibility`.

Usage: .venv/bin/python scripts/model-facts.py
"""

import gzip
import json
import pathlib

import botocore

ROOT = pathlib.Path(__file__).resolve().parent.parent
MODEL = pathlib.Path(botocore.__file__).parent / "data" / "cognito-idp" / "2016-04-18" / "service-2.json.gz"


def member_facts(shapes, shape_name):
    shape = shapes[shape_name]
    facts = {"type": shape["type"]}
    for key in ("enum", "min", "max", "pattern"):
        if key in shape:
            facts[key] = shape[key]
    if shape.get("sensitive"):
        facts["sensitive"] = True
    if shape["type"] == "list":
        facts["member"] = shape["member"]["shape"]
    if shape["type"] == "map":
        facts["key"] = shape["key"]["shape"]
        facts["value"] = shape["value"]["shape"]
    return facts


def structure(shapes, shape_name):
    shape = shapes[shape_name]
    required = set(shape.get("required", []))
    return {
        name: dict(member_facts(shapes, ref["shape"]), shape=ref["shape"], required=name in required)
        for name, ref in sorted(shape.get("members", {}).items())
    }


def main():
    model = json.load(gzip.open(MODEL))
    shapes = model["shapes"]
    operations = {}
    for name, op in sorted(model["operations"].items()):
        operations[name] = {
            "signed": op.get("authtype") != "none",
            "input": structure(shapes, op["input"]["shape"]) if "input" in op else {},
            "output": sorted(structure(shapes, op["output"]["shape"])) if "output" in op else [],
            "errors": sorted(e["shape"] for e in op.get("errors", [])),
        }
    facts = {
        "source": f"botocore {botocore.__version__} cognito-idp {model['metadata']['apiVersion']}",
        "targetPrefix": model["metadata"]["targetPrefix"],
        "operations": operations,
    }
    out = ROOT / "spec" / "model" / "cognito-idp.json"
    out.write_text(json.dumps(facts, indent=1, sort_keys=True) + "\n")
    print(f"{out}: {len(operations)} operations from {facts['source']}")


if __name__ == "__main__":
    main()
