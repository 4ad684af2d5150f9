# The two quick-start commands of README.md: `make demo` and `make test`.
# Both install missing system packages first (scripts/ensure-deps.sh).
.PHONY: deps build demo test release

deps:
	@scripts/ensure-deps.sh

build: deps
	swift build

demo: build
	@swift run --skip-build prefect-secrets check testdata/projects/demo; status=$$?; \
	if [ $$status -eq 1 ]; then echo "(exit status 1: the demo project has findings, as intended)"; else exit $$status; fi

test: deps
	swift test

release: deps
	swift build -c release
