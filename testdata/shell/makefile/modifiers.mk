override PREFECT__BACKEND = server
private export PREFECT__CONTEXT__SECRETS__A := one
unexport B
export C D
exporter = not-a-modifier
define TEMPLATE
export INSIDE_DEFINE=1
endef
definer = 2
E ?= three
F += four
PREFECT__CONTEXT__SECRETS__G != vault read -field=value secret/g
agent:
	@-+prefect agent local start --env H=$$HOME
