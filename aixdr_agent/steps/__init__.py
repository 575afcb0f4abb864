"""The ordered registry of steps (docs/CONTRACT.md, "Steps"). The order is the order they run in,
whatever order the configuration lists them in: devices before importvg, the primary
interface before its aliases and routes, hooks next to last, clouddev last."""

ORDER = ("devices", "importvg", "mktcpip", "aliases", "routes", "dns", "bootlist",
         "nimclient", "rsct", "scripts", "clouddev")

_IMPLEMENTED = {}


def _implemented():
    """The step objects, imported on first use: an idle boot (and everything that only
    needs ORDER or steps.base) does not pay for every step's parsers and regexes."""
    if not _IMPLEMENTED:
        from .aliases import Aliases
        from .bootlist import Bootlist
        from .clouddev import Clouddev
        from .devices import Devices
        from .dns import Dns
        from .importvg import Importvg
        from .mktcpip import Mktcpip
        from .nimclient import Nimclient
        from .routes import Routes
        from .rsct import Rsct
        from .scripts import Scripts

        _IMPLEMENTED.update((step.name, step) for step in (
            Devices(), Importvg(), Mktcpip(), Aliases(), Routes(), Dns(), Bootlist(),
            Nimclient(), Rsct(), Scripts(), Clouddev()))
    return _IMPLEMENTED


def registry():
    """Every step, in run order."""
    from .base import NotAvailable

    implemented = _implemented()
    return [implemented.get(name) or NotAvailable(name) for name in ORDER]


def selected(names):
    """The registry's steps named in `names`, in run order."""
    wanted = set(names)
    return [step for step in registry() if step.name in wanted]


def with_requirements(names, configured):
    """`names` plus the configured steps they require, in run order: resuming importvg
    runs devices again first (idempotent), so a disk that appeared since is configured
    and tuned before it is imported."""
    steps = {step.name: step for step in registry()}
    wanted = set(names)
    for name in ORDER[::-1]:
        if name in wanted:
            wanted.update(r for r in steps[name].requires if r in configured)
    return tuple(n for n in ORDER if n in wanted)
