# What bench/engine.sh and bench/pack.sh share, sourced by both: GNU time (installed with
# apt-get when missing and this is root), and release builds of accord and the book generator.
# Sets $accord (ACCORD=path/to/accord times another build, as is) and $gen. Needs $repo and
# $work, and the caller's name in $bench.

if [ ! -x /usr/bin/time ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && apt-get install -y -qq time >/dev/null
    else
        echo "$bench: needs /usr/bin/time (Debian package time)" >&2
        exit 1
    fi
fi

target="${CARGO_TARGET_DIR:-$repo/target}"
echo "building accord and the book generator (release)..." >&2
(cd "$repo" && cargo build --release --quiet --bin accord --example gen_book)
accord="${ACCORD:-$target/release/accord}"
gen="$target/release/examples/gen_book"
mkdir -p "$work"
