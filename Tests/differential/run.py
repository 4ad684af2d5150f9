#!/usr/bin/env python3
"""Differential test: prefect-secrets' Semantics model against Prefect 1.4.1 itself.

    python3 Tests/differential/run.py [--count N] [--seed S] [--write-fixture] [--keep]

1. Creates (once, cached under ~/.cache/prefect-secrets-diff/venv-<pins hash>) a venv with the
   known working pin set for Prefect 1.4.1.
2. Generates the fixed scenarios from the facts tables plus N random ones (fixed seed).
3. Runs Prefect on each (prefect_probe.py: real `import prefect` + `Secret(name).get()`, Cloud
   stubbed from the scenario's inventory) and records outcomes; values only as type + SHA-256.
4. Runs the Swift model on the same scenarios (`swift test --filter SemanticsDifferentialTests`,
   which reads the cases file named by SEMANTICS_DIFF_CASES and writes per-scenario verdicts).
5. Prints disagreements by scenario id, then `N passed, M failed`; exits 1 on any disagreement.

--write-fixture also stores the cases (scenarios + Prefect's outcomes) as
testdata/semantics/differential-cases.json, which the unit tests replay without Python.
"""
import argparse
import hashlib
import json
import os
import pwd
import random
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conversion_fuzz  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PINS = ["prefect==1.4.1", "marshmallow<4", "pendulum<3", "python-box<7"]
RUN_DIR = "/tmp/prefect-secrets-diff-run"
FIXTURE = os.path.join(ROOT, "testdata", "semantics", "differential-cases.json")
FUZZ_FIXTURE = os.path.join(ROOT, "testdata", "semantics", "conversion-cases.json")


def venv_python():
    key = hashlib.sha256(" ".join(PINS).encode()).hexdigest()[:12]
    base = os.path.join(os.path.expanduser("~"), ".cache", "prefect-secrets-diff", "venv-" + key)
    py = os.path.join(base, "bin", "python")
    marker = os.path.join(base, ".complete")
    if not os.path.exists(marker):
        shutil.rmtree(base, ignore_errors=True)
        print("creating venv " + base + " (pip install " + " ".join(PINS) + ")", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", base], check=True)
        subprocess.run([py, "-m", "pip", "install", "-q"] + PINS, check=True)
        open(marker, "w").write(" ".join(PINS) + "\n")
    return py


# ---------------------------------------------------------------------------------------------
# Scenario generation

NAMES = ["TOKEN", "DB_PASSWORD", "MyKey", "mykey", "api_key", "AWS_CREDENTIALS", "GITHUB_ACCESS_TOKEN",
         "MY-KEY", "MY.KEY", "X", "_X", "A_B", "KEYS", "SLACK_WEBHOOK_URL", "Cloud_Only",
         "x1", "USER", "OTHER", "A__B", "PASS", "Token", "token", "DB_URL", "db password"]
RESERVED_NAMES = ["keys", "copy", "items", "values"]

VALUES = ["007", "true", "TRUE", "False", "123", "0123", "1.5", "[1,2]", '{"a":1}', "{'k': 'v'}",
          '{"a": true}', "[true, null]", "none", "None", "null", "$HOME", "${HOME}", "~/x", "~root", "a=b",
          '"123"', "'123'", '"true"', "1,2", "(1,2)", "{1,2}", 'b"x"', " 42", "  true", "1_000", "0x10",
          "1e3", "1.", ".5", "+5", "-0.0", "1e400", "12345678901234567890", "nan", "inf", "yes", "()", "[]",
          "{}", "pa${ss}word", "${server.port}", "pa$USERx", "$UNDEFINED_VAR_X", "$$", "%HOME%",
          "sk_live_abc$def", "lambda: 1", "__import__('os')", "", "fake-token-abc", "p@ss w0rd!",
          "${cloud.api}", "${context.secrets.OTHER}", "postgres://${context.secrets.USER}:pw@host/db",
          '{"items": 1}', "'\"123\"'", "\"'\\\"123\\\"'\"", "1+2j", "...", "set()",
          "{'a': [1, {'b': None}]}", '{"x": "$HOME"}', "$CHAIN1", "-1", "0", "1e16", "0.1", "0.0001",
          "1e-05", "NaN", "Infinity", '{"a": NaN}', '"\\u00e9"', "é", "ünïcödé", "tab\there", "multi\nline",
          "0b101", "0o17", "1__0", "1_", "0777", "00", "1e5j", "-1-2j", "[1, [2, (3,)]]", "{'a': {'b': {}}}",
          "{1: 'a', 1.0: 'b'}", "{True, 1}", "'a' 'b'", "r'\\n'", "u'x'", "f'x'", "{'x': $HOME}",
          "'''triple'''", "1 # comment", "(1,\n 2)", "\n1", "1\n ", "-(1)", "--1", "${}", "${server}",
          "${context.secrets}", "${ss}${ss}", "$SS", "x${backend}y", "~", "~/", "~nosuchuser/x", "[1,]",
          "{'a': 1,}", "(1)", "(,)", "1 2", "True", "tRuE", "FaLsE", "1.5e-7", "123456789.123456789",
          "9" * 25, "-" + "9" * 22, "0.000123", "[]" * 2, "{'keys': 1}", '{"Items": 2}', "{'a': 'items'}",
          "pre-${context.secrets.OTHER}-post", "${context.secrets.TOKEN}", "[${server.port}]", "${cloud.use_local_secrets}",
          "$CHAIN1-x", "x${context.secrets.PASS}", "${context.secrets.AWS_CREDENTIALS}", "${home_dir}/x",
          "{'nested': {'list': [1, {'deep': ()}]}}", "(1, [2])", "[{1: 2}]", "b'\\xff'", 'b"123"', "b'{\"a\": 1}'", "b'\\xef\\xbb\\xbf1'", "${server.port}${server.port}"]

JSON_ISH = ['{"A": "1", "b": 2}', "{'NEW': 'v'}", '{"Y": "\\"123\\""}', '{"X": {"nested": true}}',
            '{"TOKEN": "$HOME/t", "PASS": "${server.port}"}', "not a dict", "123", "['a']", '{"keys": 1}']


def rand_value(rng):
    r = rng.random()
    if r < 0.75:
        return rng.choice(VALUES)
    if r < 0.9:
        return "fake-" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789$_~{}") for _ in range(rng.randint(1, 12)))
    return rng.choice(VALUES) + rng.choice(["", " ", "x", "$HOME", "1", "}"])


def toml_key(k):
    if k and all(c.isascii() and (c.isalnum() or c in "_-") for c in k):
        return k
    return toml_str(k)


def toml_str(s):
    out = '"'
    for c in s:
        if c == '"':
            out += '\\"'
        elif c == "\\":
            out += "\\\\"
        elif c == "\n":
            out += "\\n"
        elif c == "\t":
            out += "\\t"
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out += "\\u%04x" % ord(c)
        else:
            out += c
    return out + '"'


def rand_toml_value(rng):
    r = rng.random()
    if r < 0.6:
        return toml_str(rand_value(rng))
    if r < 0.7:
        return str(rng.choice([0, 1, 123, -5, 4200, 2**40]))
    if r < 0.75:
        return rng.choice(["1.5", "-0.0", "1e10", "inf", "nan"])
    if r < 0.82:
        return rng.choice(["true", "false"])
    if r < 0.88:
        return "[" + ", ".join(toml_str(rand_value(rng)) for _ in range(rng.randint(0, 3))) + "]"
    if r < 0.95:
        return "{ ACCESS_KEY = " + toml_str(rand_value(rng)) + ", SECRET_ACCESS_KEY = " + toml_str(rand_value(rng)) + " }"
    return "'" + rng.choice(["\"123\"", "{\"a\": \"1\"}", "007", "$HOME", "x"]) + "'"


def env_name_for(rng, name):
    forms = [
        ("PREFECT__CONTEXT__SECRETS__", 10), ("PREFECT__context__secrets__", 1), ("PREFECT__Context__Secrets__", 1),
        ("PREFECT__CONTEXT__secrets__", 1), ("prefect__CONTEXT__SECRETS__", 1), ("Prefect__CONTEXT__SECRETS__", 1),
    ]
    prefix = rng.choices([f for f, _ in forms], weights=[w for _, w in forms])[0]
    suffix = rng.choices(["", "__SUB", "___B", "__", "__ACCESS_KEY"], weights=[12, 2, 1, 1, 1])[0]
    return prefix + name + suffix


def random_scenario(rng, i, home):
    env = []
    names_set = []
    for _ in range(rng.randint(0, 4)):
        name = rng.choice(NAMES) if rng.random() > 0.03 else rng.choice(RESERVED_NAMES)
        names_set.append(name)
        env.append((env_name_for(rng, name), rand_value(rng)))
    if rng.random() < 0.12:
        env.append(("PREFECT__CONTEXT__SECRETS", rng.choice(JSON_ISH)))
    if rng.random() < 0.5:
        env.append(("PREFECT__BACKEND", rng.choice(["cloud", "server", "Server", "CLOUD", "cloud", "server"])))
    if rng.random() < 0.5:
        env.append(("PREFECT__CLOUD__USE_LOCAL_SECRETS", rng.choice(["false", "False", "FALSE", '"false"', "0", "no", "true", "false"])))
    if rng.random() < 0.05:
        env.append(("PREFECT__CONTEXT__CONFIG__CLOUD__USE_LOCAL_SECRETS", "false"))
    if rng.random() < 0.1:
        env.append(("PREFECT__MYTOP", rng.choice(["2", "x", "$HOME"])))
    if rng.random() < 0.05:
        env.append(("PREFECT__CONTEXT__SECRETSX", "1"))
    # plain variables that values reference
    if rng.random() < 0.3:
        env.append(("ss", rng.choice(["S", "", "5", "$HOME"])))
    if rng.random() < 0.2:
        env.append(("def", "DEF"))
    if rng.random() < 0.2:
        env.append(("SS", rng.choice(["x", "[1]", "~"])))
    if rng.random() < 0.25:
        env.append(("CHAIN1", "$CHAIN2"))
        env.append(("CHAIN2", rng.choice(["abc", "5", "true", "~/y", "${server.port}"])))
    if rng.random() < 0.3:
        env.append(("USER", rng.choice(["alice", "root"])))
    rng.shuffle(env)
    env = [("HOME", home), ("LC_ALL", "C.UTF-8")] + env
    seen = set()
    env = [(k, v) for k, v in env if not (k in seen or seen.add(k))]

    files = {}
    user_rel, backend_rel = ".prefect/config.toml", ".prefect/backend.toml"
    r = rng.random()
    if r < 0.08:
        env.append(("CFGDIR", home + "/cfg"))
        env.append(("PREFECT__USER_CONFIG_PATH", "$CFGDIR/my.toml"))
        user_rel = "cfg/my.toml"
    elif r < 0.12:
        env.append(("PREFECT__USER_CONFIG_PATH", "~/alt/config.toml"))
        user_rel = "alt/config.toml"
    elif r < 0.14:
        env.append(("PREFECT__USER_CONFIG_PATH", "~/missing.toml"))
    if rng.random() < 0.05:
        env.append(("PREFECT__BACKEND_CONFIG_PATH", "${HOME}/b.toml"))
        backend_rel = "b.toml"
    if rng.random() < 0.6:
        lines = []
        if rng.random() < 0.3:
            lines.append("backend = " + toml_str(rng.choice(["cloud", "server", "Server"])))
        if rng.random() < 0.2:
            lines.append("[cloud]\nuse_local_secrets = " + rng.choice(["false", "true", '"false"', "0"]))
        if rng.random() < 0.9:
            lines.append("[context.secrets]")
            used = set()
            for _ in range(rng.randint(0, 5)):
                name = rng.choice(NAMES)
                if name in used or "__" in name:
                    continue
                used.add(name)
                names_set.append(name)
                lines.append(toml_key(name) + " = " + rand_toml_value(rng))
            if rng.random() < 0.15:
                lines.append("JIRASECRETS.JIRATOKEN = " + toml_str(rand_value(rng)))
        if rng.random() < 0.1:
            lines.append("[secrets]\nWRONG_PLACE = \"fake\"")
        files[user_rel] = "\n".join(lines) + "\n"
    if rng.random() < 0.2:
        lines = ["backend = " + toml_str(rng.choice(["server", "cloud"]))]
        if rng.random() < 0.4:
            lines.append("[context.secrets]\nFROM_BACKEND_TOML = " + toml_str(rand_value(rng)))
            names_set.append("FROM_BACKEND_TOML")
        files[backend_rel] = "\n".join(lines) + "\n"

    cloud = None
    if rng.random() < 0.7:
        cloud = {}
        for name in rng.sample(NAMES + ["CLOUD_ONLY"], rng.randint(0, 4)):
            cloud[name] = rng.choice(['{"k": "from-cloud"}', "cloud-fake-value", "42", '"quoted"', "null", "[1, 2]"])
    queries = sorted(set(names_set + rng.sample(NAMES, 3) + ["CLOUD_ONLY"]))
    return {"id": "random-%03d" % i, "env": env, "files": files, "cloud": cloud, "queries": queries}


FACT_ENV_VALUES = ["true", "TRUE", "False", "123", "007", "0123", "1.5", "[1,2]", '{"a":1}', "{'k': 'v'}",
                   '{"a": true}', "[true, null]", "none", "None", "null", "$HOME", "${HOME}", "~/x", "~root", "a=b",
                   '"123"', "'123'", '"true"', "1,2", "(1,2)", "{1,2}", 'b"x"', " 42", "  true", "1_000", "0x10",
                   "1e3", "1.", ".5", "+5", "-0.0", "1e400", "12345678901234567890", "nan", "inf", "yes", "()", "[]",
                   "{}", "pa${ss}word", "${server.port}", "pa$USERx", "$UNDEFINED_VAR_X", "$$", "%HOME%",
                   "sk_live_abc$def", "lambda: 1", "__import__('os')", "", "'\"\\\"123\\\"'\""]

FACT_TOML_VALUES = ['"123"', "'\"123\"'", '"true"', '"$HOME/x"', '"~/y"', '"[1, 2]"', "123", "'{\"a\": \"1\"}'",
                    '"pa${ss}word"', '"None"', '"007"', '{ ACCESS_KEY = "AK", SECRET_ACCESS_KEY = "123" }',
                    '"${cloud.api}"', "'''" + "'\"123\"'" + "'''", "\"'007'\"", "'\"abc\"'", '"0123"']


def fixed_scenarios(home_for):
    out = []
    base = lambda i: [("HOME", home_for(i)), ("LC_ALL", "C.UTF-8")]
    n = 0

    def add(sid, env, files=None, cloud=None, queries=("X",)):
        nonlocal n
        out.append({"id": sid, "env": base(n) + env, "files": files or {}, "cloud": cloud, "queries": list(queries)})
        n += 1

    for j, v in enumerate(FACT_ENV_VALUES):
        add("facts-2.3-env-%02d" % j, [("PREFECT__CONTEXT__SECRETS__X", v)])
    for j, v in enumerate(FACT_TOML_VALUES):
        add("facts-2.3-toml-%02d" % j, [], {".prefect/config.toml": "[context.secrets]\nX = " + v + "\n"})
    add("facts-2.3-toml-lower-dotted", [], {".prefect/config.toml": "[context.secrets]\nlower = \"x\"\nJIRASECRETS.JIRATOKEN = \"tok\"\n"},
        queries=["lower", "JIRASECRETS"])
    for j, v in enumerate(["false", "False", "FALSE", '"false"', "0", "no"]):
        add("facts-1.1-use-local-%d" % j, [("PREFECT__CLOUD__USE_LOCAL_SECRETS", v)],
            cloud={"CLOUD_ONLY": '{"k": "from-cloud"}'}, queries=["CLOUD_ONLY", "MISSING"])
    for j, name in enumerate(["PREFECT__CONTEXT__SECRETS__MyKey", "PREFECT__context__secrets__MyKey",
                              "PREFECT__Context__Secrets__MyKey", "PREFECT__CONTEXT__secrets__MyKey",
                              "PREFECT__CONTEXT__SECRETSX", "prefect__CONTEXT__SECRETS__MyKey"]):
        add("facts-2.2-spelling-%d" % j, [(name, "v")], queries=["MyKey", "X"])
    add("facts-2.2-nested", [("PREFECT__CONTEXT__SECRETS__AWS_CREDENTIALS__ACCESS_KEY", "a"),
                             ("PREFECT__CONTEXT__SECRETS__AWS_CREDENTIALS__SECRET_ACCESS_KEY", "b"),
                             ("PREFECT__CONTEXT__SECRETS__A___B", "1"), ("PREFECT__CONTEXT__SECRETS__Y__", "1"),
                             ("PREFECT__CONTEXT__SECRETS___Z", "1")], queries=["AWS_CREDENTIALS", "A", "Y", "_Z"])
    add("facts-2.2-collision-crash", [("PREFECT__CONTEXT__SECRETS__A", "1"), ("PREFECT__CONTEXT__SECRETS__A__B", "2")], queries=["A"])
    add("facts-2.2-collision-drop", [("PREFECT__CONTEXT__SECRETS__A__B", "2"), ("PREFECT__CONTEXT__SECRETS__A", "1")], queries=["A"])
    add("facts-2.2-whole-dict", [("PREFECT__CONTEXT__SECRETS", '{"A": "1", "b": 2, "H": "$HOME", "R": "${server.port}"}')],
        {".prefect/config.toml": "[context.secrets]\nOLD = \"x\"\n"}, queries=["A", "b", "H", "R", "OLD"])
    add("facts-1.1-plain-string-secrets", [("PREFECT__CONTEXT__SECRETS", "MYTOKENVALUE")], queries=["TOKEN"])
    add("facts-2.6-keys", [("PREFECT__CONTEXT__SECRETS__keys", "1")])
    add("facts-2.6-KEYS", [("PREFECT__CONTEXT__SECRETS__KEYS", "1")], queries=["KEYS"])
    add("facts-2.6-items-in-json", [("PREFECT__CONTEXT__SECRETS__X", '{"items": 1}')])
    add("facts-2.6-items-in-json-true", [("PREFECT__CONTEXT__SECRETS__X", '{"items": true}')])
    add("facts-2.1-wrong-place", [], {".prefect/config.toml": "[secrets]\nWRONG_PLACE = \"x\"\n"}, queries=["WRONG_PLACE"])
    add("facts-2.1-backend-toml", [], {".prefect/config.toml": "backend = \"cloud\"\n",
                                        ".prefect/backend.toml": "backend = \"server\"\n[context.secrets]\nB = \"x\"\n"},
        cloud={"CLOUD_ONLY": "v"}, queries=["B", "CLOUD_ONLY"])
    add("facts-3-backend-env-beats-toml", [("PREFECT__BACKEND", "cloud"), ("PREFECT__CLOUD__USE_LOCAL_SECRETS", "false")],
        {".prefect/backend.toml": "backend = \"server\"\n"}, cloud={"CLOUD_ONLY": "v"}, queries=["CLOUD_ONLY", "NOPE"])
    add("facts-2.4-reference", [("PREFECT__CONTEXT__SECRETS__USER", "alice"),
                                ("PREFECT__CONTEXT__SECRETS__DB_URL", "postgres://${context.secrets.USER}:pw@host/db")],
        queries=["DB_URL"])
    add("model-env-chain-int-crash", [("A", "$B"), ("B", "5"), ("PREFECT__CONTEXT__SECRETS__X", "$A")])
    add("model-env-chain-str", [("A", "$B"), ("B", "abc"), ("PREFECT__CONTEXT__SECRETS__X", "$A")])
    add("model-context-config-override", [("PREFECT__CONTEXT__CONFIG__CLOUD__USE_LOCAL_SECRETS", "false")],
        cloud={"CLOUD_ONLY": "v"}, queries=["CLOUD_ONLY"])
    add("model-env-expansion-loop", [("A", "x$A"), ("PREFECT__CONTEXT__SECRETS__X", "$A")])
    add("model-toml-expansion-loop", [("A", "x$A")], {".prefect/config.toml": "[context.secrets]\nX = \"$A\"\n"})
    add("model-bytes-json", [("PREFECT__CONTEXT__SECRETS__X", 'b"123"'), ("PREFECT__CONTEXT__SECRETS__Y", "b'\\xff'")],
        queries=["X", "Y"])
    add("model-dict-then-nested-merges", [("PREFECT__CONTEXT__SECRETS__A", "{'k': 1}"), ("PREFECT__CONTEXT__SECRETS__A__B", "2")],
        queries=["A"])
    add("model-deep-collision", [("PREFECT__CONTEXT__SECRETS__A", "x"), ("PREFECT__CONTEXT__SECRETS__A__B__C", "2")], queries=["A"])
    for j, v in enumerate(["5", "abc", '""', "[]", "[1]", "['ab']", "None", "True", "()", "b'ab'", "1.5", "[('secrets', {'S': 1})]"]):
        add("model-context-not-a-dict-%02d" % j, [("PREFECT__CONTEXT", v)], queries=["S"])
    for j, v in enumerate(["5", "abc", "None", "[1]", "{'cloud': {'use_local_secrets': False}}"]):
        add("model-context-config-%d" % j, [("PREFECT__CONTEXT__CONFIG", v)], cloud={"S": "v"}, queries=["S"])
    add("model-json-bigint-limit", [("PREFECT__CONTEXT__SECRETS__X", '"' + "1" * 4400 + '"')])
    return out


def run_fuzz(py, count, seed):
    rng = random.Random(seed)
    strings = conversion_fuzz.fuzz_strings(rng, VALUES + FACT_ENV_VALUES + JSON_ISH, count)
    in_path = os.path.join(RUN_DIR, "fuzz-strings.json")
    out_path = os.path.join(RUN_DIR, "fuzz-python.json")
    json.dump(strings, open(in_path, "w"))
    probe = os.path.join(os.path.dirname(os.path.abspath(__file__)), "prefect_probe.py")
    subprocess.run([py, probe, "fuzz", in_path, out_path], env=dict(conversion_fuzz.FUZZ_ENV), check=True)
    cases = {"env": conversion_fuzz.FUZZ_ENV, "cases": json.load(open(out_path)),
             "user_homes": homes_named_in(" ".join(strings + [v for _, v in conversion_fuzz.FUZZ_ENV]))}
    path = os.path.join(RUN_DIR, "conversion-cases.json")
    with open(path, "w") as f:  # one case per line keeps the fixture diffable
        f.write('{"env": ' + json.dumps(cases["env"]) + ', "user_homes": ' + json.dumps(cases["user_homes"]) + ', "cases": [\n')
        f.write(",\n".join(json.dumps(c, sort_keys=True) for c in cases["cases"]))
        f.write("\n]}\n")
    return path


# ---------------------------------------------------------------------------------------------

def user_homes(sc):
    """Home directories of the users that `~name` in the scenario's values could name."""
    text = " ".join([v for _, v in sc["env"]] + list(sc["files"].values()))
    return homes_named_in(text)


def homes_named_in(text):
    """The user database, when any `~` occurs (expansion can complete a name: `~$USER`, `~root$HOME`)."""
    if "~" not in text:
        return {}
    return {p.pw_name: p.pw_dir for p in reversed(pwd.getpwall())}  # the first entry of a name wins


def project_scenarios(home_for):
    """The tool's own view of every fixture project: for each (flow, agent) that can run it,
    the env and config files Prefect's config loading sees in that flow run, and the secrets
    the flow reads (`prefect-secrets debug run-environments`). Prefect 1.4.1 then decides them
    like any other scenario, and the model's verdicts (SemanticsDifferentialTests, the same
    SecretResolution the project rules use) must agree."""
    subprocess.run(["swift", "build", "--product", "prefect-secrets"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    bindir = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    tool = os.path.join(bindir, "prefect-secrets")
    out = []
    projects = os.path.join(ROOT, "testdata", "projects")
    for name in sorted(os.listdir(projects)):
        proc = subprocess.run([tool, "debug", "run-environments", "--show-secrets", os.path.join(projects, name)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit("debug run-environments failed for %s: %s" % (name, proc.stderr.strip()))
        for sc in json.loads(proc.stdout):
            home = home_for(len(out))
            sc["env"] = [["HOME", home], ["LC_ALL", "C.UTF-8"]] + sc["env"]
            out.append(sc)
    print("project scenarios: %d" % len(out))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=240)
    ap.add_argument("--seed", type=int, default=1401)
    ap.add_argument("--write-fixture", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the run folder for inspection")
    ap.add_argument("--fuzz-count", type=int, default=3000)
    ap.add_argument("--no-projects", action="store_true",
                    help="skip the scenarios derived from the fixture projects in testdata/projects")
    args = ap.parse_args()

    py = venv_python()
    shutil.rmtree(RUN_DIR, ignore_errors=True)
    os.makedirs(RUN_DIR)
    home_for = lambda i: os.path.join(RUN_DIR, "h%03d" % i)
    scenarios = fixed_scenarios(home_for)
    rng = random.Random(args.seed)
    offset = len(scenarios)
    for i in range(args.count):
        scenarios.append(random_scenario(rng, i, home_for(offset + i)))
    if not args.no_projects:
        scenarios += project_scenarios(lambda i: home_for(len(scenarios) + i))

    sc_path = os.path.join(RUN_DIR, "scenarios.json")
    out_path = os.path.join(RUN_DIR, "prefect-outcomes.json")
    json.dump(scenarios, open(sc_path, "w"), indent=1)
    subprocess.run([py, os.path.join(os.path.dirname(os.path.abspath(__file__)), "prefect_probe.py"), sc_path, out_path], check=True)
    outcomes = {o["id"]: o for o in json.load(open(out_path))}

    me = pwd.getpwuid(os.getuid())
    cases = []
    harness_errors = []
    for sc in scenarios:
        o = outcomes[sc["id"]]
        if "harness_error" in o or not o.get("env_ok", False) or any(t["t"] == "invalid" for t in o["files"].values()):
            harness_errors.append(sc["id"])
            continue
        cases.append({
            "id": sc["id"], "env": sc["env"], "files": o["files"], "cloud": sc["cloud"], "queries": sc["queries"],
            "password_home": me.pw_dir, "user_homes": user_homes(sc),
            "prefect": {k: v for k, v in o.items() if k not in ("id", "files", "env_ok")},
        })
    fuzz_path = run_fuzz(py, args.fuzz_count, args.seed)
    cases_path = os.path.join(RUN_DIR, "cases.json")
    json.dump(cases, open(cases_path, "w"), indent=1, sort_keys=True)
    if args.write_fixture:
        os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
        shutil.copy(cases_path, FIXTURE)
        shutil.copy(fuzz_path, FUZZ_FIXTURE)

    results_path = os.path.join(RUN_DIR, "swift-results.json")
    fuzz_results_path = os.path.join(RUN_DIR, "swift-fuzz-results.json")
    env = dict(os.environ, SEMANTICS_DIFF_CASES=cases_path, SEMANTICS_DIFF_RESULTS=results_path,
               SEMANTICS_FUZZ_CASES=fuzz_path, SEMANTICS_FUZZ_RESULTS=fuzz_results_path)
    proc = subprocess.run(["swift", "test", "--filter", "SemanticsDifferentialTests"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if not os.path.exists(results_path) or not os.path.exists(fuzz_results_path):
        sys.stdout.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        print("0 passed, %d failed" % len(scenarios))
        return 1
    results = json.load(open(results_path))
    failed = [r for r in results if r["disagreements"]]
    for r in failed:
        print("DISAGREE " + r["id"] + ": " + "; ".join(r["disagreements"]))
    for h in harness_errors:
        print("HARNESS-ERROR " + h + ": " + outcomes[h].get("harness_error", "environment or TOML not as generated"))
    fuzz = json.load(open(fuzz_results_path))
    fuzz_failed = [r for r in fuzz if r["disagreements"]]
    for r in fuzz_failed:
        print("DISAGREE conversion #%d: %s" % (r["index"], "; ".join(r["disagreements"])))
    print("conversions: %d passed, %d failed" % (len(fuzz) - len(fuzz_failed), len(fuzz_failed)))
    if not args.keep:
        shutil.rmtree(RUN_DIR, ignore_errors=True)
    passed = len(results) - len(failed)
    print("%d passed, %d failed" % (passed, len(failed) + len(harness_errors)))
    return 0 if not failed and not fuzz_failed and not harness_errors and passed >= 200 else 1


if __name__ == "__main__":
    sys.exit(main())
