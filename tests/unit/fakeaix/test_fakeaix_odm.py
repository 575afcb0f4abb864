"""odmget on the fake host: CuDv, CuAt (customized values only) and PdAt (defaults per
uniquetype) in odmget's stanza layout, selected by criteria; and the agent's bulk reader
gives for every device the very values `lsattr -El` shows."""

from aixdr_agent.aix.devattr import read_attrs, read_attrs_bulk
from aixdr_agent.aix.odmget import customized, defaults, device_types, parse_odmget
from aixdr_agent.runner import Runner
from fakeaix.host import FakeHost
from fakeaix.scenarios import boot_at_dr, production_machine


def test_stanza_layout_and_criteria(aix):
    r = aix("odmget", "-q", "name=hdisk1 and attribute=queue_depth", "CuAt")
    assert r.returncode == 0
    assert r.stdout == ('\nCuAt:\n\tname = "hdisk1"\n\tattribute = "queue_depth"\n'
                        '\tvalue = "32"\n\ttype = "R"\n\tgeneric = "DU"\n\trep = "nr"\n'
                        '\tnls_index = 21\n')
    stanzas = parse_odmget(r.stdout)
    assert [s.fields["value"] for s in stanzas] == ["32"]
    # a default value is not customized: no CuAt object
    assert aix("odmget", "-q", "name=hdisk1 and attribute=algorithm", "CuAt").stdout == ""
    pd = parse_odmget(aix("odmget", "-q", "attribute=queue_depth", "PdAt").stdout)
    assert defaults(pd) == {"disk/fcp/mpioosdisk": "20"}
    cudv = device_types(parse_odmget(aix("odmget", "-q", "name='hdisk0'", "CuDv").stdout))
    assert cudv == {"hdisk0": "disk/fcp/mpioosdisk"}
    many = customized(parse_odmget(aix("odmget", "-q", "attribute=alias4", "CuAt").stdout))
    assert many["en0"] == ["10.1.1.16,255.255.255.0", "10.1.1.17,255.255.255.0"]
    like = device_types(parse_odmget(aix("odmget", "-q", "name like 'fscsi*'", "CuDv").stdout))
    assert set(like) == {"fscsi0", "fscsi1"}


def test_bulk_reader_agrees_with_lsattr_and_falls_back(tmp_path):
    machine = boot_at_dr(production_machine(), odm_reset=True, clouddev="1")
    host = FakeHost.create(str(tmp_path / "aix"), machine)
    runner = Runner(environ=dict(host.env()), cache=True)
    devices = ["hdisk0", "hdisk1", "hdisk2", "fscsi0", "en0", "sys0", "nosuch0"]
    names = ["queue_depth", "reserve_policy"]
    bulk = read_attrs_bulk(runner, devices[:3], names)
    for dev in devices[:3]:
        assert bulk[dev] == {k: v for k, v in read_attrs(runner, dev, names).items()}
    fc = read_attrs_bulk(runner, ["fscsi0", "fscsi1", "nosuch0"], ["dyntrk", "fc_err_recov"])
    assert set(fc) == {"fscsi0", "fscsi1"}          # a device the ODM does not hold: absent
    assert fc["fscsi0"] == read_attrs(runner, "fscsi0", ["dyntrk", "fc_err_recov"])
    odm = [c for c in runner.journal if c.argv[0] == "odmget"]
    assert len(odm) == 1 + 2 * 2 + 2 * 2            # CuDv asked once (then cached)
    # an attribute that a type does not predefine: lsattr answers (and fails as before)
    runner.journal.clear()
    got = read_attrs_bulk(runner, ["en0"], ["alias4", "netaddr"])
    assert got["en0"] == read_attrs(runner, "en0", ["alias4", "netaddr"])
    assert not any(c.argv[0] == "lsattr" for c in runner.journal[:-1])


def test_odmget_failing_falls_back_to_lsattr(tmp_path):
    machine = production_machine()
    machine.data.setdefault("behaviour", {})["fail"] = [
        {"match": "odmget", "rc": 1, "stderr": "odmget: cannot open class\n"}]
    host = FakeHost.create(str(tmp_path / "aix"), machine)
    runner = Runner(environ=dict(host.env()))
    got = read_attrs_bulk(runner, ["hdisk1", "hdisk2"], ["queue_depth"])
    assert got == {"hdisk1": {"queue_depth": ["32"]}, "hdisk2": {"queue_depth": ["32"]}}
    assert [c.argv[0] for c in runner.journal].count("lsattr") == 2
