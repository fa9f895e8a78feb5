"""Ember's cluster processes, started from Python.

``python -m ember.cluster scheduler [--port 7077]`` runs a scheduler and prints its
``ember://host:port`` URL; ``python -m ember.cluster executor --scheduler ember://host:port
--cores 2 --memory 2g`` runs an executor. Started this way an executor can run Python UDFs;
``local-cluster[W,C,M]`` masters start their processes like this.
"""

import sys

from ember import _native

_USAGE = "usage: python -m ember.cluster {scheduler,executor} [options]  (--help for options)"


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ("scheduler", "executor"):
        print(_USAGE, file=sys.stderr)
        return 2
    role = argv[0]
    return _native.run_cluster_process(role, ["ember-" + role] + argv[1:])


def scheduler():
    """Console entry point ``ember-scheduler``."""
    sys.exit(main(["scheduler"] + sys.argv[1:]))


def executor():
    """Console entry point ``ember-executor``."""
    sys.exit(main(["executor"] + sys.argv[1:]))


if __name__ == "__main__":
    sys.exit(main())
