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
