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
