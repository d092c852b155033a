"""Rows moto's Athena returns to the next query: the linked-package searches in tests."""
import json
import urllib.request

from .moto import ACCOUNT, REGION

# The columns of the two generations' queries (canvas/linked_query.hpp).
VIEW_COLUMNS = ("pkg_name", "timestamp", "message", "user_meta")
ICEBERG_COLUMNS = ("pkg_name", "tag_name", "message", "metadata")


def queue_athena_rows(moto, package_names, columns=VIEW_COLUMNS):
    """moto returns one row per package name to the next Athena query (real Athena's first row is the header),
    with the column names of the query's generation."""
    data = [{"Data": [{"VarCharValue": c} for c in columns]}]
    for name in package_names:
        data.append({"Data": [{"VarCharValue": name}, {"VarCharValue": "latest"}, {"VarCharValue": "linked"},
                              {"VarCharValue": '{"experiment_id": "x"}'}]})
    payload = json.dumps({"account_id": ACCOUNT, "region": REGION, "results": [
        {"rows": data, "column_info": [{"Name": c, "Type": "varchar"} for c in columns]}]}).encode()
    req = urllib.request.Request(moto.url + "/moto-api/static/athena/query-results", data=payload, method="POST",
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=10).read()
