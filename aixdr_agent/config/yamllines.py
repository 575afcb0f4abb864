"""YAML text -> a tree of Node that remembers where every value was written.

yaml.safe_load loses line numbers, silently keeps the last of duplicate keys and expands
aliases (the "billion laughs" bomb). Here the document is composed with PyYAML's
SafeLoader (libyaml's events where PyYAML has it; the same resolver, so the same YAML 1.1
types as safe_load), anchors and aliases
are refused before any expansion, duplicate keys are reported, and scalars are constructed
one by one so that a bad one costs a problem, not the whole file.

Imported lazily by load.py: importing yaml costs time the `status` path does not have.
"""

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

MAX_DEPTH = 32  # the schema nests 6 deep; this stops "[[[[..." from exhausting the stack
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"


class Node:
    """A value and where it was written.

    kind is "map" (value: dict of str -> Node, in file order), "seq" (value: list of Node)
    or "scalar" (value: what safe_load would give; raw: the text as written), or "bad"
    (unreadable, already reported: validators skip it silently). line is the
    1-based line of the key that introduced the value, or of the value itself for list
    items and the document."""

    __slots__ = ("kind", "value", "line", "raw")

    def __init__(self, kind, value, line, raw=None):
        self.kind, self.value, self.line, self.raw = kind, value, line, raw

    def __repr__(self):
        return "Node(%s, %r, line %d)" % (self.kind, self.value, self.line)


class Refused(yaml.MarkedYAMLError):
    """Valid YAML that this loader will not read (anchors, aliases, deep nesting)."""


class _Checks:
    """Composition with anchors, aliases and deep nesting refused (mixed into a loader)."""

    _depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise Refused(problem="aliases (*%s) are not allowed: write the value out"
                          % event.anchor, problem_mark=event.start_mark)
        if isinstance(event, (ScalarEvent, CollectionStartEvent)) and event.anchor:
            raise Refused(problem="anchors (&%s) are not allowed: write the value out"
                          % event.anchor, problem_mark=event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise Refused(problem="nested more than %d levels deep" % MAX_DEPTH,
                              problem_mark=event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Loader(_Checks, yaml.SafeLoader):
    """PyYAML's pure-Python loader: every message the tests pin comes from it."""


try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml
    _FastLoader = None
else:
    class _FastLoader(_Checks, yaml.composer.Composer, CParser, yaml.constructor.SafeConstructor,
                      yaml.resolver.Resolver):
        """libyaml's events composed by PyYAML's Python composer (so the checks above
        still see every event): a 45-line configuration in 0.6 ms instead of 5 ms, and a
        fleet file with a hosts: section for 120 LPARs in a tenth of the time."""

        def __init__(self, stream):
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)


def _compose(text):
    """(loader, root node or None), through libyaml when it is there. Anything libyaml
    objects to is read again by the pure-Python loader, so that errors (their lines and
    wording) are always PyYAML's own. The caller disposes of the loader."""
    if _FastLoader is not None:
        loader = _FastLoader(text)
        try:
            return loader, loader.get_single_node()
        except yaml.YAMLError:
            loader.dispose()
    loader = _Loader(text)
    try:
        return loader, loader.get_single_node()
    except yaml.YAMLError:
        loader.dispose()
        raise


def join(path, key):
    """Key path syntax of the messages: a.b[0].c; keys that are not plain go in quotes."""
    if isinstance(key, int):
        return "%s[%d]" % (path, key)
    plain = key and all(c.isalnum() or c in "_-" for c in key)
    if plain:
        return "%s.%s" % (path, key) if path else key
    return '%s["%s"]' % (path, key)


def describe_error(exc):
    """(line or None, message) of a yaml error."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None)
    if problem is None:
        return None, "YAML error: %s" % exc
    context = getattr(exc, "context", None)
    text = problem + (" (%s)" % context if context else "")
    if isinstance(exc, Refused):
        return mark.line + 1, text
    return (mark.line + 1 if mark else None), "YAML syntax error: %s" % text


def load(text, report):
    """Compose text into a Node tree; report(line, key_path, message) for each problem.
    Returns None when the text is not YAML at all (the problem is reported)."""
    loader = None
    try:
        loader, root = _compose(text)
        if root is None:
            return None
        return _convert(loader, root, root.start_mark.line + 1, "", report)
    except yaml.reader.ReaderError as exc:
        # the reader refuses control characters up front, before any mark exists
        line = text.count("\n", 0, exc.position) + 1
        report(line, "(file)", "character #x%04x is not allowed in YAML text (a control "
               "character: remove it)" % exc.character)
        return None
    except yaml.YAMLError as exc:
        line, message = describe_error(exc)
        report(line, "(file)", message)
        return None
    finally:
        if loader is not None:
            loader.dispose()


def _convert(loader, node, line, path, report):
    if isinstance(node, ScalarNode):
        try:
            value = loader.construct_object(node)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            problem = getattr(exc, "problem", None) or str(exc)
            if "could not determine a constructor" in problem:
                problem = "tag %s is not allowed" % tag  # !!python/object and friends
            else:
                problem = "cannot read %r as %s: %s" % (node.value, tag, problem)
            report(line, path or "(file)", problem)
            return Node("bad", None, line, node.value)
        return Node("scalar", value, line, node.value)
    if isinstance(node, SequenceNode):
        if node.tag != _SEQ_TAG:
            report(line, path or "(file)", "tag %s is not allowed here" % node.tag)
            return Node("bad", None, line)
        items = []
        for index, child in enumerate(node.value):
            items.append(_convert(loader, child, child.start_mark.line + 1,
                                  join(path, index), report))
        return Node("seq", items, line)
    if isinstance(node, MappingNode):
        if node.tag != _MAP_TAG:
            report(line, path or "(file)", "tag %s is not allowed here" % node.tag)
            return Node("bad", None, line)
        return Node("map", _mapping(loader, node, path, report), line)
    raise AssertionError("unknown node %r" % node)  # composer makes only these three


def _mapping(loader, node, path, report):
    entries, first_line = {}, {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        if not isinstance(key_node, ScalarNode):
            report(key_line, path or "(file)", "a key must be a plain name, not a list or "
                   "mapping")
            continue
        if key_node.tag == _MERGE_TAG:
            report(key_line, join(path, "<<"), "merge keys (<<) are not supported")
            continue
        key = key_node.value
        if key_node.tag != "tag:yaml.org,2002:str":
            # unquoted 1, yes, null, 2024-01-01 ... are not strings to YAML. Reported, then
            # kept under the text as written so the rest is still checked (and counted).
            report(key_line, join(path, key), "YAML does not read this key as a name; "
                   "quote it: \"%s\"" % key)
        if key in first_line:
            report(key_line, join(path, key), "duplicate key (first given at line %d)"
                   % first_line[key])
            continue
        first_line[key] = key_line
        entries[key] = _convert(loader, value_node, key_line, join(path, key), report)
    return entries
