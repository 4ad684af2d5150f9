"""Two flows share one env dict: one problem, reported once."""
import os

from prefect import Flow
from prefect.run_configs import LocalRun

FRED_API_KEY = os.getenv("FRED_API_KEY")
base_env = {"FRED_API_KEY": FRED_API_KEY}

with Flow("fred-download", run_config=LocalRun(labels=["quandl"], env=base_env)) as download:
    pass

with Flow("fred-preprocessing", run_config=LocalRun(labels=["quandl"], env=base_env)) as preprocessing:
    pass
