"""Papers named by fsspec URLs: listed by the writer, opened by the parser processes
themselves (``ingest.remote``) — through fsspec's own ``file://`` file system, and through
a real S3 API (moto's server, started here) with the real ``s3fs``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_ingest_cluster import SAMPLES, exported

from ingest.batch import ingest_paths
from store.database import open_readonly

pytest.importorskip("fsspec", reason="fsspec not installed: pip install '.[remote]'")

ROOT = Path(__file__).resolve().parent.parent
PAPERS = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".docx", ".html", ".pdf", ".txt"))


def source_paths(db: Path) -> list[str]:
    engine = open_readonly(db)
    with engine.connect() as conn:
        found = [r[0] for r in conn.exec_driver_sql("SELECT source_path FROM documents")]
    engine.dispose()
    return sorted(found)


def test_a_file_url_folder_makes_the_database_its_path_makes(tmp_path: Path) -> None:
    url = SAMPLES.as_uri() + "/"
    remote = ingest_paths([url], tmp_path / "url.db", workers=2)
    assert remote.ok and len(remote.stored) == 5
    ingest_paths([SAMPLES], tmp_path / "path.db", workers=2)
    assert exported(tmp_path / "url.db") == exported(tmp_path / "path.db")
    # the sidecars beside the papers (expected/, make_samples.py) are left out as locally
    assert source_paths(tmp_path / "url.db") == [url + p.name for p in PAPERS]
    again = ingest_paths([url, SAMPLES], tmp_path / "url.db", workers=2)
    assert [o.status for o in again.outcomes] == ["duplicate"] * 10  # same bytes, however named


def test_an_unknown_protocol_is_one_line_and_the_batch_goes_on(tmp_path: Path) -> None:
    paper = SAMPLES / "osc-20090908-street-lighting-review.txt"
    result = ingest_paths(["nope://bucket/papers/", paper], tmp_path / "p.db", workers=1)
    why = "cannot read nope:// URLs: Protocol not known: nope"
    assert result.errors == [f"nope://bucket/papers/: {why}"]
    assert [o.status for o in result.outcomes] == ["error", "stored"]


def test_without_fsspec_a_url_is_one_line_saying_what_to_install(tmp_path: Path) -> None:
    # a separate interpreter in which ``import fsspec`` fails, as where it is not installed
    script = (
        "import sys; sys.modules['fsspec'] = None; from ingest.cli import main; "
        f"sys.argv = ['papertrail', 'ingest', 's3://bucket/papers/', '--db', "
        f"'{tmp_path / 'p.db'}', '--workers', '1']; main()"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)  # fmt: skip
    assert done.returncode == 1
    assert ("error: s3://bucket/papers/: reading s3:// URLs needs fsspec: "
            "pip install 'papertrail[remote]'") in done.stdout + done.stderr  # fmt: skip


# ---------------------------------------------------------------- a real S3 API


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server in a process of its own, on a free local port; its URL."""
    for module in ("moto.server", "s3fs", "boto3"):
        try:
            __import__(module)
        except ImportError as exc:
            pytest.skip(f"{module} not installed ({exc}): pip install 'moto[server]' s3fs")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.skip("moto's S3 server did not start")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)


def s3_environment(endpoint: str) -> dict[str, str]:
    """What a user sets for S3 (botocore reads it in every process that opens a URL)."""
    return {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL_S3": endpoint}  # fmt: skip


def upload_samples(endpoint: str, bucket: str) -> list[str]:
    import boto3

    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")  # fmt: skip
    s3.create_bucket(Bucket=bucket)
    for paper in PAPERS:
        s3.upload_file(str(paper), bucket, f"papers/2009/{paper.name}")
    s3.put_object(Bucket=bucket, Key="papers/.hidden/notes.txt", Body=b"not a paper")
    return [f"s3://{bucket}/papers/2009/{p.name}" for p in PAPERS]


@pytest.mark.parametrize("where", [["--workers", "2"], ["--cluster", "local:2"]])
def test_an_s3_prefix_is_ingested_read_by_the_parsers_and_resumed(
    s3_endpoint: str, tmp_path: Path, where: list[str]
) -> None:
    bucket = f"papers-{where[0].strip('-')}"
    urls = upload_samples(s3_endpoint, bucket)
    db = tmp_path / "s3.db"
    command = [sys.executable, "-m", "ingest", "ingest", f"s3://{bucket}/papers/",
               "--db", str(db), "--quiet", *where]  # fmt: skip
    env = s3_environment(s3_endpoint)
    first = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env,
                           timeout=300)  # fmt: skip
    assert first.returncode == 0, first.stdout + first.stderr
    assert source_paths(db) == urls
    ingest_paths([SAMPLES], tmp_path / "local.db", workers=2)
    assert exported(db) == exported(tmp_path / "local.db")
    again = subprocess.run([*command[:-3], "--verbose", *where], capture_output=True,
                           text=True, cwd=ROOT, env=env, timeout=300)  # fmt: skip
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.count(f"skipped: s3://{bucket}/") == 5  # resumed: none parsed again
