#!/bin/sh
# CLI behaviour: exit codes, messages on stderr, outputs whole or absent.
# Usage: BSPGPU=build/bspgpu sh tests/cli_test.sh
B=${BSPGPU:-build/bspgpu}
F=tests/fixtures
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

# expect CODE DESCRIPTION -- COMMAND...: run, compare exit code
expect() {
    want=$1; what=$2; shift 3
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" = "$want" ]; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL: $what: exit $got, want $want"; sed 's/^/  stderr: /' "$T/err"; fi
}
# has FILE TEXT DESCRIPTION
has() {
    if grep -qF -- "$2" "$1"; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL: $3: '$2' not in $1:"; sed 's/^/  /' "$1" | head -5; fi
}
absent() {
    if [ ! -e "$1" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $2: $1 exists"; fi
}

BA=$F/boards/fixture-a.json BB=$F/boards/fixture-b.json PA=$F/profiles/fixture-a.csv PB=$F/profiles/fixture-b.csv

expect 0 "top help" -- "$B" --help
has "$T/out" "crossboard" "top help lists commands"
expect 2 "no command" -- "$B"
expect 2 "unknown command" -- "$B" frobnicate
has "$T/err" "unknown command 'frobnicate'" "unknown command named"
expect 0 "version" -- "$B" --version
for c in fit predict score crossboard board; do
    expect 0 "$c --help" -- "$B" $c --help
    has "$T/out" "example" "$c --help has examples"
done
expect 2 "fit without args" -- "$B" fit
has "$T/err" "--board and --profile are required" "fit misuse message"
has "$T/err" "Try 'bspgpu fit --help'" "misuse points to help"
expect 2 "fit bad option" -- "$B" fit --frob
expect 2 "crossboard unpaired" -- "$B" crossboard --board-a $BA --board-b $BB --profile-a $PA
expect 2 "crossboard bad model" -- "$B" crossboard --board-a $BA --board-b $BB --profile-a $PA --profile-b $PB --models seed,nope
has "$T/err" "unknown model 'nope'" "bad model named"

# board validation
expect 0 "board ok" -- "$B" board $BA $BB
has "$T/out" "fixture-b" "board summary"
printf '{"schema":"bspgpu-board","version":1,"name":"x","device":{"sms":1,"cores_per_sm":64,"clock_mhz":1000},"latency_cycles":{"shared":5,"l1":10,"l2":-1,"global":500,"inst":4}}' >"$T/bad.json"
expect 1 "board bad" -- "$B" board "$T/bad.json"
has "$T/err" "bad.json: field 'latency_cycles.l2': must be positive" "bad board names file and field"

# fit
expect 0 "fit" -- "$B" fit --board $BA --profile $PA -o "$T/fit.csv" --by-name "$T/names.csv"
has "$T/fit.csv" '"k1|4,1,1|256,1,1",k1,4,1,1,256,1,1,1024,3,16640,8320,0.5,100,2,1,4,2,1,1,' "fit row of k1 worked by hand"
has "$T/fit.csv" "counter 'inst_warp' was not collected" "fit says why a kernel has no lambda"
has "$T/names.csv" "k1,1,0.5,0," "lambda by name"
expect 1 "fit bad board" -- "$B" fit --board "$T/bad.json" --profile $PA -o "$T/fit2.csv"
absent "$T/fit2.csv" "no output after bad board"
printf 'kernel,grid_x,grid_y,grid_z,block_x,block_y,block_z,duration_ns\nk,1,1,1,32,1,1,x\n' >"$T/bad.csv"
expect 1 "fit bad profile" -- "$B" fit --board $BA --profile "$T/bad.csv" -o "$T/fit3.csv"
has "$T/err" "bad.csv:2: column 'duration_ns': bad value 'x'" "bad profile names file, line, column"
absent "$T/fit3.csv" "no output after bad profile"

# predict then score
expect 0 "predict" -- "$B" predict --board-a $BA --profile-a $PA --board-b $BB -o "$T/pred.csv" --app fx
has "$T/pred.csv" 'seed,fx,fixture-a,fixture-b,"k1|4,1,1|256,1,1",k1,4,1,1,256,1,1,1024,only_a,3,0,16640,,49920,,6160,' "predicted k1 on B by hand"
has "$T/err" "ns predicted on fixture-b" "predict prints application time"
expect 0 "score" -- "$B" score --pred "$T/pred.csv" --profile-b $PB --board-b $BB -o "$T/scored.csv" --summary "$T/sum.csv"
has "$T/scored.csv" ",both,3,3,16640,6200,49920,18600,6160,-0.645161,0.645161,0.5,0.496774," "scored k1: error and lambda on both boards"
has "$T/scored.csv" "only_b" "B-only kernel listed"
has "$T/sum.csv" "seed,fx,fixture-a,fixture-b,96920,44076.2,43600,1.0922," "summary row"
has "$T/err" "kernels matched 2 (only A 1, only B 1)" "score reports unmatched kernels"
expect 1 "score on a non-prediction" -- "$B" score --pred $PA --profile-b $PB -o "$T/s2.csv"
has "$T/err" "missing column 'model'" "score names the missing column"
absent "$T/s2.csv" "no output after bad prediction table"

# crossboard: every model, outputs whole or absent
expect 0 "crossboard" -- "$B" crossboard --board-a $BA --board-b $BB --profile-a $PA --profile-b $PB -o "$T/k.csv" --summary "$T/a.csv"
has "$T/out" "hybrid" "crossboard table"
has "$T/a.csv" "same,fixture-a,fixture-a,fixture-b" "summary has the baseline"
# launch pairing and model parameters
has "$T/a.csv" ",5,2" "crossboard pairs 5 launches with 2 edits (fixture: only_a and only_b differ)"
has "$T/k.csv" ',both,3,3,16640,6200,49920,18600,6160,-0.645161,0.645161,0.5,0.496774,' "paired k1 medians equal the key medians"
expect 0 "crossboard by key" -- "$B" crossboard --board-a $BA --board-b $BB --profile-a $PA --profile-b $PB --match key --models same --summary "$T/ak.csv"
tail -1 "$T/ak.csv" | grep -q ',0,$' && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: by key: no launches paired, no edit distance"; }
expect 2 "crossboard bad match" -- "$B" crossboard --board-a $BA --board-b $BB --profile-a $PA --profile-b $PB --match fuzzy
has "$T/err" "--match takes 'order' or 'key', not 'fuzzy'" "bad --match named"
expect 2 "crossboard bad max-edits" -- "$B" crossboard --board-a $BA --board-b $BB --profile-a $PA --profile-b $PB --max-edits 0
has "$T/err" "--max-edits takes a positive integer" "bad --max-edits named"
expect 2 "crossboard bad param name" -- "$B" crossboard --board-a $BA --board-b $BB --profile-a $PA --profile-b $PB --param floor_bw.gamma=1
has "$T/err" "unknown model parameter 'floor_bw.gamma'" "unknown parameter named"
expect 2 "crossboard bad param value" -- "$B" crossboard --board-a $BA --board-b $BB --profile-a $PA --profile-b $PB --param floor_bw.beta=2
has "$T/err" "outside [0, 1]" "parameter range named"
expect 2 "crossboard bad bound.p" -- "$B" crossboard --board-a $BA --board-b $BB --profile-a $PA --profile-b $PB --param bound.p=0.5
has "$T/err" "bound.p: 0.5 is outside [1, 64]" "bound.p range named"
expect 2 "crossboard bound_l2.replay not a number" -- "$B" crossboard --board-a $BA --board-b $BB --profile-a $PA --profile-b $PB --param bound_l2.replay=nan
has "$T/err" "bound_l2.replay: nan is outside [0, 1]" "bound_l2.replay range named"
expect 2 "crossboard param without value" -- "$B" crossboard --board-a $BA --board-b $BB --profile-a $PA --profile-b $PB --param floor_bw.beta
has "$T/err" "--param takes NAME=VALUE" "param syntax named"
expect 1 "crossboard missing profile" -- "$B" crossboard --board-a $BA --board-b $BB --profile-a $PA --profile-b "$T/none.csv" -o "$T/k2.csv" --summary "$T/a2.csv"
has "$T/err" "none.csv: cannot open" "missing file named"
absent "$T/k2.csv" "no kernels output on failure"
absent "$T/a2.csv" "no summary output on failure"
ls "$T" | grep -q '\.tmp\.' && { fail=$((fail + 1)); echo "FAIL: temporary files left behind"; } || pass=$((pass + 1))

# timeline and apptime on the hand-made timeline (docs/model.md's worked example)
TL=$F/timeline/run.csv
for c in timeline apptime; do
    expect 0 "$c --help" -- "$B" $c --help
    has "$T/out" "example" "$c --help has examples"
done
expect 0 "timeline" -- "$B" timeline --app fx $TL -o "$T/tl.csv"
has "$T/tl.csv" "fx,1e+06,120000,880000,70000,18000,32000,7,1.8,3.2,88,70000,18000,0,25000,3,2,0,0,7,1,4096,4096,0,1," "timeline parts worked by hand"
has "$T/err" "kernels 7.00%, copies/sets 1.80%, device idle 3.20%, host alone 88.00%" "timeline summary"
expect 0 "timeline streams" -- "$B" timeline --streams --app fx $TL
has "$T/out" "fx,1,7,5,88000,25000,2000,115000" "per-stream row"
expect 2 "timeline two files" -- "$B" timeline $TL $TL
expect 1 "timeline missing" -- "$B" timeline "$T/none.csv" -o "$T/tl2.csv"
has "$T/err" "none.csv: cannot open" "timeline names the missing file"
absent "$T/tl2.csv" "no timeline output on failure"
mkdir -p "$T/badtl" && cp $TL $TL.meta.json $TL.memops.csv "$T/badtl/"
sed 's/,sync,1,5,/,sink,1,5,/' $TL.api.csv >"$T/badtl/run.csv.api.csv"
expect 1 "timeline bad api file" -- "$B" timeline "$T/badtl/run.csv" -o "$T/tl3.csv"
has "$T/err" "run.csv.api.csv:6: column 'class': bad value 'sink'" "bad API file: file, line, column"
absent "$T/tl3.csv" "no timeline output after a bad sidecar"
# with A's own durations the replay gives A's window back
expect 0 "apptime identity" -- "$B" apptime --board-a $BA --board-b $BB --profile-a $TL --timeline-b $TL --model same --host same --app fx
has "$T/out" "fx,fixture-a,fixture-b,same,same,1,70000,18000,0,32000,880000,120000,1e+06,120000,1e+06,0," "apptime: replay of A with A's durations"
expect 1 "apptime host measured without launch overhead" -- "$B" apptime --board-a $BA --board-b $BB --profile-a $TL --model same -o "$T/at.csv"
has "$T/err" "lacks latency_us.launch_overhead" "apptime names the missing board figure"
absent "$T/at.csv" "no apptime output on failure"
expect 2 "apptime bad host" -- "$B" apptime --board-a $BA --board-b $BB --profile-a $TL --host elsewhere
has "$T/err" "--host: 'elsewhere'" "apptime names the bad --host"
expect 2 "apptime missing args" -- "$B" apptime --board-a $BA
expect 0 "apptime given host" -- "$B" apptime --board-a $BA --board-b $BB --profile-a $TL --model same --host same --host-scale 2 --app fx
has "$T/out" "fx,fixture-a,fixture-b,same,given,2,70000,18000,0,64000,1.76e+06,152000," "apptime: host given x2"
expect 2 "apptime bad host scale" -- "$B" apptime --board-a $BA --board-b $BB --profile-a $TL --host-scale -1
has "$T/err" "--host-scale: '-1'" "apptime names the bad factor"

# scripts/l2-rates.sh from a kept profile: the shipped board files' L2 rates and bursts come back
cp data/boards/h100-sxm.json "$T/h100.json"
expect 0 "l2-rates from a kept profile" -- sh scripts/l2-rates.sh "$T/h100.json" --profile data/boards/logs/h100-sxm-l2burst.csv.gz
has "$T/out" "burst N:bytes:median:rate 1:4.12MiB:1920ns" "l2-rates prints the bursts"
expect 0 "l2-rates board loads" -- "$B" board "$T/h100.json"
expect 0 "l2-rates: the shipped bursts" -- python3 -c "import json, sys; a, b = (json.load(open(p)) for p in sys.argv[1:]); sys.exit(0 if a['l2_burst'] == b['l2_burst'] and len(a['l2_burst']) == 7 else 1)" "$T/h100.json" data/boards/h100-sxm.json
expect 2 "l2-rates without the profile" -- sh scripts/l2-rates.sh "$T/h100.json" --profile "$T/none.csv"
has "$T/err" "no profile '$T/none.csv'" "l2-rates names the missing profile"
python3 -c "
import csv, gzip, sys
r = csv.DictReader(gzip.open(sys.argv[1], 'rt'))
w = csv.DictWriter(open(sys.argv[2], 'w', newline=''), r.fieldnames)
w.writeheader()
w.writerows(dict(x, profiled='0') for x in r)" data/boards/logs/h100-sxm-l2burst.csv.gz "$T/unprofiled.csv"
cp data/boards/h100-sxm.json "$T/h100b.json"
expect 1 "l2-rates on a profile without counters" -- sh scripts/l2-rates.sh "$T/h100b.json" --profile "$T/unprofiled.csv"
has "$T/err" "profiled" "l2-rates says what the profile lacks"
expect 0 "l2-rates leaves the board as it was" -- cmp "$T/h100b.json" data/boards/h100-sxm.json
# --dram: the DRAM ladders of the kept profile, nothing else of the board file
cp data/boards/h100-sxm.json "$T/h100d.json"
expect 0 "l2-rates --dram from a kept profile" -- sh scripts/l2-rates.sh --dram "$T/h100d.json" --profile data/boards/logs/h100-sxm-dram.csv.gz
has "$T/out" "dram_burst N:bytes:median:rate 1:4.12MiB:3440ns" "l2-rates --dram prints the read bursts"
has "$T/out" "dram_copy N:bytes:median:rate 1:8.25MiB:4880ns" "l2-rates --dram prints the copies"
expect 0 "l2-rates --dram: the shipped ladders, the rest unchanged" -- python3 -c "
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
same = all(a[k] == b[k] for k in ('dram_burst', 'dram_copy')) and len(a['dram_burst']) == 7
rest = all(a[k] == b[k] for k in b if k not in ('provenance',))
sys.exit(0 if same and rest else 1)" "$T/h100d.json" data/boards/h100-sxm.json
cp data/boards/h100-sxm.json "$T/h100e.json"
expect 1 "l2-rates --dram on a profile of the L2 kernels" -- sh scripts/l2-rates.sh --dram "$T/h100e.json" --profile data/boards/logs/h100-sxm-l2burst.csv.gz
has "$T/err" "no l2r_dram launches" "l2-rates --dram says what the profile lacks"
expect 0 "l2-rates --dram leaves the board as it was" -- cmp "$T/h100e.json" data/boards/h100-sxm.json

echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
