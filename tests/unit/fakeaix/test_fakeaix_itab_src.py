"""inittab commands (§7.2) and the SRC (§9)."""

NIM = "nimclient:2:once:/usr/sbin/nimclient -S running > /dev/console 2>&1"
AGENT = "aixdr:2:wait:/usr/bin/aixdr-agent boot >/dev/console 2>&1"


def test_lsitab(aix):
    assert aix("lsitab", "nimclient").stdout == NIM + "\n"
    r = aix("lsitab", "nosuch")
    assert (r.returncode, r.stdout, r.stderr) == (1, "", "")
    lines = aix("lsitab", "-a").stdout.splitlines()
    assert lines[0] == "init:2:initdefault:" and lines[-1] == NIM
    assert not any(x.startswith(":") for x in lines)
    assert [x.split(":")[0] for x in lines].index("srcmstr") < [
        x.split(":")[0] for x in lines].index("rctcpip")
    r = aix("lsitab")
    assert r.returncode == 1 and r.stderr == 'Usage:\tlsitab ["ident"|-a]\n'


def test_mkitab_chitab_rmitab(host, aix):
    r = aix("mkitab", "-i", "srcmstr", AGENT)
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    idents = [x.split(":")[0] for x in aix("lsitab", "-a").stdout.splitlines()]
    assert idents[idents.index("srcmstr") + 1] == "aixdr"
    r = aix("mkitab", AGENT)
    assert (r.returncode, r.stderr) == (
        1, "mkitab: 0481-205 The ident entry already exists in /etc/inittab.\n")
    r = aix("mkitab", "-i", "nosuch", "x:2:once:/bin/true")
    assert r.stderr == "mkitab: 0481-207 The ident field specified does not exist.\n"
    r = aix("mkitab", "averyveryverylongident:2:once:/bin/true")
    assert r.returncode == 1 and r.stderr.startswith(
        "mkitab: 0481-204 The ident field is not correct.\nUsage:\tmkitab")
    r = aix("mkitab", "x:2z:once:/bin/true")
    assert "0481-210" in r.stderr
    off = NIM.replace(":once:", ":off:")
    assert aix("chitab", off).returncode == 0
    assert aix("lsitab", "nimclient").stdout == off + "\n"
    r = aix("chitab", "nosuch:2:off:/bin/true")
    assert r.stderr == "chitab: 0481-207 The ident field specified does not exist.\n"
    assert aix("rmitab", "aixdr").returncode == 0
    assert aix("rmitab", "aixdr").returncode == 1
    text = host.machine()["files"]["/etc/inittab"]
    assert "aixdr:" not in text and text.endswith(off + "\n")
    ok = [c["argv"][0] for c in host.mutating_calls() if c["rc"] == 0]
    assert ok == ["mkitab", "chitab", "rmitab"]
    assert len(host.mutating_calls()) == 9  # failed attempts are listed too


def test_src_lifecycle(host, aix):
    r = aix("mkssys", "-s", "aixdr", "-p", "/usr/bin/aixdr-agent", "-u", "0", "-a", "daemon",
            "-S", "-n", "15", "-f", "9", "-R", "-G", "aixdr")
    assert (r.returncode, r.stdout) == (0, "0513-071 The aixdr Subsystem has been added.\n")
    r = aix("mkssys", "-s", "aixdr", "-p", "/x", "-u", "0")
    assert (r.returncode, r.stderr) == (1, "0513-070 Subsystem or synonym_name is already on "
                                           "file.\n")
    assert aix("mkssys", "-s", "x", "-p", "/x").returncode != 0
    r = aix("lssrc", "-s", "aixdr")
    assert r.stdout == ("Subsystem         Group            PID          Status\n"
                        " aixdr            aixdr                         inoperative\n")
    r = aix("lssrc", "-S", "-s", "aixdr")
    assert r.stdout.splitlines()[1] == (
        "aixdr::daemon:/usr/bin/aixdr-agent:0:0:/dev/console:/dev/console:/dev/console:-R:-Q:"
        "-S:0:0:20:15:9:-d:20:aixdr:")
    r = aix("startsrc", "-s", "aixdr")
    pid = host.machine()["src"]["subsystems"]["aixdr"]["pid"]
    assert r.stdout == ("0513-059 The aixdr Subsystem has been started. Subsystem PID is %d.\n"
                        % pid)
    r = aix("startsrc", "-s", "aixdr")
    assert r.returncode == 1 and r.stderr == (
        "0513-029 The aixdr Subsystem is already active.\nMultiple instances are not "
        "supported.\n")
    assert " aixdr            aixdr            %-12d active\n" % pid in aix("lssrc", "-a").stdout
    r = aix("stopsrc", "-s", "aixdr")
    assert r.stdout == "0513-044 The aixdr Subsystem was requested to stop.\n"
    r = aix("stopsrc", "-s", "aixdr")
    assert r.stderr == "0513-004 The Subsystem or Group, aixdr, is currently inoperative.\n"
    assert aix("chssys", "-s", "aixdr", "-a", "daemon -v").stdout == (
        "0513-077 Subsystem has been changed.\n")
    assert aix("rmssys", "-s", "aixdr").stdout == "0513-083 Subsystem has been Deleted.\n"
    r = aix("lssrc", "-s", "aixdr")
    assert (r.returncode, r.stderr) == (1, "0513-085 The aixdr Subsystem is not on file.\n")
    r = aix("stopsrc", "-g", "nimclient")
    assert r.stdout == "0513-044 The nimsh Subsystem was requested to stop.\n"
    with host.edit() as m:
        m["src"]["active"] = False
    r = aix("lssrc", "-a")
    assert (r.returncode, r.stderr) == (
        1, "0513-001 The System Resource Controller daemon is not active.\n")
