"""`ember-submit` runs unmodified PySpark job scripts (`import pyspark` resolves to Ember)."""

import os
import subprocess
import sys

import pytest

from conftest import EXAMPLES

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
SUBMIT = os.path.join(TARGET, "debug", "ember-submit")

pytestmark = pytest.mark.skipif(not os.path.exists(SUBMIT), reason="ember-submit is built by `cargo test`")


def submit(*args, cwd=None):
    env = dict(os.environ, EMBER_PYTHON=sys.executable)
    return subprocess.run([SUBMIT, *args], capture_output=True, text=True, timeout=300, cwd=cwd, env=env)


@pytest.mark.parametrize("master", ["local[4]", "local-cluster[2,1,512]"])
def test_unmodified_pyspark_job(master):
    job = os.path.join(HERE, "submit_jobs", "mean_age.py")
    result = submit("--master", master, job, os.path.join(EXAMPLES, "data", "people.csv"))
    assert result.returncode == 0, result.stderr
    with open(os.path.join(HERE, "submit_jobs", "mean_age.out")) as f:
        assert result.stdout == f.read()


def test_precedence_code_over_flags_over_defaults_file(tmp_path):
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "ember-defaults.conf").write_text(
        "# defaults\nspark.app.name fromfile\nspark.sql.shuffle.partitions=9\nember.from.file yes\n"
    )
    job = os.path.join(HERE, "submit_jobs", "settings.py")
    result = submit("--master", "local[2]", "--name", "fromflag", "--executor-memory", "2g",
                    "--conf", "spark.sql.shuffle.partitions=7", job, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "spark.master local[2]",
        "spark.app.name fromflag",
        "spark.sql.shuffle.partitions 5",
        "spark.executor.memory 2g",
        "ember.from.file yes",
    ]


def test_failing_job_exits_non_zero_with_traceback():
    result = submit(os.path.join(HERE, "submit_jobs", "fails.py"))
    assert result.returncode != 0
    assert "Traceback" in result.stderr
    assert "AnalysisException" in result.stderr and "no_such_column" in result.stderr


def test_script_exit_status_and_help():
    assert submit("--version").returncode == 0
    usage = submit("--help")
    assert usage.returncode == 0 and "--master" in usage.stdout
    assert submit().returncode != 0


def test_py_files_are_importable(tmp_path):
    helper = tmp_path / "helpers_mod.py"
    helper.write_text("def greet(name):\n    return 'hello ' + name\n")
    job = tmp_path / "job.py"
    job.write_text("import helpers_mod\nprint(helpers_mod.greet('ember'))\n")
    result = submit("--py-files", str(helper), str(job))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "hello ember\n"
    assert submit("--py-files", str(tmp_path / "missing.py"), str(job)).returncode != 0


def test_files_are_found_with_spark_files(tmp_path):
    data = tmp_path / "lookup.txt"
    data.write_text("from --files\n")
    job = tmp_path / "job.py"
    job.write_text(
        "import os\n"
        "from pyspark import SparkFiles\n"
        "from pyspark.sql import SparkSession\n"
        "spark = SparkSession.builder.getOrCreate()\n"
        "path = SparkFiles.get('lookup.txt')\n"
        "print(open(path).read().strip(), os.path.dirname(path) == SparkFiles.getRootDirectory())\n"
        "print(spark.sparkContext.listFiles)\n"
    )
    result = submit("--files", str(data), str(job))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "from --files True\n['file:%s']\n" % data


def test_commands_installed_with_the_package(tmp_path):
    """`pip install` gives `ember-submit` and `ember-sql`, as pyspark gives spark-submit/spark-sql."""
    bin_dir = os.path.dirname(sys.executable)
    env = {k: v for k, v in os.environ.items() if k not in ("EMBER_PYTHON", "PYSPARK_PYTHON")}
    job = os.path.join(HERE, "submit_jobs", "mean_age.py")
    result = subprocess.run(
        [os.path.join(bin_dir, "ember-submit"), "--master", "local[2]", job, os.path.join(EXAMPLES, "data", "people.csv")],
        capture_output=True, text=True, timeout=300, env=env,
    )
    assert result.returncode == 0, result.stderr
    with open(os.path.join(HERE, "submit_jobs", "mean_age.out")) as f:
        assert result.stdout == f.read()
    result = subprocess.run(
        [os.path.join(bin_dir, "ember-sql"), "-S", "-e", "SELECT 1 AS a, 'x' AS b; SELEC"],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert result.returncode == 1
    assert result.stdout == "1\tx\n"
    # spark-sql's timing line for the first statement, then the whole ParseException message.
    assert result.stderr.startswith("Time taken: ")
    assert "\n\n[PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'. SQLSTATE: 42601 (line 1, pos 0)\n\n== SQL ==\nSELEC\n^^^\n" in result.stderr
