"""The ordered registry of steps (docs/CONTRACT.md, "Steps"), derived from this folder: every
`NN_name.py` here is one step, holding one Step subclass whose `name` is the file's name part.
The number is the order they run in, whatever order the configuration lists them in: devices
before importvg, the primary interface before its aliases and routes, hooks next to last,
clouddev last. A new step is one new file; nothing else lists step names.

Listing the folder is all an import of this package costs: a step's module is imported on first
use, so an idle boot (and everything that only needs ORDER or steps.base) does not pay for every
step's parsers and regexes."""

import os
import re

_STEP_FILE = re.compile(r"^(\d+)_([a-z][a-z0-9_]*)\.py$")


def _listing(folder):
    """(number, name, module) of every step file in `folder`, in run order. Two files with
    one name part would make the name mean two steps: refused."""
    found = []
    for entry in os.listdir(folder):
        match = _STEP_FILE.match(entry)
        if match:
            found.append((int(match.group(1)), match.group(2), entry[:-3]))
    found.sort()
    names = [name for _, name, _ in found]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise RegistryError("step %s defined by more than one file in %s"
                            % (", ".join(twice), folder))
    return found


class RegistryError(Exception):
    """A step file that does not hold what the registry needs: a packaging mistake."""


_FILES = _listing(os.path.dirname(os.path.abspath(__file__)))
ORDER = tuple(name for _, name, _ in _FILES)
_MODULE = {name: module for _, name, module in _FILES}
_IMPLEMENTED = {}


def step(name):
    """The step object named `name` (its module imported on first use)."""
    found = _IMPLEMENTED.get(name)
    if found is None:
        found = _IMPLEMENTED[name] = _load(name)
    return found


def _load(name):
    import importlib  # lazy: listing the steps (ORDER) is all an idle boot needs

    from .base import Step  # lazy: as above

    module = importlib.import_module("%s.%s" % (__name__, _MODULE[name]))
    classes = [c for c in vars(module).values()
               if isinstance(c, type) and issubclass(c, Step) and c.__module__ == module.__name__]
    if len(classes) != 1:
        raise RegistryError("%s.py holds %d Step classes, not one"
                            % (_MODULE[name], len(classes)))
    obj = classes[0]()
    if obj.name != name:
        raise RegistryError("%s.py: its step is named %r; the file's name part says %r"
                            % (_MODULE[name], obj.name, name))
    return obj


def registry():
    """Every step, in run order."""
    return [step(name) for name in ORDER]


def selected(names):
    """The registry's steps named in `names`, in run order."""
    wanted = set(names)
    return [step(name) for name in ORDER if name in wanted]


def with_requirements(names, configured):
    """`names` plus the configured steps they require, in run order: resuming importvg
    runs devices again first (idempotent), so a disk that appeared since is configured
    and tuned before it is imported."""
    wanted = set(names)
    for name in ORDER[::-1]:
        if name in wanted:
            wanted.update(r for r in step(name).requires if r in configured)
    return tuple(n for n in ORDER if n in wanted)
