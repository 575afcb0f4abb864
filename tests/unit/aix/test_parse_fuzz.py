"""Parsers raise nothing but AixParseError, whatever text they are given."""

import pytest

from aixdr_agent.aix import AixParseError
from aixdr_agent.aix.bootlist import parse_bootlist_o
from aixdr_agent.aix.errpt import parse_errpt
from aixdr_agent.aix.ifconfig import parse_ifconfig_a, parse_ifconfig_l
from aixdr_agent.aix.inittab import parse_inittab_line, parse_lsitab_a
from aixdr_agent.aix.lparstat import parse_lparstat_i
from aixdr_agent.aix.ls import mode_to_octal, parse_ls_l
from aixdr_agent.aix.lsattr import (
    lsattr_error,
    parse_F_values,
    parse_lsattr_E,
    parse_lsattr_O,
    parse_lsattr_R,
)
from aixdr_agent.aix.lscfg import parse_lscfg
from aixdr_agent.aix.lsdev import parse_lsdev, parse_lsdev_F
from aixdr_agent.aix.lsfs import parse_lsfs, parse_lsfs_c
from aixdr_agent.aix.lslv import parse_lslv
from aixdr_agent.aix.lspath import parse_lsmpio, parse_lspath
from aixdr_agent.aix.lspv import parse_lspv, parse_lspv_pv
from aixdr_agent.aix.lssrc import parse_lssrc, parse_lssrc_S
from aixdr_agent.aix.lsvg import (
    parse_lsvg_l,
    parse_lsvg_names,
    parse_lsvg_P,
    parse_lsvg_p,
    parse_lsvg_vg,
    parse_lsvg_vgs,
)
from aixdr_agent.aix.mount import parse_mount
from aixdr_agent.aix.namerslv import parse_namerslv_s, parse_namerslv_Z
from aixdr_agent.aix.netstat import parse_netstat_in, parse_netstat_rn, route_network
from aixdr_agent.aix.odmget import parse_odmget
from aixdr_agent.aix.oslevel import parse_oslevel_s
from aixdr_agent.aix.prtconf import parse_prtconf
from aixdr_agent.aix.uname import parse_uname_L, parse_uname_m, parse_uname_rvp

hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies

PARSERS = [
    parse_bootlist_o, parse_errpt, parse_ifconfig_a, parse_ifconfig_l, parse_inittab_line,
    parse_lsitab_a, parse_lparstat_i, mode_to_octal, parse_ls_l, lsattr_error,
    parse_F_values, parse_lsattr_E, parse_lsattr_O, parse_lsattr_R, parse_lscfg,
    parse_lsdev, lambda t: parse_lsdev_F(t, ["name", "status"]), parse_lsfs, parse_lsfs_c,
    parse_lslv, parse_lsmpio, parse_lspath, parse_lspv, parse_lspv_pv, parse_lssrc,
    parse_lssrc_S, parse_lsvg_l, parse_lsvg_names, parse_lsvg_p, parse_lsvg_P,
    parse_lsvg_vg, parse_lsvg_vgs, parse_mount, parse_namerslv_s, parse_namerslv_Z,
    parse_netstat_in,
    parse_netstat_rn, route_network, parse_odmget, parse_oslevel_s, parse_prtconf,
    parse_uname_L, parse_uname_m, parse_uname_rvp,
]

# fragments of real outputs, so that random text often looks almost right
FRAGMENTS = [
    "hdisk0", "00f8a1b2c3d4e5f6", "none", "None", "active", "rootvg:", "LV NAME",
    "PV_NAME", "VOLUME GROUP:", "VG IDENTIFIER", "LABEL:", "N/A", "True", "False", "True+",
    "#a:b", "#!:", ":", "::", "Available", "Defined", "C5-T1-01", "0514-528", "lsattr:",
    "0516-010 :", "\t", "  ", " ", "\n", "\r\n", "default", "10.20.1/24", "UG", "=>", "en0",
    "flags=1e080863,480<UP,RUNNING>", "inet", "netmask", "0xffffff00", "0xZZ", "inet6",
    "Subsystem", "warned to stop", "123", "45,", "crw-rw----", "Nov 25 06:47", "(Internet):",
    "link#2", "PHYSICAL VOLUME:", "Name", "Mtu", "CuAt:", "= \"x", "\"", "7300-03-00-2446",
    "-1", "NULL", "name", "path_id", "Sel,Opt", "Network Information", "=====", "+ sys0",
    "Part Number.......", "IDENTIFIER", "0820122810", "²", "٣", "...", "(+1)",
]

fragment_text = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: getattr(p, "__name__", "lambda"))
def test_only_aix_parse_error_escapes(parser):
    @hypothesis.settings(max_examples=120, deadline=None,
                         suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(st.one_of(st.text(max_size=300), fragment_text))
    def check(text):
        try:
            parser(text)
        except AixParseError:
            pass

    check()
