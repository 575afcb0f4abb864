"""The bulk device-attribute readers of aix/odmget.py on the real odmget captures, read in
place (CuDv with blank and with two-TAB indentation, CuAt of proc0, PdDv), and on the
layout COMMANDS.md documents (leading blank line, TAB-indented fields)."""

from aix_samples import samples

from aixdr_agent.aix.odmget import (
    customized,
    defaults,
    device_types,
    odmget_argv,
    parse_odmget,
)

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


def test_real_captures():
    got = {name: parse_odmget(text) for name, text in samples("odmget")}
    assert device_types(got["facter-1.txt"]) == {
        "hd5": "logical_volume/lvsubclass/lvtype", "hd6": "logical_volume/lvsubclass/lvtype"}
    assert device_types(got["facter-3.txt"]) == {
        "proc0": "processor/sys/proc_rspc", "proc8": "processor/sys/proc_rspc"}
    cu = customized(got["facter-2.txt"])
    assert cu == {"proc0": ["PowerPC_POWER8", "3425000000", "8", "true"]}
    assert device_types(got["facter-4.txt"]) == {}       # PdDv: no device names
    assert defaults(got["facter-2.txt"]) == {}            # CuAt is not PdAt


def test_defaults_and_argv():
    assert defaults(parse_odmget(PDAT)) == {"disk/fcp/mpioosdisk": "20", "driver/efcp/efscsi": ""}
    assert odmget_argv("CuDv") == ["odmget", "CuDv"]
    assert odmget_argv("CuAt", "attribute=queue_depth") == [
        "odmget", "-q", "attribute=queue_depth", "CuAt"]
    assert customized(parse_odmget("")) == {}
