"""lsattr: columnized -E/-D (with -H), -O, -F value, -R, error ids."""

import pytest

from aixdr_agent.aix import AixParseError
from aixdr_agent.aix.lsattr import (
    AttrRow,
    attrs_first,
    parse_lsattr_E,
)
from tests.harness.samples import sample


def columnize(rows, header=None):
    """The layout rule of COMMANDS.md 0.5, as AIX prints lsattr/lsdev columns."""
    allrows = ([header] if header else []) + rows
    w = [max(len(r[i]) for r in allrows) for i in range(len(allrows[0]))]
    out = []
    if header:
        out.append(" ".join(c.ljust(w[i]) for i, c in enumerate(header)).rstrip())
        out.append("")
    for r in rows:
        out.append(" ".join(c.ljust(w[i]) for i, c in enumerate(r)).rstrip())
    return "\n".join(out) + "\n"


# COMMANDS.md 1.1, `lsattr -El sys0` (AIX 7.2-like), byte for byte
SYS0 = """\
SW_dist_intr    false                                Enable SW distribution of interrupts                True
autorestart     true                                 Automatically REBOOT OS after a crash               True
boottype        disk                                 N/A                                                 False
capacity_inc    0.01                                 Processor capacity increment                        False
capped          false                                Partition is capped                                 False
chown_restrict  true                                 Chown Restriction Mode                              True
clouddev        0                                    Recreate ODM devices on next boot                   True
conslogin       enable                               System Console Login                                False
cpuguard        enable                               CPU Guard                                           True
dedicated       false                                Partition is dedicated                              False
enhanced_RBAC   true                                 Enhanced RBAC Mode                                  True
ent_capacity    0.50                                 Entitled processor capacity                         False
frequency       6400000000                           System Bus Frequency                                False
fullcore        false                                Enable full CORE dump                               True
fwversion       IBM,FW950.10 (VL950_092)             Firmware version and revision levels                False
ghostdev        0                                    Recreate ODM devices on system change / modify PVID True
id_to_partition 0X800005AB1C200007                   Partition ID                                        False
id_to_system    0X800005AB1C200000                   System ID                                           False
iostat          false                                Continuously maintain DISK I/O history              True
max_capacity    2.00                                 Maximum potential processor capacity                False
max_logname     9                                    Maximum login name length at boot time              True
maxbuf          20                                   Maximum number of pages in block I/O BUFFER CACHE   True
maxmbuf         0                                    Maximum Kbytes of real memory allowed for MBUFS     True
maxpout         8193                                 HIGH water mark for pending write I/Os per file     True
maxuproc        4096                                 Maximum number of PROCESSES allowed per user        True
min_capacity    0.10                                 Minimum potential processor capacity                False
minpout         4096                                 LOW water mark for pending write I/Os per file      True
modelname       IBM,9009-42A                         Machine name                                        False
ncargs          256                                  ARG/ENV list size in 4K byte blocks                 True
nfs4_acl_compat secure                               NFS4 ACL Compatibility Mode                         True
ngroups_allowed 128                                  Number of Groups Allowed                            True
os_uuid         5d1c7a0e-3b9f-4e21-9a6d-0c2f8e7b4a11 N/A                                                 True
pre430core      false                                Use pre-430 style CORE dump                         True
pre520tune      disable                              Pre-520 tuning compatibility mode                   True
realmem         16777216                             Amount of usable physical memory in Kbytes          False
rtasversion     1                                    Open Firmware RTAS version                          False
sed_config      select                               Stack Execution Disable (SED) Mode                  True
systemid        IBM,0278A1B2C                        Hardware system identifier                          False
variable_weight 128                                  Variable processor capacity weight                  False
"""  # noqa: E501

# COMMANDS.md 4.2, `lsattr -El en0` with two aliases
EN0 = """\
alias4        10.20.1.50,255.255.255.0 IPv4 Alias including Subnet Mask              True
alias4        10.20.1.51,255.255.255.0 IPv4 Alias including Subnet Mask              True
alias6                                 IPv6 Alias including Prefix Length            True
arp           on                       Address Resolution Protocol (ARP)             True
authority                              Authorized Users                              True
broadcast                              Broadcast Address                             True
monitor       off                      Enable/Disable monitor attribute              True
mtu           1500                     Maximum IP Packet Size for This Device        True
mtu_bypass    on                       Enable/Disable largesend for virtual Ethernet True
netaddr       10.20.1.10               Internet Address                              True
netaddr6                               IPv6 Internet Address                         True
netmask       255.255.255.0            Subnet Mask                                   True
prefixlen                              Prefix Length for IPv6 Internet Address       True
remmtu        576                      Maximum IP Packet Size for REMOTE Networks    True
rfc1323                                Enable/Disable TCP RFC 1323 Window Scaling    True
security      none                     Security Level                                True
state         up                       Current Interface Status                      True
tcp_mssdflt                            Set TCP Maximum Segment Size                  True
tcp_nodelay                            Enable/Disable TCP_NODELAY Option             True
tcp_recvspace                          Set Socket Buffer Space for Receiving         True
tcp_sendspace                          Set Socket Buffer Space for Sending           True
thread        off                      Enable/Disable thread attribute               True
"""

INET0_ROWS = [
    ("authm", "65536", "Authentication Methods", "True"),
    ("bootup_option", "no", "Use BSD-style Network Configuration", "True"),
    ("gateway", "", "Gateway", "True"),
    ("hostname", "aixprd01", "Host Name", "True"),
    ("rout6", "", "IPv6 Route", "True"),
    ("route", "net,-hopcount,0,,0,10.20.1.1", "Route", "True"),
    ("route", "net,-hopcount,0,-netmask,255.255.0.0,,,10.30.0.0,10.20.1.254", "Route",
     "True"),
]


def test_full_sys0_listing():
    rows = parse_lsattr_E(SYS0)
    assert len(rows) == 39
    attrs = attrs_first(rows)
    assert attrs["systemid"] == "IBM,0278A1B2C"
    assert attrs["modelname"] == "IBM,9009-42A"
    assert attrs["fwversion"] == "IBM,FW950.10 (VL950_092)"   # a value with a blank
    assert attrs["clouddev"] == "0" and attrs["ghostdev"] == "0"
    by_name = {r.attribute: r for r in rows}
    assert by_name["ghostdev"].description == "Recreate ODM devices on system change / modify PVID"
    assert by_name["boottype"] == AttrRow("boottype", "disk", "N/A", "False")
    assert by_name["os_uuid"].value == "5d1c7a0e-3b9f-4e21-9a6d-0c2f8e7b4a11"
    assert rows[0].attribute == "SW_dist_intr"      # upper case sorts first


def test_narrow_queries_from_commands_md():
    assert parse_lsattr_E("systemid IBM,0278A1B2C Hardware system identifier False\n") == [
        AttrRow("systemid", "IBM,0278A1B2C", "Hardware system identifier", "False")]
    two = ("ghostdev 0 Recreate ODM devices on system change / modify PVID True\n"
           "clouddev 0 Recreate ODM devices on next boot                   True\n")
    assert parse_lsattr_E(two) == [
        AttrRow("ghostdev", "0", "Recreate ODM devices on system change / modify PVID", "True"),
        AttrRow("clouddev", "0", "Recreate ODM devices on next boot", "True")]


def test_header_flag_output():
    text = ("attribute value description                       user_settable\n"
            "\n"
            "clouddev  0     Recreate ODM devices on next boot True\n")
    assert parse_lsattr_E(text) == [
        AttrRow("clouddev", "0", "Recreate ODM devices on next boot", "True")]


def test_defaults_listing_with_header():
    rows = [("clouddev", "0", "Recreate ODM devices on next boot", "True")]
    text = columnize(rows, ("attribute", "deflt", "description", "user_settable"))
    assert parse_lsattr_E(text) == [AttrRow(*rows[0])]


def test_empty_and_unknown_output():
    assert parse_lsattr_E("") == []
    assert parse_lsattr_E(None) == []
    with pytest.raises(AixParseError):
        parse_lsattr_E("this is not lsattr output\n")
    with pytest.raises(AixParseError):
        parse_lsattr_E(b"systemid IBM,1 x False\n")   # bytes are not text


def test_stderr_mixed_in():
    text = ('lsattr: 0514-528 The "foo" attribute does not exist in the predefined\n'
            "\tdevice configuration database.\n" + EN0)
    assert parse_lsattr_E(text) == parse_lsattr_E(EN0)


def test_sample_interface_without_ip():
    attrs = attrs_first(parse_lsattr_E(sample("lsattr-en", "fusioninventory-4.txt")))
    assert attrs["netaddr"] == "" and attrs["netmask"] == "" and attrs["state"] == "down"
    assert attrs["mtu"] == "1500"


def test_sample_aix43_unsorted_with_na():
    # AIX 4.3: rows unsorted; the "N/A" of the IPv6 rows sits at the DESCRIPTION offset
    # (the value column, offsets 10-23, is blank), so the value is empty.
    rows = parse_lsattr_E(sample("lsattr-en", "fusioninventory-1.txt"))
    assert [r.attribute for r in rows][:3] == ["mtu", "remmtu", "netaddr"]
    by_name = {r.attribute: r for r in rows}
    assert by_name["netaddr6"] == AttrRow("netaddr6", "", "N/A", "True")
    assert by_name["netaddr"].value == "172.26.20.127"


def test_sample_hdisk_true_plus_and_empty_location():
    rows = parse_lsattr_E(sample("lsattr-hdisk", "metaage-1.txt"))
    by_name = {r.attribute: r for r in rows}
    assert by_name["reserve_policy"] == AttrRow("reserve_policy", "no_reserve",
                                                "Reserve Policy", "True+")
    assert by_name["location"].value == ""
    assert by_name["pvid"].value == "00cbdbc03a6d0b000000000000000000"
    assert len(rows) == 30


def test_sample_sys0_excerpt_with_wide_name_column():
    # 5 rows cut from a full listing: the name column is padded for names not shown
    attrs = attrs_first(parse_lsattr_E(sample("lsattr-sys0", "oshi-1.txt")))
    assert attrs == {"fwversion": "IBM,RG080425_d79e22_r", "modelname": "IBM,9114-275",
                     "os_uuid": "789f930f-b15c-4639-b842-b42603862704", "rtasversion": "1",
                     "systemid": "IBM,0110ACFDE"}


def test_other_samples():
    assert attrs_first(parse_lsattr_E(sample("lsattr-iscsi0", "ansible-1.txt"))) [
        "isns_srvports"] == ""
    lo0 = attrs_first(parse_lsattr_E(sample("lsattr-lo0", "fusioninventory-2.txt")))
    assert lo0["netmask"] == "" and lo0["netaddr6"] == "::1"
    proc = attrs_first(parse_lsattr_E(sample("lsattr-proc", "ohai-1.txt")))
    assert proc["type"] == "PowerPC_POWER5"


def test_round_trip_property():
    hyp = pytest.importorskip("hypothesis")
    st = hyp.strategies
    name = st.text("abcdefghijklmnopqrstuvwxyz_0123456789", min_size=1, max_size=16)
    value = st.text("abcXYZ0123456789,.-/:", max_size=30)           # no blanks
    desc = st.from_regex(r"[A-Za-z/()][A-Za-z0-9 /()-]{0,40}[A-Za-z)]", fullmatch=True)
    settable = st.sampled_from(["True", "False", "True+"])
    row = st.tuples(name, value, desc, settable)

    @hyp.settings(max_examples=200, deadline=None)
    @hyp.given(st.lists(row, min_size=1, max_size=8), st.booleans())
    def check(rows, header):
        rows = [[a, v, " ".join(d.split()), s] for a, v, d, s in rows]
        text = columnize(rows, ("attribute", "value", "description", "user_settable")
                         if header else None)
        assert parse_lsattr_E(text) == [AttrRow(*r) for r in rows]

    check()
