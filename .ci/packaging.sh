#!/usr/bin/env bash
# CI, packaging: build the AIX RPM with Debian's rpmbuild (--target noarch-ibm-aix6.1), then
# check what is in it: the file list, modes and owners, the configuration flags, the
# requirements, the scriptlets (run against stubs for install, upgrade and erase), that the
# packaged launcher runs the packaged code, that both packages carry the manual page, and
# rpmlint with the AIX filters. Also checks the
# launcher and the installp scripts with `sh -n`. Exits non-zero at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

fail() { echo "packaging: FAIL: $*" >&2; exit 1; }
ok() { echo "packaging: ok: $*"; }

# -- tools ---------------------------------------------------------------------------------
need=()
command -v rpmbuild >/dev/null || need+=(rpm)
command -v rpm2cpio >/dev/null || need+=(rpm2cpio)
command -v cpio >/dev/null || need+=(cpio)
command -v rpmlint >/dev/null || need+=(rpmlint)
if [ ${#need[@]} -gt 0 ]; then
    echo "== apt-get install ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# -- shell syntax of what runs on AIX ---------------------------------------------------------
for script in rc/aixdr-agent packaging/rpm/build.sh packaging/installp/build.sh \
              packaging/installp/config packaging/installp/unconfig \
              packaging/installp/config_u packaging/installp/unconfig_u; do
    sh -n "$script" || fail "$script: sh -n"
done
ok "sh -n of the launcher, build and installp scripts"
for f in inittab/aixdr inittab/aixdrd; do
    python3 - "$f" <<'EOF' || fail "$f differs from what install writes"
import sys
from aixdr_agent.commands.install import boot_entry, starter_entry
want = {"inittab/aixdr": boot_entry(), "inittab/aixdrd": starter_entry()}[sys.argv[1]]
assert open(sys.argv[1]).read() == want.record() + "\n"
EOF
done
ok "inittab/ records are the ones install writes"

# -- build -----------------------------------------------------------------------------------
echo "== rpmbuild --target noarch-ibm-aix6.1"
version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' aixdr_agent/__init__.py)
rpm=$(AIXDR_RPM_OUT="$work/out" TMPDIR="$work" packaging/rpm/build.sh \
      --target noarch-ibm-aix6.1 2>"$work/rpmbuild.log" | tail -n 1) || {
    cat "$work/rpmbuild.log" >&2; fail "rpmbuild"; }
[ -f "$rpm" ] || fail "no rpm built"
ok "built $(basename "$rpm")"

q() { rpm -qp "$@" "$rpm" 2>/dev/null; }

# -- header ----------------------------------------------------------------------------------
[ "$(q --qf '%{NAME} %{VERSION} %{ARCH}')" = "aixdr-agent $version noarch" ] ||
    fail "name/version/arch: $(q --qf '%{NAME} %{VERSION} %{ARCH}')"
case $(q --qf '%{OS}') in aix*) ;; *) fail "os $(q --qf '%{OS}'), not aix";; esac
ok "aixdr-agent $version noarch for $(q --qf '%{OS}')"

# -- file list -------------------------------------------------------------------------------
q --qf '[%{FILEMODES:perms} %{FILEUSERNAME} %{FILEGROUPNAME} %{FILENAMES}\n]' \
    | sort -k4 > "$work/files"
# every regular file of the package, from the source tree (no compiled python)
( find aixdr_agent -type f ! -name '*.pyc' ! -path '*/__pycache__/*' \
    | sed 's#^#-rw-r--r-- root system /opt/aixdr/lib/#'
  find aixdr_agent -type d ! -name __pycache__ | sed 's#^#drwxr-xr-x root system /opt/aixdr/lib/#'
  cat <<EOF
drwxr-xr-x root system /etc/aixdr
-rw-r--r-- root system /etc/aixdr/agent.yaml.example
drwxr-xr-x root system /opt/aixdr
drwxr-xr-x root system /opt/aixdr/lib
drwxr-xr-x root system /opt/aixdr/share
-rw-r--r-- root system /opt/aixdr/share/aixdr
-rw-r--r-- root system /opt/aixdr/share/aixdrd
-rwxr-xr-x root system /usr/bin/aixdr-agent
-rw-r--r-- root system /usr/share/man/man8/aixdr-agent.8
drwxr-xr-x root system /var/adm/aixdr
EOF
) | sort -k4 > "$work/want"
grep -v ' /usr/share/doc/' "$work/files" > "$work/have" || true
diff -u "$work/want" "$work/have" || fail "file list (- expected, + in the rpm)"
grep -q ' /usr/share/doc/aixdr-agent-[^/]*/README.md$' "$work/files" || fail "README.md not in %doc"
ok "file list, modes and owners ($(wc -l < "$work/files") entries); no agent.yaml, no .pyc"

# -- the manual page -------------------------------------------------------------------------
(cd "$work" && rpm2cpio "$rpm" | cpio -i --quiet --to-stdout ./usr/share/man/man8/aixdr-agent.8) \
    > "$work/man.8" || fail "no manual page in the rpm"
cmp -s "$work/man.8" docs/aixdr-agent.8 || fail "the rpm's aixdr-agent.8 differs from docs/"
staged=$(TMPDIR="$work" sh packaging/installp/build.sh -n "$work/installp" | tail -n 1)
cmp -s "$staged/root/usr/share/man/man8/aixdr-agent.8" docs/aixdr-agent.8 ||
    fail "the installp build root has no (or another) usr/share/man/man8/aixdr-agent.8"
grep -qx '    /usr/share/man/man8/aixdr-agent.8' "$work/installp/aixdr.agent.template" ||
    fail "the installp USR file list does not name /usr/share/man/man8/aixdr-agent.8"
ok "aixdr-agent(8) in the rpm and the installp fileset at /usr/share/man/man8"

[ "$(q --configfiles)" = "/etc/aixdr/agent.yaml.example" ] || fail "config files: $(q --configfiles)"
q --qf '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' | grep -qx 'cn /etc/aixdr/agent.yaml.example' ||
    fail "agent.yaml.example is not %config(noreplace)"
ok "only the example is %config(noreplace); /etc/aixdr/agent.yaml is never the package's"

# -- requirements ----------------------------------------------------------------------------
q -R | sort -u | grep -v '^rpmlib(' > "$work/requires"
printf '%s\n' '/bin/sh' 'python3 >= 3.9' 'python3-psutil' 'python3-pyyaml' > "$work/want-req"
diff -u "$work/want-req" "$work/requires" || fail "requirements"
[ -z "$(q --provides | grep -v '^aixdr-agent ')" ] || fail "provides: $(q --provides)"
ok "requires python3 >= 3.9, python3-pyyaml, python3-psutil (and /bin/sh), nothing else"

# -- scriptlets ------------------------------------------------------------------------------
for tag in PREIN POSTUN PRETRANS POSTTRANS; do
    [ "$(q --qf "%{$tag}")" = "(none)" ] || fail "unexpected %{$tag} scriptlet"
done
stub=$work/stub
mkdir -p "$stub/bin" "$stub/lib"
for cmd in aixdr-agent stopsrc; do
    printf '#!/bin/sh\necho "%s $*" >> "%s/calls"\nexit ${STUB_RC:-0}\n' "$cmd" "$stub" \
        > "$stub/bin/$cmd"
    chmod +x "$stub/bin/$cmd"
done
scriptlet() {   # scriptlet TAG ARG: run the scriptlet with its absolute paths on the stubs
    q --qf "%{$1}" | sed -e "s#/usr/bin/#$stub/bin/#g" -e "s#/opt/freeware/bin/#$stub/none/#g" \
        -e "s#/opt/aixdr/lib#$stub/lib#g" > "$stub/script"
    : > "$stub/calls"
    sh "$stub/script" "$2" > "$stub/out" 2>&1 || fail "%{$1} $2 exited $?"
    tr '\n' ';' < "$stub/calls"
}
[ "$(scriptlet POSTIN 1)" = "aixdr-agent install;" ] || fail "%post on install: $(cat "$stub/calls")"
[ "$(scriptlet POSTIN 2)" = "stopsrc -s aixdr;aixdr-agent install;" ] ||
    fail "%post on upgrade: $(cat "$stub/calls")"
[ "$(scriptlet PREUN 0)" = "aixdr-agent uninstall;" ] || fail "%preun on erase: $(cat "$stub/calls")"
[ "$(scriptlet PREUN 1)" = "" ] || fail "%preun on upgrade must do nothing: $(cat "$stub/calls")"
[ "$(STUB_RC=1 scriptlet POSTIN 1)" = "aixdr-agent install;" ] &&
    grep -q "then run: .*/aixdr-agent install" "$stub/out" ||
    fail "%post with a failing install must say what to do and not fail the rpm"
ok "scriptlets: %post runs install (after stopsrc on upgrade), %preun runs uninstall on erase only"

# -- the packaged launcher runs the packaged code --------------------------------------------
mkdir -p "$work/root"
(cd "$work/root" && rpm2cpio "$rpm" | cpio -idm --quiet)
cmp -s "$work/root/usr/bin/aixdr-agent" rc/aixdr-agent || fail "launcher differs from rc/aixdr-agent"
sed -e "s#^AIXDR_LIB=.*#AIXDR_LIB=$work/root/opt/aixdr/lib#" \
    -e "s#for candidate in /opt/freeware/bin/python3#for candidate in $(command -v python3)#" \
    "$work/root/usr/bin/aixdr-agent" > "$work/launcher"
out=$(cd / && sh "$work/launcher" --version) || fail "packaged launcher --version"
[ "$out" = "aixdr-agent $version" ] || fail "packaged launcher says: $out"
ok "the packaged launcher runs the packaged code: $out"

# -- rpmlint ---------------------------------------------------------------------------------
echo "== rpmlint (AIX filters: packaging/rpm/aixdr-agent.rpmlintrc)"
rpmlint -s -r packaging/rpm/aixdr-agent.rpmlintrc "$rpm" packaging/rpm/aixdr-agent.spec \
    > "$work/rpmlint" 2>&1 || { cat "$work/rpmlint" >&2; fail "rpmlint"; }
tail -n 1 "$work/rpmlint"
ok "rpmlint clean"
echo "packaging: all checks passed"
