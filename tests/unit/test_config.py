"""The configuration loader: the SPEC examples load, every bad file is refused with the
file, line and key path its first lines expect, and unsafe files are refused."""

import glob
import itertools
import os
import pwd
import random
import re
import stat
import subprocess
import sys
import time

import pytest

from aixdr_agent.config import (
    STEP_NAMES,
    Alias,
    ConfigError,
    Problem,
    Timeouts,
    load_config,
    parse_config_text,
)
from aixdr_agent.config import formats as netaddr
from aixdr_agent.trust import UnsafeFileError, check_file_safe
from tests.harness.configs import CONFIGS, EXPECT, MINIMAL
from tests.harness.lpar import ROOT
from tests.harness.samples import SHARED

GOOD = sorted(glob.glob(os.path.join(CONFIGS, "good", "*.yaml")))
BAD = sorted(glob.glob(os.path.join(CONFIGS, "bad", "*.yaml")))
EXAMPLE = os.path.join(ROOT, "aixdr_agent", "examples", "agent.yaml")


def read(path):
    with open(path) as f:
        return f.read()


def problems_of(text):
    with pytest.raises(ConfigError) as info:
        parse_config_text(text, "agent.yaml")
    return info.value


def keys_of(text):
    return {(p.line, p.key) for p in problems_of(text).problems}


# --- what must load --------------------------------------------------------------------


def spec_examples():
    """The yaml blocks of SPEC sections 5 and 5.1, verbatim."""
    path = os.path.join(SHARED, "SPEC.md")
    if not os.path.exists(path):
        return []
    text = read(path)
    section = text[text.index("## 5. Configuration"):text.index("## 6.")]
    return re.findall(r"```yaml\n(.*?)```", section, re.S)


def test_spec_examples_load_verbatim():
    examples = spec_examples()
    if not examples:
        pytest.skip("../shared/SPEC.md not present")
    assert len(examples) == 2
    for text in examples:
        config = parse_config_text(text, "spec.yaml")
        assert len(config.sites) >= 2


@pytest.mark.parametrize("path", GOOD, ids=os.path.basename)
def test_good_configs_load(path):
    config = parse_config_text(read(path), path)
    assert config.path == path


def test_classic_example_values():
    config = parse_config_text(read(os.path.join(CONFIGS, "good", "spec-5-classic.yaml")))
    assert list(config.sites) == ["prod", "dr", "drtest"]  # file order
    prod = config.site("prod")
    assert prod.systemids == ("IBM,0284AB12C", "IBM,0284AB13D")
    iface = prod.primary_interface
    assert (iface.name, iface.address, iface.netmask, iface.primary) == (
        "en0", "10.1.1.15", "255.255.255.0", True)
    assert iface.aliases == (Alias("10.1.1.16", "255.255.255.0"),)
    assert iface.aliases[0].aix() == "10.1.1.16,255.255.255.0"
    assert prod.routes[0].destination == "10.9.0.0/16"
    assert prod.routes[0].gateway == "10.1.1.254"
    assert prod.dns.nameservers == ("10.1.0.53", "10.1.0.54")
    assert prod.dns.search == ("corp.example.com",)
    assert prod.bootlist == "rootvg"
    assert prod.nimclient == "enabled"
    assert prod.specificity == 0
    dr, drtest = config.site("dr"), config.site("drtest")
    assert dr.routes is None and dr.bootlist is None  # absent: the step leaves it alone
    assert dr.primary_interface.name == "en0"          # the first when none is primary
    assert drtest.lpar_names == ("*_drtest",) and drtest.specificity == 1
    assert config.volume_groups.import_ == "all" and config.volume_groups.mount is True
    assert config.device_attributes == {
        "hdisk": {"queue_depth": "32", "reserve_policy": "no_reserve"},
        "fscsi": {"dyntrk": "yes", "fc_err_recov": "fast_fail"}}
    assert config.scripts[0].path == "/etc/aixdr/scripts.d/10-powerha-disk.ksh"
    assert config.scripts[0].timeout == 300
    assert config.steps == STEP_NAMES
    assert config.on_unknown_site == "refuse" and config.enabled is True
    assert config.timeouts == Timeouts(600, 900, 300)
    assert config.notify is None and config.hosts == {}


def test_fleet_example_values():
    config = parse_config_text(read(os.path.join(CONFIGS, "good", "spec-5.1-fleet.yaml")))
    assert config.version == 1  # SPEC 5.1 leaves version out: it defaults to 1
    prod, dr = config.site("prod"), config.site("dr")
    assert prod.observed and prod.interfaces is None and prod.primary_interface is None
    assert dr.derive_from == "prod" and dr.hostname == "{hostname}-dr"
    assert [(str(r.source), str(r.target)) for r in dr.subnets] == [
        ("10.1.0.0/16", "10.20.0.0/16"), ("10.9.0.0/16", "10.9.0.0/16")]
    override = config.hosts["aixprd07"]["dr"]
    assert override == {"hostname": "aixdr07"}
    assert dr._replace(**override).hostname == "aixdr07"


def test_everything_else_parses_typed():
    config = parse_config_text(read(os.path.join(CONFIGS, "good", "full.yaml")))
    prod = config.site("prod")
    assert [i.name for i in prod.interfaces] == ["en0", "en1"]
    assert prod.primary_interface.name == "en1"
    assert prod.interfaces[1].aliases[0] == Alias("10.1.2.16", "255.255.255.0")
    assert prod.routes[1].destination == "10.8.7.6/32"
    assert config.site("dr").routes == ()  # [] means: none at this site
    assert config.site("drtest").lpar_ids == (12, 13)
    assert config.volume_groups.import_ == ("datavg", "app.vg_01")
    assert config.volume_groups.mount is False
    assert config.device_attributes["hdisk"] == {"queue_depth": "32",
                                                 "max_transfer": "0x100000",
                                                 "pvid": ""}
    assert [(s.path, s.timeout) for s in config.scripts] == [
        ("/etc/aixdr/scripts.d/10-a.ksh", 45), ("/etc/aixdr/scripts.d/20-b.ksh", 120)]
    assert config.steps == ("devices", "importvg", "mktcpip", "clouddev")
    assert config.timeouts == Timeouts(command=60, boot=1800, script=45)
    assert config.notify == ("/usr/bin/logger", "-t", "aixdr")
    assert config.enabled is False
    override = config.hosts["aixprd07.corp.example.com"]["dr"]
    assert override["interfaces"][0].address == "10.20.1.77"
    assert override["bootlist"] == ("hdisk0", "hdisk1")


def test_values_are_frozen_tuples():
    config = parse_config_text(read(os.path.join(CONFIGS, "good", "full.yaml")))
    site = config.site("prod")
    with pytest.raises(AttributeError):
        site.hostname = "x"
    for value in (site.systemids, site.interfaces, site.routes, site.dns.nameservers,
                  config.steps, config.scripts, config.notify):
        assert isinstance(value, tuple)


def test_site_lookup_names_the_sites():
    config = parse_config_text(MINIMAL)
    with pytest.raises(KeyError, match="sites: prod, dr"):
        config.site("qa")


def test_site_matches_follows_the_identity_rule():
    config = parse_config_text(read(os.path.join(CONFIGS, "good", "spec-5-classic.yaml")))
    drtest = config.site("drtest")
    assert drtest.matches("IBM,0211D11C1", 5, "aixprd01_drtest")
    assert not drtest.matches("IBM,0211D11C1", 5, "aixprd01")
    assert not drtest.matches("IBM,0284AB12C", 5, "aixprd01_drtest")


def test_packaged_example_loads():
    config = parse_config_text(read(EXAMPLE), EXAMPLE)
    assert list(config.sites) == ["prod", "dr", "drtest"]
    assert config.site("drtest").derive_from == "prod"


def test_packaged_example_classic_block_loads_when_uncommented():
    text = read(EXAMPLE)
    block = text[text.index("# sites:"):]
    uncommented = "\n".join(line[2:] for line in block.splitlines() if line.startswith("# "))
    config = parse_config_text("version: 1\n" + uncommented)
    assert config.site("dr").routes == ()


def test_minimal_config_defaults():
    config = parse_config_text(MINIMAL)
    assert config.steps == STEP_NAMES and config.scripts == () and config.hosts == {}
    assert config.device_attributes == {} and config.notify is None


# --- what must be refused ----------------------------------------------------------------


def test_bad_corpus_is_large_enough():
    assert len(BAD) >= 35


@pytest.mark.parametrize("path", BAD, ids=os.path.basename)
def test_bad_config_names_file_line_and_key(path):
    text = read(path)
    expected = {(int(line), key) for line, key in EXPECT.findall(text)}
    assert expected, "%s: first line must be '# expect: LINE KEY'" % path
    with pytest.raises(ConfigError) as info:
        parse_config_text(text, path)
    assert {(p.line, p.key) for p in info.value.problems} == expected, str(info.value)
    for line, key in expected:
        assert "%s:%d: %s: " % (path, line, key) in str(info.value)


def test_problem_format():
    problem = Problem("/etc/aixdr/agent.yaml", 14, "sites.dr.interfaces[0].address",
                      "'10.20.1.300' is not an IPv4 address")
    assert str(problem) == ("/etc/aixdr/agent.yaml:14: sites.dr.interfaces[0].address: "
                            "'10.20.1.300' is not an IPv4 address")
    assert str(Problem("a.yaml", None, "(file)", "too big")) == "a.yaml: (file): too big"


def test_all_problems_at_once_one_per_line_in_line_order():
    error = problems_of(read(os.path.join(CONFIGS, "bad", "many-problems.yaml")))
    lines = str(error).splitlines()
    assert len(lines) == len(error.problems) == 4
    assert [p.line for p in error.problems] == sorted(p.line for p in error.problems)


def test_alias_bomb_is_refused_without_expanding():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        "%s: &%s [%s]\n" % (n, n, ", ".join(["*" + p] * 9))
        for p, n in zip("abcdefgh", "bcdefghi"))
    start = time.monotonic()
    assert keys_of(bomb) == {(1, "(file)")}
    assert time.monotonic() - start < 1


def test_deep_nesting_is_refused_not_a_crash():
    assert keys_of("a: " + "[" * 5000 + "]" * 5000 + "\n") == {(1, "(file)")}


def test_oversized_text_is_refused_unread():
    error = problems_of(MINIMAL + "#" * (1024 * 1024) + "\n")
    assert error.problems[0].line is None and "larger than" in str(error)


def test_leading_byte_order_mark_is_accepted():
    assert parse_config_text("\ufeff" + MINIMAL).version == 1


def test_device_attribute_numbers_keep_their_text():
    text = MINIMAL + "device_attributes:\n  hdisk: {max_transfer: 0x100000, queue_depth: 32}\n"
    attrs = parse_config_text(text).device_attributes["hdisk"]
    assert attrs == {"max_transfer": "0x100000", "queue_depth": "32"}


def test_route_host_address_becomes_slash_32():
    text = MINIMAL.replace('["IBM,0211D11C1"]\n', '["IBM,0211D11C1"]\n'
                           "    interfaces: [{name: en0, address: 10.2.0.5, "
                           "netmask: 255.255.0.0}]\n"
                           "    routes: [{destination: 10.9.8.7, gateway: 10.2.0.1}]\n")
    assert parse_config_text(text).site("dr").routes[0].destination == "10.9.8.7/32"


@pytest.mark.parametrize("names_a,names_b,ids_a,ids_b,clash", [
    (["*_drtest"], ["*_qa"], [], [], False),
    (["*_drtest"], ["aix*"], [], [], True),
    (["aixdr[0-4]"], ["aixdr[5-9]"], [], [], False),
    (["aix*"], [], [], [7], True),        # the name-only site can match LPAR 7 too
    (["aix*"], ["aix*"], [1], [2], False),  # the ids keep them apart
    ([], [], [3], [3, 4], True),
])
def test_sites_sharing_a_frame(names_a, names_b, ids_a, ids_b, clash):
    def site(name, names, ids):
        text = '  %s:\n    systemids: ["IBM,0211D11C1"]\n' % name
        if names:
            text += "    lpar_names: [%s]\n" % ", ".join('"%s"' % n for n in names)
        if ids:
            text += "    lpar_ids: [%s]\n" % ", ".join(map(str, ids))
        return text
    text = MINIMAL.replace("IBM,0211D11C1", "IBM,0211D11C2") + site(
        "a", names_a, ids_a) + site("b", names_b, ids_b)
    if clash:
        assert {k for _, k in keys_of(text)} & {"sites.b.lpar_names", "sites.b.lpar_ids"}
    else:
        assert parse_config_text(text)


def test_hosts_override_is_checked_against_its_site():
    text = read(os.path.join(CONFIGS, "good", "spec-5-classic.yaml")) + (
        "hosts:\n  aixprd07:\n    dr:\n      interfaces: [{name: en0, address: 10.30.1.7, "
        "netmask: 255.255.255.0}]\n")
    error = problems_of(text)
    assert [p.key for p in error.problems] == ["hosts.aixprd07.dr.interfaces"]
    assert "gateway 10.20.1.1" in str(error)


# --- netaddr ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["10.1.1.1", "0.0.0.0", "255.255.255.255"])
def test_ipv4_accepts(text):
    assert netaddr.ipv4(text) == text


@pytest.mark.parametrize("text", ["010.1.1.1", "10.1.1", "10.1.1.1.1", "10.1.1.256",
                                  "0x0a.1.1.1", "167837953", " 10.1.1.1", "10.1.1.1\n",
                                  "１０.1.1.1"])
def test_ipv4_refuses(text):
    with pytest.raises(ValueError):
        netaddr.ipv4(text)


def test_netmask_and_alias_forms():
    assert netaddr.netmask("255.255.255.128") == "255.255.255.128"
    for bad in ("255.255.255.1", "0.0.0.0", "255.255.0.255"):
        with pytest.raises(ValueError):
            netaddr.netmask(bad)
    assert netaddr.alias("10.1.1.16/24") == ("10.1.1.16", "255.255.255.0")
    assert netaddr.alias("10.1.1.16/255.255.255.0") == ("10.1.1.16", "255.255.255.0")
    assert netaddr.alias("10.1.1.1/31") == ("10.1.1.1", "255.255.255.254")


@pytest.mark.parametrize("pattern_a,pattern_b,overlap", [
    ("*_drtest", "*_qa", False), ("*_drtest", "aix*", True), ("a?c", "*b*", True),
    ("[!a]*", "a*", False), ("[!a]*", "[!b]*", True), ("x[]]y", "x]y", True),
    ("abc", "abd", False), ("*", "", True), ("?", "", False), ("[", "[", True),
])
def test_globs_overlap_examples(pattern_a, pattern_b, overlap):
    assert netaddr.globs_overlap(pattern_a, pattern_b) is overlap
    assert netaddr.globs_overlap(pattern_b, pattern_a) is overlap


def test_globs_overlap_agrees_with_brute_force():
    import fnmatch

    rng = random.Random(1)
    alphabet = "ab*?[]!-"
    for _ in range(300):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3)))
        b = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3)))
        match_a = re.compile(fnmatch.translate(a)).match
        match_b = re.compile(fnmatch.translate(b)).match
        chars = sorted(set(a + b + "c\x00"))  # "c", NUL: outside any class given
        # a shortest common match is never longer than the two patterns together
        witness = any(match_a(s) and match_b(s)
                      for n in range(len(a) + len(b) + 1)
                      for s in map("".join, itertools.product(chars, repeat=n)))
        assert netaddr.globs_overlap(a, b) is witness, (a, b)


# --- files ----------------------------------------------------------------------------------


NOBODY = pwd.getpwnam("nobody").pw_uid if "nobody" in {p.pw_name for p in pwd.getpwall()} \
    else 65534
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to chown")


def write(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return str(path)


def test_safe_file_passes(tmp_path):
    check_file_safe(write(tmp_path / "agent.yaml", MINIMAL), trusted_uids=(os.geteuid(),))


@as_root
def test_file_owned_by_another_user_is_refused(tmp_path):
    path = write(tmp_path / "agent.yaml", MINIMAL)
    os.chown(path, NOBODY, -1)
    with pytest.raises(UnsafeFileError, match=r"owned by uid %d.*chown root:system %s"
                       % (NOBODY, re.escape(path))):
        check_file_safe(path)
    check_file_safe(path, trusted_uids=(0, NOBODY))  # the user running the agent


def test_group_writable_file_is_refused_with_the_fix(tmp_path):
    path = write(tmp_path / "agent.yaml", MINIMAL, 0o664)
    with pytest.raises(UnsafeFileError) as info:
        check_file_safe(path, trusted_uids=(os.geteuid(),))
    assert str(info.value) == ("%s: refused: writable by group or others (mode 0664); "
                               "fix with: chmod go-w %s" % (path, path))


def test_symlink_to_unsafe_file_is_refused(tmp_path):
    target = write(tmp_path / "real.yaml", MINIMAL, 0o666)
    link = tmp_path / "agent.yaml"
    os.symlink(target, link)
    with pytest.raises(UnsafeFileError, match="symlink target %s is writable"
                       % re.escape(target)):
        check_file_safe(str(link), trusted_uids=(os.geteuid(),))
    os.chmod(target, 0o644)
    check_file_safe(str(link), trusted_uids=(os.geteuid(),))


def test_directory_writable_by_others_is_refused_unless_sticky(tmp_path):
    folder = tmp_path / "etc"
    folder.mkdir()
    path = write(folder / "agent.yaml", MINIMAL)
    os.chmod(folder, 0o777)
    with pytest.raises(UnsafeFileError, match="directory .* without the sticky bit"):
        check_file_safe(path, trusted_uids=(os.geteuid(),))
    os.chmod(folder, 0o1777)
    check_file_safe(path, trusted_uids=(os.geteuid(),))


def test_not_a_regular_file_is_refused(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    for path in (tmp_path / "fifo", tmp_path):
        with pytest.raises(UnsafeFileError, match="not a regular file"):
            check_file_safe(str(path), trusted_uids=(os.geteuid(),))


def test_load_config_checks_the_file_before_reading_it(tmp_path):
    path = write(tmp_path / "agent.yaml", "not: [valid", 0o666)
    with pytest.raises(UnsafeFileError):
        load_config(path, trusted_uids=(os.geteuid(),))


def test_load_config_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(str(tmp_path / "nope.yaml"))


def test_load_config_refuses_oversized_and_non_utf8_files(tmp_path):
    big = write(tmp_path / "big.yaml", MINIMAL + "#" * (1024 * 1024))
    with pytest.raises(ConfigError, match="larger than"):
        load_config(big, trusted_uids=(os.geteuid(),))
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(MINIMAL.encode() + b"# caf\xe9\n")
    with pytest.raises(ConfigError, match=r"latin.yaml:7: \(file\): not UTF-8"):
        load_config(str(latin), trusted_uids=(os.geteuid(),))


def scripts_config(tmp_path, script_mode=0o755, owner=None):
    script = write(tmp_path / "10-x.ksh", "#!/bin/ksh\n", script_mode)
    if owner is not None:
        os.chown(script, owner, -1)
    path = write(tmp_path / "agent.yaml", MINIMAL + "scripts:\n  - %s\n" % script)
    return path, script


def test_load_config_with_safe_script(tmp_path):
    path, script = scripts_config(tmp_path)
    config = load_config(path, trusted_uids=(os.geteuid(),))
    assert config.scripts[0].path == script


def test_missing_or_non_executable_script_is_a_config_error(tmp_path):
    path, script = scripts_config(tmp_path, 0o644)
    with pytest.raises(ConfigError, match=r"agent.yaml:8: scripts\[0\]: .*chmod u\+x"):
        load_config(path, trusted_uids=(os.geteuid(),))
    os.unlink(script)
    with pytest.raises(ConfigError, match="No such file"):
        load_config(path, trusted_uids=(os.geteuid(),))
    assert load_config(path, check_files=False, trusted_uids=(os.geteuid(),))


@as_root
def test_unsafe_script_is_refused(tmp_path):
    path, script = scripts_config(tmp_path, owner=NOBODY)
    with pytest.raises(UnsafeFileError, match="%s: refused: owned by uid" % re.escape(script)):
        load_config(path)
    os.chown(script, 0, -1)
    os.chmod(script, 0o775)
    with pytest.raises(UnsafeFileError, match="chmod go-w %s" % re.escape(script)):
        load_config(path)


@as_root
def test_notify_command_owner_is_not_checked_but_writability_is(tmp_path):
    command = write(tmp_path / "notify", "#!/bin/sh\n", 0o755)
    os.chown(command, NOBODY, -1)  # like /usr/bin commands owned by bin on AIX
    path = write(tmp_path / "agent.yaml", MINIMAL + "notify: [%s, -x]\n" % command)
    assert load_config(path).notify == (command, "-x")
    os.chmod(command, 0o777)
    with pytest.raises(UnsafeFileError, match="writable by group or others"):
        load_config(path)


def test_importing_config_does_not_import_yaml():
    code = "import sys, aixdr_agent.config; print('yaml' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "False"


def test_config_file_mode_in_messages_is_octal(tmp_path):
    path = write(tmp_path / "agent.yaml", MINIMAL, 0o646)
    with pytest.raises(UnsafeFileError, match=r"mode 0646"):
        check_file_safe(path, trusted_uids=(os.geteuid(),))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o646


def test_parallel_defaults_to_a_few_and_one_means_one_after_another():
    assert parse_config_text(MINIMAL, "agent.yaml").parallel == 4
    assert parse_config_text(MINIMAL + "parallel: 1\n", "agent.yaml").parallel == 1
    assert keys_of(MINIMAL + "parallel: 0\n") == {(7, "parallel")}
