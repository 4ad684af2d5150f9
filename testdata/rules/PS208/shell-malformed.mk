agent:
	prefect agent local start -e $(ENV_PAIR) -e NOEQ_MAKE
