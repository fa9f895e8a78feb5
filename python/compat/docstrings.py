"""Runs PySpark's own docstring examples against Ember and reports the pass rate.

    python python/compat/docstrings.py PYSPARK_DIR [--verbose] [--only NAME] [--floor FILE]

PYSPARK_DIR is an installed ``pyspark`` package directory (for example the one
``../shared/tools/pyspark-ref`` installs into ``~/.cache/ember-pyspark-ref``). Docstrings are read
from its sources without importing PySpark; ``import pyspark...`` inside the examples resolves to
``ember``. A docstring passes when every example in it prints what the docstring says (doctest,
with ELLIPSIS and NORMALIZE_WHITESPACE, as PySpark's own runner uses). Each docstring runs with a
fresh namespace holding ``spark`` and ``sc``, as PySpark's test runner gives them.

With ``--floor FILE`` (the test suite's run: ``scripts/test.sh``), the run fails when fewer
docstrings pass than FILE says, and says when more do, so that the floor is raised with the
change that raised it: it only goes up. It also fails when the whole run takes over 15 seconds.
"""

import argparse
import ast
import doctest
import importlib
import importlib.abc
import importlib.util
import io
import os
import signal
import sys
import time
import types

EMBER_MODULES = {
    "dataframe": "ember.sql.dataframe",
    "column": "ember.sql.column",
    "functions": "ember.sql.functions",
    "group": "ember.sql.group",
    "window": "ember.sql.window",
}

MODULES = {
    "dataframe": "sql/dataframe.py",
    "column": "sql/column.py",
    "functions": "sql/functions/builtin.py",
    "group": "sql/group.py",
    "window": "sql/window.py",
}


class PysparkToEmber(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """``pyspark.X.Y`` imports load ``ember.X.Y`` (or the closest existing ember module)."""

    def find_spec(self, name, path, target=None):
        if name == "pyspark" or name.startswith("pyspark."):
            return importlib.util.spec_from_loader(name, self)
        return None

    def create_module(self, spec):
        target = "ember" + spec.name[len("pyspark"):]
        target = {
            "ember.sql.functions.builtin": "ember.sql.functions",
            "ember.sql.dataframe": "ember.sql.dataframe",
            "ember.errors.exceptions.captured": "ember.errors",
            "ember.errors.exceptions": "ember.errors",
        }.get(target, target)
        try:
            return importlib.import_module(target)
        except ImportError:
            # No Ember counterpart: an empty module, so `from it import x` fails per name.
            # (Returning a parent module instead would let Python bind it as an attribute
            # of the parent itself, clobbering real submodules.)
            return types.ModuleType(spec.name)

    def exec_module(self, module):
        pass


def module_globals(path):
    """The names the real module imports at top level (PySpark's runner uses the module's
    namespace as doctest globals), resolved through the pyspark -> ember mapping."""
    with open(path) as f:
        tree = ast.parse(f.read())
    globs = {}
    for node in tree.body:
        stmts = [node]
        if isinstance(node, ast.If):  # `if TYPE_CHECKING:` blocks and the like
            stmts = [n for n in node.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        for stmt in stmts:
            if not isinstance(stmt, (ast.Import, ast.ImportFrom)):
                continue
            if isinstance(stmt, ast.ImportFrom):
                for alias in stmt.names:
                    single = ast.ImportFrom(module=stmt.module, names=[alias], level=stmt.level)
                    module = ast.fix_missing_locations(ast.Module(body=[single], type_ignores=[]))
                    try:
                        exec(compile(module, path, "exec"), globs)
                    except Exception:
                        pass
            else:
                try:
                    exec(compile(ast.Module(body=[stmt], type_ignores=[]), path, "exec"), globs)
                except Exception:
                    pass
    return globs


def docstrings(path):
    with open(path) as f:
        tree = ast.parse(f.read())
    found = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = prefix + child.name
                doc = ast.get_docstring(child, clean=False)
                if doc and ">>>" in doc:
                    found.append((name, doc, child.lineno))
                if isinstance(child, ast.ClassDef):
                    visit(child, name + ".")

    visit(tree, "")
    return found


class Timeout(Exception):
    pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pyspark_dir")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--only")
    ap.add_argument("--timeout", type=int, default=30)
    ap.add_argument("--floor")
    args = ap.parse_args()
    started = time.monotonic()

    sys.meta_path.insert(0, PysparkToEmber())
    from ember.sql import SparkSession

    spark = SparkSession.builder.master("local[2]").getOrCreate()
    parser = doctest.DocTestParser()
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    totals = {}

    def on_alarm(signum, frame):
        raise Timeout()

    signal.signal(signal.SIGALRM, on_alarm)
    for module, rel in MODULES.items():
        path = os.path.join(args.pyspark_dir, rel)
        base_globs = dict(vars(importlib.import_module(EMBER_MODULES[module])))
        base_globs.update(module_globals(path))
        passed = total = 0
        for name, doc, lineno in docstrings(path):
            if args.only and args.only not in name:
                continue
            total += 1
            globs = dict(base_globs)
            globs.update({"spark": spark, "sc": spark.sparkContext})
            test = parser.get_doctest(doc, globs, "%s.%s" % (module, name), path, lineno)
            out = io.StringIO()
            runner = doctest.DocTestRunner(optionflags=flags, verbose=False)
            signal.alarm(args.timeout)
            try:
                result = runner.run(test, out=out.write, clear_globs=True)
                ok = result.failed == 0
            except Timeout:
                ok = False
                out.write("timed out\n")
            except BaseException as e:  # a crash in one docstring must not end the run
                ok = False
                out.write("crashed: %r\n" % (e,))
            finally:
                signal.alarm(0)
            passed += ok
            if args.verbose and not ok:
                print("FAIL %s.%s\n%s" % (module, name, out.getvalue()[:3000]))
        totals[module] = (passed, total)
        print("%-10s %4d / %4d" % (module, passed, total), flush=True)
    p = sum(v[0] for v in totals.values())
    t = sum(v[1] for v in totals.values())
    print("total      %4d / %4d  (%.1f%%)" % (p, t, 100.0 * p / max(t, 1)))
    elapsed = time.monotonic() - started
    print("in %.1f s" % elapsed)
    if args.floor:
        with open(args.floor) as f:
            floor = int(f.read().split()[0])
        if p < floor:
            sys.exit("docstrings: %d pass, fewer than the floor of %d (%s)" % (p, floor, args.floor))
        if p > floor:
            print("docstrings: %d pass, above the floor of %d: raise %s to %d" % (p, floor, args.floor, p))
        if elapsed > 15:
            sys.exit("docstrings: the run took %.1f s, over 15 s" % elapsed)


if __name__ == "__main__":
    main()
