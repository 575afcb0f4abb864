"""Parsers raise nothing but AixParseError, whatever text they are given.

Every function of aixdr_agent.aix that reads command output is fuzzed here: the text
parsers with random text, with fragments of real outputs glued together, and with the real
AIX samples of ../shared/aix/samples mutated (cut, spliced, lines shuffled, odd characters
put in); the readers that run a command (lvm, devattr) through a stub runner answering such
text with exit 0, 1 or 255. A test fails when a module of aixdr_agent.aix gains a function
that is neither fuzzed nor listed as a builder (argv, values), so a new parse_* cannot slip
in untested. Run with tests/faults, the counts appear in the fault suite's summary."""

import glob
import importlib
import inspect
import os
import pkgutil

import pytest

import aixdr_agent.aix as aix_package
from aixdr_agent.aix import (
    AixParseError,
    _text,
    devattr,
    inittab,
    lsattr,
    lsdev,
    lslpp,
    lspv,
    lvm,
    message_ids,
    namerslv,
    src,
    tcpip,
    uname,
)
from aixdr_agent.aix.bootlist import bootlist_devices, normal_list, parse_bootlist_o
from aixdr_agent.aix.hostent import parse_hostent_z, read_hosts
from aixdr_agent.aix.inet0 import parse_route_attr
from aixdr_agent.aix.inittab import parse_inittab_line, parse_lsitab_a
from aixdr_agent.aix.ls import mode_to_octal, parse_ls_l
from aixdr_agent.aix.lsattr import (
    attrs_first,
    parse_lsattr_E,
)
from aixdr_agent.aix.lsdev import parse_lsdev
from aixdr_agent.aix.lsfs import parse_lsfs_c
from aixdr_agent.aix.lspv import parse_lspv
from aixdr_agent.aix.lssrc import parse_lssrc, parse_lssrc_S
from aixdr_agent.aix.lsvg import (
    parse_lsvg_l,
    parse_lsvg_names,
    parse_lsvg_vg,
)
from aixdr_agent.aix.mount import mounted_over, parse_mount
from aixdr_agent.aix.namerslv import parse_namerslv_s
from aixdr_agent.aix.odmget import (
    customized,
    defaults,
    device_types,
    parse_odmget,
)
from aixdr_agent.aix.rsct import parse_lsrpdomain, parse_node_id
from aixdr_agent.aix.uname import parse_uname_L
from aixdr_agent.runner import CommandError
from tests.harness.faultlib import count
from tests.harness.samples import SAMPLES
from tests.harness.stub import StubRunner, UnexpectedCommand

hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies

EXAMPLES = 100  # per function: ~75 functions, ~2 ms an example



def _line(text):
    return text.split("\n", 1)[0]


# name -> (the function, how to call it with one text). Several take what another parser
# produced (rows, entries): they are fuzzed through that parser.
TEXT = {
    "lines": (_text.lines, _text.lines),
    "data_lines": (_text.data_lines, _text.data_lines),
    "is_message": (_text.is_message, lambda t: _text.is_message(_line(t))),
    "is_num": (_text.is_num, _text.is_num),
    "to_int": (_text.to_int, lambda t: _text.to_int(t, "the field")),
    "opt_int": (_text.opt_int, _text.opt_int),
    "split_labelled": (_text.split_labelled,
                       lambda t: _text.split_labelled(_line(t), ("Mounted on",))),
    "parse_labelled": (_text.parse_labelled,
                       lambda t: _text.parse_labelled(
                           t, ("VG STATE",), stop=lambda line: line.startswith("LV NAME"))),
    "message_ids": (message_ids, message_ids),
    "parse_bootlist_o": (parse_bootlist_o, parse_bootlist_o),
    "bootlist_devices": (bootlist_devices, lambda t: bootlist_devices(parse_bootlist_o(t))),
    "parse_route_attr": (parse_route_attr, parse_route_attr),
    "parse_inittab_line": (parse_inittab_line, parse_inittab_line),
    "parse_lsitab_a": (parse_lsitab_a, parse_lsitab_a),
    "parse_ls_l": (parse_ls_l, parse_ls_l),
    "mode_to_octal": (mode_to_octal, mode_to_octal),
    "parse_lsattr_E": (parse_lsattr_E, parse_lsattr_E),
    "attrs_first": (attrs_first, lambda t: attrs_first(parse_lsattr_E(t))),
    "parse_lsdev": (parse_lsdev, parse_lsdev),
    "parse_lsfs_c": (parse_lsfs_c, parse_lsfs_c),
    "parse_lspv": (parse_lspv, parse_lspv),
    "parse_lssrc": (parse_lssrc, parse_lssrc),
    "parse_lssrc_S": (parse_lssrc_S, parse_lssrc_S),
    "parse_lsvg_names": (parse_lsvg_names, parse_lsvg_names),
    "parse_lsvg_vg": (parse_lsvg_vg, parse_lsvg_vg),
    "parse_lsvg_l": (parse_lsvg_l, parse_lsvg_l),
    "is_concurrent_capable": (lvm.is_concurrent_capable,
                              lambda t: lvm.is_concurrent_capable(parse_lsvg_vg(t))),
    "parse_mount": (parse_mount, parse_mount),
    "mounted_over": (mounted_over, lambda t: mounted_over(parse_mount(t), "/data")),
    "parse_namerslv_s": (parse_namerslv_s, parse_namerslv_s),
    "parse_hostent_z": (parse_hostent_z, parse_hostent_z),
    "parse_odmget": (parse_odmget, parse_odmget),
    "device_types": (device_types, lambda t: device_types(parse_odmget(t))),
    "customized": (customized, lambda t: customized(parse_odmget(t))),
    "defaults": (defaults, lambda t: defaults(parse_odmget(t))),
    "parse_uname_L": (parse_uname_L, parse_uname_L),
    "parse_lsrpdomain": (parse_lsrpdomain, parse_lsrpdomain),
    "parse_node_id": (parse_node_id, parse_node_id),
    "logs_in_use": (lvm.logs_in_use, lambda t: lvm.logs_in_use(parse_mount(t))),
}

# Readers that run their command: (function, call with a runner). CommandError is what a
# failed command may raise (devattr also DeviceMissing); never anything else.
RUNNER = {
    "lvm.lspv": (lvm.lspv, lvm.lspv),
    "lvm.vg_names": (lvm.vg_names, lambda r: (lvm.vg_names(r), lvm.vg_names(r, online=True))),
    "lvm.disks": (lvm.disks, lvm.disks),
    "lvm.vg_details": (lvm.vg_details, lambda r: lvm.vg_details(r, ["datavg", "oravg"])),
    "lvm.concurrent_capable_offline": (lvm.concurrent_capable_offline,
                                       lambda r: lvm.concurrent_capable_offline(r, "concvg")),
    "lvm.logical_volumes": (lvm.logical_volumes,
                            lambda r: lvm.logical_volumes(r, ["datavg", "oravg"])),
    "lvm.filesystems": (lvm.filesystems, lvm.filesystems),
    "lvm.mounted": (lvm.mounted, lvm.mounted),
    "lvm.mounts": (lvm.mounts, lvm.mounts),
    "lvm.file_modes": (lvm.file_modes, lambda r: lvm.file_modes(r, ["/dev/roraraw01"])),
    "hostent.read_hosts": (read_hosts, read_hosts),
    "devattr.read_attrs": (devattr.read_attrs,
                           lambda r: devattr.read_attrs(r, "en0", ("alias4", "netaddr"))),
    "devattr.read_attrs_bulk": (devattr.read_attrs_bulk, lambda r: devattr.read_attrs_bulk(
        r, ["hdisk1", "fscsi0"], ("queue_depth", "dyntrk"))),
    "bootlist.normal_list": (normal_list, lambda r: (normal_list(r), normal_list(r, check=True))),
    "namerslv.resolver": (namerslv.resolver, namerslv.resolver),
    "inittab.lsitab": (inittab.lsitab, lambda r: inittab.lsitab(r, "nimclient")),
    "inittab.lsitab_all": (inittab.lsitab_all, inittab.lsitab_all),
    "src.query_definition": (src.query_definition, lambda r: src.query_definition(r, "aixdr")),
    "src.query_status": (src.query_status, lambda r: src.query_status(r, "aixdr")),
    "lslpp.query_installed": (lslpp.query_installed,
                              lambda r: lslpp.query_installed(r, "cloud-init")),
    "tcpip.hostname": (tcpip.hostname, tcpip.hostname),
    "lsdev.devices": (lsdev.devices, lsdev.devices),
    "lsdev.interfaces": (lsdev.interfaces, lsdev.interfaces),
    "lspv.list_pvs": (lspv.list_pvs, lspv.list_pvs),
    "uname.lpar": (uname.lpar, uname.lpar),
    "lsattr.read_first": (lsattr.read_first, lambda r: lsattr.read_first(r, "sys0")),
}

# Functions of aixdr_agent.aix that read no command output: they build argv or values.
BUILDERS = {"chdev_argv", "first", "default_route_value", "net_route_value", "odmget_argv",
            "logredo", "fsck", "importvg",                                  # lvm
            "lsrpdomain", "read_node_id", "powerha_query", "stop_rmc", "recfgct",   # rsct
            "show_all_argv", "add_argv", "change_argv", "delete_argv",              # hostent
            "varyonvg", "exportvg", "mount", "chown", "chmod", "is_fsck",           # lvm
            "set_normal_argv", "changes_device", "cfgmgr_argv", "rmdev_argv", "is_instance",
            "delete_nameserver_argv", "delete_all_nameservers_argv", "add_nameserver_argv",
            "change_domain_argv", "delete_domain_argv", "delete_search_argv",
            "add_search_argv", "change_search_argv",                                # namerslv
            "chitab_argv", "mkitab_argv", "rmitab_argv",                            # inittab
            "mkssys_argv", "chssys_argv", "rmssys_argv", "startsrc_argv", "stopsrc_argv",
            "errlogger_argv", "mktcpip_argv"}

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
    "net,-hopcount,0,,0,10.20.1.1", "-netmask", ",,,", "aixdr:2:wait:/usr/bin/x",
    "1125064723", "99999999999999999999", "1e9", "\x00", "\x85", "\u2028", "\ufeff",
]
ODD = "\x00\t\r\x0b\x0c\x1b\x85\xa0\u2028\u0660\u00b2\ufeff\ud7ff"


def _seeds():
    seeds = []
    for path in sorted(glob.glob(os.path.join(SAMPLES, "*", "*.txt"))):
        with open(path, encoding="utf-8", errors="replace", newline="") as f:
            seeds.append(f.read())
    return seeds or ["hdisk0          00f8a1b2c3d4e5f6                    rootvg          "
                     "active\n"]


SEEDS = _seeds()


def _mutate(seed, edits):
    text = seed
    for op, at, span, fragment in edits:
        at %= len(text) + 1
        if op == 0:
            text = text[:at] + fragment + text[at:]
        elif op == 1:
            text = text[:at] + text[at + span % 40 + 1:]
        elif op == 2:
            start = span % (len(text) + 1)
            text = text[:at] + text[start:start + span % 90 + 1] + text[at:]
        elif op == 3:
            text = text[:at]
        elif op == 4:
            lines = text.split("\n")
            k = span % (len(lines) or 1)
            text = "\n".join(lines[k:] + lines[:k])
        else:
            text = text[:at] + ODD[span % len(ODD)] + text[at:]
    return text


fragment_text = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
edit = st.tuples(st.integers(0, 5), st.integers(0, 1 << 16), st.integers(0, 1 << 16),
                 st.sampled_from(FRAGMENTS))
mutated_sample = st.builds(_mutate, st.sampled_from(SEEDS), st.lists(edit, max_size=8))
any_text = st.one_of(st.text(max_size=300), fragment_text, mutated_sample)


def _count(request, examples):
    count("parsers fuzzed", 1)
    count("fuzz examples", examples)


def _fuzz(request, call, allowed, strategy=any_text):
    runs = [0]

    @hypothesis.settings(max_examples=EXAMPLES, deadline=None, database=None,
                         suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(strategy)
    def check(example):
        runs[0] += 1
        try:
            call(example)
        except allowed:
            pass

    check()
    _count(request, runs[0])


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(TEXT))
def test_only_aix_parse_error_escapes(request, name):
    _fuzz(request, TEXT[name][1], AixParseError)


@pytest.mark.parametrize("name", sorted(p for p in TEXT if p.startswith("parse_")))
def test_what_is_not_text_is_a_parse_error_too(name):
    for value in (None, b"hdisk0 none None\n", 12, ["hdisk0"]):
        try:
            TEXT[name][1](value)
        except AixParseError:
            pass


def fuzzed_runner(text, rc):
    """Every query (and only queries) answered with the fuzzed text on stdout and stderr."""
    return StubRunner(default=(rc, text, text), changes=UnexpectedCommand("a change"))


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNNER))
def test_readers_raise_only_parse_or_command_errors(request, name):
    call = RUNNER[name][1]
    allowed = (AixParseError, CommandError, devattr.DeviceMissing)
    answers = st.tuples(any_text, st.sampled_from((0, 0, 1, 2, 255)))
    _fuzz(request, lambda answer: call(fuzzed_runner(*answer)), allowed, answers)


def test_every_reader_of_command_output_is_fuzzed():
    fuzzed = {id(f) for f, _ in TEXT.values()} | {id(f) for f, _ in RUNNER.values()}
    missing = []
    for info in pkgutil.iter_modules(aix_package.__path__):
        module = importlib.import_module("aixdr_agent.aix." + info.name)
        for name, obj in vars(module).items():
            if not inspect.isfunction(obj) or obj.__module__ != module.__name__:
                continue
            if name.startswith("_") or name in BUILDERS or id(obj) in fuzzed:
                continue
            missing.append("%s.%s" % (info.name, name))
    assert missing == [], "add these to TEXT or RUNNER (or BUILDERS if they parse nothing)"
    for name in ("message_ids",):  # aixdr_agent/aix/__init__.py is a module too
        assert name in TEXT
