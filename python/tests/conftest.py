import os

import pytest

from ember.sql import SparkSession

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "examples")


@pytest.fixture(scope="session")
def spark():
    session = SparkSession.builder.master("local[2]").appName("ember-tests").getOrCreate()
    yield session
    session.stop()


@pytest.fixture
def people(spark):
    return spark.createDataFrame(
        [(1, "Alice", 34, 5000.0), (2, "Bob", 45, None), (3, "Carol", 29, 4100.5), (4, None, 51, 7000.0)],
        ["id", "name", "age", "salary"],
    )


def shown(capsys, df, *args, **kwargs):
    """What ``df.show(...)`` printed."""
    capsys.readouterr()
    df.show(*args, **kwargs)
    return capsys.readouterr().out
