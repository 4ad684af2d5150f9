"""Strings for the conversion fuzz: string_to_type / json.loads / interpolate_env_vars."""
import json

FUZZ_ENV = [("HOME", "/home/fz"), ("LC_ALL", "C.UTF-8"), ("A", "$B"), ("B", "5"), ("ss", "S"), ("def", "D"),
            ("T", "~/t"), ("E", ""), ("L", "[1, 2]"), ("Q", "'q'")]
ALPHABET = "0123456789_.eEjJxXoObB+-,:()[]{}'\"\\ \t\n#$~rbufNTFn@=é\x0c"

ATOMS = [
    "True", "False", "None", "...", "0b1_01", "1_000_000", "set()", "1+2j", "-1.5-0j", "1.", ".5", "1e5",
    "'s'", "'\\''", '"\\""', "'\\\\'", "'\\n'", "'é'", "'\\x00'", "b'b\\x00\\xff'", "'\\u00e9'", "'\\x41'",
    "'\\101'", "r'\\d'", "'\\N{BULLET}'", "'''t'''", '"""t"""', "u'x'", "rb'x'", "f'x'", "'a' 'b'",
]


def gen_literal(rng, depth=0):
    r = rng.random()
    sp = lambda: rng.choice(["", "", " ", "  ", "\t", "\n"])
    if depth > 2 or r < 0.45:
        return rng.choice([
            str(rng.randint(-10**6, 10**6)), repr(rng.uniform(-1e6, 1e6)),
            repr(rng.choice([1e-7, 1e22, 5e-324, 1e16, 0.1, 1e-5, 123456789.123456789])),
            "0x%x" % rng.randint(0, 9999), "0o%o" % rng.randint(0, 999), "%dj" % rng.randint(0, 9),
            str(rng.randint(0, 10**30)), "-" + str(rng.randint(0, 10**25)), rng.choice(ATOMS), rng.choice(ATOMS),
        ])
    items = [gen_literal(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if r < 0.6:
        return "[" + sp() + ("," + sp()).join(items) + rng.choice(["", ","]) + "]"
    if r < 0.72:
        return "(" + ", ".join(items) + ("," if len(items) == 1 else rng.choice(["", ","])) + ")"
    if r < 0.8:
        return "{" + ", ".join(items or ["1"]) + "}"
    if r < 0.95:
        return "{" + ", ".join(gen_literal(rng, depth + 1) + ":" + sp() + i for i in items) + "}"
    return ", ".join(items or ["1"])


EXPANSION_SEEDS = ["$A", "$A$A", "${A}", "x$A", "$L", "$Q", "$T", "~", "~/$A", "x$E", "$E", "$ss$def", "${ss}{",
                   "$", "${", "${}", "$$A", "~root/$B", "~$E", "$T$T", "'$B'", "[$B, $L]"]


def fuzz_strings(rng, seeds, count):
    out = list(dict.fromkeys(seeds + EXPANSION_SEEDS))
    while len(out) < count:
        r = rng.random()
        if r < 0.15:
            s = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 10)))
        elif r < 0.4:
            s = gen_literal(rng)
        elif r < 0.55:
            s = json.dumps(rng.choice([{"a": [1, True, None]}, [1.5, "x"], "str", 1e300, {"k": {"n": None}}, "é\n", -0.0]))
        else:
            s = rng.choice(out)
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            i = rng.randint(0, len(s))
            op = rng.random()
            if op < 0.4:
                s = s[:i] + rng.choice(ALPHABET) + s[i:]
            elif op < 0.7:
                s = s[:i] + s[i + 1:]
            else:
                s = s[:i] + rng.choice(ALPHABET) + s[i + 1:]
        out.append(s)
    return out
