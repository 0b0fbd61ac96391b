#!/bin/sh
# The linker cargo uses on Linux with glibc (.cargo/config.toml): `cc`, with
# one change for the `nabla` binary only — it is linked statically.
#
# Why: a dynamically linked nabla spends ~0.3 ms of every start in the
# dynamic loader (mapping libc and libm, binding symbols), a third of a
# tutor-size `nabla check` (docs/performance.md, "Start-up"). rustc's own
# switch for this, `-C target-feature=+crt-static`, cannot be set for the
# binary alone: from `.cargo/config.toml` it also reaches proc-macro crates,
# which then fail to build.
#
# How: build.rs adds `-static-pie` to the binary's link line (and only when
# this script is the linker and a static libc exists). Seeing it, this script
# turns rustc's dynamic system libraries (`-Wl,-Bdynamic -lc -lm …`) static,
# drops `-lgcc_s` (build.rs links the unwinder from libgcc_eh.a) and rustc's
# `-pie` (superseded by `-static-pie`). Every other link — build scripts,
# proc macros, tests, a Python extension — goes to `cc` untouched.
#
# rustc passes arguments in an @file only when the command line is too long
# for the system (E2BIG); then `-static-pie` would be inside the file, unseen
# here, and the binary half static: such a link is refused rather than made.
#
# (Not named link.sh: rustc takes a linker called `link` for MSVC's.)

cc=${NABLA_CC:-cc}
static=no
for a in "$@"; do
    case "$a" in
        -static-pie) static=yes ;;
        @*) if grep -qx -- '-static-pie' "${a#@}" 2>/dev/null; then
                echo "tools/linker.sh: static link requested inside a response file ($a);" \
                     "build with NABLA_LINK_DYNAMIC=1" >&2
                exit 1
            fi ;;
    esac
done
[ "$static" = yes ] || exec "$cc" "$@"

for a in "$@"; do
    shift
    case "$a" in
        -pie | -lgcc_s) ;;
        -Wl,-Bdynamic) set -- "$@" -Wl,-Bstatic ;;
        *) set -- "$@" "$a" ;;
    esac
done
exec "$cc" "$@"
