"""The S3-compatible server the storage tests use is a real one: it stores and returns an object, and it checks
signatures (a wrong secret is refused, as a real store refuses it; moto and s3rver would let it through)."""
import secrets
from urllib.parse import urlsplit

import pytest
from botocore.exceptions import ClientError

from tests.s3_server import s3_client


def bucket_and_prefix(env: dict) -> tuple[str, str]:
    parts = urlsplit(env["STORAGE_URL"])
    assert parts.scheme == "s3"
    return parts.netloc, parts.path.strip("/")


def test_an_object_put_into_the_session_bucket_reads_back(s3_store_env):
    bucket, prefix = bucket_and_prefix(s3_store_env)
    assert bucket.startswith("portal-test-") and prefix
    assert urlsplit(s3_store_env["AWS_ENDPOINT_URL"]).hostname == "127.0.0.1"
    s3 = s3_client(s3_store_env)
    key, body = f"{prefix}/probe-{secrets.token_hex(4)}.bin", secrets.token_bytes(3000)
    s3.put_object(Bucket=bucket, Key=key, Body=body)
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == body
    s3.delete_object(Bucket=bucket, Key=key)


def test_a_wrong_secret_is_refused(s3_store_env):
    bucket, prefix = bucket_and_prefix(s3_store_env)
    forged = s3_client(s3_store_env, AWS_SECRET_ACCESS_KEY="not-" + s3_store_env["AWS_SECRET_ACCESS_KEY"])
    with pytest.raises(ClientError) as refused:
        forged.put_object(Bucket=bucket, Key=f"{prefix}/forged.txt", Body=b"x")
    assert refused.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    with pytest.raises(ClientError) as refused:
        forged.list_objects_v2(Bucket=bucket)
    assert refused.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
