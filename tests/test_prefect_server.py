"""Local runs of the Prefect flow wait long enough for Prefect's temporary server to start on a busy machine."""

import os
import subprocess
import sys
import types
from pathlib import Path

import httpx
import prefect.context
import pytest
from prefect.server.api import server as prefect_server
from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS

from flows import release

REPO = Path(__file__).resolve().parents[1]
SETTING = release.STARTUP_TIMEOUT_SETTING
PRIOR_DEFAULT = 20  # Prefect's own default, which a busy machine exceeds


@pytest.fixture
def fresh_settings(monkeypatch):
    """Prefect settings rebuilt from the environment; the test's changes are undone afterwards."""
    monkeypatch.setattr(prefect.context, "GLOBAL_SETTINGS_CONTEXT", prefect.context.GLOBAL_SETTINGS_CONTEXT)

    def rebuild(**env: str | None) -> None:
        for key, value in env.items():
            if value is None:
                monkeypatch.delenv(key, raising=False)
            else:
                monkeypatch.setenv(key, value)
        prefect.context.refresh_global_settings_context()

    return rebuild


class SlowServer:
    """Prefect's start-up wait loop against a server that answers its health check only after ``seconds``.

    Prefect counts the wait in steps of its 0.1 s sleep; the sleep is skipped and the
    steps counted, so the test takes no wall time however slow the simulated start.
    """

    def __init__(self, monkeypatch, seconds: float):
        self.ready_after = round(seconds / 0.1)
        self.sleeps = 0
        self.started = 0
        process = types.SimpleNamespace(poll=lambda: None, returncode=None, stdout=None, stderr=None, terminate=lambda: None,
                                        wait=lambda timeout=None: 0, kill=lambda: None)

        def run_uvicorn(_self):
            self.started += 1
            return process

        def sleep(_seconds):
            self.sleeps += 1

        slow = self

        class Client:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def get(self, url):
                if slow.sleeps < slow.ready_after:
                    raise httpx.ConnectError("not listening yet")
                return httpx.Response(200, request=httpx.Request("GET", url))

        monkeypatch.setattr(prefect_server.SubprocessASGIServer, "_instances", {})
        monkeypatch.setattr(prefect_server.SubprocessASGIServer, "_run_uvicorn_command", run_uvicorn)
        monkeypatch.setattr(prefect_server.SubprocessASGIServer, "stop", lambda _self: None)
        monkeypatch.setattr(prefect_server, "time", types.SimpleNamespace(sleep=sleep))
        monkeypatch.setattr(prefect_server, "httpx", types.SimpleNamespace(Client=Client, ConnectError=httpx.ConnectError))

    def start(self) -> float:
        """Start a (fresh) temporary server as Prefect's client does; return the simulated seconds waited."""
        # One instance per port, so forget the last one; no socket is bound (no uvicorn runs).
        prefect_server.SubprocessASGIServer._instances.clear()
        self.sleeps = 0
        prefect_server.SubprocessASGIServer(port=8765).start()
        return self.sleeps * 0.1


def test_a_slow_server_start_succeeds_with_the_flow_default(monkeypatch, fresh_settings):
    fresh_settings(**{SETTING: None})
    assert PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value() == PRIOR_DEFAULT

    slow = SlowServer(monkeypatch, seconds=45)
    # Prefect's own default gives up first: the failure seen on a busy machine.
    with pytest.raises(RuntimeError, match="Timed out while attempting to connect to ephemeral Prefect API server"):
        slow.start()

    assert release.ensure_startup_timeout() == release.DEFAULT_STARTUP_TIMEOUT
    assert os.environ[SETTING] == str(release.DEFAULT_STARTUP_TIMEOUT)
    assert PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value() == release.DEFAULT_STARTUP_TIMEOUT
    waited = slow.start()
    assert 45 <= waited < release.DEFAULT_STARTUP_TIMEOUT and slow.started == 2


def test_the_users_timeout_wins(monkeypatch, fresh_settings):
    fresh_settings(**{SETTING: "30"})
    assert release.ensure_startup_timeout() == 30
    assert PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value() == 30
    slow = SlowServer(monkeypatch, seconds=45)
    with pytest.raises(RuntimeError, match="Timed out"):
        slow.start()
    assert round(slow.sleeps * 0.1) == 30


def _setting_after_import(env: dict[str, str]) -> str:
    """The timeout Prefect uses in a fresh process that imported the flow module."""
    code = (
        "import flows.release\n"
        "from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS as S\n"
        "print(S.value())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.integration
def test_importing_the_flow_sets_the_timeout_unless_the_profile_does(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in (SETTING, "PREFECT_API_URL")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    env["PYTHONPATH"] = str(REPO)
    assert _setting_after_import(env) == str(release.DEFAULT_STARTUP_TIMEOUT)
    # A value in the user's Prefect profile is the user's choice too.
    (tmp_path / "prefect-home").mkdir(exist_ok=True)
    (tmp_path / "prefect-home" / "profiles.toml").write_text(
        f'active = "local"\n\n[profiles.local]\nPREFECT_SERVER_ALLOW_EPHEMERAL_MODE = "true"\n{SETTING} = "45"\n', encoding="utf-8"
    )
    assert _setting_after_import(env) == "45"
