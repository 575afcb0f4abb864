"""mktcpip, hostent, namerslv: exact output, exit codes and the files they change."""

HOSTS_HEAD = (
    "127.0.0.1               loopback localhost      # loopback (lo0) name/address\n"
    "::1                     loopback localhost      # IPv6 loopback (lo0) name/address\n")


def test_mktcpip_full(host, aix):
    r = aix("mktcpip", "-h", "aixprd01-dr", "-a", "10.20.1.15", "-m", "255.255.255.0",
            "-i", "en0", "-g", "10.20.1.1", "-n", "10.20.0.53", "-d", "corp.example.com")
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout == "en0\naixprd01-dr\ninet0 changed\nen0 changed\ninet0 changed\n"
    m = host.machine()
    assert m["files"]["/etc/hosts"] == (
        HOSTS_HEAD + "10.1.1.15\taixprd01.corp.example.com aixprd01\n"
        "10.20.1.15\taixprd01-dr\n")  # the old entry stays
    assert m["net"]["hostname"] == "aixprd01-dr" and m["net"]["nodename"] == "aixprd01-dr"
    assert m.device("inet0")["attrs"]["hostname"] == "aixprd01-dr"
    # -g deletes every inet0 route, the static one too (ODM and running), then sets its own
    assert m.device("inet0")["attrs"]["route"] == ["net,-hopcount,0,,0,10.20.1.1"]
    assert [(x["dest"], x["gateway"]) for x in m["net"]["routes"]] == [
        ("default", "10.20.1.1")]
    en0 = m.device("en0")["attrs"]
    assert (en0["netaddr"], en0["netmask"], en0["state"]) == ("10.20.1.15", "255.255.255.0",
                                                              "up")
    assert en0["alias4"] == ["10.1.1.16,255.255.255.0", "10.1.1.17,255.255.255.0"]
    assert m["net"]["interfaces"]["en0"]["inet"] == ["10.20.1.15", "255.255.255.0"]
    defaults = [x["gateway"] for x in m["net"]["routes"] if x["dest"] == "default"]
    assert defaults == ["10.20.1.1"]
    # -n appended (namerslv -a); -d equal to the current domain: left alone
    assert m["files"]["/etc/resolv.conf"] == (
        "nameserver\t10.1.0.53\nnameserver\t10.1.0.54\ndomain\tcorp.example.com\n"
        "search\tcorp.example.com\nnameserver\t10.20.0.53\n")
    r = aix("mktcpip", "-S", "en0")
    assert r.stdout == ("#host:addr:mask:_rawname:nameserv:domain:gateway:type:start\n"
                        "aixprd01-dr:10.20.1.15:255.255.255.0:en0:10.1.0.53:corp.example.com:"
                        "10.20.1.1:N/A:no\n")
    assert [c["argv"][0] for c in host.mutating_calls()] == ["mktcpip"]


def test_mktcpip_same_address_appends_name_and_no_gateway(host, aix):
    r = aix("mktcpip", "-h", "aixprd01-t", "-a", "10.1.1.15", "-i", "en0")
    assert r.stdout == "en0\naixprd01-t\ninet0 changed\nen0 changed\n"
    hosts = host.machine()["files"]["/etc/hosts"]
    assert hosts.endswith("10.1.1.15\taixprd01.corp.example.com aixprd01 aixprd01-t\n")
    assert len(host.machine().device("inet0")["attrs"]["route"]) == 2


def test_mktcpip_usage_errors(host, aix):
    r = aix("mktcpip", "-h", "x", "-a", "10.1.1.1")
    assert r.returncode == 2
    assert r.stderr.startswith("/usr/sbin/mktcpip: Mandatory flag(s) missing\n")
    r = aix("mktcpip", "-h", "x", "-a", "10.1.1.1", "-i", "en0", "-n", "10.1.0.53")
    assert r.returncode == 2
    assert r.stderr.startswith("/usr/sbin/mktcpip: -n flag cannot be specified without -d flag\n")
    r = aix("mktcpip", "-h", "x", "-a", "10.1.1", "-i", "en0")
    assert r.returncode == 2
    assert r.stderr.startswith(
        "/usr/sbin/mktcpip: IP address, 10.1.1, not in dotted decimal notation\n")
    assert r.stdout == ""
    assert host.machine()["net"]["hostname"] == "aixprd01"


def test_mktcpip_step_failure(host, aix):
    # the DR name server is already listed (not first): namerslv -a fails, mktcpip reports it
    r = aix("mktcpip", "-h", "h", "-a", "10.1.1.15", "-i", "en0", "-n", "10.1.0.54",
            "-d", "corp.example.com")
    assert r.returncode == 1
    assert r.stderr == ("namerslv: 0822-179 A nameserver already exists: nameserver\t10.1.0.54\n"
                        "/usr/sbin/mktcpip: Problem with command: namerslv, return code = 1\n")
    r = aix("mktcpip", "-h", "h", "-a", "10.1.1.15", "-i", "en7")
    assert r.returncode == 1
    assert r.stderr.endswith(
        "\ten7\n/usr/sbin/mktcpip: Problem with command: chdev, return code = 1\n")


def test_hostent(host, aix):
    assert aix("hostent", "-a", "10.20.1.15", "-h", "aixprd01-dr aixdr").returncode == 0
    r = aix("hostent", "-a", "10.20.1.15", "-h", "x")
    assert (r.returncode, r.stderr) == (
        1, "hostent: 0822-041 The IP address 10.20.1.15 already exists.\n")
    r = aix("hostent", "-a", "10.20.1.999", "-h", "x")
    assert (r.returncode, r.stderr) == (1, "10.20.1.999 is an invalid address.\n")
    assert aix("hostent", "-c", "10.20.1.15", "-h", "aixdr").returncode == 0
    assert aix("hostent", "-s", "10.20.1.15").stdout == "10.20.1.15\taixdr\n"
    r = aix("hostent", "-S", "-Z").stdout.splitlines()
    assert r[0] == "#netaddr:hostname:alias:cmnt" and r[-1] == "10.20.1.15:aixdr::"
    assert aix("hostent", "-d", "10.20.1.15").returncode == 0
    r = aix("hostent", "-d", "10.20.1.15")
    assert r.stderr == "hostent: 0822-048 The IP address 10.20.1.15 does not exist.\n"
    assert aix("hostent", "-a", "10.1.1.1").returncode == 2
    assert host.machine()["files"]["/etc/hosts"] == (
        HOSTS_HEAD + "10.1.1.15\taixprd01.corp.example.com aixprd01\n")


def test_namerslv_forms(host, aix):
    assert aix("namerslv", "-s").stdout == (
        "nameserver\t10.1.0.53\nnameserver\t10.1.0.54\ndomain\tcorp.example.com\n"
        "search\tcorp.example.com\n")
    assert aix("namerslv", "-s", "-I", "-Z").stdout == "#nameserver\n10.1.0.53\n10.1.0.54\n"
    assert aix("namerslv", "-s", "-n").stdout == "domain\tcorp.example.com\n"
    assert aix("namerslv", "-s", "-n", "-Z").stdout == "#domain\ncorp.example.com\n"
    r = aix("namerslv", "-a", "-i", "10.1.0.53")
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == "namerslv: 0822-179 A nameserver already exists: nameserver\t10.1.0.53\n"
    r = aix("namerslv", "-a", "-i", "10.1.2")
    assert r.stderr == "namerslv: 0822-171 IP address 10.1.2 is not in the correct format.\n"
    r = aix("namerslv", "-a", "-D", "x.com")
    assert r.stderr == "namerslv: 0822-167 A domain already exists: domain\tcorp.example.com\n"
    assert aix("namerslv", "-d", "-i", "10.9.9.9").returncode == 1
    assert aix("namerslv", "-X", "-I").returncode == 0
    assert aix("namerslv", "-a", "-i", "10.20.0.53").returncode == 0
    assert aix("namerslv", "-c", "dr.example.com").returncode == 0
    assert aix("namerslv", "-C", "dr.example.com corp.example.com").returncode == 0
    assert aix("namerslv", "-s").stdout == (
        "nameserver\t10.20.0.53\ndomain\tdr.example.com\n"
        "search\tdr.example.com corp.example.com\n")
    assert aix("namerslv", "-d", "-n").returncode == 0
    assert aix("namerslv", "-d", "-l").returncode == 0
    assert aix("namerslv", "-s").stdout == "nameserver\t10.20.0.53\n"
    r = aix("namerslv", "-a", "-d", "-i", "1.2.3.4")
    assert r.stderr == "namerslv: 0822-168 The specified flags are not compatible.\n"
    assert aix("namerslv").returncode == 2
    assert aix("namerslv", "-e").returncode == 0
    assert aix("namerslv", "-s").returncode == 1
    assert aix("namerslv", "-b").returncode == 0
    assert aix("namerslv", "-X").returncode == 0
    assert host.machine()["files"]["/etc/resolv.conf"] == ""
    muts = [c["argv"][1] for c in host.mutating_calls()]
    assert muts == ["-a", "-a", "-a", "-d", "-X", "-a", "-c", "-C", "-d", "-d", "-a", "-e",
                    "-b", "-X"]
