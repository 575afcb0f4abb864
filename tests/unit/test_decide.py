"""The boot decision table of SPEC section 6, cases 2-6 (1 is the CLI's)."""

import os

from aixdr_agent import decision as s
from aixdr_agent.config import parse_config_text

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONFIG = parse_config_text(open(os.path.join(ROOT, "tests", "data", "agent.yaml")).read())


def ident(systemid="IBM,0284AB12C", number=5, name="aixprd01"):
    return s.Identity(systemid, number, name, "0", "0", 1.0)


def decide(identity, state, odm_reset=None):
    return s.decide(CONFIG, identity, state, s.match_site(CONFIG, identity), odm_reset)


def test_unknown_site():
    d = decide(ident("IBM,02FFFFFFF"), {"applied_site": "prod"})
    assert d.action == s.UNKNOWN_SITE and "IBM,02FFFFFFF" in d.reason


def test_adopt_without_state():
    assert decide(ident(), None).action == s.ADOPT


def test_site_change_and_failback():
    d = decide(ident("IBM,0211D11C1", 17, "aixprd01_dr"), {"applied_site": "prod"})
    assert (d.action, d.site, d.previous_site) == (s.SITE_CHANGE, "dr", "prod")
    d = decide(ident(), {"applied_site": "dr"})
    assert (d.action, d.site, d.previous_site) == (s.SITE_CHANGE, "prod", "dr")


def test_rehearsal_name_is_more_specific():
    d = decide(ident("IBM,0211D11C1", 18, "aixprd01_drtest"), {"applied_site": "prod"})
    assert d.site == "drtest"


def test_resume_unfinished_steps_at_the_same_site():
    state = {"applied_site": "prod",
             "target": {"site": "dr", "previous_site": "prod", "complete": False,
                        "done": ["devices", "mktcpip", "aliases", "routes", "dns", "bootlist",
                                 "nimclient", "rsct", "clouddev"]}}
    d = decide(ident("IBM,0211D11C1", 17, "aixprd01_dr"), state)
    assert d.action == s.RESUME and d.steps == ("importvg", "scripts")


def test_unfinished_run_towards_another_site_is_a_site_change():
    state = {"applied_site": "prod", "target": {"site": "dr", "complete": False, "done": []}}
    d = decide(ident(), state)
    assert (d.action, d.site, d.previous_site) == (s.SITE_CHANGE, "prod", "dr")


def test_lpm_inside_the_site_and_repeated_boot_do_nothing():
    state = {"applied_site": "prod", "identity": ident().record()}
    assert decide(ident("IBM,0284AB13D"), state).action == s.NOTHING
    assert decide(ident(), state).action == s.NOTHING


def test_odm_reset_at_the_same_site_applies_it_again():
    state = {"applied_site": "prod", "identity": ident().record()}
    assert decide(ident("IBM,0284AB13D"), state, odm_reset=True).action == s.SITE_CHANGE
