"""bootlist -o, inittab/lsitab, lssrc, odmget."""

import pytest
from aix_samples import samples

from aixdr_agent.aix import AixParseError
from aixdr_agent.aix.bootlist import BootEntry, bootlist_devices, parse_bootlist_o
from aixdr_agent.aix.inittab import InittabEntry, parse_inittab_line, parse_lsitab_a
from aixdr_agent.aix.lssrc import Subsystem, parse_lssrc, parse_lssrc_S


def test_bootlist():
    text = "hdisk0 blv=hd5 pathid=0\nhdisk0 blv=hd5 pathid=1\nhdisk1 blv=hd5 pathid=0\n"
    entries = parse_bootlist_o(text)
    assert entries[0] == BootEntry("hdisk0", {"blv": "hd5", "pathid": "0"})
    assert bootlist_devices(entries) == ["hdisk0", "hdisk1"]
    assert parse_bootlist_o("") == []
    assert parse_bootlist_o("ent0 bserver=10.0.0.5 gateway=10.0.0.1 client=10.0.0.9\n")[
        0].attrs["bserver"] == "10.0.0.5"
    assert parse_bootlist_o("0514-202 bootlist: Invalid device name (hdisk9)\n") == []


INITTAB = """\
: @(#)49        1.28.2.7  src/bos/etc/inittab/inittab, cmdoper, bos
init:2:initdefault:
brc::sysinit:/sbin/rc.boot 3 >/dev/console 2>&1 # Phase 3 of system boot

srcmstr:23456789:respawn:/usr/sbin/srcmstr # System Resource Controller
nimclient:2:once:/usr/sbin/nimclient -S running > /dev/console 2>&1
"""


def test_inittab():
    entries = parse_lsitab_a(INITTAB)
    assert [e.ident for e in entries] == ["init", "brc", "srcmstr", "nimclient"]
    assert entries[0] == InittabEntry("init", "2", "initdefault", "")
    assert entries[1].runlevel == ""
    e = parse_inittab_line("aixdr:2:wait:/opt/aixdr/bin/aixdr-boot -c a:b # DR site check\n")
    assert e.command == "/opt/aixdr/bin/aixdr-boot -c a:b # DR site check"
    assert e.record() == "aixdr:2:wait:/opt/aixdr/bin/aixdr-boot -c a:b # DR site check"
    off = InittabEntry(e.ident, e.runlevel, "off", e.command)
    assert off.record().startswith("aixdr:2:off:")


@pytest.mark.parametrize("bad", ["", "a:b:c", ":comment:x:y", "   :2:once:x"])
def test_inittab_line_rejects(bad):
    with pytest.raises(AixParseError):
        parse_inittab_line(bad)


def test_lsitab_messages_and_garbage():
    assert parse_lsitab_a("lsitab: 0481-208 Cannot open /etc/inittab.\n") == []
    assert parse_lsitab_a("") == []
    with pytest.raises(AixParseError):
        parse_lsitab_a("garbage\n")


LSSRC = """\
Subsystem         Group            PID          Status
 syslogd          ras              3932478      active
 sendmail         mail             4587716      active
 nimsh            nimclient        5243090      active
 aixdrd           aixdr                         inoperative
 qdaemon          spooler                       inoperative
 aso                               6029758      active
 gsclvmd                                        inoperative
 cthags           cthags           14025054     warned to stop
"""


def test_lssrc_golden():
    subs = {s.name: s for s in parse_lssrc(LSSRC)}
    assert subs["nimsh"] == Subsystem("nimsh", "nimclient", 5243090, "active")
    assert subs["aixdrd"] == Subsystem("aixdrd", "aixdr", None, "inoperative")
    assert subs["aso"] == Subsystem("aso", None, 6029758, "active")
    assert subs["gsclvmd"] == Subsystem("gsclvmd", None, None, "inoperative")
    assert subs["cthags"].status == "warned to stop"


def test_lssrc_samples():
    subs = {n: {s.name: s for s in parse_lssrc(t)} for n, t in samples("lssrc-a")}
    assert len(subs["ansible-1.txt"]) == 75
    assert subs["ansible-1.txt"]["IBM.MgmtDomainRM"] == Subsystem(
        "IBM.MgmtDomainRM", "rsct_rm", 14090676, "active")
    assert subs["mondoo-1.txt"]["nimsh"] == Subsystem("nimsh", "nimclient", None,
                                                      "inoperative")


def test_lssrc_errors():
    assert parse_lssrc("") == []
    assert parse_lssrc("0513-085 The nosuch Subsystem is not on file.\n") == []
    with pytest.raises(AixParseError):
        parse_lssrc("garbage line here too many fields\n")


def test_lssrc_S():
    text = ("#subsysname:synonym:cmdargs:path:uid:auditid:standin:standout:standerr:action:"
            "multi:contact:svrkey:svrmtype:priority:signorm:sigforce:display:waittime:"
            "grpname:\n"
            "aixdrd:::/opt/aixdr/bin/aixdrd:0:0:/dev/null:/var/log/aixdrd.out:"
            "/var/log/aixdrd.err:-O:-Q:-S:0:0:20:15:9:-d:20:aixdr:\n")
    (d,) = parse_lssrc_S(text)
    assert d["subsysname"] == "aixdrd" and d["path"] == "/opt/aixdr/bin/aixdrd"
    assert d["signorm"] == "15" and d["grpname"] == "aixdr" and d["synonym"] == ""
    # a colon inside cmdargs
    (d,) = parse_lssrc_S("#subsysname:cmdargs:path:\nx:-a b:c:/bin/x:\n")
    assert d == {"subsysname": "x", "cmdargs": "-a b:c", "path": "/bin/x"}
    with pytest.raises(AixParseError):
        parse_lssrc_S("x:y:\n")
