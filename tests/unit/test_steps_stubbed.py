"""Steps against canned AIX output: the corner cases a fake machine makes awkward."""

import pytest

from aixdr_agent.config import parse_config_text
from aixdr_agent.engine import Context
from aixdr_agent.steps import step
from tests.harness.configs import MINIMAL
from tests.harness.stub import StubRunner

CONFIG = parse_config_text(MINIMAL)


def ctx_for(runner, inventory, previous="prod"):
    profiles = {n: s for n, s in CONFIG.sites.items()}
    return Context(CONFIG, "dr", profiles, runner, inventory=inventory, previous_site=previous)


INVENTORY = {"volume_groups": {"datavg": {"pvids": ["00c8ab12d0e1f201"], "major": 50,
                                          "concurrent": False, "filesystems": [],
                                          "raw_devices": []}}}


def test_a_dr_local_vg_with_the_same_name_is_never_exported():
    runner = StubRunner({
        "lspv": "hdisk0 00aa000000000000 rootvg active\n"
                "hdisk1 00c8ab12d0e1f201 None\n"
                "hdisk7 00dd000000000007 datavg active\n",
        "lsdev -Cc disk": "hdisk0 Available  Virtual SCSI Disk Drive\n"
                          "hdisk1 Available  Virtual SCSI Disk Drive\n"
                          "hdisk7 Available  Virtual SCSI Disk Drive\n",
        "lsvg": "rootvg\ndatavg\n",
        "lsvg -o": "rootvg\n",
    })
    ctx = ctx_for(runner, INVENTORY)
    assert step("importvg").plan(ctx) == []
    assert "taken here by another VG on hdisk7" in ctx.problems[0]


def test_the_other_sites_definition_is_exported_and_imported_again():
    runner = StubRunner({
        "lspv": "hdisk0 00aa000000000000 rootvg active\n"
                "hdisk1 00c8ab12d0e1f201 datavg\n"
                "hdisk5 00c8ab12d0e1f201 None\n",
        "lsdev -Cc disk": "hdisk0 Available  Virtual SCSI Disk Drive\n"
                          "hdisk1 Defined    Virtual SCSI Disk Drive\n"
                          "hdisk5 Available  Virtual SCSI Disk Drive\n",
        "lsvg": "rootvg\ndatavg\n",
        "lsvg -o": "rootvg\n",
    })
    ctx = ctx_for(runner, INVENTORY)
    argvs = [a.argv for a in step("importvg").plan(ctx)]
    assert argvs == [("exportvg", "datavg"), ("importvg", "-y", "datavg", "-V", "50", "hdisk5")]
    assert ctx.problems == []


def test_the_stub_answers_exact_commands_and_starred_prefixes_only():
    from tests.harness.stub import UnexpectedCommand

    runner = StubRunner({"lsvg": "rootvg\n", "lsattr -El *": (0, "a b\n", ""),
                         "lsattr -El hdisk1": (1, "", "no\n")})
    assert runner.query(["lsvg"]).stdout == "rootvg\n"
    assert runner.query(["lsattr", "-El", "hdisk0"]).stdout == "a b\n"
    assert runner.query(["lsattr", "-El", "hdisk1"], check=False).rc == 1
    with pytest.raises(UnexpectedCommand):
        runner.query(["lsvg", "-o"])
    with pytest.raises(UnexpectedCommand):
        runner.change(["varyonvg", "datavg"])
    assert runner.calls[-1] == ("varyonvg", "datavg")
