#!/usr/bin/env bash
# Fuzzes one parser of the core with AFL++ and SharpFuzz (docs/FUZZING.md).
#
#   tests/Secrets.Fuzz/fuzz.sh TARGET [SECONDS]     fuzz TARGET for SECONDS (default 600)
#   tests/Secrets.Fuzz/fuzz.sh list                 the targets
#   tests/Secrets.Fuzz/fuzz.sh keep TARGET [BYTES [FILES]]
#                                                   add to the corpus the inputs of the last run that
#                                                   reach the most edges the corpus does not, per byte,
#                                                   within BYTES and FILES in all (default 3000 and 40),
#                                                   as found-NN
#
# Installs what it needs: afl++ from Debian's packages (apt-get, as root or with sudo) and the
# sharpfuzz instrumenter from the repository's tool manifest (dotnet-tools.json). Builds the fuzz
# program into out/fuzz/plain, copies it to out/fuzz/bin and instruments Secrets.Core.dll and
# YamlDotNet.dll there (never the copies the tests use), fuzzes from the committed corpus (tests/Secrets.Fuzz/corpus/TARGET) into
# out/fuzz/findings/TARGET, then prints the figures and replays every crash and hang it found
# through the contract checks. Exits 1 when it found any.
#
# Environment: SECRETS_FUZZ_OUT (default out/fuzz), SECRETS_FUZZ_TIMEOUT_MS (per input, default
# 2000), SECRETS_FUZZ_RESUME=1 to continue a previous run of the target instead of starting anew.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${SECRETS_FUZZ_OUT:-$root/out/fuzz}"
bin="$out/bin"       # instrumented: runs only under afl-fuzz
plain="$out/plain"   # the same build, not instrumented: replays what the fuzzer found
timeout_ms="${SECRETS_FUZZ_TIMEOUT_MS:-2000}"
targets="dotenv flat-values identity identity-backup ini kubernetes log-entry manifest provider-files recipient secret-reference structured-values value-codec version-file"

usage() {
    echo "usage: $0 TARGET [SECONDS] | keep TARGET [BYTES [FILES]] | list" >&2
    echo "targets: $targets" >&2
    exit 2
}

[ $# -ge 1 ] || usage
if [ "$1" = list ]; then
    printf '%s\n' $targets
    exit 0
fi
mode=fuzz
if [ "$1" = keep ]; then
    mode=keep
    shift
    [ $# -ge 1 ] || usage
fi
target="$1"
seconds="${2:-600}"
case " $targets " in *" $target "*) ;; *) usage ;; esac

export AFL_SKIP_BIN_CHECK=1                      # the target is the .NET runtime, instrumented by SharpFuzz, not by afl's compiler
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1   # the system's core_pattern is not ours to change
export DOTNET_GCHeapHardLimit=0x20000000         # 512 MiB: an input that needs more is a crash, not a swapping machine

if [ "$mode" = keep ]; then
    budget="${2:-3000}"
    files="${3:-40}"
    corpus="$here/corpus/$target"
    queue="$out/findings/$target/default/queue"
    [ -d "$queue" ] && [ -f "$bin/Secrets.Fuzz.dll" ] || { echo "no run of $target to keep inputs from ($queue)" >&2; exit 1; }
    maps="$(mktemp -d)"
    trap 'rm -rf "$maps"' EXIT
    afl-showmap -q -m none -t 5000 -i "$corpus" -o "$maps/corpus" -- dotnet "$bin/Secrets.Fuzz.dll" "$target" >/dev/null 2>&1 || true
    afl-showmap -q -m none -t 5000 -i "$queue" -o "$maps/queue" -- dotnet "$bin/Secrets.Fuzz.dll" "$target" >/dev/null 2>&1 || true
    for map in "$maps"/queue/*; do
        printf '%s %s\n' "$(wc -c <"$queue/$(basename "$map")")" "$map"
    done >"$maps/sizes"
    # Greedy: the input with the most edges the corpus lacks per byte, while the budget lasts.
    chosen="$(awk -v budget="$budget" -v files="$files" -v sizes="$maps/sizes" '
        BEGIN { while ((getline line < sizes) > 0) { split(line, f, " "); size[f[2]] = f[1] } }
        { split($0, t, ":"); if (FILENAME ~ /\/corpus\//) have[t[1]] = 1; else { edges[FILENAME] = edges[FILENAME] " " t[1] } }
        END {
            used = 0
            while (count < files) {
                best = ""; bestRate = 0
                for (file in edges) {
                    if (taken[file] || used + size[file] > budget) continue
                    n = split(edges[file], e, " "); gain = 0
                    for (i = 1; i <= n; i++) if (!(e[i] in have)) gain++
                    rate = gain / (size[file] + 20)
                    if (gain > 0 && rate > bestRate) { best = file; bestRate = rate }
                }
                if (best == "") break
                taken[best] = 1; used += size[best]; count++
                n = split(edges[best], e, " "); for (i = 1; i <= n; i++) have[e[i]] = 1
                print best
            }
        }' "$maps"/corpus/* "$maps"/queue/*)"
    n="$(find "$corpus" -name 'found-*' | wc -l)"
    for map in $chosen; do
        n=$((n + 1))
        cp "$queue/$(basename "$map")" "$(printf '%s/found-%02d' "$corpus" "$n")"
        echo "kept $(basename "$map") as found-$(printf '%02d' "$n") ($(wc -c <"$queue/$(basename "$map")") bytes)"
    done
    exit 0
fi

# 1. afl-fuzz, from Debian's package.
if ! command -v afl-fuzz >/dev/null 2>&1; then
    echo "Installing afl++ (Debian package)..."
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends afl++ >/dev/null
fi

# 2. The instrumenter, pinned in the tool manifest.
(cd "$root" && dotnet tool restore >/dev/null)

# 3. Build and instrument once per change of the core or the targets; runs of several targets at
#    once share the build, one at a time.
mkdir -p "$out"
(
    flock 9
    stamp="$bin/.instrumented"
    if [ ! -f "$stamp" ] || [ -n "$(find "$root/src/Secrets.Core" "$here" "$root/Directory.Packages.props" \
            \( -name bin -o -name obj -o -name corpus \) -prune -o -type f -newer "$stamp" -print -quit)" ]; then
        echo "Building and instrumenting into $bin..."
        rm -rf "$bin" "$plain"
        dotnet publish "$here/Secrets.Fuzz.csproj" -c Release -o "$plain" -p:UseAppHost=false >/dev/null
        cp -r "$plain" "$bin"
        for dll in Secrets.Core.dll YamlDotNet.dll; do
            (cd "$root" && dotnet sharpfuzz "$bin/$dll")
        done
        touch "$stamp"
    fi
) 9>"$out/.build.lock"

# 4. Fuzz.
findings="$out/findings/$target"
if [ "${SECRETS_FUZZ_RESUME:-0}" = 1 ] && [ -d "$findings" ]; then
    export AFL_AUTORESUME=1
else
    rm -rf "$findings"
fi
mkdir -p "$out/findings"

export AFL_SKIP_CPUFREQ=1
export AFL_NO_AFFINITY=1                         # the machine is shared: let the kernel place the runs
export AFL_NO_UI=1
export AFL_SYNC_TIME=0
export DOTNET_TieredPGO=0
echo "Fuzzing $target for $seconds s (timeout $timeout_ms ms per input)..."
afl-fuzz -i "$here/corpus/$target" -o "$findings" -t "$timeout_ms" -m none -V "$seconds" \
    -- dotnet "$bin/Secrets.Fuzz.dll" "$target" >"$out/$target.log" 2>&1 || {
    echo "afl-fuzz failed; its output is in $out/$target.log:" >&2
    tail -n 30 "$out/$target.log" >&2
    exit 1
}

# 5. The figures, and every crash and hang through the contract checks.
stats="$findings/default/fuzzer_stats"
value() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
echo "$target: $(value execs_done) executions in $(value run_time) s ($(value execs_per_sec)/s), $(value corpus_count) inputs in the queue," \
    "$(value edges_found) edges of the instrumented code ($(value bitmap_cvg) of the map), $(value saved_crashes) crashes, $(value saved_hangs) hangs"
found=0
for kind in crashes hangs; do
    for file in "$findings/default/$kind"/id:*; do
        [ -e "$file" ] || continue
        found=1
        echo "$kind: $file"
        dotnet "$plain/Secrets.Fuzz.dll" replay "$target" "$file" || true
    done
done
exit "$found"
