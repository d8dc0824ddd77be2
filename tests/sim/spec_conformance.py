#!/usr/bin/python3
"""Validates ml-connector-sim's Zoho answers against Zoho's own OpenAPI files (crm-oas v8.0).

usage: spec_conformance.py <path of ml-connector-sim> <spec dir, e.g. ../shared/specs/zoho>

It starts the simulator with --port 0 --demo, reads its startup line, gets an access token with the
refresh-token grant, then checks three operations against the response schemas of the spec:

  GET  /crm/v8/Contacts        (record.json, get /crm/v8/{module_api_name}, 200)
  GET  /crm/v8/Contacts/{id}   (record.json, get /crm/v8/{module_api_name}/{id}, 200)
  POST /crm/v8/actions/watch   (notifications.json, post /crm/v8/actions/watch, 201)

Deliberately broken copies of the answers must FAIL validation (self-checks), so the test cannot pass
vacuously. Only the standard library and python3-jsonschema (Debian 12: 4.10) are used.

How the OpenAPI 3.0 files are turned into JSON Schema (draft 4, which OpenAPI 3.0 schemas follow):
* every external $ref `https://raw.githubusercontent.com/Zohocorp-Pvt-Ltd/crm-oas/refs/heads/main/v8.0/<f>.json#/p`
  is rewritten to the local file's URI; all files of the spec dir are preloaded into the resolver's store and
  any attempt to fetch a URI that is not in the store fails the run (no network);
* `nullable: true` becomes "or null" (type list, enum gets null, a $ref gets anyOf [$ref, null]);
* OpenAPI-only keywords (nullable, discriminator, readOnly, writeOnly, xml, externalDocs, example, deprecated,
  x-*) are dropped; `format: date-time` is checked (RFC 3339), `int32`/`int64` ranges too.
* oneOf in these response schemas: the branches do not exclude each other (API_Exception and File_Body_Wrapper
  require nothing), so a strict oneOf rejects every real answer and a broken answer still matches the error
  branch. A success answer is therefore validated against the success branch named below (Response_Wrapper),
  which is what the spec means by it.
* errata (documented by Zoho's own examples, so the spec's type is too narrow): Info.next_page_token and
  Info.previous_page_token may be null (crm-oas getRecords example: "previous_page_token":null; a live v8
  answer with "next_page_token":null, see zoho-crm-api.md section 2.1).
"""

import copy
import json
import os
import re
import selectors
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from jsonschema import Draft4Validator, FormatChecker, RefResolver

REMOTE_PREFIX = "https://raw.githubusercontent.com/Zohocorp-Pvt-Ltd/crm-oas/refs/heads/main/v8.0/"
ZOHO_CLIENT_ID = "sim-zoho-client-id"
ZOHO_CLIENT_SECRET = "sim-zoho-client-secret"
ZOHO_REFRESH_TOKEN = "1000.sim-refresh-token"
STARTUP_PREFIX = "ml-connector-sim listening on "
OPENAPI_ONLY = {"nullable", "discriminator", "readOnly", "writeOnly", "xml", "externalDocs", "example",
                "examples", "deprecated"}

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


# ---------------------------------------------------------------------------------------------------------------
# Spec loading


def local_uri(spec_dir, filename):
    return "file://" + os.path.join(os.path.abspath(spec_dir), filename)


def to_json_schema(node, spec_dir):
    """OpenAPI 3.0 schema objects -> JSON Schema draft 4, recursively (whole documents are converted, which is
    harmless for the non-schema parts: they are never used as schemas)."""
    if isinstance(node, list):
        return [to_json_schema(n, spec_dir) for n in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in OPENAPI_ONLY or key.startswith("x-"):
            continue
        if key == "$ref" and isinstance(value, str):
            if value.startswith(REMOTE_PREFIX):
                rest = value[len(REMOTE_PREFIX):]
                filename, _, pointer = rest.partition("#")
                value = local_uri(spec_dir, filename) + "#" + pointer
            out[key] = value
            continue
        # "properties" maps names to schemas: a property may be called like a keyword, so keep every name.
        if key == "properties" and isinstance(value, dict):
            out[key] = {name: to_json_schema(sub, spec_dir) for name, sub in value.items()}
            continue
        out[key] = to_json_schema(value, spec_dir)
    if node.get("nullable") is True:
        if "$ref" in out:
            ref = out.pop("$ref")
            out = {"anyOf": [{"$ref": ref}, {"type": "null"}]}
        else:
            if "type" in out:
                types = out["type"] if isinstance(out["type"], list) else [out["type"]]
                if "null" not in types:
                    out["type"] = types + ["null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = out["enum"] + [None]
    return out


def load_specs(spec_dir):
    """Every *.json of the dir, errata applied, converted; keyed by local URI."""
    raw = {}
    for name in sorted(os.listdir(spec_dir)):
        if name.endswith(".json"):
            with open(os.path.join(spec_dir, name), encoding="utf-8") as f:
                raw[name] = json.load(f)
    for needed in ("record.json", "notifications.json", "users.json", "tags.json"):
        if needed not in raw:
            raise SystemExit("spec-conformance: %s missing in %s" % (needed, spec_dir))
    info = raw["record.json"]["components"]["schemas"]["Info"]["properties"]
    for key in ("next_page_token", "previous_page_token"):
        info[key]["nullable"] = True  # erratum, see the module docstring
    store = {}
    for name, doc in raw.items():
        converted = to_json_schema(doc, spec_dir)
        # No stray remote refs may survive the rewrite.
        text = json.dumps(converted)
        if "raw.githubusercontent.com" in text:
            raise SystemExit("spec-conformance: an external $ref in %s was not rewritten" % name)
        store[local_uri(spec_dir, name)] = converted
    return raw, store


def no_fetch(uri):
    raise RuntimeError("spec-conformance: refused to fetch %s (not among the local spec files)" % uri)


def make_format_checker():
    checker = FormatChecker(formats=())

    @checker.checks("date-time")
    def is_datetime(value):
        return not isinstance(value, str) or bool(RFC3339.match(value))

    @checker.checks("int32")
    def is_int32(value):
        return not isinstance(value, int) or -(2 ** 31) <= value < 2 ** 31

    @checker.checks("int64")
    def is_int64(value):
        return not isinstance(value, int) or -(2 ** 63) <= value < 2 ** 63

    return checker


class SpecValidator:
    def __init__(self, spec_dir):
        self.spec_dir = spec_dir
        self.raw, self.store = load_specs(spec_dir)
        self.checker = make_format_checker()

    def response_schema_uri(self, filename, path, method, status, branch):
        """URI of the schema of one documented response; `branch` picks the named oneOf member, if any."""
        doc = self.raw[filename]
        responses = doc["paths"][path][method]["responses"]
        response = responses[str(status)]
        pointer_base = "#/paths/%s/%s/responses/%s" % (path.replace("~", "~0").replace("/", "~1"), method, status)
        if "$ref" in response:
            pointer_base = response["$ref"]
            response = resolve_local(doc, pointer_base)
        schema = response["content"]["application/json"]["schema"]
        pointer = pointer_base + "/content/application~1json/schema"
        if "oneOf" in schema:
            names = [m.get("$ref", "") for m in schema["oneOf"]]
            picked = [i for i, ref in enumerate(names) if ref.endswith("/" + branch)]
            if len(picked) != 1:
                raise SystemExit("spec-conformance: %s %s %s has no oneOf branch %s (has %s)"
                                 % (method.upper(), path, status, branch, names))
            pointer += "/oneOf/%d" % picked[0]
        return local_uri(self.spec_dir, filename) + pointer

    def errors(self, instance, schema_uri):
        base = schema_uri.split("#")[0]
        resolver = RefResolver(base_uri=base, referrer=self.store[base], store=self.store,
                               handlers={"http": no_fetch, "https": no_fetch, "file": no_fetch})
        validator = Draft4Validator({"$ref": schema_uri}, resolver=resolver, format_checker=self.checker)
        return sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))


def resolve_local(doc, pointer):
    node = doc
    for part in pointer.lstrip("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


# ---------------------------------------------------------------------------------------------------------------
# Simulator


class Simulator:
    def __init__(self, executable):
        self.proc = subprocess.Popen([executable, "--port", "0", "--demo"], stdout=subprocess.PIPE,
                                     stdin=subprocess.DEVNULL)
        self.base = self._read_startup_line(timeout_s=30)
        threading.Thread(target=self._drain, daemon=True).start()

    def _read_startup_line(self, timeout_s):
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        buf = b""
        deadline = time.monotonic() + timeout_s
        while b"\n" not in buf:
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                raise RuntimeError("the simulator printed no startup line within %d s" % timeout_s)
            chunk = os.read(self.proc.stdout.fileno(), 4096)
            if not chunk:
                raise RuntimeError("the simulator exited (code %s) before listening" % self.proc.wait())
            buf += chunk
        line = buf.split(b"\n", 1)[0].decode("utf-8").strip()
        if not line.startswith(STARTUP_PREFIX):
            raise RuntimeError("unexpected startup line: %r" % line)
        return line[len(STARTUP_PREFIX):].rstrip("/")

    def _drain(self):
        try:
            while self.proc.stdout.read(4096):
                pass
        except (OSError, ValueError):
            pass

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)

    def request(self, method, path, body=None, headers=None, form=None):
        data = None
        hdrs = dict(headers or {})
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()


# ---------------------------------------------------------------------------------------------------------------
# Checks


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def ok(self, name):
        self.passed += 1
        print("PASS %s" % name)

    def fail(self, name, why):
        self.failed += 1
        print("FAIL %s" % name)
        for line in why:
            print("     %s" % line)


def leaf_errors(errors):
    """A oneOf/anyOf failure says little by itself: report the failures of its branches instead."""
    out = []
    for e in errors:
        if e.context:
            out.extend(leaf_errors(e.context))
        else:
            out.append(e)
    return out


def describe(errors, limit=8):
    lines = []
    errors = leaf_errors(errors)
    for e in errors[:limit]:
        where = "/".join(str(p) for p in e.absolute_path) or "(root)"
        lines.append("%s: %s" % (where, e.message[:300]))
    if len(errors) > limit:
        lines.append("... %d more" % (len(errors) - limit))
    return lines


def parse_json(status, body, expected_status):
    problems = []
    if status != expected_status:
        problems.append("HTTP %d, expected %d; body: %s" % (status, expected_status, body[:300]))
    try:
        return json.loads(body.decode("utf-8")), problems
    except (ValueError, UnicodeDecodeError) as e:
        problems.append("body is not JSON (%s): %r" % (e, body[:300]))
        return None, problems


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    executable, spec_dir = sys.argv[1], sys.argv[2]
    validator = SpecValidator(spec_dir)
    list_schema = validator.response_schema_uri("record.json", "/crm/v8/{module_api_name}", "get", 200,
                                                "Response_Wrapper")
    record_schema = validator.response_schema_uri("record.json", "/crm/v8/{module_api_name}/{id}", "get", 200,
                                                  "Response_Wrapper")
    watch_schema = validator.response_schema_uri("notifications.json", "/crm/v8/actions/watch", "post", 201,
                                                 "SuccessWrapper")
    report = Report()

    # The validator must accept a hand-written answer of the documented shape (zoho-crm-api.md 2.1, 3.1),
    # or every failure below would say nothing about the simulator.
    good_list = {"data": [{"id": "4150868000000224005", "Last_Name": "Burns",
                           "Owner": {"name": "Pat", "id": "4150868000000225013", "email": "p@example.com"},
                           "Created_By": {"name": "Pat", "id": "4150868000000225013"},
                           "Created_Time": "2023-03-26T00:01:56+01:00", "Modified_Time": "2023-03-26T00:01:56+01:00"}],
                 "info": {"call": False, "per_page": 5, "next_page_token": None, "count": 1, "sort_by": "id",
                          "page": 1, "sort_order": "desc", "email": False, "more_records": False,
                          "previous_page_token": None}}
    errs = validator.errors(good_list, list_schema)
    if errs:
        report.fail("self-check: a documented record list validates", describe(errs))
    else:
        report.ok("self-check: a documented record list validates")

    sim = None
    try:
        sim = Simulator(executable)
        status, body = sim.request("POST", "/oauth/v2/token", form={
            "grant_type": "refresh_token", "refresh_token": ZOHO_REFRESH_TOKEN,
            "client_id": ZOHO_CLIENT_ID, "client_secret": ZOHO_CLIENT_SECRET})
        token_doc, problems = parse_json(status, body, 200)
        token = (token_doc or {}).get("access_token")
        if problems or not isinstance(token, str) or not token:
            print("FAIL token: could not get an access token: %s %s" % (problems, body[:300]))
            report.failed += 1
            return finish(report)
        auth = {"Authorization": "Zoho-oauthtoken " + token}

        # 1. Record list.
        fields = "First_Name,Last_Name,Email,Phone,Owner,Created_By,Modified_By,Created_Time,Modified_Time," \
                 "Mailing_Country,Account_Name,Tag"
        status, body = sim.request("GET", "/crm/v8/Contacts?fields=%s&per_page=5" % fields, headers=auth)
        listing, problems = parse_json(status, body, 200)
        record_id = None
        if listing is not None:
            problems += describe(validator.errors(listing, list_schema))
            data = listing.get("data") if isinstance(listing, dict) else None
            if not isinstance(data, list) or not data:
                problems.append("data is not a non-empty array (the demo set has contacts)")
            else:
                record_id = data[0].get("id") if isinstance(data[0], dict) else None
            if not isinstance(listing, dict) or not isinstance(listing.get("info"), dict):
                problems.append("info missing (zoho-crm-api.md 2.1: a list answer carries info)")
        (report.fail if problems else report.ok)("GET /crm/v8/Contacts matches record.json Response_Wrapper",
                                                 *([problems] if problems else []))

        # 2. Single record.
        problems = []
        single = None
        if not isinstance(record_id, str):
            problems.append("no record id from the list to ask for")
        else:
            status, body = sim.request("GET", "/crm/v8/Contacts/%s" % record_id, headers=auth)
            single, problems = parse_json(status, body, 200)
            if single is not None:
                problems += describe(validator.errors(single, record_schema))
                data = single.get("data") if isinstance(single, dict) else None
                if not isinstance(data, list) or len(data) != 1 or data[0].get("id") != record_id:
                    problems.append("data is not exactly the one asked-for record (zoho-crm-api.md 2.2)")
        (report.fail if problems else report.ok)("GET /crm/v8/Contacts/{id} matches record.json Response_Wrapper",
                                                 *([problems] if problems else []))

        # 3. Enable notifications.
        subscribe = {"watch": [{"channel_id": 1000000068001, "events": ["Contacts.all"],
                                "notify_url": "http://127.0.0.1:9/spec-conformance?key1=val1",
                                "token": "TOKEN_FOR_VERIFICATION_OF_1000000068001"}]}
        status, body = sim.request("POST", "/crm/v8/actions/watch", body=subscribe, headers=auth)
        watch, problems = parse_json(status, body, 201)
        if watch is not None:
            problems += describe(validator.errors(watch, watch_schema))
            items = watch.get("watch") if isinstance(watch, dict) else None
            if not isinstance(items, list) or len(items) != 1 or items[0].get("status") != "success":
                problems.append("watch is not one success item")
        (report.fail if problems else report.ok)("POST /crm/v8/actions/watch matches notifications.json 201",
                                                 *([problems] if problems else []))

        # Self-checks: broken copies must fail, so the passes above mean something.
        broken = []
        base_list = listing if isinstance(listing, dict) else good_list
        b = copy.deepcopy(base_list)
        b["data"] = "not an array"
        broken.append(("record list with data as a string", b, list_schema))
        b = copy.deepcopy(base_list)
        b.setdefault("info", {})["per_page"] = "5"
        broken.append(("record list with info.per_page as a string", b, list_schema))
        b = copy.deepcopy(base_list)
        b["data"] = [dict(b["data"][0]) if isinstance(b.get("data"), list) and b["data"] else {}]
        b["data"][0]["id"] = 4150868000000224005
        broken.append(("record list with an integer id", b, list_schema))
        b = copy.deepcopy(base_list)
        b["data"] = [dict(b["data"][0]) if isinstance(b.get("data"), list) and b["data"] else {}]
        b["data"][0]["Modified_Time"] = "yesterday"
        broken.append(("record list with a Modified_Time that is no date-time", b, list_schema))
        b = copy.deepcopy(base_list)
        b["data"] = [dict(b["data"][0]) if isinstance(b.get("data"), list) and b["data"] else {}]
        b["data"][0]["Created_By"] = {"email": "nobody@example.com"}
        broken.append(("record with Created_By missing name and id (users.json Minified_User)", b, list_schema))
        b = copy.deepcopy(single) if isinstance(single, dict) else {"data": [{}]}
        b["data"] = {"id": "1"}
        broken.append(("single record with data as an object", b, record_schema))
        b = copy.deepcopy(watch) if isinstance(watch, dict) else {"watch": [{"details": {}}]}
        if isinstance(b.get("watch"), list) and b["watch"] and isinstance(b["watch"][0], dict):
            b["watch"][0].pop("details", None)
        broken.append(("watch answer without details", b, watch_schema))
        b = {"status": "success"}
        broken.append(("watch answer without watch", b, watch_schema))
        for name, instance, schema in broken:
            if validator.errors(instance, schema):
                report.ok("self-check: %s is rejected" % name)
            else:
                report.fail("self-check: %s is rejected" % name, ["it validated: the checks above are vacuous"])
    except Exception as e:  # a crash is a failure, with its reason
        report.fail("run", ["%s: %s" % (type(e).__name__, e)])
    finally:
        if sim is not None:
            sim.stop()
    return finish(report)


def finish(report):
    print("spec-conformance: %d passed, %d failed" % (report.passed, report.failed))
    return 0 if report.failed == 0 and report.passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
