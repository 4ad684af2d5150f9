# PS104 in a Makefile: make references are not findings, literals are.
export PREFECT__CONTEXT__SECRETS__MAKE_EXPORT = q7Zp-make-08
PREFECT__CONTEXT__SECRETS__MAKE_REF = $(VAULT_VALUE)

agent:
	prefect agent local start \
		-e PREFECT__CONTEXT__SECRETS__RECIPE=q7Zp-recipe-09 \
		-e PREFECT__CONTEXT__SECRETS__MAKE_VAR=$(DB_PASSWORD) \
		-e PREFECT__CONTEXT__SECRETS__SHELL_VAR=$$DB_PASSWORD
