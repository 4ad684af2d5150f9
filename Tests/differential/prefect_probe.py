"""Runs Prefect 1.4.1 on differential scenarios (executed with the pinned venv's python).

Usage: prefect_probe.py SCENARIOS.json OUTCOMES.json

For every scenario it writes the scenario's config files under its HOME, then forks; the child
replaces os.environ with exactly the scenario's environment (in order), imports prefect, stubs the
Cloud API from the scenario's inventory and records, for each queried name, the outcome of
Secret(name).get(). Values are recorded only as a type name and a SHA-256 of a canonical repr.
Forking after pre-importing prefect's third-party dependencies keeps each scenario fast; prefect
itself (and so its config loading) is imported fresh in every child.
"""
import hashlib
import json
import os
import subprocess
import sys


def canon(v):
    if v is None:
        return "None"
    if v is Ellipsis:
        return "ellipsis"
    if isinstance(v, bool):
        return "bool:" + repr(v)
    if isinstance(v, int):
        return "int:" + repr(int(v))
    if isinstance(v, float):
        return "float:" + repr(v)
    if isinstance(v, complex):
        return "complex:" + repr(v)
    if isinstance(v, str):
        return "str:" + repr(v)
    if isinstance(v, bytes):
        return "bytes:" + repr(v)
    if isinstance(v, tuple):
        return "tuple(" + ",".join(canon(x) for x in v) + ")"
    if isinstance(v, list):
        return "list[" + ",".join(canon(x) for x in v) + "]"
    if isinstance(v, dict):
        return "dict{" + ",".join(canon(k) + ":" + canon(x) for k, x in v.items()) + "}"
    if isinstance(v, (set, frozenset)):
        return "set{" + ",".join(sorted(canon(x) for x in v)) + "}"
    return "other:" + type(v).__name__


def digest(v):
    return {
        "type": type(v).__name__,
        "hash": hashlib.sha256(canon(v).encode("utf-8", "surrogatepass")).hexdigest(),
    }


def tree(v):
    """A TOML value as loaded by toml 0.10.2, typed for the Swift side."""
    if isinstance(v, bool):
        return {"t": "bool", "v": v}
    if isinstance(v, int):
        return {"t": "integer", "v": str(v)}
    if isinstance(v, float):
        return {"t": "float", "v": repr(v)}
    if isinstance(v, str):
        return {"t": "string", "v": v}
    if isinstance(v, list):
        return {"t": "array", "v": [tree(x) for x in v]}
    if isinstance(v, dict):
        return {"t": "table", "v": [[k, tree(x)] for k, x in v.items()]}
    return {"t": "datetime", "v": str(v)}


class CloudNotStubbed(Exception):
    """Raised by the stub when the scenario has no Cloud inventory: Cloud would be queried."""


def run_child(sc, write_fd):
    env = [tuple(p) for p in sc["env"]]
    os.environ.clear()
    for k, v in env:
        os.environ[k] = v
    out = {"id": sc["id"], "env_ok": list(os.environ.items()) == env}
    try:
        import prefect  # noqa: F401
    except BaseException as e:  # the import itself is what we observe
        out["import_crash"] = {"type": type(e).__name__, "message": str(e)}
        return out
    from prefect.client.client import Client
    from prefect.client.secrets import Secret
    from prefect.exceptions import ClientError
    from prefect.utilities.graphql import GraphQLResult

    cloud = sc.get("cloud")
    calls = []

    def fake_graphql(self, query, variables=None, **kwargs):
        name = (variables or {}).get("name")
        calls.append(name)
        if cloud is None:
            raise CloudNotStubbed(name)
        if "secret_value" in query and name in cloud:
            return GraphQLResult({"data": {"secret_value": cloud[name]}})
        raise ClientError(
            '[{"path": ["secret_value"], "message": "No value found for the requested key"}]'
        )

    Client.graphql = fake_graphql
    cfg = prefect.config
    out["backend"] = digest(cfg.get("backend"))
    out["use_local_secrets"] = digest(prefect.context.config.cloud.get("use_local_secrets"))
    secrets = prefect.context.get("secrets", "<missing>")
    out["secrets"] = None if secrets == "<missing>" else digest(secrets)
    out["config"] = digest({k: v for k, v in cfg.items() if k != "tasks"})
    results = []
    for name in sc["queries"]:
        before = len(calls)
        try:
            value = Secret(name).get()
        except CloudNotStubbed:
            results.append({"kind": "cloud-lookup-unknown"})
            continue
        except ValueError as e:
            if str(e) == 'Local Secret "{}" was not found.'.format(name):
                results.append({"kind": "local-not-found"})
            else:
                results.append({"kind": "error", "type": type(e).__name__, "message": str(e)})
            continue
        except KeyError as e:
            msg = e.args[0] if e.args else ""
            if isinstance(msg, str) and msg.startswith("The secret {} was not found.  Please".format(name)):
                results.append({"kind": "cloud-not-found"})
            else:
                results.append({"kind": "error", "type": type(e).__name__, "message": str(e)})
            continue
        except Exception as e:
            results.append({"kind": "error", "type": type(e).__name__, "message": str(e)})
            continue
        r = {"kind": "value", "source": "cloud" if len(calls) > before else "context"}
        r.update(digest(value))
        results.append(r)
    out["queries"] = results
    return out


def preimport():
    """Import prefect's third-party dependencies in the parent (not prefect itself)."""
    code = "import sys, prefect; print('\\n'.join(sorted(sys.modules)))"
    env = {"HOME": "/nonexistent-prefect-secrets-diff", "LC_ALL": "C.UTF-8"}
    names = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    import importlib

    for n in names:
        if n == "prefect" or n.startswith("prefect.") or n == "__main__":
            continue
        try:
            importlib.import_module(n)
        except BaseException:
            pass


def main():
    import toml

    scenarios = json.load(open(sys.argv[1]))
    preimport()
    outcomes = []
    for sc in scenarios:
        env = dict(sc["env"])
        home = env["HOME"]
        trees = {}
        for rel, text in sc.get("files", {}).items():
            path = os.path.join(home, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            try:
                trees[rel] = tree(toml.loads(text))
            except Exception as e:
                trees[rel] = {"t": "invalid", "v": type(e).__name__}
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            try:
                res = run_child(sc, w)
            except BaseException as e:
                res = {"id": sc["id"], "harness_error": type(e).__name__ + ": " + str(e)}
            data = json.dumps(res).encode()
            with os.fdopen(w, "wb") as f:
                f.write(data)
            os._exit(0)
        os.close(w)
        with os.fdopen(r, "rb") as f:
            data = f.read()
        os.waitpid(pid, 0)
        try:
            res = json.loads(data)
        except ValueError:
            res = {"id": sc["id"], "harness_error": "child produced no result"}
        res["files"] = trees
        outcomes.append(res)
    json.dump(outcomes, open(sys.argv[2], "w"), indent=1)


if __name__ == "__main__" and len(sys.argv) == 3:
    main()


def fuzz_main(in_path, out_path):
    """Conversion functions on many strings: string_to_type, json.loads, interpolate_env_vars.

    Run with the environment the strings are to be expanded in (the driver sets it)."""
    import prefect.configuration as pc

    strings = json.load(open(in_path))
    out = []
    for s in strings:
        r = {"s": s, "string_to_type": digest(pc.string_to_type(s)), "interpolate": digest(pc.interpolate_env_vars(s))}
        try:
            r["json"] = digest(json.loads(s))
        except json.JSONDecodeError:
            r["json"] = "decode-error"
        except Exception as e:
            r["json"] = "error:" + type(e).__name__
        out.append(r)
    json.dump(out, open(out_path, "w"), indent=0)


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "fuzz":
    fuzz_main(sys.argv[2], sys.argv[3])
