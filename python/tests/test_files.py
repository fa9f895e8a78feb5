"""`SparkContext.addFile` and `SparkFiles`: files found by name, wherever they were added from."""

import os

import pytest

from ember import SparkFiles
from ember.errors import SparkRuntimeException


def test_added_files_are_found_by_name(spark, tmp_path):
    (tmp_path / "notes.txt").write_text("kept\n")
    spark.sparkContext.addFile(str(tmp_path / "notes.txt"))
    path = SparkFiles.get("notes.txt")
    assert open(path).read() == "kept\n"
    assert os.path.dirname(path) == SparkFiles.getRootDirectory()
    assert "file:%s" % (tmp_path / "notes.txt") in spark.sparkContext.listFiles
    # A UDF (run by local tasks) finds it too.
    from ember.sql.functions import udf

    read = udf(lambda _: open(SparkFiles.get("notes.txt")).read().strip())
    assert spark.range(1).select(read("id").alias("v")).collect()[0].v == "kept"


def test_missing_files_and_directories_are_refused(spark, tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        spark.sparkContext.addFile(str(tmp_path / "missing.txt"))
    with pytest.raises(SparkRuntimeException, match="UNSUPPORTED_ADD_FILE.DIRECTORY"):
        spark.sparkContext.addFile(str(tmp_path))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("a")
    spark.sparkContext.addFile(str(tmp_path / "sub"), recursive=True)
    assert open(os.path.join(SparkFiles.get("sub"), "a.txt")).read() == "a"
