#!/bin/sh
# Benchmark: parse a >= 5 MB multi-document manifest with the YAML module (release build)
# and with PyYAML's C loader on the same file; also the alias bomb's time and peak memory.
# Run from the repository root of a clean checkout: sh bench/yaml-bench.sh
set -eu
cd "$(dirname "$0")/.."
out=.build/yaml-bench
mkdir -p "$out"
swift build -c release --target YAML >/dev/null
bin=$(swift build -c release --show-bin-path)
swiftc -O -module-cache-path "$out/cache" -I "$bin/Modules" \
    -Xcc -fmodule-map-file=Sources/CLibYAML/module.modulemap \
    bench/yaml-bench.swift "$bin"/YAML.build/*.o "$bin"/Spans.build/*.o -lyaml -o "$out/yaml-bench"
python3 bench/yaml-gen.py "$out/manifest.yaml" "${YAML_BENCH_BYTES:-6000000}"
echo "file: $(wc -c < "$out/manifest.yaml") bytes, $(grep -c '^---' "$out/manifest.yaml") separators"
"$out/yaml-bench" "$out/manifest.yaml" 5
/usr/bin/time -o "$out/manifest.time" -f "  one parse: wall %e s, peak RSS %M KB (file held twice: Data and [UInt8])" \
    "$out/yaml-bench" "$out/manifest.yaml" 1 >/dev/null
cat "$out/manifest.time"
python3 - "$out/manifest.yaml" <<'PY'
import sys, time, yaml
assert yaml.__with_libyaml__, "PyYAML lacks libyaml (pip install pyyaml with its wheel)"
data = open(sys.argv[1], "rb").read()
def best(label, fn, n=3):
    times = []
    for _ in range(n):
        t = time.perf_counter(); result = fn(); times.append(time.perf_counter() - t)
    times.sort()
    print(f"PyYAML {yaml.__version__} {label}: best {times[0]:.3f} s, median {times[len(times)//2]:.3f} s "
          f"({len(data)/1e6/times[0]:.1f} MB/s), {len(result)} documents")
best("load_all(Loader=CLoader)", lambda: list(yaml.load_all(data, Loader=yaml.CLoader)))
best("load_all(Loader=CSafeLoader)", lambda: list(yaml.load_all(data, Loader=yaml.CSafeLoader)))
best("compose_all(Loader=CLoader) (nodes only)", lambda: list(yaml.compose_all(data, Loader=yaml.CLoader)))
PY
echo "alias bomb (testdata/yaml/invalid/billion-laughs.yaml):"
/usr/bin/time -o "$out/bomb.time" -f "  wall %e s, peak RSS %M KB" "$out/yaml-bench" testdata/yaml/invalid/billion-laughs.yaml 1
cat "$out/bomb.time"
