#!/bin/sh
# Build the installp fileset aixdr.agent.rte with mkinstallp, on an AIX build host.
#
#   packaging/installp/build.sh [OUTDIR]        as root, with bos.adt.insttools installed
#   packaging/installp/build.sh -n OUTDIR       stage and render the template only (no
#                                               chown, no mkinstallp): runs anywhere
#
# The build root mirrors the installed tree (mkinstallp packages files where they lie):
#   USR part   /usr/bin/aixdr-agent (rc/aixdr-agent), /opt/aixdr/lib/aixdr_agent/,
#              /usr/share/man/man8/aixdr-agent.8 (the manual page),
#              /opt/aixdr/share/{aixdr,aixdrd} (the inittab records, for reference)
#   ROOT part  /etc/aixdr/agent.yaml.example, /var/adm/aixdr/ (the state folder)
# The ROOT part's configuration scripts call `aixdr-agent install` / `uninstall`, so a
# NIM SPOT or a WPAR gets the inittab entry and the SRC subsystem in its own root.
# Owners and modes are taken from the build root: root/system, 755 and 644.
# The result: OUTDIR/aixdr.agent.VRMF.bff and a .toc, ready for installp -d OUTDIR or NIM.
set -eu

stage_only=
if [ "${1:-}" = "-n" ]; then
    stage_only=1
    shift
fi
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:-$top/dist/installp}
version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$top/aixdr_agent/__init__.py")
# installp levels have four numeric parts: 0.1.0 -> 0.1.0.0
vrmf=$(echo "$version.0.0.0" | awk -F. '{print $1"."$2"."$3"."$4}')
case $vrmf in
    *[!0-9.]*|*..*|.*) echo "build.sh: version $version does not make a VRMF" >&2; exit 1;;
esac

work=${TMPDIR:-/tmp}/aixdr-installp.$$
root=$work/root
rm -rf "$work"
mkdir -p "$root/usr/bin" "$root/usr/share/man/man8" "$root/opt/aixdr/lib" "$root/opt/aixdr/share" \
         "$root/etc/aixdr" "$root/var/adm/aixdr" "$work/scripts" "$out"
if [ -z "$stage_only" ]; then
    trap 'rm -rf "$work"' EXIT INT TERM
fi

cd "$top"
cp rc/aixdr-agent "$root/usr/bin/aixdr-agent"
cp docs/aixdr-agent.8 "$root/usr/share/man/man8/aixdr-agent.8"
cp -R aixdr_agent "$root/opt/aixdr/lib/"
find "$root/opt/aixdr/lib" \( -name __pycache__ -o -name '*.pyc' \) -prune -exec rm -rf {} \;
cp inittab/aixdr inittab/aixdrd "$root/opt/aixdr/share/"
cp aixdr_agent/examples/agent.yaml "$root/etc/aixdr/agent.yaml.example"
for s in config unconfig config_u unconfig_u; do
    cp "$here/$s" "$work/scripts/$s"
    chmod 755 "$work/scripts/$s"
done

find "$root" -type d -exec chmod 755 {} \;
find "$root" -type f -exec chmod 644 {} \;
chmod 755 "$root/usr/bin/aixdr-agent"

# The file lists: every file and folder the fileset owns, never a system folder (/usr/bin,
# /usr/share/man/man8, /opt, /etc, /var/adm), so deinstalling never takes one away.
(cd "$root" && find usr/bin/aixdr-agent usr/share/man/man8/aixdr-agent.8 opt/aixdr -print) | sort | sed 's#^#    /#' \
    > "$work/usr.list"
(cd "$root" && find etc/aixdr var/adm/aixdr -print) | sort | sed 's#^#    /#' \
    > "$work/root.list"
template=$work/aixdr.agent.template
sed -e "s#@VRMF@#$vrmf#g" -e "s#@SCRIPTS@#$work/scripts#g" \
    -e "/@USRFILES@/r $work/usr.list" -e "/@ROOTFILES@/r $work/root.list" \
    "$here/aixdr.agent.template" | sed -e '/@USRFILES@/d' -e '/@ROOTFILES@/d' > "$template"

if [ -n "$stage_only" ]; then
    cp "$template" "$out/aixdr.agent.template"
    echo "$work"
    exit 0
fi

[ "$(id -u)" -eq 0 ] || { echo "build.sh: mkinstallp needs root" >&2; exit 1; }
chown -R root:system "$root"
mkinstallp -d "$root" -T "$template"
bff=$root/tmp/aixdr.agent.$vrmf.bff
[ -f "$bff" ] || { echo "build.sh: mkinstallp made no $bff" >&2; exit 1; }
cp "$bff" "$out/"
cp "$template" "$out/aixdr.agent.template"
(cd "$out" && rm -f .toc && inutoc .)
installp -ld "$out"
echo "$out/aixdr.agent.$vrmf.bff"
