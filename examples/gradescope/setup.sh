#!/usr/bin/env bash
# Gradescope runs this once, as root, when the autograder image is built
# (Ubuntu). It installs nabla as /usr/local/bin/nabla:
#
# - a prebuilt Linux binary shipped in the zip as `nabla` is used as is
#   (build it with `cargo build --release` on x86_64 Linux: fastest), or
# - nabla's source shipped in the zip as `nabla-src/` is built with a
#   Rust toolchain installed here (a few minutes, once).
set -eu

here=$(cd "$(dirname "$0")" && pwd)

if [ -x "$here/nabla" ]; then
    install -m 755 "$here/nabla" /usr/local/bin/nabla
elif [ -d "$here/nabla-src" ]; then
    apt-get update
    apt-get install -y --no-install-recommends curl ca-certificates build-essential
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
    # shellcheck disable=SC1091
    . "$HOME/.cargo/env"
    cargo build --release --locked --manifest-path "$here/nabla-src/Cargo.toml"
    install -m 755 "$here/nabla-src/target/release/nabla" /usr/local/bin/nabla
else
    echo "setup.sh: put a nabla binary (nabla) or nabla's source (nabla-src/) next to me" >&2
    exit 1
fi
chmod +x "$here/run_autograder"
nabla --version
