#!/usr/bin/env python3
"""PS401 against Prefect 1.4.1: runs every fixture of testdata/rules/PS401 with the real
Prefect and checks that prefect-secrets reports PS401 as an error exactly for the fixtures
where Prefect raises "Secrets should only be retrieved during a Flow run, not while building
a Flow.", and at most a warning for the others (module-level reads, which do not raise).

Usage: python3 bench/python-ps401-verify.py [--tool PATH]
Without --tool it builds `swift build -c release --product prefect-secrets`.
The venv (prefect==1.4.1 with marshmallow<4, pendulum<3, python-box<7, facts §0) is cached
under ~/.cache/prefect-secrets/venv-prefect141. Every run uses a throw-away HOME, and the
secrets come from PREFECT__CONTEXT__SECRETS__* env vars with fake values.
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "testdata" / "rules" / "PS401"
VENV = pathlib.Path.home() / ".cache" / "prefect-secrets" / "venv-prefect141"
MESSAGE = "Secrets should only be retrieved during a Flow run, not while building a Flow."
# Deliberately fake values the fixtures read; the self-scan must not flag them.
# prefect-secrets: ignore[PS102]
FAKE_SECRETS = {"WAREHOUSE_PASSWORD": "fake-warehouse-value", "API_TOKEN": "fake-api-token-value"}


def venv_python() -> pathlib.Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    probe = subprocess.run([str(python), "-c", "import prefect; print(prefect.__version__)"], capture_output=True, text=True)
    if probe.returncode != 0 or probe.stdout.strip() != "1.4.1":
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "prefect==1.4.1", "marshmallow<4", "pendulum<3", "python-box<7"],
            check=True)
    return python


def run_fixture(python: pathlib.Path, path: pathlib.Path) -> tuple[bool, int]:
    with tempfile.TemporaryDirectory() as home:
        env = {"HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PREFECT__BACKEND": "server"}
        for name, value in FAKE_SECRETS.items():
            env[f"PREFECT__CONTEXT__SECRETS__{name}"] = value
        result = subprocess.run([str(python), str(path)], capture_output=True, text=True, env=env, cwd=home, timeout=120)
        return MESSAGE in result.stderr, result.returncode


def tool_findings(tool: str) -> dict[str, set[str]]:
    out = subprocess.run([tool, "check", str(FIXTURES), "--select", "PS401", "--format", "json"], capture_output=True, text=True)
    report = json.loads(out.stdout)
    found: dict[str, set[str]] = {}
    for finding in report["findings"]:
        found.setdefault(pathlib.Path(finding["path"]).name, set()).add(finding["severity"])
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tool", help="prefect-secrets binary (default: build a release binary)")
    args = parser.parse_args()
    tool = args.tool
    if tool is None:
        subprocess.run(["swift", "build", "-c", "release", "--product", "prefect-secrets"], cwd=ROOT, check=True)
        tool = str(ROOT / ".build" / "release" / "prefect-secrets")
    python = venv_python()
    found = tool_findings(tool)
    failures = 0
    print(f"{'fixture':45} {'prefect raises':15} {'exit':5} {'PS401':10} verdict")
    for path in sorted(FIXTURES.glob("*.py")):
        raises, code = run_fixture(python, path)
        severities = found.get(path.name, set())
        reported = ",".join(sorted(severities)) or "-"
        if raises:
            ok = "error" in severities
        else:
            # No raise: never an error; the script must have run (exit 0).
            ok = "error" not in severities and code == 0
        failures += not ok
        print(f"{path.name:45} {str(raises):15} {code:<5} {reported:10} {'ok' if ok else 'MISMATCH'}")
    print(f"{failures} mismatches")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
