"""Console entry points ``ember-sql`` and ``ember-submit``, installed with the package.

They run the same programs as the binaries of the same names. ``ember-submit`` runs job
scripts with this interpreter (the one Ember is installed in) unless ``EMBER_PYTHON`` or
``PYSPARK_PYTHON`` names another.
"""

import os
import signal
import sys

from ember import _native


def sql():
    """``ember-sql``: the SQL shell (``-e``/``-f`` or interactive)."""
    # The shell handles Ctrl-C itself (it cancels the running statement); Python's handler
    # would only raise KeyboardInterrupt once the shell has ended.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(_native.run_command("ember-sql", ["ember-sql"] + sys.argv[1:]))


def submit():
    """``ember-submit``: runs a PySpark job script on Ember."""
    if "EMBER_PYTHON" not in os.environ and "PYSPARK_PYTHON" not in os.environ:
        os.environ["EMBER_PYTHON"] = sys.executable
    # Ctrl-C ends the job (its process gets the signal from the terminal) and this launcher.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.exit(_native.run_command("ember-submit", ["ember-submit"] + sys.argv[1:]))
