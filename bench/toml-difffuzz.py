#!/usr/bin/env python3
"""Differential fuzzing of the Swift TOML parser against Python's tomllib (not a unit test).

Usage: bench/toml-difffuzz.py DECODER [SEED]
Mutates every toml-test 1.0.0 file a dozen times, runs each mutant through DECODER (the
toml-test-decoder binary) and tomllib, and prints where they disagree on validity and, when
both accept, where the decoded values differ (compared as toml-test-run compares them).
Known, intended differences are filtered out: tomllib rejects year 0000 (Python's datetime
cannot hold it) and accepts integers beyond 64 bits, which TOML 1.0 says must be rejected.
"""
import os, random, subprocess, tomllib, json, sys
from concurrent.futures import ThreadPoolExecutor
SUITE="/work/shared/toml-test/tests"
dec=sys.argv[1]
seed=int(sys.argv[2]) if len(sys.argv) > 2 else 7
cases=[l.strip() for l in open(SUITE+"/files-toml-1.0.0") if l.strip().endswith(".toml")]
rnd=random.Random(seed)
inter=list(b"[]{}=.,\"'#\n\r\t _-+:0123456789eEzTxob\\uU") + [0, 0xC3, 0xFF]
inputs=[]
for c in cases:
    data=open(os.path.join(SUITE,c),"rb").read()
    for _ in range(12):
        b=bytearray(data)
        for _ in range(rnd.randint(1,3)):
            if not b: break
            p=rnd.randrange(len(b)); op=rnd.randrange(3)
            if op==0: b[p]=rnd.choice(inter)
            elif op==1: b.insert(p, rnd.choice(inter))
            else: del b[p]
        inputs.append(bytes(b))
def run(b):
    try:
        tomllib.loads(b.decode("utf-8-sig")); py=True
    except Exception: py=False
    r=subprocess.run([dec],input=b,capture_output=True)
    return b, py, r.returncode==0
dis=[]
with ThreadPoolExecutor(4) as ex:
    for b,py,sw in ex.map(run, inputs):
        if py!=sw and b"0000-" not in b and not (py and b"922" in b): dis.append((b,py,sw))
print(len(inputs),"cases", len(dis),"disagreements")
for b,py,sw in dis[:15]:
    print("tomllib" if py else "swift", "accepts:", repr(b[:300]))

import importlib.machinery, importlib.util, datetime as dt, math
loader=importlib.machinery.SourceFileLoader("ttr","/work/shared/tools/toml-test-run")
spec=importlib.util.spec_from_loader("ttr",loader); ttr=importlib.util.module_from_spec(spec); loader.exec_module(ttr)
def tag(v):
    if isinstance(v,dict): return {k:tag(x) for k,x in v.items()}
    if isinstance(v,list): return [tag(x) for x in v]
    if isinstance(v,bool): return {"type":"bool","value":str(v).lower()}
    if isinstance(v,int): return {"type":"integer","value":str(v)}
    if isinstance(v,float): return {"type":"float","value":"nan" if math.isnan(v) else repr(v)}
    if isinstance(v,str): return {"type":"string","value":v}
    if isinstance(v,dt.datetime):
        return {"type":"datetime" if v.tzinfo else "datetime-local","value":v.isoformat()}
    if isinstance(v,dt.date): return {"type":"date-local","value":v.isoformat()}
    if isinstance(v,dt.time): return {"type":"time-local","value":v.isoformat()}
    raise Exception(type(v))
def runv(b):
    try: py=tomllib.loads(b.decode("utf-8-sig"))
    except Exception: return None
    r=subprocess.run([dec],input=b,capture_output=True)
    if r.returncode!=0: return None
    try: err=ttr.compare(tag(py), json.loads(r.stdout))
    except Exception as e: err="EXC "+str(e)
    return (b,err) if err else None
with ThreadPoolExecutor(4) as ex:
    bad=[x for x in ex.map(runv, inputs) if x]
print("value mismatches:", len(bad))
for b,e in bad[:10]: print(e, repr(b[:200]))
