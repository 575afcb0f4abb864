"""bootlist -o, inittab/lsitab, lssrc, odmget (the stanza parser and the bulk
device-attribute readers, on the real captures read in place: CuDv with blank and with
two-TAB indentation, CuAt of proc0, PdDv; and on the layout COMMANDS.md documents)."""

import pytest

from aixdr_agent.aix import AixParseError
from aixdr_agent.aix.bootlist import BootEntry, bootlist_devices, parse_bootlist_o
from aixdr_agent.aix.inittab import InittabEntry, parse_inittab_line, parse_lsitab_a
from aixdr_agent.aix.lssrc import Subsystem, parse_lssrc, parse_lssrc_S
from aixdr_agent.aix.odmget import (
    OdmStanza,
    customized,
    defaults,
    device_types,
    odmget_argv,
    parse_odmget,
)
from tests.harness.samples import samples


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



ODM = """
CuAt:
\tname = "sys0"
\tattribute = "clouddev"
\tvalue = "1"
\ttype = "R"
\tgeneric = "DU"
\trep = "nl"
\tnls_index = 105
"""


def test_odmget_golden():
    assert parse_odmget(ODM) == [OdmStanza("CuAt", {
        "name": "sys0", "attribute": "clouddev", "value": "1", "type": "R",
        "generic": "DU", "rep": "nl", "nls_index": "105"})]
    assert customized(parse_odmget(ODM)) == {"sys0": ["1"]}
    assert parse_odmget("") == []
    two_line = 'PdAt:\n\tvalues = "a,b,\nc,d"\n\ttype = "R"\n'
    assert parse_odmget(two_line)[0].fields == {"values": "a,b,\nc,d", "type": "R"}
    for bad in ("\tname = x\n", "CuAt:\n\tno equals sign here\n"):
        with pytest.raises(AixParseError):
            parse_odmget(bad)


def test_odmget_samples():
    got = {n: parse_odmget(t) for n, t in samples("odmget")}
    assert [s.fields["name"] for s in got["facter-1.txt"]] == ["hd5", "hd6"]
    assert got["facter-3.txt"][1].fields["status"] == "0"        # two-TAB indentation
    assert got["facter-4.txt"][0].cls == "PdDv"
    assert device_types(got["facter-1.txt"]) == {
        "hd5": "logical_volume/lvsubclass/lvtype", "hd6": "logical_volume/lvsubclass/lvtype"}
    assert device_types(got["facter-3.txt"]) == {
        "proc0": "processor/sys/proc_rspc", "proc8": "processor/sys/proc_rspc"}
    cu = customized(got["facter-2.txt"])
    assert cu == {"proc0": ["PowerPC_POWER8", "3425000000", "8", "true"]}
    assert device_types(got["facter-4.txt"]) == {}       # PdDv: no device names
    assert defaults(got["facter-2.txt"]) == {}            # CuAt is not PdAt


PDAT = """
PdAt:
\tuniquetype = "disk/fcp/mpioosdisk"
\tattribute = "queue_depth"
\tdeflt = "20"
\tvalues = "1-256,1"
\twidth = ""
\ttype = "R"
\tgeneric = "DU"
\trep = "nr"
\tnls_index = 21

PdAt:
\tuniquetype = "driver/efcp/efscsi"
\tattribute = "queue_depth"
\tdeflt = ""
\tvalues = ""
\twidth = ""
\ttype = "R"
\tgeneric = "DU"
\trep = "s"
\tnls_index = 3
"""


def test_defaults_and_argv():
    assert defaults(parse_odmget(PDAT)) == {"disk/fcp/mpioosdisk": "20", "driver/efcp/efscsi": ""}
    assert odmget_argv("CuDv") == ["odmget", "CuDv"]
    assert odmget_argv("CuAt", "attribute=queue_depth") == [
        "odmget", "-q", "attribute=queue_depth", "CuAt"]
    assert customized(parse_odmget("")) == {}
