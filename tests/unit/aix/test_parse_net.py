"""namerslv -s and -Z."""

from aixdr_agent.aix.namerslv import Resolver, parse_namerslv_s

# COMMANDS.md 4.5


def test_namerslv_s():
    text = "domain\tcorp.example.com\nnameserver\t10.20.0.53\nnameserver\t10.20.0.54\n"
    assert parse_namerslv_s(text) == Resolver(["10.20.0.53", "10.20.0.54"],
                                              "corp.example.com", [])
    text = ("nameserver 10.1.1.1\nsearch a.example b.example\noptions ndots:2\n"
            "options timeout:1\n")
    assert parse_namerslv_s(text) == Resolver(["10.1.1.1"], None, ["a.example",
                                                                   "b.example"])
    assert parse_namerslv_s("") == Resolver([], None, [])
    assert parse_namerslv_s("domain\tcorp.example.com\r\n").domain == "corp.example.com"
