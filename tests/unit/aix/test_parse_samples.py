"""Every real sample folder has a parser, every sample parses, and the result does not
change when the capture gets CRLF line ends, loses its final newline, gains trailing
blanks or has stderr messages mixed in."""

import os

import pytest

from aixdr_agent.aix import AixParseError
from aixdr_agent.aix.lsattr import parse_lsattr_E
from aixdr_agent.aix.lsdev import parse_lsdev
from aixdr_agent.aix.lsfs import parse_lsfs_c
from aixdr_agent.aix.lspv import parse_lspv
from aixdr_agent.aix.lssrc import parse_lssrc
from aixdr_agent.aix.lsvg import (
    parse_lsvg_l,
    parse_lsvg_names,
    parse_lsvg_vg,
)
from aixdr_agent.aix.mount import parse_mount
from aixdr_agent.aix.odmget import parse_odmget
from tests.harness.samples import SAMPLES, sample, sample_names


def _plain(parser):
    return lambda text, _name: parser(text)


PARSERS = {
    "lsattr-en": _plain(parse_lsattr_E),
    "lsattr-hdisk": _plain(parse_lsattr_E),
    "lsattr-iscsi0": _plain(parse_lsattr_E),
    "lsattr-lo0": _plain(parse_lsattr_E),
    "lsattr-proc": _plain(parse_lsattr_E),
    "lsattr-sys0": _plain(parse_lsattr_E),
    "lsdev-Cc": _plain(parse_lsdev),
    "lsfs-c": _plain(parse_lsfs_c),
    "lsfs-cq": _plain(parse_lsfs_c),
    "lspv": _plain(parse_lspv),
    "lssrc-a": _plain(parse_lssrc),
    "lsvg-l": _plain(parse_lsvg_l),
    "lsvg-list": _plain(parse_lsvg_names),
    "lsvg-vg": _plain(parse_lsvg_vg),
    "mount": _plain(parse_mount),
    "odmget": _plain(parse_odmget),
}

# sample folders of commands the agent never runs: no parser for them in the package
NOT_RUN = {"errpt", "ifconfig-a", "ifconfig-en", "ifconfig-l", "lparstat-i", "lscfg", "lslv",
           "lsmpio", "lspath", "netstat-idn", "netstat-in", "netstat-rn", "oslevel-s",
           "prtconf", "lsattr-O", "lsdev-F", "lsfs", "lspv-hdisk", "lsvg-P", "lsvg-p",
           "uname-m", "uname-rvp"}

# samples whose correct result is empty (only a stderr message was captured)
EMPTY_RESULT = {("lsvg-l", "fusioninventory-4.txt")}

CASES = [(slug, name) for slug in sorted(PARSERS) for name in sample_names(slug)]


def test_every_sample_folder_has_a_parser():
    if not os.path.isdir(SAMPLES):
        pytest.skip("samples not available")
    slugs = {d for d in os.listdir(SAMPLES) if os.path.isdir(os.path.join(SAMPLES, d))}
    assert slugs - set(PARSERS) - NOT_RUN == set()


def test_every_sample_file_is_read():
    if not os.path.isdir(SAMPLES):
        pytest.skip("samples not available")
    on_disk = sum(len(sample_names(slug)) for slug in os.listdir(SAMPLES)
                  if os.path.isdir(os.path.join(SAMPLES, slug)) and slug not in NOT_RUN)
    assert len(CASES) == on_disk


@pytest.mark.parametrize("slug,name", CASES, ids=["%s/%s" % c for c in CASES])
def test_sample_parses(slug, name):
    result = PARSERS[slug](sample(slug, name), name)
    if (slug, name) in EMPTY_RESULT:
        assert not result
    else:
        assert result


MESSAGE = "0516-010 : Volume group must be varied on; use varyonvg command."
MULTILINE = ("lsattr: 0514-519 The following device was not found in the customized\n"
             "\tdevice configuration database:\n\thdisk9")


def _variants(text):
    body = text.replace("\r\n", "\n").rstrip("\n")
    yield "crlf", body.replace("\n", "\r\n") + "\r\n"
    yield "no final newline", body
    yield "trailing blanks", "\n".join(line + "   " for line in body.split("\n")) + "\n"
    yield "message first", MESSAGE + "\n" + body + "\n"
    yield "message last", body + "\n" + MESSAGE + "\n"
    yield "multi-line message first", MULTILINE + "\n" + body + "\n"


@pytest.mark.parametrize("slug,name", CASES, ids=["%s/%s" % c for c in CASES])
def test_sample_tolerates_capture_artefacts(slug, name):
    text = sample(slug, name)
    expected = PARSERS[slug](text, name)
    for what, variant in _variants(text):
        try:
            got = PARSERS[slug](variant, name)
        except AixParseError as exc:  # pragma: no cover - reported below
            pytest.fail("%s: %s" % (what, exc))
        assert got == expected, what
