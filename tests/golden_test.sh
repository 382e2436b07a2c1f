#!/bin/sh
# Golden tests: crossboard outputs on recorded inputs compared byte for byte
# with stored expectations.  `make golden-update` (this script with --update)
# regenerates them on purpose; review the diff before committing.
B=${BSPGPU:-build/bspgpu}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
update=0
[ "$1" = "--update" ] && update=1
pass=0
fail=0

# golden NAME ARGS...: run crossboard with ARGS, compare NAME.kernels.csv and NAME.apps.csv
golden() {
    name=$1; shift
    if ! "$B" crossboard --quiet "$@" -o "$T/$name.kernels.csv" --summary "$T/$name.apps.csv" 2>"$T/err"; then
        fail=$((fail + 1)); echo "FAIL: $name: crossboard failed"; cat "$T/err"; return
    fi
    for f in kernels apps; do
        if [ $update = 1 ]; then
            cp "$T/$name.$f.csv" "tests/golden/$name.$f.csv"; pass=$((pass + 1))
        elif cmp -s "$T/$name.$f.csv" "tests/golden/$name.$f.csv"; then
            pass=$((pass + 1))
        else
            fail=$((fail + 1)); echo "FAIL: $name.$f.csv differs from tests/golden:"
            diff "tests/golden/$name.$f.csv" "$T/$name.$f.csv" | head -10
        fi
    done
}

F=tests/fixtures
golden fixture --board-a $F/boards/fixture-a.json --board-b $F/boards/fixture-b.json \
    --profile-a $F/profiles/fixture-a.csv --profile-b $F/profiles/fixture-b.csv --models all

# recorded profiles of real boards (data/), when shipped
if [ -f tests/golden/recorded.args ]; then
    # shellcheck disable=SC2046
    golden recorded $(cat tests/golden/recorded.args)
fi

# recorded timelines (data/timelines): apptime H100 -> H200 compared byte for byte, and the
# replay of a run with its own durations on its own board gives its window back
goldenapp() {
    name=$1; shift
    if ! "$B" apptime "$@" -o "$T/$name.apptime.csv" 2>"$T/err"; then
        fail=$((fail + 1)); echo "FAIL: $name: apptime failed"; cat "$T/err"; return
    fi
    if [ $update = 1 ]; then
        cp "$T/$name.apptime.csv" "tests/golden/$name.apptime.csv"; pass=$((pass + 1))
    elif cmp -s "$T/$name.apptime.csv" "tests/golden/$name.apptime.csv"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1)); echo "FAIL: $name.apptime.csv differs from tests/golden:"
        diff "tests/golden/$name.apptime.csv" "$T/$name.apptime.csv" | head -10
    fi
}
TD=data/timelines
if [ -d $TD/h100-sxm ] && [ -d $TD/h200 ]; then
    for app in cnn_resnet18_b1_bench0 vadd; do
        goldenapp "recorded-$app" --board-a data/boards/h100-sxm.json --board-b data/boards/h200.json \
            --profile-a data/profiles/h100-sxm/$app.csv --timeline-a $TD/h100-sxm/$app.csv.gz \
            --timeline-b $TD/h200/$app.csv.gz --model hybrid --app $app
        "$B" apptime --board-a data/boards/h200.json --board-b data/boards/h200.json --profile-a $TD/h200/$app.csv.gz \
            --timeline-b $TD/h200/$app.csv.gz --model same --host same --app $app >"$T/id.csv" 2>/dev/null
        if awk -F, 'NR == 2 { d = $14 - $25; if (d < 0) d = -d; exit !(d <= 1e-5 * $25 && $25 > 0) }' "$T/id.csv"; then
            pass=$((pass + 1))
        else
            fail=$((fail + 1)); echo "FAIL: $app: replay with its own durations is not its window:"; cat "$T/id.csv"
        fi
    done
fi

echo "golden: $pass passed, $fail failed"
[ "$fail" = 0 ]
