"""docker-compose.yml: an S3-compatible service (MinIO) holds the documents, the application containers
share no disk, and the worker can be scaled (`docker compose up --scale worker=3`)."""

from pathlib import Path

import yaml

COMPOSE = yaml.safe_load((Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_a_minio_service_and_a_private_bucket_are_declared():
    assert SERVICES["minio"]["image"].startswith("minio/minio")
    assert "miniodata:/data" in SERVICES["minio"]["volumes"]
    script = " ".join(SERVICES["bucket"]["entrypoint"])
    assert "mc mb --ignore-existing" in script and "mc anonymous set none" in script


def test_the_application_containers_use_the_bucket_and_share_no_disk():
    for name in ("web", "worker", "beat"):
        service = SERVICES[name]
        env = service["environment"]
        assert env["S3_BUCKET"] and env["S3_ENDPOINT_URL"].endswith("minio:9000}")
        assert "volumes" not in service, f"{name} mounts a volume: a second host could not see it"
        assert service["depends_on"]["bucket"]["condition"] == "service_completed_successfully"


def test_the_worker_can_be_scaled():
    worker = SERVICES["worker"]
    assert "container_name" not in worker and "ports" not in worker
    assert "$$HOSTNAME" in " ".join(worker["healthcheck"]["test"])  # each replica pings itself
