"""lsvg, lsvg VG, lsvg -l, lsvg -p, lsvg -P."""

import pytest

from aixdr_agent.aix import AixParseError
from aixdr_agent.aix.lsvg import (
    LV,
    parse_lsvg_l,
    parse_lsvg_names,
    parse_lsvg_vg,
)
from tests.harness.samples import sample

# COMMANDS.md 3.2 (7.x layout, trailing blank after "relocatable", run after "off")
LSVG_DATAVG = """\
VOLUME GROUP:       datavg                   VG IDENTIFIER:  00f8a1b200004c0000000184d2a6c1e5
VG STATE:           active                   PP SIZE:        64 megabyte(s)
VG PERMISSION:      read/write               TOTAL PPs:      3198 (204672 megabytes)
MAX LVs:            256                      FREE PPs:       1022 (65408 megabytes)
LVs:                4                        USED PPs:       2176 (139264 megabytes)
OPEN LVs:           4                        QUORUM:         2 (Enabled)
TOTAL PVs:          2                        VG DESCRIPTORS: 3
STALE PVs:          0                        STALE PPs:      0
ACTIVE PVs:         2                        AUTO ON:        no
MAX PPs per VG:     32768                    MAX PVs:        1024
LTG size (Dynamic): 256 kilobyte(s)          AUTO SYNC:      no
HOT SPARE:          no                       BB POLICY:      relocatable 
MIRROR POOL STRICT: off                                       
PV RESTRICTION:     none                     INFINITE RETRY: no
DISK BLOCK SIZE:    512                      CRITICAL VG:    no
FS SYNC OPTION:     no                       CRITICAL PVs:   no
ENCRYPTION:         no
"""  # noqa: W291

# concurrent-capable VG (layout of a real 7.x capture)
LSVG_CONCURRENT = """\
VOLUME GROUP:       RAWVG                    VG IDENTIFIER:  00c25b6700004c00000001399f632190
VG STATE:           active                   PP SIZE:        64 megabyte(s)
VG PERMISSION:      read/write               TOTAL PPs:      30 (1920 megabytes)
MAX LVs:            4096                     FREE PPs:       6 (384 megabytes)
LVs:                3                        USED PPs:       24 (1536 megabytes)
OPEN LVs:           3                        QUORUM:         2 (Enabled)
TOTAL PVs:          1                        VG DESCRIPTORS: 2
STALE PVs:          0                        STALE PPs:      0
ACTIVE PVs:         1                        AUTO ON:        no
Concurrent:         Enhanced-Capable         Auto-Concurrent: Disabled
VG Mode:            Non-Concurrent                               
Node ID:            1                        Active Nodes:       2 
MAX PPs per VG:     2097152                  MAX PVs:        1024
LTG size (Dynamic): 1024 kilobyte(s)         AUTO SYNC:      no
"""  # noqa: W291


LSVG_L = """\
datavg:
LV NAME             TYPE       LPs     PPs     PVs  LV STATE      MOUNT POINT
loglv00             jfs2log    1       1       1    open/syncd    N/A
datalv01            jfs2       1600    1600    2    open/syncd    /data
datalv02            jfs2       560     560     1    closed/syncd  /data/archive
dumplv9             sysdump    15      15      1    open/syncd    N/A
"""


def test_names():
    assert parse_lsvg_names("rootvg\ndatavg\nappvg\n") == ["rootvg", "datavg", "appvg"]
    assert parse_lsvg_names(sample("lsvg-list", "xcat-doc-1.txt")) == ["rootvg", "vdiskvg"]
    assert parse_lsvg_names("") == []
    with pytest.raises(AixParseError):
        parse_lsvg_names("not a vg name\n")


def test_vg_golden():
    info = parse_lsvg_vg(LSVG_DATAVG)
    assert info["VOLUME GROUP"] == "datavg"
    assert info["VG IDENTIFIER"] == "00f8a1b200004c0000000184d2a6c1e5"
    assert info["VG STATE"] == "active"
    assert info["QUORUM"] == "2 (Enabled)"
    assert info["LTG size (Dynamic)"] == "256 kilobyte(s)"
    assert info["BB POLICY"] == "relocatable"
    assert info["MIRROR POOL STRICT"] == "off"
    assert info["AUTO ON"] == "no"
    assert len(info) == 32


def test_vg_concurrent_capable():
    info = parse_lsvg_vg(LSVG_CONCURRENT)
    assert info["Concurrent"] == "Enhanced-Capable"
    assert info["Auto-Concurrent"] == "Disabled"
    assert info["VG Mode"] == "Non-Concurrent"
    assert info["Node ID"] == "1" and info["Active Nodes"] == "2"
    assert info["MAX PPs per VG"] == "2097152"


def test_vg_samples():
    old = parse_lsvg_vg(sample("lsvg-vg", "fusioninventory-1.txt"))     # 6.x, 13 lines
    assert old["QUORUM"] == "2" and old["MAX PPs per VG"] == "32512"
    assert old["MAX PPs per PV"] == "1016" and "ENCRYPTION" not in old
    # lsvg; lsvg -p; lsvg -P concatenated: the -p block is not part of the report
    both = parse_lsvg_vg(sample("lsvg-vg", "ansible-power-aix-1.txt"))
    assert both == parse_lsvg_vg(sample("lsvg-vg", "ansible-power-aix-3.txt"))
    assert "testvg" not in both and both["VOLUME GROUP"] == "testvg"
    # VIOS padmin `lsvg vdiskvg`: same report layout as AIX (15-line 6.1-era variant)
    vios = parse_lsvg_vg(sample("lsvg-vg", "xcat-doc-1.txt"))
    assert vios["VOLUME GROUP"] == "vdiskvg" and vios["CRITICAL VG"] == "no"
    assert "MIRROR POOL STRICT" not in vios


def test_vg_rejects():
    for bad in ("", "0516-010 : Volume group must be varied on; use varyonvg command.\n"):
        with pytest.raises(AixParseError):
            parse_lsvg_vg(bad)


def test_l_golden_and_several_blocks():
    lvs = parse_lsvg_l(LSVG_L)["datavg"]
    assert lvs[0] == LV("loglv00", "jfs2log", 1, 1, 1, "open/syncd", None)
    assert lvs[2] == LV("datalv02", "jfs2", 560, 560, 1, "closed/syncd", "/data/archive")
    two = parse_lsvg_l(LSVG_L + LSVG_L.replace("datavg:", "appvg:"))
    assert sorted(two) == ["appvg", "datavg"] and len(two["appvg"]) == 4


def test_l_samples():
    lvs = parse_lsvg_l(sample("lsvg-l", "fusioninventory-3.txt"))["rootvg"]  # narrow cols
    assert LV("hd4", "jfs2", 5, 5, 1, "open/syncd", "/") in lvs
    assert [lv.name for lv in lvs if lv.type == "paging"] == ["hd6", "paging00", "paging01",
                                                              "paging02"]
    # varied-off VG: only 0516-010 (stderr) was captured
    assert parse_lsvg_l(sample("lsvg-l", "fusioninventory-4.txt")) == {}
