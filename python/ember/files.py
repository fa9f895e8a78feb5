"""``SparkFiles``: files shipped with a job (``--files``, ``spark.files``, ``SparkContext.addFile``).

Spark copies each file into a per-application directory and programs find it there by name with
``SparkFiles.get(name)``, whatever path it was given from. Ember does the same on the driver,
where local-mode tasks (and their Python UDFs) also run.
"""

import atexit
import os
import shutil
import tempfile
import threading

_lock = threading.Lock()
_root = None
_added = {}


def _root_directory():
    global _root
    with _lock:
        if _root is None:
            _root = tempfile.mkdtemp(prefix="ember-userFiles-")
            atexit.register(shutil.rmtree, _root, True)
        return _root


def add_file(path, recursive=False):
    """Copies ``path`` (a file, or with ``recursive`` a directory) into the root directory."""
    from ember.errors import IllegalArgumentException, SparkRuntimeException

    local = path[len("file://"):] if path.startswith("file://") else path
    local = os.path.abspath(local[len("file:"):] if local.startswith("file:") else local)
    if not os.path.exists(local):
        raise FileNotFoundError("java.io.FileNotFoundException: File file:%s does not exist" % local)
    if os.path.isdir(local) and not recursive:
        raise SparkRuntimeException(
            "[UNSUPPORTED_ADD_FILE.DIRECTORY] Don't support add file. The file file:%s/ is a directory, "
            'consider to set "spark.sql.legacy.addSingleFileInAddFile" to "false".' % local
        )
    name = os.path.basename(local.rstrip(os.sep))
    with _lock:
        earlier = _added.get(name)
        if earlier is not None and earlier != local:
            raise IllegalArgumentException(
                "requirement failed: File %s was already registered with a different path "
                "(old path = %s, new path = %s" % (name, earlier, local)
            )
        _added[name] = local
    target = os.path.join(_root_directory(), name)
    if os.path.isdir(local):
        shutil.copytree(local, target, dirs_exist_ok=True)
    else:
        shutil.copyfile(local, target)


def listed_files():
    with _lock:
        return ["file:" + p for p in _added.values()]


class SparkFiles:
    """Resolves paths to files added through ``SparkContext.addFile`` or ``--files``."""

    def __init__(self):
        raise NotImplementedError("Do not construct SparkFiles objects")

    @classmethod
    def get(cls, filename):
        """The absolute path of a file added with ``SparkContext.addFile``."""
        return os.path.join(cls.getRootDirectory(), filename)

    @classmethod
    def getRootDirectory(cls):
        """The directory that holds files added with ``SparkContext.addFile``."""
        return _root_directory()
