"""Test settings: Prefect and Great Expectations stay offline, quiet and out of the user's home."""

import os
import tempfile

# Before anything imports Prefect: a throwaway Prefect home (its database and
# settings), no telemetry.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="steppe-test-prefect-")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# A temporary local Prefect server may start slowly on a busy machine (flows/release.py sets the same).
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


# Nothing reaches the network at run time: every test runs with outbound
# connections refused, and a test during which anything tried one fails,
# naming the address. Loopback (Prefect's local API) and Unix sockets are allowed.
import ipaddress
import socket

import pytest

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_attempts: list[str] = []


def _is_local(address) -> bool:
    if not isinstance(address, tuple):
        return True  # AF_UNIX path
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False  # a host name: it would need DNS


def _guarded(real):
    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address):
            _attempts.append(repr(address))
            raise OSError(f"network access is disabled in steppe's tests (tried {address!r})")
        return real(self, address)

    return connect


socket.socket.connect = _guarded(_real_connect)
socket.socket.connect_ex = _guarded(_real_connect_ex)


@pytest.fixture(autouse=True)
def _no_network():
    before = len(_attempts)
    yield
    tried = _attempts[before:]
    assert not tried, f"the test tried to reach the network: {', '.join(tried)}"
