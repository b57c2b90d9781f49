"""A command run in the background while this process does something else.

``check`` runs its gates side by side: cfn-guard with AWS Control Tower's rules (about 4.5 s
on the shipped templates), checkov (about 4 s) and cfn-guard with our own rules run as
background commands while cfn-lint lints here. Their output goes to temporary files, not
pipes: a pipe that nobody reads until the lint is over would stop a command as soon as it
filled (64 KB), and cfn-guard's JSON report is larger than that.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Mapping, Sequence


class Background:
    """``command`` started now; :meth:`wait` gives what ``subprocess.run(..., text=True)``
    would have; :meth:`stop` ends it if nobody waits (a context manager does that too)."""

    def __init__(self, command: Sequence[str], env: Mapping[str, str] | None = None) -> None:
        self.command = list(command)
        # The files outlive this call: they are closed by wait() or stop(), or on leaving the
        # with-block this object is used in.
        self._out = tempfile.TemporaryFile()  # noqa: SIM115 (closed by wait() or stop())
        self._err = tempfile.TemporaryFile()  # noqa: SIM115 (closed by wait() or stop())
        try:
            self._process: subprocess.Popen[bytes] | None = subprocess.Popen(
                self.command, stdout=self._out, stderr=self._err, env=env
            )
        except BaseException:
            self._close()
            raise

    def wait(self) -> subprocess.CompletedProcess[str]:
        if self._process is None:
            raise RuntimeError(f"{self.command[0]} was stopped or waited for already")
        code, self._process = self._process.wait(), None
        self._out.seek(0)
        self._err.seek(0)
        out = self._out.read().decode("utf-8", errors="replace")
        err = self._err.read().decode("utf-8", errors="replace")
        self._close()
        return subprocess.CompletedProcess(self.command, code, out, err)

    def stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None
        self._close()

    def _close(self) -> None:
        self._out.close()
        self._err.close()

    def __enter__(self) -> Background:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
