#!/usr/bin/env python3
"""Measures a user import of N rows (default 100,000) against a running Keystep: makes a
pool, writes a CSV file in Cognito's format, uploads it to the job's pre-signed URL,
starts the job and polls DescribeUserImportJob until it ends, printing progress, the
time of each phase, and the rows per second.

    KEYSTEP_URL=http://127.0.0.1:9229 AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... \\
        .venv/bin/python scripts/import-measure.py [rows]

Needs boto3 (the test virtualenv has it). The pool is deleted at the end."""

import os
import sys
import time
import urllib.request

import boto3
import botocore.config


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    url = os.environ.get("KEYSTEP_URL", "http://127.0.0.1:9229")
    idp = boto3.client(
        "cognito-idp", endpoint_url=url, region_name=os.environ.get("AWS_REGION", "us-east-1"),
        config=botocore.config.Config(retries={"total_max_attempts": 1}))
    pool = idp.create_user_pool(
        PoolName=f"import-measure-{int(time.time())}", AutoVerifiedAttributes=["email"],
        Schema=[{"Name": "plan", "AttributeDataType": "String"}])["UserPool"]
    pid = pool["Id"]
    try:
        header = idp.get_csv_header(UserPoolId=pid)["CSVHeader"]
        col = {c: i for i, c in enumerate(header)}
        t0 = time.time()
        lines = [",".join(header)]
        for i in range(rows):
            values = [""] * len(header)
            values[col["cognito:username"]] = f"user{i:07d}"
            values[col["email"]] = f"user{i:07d}@example.com"
            values[col["email_verified"]] = "true"
            values[col["given_name"]] = f"Given{i}"
            values[col["custom:plan"]] = "gold\\, yearly" if i % 2 else "free"
            lines.append(",".join(values))
        body = ("\n".join(lines) + "\n").encode()
        t1 = time.time()
        job = idp.create_user_import_job(
            JobName="measure", UserPoolId=pid,
            CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/import")["UserImportJob"]
        req = urllib.request.Request(job["PreSignedUrl"], data=body, method="PUT",
                                     headers={"x-amz-server-side-encryption": "aws:kms"})
        with urllib.request.urlopen(req, timeout=300) as resp:
            assert resp.status == 200, resp.status
        t2 = time.time()
        idp.start_user_import_job(UserPoolId=pid, JobId=job["JobId"])
        t3 = time.time()
        last = None
        while True:
            j = idp.describe_user_import_job(UserPoolId=pid, JobId=job["JobId"])["UserImportJob"]
            done = j["ImportedUsers"] + j["SkippedUsers"] + j["FailedUsers"]
            if done != last:
                print(f"  {time.time() - t3:7.1f} s  {j['Status']:<10} {done:>7} rows", flush=True)
                last = done
            if j["Status"] in ("Succeeded", "Failed", "Stopped"):
                break
            time.sleep(1)
        t4 = time.time()
        print(f"rows: {rows}  file: {len(body) / 1e6:.1f} MB")
        print(f"write file {t1 - t0:.1f} s, upload {t2 - t1:.1f} s, import {t4 - t3:.1f} s "
              f"({rows / (t4 - t3):.0f} rows/s)")
        print(f"status {j['Status']}: imported {j['ImportedUsers']}, skipped "
              f"{j['SkippedUsers']}, failed {j['FailedUsers']} — {j.get('CompletionMessage')}")
        sample = idp.admin_get_user(UserPoolId=pid, Username=f"user{rows - 1:07d}")
        print(f"last user: {sample['UserStatus']}")
    finally:
        idp.delete_user_pool(UserPoolId=pid)


if __name__ == "__main__":
    main()
