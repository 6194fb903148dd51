"""prefect.yaml declares the nightly release deployment operators schedule."""

import importlib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def test_nightly_deployment_points_at_the_release_flow():
    spec = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    (deployment,) = spec["deployments"]
    assert deployment["name"] == "nightly"
    (schedule,) = deployment["schedules"]
    assert (schedule["cron"], schedule["timezone"]) == ("30 2 * * *", "UTC")
    module, attr = deployment["entrypoint"].split(":")
    flow = getattr(importlib.import_module(module.removesuffix(".py").replace("/", ".")), attr)
    assert flow.name == "steppe-release"
    # Every parameter the deployment passes is one the flow takes.
    import inspect

    assert set(deployment["parameters"]) <= set(inspect.signature(flow.fn).parameters)
    assert deployment["work_pool"]["name"] == "steppe-process"


def nightly() -> dict:
    (deployment,) = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))["deployments"]
    return deployment


def test_nightly_runs_never_overlap():
    deployment = nightly()
    assert deployment["concurrency_limit"] == 1
    # Read as `prefect deploy` reads prefect.yaml: an integer limit (Prefect's default collision strategy queues the run).
    from prefect.cli.deploy._models import DeploymentConfig

    assert DeploymentConfig.model_validate(deployment).concurrency_limit == 1


def operations_recipe() -> list[str]:
    """The shell lines of the README's operations recipe."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Operations: a nightly release on a Prefect server", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line.split("  #", 1)[0].strip() for line in block.splitlines() if line.strip()]


def test_the_operations_recipe_runs_offline_and_waits_for_the_server():
    lines = operations_recipe()
    exported = {
        name: value
        for line in lines if line.startswith("export ")
        for name, _, value in (word.partition("=") for word in line.split()[1:])
    }
    # Both switches: DO_NOT_TRACK alone leaves the server's telemetry on.
    assert exported["DO_NOT_TRACK"] == "1" and exported["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert exported["PREFECT_API_URL"] == "http://127.0.0.1:4200/api" and "STEPPE_HOME" in exported
    commands = [line for line in lines if not line.startswith("export ")]
    start = commands.index("uv run prefect server start --host 127.0.0.1 --background")
    assert commands[start + 1].startswith("uv run prefect server status --wait"), "check the server is up before using it"
    assert commands[-1] == "uv run prefect server stop"
    pool = nightly()["work_pool"]["name"]
    assert f"uv run prefect work-pool create {pool} --type process" in commands
    assert any(c.startswith(f"uv run prefect worker start --pool {pool}") for c in commands)
    assert any(c.startswith(f"uv run prefect deployment run 'steppe-release/{nightly()['name']}'") for c in commands)
