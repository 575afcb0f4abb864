"""prtconf / lsconf and lscfg -v."""

import pytest

from aixdr_agent.aix import AixParseError
from aixdr_agent.aix.lscfg import VpdField, parse_lscfg
from aixdr_agent.aix.lsvg import PVRow
from aixdr_agent.aix.prtconf import Resource, parse_prtconf
from tests.harness.samples import sample


def test_prtconf_full_capture():
    p = parse_prtconf(sample("prtconf", "glpi-agent-2.txt"))
    assert p.system["System Model"] == "IBM,9080-M9S"
    assert p.system["Firmware Version"] == "IBM,FW950.40 (VH950_099)"
    assert p.system["In-Core Crypto Acceleration"] == "Capable, but not Enabled"
    assert p.system["LPAR Info"] == "7 aix45"
    assert p.network["Gateway"] == "192.168.1.1"
    assert p.paging == {"Total Paging Space": "20912MB", "Percent Used": "0%"}
    assert p.inactive_vgs == ["altinst_rootvg"]
    assert p.active_vgs["rootvg"] == [PVRow("hdisk0", "active", 639, 171,
                                            "43..00..00..00..128")]
    assert sorted(p.active_vgs) == ["psvg", "rootvg"]
    res = {r.name: r for r in p.resources}
    assert res["sys0"] == Resource("+", "sys0", "", "System Object")
    assert res["hdisk2"].location == (
        "U9080.M9S.21EC277-V7-C4-T1-W50050773000000E6-L4000400700000000")
    assert res["hdisk2"].description == "MPIO IBM 2107 FC Disk"


def test_prtconf_other_captures():
    p = parse_prtconf(sample("prtconf", "gopsutil-1.txt"))   # TABs, stray "en0", empties
    assert p.network["Sub Netmask"] == "" and p.network["Host Name"] == "aix72-dylan"
    assert "en0" not in p.system
    p = parse_prtconf(sample("prtconf", "glpi-agent-1.txt"))  # old: no "Active VGs" line
    assert list(p.active_vgs) == ["rootvg"] and p.inactive_vgs == []
    assert {r.name: r.location for r in p.resources}["hdisk0"] == "U1.5-P1/Z2-A8"
    p = parse_prtconf(sample("prtconf", "mondoo-1.txt"))      # trimmed after block 1
    assert p.system["LPAR Info"] == "37 ans-4-51e59a83-000373d8" and p.network == {}
    with pytest.raises(AixParseError):
        parse_prtconf("")


def test_lscfg_fc_adapter():
    (dev,) = parse_lscfg(sample("lscfg", "ansible-1.txt"))
    assert dev.name == "fcs1" and dev.location == "U78CB.001.WZS00ZS-P1-C9-T1"
    assert dev.description == "8Gb PCI Express Dual Port FC Adapter (df1000f114108a03)"
    assert dev.vpd["Network Address"] == "10000090FA551508"         # the WWPN
    assert dev.vpd["EC Level"] == "D77161"                         # leading blank dropped


def test_lscfg_several_devices_and_sections():
    devs = parse_lscfg(sample("lscfg", "fusioninventory-2.txt"))
    assert [d.name for d in devs] == ["ent0", "ent1", "ent3", "ent2"]
    assert devs[2].fields[0] == VpdField("IBM Host Ethernet Adapter", "Network Address",
                                         "001A64864231")


def test_lscfg_description_on_its_own_line():
    (dev,) = parse_lscfg(sample("lscfg", "fusioninventory-3.txt"))
    assert dev.description == "16 Bit LVD SCSI Disk Drive (73400 MB)"
    assert dev.vpd["Manufacturer"] == "IBM"                         # padding stripped
    assert VpdField("PLATFORM SPECIFIC", "Device Type", "block") in dev.fields
    (dev,) = parse_lscfg(sample("lscfg", "fusioninventory-4.txt"))
    assert dev.description == "Other FC SCSI Disk Drive"
    assert dev.vpd["Device Specific.(Z2)"] == ""                    # longer dot leader


def test_lscfg_wrapped_values_and_old_layout():
    (dev,) = parse_lscfg(sample("lscfg", "fusioninventory-6.txt"))
    assert dev.name == "sysplanar0" and dev.location == "" and dev.description == "System Planar"
    b9 = [f for f in dev.fields if f.label == "Product Specific.(B9)"][0]
    assert b9.section == "SYS BP & 2W PROC"
    assert b9.value.endswith("00000000000000004D340000000000000000")
    assert dev.vpd["Machine/Cabinet Serial No"] == "066B96A"
    (dev,) = parse_lscfg(sample("lscfg", "fusioninventory-1.txt"))  # AIX 4.3 header
    assert (dev.name, dev.location) == ("ent0", "10-80")


def test_lscfg_pasted_without_indent():
    (dev,) = parse_lscfg(sample("lscfg", "metaage-1.txt"))
    assert dev.vpd["Network Address"] == "C050760B94EC000C"
    (dev,) = parse_lscfg(sample("lscfg", "metaage-2.txt"))
    assert dev.vpd["Machine Type and Model"] == "Invista"
    assert parse_lscfg("") == []
    with pytest.raises(AixParseError):
        parse_lscfg("    no device here\n")
