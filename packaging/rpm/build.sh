#!/bin/sh
# Build the aixdr-agent RPM from this work tree.
#
#   packaging/rpm/build.sh [rpmbuild options]
#
# On an AIX build host with the Toolbox rpm-build: no options. On Linux (CI) give the AIX
# target: --target noarch-ibm-aix6.1. The .rpm goes to $AIXDR_RPM_OUT (default dist/) and
# its path is the last line printed. POSIX sh and AIX tools only (no GNU tar options, no
# mktemp), so it runs unchanged on AIX.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$top/aixdr_agent/__init__.py")
[ -n "$version" ] || { echo "build.sh: no __version__ in aixdr_agent/__init__.py" >&2; exit 1; }
out=${AIXDR_RPM_OUT:-$top/dist}
work=${TMPDIR:-/tmp}/aixdr-rpm.$$
name=aixdr-agent-$version

rm -rf "$work"
mkdir -p "$work/SOURCES" "$work/src/$name" "$out"
trap 'rm -rf "$work"' EXIT INT TERM

# The source tarball: only what the spec installs, without compiled Python.
cd "$top"
mkdir -p "$work/src/$name/docs"
cp -R aixdr_agent rc inittab README.md "$work/src/$name/"
cp docs/aixdr-agent.8 "$work/src/$name/docs/"
find "$work/src/$name" \( -name __pycache__ -o -name '*.pyc' \) -prune -exec rm -rf {} \;
(cd "$work/src" && tar cf - "$name") | gzip -c > "$work/SOURCES/$name.tar.gz"

rpmbuild -bb --define "_topdir $work" --define "version_override $version" "$@" \
    "$here/aixdr-agent.spec" >&2

rpm=$(find "$work/RPMS" -name "$name-*.rpm" | head -n 1)
[ -n "$rpm" ] || { echo "build.sh: rpmbuild made no $name rpm" >&2; exit 1; }
cp "$rpm" "$out/"
echo "$out/$(basename "$rpm")"
