"""Every import statement of the package resolves, the ones inside functions included: a
lazy import that names a wrong module or name fails only when its path runs, which for
some (a boot that fails, an error's suggestion) is rarely. Each lazy import also says on
its line why it is lazy."""

import ast
import importlib
import os

import aixdr_agent

PACKAGE = os.path.dirname(aixdr_agent.__file__)


def _modules():
    for folder, _dirs, files in os.walk(PACKAGE):
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                parts = os.path.relpath(path[:-3], os.path.dirname(PACKAGE)).split(os.sep)
                yield path, parts[:-1] if parts[-1] == "__init__" else parts[:-1], parts


def _imports(tree):
    """(node, inside a function) for every import statement."""
    def walk(node, inside):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                yield child, inside
            yield from walk(child, inside or isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef)))
    yield from walk(tree, False)


def test_every_import_resolves_and_every_lazy_one_says_why():
    problems = []
    for path, package, _parts in _modules():
        text = open(path).read()
        lines = text.splitlines()
        for node, inside in _imports(ast.parse(text)):
            where = "%s:%d" % (os.path.relpath(path, PACKAGE), node.lineno)
            if inside and "# lazy:" not in lines[node.lineno - 1]:
                problems.append("%s: a lazy import without `# lazy: why`" % where)
            if isinstance(node, ast.Import):
                names = [(a.name, None) for a in node.names if a.name.startswith("aixdr_agent")]
            else:
                if node.level:
                    if node.level - 1 >= len(package):
                        problems.append("%s: reaches beyond the package" % where)
                        continue
                    base = package[:len(package) - (node.level - 1)]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                if not module.startswith("aixdr_agent"):
                    continue
                names = [(module, a.name) for a in node.names]
            for module, name in names:
                try:
                    imported = importlib.import_module(module)
                except ImportError as exc:
                    problems.append("%s: %s: %s" % (where, module, exc))
                    continue
                if name is not None and name != "*" and not hasattr(imported, name):
                    try:
                        importlib.import_module(module + "." + name)
                    except ImportError:
                        problems.append("%s: %s has no %s" % (where, module, name))
    assert not problems, "\n".join(problems)
