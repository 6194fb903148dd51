"""The suite's network guard works: an outbound connection is refused and recorded."""

import socket

import conftest
import pytest


def test_an_outbound_connection_is_refused_and_recorded():
    before = len(conftest._attempts)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        with pytest.raises(OSError, match="network access is disabled"):
            s.connect(("192.0.2.1", 80))  # TEST-NET-1: never routed
    assert conftest._attempts[before:] == ["('192.0.2.1', 80)"]
    del conftest._attempts[before:]  # recorded on purpose; do not fail this test for it


def test_loopback_stays_allowed():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=5):
            pass
