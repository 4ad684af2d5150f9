"""Starts an agent on the reports host: `python agents/run_agents.py docker|local`."""
import os
import sys

from prefect.agent.docker import DockerAgent
from prefect.agent.local import LocalAgent


def docker_agent():
    agent = DockerAgent(
        labels=["reports"],
        env_vars={
            # Read from this process's environment when the agent starts.
            "PREFECT__CONTEXT__SECRETS__SMTP_PASSWORD": os.environ["SMTP_PASSWORD"],
            # A Python string, not a shell word: nothing expands it.
            "PREFECT__CONTEXT__SECRETS__REPORTS_API_TOKEN": "$REPORTS_API_TOKEN",
        },
    )
    agent.start()


def local_agent():
    LocalAgent(labels=["ops"], hostname_label=False).start()


if __name__ == "__main__":
    if sys.argv[1:] == ["docker"]:
        docker_agent()
    else:
        local_agent()
