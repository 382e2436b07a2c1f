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

echo "golden: $pass passed, $fail failed"
[ "$fail" = 0 ]
