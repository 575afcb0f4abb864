"""uname -L / -m / -rvp."""

import pytest

from aixdr_agent.aix import AixParseError
from aixdr_agent.aix.uname import (
    LparIdentity,
    parse_uname_L,
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
