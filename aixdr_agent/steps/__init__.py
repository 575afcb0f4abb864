"""The ordered registry of steps (SPEC section 7). The order is the order they run in,
whatever order the configuration lists them in: devices before importvg, the primary
interface before its aliases and routes, hooks next to last, clouddev last."""

from .base import NotAvailable
from .clouddev import Clouddev
from .mktcpip import Mktcpip

ORDER = ("devices", "importvg", "mktcpip", "aliases", "routes", "dns", "bootlist",
         "nimclient", "rsct", "scripts", "clouddev")

_IMPLEMENTED = {step.name: step for step in (Mktcpip(), Clouddev())}


def registry():
    """Every step, in run order."""
    return [_IMPLEMENTED.get(name) or NotAvailable(name) for name in ORDER]


def selected(names):
    """The registry's steps named in `names`, in run order."""
    wanted = set(names)
    return [step for step in registry() if step.name in wanted]
