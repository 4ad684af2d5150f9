#!/bin/bash
# PS209: PREFECT__CLOUD__AGENT__LABELS must be a list literal (facts §2.5).
export PREFECT__CLOUD__AGENT__LABELS=dev
export PREFECT__CLOUD__AGENT__LABELS="['dev', 'etl']"
PREFECT__CLOUD__AGENT__LABELS=gpu prefect agent local start
PREFECT__CLOUD__AGENT__LABELS=$LABELS prefect agent local start
# Good: a set or a dict is iterable too; `{}` gives no labels.
PREFECT__CLOUD__AGENT__LABELS="{}" prefect agent local start
PREFECT__CLOUD__AGENT__LABELS="{'gpu'}" prefect agent local start
# Bad: list() of a number raises TypeError and the agent does not start.
PREFECT__CLOUD__AGENT__LABELS=42 prefect agent local start
PREFECT__CLOUD__AGENT__LABELS=None prefect agent local start
