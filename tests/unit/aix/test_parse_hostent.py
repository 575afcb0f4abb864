"""hostent -S -Z: the colon form of /etc/hosts, IPv4 lines only."""

from aixdr_agent.aix.hostent import HostsLine, add_argv, change_argv, delete_argv, parse_hostent_z


def test_colon_form_with_comments_holding_colons_and_ipv6_lines():
    text = ("#netaddr:hostname:alias:cmnt\n"
            "127.0.0.1:loopback:localhost:loopback (lo0) name/address\n"
            "::1:loopback:localhost:IPv6 loopback (lo0) name/address\n"
            "10.1.1.15:aixprd01.corp.example.com:aixprd01:\n"
            "10.1.9.5:nimprd01::master: see ticket 12:30\n"
            "hostent: 0822-048 The IP address 1.2.3.4 does not exist.\n")
    assert parse_hostent_z(text) == [
        HostsLine("127.0.0.1", ("loopback", "localhost"), "loopback (lo0) name/address"),
        HostsLine("10.1.1.15", ("aixprd01.corp.example.com", "aixprd01"), ""),
        HostsLine("10.1.9.5", ("nimprd01",), "master: see ticket 12:30")]
    assert parse_hostent_z("") == []


def test_argv():
    assert add_argv("10.20.1.15", ["a.b.c", "a"]) == ("hostent", "-a", "10.20.1.15", "-h",
                                                      "a.b.c a")
    assert change_argv("10.20.1.15", ("a",)) == ("hostent", "-c", "10.20.1.15", "-h", "a")
    assert delete_argv("10.1.1.15") == ("hostent", "-d", "10.1.1.15")
