"""lspv (list, -u) and lspv hdiskN."""

import pytest

from aixdr_agent.aix import AixParseError
from aixdr_agent.aix.lspv import PV, parse_lspv
from tests.harness.samples import sample

# COMMANDS.md 3.1
LSPV = """\
hdisk0          00f8a1b2c3d4e5f6                    rootvg          active
hdisk1          00f8a1b2d0e1f203                    datavg          active
hdisk2          00f8a1b2d0e1f2a7                    datavg          active
hdisk3          00f8a1b2e4400b19                    appvg
hdisk4          none                                None
"""

LSPV_U = """\
hdisk0          00f8a1b2c3d4e5f6                    rootvg          active      332136005076810818048900000000000012304214503IBMfcp                    4c1f0e2a-6b3d-9e8f-0a1b-2c3d4e5f6071
hdisk4          none                                None                        332136005076810818048900000000000016204214503IBMfcp                    9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4
"""  # noqa: E501


def test_lspv_golden():
    pvs = parse_lspv(LSPV)
    assert pvs[0] == PV("hdisk0", "00f8a1b2c3d4e5f6", "rootvg", "active")
    assert pvs[3] == PV("hdisk3", "00f8a1b2e4400b19", "appvg", None)   # varied off
    assert pvs[4] == PV("hdisk4", None, None, None)                     # none / None


def test_lspv_after_odm_reset_and_trailing_blanks():
    text = "hdisk1          00f8a1b2d0e1f203                    None            \n"
    assert parse_lspv(text) == [PV("hdisk1", "00f8a1b2d0e1f203", None, None)]


def test_lspv_u():
    pvs = parse_lspv(LSPV_U)
    assert pvs[0].state == "active"
    assert pvs[0].udid == "332136005076810818048900000000000012304214503IBMfcp"
    assert pvs[0].uuid == "4c1f0e2a-6b3d-9e8f-0a1b-2c3d4e5f6071"
    assert pvs[1][:4] == ("hdisk4", None, None, None)
    assert pvs[1].udid.endswith("IBMfcp")


def test_lspv_empty_and_garbage():
    assert parse_lspv("") == []
    with pytest.raises(AixParseError):
        parse_lspv("nothing to see\n")


def test_lspv_samples():
    # facter: SYNTHETIC pvid "testid0998" - kept as printed, the parser does not judge it
    assert parse_lspv(sample("lspv", "facter-1.txt")) == [
        PV("hdisk0", "testid0998", "rootvg", "active")]
    # VIOS padmin lspv has a header line; rows are the same
    assert [p.name for p in parse_lspv(sample("lspv", "xcat-doc-1.txt"))] == ["hdisk0",
                                                                              "hdisk1"]
