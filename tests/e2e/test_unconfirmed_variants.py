"""The DR round trip under every alternative of what ../shared/aix/COMMANDS.md leaves
unconfirmed ([U], its section 11), each a behaviour knob of the fake host.

Real AIX levels differ in these details (does lspv list Defined disks, which stream does
`mktcpip -S` use, what `bootlist -o` prints for a disk that is gone, which message a second
mount gets, ...), so the agent must reach the same end state whichever way a level does it:
production adopted, the replica booted at DR (ODM reset, a stale bootlist), `boot`
reaches the DR profile with `plan` naming exactly what it runs, a second `boot` is quiet;
and with every alternative at once, failback restores production."""

import pytest

from fakeaix import scenarios
from fakeaix.machine import BEHAVIOUR_DEFAULTS
from tests.harness import view
from tests.harness.dr import assert_dr_state, assert_quiet_boot, assert_vgs, plan_then_boot

# Each knob's alternatives to its default (the default itself is what every other test runs).
VARIANTS = [
    ("delroute_live_absent", "fail"),
    ("delalias4_missing", "ignore"),
    ("lspv_shows_defined", False),
    ("lspv_varied_off_rc", 0),
    ("odm_reset_network", True),
    ("boot_auto_varyon", False),
    ("bootlist_unmapped", "omit"),
    ("mount_already_mounted", "busy"),
    ("inet0_hostname_sets_running", False),
    ("first_free_major", 60),
    ("lsvg_o_order", "odm"),
    ("mktcpip_S_stream", "stderr"),
    ("cfgmgr_warnings", ["cfgmgr: 0514-621 WARNING: The following device packages are "
                         "required for device support but are not currently installed.",
                         "devices.vdevice.IBM.vfc-client"]),
    ("exit_codes", {"lsattr": 1, "lsdev": 1, "cfg": 1}),
    ("lsrpdomain_none", "header"),
]


def test_every_unconfirmed_knob_has_a_variant():
    """A knob added to the fake without a variant here would go untested."""
    covered = {k for k, _ in VARIANTS}
    not_tunable = {"latency", "hang", "fail", "kill_agent",     # fault injection
                   "boot_cfgmgr",                             # test_dr_scenarios (late LUNs)
                   "nim_unreachable",                         # the NIM master, not AIX
                   "ghostdev_values_reset"}                   # test_core_scenarios
    assert set(BEHAVIOUR_DEFAULTS) - not_tunable == covered


def at_production(lpar_factory, knobs):
    # The knobs go in after the machine is built: production was set up the usual way
    # (its VGs varied on and mounted); only what the commands and later boots do differs.
    m = scenarios.production_machine()
    m["behaviour"].update(knobs)
    lpar = lpar_factory(m)
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert lpar.changes() == []
    return lpar


def to_dr(lpar, knobs):
    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1",
                                        stale_bootlist=True))
    assert {k: lpar.machine()["behaviour"][k] for k in knobs} == knobs
    proc = plan_then_boot(lpar)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_dr_state(lpar.machine().to_dict())
    assert_quiet_boot(lpar)


# One knob at a time is the slow run's; the default run has them all at once (the round trip).
@pytest.mark.slow
@pytest.mark.parametrize("knob,value", VARIANTS, ids=[k for k, _ in VARIANTS])
def test_dr_boot_whatever_the_level_does(lpar_factory, knob, value):
    to_dr(at_production(lpar_factory, {knob: value}), {knob: value})


def test_round_trip_on_a_level_that_differs_in_everything(lpar_factory):
    """Every alternative at once, there and back again."""
    knobs = dict(VARIANTS)
    lpar = at_production(lpar_factory, knobs)
    prod = view.network(lpar.machine().to_dict())
    to_dr(lpar, knobs)
    lpar.host.save(scenarios.boot_back_at_prod(lpar.machine(), odm_reset=True))
    proc = plan_then_boot(lpar)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    m = lpar.machine().to_dict()
    back = view.network(m)
    for key in ("hostname", "en0", "aliases", "gateway", "routes", "nimclient"):
        assert back[key] == prod[key], key
    assert sorted(back["resolv"]) == sorted(prod["resolv"])
    assert_vgs(m)
    assert_quiet_boot(lpar)
