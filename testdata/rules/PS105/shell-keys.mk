# PS105 in a Makefile.
export PREFECT__CLOUD__API_KEY = pk-q7Zp-make-09
KEY ?= $(shell cat ~/.prefect/key)

agent:
	prefect agent local start -k $(KEY)
	prefect agent local start -k pk-q7Zp-recipe-10
