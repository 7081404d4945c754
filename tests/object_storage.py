"""A local S3-compatible server for the tests (moto in server mode, over HTTP on loopback), and a fixture
that switches the application's default storage to a fresh private bucket on it."""

from __future__ import annotations

import socket
import uuid

import pytest

S3_KEY, S3_SECRET, S3_REGION = "test-access-key", "test-secret-key", "eu-west-3"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class S3Server:
    def __init__(self, endpoint: str):
        self.endpoint = endpoint

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=S3_KEY,
            aws_secret_access_key=S3_SECRET,
            region_name=S3_REGION,
        )

    def new_bucket(self) -> str:
        name = f"crmr-test-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": S3_REGION})
        return name

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        return sorted(obj["Key"] for page in pages for obj in page.get("Contents", []))

    def env(self, bucket: str) -> dict[str, str]:
        """The production variables that point the application at ``bucket`` (config/settings/base.py)."""
        return {
            "S3_BUCKET": bucket,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_ACCESS_KEY_ID": S3_KEY,
            "S3_SECRET_ACCESS_KEY": S3_SECRET,
            "S3_REGION": S3_REGION,
        }


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 API served over HTTP on a free loopback port for the whole session."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield S3Server(f"http://127.0.0.1:{port}")
    server.stop()


@pytest.fixture
def s3_bucket(s3_server, settings):
    """The default storage is S3Storage on a fresh bucket, configured as the production settings do."""
    bucket = s3_server.new_bucket()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": s3_server.endpoint,
                "access_key": S3_KEY,
                "secret_key": S3_SECRET,
                "region_name": S3_REGION,
                "addressing_style": "path",
                "querystring_expire": settings.S3_URL_EXPIRY,
                **settings.S3_STORAGE_OPTIONS,
            },
        },
    }
    return bucket
