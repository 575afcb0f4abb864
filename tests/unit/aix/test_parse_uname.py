"""uname -L / -m / -rvp."""

import pytest
from aix_samples import sample, samples

from aixdr_agent.aix import AixParseError
from aixdr_agent.aix.uname import (
    LparIdentity,
    parse_uname_fields,
    parse_uname_L,
    parse_uname_m,
    parse_uname_rvp,
)


def test_uname_L():
    assert parse_uname_L("5 aixprd01\n") == LparIdentity(5, "aixprd01")
    # the LPAR name may contain blanks: split once
    assert parse_uname_L("29 virtlpar03 - 7.1 testers\n") == LparIdentity(
        29, "virtlpar03 - 7.1 testers")
    assert parse_uname_L("-1 NULL\n") == LparIdentity(-1, None)
    assert parse_uname_L("1 NULL") == LparIdentity(1, None)
    assert parse_uname_L("5 aixprd01\r\n") == LparIdentity(5, "aixprd01")
    assert parse_uname_L("7\n") == LparIdentity(7, None)


@pytest.mark.parametrize("bad", ["", "\n", "aixprd01 5\n", "5 a\n6 b\n", "² x\n"])
def test_uname_L_rejects(bad):
    with pytest.raises(AixParseError):
        parse_uname_L(bad)


def test_uname_m_samples():
    got = {name: parse_uname_m(text) for name, text in samples("uname-m")}
    assert got == {"mondoo-1.txt": "00CC00A04B00", "mondoo-2.txt": "00F9C4904C00"}
    with pytest.raises(AixParseError):
        parse_uname_m("powerpc\n")          # Linux habit: -m is NOT the architecture here


def test_uname_rvp_sample():
    got = parse_uname_rvp(sample("uname-rvp", "mondoo-1.txt"))
    assert (got.release, got.version, got.processor) == ("3", "7", "powerpc")
    assert got.level == "7.3"
    with pytest.raises(AixParseError):
        parse_uname_rvp("3 7\n")


def test_uname_several_flags():
    assert parse_uname_fields("IBM,9009-42A IBM,0278A1B2C\n") == ["IBM,9009-42A",
                                                                "IBM,0278A1B2C"]
