"""A local AWS emulator for the tests: moto's server, on 127.0.0.1 only, in its own process.

Nothing here reaches beyond this machine: every AWS endpoint points at the emulator, the instance
metadata service is switched off (its address is not local), and the user's own AWS config and
credentials files are never read.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

REGION = "us-east-1"
REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class MotoServer:
    """``python -m moto.server`` on a free port of 127.0.0.1, stopped with :meth:`stop`."""

    def __init__(self, scratch: Path, patched: bool = False) -> None:
        """``patched``: run moto_patched.py's fixes for the deploy tests' emulator gaps."""
        self._session: Any = None
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.scratch = scratch
        self.log = open(scratch / "moto.log", "wb")  # noqa: SIM115 - closed in stop()
        module = "tests.deploy.moto_patched" if patched else "moto.server"
        self.process = subprocess.Popen(
            [sys.executable, "-m", module, "-H", "127.0.0.1", "-p", str(self.port)],
            cwd=REPO,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/moto-api/", timeout=1).close()
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(
                        "moto server did not start: " + (scratch / "moto.log").read_text()
                    ) from None
                time.sleep(0.1)

    def reset(self) -> None:
        """Forget every resource (a fresh backend)."""
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        urllib.request.urlopen(request, timeout=10).close()

    def env(self) -> dict[str, str]:
        """Environment for boto3 and the aws CLI: the emulator, dummy credentials, no IMDS."""
        return {
            "AWS_ENDPOINT_URL": self.url,
            "AWS_ENDPOINT_URL_S3": self.url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": str(self.scratch / "no-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(self.scratch / "no-credentials"),
        }

    def client(self, service: str) -> Any:
        """A boto3 client of ``service`` bound to the emulator, with its dummy credentials."""
        if self._session is None:  # one session: making one loads boto3's data again
            import boto3  # the test extras' (imported here: the CLI tests need no boto3)

            env = self.env()
            self._session = boto3.session.Session(
                aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
                region_name=env["AWS_REGION"],
            )
        return self._session.client(service, endpoint_url=self.url)

    def __enter__(self) -> MotoServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
