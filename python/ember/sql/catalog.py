"""``spark.catalog``, as ``pyspark.sql.catalog.Catalog`` (temporary views only)."""

from collections import namedtuple

from ember.errors import AnalysisException

Table = namedtuple("Table", "name catalog namespace description tableType isTemporary")
Database = namedtuple("Database", "name catalog description locationUri")
Column = namedtuple("Column", "name description dataType nullable isPartition isBucket")


def _split(name):
    clean = name.replace("`", "")
    if "." in clean:
        db, rest = clean.split(".", 1)
        if db.lower() == "global_temp":
            return True, rest
        if db.lower() == "default":
            return False, rest
    return False, clean


class Catalog:
    def __init__(self, session):
        self._session = session

    def currentDatabase(self):
        return "default"

    def currentCatalog(self):
        return "spark_catalog"

    def setCurrentDatabase(self, dbName):
        if dbName != "default":
            raise AnalysisException("[SCHEMA_NOT_FOUND] The schema `%s` cannot be found." % dbName)

    def listDatabases(self, pattern=None):
        return [Database("default", "spark_catalog", "default database", None)]

    def databaseExists(self, dbName):
        return dbName in ("default", "global_temp")

    def listTables(self, dbName=None, pattern=None):
        jss = self._session._jss
        tables = []
        if dbName is not None and dbName.lower() == "global_temp":
            for v in jss.list_views(True):
                tables.append(Table(v, None, ["global_temp"], None, "TEMPORARY", True))
        for v in jss.list_views(False):
            tables.append(Table(v, None, [], None, "TEMPORARY", True))
        if pattern:
            import fnmatch

            tables = [t for t in tables if fnmatch.fnmatch(t.name, pattern.replace("|", "*"))]
        return tables

    def tableExists(self, tableName, dbName=None):
        if dbName is not None:
            tableName = "%s.%s" % (dbName, tableName)
        is_global, name = _split(tableName)
        return self._session._jss.view_exists(name, is_global)

    def listColumns(self, tableName, dbName=None):
        df = self._session.table(tableName if dbName is None else "%s.%s" % (dbName, tableName))
        return [Column(f.name, None, f.dataType.simpleString(), f.nullable, False, False) for f in df.schema.fields]

    def dropTempView(self, viewName):
        return self._session._jss.drop_view(viewName, False)

    def dropGlobalTempView(self, viewName):
        return self._session._jss.drop_view(viewName, True)

    def cacheTable(self, tableName, storageLevel=None):
        self._session.sql("CACHE TABLE %s" % tableName)

    def uncacheTable(self, tableName):
        self._session.sql("UNCACHE TABLE IF EXISTS %s" % tableName)

    def isCached(self, tableName):
        return self._session._jss.is_view_cached(_split(tableName)[1])

    def clearCache(self):
        self._session._jss.clear_cache()

    def refreshTable(self, tableName):
        """Temporary views read their sources afresh on every query; nothing is stale."""

    def registerFunction(self, name, f, returnType=None):
        return self._session.udf.register(name, f, returnType)
