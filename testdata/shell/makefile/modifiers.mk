override PREFECT__BACKEND = server
private export PREFECT__CONTEXT__SECRETS__A := fake-one
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
override define NESTED
define INNER
export PREFECT__CONTEXT__SECRETS__IN_DEFINE=1
endef
export PREFECT__CONTEXT__SECRETS__STILL_IN_DEFINE=2
endef
export define	TABBED
PREFECT__CONTEXT__SECRETS__TABBED=3
endef # comment
I :::= five
define OUTER
	define NOT_NESTED_TAB
export define NOT_NESTED_MODIFIER
foo \
define NOT_NESTED_CONTINUED
endef#not-an-end
	endef
endef
PREFECT__CONTEXT__SECRETS__AFTER_OUTER = fake-after
define = not-a-block
PREFECT__CONTEXT__SECRETS__AFTER_DEFINE_VARIABLE = fake-after-define
