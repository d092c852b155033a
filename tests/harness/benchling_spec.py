"""Benchling's published API v2 contract (tests/fixtures/benchling-openapi/benchling-openapi.yaml, OpenAPI
3.0.1), so the fake Benchling can hold the service, and itself, to it.

    operation(method, path)            the spec's operation for "/api/v2/..." (path templates matched)
    request_violation(method, path, body, content_type)
                                       None, or the schema error of a request body the real API would refuse
    response_violation(method, path, status, body)
                                       None, or the schema error of a reply that is not shaped as documented
    violation(schema_name, value, read=False)
                                       the same against one of components.schemas by name
    query_violation(method, path, pairs)
                                       None, or why the real API refuses these query parameters (unknown name,
                                       repeated, not an integer, outside minimum/maximum, not in the enum)

The document is parsed once per process (1.1 MB; the C loader when PyYAML has it) and validated with
openapi_schema_validator's OAS 3.0 validators (write rules for requests: readOnly properties are not
required; read rules for replies), `$ref`s and discriminators resolved inside the document.

Two reading fix-ups, applied to a private copy of components.schemas, where Benchling's generator writes
something whose literal JSON Schema reading contradicts both its intent and the API's behaviour:
- `additionalProperties: false` next to `allOf` (AppCanvasCreate, AppCanvasUpdate, ExportsAsyncTask's
  `response`, ...). Read literally that allows no property at all, since the `properties` sit in the allOf
  members; it means "no property beyond those the allOf members declare", so those names are added to the
  closed schema as unconstrained properties.
- `nullable: true` next to `allOf`/`oneOf`/`$ref` with no `type` (Entry.archiveRecord, ...). OAS 3.0.3 reads
  that as not nullable, yet Benchling sends null there (tests/fixtures/benchling-events/entry.json is a real
  reply); it means "this, or null", and is rewritten as anyOf [the schema, null].
Nothing else is relaxed: unknown properties, missing required ones, wrong types and unknown block types are
all errors.
"""
import copy
import os
import re
import threading

import yaml
from jsonschema.exceptions import best_match
from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator

SPEC_PATH = os.path.join(os.path.dirname(__file__), "..", "fixtures", "benchling-openapi", "benchling-openapi.yaml")
BASE_PATH = "/api/v2"

_lock = threading.Lock()
_document = None
_root = None  # {"components": {"schemas": fixed copy}}: the resource every validator resolves $refs in
_validators = {}  # (schema name, read) -> validator
_templates = None  # [(compiled regex, spec path)]


def document() -> dict:
    """The parsed spec (shared: do not modify)."""
    global _document, _root, _templates
    with _lock:
        if _document is None:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            with open(SPEC_PATH, encoding="utf-8") as f:
                doc = yaml.load(f, Loader=loader)
            _root = {"components": {"schemas": _read_as_meant(copy.deepcopy(doc["components"]["schemas"]))}}
            _templates = [(re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(p)) + "$"), p)
                          for p in doc["paths"]]
            _document = doc
        return _document


def _ref_name(ref):
    prefix = "#/components/schemas/"
    return ref[len(prefix):] if isinstance(ref, str) and ref.startswith(prefix) else None


def _declared(schema, schemas, seen=()):
    """Property names `schema` declares itself or through its allOf members ($refs followed)."""
    if not isinstance(schema, dict):
        return set()
    name = _ref_name(schema.get("$ref"))
    if name is not None:
        return set() if name in seen else _declared(schemas.get(name), schemas, (*seen, name))
    names = set(schema.get("properties") or {})
    for member in schema.get("allOf") or []:
        names |= _declared(member, schemas, seen)
    return names


def _read_as_meant(schemas):
    """The two fix-ups in the module docstring, in place; returns `schemas`."""
    def visit(node):
        if isinstance(node, list):
            for item in node:
                visit(item)
            return
        if not isinstance(node, dict):
            return
        if node.get("nullable") is True and "type" not in node and \
                any(k in node for k in ("allOf", "oneOf", "anyOf", "$ref")):
            inner = {k: node.pop(k) for k in ("allOf", "oneOf", "anyOf", "$ref", "discriminator") if k in node}
            node.pop("nullable")
            node["anyOf"] = [inner, {"enum": [None]}]
        members = node.get("allOf")
        if isinstance(members, list):
            names = _declared(node, schemas)
            closed = [node] if node.get("additionalProperties") is False else []
            closed += [m for m in members
                       if isinstance(m, dict) and "$ref" not in m and m.get("additionalProperties") is False]
            for schema in closed:
                props = schema.setdefault("properties", {})
                for n in names - set(props):
                    props[n] = {}
        for value in node.values():
            visit(value)

    visit(schemas)
    return schemas


def _validator(name, read):
    document()
    key = (name, read)
    with _lock:
        v = _validators.get(key)
        if v is None:
            if name not in _root["components"]["schemas"]:
                raise KeyError(f"no schema {name!r} in the Benchling OpenAPI document")
            cls = OAS30ReadValidator if read else OAS30WriteValidator
            v = _validators[key] = cls({**_root, "$ref": f"#/components/schemas/{name}"})
        return v


def _where(error):
    out = ""
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(body)"


def violation(schema_name, value, read=False):
    """None if `value` is valid against components.schemas[schema_name], else "<schema>: <where>: <error>"
    (the most relevant error, as jsonschema's best_match picks it)."""
    error = best_match(_validator(schema_name, read).iter_errors(value))
    if error is None:
        return None
    return f"{schema_name}: {_where(error)}: {error.message}"


def operation(method, path):
    """(spec path, operation object) for `method` on `path` ("/api/v2/app-canvases/cnvs_1"), or None."""
    document()
    if not path.startswith(BASE_PATH + "/"):
        return None
    rest = path[len(BASE_PATH):]
    exact = _document["paths"].get(rest)
    candidates = [rest] if exact is not None else [p for rx, p in _templates if rx.match(rest)]
    for p in candidates:
        op = _document["paths"][p].get(method.lower())
        if op is not None:
            return p, op
    return None


def _schema_name(content, media_type):
    media = (content or {}).get(media_type) or {}
    return _ref_name((media.get("schema") or {}).get("$ref"))


def request_schema(method, path, content_type="application/json"):
    """The components.schemas name of the operation's request body for `content_type`, or None."""
    found = operation(method, path)
    if found is None:
        return None
    return _schema_name((found[1].get("requestBody") or {}).get("content"), content_type.split(";")[0].strip())


def response_schema(method, path, status):
    """The components.schemas name of the operation's `status` reply (JSON), or None when the spec gives
    none, or not as one named schema (GET /tasks/{id}'s oneOf of 31 task kinds)."""
    found = operation(method, path)
    if found is None:
        return None
    reply = (found[1].get("responses") or {}).get(str(status)) or {}
    return _schema_name(reply.get("content"), "application/json")


def request_violation(method, path, body, content_type="application/json"):
    """None, or why the real API refuses `body` (parsed JSON, or the form fields as a dict) sent to `path`.
    An operation without a documented body schema is not checked here."""
    name = request_schema(method, path, content_type)
    return None if name is None else violation(name, body)


def response_violation(method, path, status, body, schema_name=None):
    """None, or why `body` is not the documented `status` reply of the operation (`schema_name` overrides
    the spec's when the operation documents a union, e.g. ExportsAsyncTask for an export's task)."""
    name = schema_name or response_schema(method, path, status)
    return None if name is None else violation(name, body, read=True)


def _resolved(node):
    """`node` with a local $ref ("#/components/parameters/x") followed."""
    ref = node.get("$ref") if isinstance(node, dict) else None
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return node
    out = document()
    for part in ref[2:].split("/"):
        out = out[part]
    return out


def query_violation(method, path, pairs):
    """None, or why the real API refuses the query `pairs` [(name, value)] of `method` on `path`: a name the
    operation does not document, a name given twice, or a value outside its schema (integer, minimum, maximum,
    enum). An operation the spec does not have is not checked here."""
    found = operation(method, path)
    if found is None:
        return None
    params = {}
    for p in found[1].get("parameters") or []:
        p = _resolved(p)
        if p.get("in") == "query":
            params[p["name"]] = p.get("schema") or {}
    seen = set()
    for name, value in pairs:
        if name not in params:
            return f"query: unknown parameter {name!r}"
        if name in seen:
            return f"query: parameter {name!r} given twice"
        seen.add(name)
        schema = params[name]
        if schema.get("type") == "integer":
            try:
                number = int(value)
            except ValueError:
                return f"query: {name}={value!r} is not an integer"
            if "maximum" in schema and number > schema["maximum"]:
                return f"query: {name}={number} is greater than the maximum of {schema['maximum']}"
            if "minimum" in schema and number < schema["minimum"]:
                return f"query: {name}={number} is less than the minimum of {schema['minimum']}"
        if "enum" in schema and value not in schema["enum"]:
            return f"query: {name}={value!r} is not one of {schema['enum']}"
    return None
