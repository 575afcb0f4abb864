"""Typed reads from a yamllines.Node tree that report instead of raising.

Reader is the base of schema.Checker: each method returns the value, or None after
recording a Problem naming the line and key path, so one pass finds every problem.
"""

import os
import stat

from . import formats
from .model import Problem
from .yamllines import join


def describe(node):
    """What a value is, for 'expected X, got Y'."""
    if node.kind == "map":
        return "a mapping"
    if node.kind == "seq":
        return "a list"
    value = node.value
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "%s, which YAML reads as a boolean" % node.raw
    if isinstance(value, (int, float)):
        return "the number %s" % node.raw
    if isinstance(value, str):
        return "the string %r" % value
    return "%s (read by YAML as a %s)" % (node.raw, type(value).__name__)


def quote_hint(node):
    if node.kind == "scalar" and node.value is not None and not isinstance(node.value, str):
        return '; quote it: "%s"' % node.raw
    return ""


class Reader:
    def __init__(self, path, check_files):
        self.path = path
        self.check_files = check_files
        self.problems = []

    def report(self, line, key, message):
        self.problems.append(Problem(self.path, line, key, message))

    def err(self, node, key, message):
        self.report(node.line, key or "(file)", message)

    # --- generic readers: a value or None (reported) ---------------------------------

    def _is(self, node, key, kind, what):
        if node.kind == "bad":
            return False
        if node.kind != kind:
            self.err(node, key, "expected %s, got %s" % (what, describe(node)))
            return False
        return True

    def mapping(self, node, key, known, required=()):
        if not self._is(node, key, "map", "a mapping"):
            return None
        for name, child in node.value.items():
            if name not in known:
                import difflib  # lazy: only for an error's suggestion

                near = difflib.get_close_matches(name, known, n=1)
                hint = ("did you mean %r?" % near[0]) if near else (
                    "expected one of: %s" % ", ".join(known))
                self.err(child, join(key, name), "unknown key; %s" % hint)
        for name in required:
            if name not in node.value:
                self.err(node, join(key, name), "missing (required)")
        return {k: v for k, v in node.value.items() if k in known}

    def items(self, node, key, empty_ok=False):
        if not self._is(node, key, "seq", "a list"):
            return None
        if not node.value and not empty_ok:
            self.err(node, key, "an empty list; give at least one item or leave the key out")
            return None
        return node.value

    def string(self, node, key):
        if node.kind == "bad":
            return None
        if node.kind != "scalar" or not isinstance(node.value, str):
            self.err(node, key, "expected a string, got %s%s"
                     % (describe(node), quote_hint(node)))
            return None
        if formats.has_control(node.value):
            self.err(node, key, "%r contains a control character" % node.value)
            return None
        if not node.value:
            self.err(node, key, "an empty string; give a value or leave the key out")
            return None
        return node.value

    def parsed(self, node, key, parser, *args):
        """A string run through a netaddr parser. A number YAML made of an address-like
        value (10.1 or 10) is judged by its text, for the clearer message."""
        if (node.kind == "scalar" and isinstance(node.value, (int, float))
                and not isinstance(node.value, bool)):
            text = node.raw
        else:
            text = self.string(node, key)
        if text is None:
            return None
        try:
            return parser(text, *args)
        except ValueError as exc:
            self.err(node, key, str(exc))
            return None

    def boolean(self, node, key):
        if node.kind == "scalar" and isinstance(node.value, bool):
            return node.value
        if node.kind != "bad":
            self.err(node, key, "expected true or false, got %s" % describe(node))
        return None

    def count(self, node, key, maximum=None):
        """A positive whole number written plainly (YAML 1.1 reads 010 as 8, 1:30 as 90)."""
        if node.kind == "bad":
            return None
        value = node.value
        if node.kind != "scalar" or not isinstance(value, int) or isinstance(value, bool):
            self.err(node, key, "expected a positive whole number, got %s" % describe(node))
        elif value <= 0:
            self.err(node, key, "must be a positive whole number, not %s" % node.raw)
        elif node.raw != str(value):
            self.err(node, key, "write the number plainly: YAML reads %r as %d"
                     % (node.raw, value))
        elif maximum is not None and value > maximum:
            self.err(node, key, "%d is more than the maximum %d" % (value, maximum))
        else:
            return value
        return None

    def unique(self, node, key, read, empty_ok=False):
        """A list read item by item; duplicates are reported. Returns a tuple or None."""
        nodes = self.items(node, key, empty_ok)
        if nodes is None:
            return None
        values, seen = [], {}
        for index, item in enumerate(nodes):
            item_key = join(key, index)
            value = read(item, item_key)
            if value is None:
                continue
            if value in seen:
                self.err(item, item_key, "%s is given twice (also at [%d])"
                         % (_show(value), seen[value]))
                continue
            seen[value] = index
            values.append(value)
        return tuple(values)

    def choice(self, node, key, choices, what=None):
        """One of choices; what: how to name the accepted values in messages."""
        what = what or " or ".join(choices)
        if node.kind == "scalar" and isinstance(node.value, bool):
            self.err(node, key, "expected %s, got %s" % (what, describe(node)))
            return None
        text = self.string(node, key)
        if text is not None and text not in choices:
            self.err(node, key, "%r is not %s" % (text, what))
            return None
        return text

    def abs_path(self, node, key):
        text = self.string(node, key)
        if text is None:
            return None
        if not text.startswith("/"):
            self.err(node, key, "%r is not an absolute path" % text)
        elif os.path.normpath(text) != text:
            self.err(node, key, "%r: write the path plainly, as %r"
                     % (text, os.path.normpath(text)))
        else:
            return text
        return None

    def executable(self, node, key, path):
        """With check_files: path is an existing executable regular file."""
        if not self.check_files:
            return
        try:
            st = os.stat(path)
        except OSError as exc:
            self.err(node, key, "%s: %s" % (path, exc.strerror))
            return
        if not stat.S_ISREG(st.st_mode):
            self.err(node, key, "%s is not a regular file" % path)
        elif not st.st_mode & 0o111:
            self.err(node, key, "%s is not executable; fix with: chmod u+x %s" % (path, path))


def _show(value):
    return str(value) if isinstance(value, (int, str)) else repr(value)
