"""lsdev default and -F forms."""

import pytest

from aixdr_agent.aix import AixParseError
from aixdr_agent.aix.lsdev import Device, parse_lsdev
from tests.harness.samples import sample

# COMMANDS.md 3.6
DISKS = """\
hdisk0 Available C5-T1-01 MPIO IBM 2076 FC Disk
hdisk1 Available C5-T1-01 MPIO IBM 2076 FC Disk
hdisk2 Defined   C5-T1-01 MPIO IBM 2076 FC Disk
hdisk3 Defined   C5-T1-01 MPIO IBM 2076 FC Disk
hdisk4 Available C5-T1-01 MPIO IBM 2076 FC Disk
"""
VSCSI = """\
hdisk0 Available  Virtual SCSI Disk Drive
hdisk1 Available  Virtual SCSI Disk Drive
"""
ADAPTERS = """\
ent0   Available       Virtual I/O Ethernet Adapter (l-lan)
ent1   Available       Virtual I/O Ethernet Adapter (l-lan)
fcs0   Available C5-T1 Virtual Fibre Channel Client Adapter
fcs1   Available C6-T1 Virtual Fibre Channel Client Adapter
vsa0   Available       LPAR Virtual Serial Adapter
vscsi0 Defined         Virtual SCSI Client Adapter
"""
IFS = """\
en0 Available  Standard Ethernet Network Interface
en1 Defined    Standard Ethernet Network Interface
et0 Defined    IEEE 802.3 Ethernet Network Interface
lo0 Available  Loopback Network Interface
"""


def test_disks_with_defined():
    devs = parse_lsdev(DISKS)
    assert devs[2] == Device("hdisk2", "Defined", "C5-T1-01", "MPIO IBM 2076 FC Disk")
    assert [d.status for d in devs] == ["Available", "Available", "Defined", "Defined",
                                        "Available"]


def test_empty_location_cells():
    assert parse_lsdev(VSCSI)[0] == Device("hdisk0", "Available", "",
                                           "Virtual SCSI Disk Drive")
    devs = {d.name: d for d in parse_lsdev(ADAPTERS)}
    assert devs["ent0"] == Device("ent0", "Available", "",
                                  "Virtual I/O Ethernet Adapter (l-lan)")
    assert devs["fcs1"].location == "C6-T1"
    assert devs["vscsi0"] == Device("vscsi0", "Defined", "", "Virtual SCSI Client Adapter")
    ifs = {d.name: d for d in parse_lsdev(IFS)}
    assert ifs["et0"] == Device("et0", "Defined", "", "IEEE 802.3 Ethernet Network Interface")


def test_header_and_all_defined():
    text = ("name   status  location description\n\n"
            "hdisk2 Defined C5-T1-01 MPIO IBM 2076 FC Disk\n")
    assert parse_lsdev(text) == [Device("hdisk2", "Defined", "C5-T1-01",
                                        "MPIO IBM 2076 FC Disk")]


def test_empty_and_garbage():
    assert parse_lsdev("") == []
    with pytest.raises(AixParseError):
        parse_lsdev("nothing\n")


def test_samples():
    devs = parse_lsdev(sample("lsdev-Cc", "ohai-2.txt"))    # two blanks: empty location
    assert devs == [Device("en0", "Available", "", "Standard Ethernet Network Interface")]
    devs = parse_lsdev(sample("lsdev-Cc", "metaage-3.txt"))
    assert sum(d.status == "Defined" for d in devs) == 8
    assert devs[10] == Device("hdisk10", "Defined", "C3-T1-01", "Other FC SCSI Disk Drive")
    # `lsdev -C | grep FC`: name column padded for names that are not shown
    devs = parse_lsdev(sample("lsdev-Cc", "metaage-1.txt"))
    assert devs[0] == Device("fscsi0", "Available", "C2-T1-01",
                             "FC SCSI I/O Controller Protocol Device")
    devs = parse_lsdev(sample("lsdev-Cc", "ansible-1.txt"))
    assert devs[0].status == "Defined" and devs[0].location == "00-00"
    assert devs[0].description.endswith("(df1000f114108a03)")


def test_four_digit_message_ids_are_messages_not_devices():
    from aixdr_agent.aix import _text, message_ids

    text = ("hdisk0 Available 00-00-00 MPIO Other FC SCSI Disk Drive\n"
            "0516-1616 lsdev: A message with four digits after the dash.\n"
            "cmd: 0516-1396 another one after a program name\n")
    assert [d.name for d in parse_lsdev(text)] == ["hdisk0"]
    assert message_ids(text) == ["0516-1616", "0516-1396"]
    assert _text.is_message("0516-306 getlvodm: x") and _text.is_message("0516-1616 chvg: x")
    assert not _text.is_message("7300-03-00-2446") and not _text.is_message("0516-16160 x")
