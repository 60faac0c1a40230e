#!/usr/bin/env python3
"""Independent offline verifier for a Custody Ledger report PDF (docs/ledger-format.md, "Reports").

    python3 scripts/verify-report.py report.pdf [--public-key ledger.pub.pem]

Written from docs/ledger-format.md alone: Python 3 standard library plus `cryptography` (Debian:
apt install python3-cryptography), with the attachments read by `qpdf --show-attachment` and the
printed text by `pdftotext -raw` (poppler-utils). It shares no code with the service; RFC 8785 and
the signed-note reading come from the export verifier beside it (scripts/verify-export.py).

Checks: the payload is RFC 8785 canonical JSON and its SHA-256 is the fingerprint; the checkpoint
note is signed by the attached key (and that key is --public-key, when given); the payload names that
checkpoint and that key; for an item report, every event (the item's and the `sources` its header
and names come from) hashes to its hash and its tlog-proof leads from its leaf to the signed root, and
every printed fact is what those events give ("How the printed facts follow from the events"); each
page is drawn as the generator draws (one content stream, its own forms and images: no overlay or
stamp); every event row, item line and the closing sentence are printed. It does not redraw the pages
(custody verify-report does): each NOTE line says what the file cannot prove.

Exit 0 when everything holds against --public-key; 1 when something does not (each failure on a FAIL
line); 2 when the file is not a report (not a PDF, no attachments) or the tools are missing; 3 when
everything holds but no --public-key was given (checked only against the key the file carries).
"""

import argparse
import datetime
import hashlib
import importlib.util
import json
import math
import os
import re
import subprocess
import sys

_here = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("verify_export", os.path.join(_here, "verify-export.py"))
jcs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(jcs)

TLOG_PROOF = "c2sp.org/tlog-proof@v1"


class NotAReport(Exception):
    pass


def attachments(pdf):
    """{name: bytes} of the files the PDF carries."""
    try:
        listing = subprocess.run(["qpdf", "--list-attachments", pdf], capture_output=True, check=False)
    except FileNotFoundError:
        raise NotAReport("qpdf is not installed (apt install qpdf)") from None
    if listing.returncode not in (0, 3):
        raise NotAReport("not a readable PDF: " + listing.stderr.decode("utf-8", "replace").strip().split("\n")[0])
    files = {}
    for line in listing.stdout.decode("utf-8", "replace").split("\n"):
        if " -> " not in line:
            continue
        name = line.split(" -> ")[0].strip()
        out = subprocess.run(["qpdf", "--show-attachment=" + name, pdf], capture_output=True, check=True)
        files[name] = out.stdout
    return files


def squash(text):
    return re.sub(r"\s+", "", text)


def page_structure(pdf):
    """For each page: how many content streams it has and the XObjects it draws, by name and kind.
    The service's generator draws each page with one content stream, its own forms (/Fw…) and
    images (/I…); a page stamped or overlaid by a PDF tool (qpdf --overlay, a stamp) has more."""
    out = subprocess.run(["qpdf", "--json=2", "--json-key=pages", "--json-key=qpdf", pdf], capture_output=True, check=False)
    if out.returncode not in (0, 3):
        return None
    j = json.loads(out.stdout.decode("utf-8"))
    objs = j["qpdf"][1]

    def val(v):
        while isinstance(v, str) and v.endswith(" R"):
            o = objs.get("obj:" + v, {})
            v = o.get("value", o.get("stream", {}).get("dict"))
        return v

    pages = []
    for p in j["pages"]:
        page = val(p["object"]) or {}
        contents = page.get("/Contents")
        n = len(contents) if isinstance(contents, list) else (0 if contents is None else 1)
        res = val(page.get("/Resources")) or {}
        xo = val(res.get("/XObject")) or {}
        kinds = {}
        for name, ref in xo.items():
            d = objs.get("obj:" + ref, {}).get("stream", {}).get("dict", {}) if isinstance(ref, str) else {}
            kinds[name] = d.get("/Subtype")
        pages.append((n, kinds, bool(page.get("/Annots"))))
    return pages


def printed_text(pdf):
    out = subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True, check=True)
    return squash(out.stdout.decode("utf-8"))


def H(data):
    return hashlib.sha256(data).digest()


def verify_inclusion(leaf, index, size, path, root):
    """RFC 9162 section 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = H(b"\x01" + p + r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = H(b"\x01" + r + p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def parse_tlog_proof(text):
    """(index, [hashes], checkpoint note) of a C2SP tlog-proof, or raises ValueError."""
    lines = text.split("\n")
    if not lines or lines[0] != TLOG_PROOF:
        raise ValueError("not a " + TLOG_PROOF)
    i = 1
    if i < len(lines) and lines[i].startswith("extra "):
        i += 1
    m = re.fullmatch(r"index (0|[1-9][0-9]*)", lines[i] if i < len(lines) else "")
    if not m:
        raise ValueError("no index line")
    index = int(m.group(1))
    i += 1
    path = []
    while i < len(lines) and lines[i] != "":
        h = jcs.strict_b64(lines[i])
        if h is None or len(h) != 32:
            raise ValueError("a proof line is not a base64 SHA-256 hash")
        path.append(h)
        i += 1
    if i >= len(lines):
        raise ValueError("no checkpoint after the proof")
    return index, path, "\n".join(lines[i + 1:])


def event_cells(e):
    """The printed cells of an event row (docs/ledger-format.md, "Reports")."""
    what = e["what"]
    if e["correctedBy"]:
        what += " [corrected by seq " + ", ".join(str(s) for s in e["correctedBy"]) + "]"
    return [e["when"], what, e["fromTo"], e["details"], e["seal"], e["by"], str(e["seq"])]

# ---------------------------------------------------------------------------------------------
# The printed facts, derived from the events (docs/ledger-format.md, "How the printed facts follow
# from the events"). Written from that section, not from the service's code.
# ---------------------------------------------------------------------------------------------

ZERO_DIGITS = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"}
THREE_DIGITS = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"}
CATEGORY_NAMES = {
    "asic_miner": "ASIC miner", "gpu_rig": "GPU rig", "gpu": "GPU", "psu": "Power supply",
    "transformer": "Transformer", "cooling": "Cooling", "network": "Network", "cable_lot": "Cable lot",
    "container": "Container", "other": "Other",
}
DISPOSITION_WORDS = {
    "destroy": "to be destroyed", "sell": "to be sold", "release_to_owner": "to be released to its owner",
    "transfer_to_agency": "to be handed over to another agency",
}
TERMINAL_WHAT = {
    "item_destroyed": "Destroyed", "item_sold": "Sold", "item_released": "Released to its owner",
    "item_transferred_to_agency": "Handed over to another agency",
}
# The item's status after an event of this type (absent: unchanged); it starts `registered`.
STATUS_AFTER = {
    "item_received": "in_storage", "item_checked_out": "checked_out", "item_returned": "in_storage",
    "item_reported_missing": "missing", "item_disposal_authorised": "disposal_authorised",
    "item_disposal_cancelled": "in_storage", "item_destroyed": "destroyed", "item_sold": "sold",
    "item_released": "released", "item_transferred_to_agency": "transferred_out",
}
# What each event sets of the item's current state: state member -> data member, None clears it,
# ACTOR is the event's actor.
ACTOR = object()
_CLEARED = {"location": None, "holder": None}
EFFECTS = {
    "item_registered": {"make": "make", "model": "model", "serialNumber": "serialNumber", "quantity": "quantity",
                        "unit": "unit", "hashrateThs": "hashrateThs", "powerW": "powerW", "seal": "sealNo",
                        "condition": "condition", "description": "description"},
    "item_received": {"location": "locationCode", "custodian": ACTOR, "condition": "condition"},
    "item_moved": {"location": "locationCode"},
    "item_transferred": {"custodian": "custodian"},
    "item_checked_out": {"holder": "partyId", "location": None},
    "item_returned": {"location": "locationCode", "holder": None, "condition": "condition", "seal": "newSealNo"},
    "item_seal_changed": {"seal": "newSealNo"},
    "item_destroyed": _CLEARED, "item_sold": _CLEARED, "item_released": _CLEARED,
    "item_transferred_to_agency": _CLEARED,
}
PATH_SEPARATOR = " \u203a "


def s_(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def words(v):
    return s_(v).replace("_", " ")


def _group(digits):
    out = ""
    while len(digits) > 3:
        out = "," + digits[-3:] + out
        digits = digits[:-3]
    return digits + out


def print_number(n):
    r = math.floor(n * 1000 + 0.5) / 1000
    text = str(int(abs(r))) if float(r).is_integer() else repr(abs(float(r)))
    whole, _, frac = text.partition(".")
    return ("\u2212" if r < 0 else "") + _group(whole) + ("." + frac if frac else "")


def print_money(minor, currency):
    d = 0 if currency in ZERO_DIGITS else 3 if currency in THREE_DIGITS else 2
    digits = str(int(abs(minor))).rjust(d + 1, "0")
    units = _group(digits[:len(digits) - d])
    return ("\u2212" if minor < 0 else "") + units + ("." + digits[len(digits) - d:] if d else "") + " " + currency


def print_time(iso):
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:\d{2})", iso, re.I)
    if not m:
        return iso
    seconds = ":" + m.group(3) if m.group(3) and m.group(3) != "00" else ""
    offset = "UTC" if m.group(4).upper() == "Z" else m.group(4)
    return "%s %s%s %s" % (m.group(1), m.group(2), seconds, offset)


def print_utc(iso):
    t = datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(datetime.timezone.utc)
    return t.strftime("%Y-%m-%d %H:%M:%S UTC")


def print_value(v):
    if v is None:
        return "\u2014"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (int, float)):
        return print_number(v)
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        return ", ".join(print_value(x) for x in v)
    return "; ".join("%s: %s" % (k, print_value(x)) for k, x in v.items())


def evidence_printed(no):
    return "EV-%s-%s-%s" % (no[2:4], no[4:11], no[11:])


def location_printed(code):
    return "LC-%s-%s" % (code[2:9], code[9:])


def join(*parts):
    return "; ".join(p for p in parts if p != "")


class Names:
    """Names from the proven events; what no event names is printed as its id and listed."""

    def __init__(self, by_entity):
        self.by = by_entity
        self.unproven = []

    def _missing(self, what):
        if what not in self.unproven:
            self.unproven.append(what)

    def user(self, uid):
        if not uid:
            return "\u2014"
        if uid == "system":
            return "the service (system)"
        found = self.user_facts(uid)
        if found is None:
            self._missing("user " + uid)
            return uid
        return "%s (%s)" % found

    def user_facts(self, uid):
        events = self.by.get(("user", uid), [])
        created = [e for e in events if e["type"] == "user_created"]
        if not created:
            return None
        role = created[0]["data"]["role"]
        for e in events:
            if e["type"] == "user_role_changed":
                role = e["data"]["role"]
        return created[0]["data"]["displayName"], role

    def location(self, code):
        if not code:
            return "\u2014"
        parts, at, seen = [], code, set()
        while at and at not in seen:
            seen.add(at)
            e = next((x for x in self.by.get(("location", at), []) if x["type"] == "location_created"), None)
            if e is None:
                self._missing("location " + at)
                return location_printed(code)
            parts.insert(0, e["data"]["name"])
            at = e["data"].get("parentCode")
        return "%s (%s)" % (PATH_SEPARATOR.join(parts), location_printed(code))

    def party(self, pid):
        if not pid:
            return "\u2014"
        e = next((x for x in self.by.get(("party", pid), []) if x["type"] == "party_registered"), None)
        if e is None:
            self._missing("party " + pid)
            return pid
        return "%s, %s" % (e["data"]["name"], words(e["data"]["kind"]))


def seal_text(no):
    return "seal " + no if no else "no seal"


def authority_text(a):
    if not a:
        return "an authority not recorded"
    return "%s %s of %s (%s)" % (words(a.get("kind")), s_(a.get("number")), s_(a.get("date")), s_(a.get("issuer")))


def corrected_field(key, value, names):
    if key == "locationCode":
        v = names.location(s_(value))
    elif key == "custodian":
        v = names.user(s_(value))
    elif key == "partyId":
        v = names.party(s_(value))
    elif key in ("occurredAt", "dueAt"):
        v = print_time(s_(value))
    else:
        v = print_value(value)
    return "%s should read \u201c%s\u201d" % (key, v)


def describe(t, d, actor, st, names):
    """(what, fromTo, details, seal) of one event; updates the running state `st`."""
    g = lambda k: s_(d.get(k))  # noqa: E731
    if t == "item_registered":
        st["seal"] = d.get("sealNo")
        return ("Registered at seizure", "seized at " + st["site"],
                join("condition: " + g("condition") if d.get("condition") else ""), seal_text(st["seal"]))
    if t == "item_received":
        cells = ("Received into the warehouse",
                 "%s \u2192 %s" % (names.location(st["location"]) if st["location"] else "seizure site",
                                   names.location(g("locationCode"))),
                 join("custodian: " + names.user(actor), "condition: " + g("condition") if d.get("condition") else ""),
                 seal_text(st["seal"]))
        st["location"], st["custodian"] = g("locationCode"), actor
        return cells
    if t == "item_moved":
        frm = g("fromLocationCode") or st["location"]
        st["location"] = g("locationCode")
        return ("Moved", "%s \u2192 %s" % (names.location(frm), names.location(g("locationCode"))),
                join("reason: " + g("reason") if d.get("reason") else ""), "")
    if t == "item_transferred":
        frm = g("fromCustodian") or st["custodian"]
        st["custodian"] = g("custodian")
        return ("Custody transferred", "%s \u2192 %s" % (names.user(frm), names.user(g("custodian"))),
                join("reason: " + g("reason") if d.get("reason") else ""), seal_text(st["seal"]))
    if t == "item_checked_out":
        cells = ("Checked out", "%s \u2192 %s" % (names.location(st["location"]), names.party(g("partyId"))),
                 join("purpose: " + g("purpose"), "due back " + print_time(g("dueAt")) if d.get("dueAt") else ""),
                 seal_text(st["seal"]) + " on hand-over")
        st["holder"], st["location"] = g("partyId"), None
        return cells
    if t == "item_returned":
        frm = g("fromPartyId") or st["holder"]
        before = st["seal"]
        broken = d.get("seal") == "broken"
        if broken and d.get("newSealNo"):
            st["seal"] = g("newSealNo")
        st["holder"], st["location"] = None, g("locationCode")
        seal = ("%s BROKEN; resealed %s" % ("seal " + before if before else "seal", g("newSealNo"))
                if broken else seal_text(before) + " intact")
        return ("Returned", "%s \u2192 %s" % (names.party(frm), names.location(g("locationCode"))),
                join("condition: " + g("condition") if d.get("condition") else ""), seal)
    if t == "item_seal_changed":
        before = g("previousSealNo") or st["seal"]
        st["seal"] = g("newSealNo")
        return ("Seal changed", "", join("reason: " + g("reason") if d.get("reason") else ""),
                "%s \u2192 seal %s" % ("seal " + before if before else "no seal", st["seal"]))
    if t == "item_examined":
        return ("Examined by " + g("examiner"), "at " + names.party(g("partyId")) if d.get("partyId") else "",
                join("findings: " + g("findings")), "")
    if t == "item_valued":
        return ("Valued at " + print_money(d.get("amountMinor"), g("currency")), "",
                join("method: " + words(g("method")), "appraiser: " + g("appraiser"), "as of " + g("asOf")), "")
    if t == "item_note":
        return ("Note", "", g("text"), "")
    if t == "item_correction":
        fields = d.get("fields") or {}
        return ("Correction of seq " + g("corrects"), "",
                join(*([corrected_field(k, v, names) for k, v in fields.items()] + ["why: " + g("reason")])), "")
    if t == "item_disposal_authorised":
        st["authority"] = authority_text(d.get("authority"))
        return ("Disposal authorised", "",
                join("%s under %s" % (DISPOSITION_WORDS.get(g("disposition"), words(g("disposition"))), st["authority"])), "")
    if t == "item_disposal_cancelled":
        st["authority"] = None
        return ("Disposal cancelled", "", join("reason: " + g("reason") if d.get("reason") else ""), "")
    if t == "item_reported_missing":
        last = g("lastLocationCode")
        return ("Reported missing", "last recorded at " + names.location(last) if last else "",
                join("not found when the disposal was carried out" if d.get("reason") == "missing_at_disposal" else "",
                     "certificate " + g("certificateNo") if d.get("certificateNo") else "",
                     "not found by an audit" if d.get("auditId") else ""), "")
    if t in TERMINAL_WHAT:
        if t == "item_destroyed":
            head = "by %s at %s" % (g("method"), g("place"))
        elif t == "item_sold":
            head = "to " + g("buyer") + (" (%s)" % g("buyerReference") if d.get("buyerReference") else "")
            if "proceedsMinor" in d:
                head += " for " + print_money(d["proceedsMinor"], g("currency"))
        elif t == "item_released":
            owner = d.get("owner") or {}
            head = "to %s (%s)" % (s_(owner.get("name")), s_(owner.get("identityDocument")))
        else:
            agency = d.get("agency") or {}
            head = "to " + s_(agency.get("name")) + (" (%s)" % s_(agency["reference"]) if agency.get("reference") else "")
        under = "under " + st["authority"] if st.get("authority") else ""
        witnesses = d.get("witnesses") if isinstance(d.get("witnesses"), list) else []
        wit = "; ".join(names.user(s_(w["userId"])) if w.get("userId")
                        else "%s, %s (%s)" % (s_(w.get("name")), s_(w.get("title")), s_(w.get("agency"))) for w in witnesses)
        st["location"], st["holder"] = None, None
        return (TERMINAL_WHAT[t], "",
                join(" ".join(p for p in (head, under) if p),
                     "certificate " + g("certificateNo") if d.get("certificateNo") else "",
                     "witnesses: " + wit if witnesses else ""), "")
    name = words(re.sub(r"^item_", "", t))
    return (name[:1].upper() + name[1:], "", print_value(d), "")


def item_now(events):
    """The item's current state: the registration, then each event's effects; corrections that say
    `updatesCurrent` apply their fields as the event they correct would have."""
    now = {"status": "registered"}

    def apply(effects, data, actor, only=None):
        for member, source in effects.items():
            if source is None:
                if only is None:
                    now[member] = None
            elif source is ACTOR:
                if only is None:
                    now[member] = actor
            elif source in data and (only is None or source in only):
                now[member] = data[source]

    reg = events[0]
    apply(EFFECTS["item_registered"], reg["data"], reg["actor"], set(reg["data"]))
    for e in events[1:]:
        t, d = e["type"], e["data"]
        if t == "item_correction":
            fields = d.get("fields")
            if d.get("updatesCurrent") and fields and d.get("correctsType") in EFFECTS:
                apply(EFFECTS[d["correctsType"]], fields, e["actor"], set(fields))
        elif t in EFFECTS:
            apply(EFFECTS[t], d, e["actor"])
        now["status"] = STATUS_AFTER.get(t, now["status"])
    return now


def item_fields(events, names):
    reg = events[0]["data"]
    now = item_now(events)
    mm = " ".join(s_(now.get(k)) for k in ("make", "model") if now.get(k))
    f = [["Category", CATEGORY_NAMES.get(reg["category"], reg["category"])],
         ["Make and model", mm or "\u2014"],
         ["Serial number", s_(now["serialNumber"]) if now.get("serialNumber") is not None else "\u2014"],
         ["Quantity", "%s %s" % (print_number(now["quantity"]), s_(now.get("unit")))]]
    if now.get("hashrateThs") is not None:
        f.append(["Hash rate", print_number(now["hashrateThs"]) + " TH/s"])
    if now.get("powerW") is not None:
        f.append(["Power draw", print_number(now["powerW"]) + " W"])
    f.append(["Seal", s_(now.get("seal")) if now.get("seal") is not None else "no seal"])
    f.append(["Condition", s_(now.get("condition")) if now.get("condition") is not None else "\u2014"])
    if now.get("description"):
        f.append(["Description", s_(now["description"])])
    if reg.get("parentEvidenceNo"):
        f.append(["Inside container", evidence_printed(reg["parentEvidenceNo"])])
    if now["status"] == "checked_out":
        where = "checked out to " + names.party(now.get("holder"))
    else:
        where = names.location(now["location"]) if now.get("location") else "\u2014"
    f.append(["Status at checkpoint", "%s; %s" % (words(now["status"]), where)])
    if now.get("custodian"):
        f.append(["Custodian", names.user(now["custodian"])])
    return f


def derive_item_report(item_events, sources, requester_id):
    """What an item report prints, from its events and the sources; with what no event proves."""
    by = {}
    for e in sorted(sources, key=lambda x: x["seq"]):
        by.setdefault((e["entityType"], e["entityId"]), []).append(e)
    names = Names(by)
    unproven = []
    reg = item_events[0]
    case_events = by.get(("case", reg["data"]["caseId"]), [])
    opened = next((e for e in case_events if e["type"] == "case_opened"), None)
    if opened is None:
        unproven.append("case " + reg["data"]["caseId"])
        case = {"id": reg["data"]["caseId"], "number": reg["data"]["caseId"], "title": "", "fields": []}
    else:
        c = opened["data"]
        status = "open"
        for e in case_events:
            if e["type"] == "case_status_changed":
                status = e["data"]["status"]
        case = {"id": opened["entityId"], "number": c["number"], "title": c["title"], "fields": [
            ["Case number", c["number"]], ["Title", c["title"]], ["Legal basis", c["legalBasis"]],
            ["Agency", c["agency"]], ["Opened on", c["openedOn"]], ["Case status", words(status)]]}
    seizure = next((e for e in by.get(("seizure", reg["data"]["seizureId"]), []) if e["type"] == "seizure_recorded"), None)
    if seizure is None:
        unproven.append("seizure " + reg["data"]["seizureId"])
        seizure_fields = []
    else:
        z = seizure["data"]
        seizure_fields = [["Site", "%s, %s" % (z["farmName"], z["region"])], ["Address", z["address"]],
                          ["Seized at", print_time(z["seizedAt"])], ["Seizing officer", z["seizingOfficer"]],
                          ["Warrant or order", z["warrantRef"]], ["Legal ground", words(z["legalGround"])],
                          ["Outcome", words(z["outcome"])]]
        if z.get("latitude") is not None and z.get("longitude") is not None:
            seizure_fields.insert(2, ["Coordinates", "%s, %s" % (s_(z["latitude"]), s_(z["longitude"]))])
    st = {"location": None, "custodian": None, "holder": None, "seal": None, "authority": None,
          "site": seizure["data"]["farmName"] if seizure else ""}
    rows, by_seq, valuations, disposition = [], {}, [], None
    for e in item_events:
        d = e["data"]
        what, from_to, details, seal = describe(e["type"], d, e["actor"], st, names)
        corrects = d["corrects"] if e["type"] == "item_correction" and isinstance(d.get("corrects"), int) else None
        row = {"seq": e["seq"], "when": print_time(e["occurredAt"]), "what": what, "fromTo": from_to,
               "details": details, "seal": seal, "by": names.user(e["actor"]), "corrects": corrects, "correctedBy": []}
        rows.append(row)
        by_seq[e["seq"]] = row
        if corrects is not None and corrects in by_seq:
            by_seq[corrects]["correctedBy"].append(e["seq"])
        if e["type"] == "item_valued":
            valuations.append({"seq": e["seq"], "asOf": s_(d.get("asOf")),
                               "amount": print_money(d["amountMinor"], s_(d.get("currency"))),
                               "method": words(d.get("method")), "appraiser": s_(d.get("appraiser")), "corrected": ""})
        if e["type"] in TERMINAL_WHAT:
            disposition = {"seq": e["seq"], "when": row["when"], "what": what, "details": details, "by": row["by"]}
    for v in valuations:
        if by_seq[v["seq"]]["correctedBy"]:
            v["corrected"] = "corrected by seq " + ", ".join(str(x) for x in by_seq[v["seq"]]["correctedBy"])
    printed = evidence_printed(reg["entityId"])
    return {
        "case": case, "rows": rows, "item": item_fields(item_events, names), "seizure": seizure_fields,
        "valuations": valuations, "disposition": disposition, "printed": printed,
        "header": "Case %s \u00b7 Chain of custody of %s" % (case["number"], printed), "subheader": case["title"],
        "requester": names.user_facts(requester_id), "unproven": unproven + names.unproven,
    }


def check_resting_events(payload, files, note, fields, root, origin, raw, key, check):
    """Certificates and audit reports: each event they rest on (from the payload's `events`, or else
    the export line in its proof's `extra`) hashes right and its proof leads to the signed root."""
    given = {e.get("seq"): e for e in payload.get("events") or [] if isinstance(e, dict)}
    bad = 0
    names = [n for n in files if re.fullmatch(r"proofs/seq-\d+\.tlog-proof", n)]
    for name in names:
        seq = int(name[11:-11])
        try:
            text = files[name].decode("utf-8")
            lines = text.split("\n")
            event = given.get(seq)
            if event is None and len(lines) > 1 and lines[1].startswith("extra "):
                event = jcs.parse_json(jcs.strict_b64(lines[1][6:]).decode("utf-8"))
            index, path, proof_note = parse_tlog_proof(text)
        except (ValueError, AttributeError, UnicodeDecodeError, jcs.Invalid) as err:
            bad += 1
            check("event %d" % seq, False, "the proof cannot be read: %s" % err)
            continue
        body = {k: v for k, v in (event or {}).items() if k != "hash"}
        h = (event or {}).get("hash")
        if not isinstance(h, str) or (event or {}).get("seq") != seq \
                or hashlib.sha256(jcs.canonical(body).encode("utf-8")).hexdigest() != h:
            bad += 1
            check("event %d" % seq, False, "the event it rests on is not there, or does not hash to its hash")
            continue
        _, proof_reason = jcs.open_note(proof_note, origin, raw, key)
        if proof_reason is not None or proof_note != note or index != seq - 1 \
                or not verify_inclusion(H(b"\x00" + bytes.fromhex(h)), index, fields["treeSize"], path, root):
            bad += 1
            check("event %d" % seq, False, "the proof does not lead to the signed root")
    for seq in given:
        if "proofs/seq-%s.tlog-proof" % seq not in files:
            bad += 1
            check("event %s" % seq, False, "no inclusion proof")
    if bad == 0:
        check("events and proofs", True, "%d events the report rests on hash right and are in the signed tree" % len(names))


def around(a, b):
    """The two texts where they first differ (at most 60 characters each)."""
    i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
    st = max(0, i - 25)
    cut = lambda t: ("\u2026" if st else "") + t[st:st + 60] + ("\u2026" if len(t) > st + 60 else "")  # noqa: E731
    return cut(a), cut(b)


def check_item_report(payload, files, note, fields, root, origin, raw, key, check, notes):
    """Each event (the item's and the sources) hashes right and is proven in the signed tree, and
    everything printed is what those events give."""
    section = payload["section"]
    sources = payload.get("sources") if isinstance(payload.get("sources"), list) else []
    bad = [0]

    def proven(event, seq, hash_hex, what):
        event = event if isinstance(event, dict) else {}
        if not isinstance(seq, int) or not isinstance(hash_hex, str) or not re.fullmatch(r"[0-9a-f]{64}", hash_hex):
            bad[0] += 1
            check("event %s" % seq, False, "the %s names no seq and hash" % what)
            return False
        body = {k: v for k, v in event.items() if k != "hash"}
        if event.get("seq") != seq or event.get("hash") != hash_hex \
                or hashlib.sha256(jcs.canonical(body).encode("utf-8")).hexdigest() != hash_hex:
            bad[0] += 1
            check("event %d" % seq, False, "the %s does not hash to its hash" % what)
            return False
        proof = files.get("proofs/seq-%d.tlog-proof" % seq)
        if proof is None:
            bad[0] += 1
            check("event %d" % seq, False, "no inclusion proof")
            return False
        try:
            index, path, proof_note = parse_tlog_proof(proof.decode("utf-8"))
        except ValueError as err:
            bad[0] += 1
            check("event %d" % seq, False, str(err))
            return False
        _, proof_reason = jcs.open_note(proof_note, origin, raw, key)
        leaf = H(b"\x00" + bytes.fromhex(hash_hex))
        if proof_reason is not None or proof_note != note or index != seq - 1 \
                or not verify_inclusion(leaf, index, fields["treeSize"], path, root):
            bad[0] += 1
            check("event %d" % seq, False, "the proof does not lead to the signed root")
            return False
        return True

    item_events = [e["event"] for e in section["events"] if proven(e.get("event"), e.get("seq"), e.get("hash"), "event")]
    for r in sources:
        proven(r, r.get("seq"), r.get("hash"), "source event")
    if bad[0]:
        return
    check("events and proofs", True, "%d events of the item and %d events its header and names come from hash right and are in the signed tree"
          % (len(item_events), len(sources)))
    evidence_no = payload["parameters"].get("evidenceNo")
    for i, e in enumerate(item_events):
        if e["entityType"] != "item" or e["entityId"] != evidence_no or (i and e["seq"] <= item_events[i - 1]["seq"]):
            check("the item's events", False, "event %d is not the next event of %s" % (e["seq"], evidence_no))
            return
    if not item_events or item_events[0]["type"] != "item_registered" or section["evidenceNo"] != evidence_no:
        check("the item's events", False, "they do not begin with the registration of the item the report names")
        return
    d = derive_item_report(item_events, sources, payload["requestedBy"]["id"])
    wrong = []
    if [e["seq"] for e in section["events"]] != [r["seq"] for r in d["rows"]]:
        wrong.append("the rows are not the item's events in ledger order")
    for e, r in zip(section["events"], d["rows"]):
        for cell in ("when", "what", "fromTo", "details", "seal", "by"):
            if e.get(cell) != r[cell]:
                wrong.append("event %d prints %s \u201c%s\u201d, the event gives \u201c%s\u201d" % ((e["seq"], cell) + around(s_(e.get(cell)), r[cell])))
        if e.get("corrects") != r["corrects"] or e.get("correctedBy") != r["correctedBy"]:
            wrong.append("event %d names corrections the events do not" % e["seq"])
    for name, printed, derived in (("case field", payload["case"]["fields"], d["case"]["fields"]),
                                   ("evidence field", section["item"], d["item"]),
                                   ("seizure field", section["seizure"], d["seizure"])):
        for i in range(max(len(printed), len(derived))):
            pl, pv = printed[i] if i < len(printed) else ["", ""]
            dl, dv = derived[i] if i < len(derived) else ["", ""]
            if [pl, pv] != [dl, dv]:
                wrong.append("%s \u201c%s\u201d prints \u201c%s\u201d, the events give \u201c%s\u201d" % ((name, pl) + around(pv, dv))
                             if pl == dl else "%s prints \u201c%s\u201d where the events give \u201c%s\u201d" % (name, pl or "(nothing)", dl or "(nothing)"))
                break
    c = payload["case"]
    if [c["id"], c["number"], c["title"]] != [d["case"]["id"], d["case"]["number"], d["case"]["title"]]:
        wrong.append("the case named is not the case the registration names")
    if section["printed"] != d["printed"]:
        wrong.append("the evidence number printed is not the item's")
    if section["valuations"] != d["valuations"]:
        wrong.append("the valuation history is not what the valued events give")
    if section["disposition"] != d["disposition"]:
        wrong.append("the final disposition is not what the events give")
    if payload["header"] != d["header"] or payload["subheader"] != d["subheader"]:
        wrong.append("the page header is not the case and item the events give")
    if payload["madeAt"] != print_utc(fields["time"]):
        wrong.append("\u201cMade on\u201d is not the checkpoint's time")
    req = payload["requestedBy"]
    if d["requester"] is None:
        notes.append("the requester %s (%s) is not a user in the ledger at this checkpoint: their name is the service's statement" % (req["name"], req["role"]))
    elif d["requester"][0] != req["name"]:
        wrong.append("the requester is printed as \u201c%s\u201d, the ledger names %s \u201c%s\u201d" % (req["name"], req["id"], d["requester"][0]))
    elif d["requester"][1] != req["role"]:
        notes.append("the requester was %s at the checkpoint; the report names the role they had when they asked (%s)" % (d["requester"][1], req["role"]))
    for w in wrong[:8]:
        check("printed facts", False, w)
    if len(wrong) > 8:
        check("printed facts", False, "and %d more" % (len(wrong) - 8))
    if not wrong:
        check("printed facts follow from the events", True,
              "every row, the evidence, seizure and case fields, valuations, disposition and names are what the %d proven events give"
              % (len(item_events) + len(sources)))
    if d["unproven"]:
        notes.append("printed without an event that proves it: %s (shown as its id)" % ", ".join(d["unproven"]))
    notes.append("that the report was asked for by its requester, and the service address of its QR code, are the service's statements: "
                 "the report_made event that records them comes after the checkpoint")
    notes.append("the proofs show these events are in the ledger; they cannot show that no other event of the item, case or named users "
                 "exists before the checkpoint (an omitted event is not detected by the file alone)")


def verify(pdf, trusted_key_path, out):
    from cryptography.hazmat.primitives import serialization

    fails = []
    notes = []
    trusted_ok = [False]

    def check(name, ok, detail):
        out.write("%s %s: %s\n" % ("ok  " if ok else "FAIL", name, detail))
        if not ok:
            fails.append(name)
        return ok

    files = attachments(pdf)
    need = ["payload.json", "checkpoint.txt", "public-key.pem"]
    if not files:
        raise NotAReport("the PDF carries no attachments: it is not a custody report, or they were removed")
    if any(n not in files for n in need):
        raise NotAReport("missing " + ", ".join(n for n in need if n not in files))
    raw_payload = files["payload.json"]
    fingerprint = hashlib.sha256(raw_payload).hexdigest()
    try:
        payload = jcs.parse_json(raw_payload.decode("utf-8"))
    except (UnicodeDecodeError, jcs.Invalid) as err:
        check("payload", False, str(err))
        return fails, fingerprint, notes, trusted_ok[0], raw
    check("payload is canonical", jcs.canonical(payload).encode("utf-8") == raw_payload, "RFC 8785")
    check("fingerprint", True, fingerprint)

    key = serialization.load_pem_public_key(files["public-key.pem"])
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    if trusted_key_path:
        with open(trusted_key_path, "rb") as f:
            trusted = serialization.load_pem_public_key(f.read())
        same = trusted.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw) == raw
        trusted_ok[0] = check("trusted key", same, "the attached key is the trusted key" if same else "the attached key is NOT the trusted key")
    else:
        notes.append("no trusted key given: the signature is checked only against the key the file carries, and anyone can make such a file; "
                     "its SHA-256 is %s \u2014 compare it with the ledger's key, or pass --public-key" % hashlib.sha256(raw).hexdigest())
    note = files["checkpoint.txt"].decode("utf-8")
    try:
        _, fields, _ = jcs.parse_note(note)
    except jcs.Invalid as err:
        check("checkpoint signature", False, str(err))
        return fails, fingerprint, notes, trusted_ok[0], raw
    origin = fields["origin"]
    fields, reason = jcs.open_note(note, origin, raw, key)
    if not check("checkpoint signature", reason is None, reason or "signed by the attached key"):
        return fails, fingerprint, notes, trusted_ok[0], raw
    root = fields["root"]
    key_id = jcs.note_key_id(origin, raw).hex()
    cp = payload.get("checkpoint", {})
    check(
        "payload names the checkpoint",
        cp.get("treeSize") == fields["treeSize"] and cp.get("rootHash") == root.hex()
        and cp.get("headHash") == fields["head"] and cp.get("signedAt") == fields["time"],
        "tree size %d, root %s" % (fields["treeSize"], root.hex()),
    )
    ledger = payload.get("ledger", {})
    check("payload names the key", ledger.get("origin") == origin and ledger.get("keyId") == key_id,
          "key %s (%s)" % (key_id, origin))

    kind = payload.get("kind")
    section = payload.get("section") if kind == "item_custody" else None
    items = [i for i in payload.get("items") or [] if isinstance(i, dict)] if kind == "case_custody" else []
    events = section["events"] if section else [e for item in items for e in item.get("events") or []]
    if kind == "item_custody" and section:
        check_item_report(payload, files, note, fields, root, origin, raw, key, check, notes)
    elif kind == "case_custody":
        notes.append("the events of this report carry no inclusion proofs: its rows are checked against its payload only, not against the ledger")
    elif kind in ("disposal_certificate", "audit"):
        check_resting_events(payload, files, note, fields, root, origin, raw, key, check)
        notes.append("a %s is checked for its fingerprint, signature and the events it rests on (each proven), and that it states this "
                     "fingerprint; what its pages print is not re-derived from those events by this verifier"
                     % ("audit report" if kind == "audit" else "disposal certificate"))
    else:
        check("report kind", False, "unknown report kind %s: this verifier cannot check what it prints" % json.dumps(kind))
        return fails, fingerprint, notes, trusted_ok[0], raw

    text = printed_text(pdf)
    missing = 0
    for e in events:
        for cell in event_cells(e):
            if squash(cell) not in text:
                missing += 1
                if missing <= 5:
                    check("printed event %d" % e["seq"], False, "the PDF does not print %s" % json.dumps(cell[:80], ensure_ascii=False))
    for item in items:
        if squash(item["line"]) not in text:
            missing += 1
            if missing <= 5:
                check("printed item %s" % item["evidenceNo"], False, "the PDF does not print its line")
    req = payload["requestedBy"]
    closing = "Made on %s for %s (%s) from ledger checkpoint %d, root %s, signed by key %s (%s); fingerprint %s." % (
        payload["madeAt"], req["name"], req["role"], fields["treeSize"], root.hex(), key_id, origin, fingerprint)
    if squash(closing) not in text:
        missing += 1
        check("printed closing", False, "the PDF does not state this fingerprint, checkpoint and key")
    pages = page_structure(pdf)
    odd = []
    for i, (n, kinds, annots) in enumerate(pages or []):
        foreign = [k for k, kind in kinds.items()
                   if not ((k.startswith("/Fw") and kind == "/Form") or (k.startswith("/I") and kind == "/Image"))]
        if n != 1 or foreign or annots:
            odd.append("page %d: %s" % (i + 1, ", ".join(
                ([] if n == 1 else ["%d content streams" % n]) + ["a foreign drawing %s" % k for k in foreign]
                + (["annotations"] if annots else []))))
    if pages is None:
        check("pages as generated", False, "qpdf cannot read the page structure")
    else:
        check("pages as generated", not odd,
              "; ".join(odd) + ": something was drawn over the generated page" if odd else
              "each of %d pages is one content stream with only the generator's own forms and images" % len(pages))
    notes.append("this verifier finds every printed fact in the text of the pages and checks they are drawn as the generator draws "
                 "them (no stamp or overlay), but it does not redraw them: text hidden under white paint drawn into the page's own "
                 "content stream is not detected here; custody verify-report redraws the file and compares it byte for byte")
    if missing == 0:
        check("printed rows" if events else "printed closing", True,
              "every one of %d events is printed as the payload says" % len(events) if events
              else "the PDF states this fingerprint, checkpoint and key")
    return fails, fingerprint, notes, trusted_ok[0], raw


def main(argv):
    parser = argparse.ArgumentParser(description="Verify a Custody Ledger report PDF offline.")
    parser.add_argument("pdf", help="the report")
    parser.add_argument("--public-key", help="the ledger's Ed25519 public key (PEM) to trust")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(encoding="utf-8", newline="\n")
    try:
        import cryptography  # noqa: F401
    except ImportError:
        sys.stderr.write("error: the Python package `cryptography` is required (apt install python3-cryptography)\n")
        return 2
    if not os.path.exists(args.pdf):
        sys.stderr.write("error: no file %s\n" % args.pdf)
        return 2
    try:
        fails, fingerprint, notes, trusted, raw = verify(args.pdf, args.public_key, sys.stdout)
    except NotAReport as err:
        sys.stdout.write("FAIL attachments: %s\n" % err)
        return 2
    except (OSError, subprocess.CalledProcessError) as err:
        sys.stderr.write("error: %s\n" % err)
        return 2
    for n in notes:
        sys.stdout.write("NOTE %s\n" % n)
    if fails:
        sys.stdout.write("report does NOT verify (%s)\n" % ", ".join(dict.fromkeys(fails)))
        return 1
    if not trusted:
        sys.stdout.write("report %s is consistent, but NOT verified: signed by a key you did not give (SHA-256 %s); "
                         "pass --public-key with the ledger's public key\n" % (fingerprint, hashlib.sha256(raw).hexdigest()))
        return 3
    sys.stdout.write("report %s verifies\n" % fingerprint)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
