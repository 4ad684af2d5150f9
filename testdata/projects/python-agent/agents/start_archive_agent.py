"""Starts the archive host's agent as the CLI would: `python agents/start_archive_agent.py`."""
import os
import subprocess

# The agent's own environment: this script's, plus the archive key under its secret name.
env = {**os.environ, "PREFECT__CONTEXT__SECRETS__ARCHIVE_KEY": os.environ["ARCHIVE_KEY"]}
subprocess.run(["prefect", "agent", "local", "start", "--label", "archive", "--no-hostname-label"], env=env, check=True)
