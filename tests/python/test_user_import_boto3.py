"""User import through boto3: GetCSVHeader, a CSV file uploaded to the job's pre-signed URL
(served by Keystep itself, answered as S3 answers), StartUserImportJob, progress and
counts in DescribeUserImportJob, Cognito's CSV rules row by row, the state rules of
start/stop, listing newest first, expiry of the URL and of jobs never started, and an
imported user resetting the password and signing in.

The server's clock is stopped (KEYSTEP_CLOCK_URL); the import worker runs for real."""

import time
import urllib.error
import urllib.request

import pytest

from signin_helpers import (ALL_FLOWS, NEW_PASSWORD, app_client, expect_error, latest_code,
                            password_auth, tokens_of)
from support import unique

ROLE = "arn:aws:iam::123456789012:role/CognitoImportRole"
DEFAULT_HEADER = [
    "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
    "profile", "picture", "website", "email", "email_verified", "gender", "birthdate",
    "zoneinfo", "locale", "phone_number", "phone_number_verified", "address", "updated_at",
    "cognito:mfa_enabled", "cognito:username",
]


def import_pool(pools, **kwargs):
    kwargs.setdefault("AutoVerifiedAttributes", ["email"])
    return pools(**kwargs)


def csv_of(header, rows):
    """Rows as dicts (missing columns empty), with Cognito's `\\,` escape for commas."""
    lines = [",".join(header)]
    for row in rows:
        lines.append(",".join(str(row.get(c, "")).replace(",", "\\,") for c in header))
    return ("\n".join(lines) + "\n").encode()


def put(url, body, headers=None):
    req = urllib.request.Request(url, data=body, method="PUT")
    req.add_header("x-amz-server-side-encryption", "aws:kms")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def wait_done(idp, pool_id, job_id, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        job = idp.describe_user_import_job(UserPoolId=pool_id, JobId=job_id)["UserImportJob"]
        if job["Status"] in ("Succeeded", "Failed", "Stopped", "Expired"):
            return job
        time.sleep(0.1)
    pytest.fail(f"import job {job_id} did not end: {job}")


def run_import(idp, pool_id, body):
    job = idp.create_user_import_job(JobName="Customer import", UserPoolId=pool_id,
                                     CloudWatchLogsRoleArn=ROLE)["UserImportJob"]
    status, _ = put(job["PreSignedUrl"], body)
    assert status == 200
    started = idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"]
    assert started["Status"] in ("Pending", "InProgress", "Succeeded", "Failed")
    assert "StartDate" in started
    return wait_done(idp, pool_id, job["JobId"])


def test_the_header_is_cognitos_with_custom_attributes_before_the_cognito_columns(idp, pools):
    pool = import_pool(pools)
    assert idp.get_csv_header(UserPoolId=pool["Id"])["CSVHeader"] == DEFAULT_HEADER
    idp.add_custom_attributes(UserPoolId=pool["Id"], CustomAttributes=[
        {"Name": "team", "AttributeDataType": "String"}])
    header = idp.get_csv_header(UserPoolId=pool["Id"])
    assert header["UserPoolId"] == pool["Id"]
    assert header["CSVHeader"] == DEFAULT_HEADER[:-2] + ["custom:team"] + DEFAULT_HEADER[-2:]
    expect_error(idp.get_csv_header, "ResourceNotFoundException",
                 UserPoolId=pool["Id"].split("_")[0] + "_Nope12345")


def test_a_file_is_imported_row_by_row_with_cognitos_rules(ks, idp, pools):
    pool = import_pool(pools, Schema=[{"Name": "team", "AttributeDataType": "String"}])
    pid = pool["Id"]
    idp.admin_create_user(UserPoolId=pid, Username="existing", MessageAction="SUPPRESS")
    header = idp.get_csv_header(UserPoolId=pid)["CSVHeader"]
    rows = [
        {"cognito:username": "jane", "email": "jane@example.com", "email_verified": "true",
         "name": "Jane Doe", "custom:team": "red, blue"},
        {"cognito:username": "john", "email": "john@example.com", "email_verified": "TRUE",
         "given_name": "John", "phone_number": "+15555550100",
         "phone_number_verified": "false", "cognito:mfa_enabled": "false"},
        {"cognito:username": "ann", "email": "ann@example.com", "email_verified": "True"},
        # The username exists: skipped.
        {"cognito:username": "existing", "email": "e@example.com", "email_verified": "true"},
        # No auto-verified attribute is true: failed.
        {"cognito:username": "unverified", "email": "u@example.com", "email_verified": "false"},
        # Not a Boolean: failed.
        {"cognito:username": "badbool", "email": "b@example.com", "email_verified": "yes"},
        # A space in the username: failed.
        {"cognito:username": "two words", "email": "t@example.com", "email_verified": "true"},
        # MFA on in a pool whose MFA is off: failed.
        {"cognito:username": "mfa", "email": "m@example.com", "email_verified": "true",
         "cognito:mfa_enabled": "true"},
    ]
    body = csv_of(header, rows)
    # A row with a value too many, and a blank line, among them.
    body += b"extra," + b",".join([b""] * len(header)) + b"\n\n"
    job = run_import(idp, pid, body)
    # Keystep's rule (Cognito does not document its own): a job fails when more rows
    # failed or were skipped than were imported.
    assert job["Status"] == "Failed", job
    assert job["CompletionMessage"] == \
        "Too many users have failed or been skipped during the import."
    assert (job["ImportedUsers"], job["SkippedUsers"], job["FailedUsers"]) == (3, 1, 5)
    assert job["StartDate"] >= job["CreationDate"] and job["CompletionDate"] >= job["StartDate"]

    jane = idp.admin_get_user(UserPoolId=pid, Username="jane")
    assert jane["UserStatus"] == "RESET_REQUIRED"
    attrs = {a["Name"]: a["Value"] for a in jane["UserAttributes"]}
    assert attrs["custom:team"] == "red, blue"
    assert attrs["email_verified"] == "true" and attrs["name"] == "Jane Doe"
    assert "sub" in attrs
    john = {a["Name"]: a["Value"] for a in
            idp.admin_get_user(UserPoolId=pid, Username="john")["UserAttributes"]}
    assert john["email_verified"] == "true" and john["phone_number_verified"] == "false"
    for absent in ("unverified", "badbool", "mfa"):
        expect_error(idp.admin_get_user, "UserNotFoundException", UserPoolId=pid, Username=absent)

    # An imported user has no password: the sign-in says to reset it, and after the
    # reset the user signs in.
    client = app_client(idp, pid, flows=ALL_FLOWS)
    cid = client["ClientId"]
    expect_error(password_auth, "PasswordResetRequiredException", idp=idp, client_id=cid,
                 username="jane", password="Anything-1!")
    idp.forgot_password(ClientId=cid, Username="jane")
    code = latest_code(ks, pid, "jane")
    idp.confirm_forgot_password(ClientId=cid, Username="jane", ConfirmationCode=code,
                                Password=NEW_PASSWORD)
    assert idp.admin_get_user(UserPoolId=pid, Username="jane")["UserStatus"] == "CONFIRMED"
    assert tokens_of(password_auth(idp, cid, "jane", NEW_PASSWORD))

    # Mostly new users and one that exists now: the job succeeds.
    more = [{"cognito:username": f"new{i}", "email": f"new{i}@example.com",
             "email_verified": "true"} for i in range(3)]
    again = run_import(idp, pid, csv_of(header, more + rows[:1]))
    assert (again["ImportedUsers"], again["SkippedUsers"], again["FailedUsers"]) == (3, 1, 0)
    assert again["Status"] == "Succeeded", again
    assert again["CompletionMessage"] == "Import Job Completed Successfully."


def test_email_as_username_pools_take_the_email_in_the_username_column(idp, pools):
    pool = import_pool(pools, UsernameAttributes=["email"])
    pid = pool["Id"]
    header = idp.get_csv_header(UserPoolId=pid)["CSVHeader"]
    rows = [{"cognito:username": "mia@example.com", "email": "mia@example.com",
             "email_verified": "true"}]
    job = run_import(idp, pid, csv_of(header, rows))
    assert job["ImportedUsers"] == 1 and job["Status"] == "Succeeded", job
    users = idp.list_users(UserPoolId=pid, Filter='email = "mia@example.com"')["Users"]
    assert len(users) == 1 and users[0]["UserStatus"] == "RESET_REQUIRED"
    again = run_import(idp, pid, csv_of(header, rows))
    assert (again["ImportedUsers"], again["SkippedUsers"]) == (0, 1)


@pytest.mark.parametrize("mangle,message", [
    (lambda h, b: b.replace(b"custom:team,", b"", 1), "lacks the column custom:team"),
    (lambda h, b: b"\xef\xbb\xbf" + b, "without a byte order mark"),
    (lambda h, b: b.replace(b"name,", b"name,custom:nope,", 1), "does not have: custom:nope"),
    (lambda h, b: b"", "empty"),
])
def test_a_file_that_breaks_the_file_rules_fails_the_job(idp, pools, mangle, message):
    pool = import_pool(pools, Schema=[{"Name": "team", "AttributeDataType": "String"}])
    pid = pool["Id"]
    header = idp.get_csv_header(UserPoolId=pid)["CSVHeader"]
    body = csv_of(header, [{"cognito:username": "x", "email": "x@example.com",
                            "email_verified": "true"}])
    job = run_import(idp, pid, mangle(header, body))
    assert job["Status"] == "Failed", job
    assert message in job["CompletionMessage"]
    assert job["ImportedUsers"] == 0
    expect_error(idp.admin_get_user, "UserNotFoundException", UserPoolId=pid, Username="x")


def test_start_and_stop_follow_the_job_states(idp, pools):
    pid = import_pool(pools)["Id"]
    job = idp.create_user_import_job(JobName="first", UserPoolId=pid,
                                     CloudWatchLogsRoleArn=ROLE)["UserImportJob"]
    assert job["Status"] == "Created" and job["JobId"].startswith("import-")
    assert len(job["JobId"]) == len("import-") + 10
    assert (job["ImportedUsers"], job["SkippedUsers"], job["FailedUsers"]) == (0, 0, 0)
    assert "StartDate" not in job and "CompletionDate" not in job
    assert job["CloudWatchLogsRoleArn"] == ROLE
    jid = job["JobId"]
    expect_error(idp.start_user_import_job, "PreconditionNotMetException",
                 f"No csv file was uploaded for {jid}", UserPoolId=pid, JobId=jid)
    expect_error(idp.stop_user_import_job, "PreconditionNotMetException",
                 UserPoolId=pid, JobId=jid)
    # The URL is a bearer credential: altered, it is refused as S3 refuses it.
    status, body = put(job["PreSignedUrl"].replace("X-Amz-Signature=", "X-Amz-Signature=x"),
                       b"a")
    assert status == 403 and b"AccessDenied" in body
    status, _ = put(job["PreSignedUrl"].replace(jid, jid[:-1] + "Z"), b"a")
    assert status == 403
    header = idp.get_csv_header(UserPoolId=pid)["CSVHeader"]
    ok = csv_of(header, [{"cognito:username": "x", "email": "x@example.com",
                          "email_verified": "true"}])
    assert put(job["PreSignedUrl"], b"replaced below")[0] == 200
    assert put(job["PreSignedUrl"], ok)[0] == 200
    idp.start_user_import_job(UserPoolId=pid, JobId=jid)
    expect_error(idp.start_user_import_job, "PreconditionNotMetException",
                 UserPoolId=pid, JobId=jid)
    done = wait_done(idp, pid, jid)
    assert done["Status"] == "Succeeded" and done["ImportedUsers"] == 1
    assert put(job["PreSignedUrl"], ok)[0] == 403, "a started job takes no new file"
    expect_error(idp.stop_user_import_job, "PreconditionNotMetException",
                 UserPoolId=pid, JobId=jid)

    expect_error(idp.describe_user_import_job, "ResourceNotFoundException",
                 UserPoolId=pid, JobId="import-AAAAAAAAAA")
    expect_error(idp.describe_user_import_job, "InvalidParameterException",
                 UserPoolId=pid, JobId="export-1")
    expect_error(idp.create_user_import_job, "InvalidParameterException",
                 JobName="bad/name", UserPoolId=pid, CloudWatchLogsRoleArn=ROLE)
    expect_error(idp.create_user_import_job, "InvalidParameterException",
                 JobName="ok", UserPoolId=pid, CloudWatchLogsRoleArn="not-an-arn-at-all-really")
    other = import_pool(pools)["Id"]
    expect_error(idp.describe_user_import_job, "ResourceNotFoundException",
                 UserPoolId=other, JobId=jid)


def test_a_pool_without_auto_verified_attributes_cannot_start_an_import(idp, pools):
    pid = pools()["Id"]
    job = idp.create_user_import_job(JobName="j", UserPoolId=pid,
                                     CloudWatchLogsRoleArn=ROLE)["UserImportJob"]
    header = idp.get_csv_header(UserPoolId=pid)["CSVHeader"]
    assert put(job["PreSignedUrl"], csv_of(header, []))[0] == 200
    expect_error(idp.start_user_import_job, "PreconditionNotMetException",
                 "auto-verified", UserPoolId=pid, JobId=job["JobId"])


def test_jobs_are_listed_newest_first(ks, idp, pools):
    pid = import_pool(pools)["Id"]
    ids = []
    for i in range(5):
        ks.advance(1)  # the clock is stopped: one job per second
        ids.append(idp.create_user_import_job(JobName=f"job {i}", UserPoolId=pid,
                                              CloudWatchLogsRoleArn=ROLE)["UserImportJob"]["JobId"])
    seen, token = [], None
    while True:
        kwargs = {"PaginationToken": token} if token else {}
        page = idp.list_user_import_jobs(UserPoolId=pid, MaxResults=2, **kwargs)
        assert len(page["UserImportJobs"]) <= 2
        seen += [j["JobId"] for j in page["UserImportJobs"]]
        token = page.get("PaginationToken")
        if not token:
            break
    assert sorted(seen) == sorted(ids) and len(seen) == 5
    names = [j["JobName"] for j in
             idp.list_user_import_jobs(UserPoolId=pid, MaxResults=60)["UserImportJobs"]]
    assert names == [f"job {i}" for i in reversed(range(5))]
    expect_error(idp.list_user_import_jobs, "InvalidParameterException",
                 UserPoolId=pid, MaxResults=61)
    expect_error(idp.list_user_import_jobs, "InvalidParameterException",
                 UserPoolId=pid, MaxResults=2, PaginationToken="forged")


# Last: these move the server's clock.
def test_the_upload_url_lasts_15_minutes_and_an_unstarted_job_expires(ks, idp, pools):
    pid = import_pool(pools)["Id"]
    job = idp.create_user_import_job(JobName="late", UserPoolId=pid,
                                     CloudWatchLogsRoleArn=ROLE)["UserImportJob"]
    ks.advance(15 * 60)
    status, body = put(job["PreSignedUrl"], b"name\n")
    assert status == 403 and b"AccessDenied" in body
    ks.advance(24 * 3600)
    expired = idp.describe_user_import_job(UserPoolId=pid, JobId=job["JobId"])["UserImportJob"]
    assert expired["Status"] == "Expired"
    assert expired["CompletionMessage"] == "The user import job has expired."
    assert "StartDate" not in expired and "CompletionDate" in expired
    expect_error(idp.start_user_import_job, "PreconditionNotMetException",
                 UserPoolId=pid, JobId=job["JobId"])


@pytest.fixture(autouse=True)
def _unique_names():
    # Pools made here are named apart from other suites' (the fixture names them).
    return unique("import")
