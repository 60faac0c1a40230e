#!/usr/bin/env python3
"""Independent offline verifier for a Custody Ledger export (docs/ledger-format.md, formatVersion 1).

    python3 scripts/verify-export.py ledger.ndjson [--checkpoint F.checkpoint ...] [--public-key F.pub.pem]
    python3 scripts/verify-export.py --bundle case.ndjson [--public-key F.pub.pem]
    python3 scripts/verify-export.py --tlog-proof event.tlog-proof --public-key F.pub.pem

Written from docs/ledger-format.md alone: Python 3 standard library plus `cryptography`
(Debian: apt install python3-cryptography). It shares no code with the service.

Checks, streaming the export once in constant memory: JSON of each line (no duplicate members,
no NaN/Infinity, no lone surrogates), the ten members, seq contiguous from 1, the genesis event,
each hash recomputed over the RFC 8785 canonical JSON of the event without `hash`, each prevHash
link, the RFC 6962 Merkle root, and every signed checkpoint given: its Ed25519 signature by the
key the genesis event names (and the --public-key, which must be the same key), its origin, and
that the chain through its tree size has its root and head.

Exit 0 when everything holds; 1 naming the first bad seq ("FIRST BAD SEQ: n (kind)"); 2 when it
cannot run (missing file, bad arguments, `cryptography` missing).

`--canonicalize` reads JSON texts, one per line, from standard input and prints each one's RFC
8785 text (or `ERROR: reason`): the test suite holds this implementation to the JavaScript one.
"""

import argparse
import base64
import binascii
import hashlib
import json
import math
import re
import sys

FORMAT_VERSION = 1
ZERO_HASH = "0" * 64
MEMBERS = ("seq", "type", "entityType", "entityId", "occurredAt", "recordedAt", "actor", "data", "prevHash", "hash")
HEX64 = re.compile(r"^[0-9a-f]{64}$")
RECORDED_AT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
OCCURRED_AT = re.compile(r"^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$")


class Invalid(Exception):
    """A value that has no RFC 8785 form, or a line that is not valid JSON."""


# ---------------------------------------------------------------------------------------------
# RFC 8785 (JSON Canonicalization Scheme)
# ---------------------------------------------------------------------------------------------

def es_number(value):
    """ECMAScript Number::toString for a finite double (RFC 8785 section 3.2.2.3).

    repr() gives the shortest digits that round-trip (the same digits ECMAScript chooses, with
    the same closest-value tie rule); only the layout differs, and that is done here.
    """
    if isinstance(value, bool):
        raise Invalid("boolean is not a number")
    if isinstance(value, int):
        if abs(value) <= 2**53:
            return str(value)
        value = float(value)  # as JSON.parse would read it: a double
    if math.isnan(value) or math.isinf(value):
        raise Invalid("NaN and Infinity have no JSON form")
    if value == 0:
        return "0"  # also -0
    sign = "-" if value < 0 else ""
    mantissa, _, exp = repr(abs(value)).partition("e")
    int_part, _, frac_part = mantissa.partition(".")
    digits = int_part + frac_part
    # value = 0.DIGITS * 10**n once leading zeros are dropped: ECMAScript's digits k and n.
    n = len(int_part) + (int(exp) if exp else 0) - (len(digits) - len(digits.lstrip("0")))
    digits = digits.strip("0")
    k = len(digits)
    if k <= n <= 21:
        out = digits + "0" * (n - k)
    elif 0 < n <= 21:
        out = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        out = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        e_text = ("+" if e >= 0 else "-") + str(abs(e))
        out = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + e_text
    return sign + out


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


_SPECIAL = re.compile("[\x00-\x1f\"\\\\\ud800-\udfff]")


def es_string(value):
    """A string as ECMAScript JSON.stringify writes it; lone surrogates are refused."""
    if _SPECIAL.search(value) is None:
        return '"' + value + '"'
    out = ['"']
    for ch in value:
        code = ord(ch)
        if 0xD800 <= code <= 0xDFFF:
            raise Invalid("lone surrogate in a string")
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif code < 0x20:
            out.append("\\u%04x" % code)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _utf16_key(name):
    return name.encode("utf-16-be", "surrogatepass")


def canonical(value):
    """The RFC 8785 text of a parsed JSON value."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return es_number(value)
    if isinstance(value, str):
        return es_string(value)
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if isinstance(value, dict):
        names = sorted(value.keys(), key=_utf16_key)
        return "{" + ",".join(es_string(k) + ":" + canonical(value[k]) for k in names) + "}"
    raise Invalid("not a JSON value: %r" % type(value))


def _no_duplicates(pairs):
    obj = {}
    for k, v in pairs:
        if k in obj:
            raise Invalid("duplicate member %s" % json.dumps(k))
        obj[k] = v
    return obj


def _no_constants(name):
    raise Invalid("%s is not JSON" % name)


def parse_json(text):
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except ValueError as err:  # json.JSONDecodeError is a ValueError
        raise Invalid("not JSON: %s" % err) from None


# ---------------------------------------------------------------------------------------------
# RFC 6962 Merkle tree, as a compact range
# ---------------------------------------------------------------------------------------------

class CompactRange:
    def __init__(self):
        self.size = 0
        self.stack = []

    def append(self, event_hash_hex):
        node = hashlib.sha256(b"\x00" + bytes.fromhex(event_hash_hex)).digest()
        n = self.size
        while n & 1:
            node = hashlib.sha256(b"\x01" + self.stack.pop() + node).digest()
            n >>= 1
        self.stack.append(node)
        self.size += 1

    def root(self):
        if not self.stack:
            return hashlib.sha256(b"").digest()
        root = self.stack[-1]
        for left in reversed(self.stack[:-1]):
            root = hashlib.sha256(b"\x01" + left + root).digest()
        return root


# ---------------------------------------------------------------------------------------------
# Signed notes (C2SP signed-note + tlog-checkpoint)
# ---------------------------------------------------------------------------------------------

def strict_b64(text):
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return data if base64.b64encode(data).decode("ascii") == text else None


def note_key_id(name, raw_key):
    return hashlib.sha256(name.encode("utf-8") + b"\x0a\x01" + raw_key).digest()[:4]


def parse_note(note):
    """Returns (body, fields, signature lines) or raises Invalid."""
    at = note.find("\n\n")
    if at < 0:
        raise Invalid("the note has no empty line before its signatures")
    body = note[: at + 1]
    lines = body.split("\n")
    if len(lines) != 6 or lines[5] != "":
        raise Invalid("the note body is not origin, size, root, head, time")
    origin, size, root_b64, head, time = lines[:5]
    if not re.fullmatch(r"0|[1-9][0-9]*", size):
        raise Invalid("bad tree size line")
    root = strict_b64(root_b64)
    if root is None or len(root) != 32:
        raise Invalid("bad root line")
    if not head.startswith("head ") or not HEX64.match(head[5:]):
        raise Invalid("bad head line")
    if not time.startswith("time "):
        raise Invalid("bad time line")
    sig_lines = note[at + 2:].split("\n")
    if sig_lines[-1] != "":
        raise Invalid("the note does not end with a newline")
    return body, {"origin": origin, "treeSize": int(size), "root": root, "head": head[5:], "time": time[5:]}, sig_lines[:-1]


def open_note(note, key_name, raw_key, public_key):
    """Returns (fields, None) for a note signed by (key_name, raw_key), else (fields or None, reason)."""
    from cryptography.exceptions import InvalidSignature

    try:
        body, fields, sig_lines = parse_note(note)
    except Invalid as err:
        return None, str(err)
    if fields["origin"] != key_name:
        return fields, "origin is not %s" % key_name
    key_id = note_key_id(key_name, raw_key)
    prefix = "\u2014 " + key_name + " "
    for line in sig_lines:
        if not line.startswith(prefix):
            continue
        blob = strict_b64(line[len(prefix):])
        if blob is None:
            return fields, "signature is not canonical base64"
        if len(blob) != 68 or blob[:4] != key_id:
            continue
        try:
            public_key.verify(blob[4:], body.encode("utf-8"))
        except InvalidSignature:
            return fields, "the Ed25519 signature does not verify"
        return fields, None
    return fields, "no signature by the ledger key %s" % key_name


def read_checkpoint_files(paths):
    """Notes from each file: a signed note, or NDJSON lines {treeSize, note} (<db>.checkpoints)."""
    notes = []
    for path in paths:
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
        if text.lstrip().startswith("{"):
            for n, line in enumerate(text.split("\n"), 1):
                if not line.strip():
                    continue
                try:
                    obj = parse_json(line)
                    notes.append(("%s:%d" % (path, n), obj["note"]))
                except (Invalid, KeyError, TypeError):
                    notes.append(("%s:%d" % (path, n), None))
        else:
            notes.append((path, text))
    return notes


# ---------------------------------------------------------------------------------------------
# The verification procedure (docs/ledger-format.md section 8)
# ---------------------------------------------------------------------------------------------

class Failure(Exception):
    def __init__(self, seq, kind, detail):
        super().__init__(detail)
        self.seq, self.kind, self.detail = seq, kind, detail


def check_genesis(event):
    data = event["data"]
    if event["type"] != "ledger_created" or not isinstance(data, dict):
        raise Failure(1, "missing_genesis", "the first event is not ledger_created")
    if data.get("formatVersion") != FORMAT_VERSION:
        raise Failure(1, "unknown_format", "formatVersion %r is not %d" % (data.get("formatVersion"), FORMAT_VERSION))
    ledger_id = data.get("ledgerId")
    key = data.get("checkpointKey")
    if not isinstance(ledger_id, str) or event["entityId"] != ledger_id or not isinstance(key, dict):
        raise Failure(1, "missing_genesis", "ledger_created does not name its ledgerId and checkpointKey")
    origin = "custody-ledger/" + ledger_id
    raw = strict_b64(key.get("publicKey", "")) if isinstance(key.get("publicKey"), str) else None
    if key.get("algorithm") != "Ed25519" or raw is None or len(raw) != 32:
        raise Failure(1, "missing_genesis", "checkpointKey is not a raw 32-byte Ed25519 key in base64")
    if key.get("keyName") != origin or key.get("keyId") != note_key_id(origin, raw).hex():
        raise Failure(1, "missing_genesis", "checkpointKey's keyName or keyId is wrong")
    return ledger_id, origin, raw


def check_shape(event, seq):
    if not isinstance(event, dict) or sorted(event.keys()) != sorted(MEMBERS):
        raise Failure(seq, "bad_event", "an event must have exactly the members " + ", ".join(MEMBERS))
    if type(event["seq"]) is not int:
        raise Failure(seq, "bad_event", "seq is not an integer")
    for name in ("type", "entityType", "entityId", "occurredAt", "recordedAt", "actor", "prevHash", "hash"):
        if not isinstance(event[name], str):
            raise Failure(seq, "bad_event", "%s is not a string" % name)
    if not isinstance(event["data"], dict):
        raise Failure(seq, "bad_event", "data is not an object")
    if not HEX64.match(event["hash"]) or not HEX64.match(event["prevHash"]):
        raise Failure(seq, "bad_event", "hash and prevHash must be 64 lowercase hex characters")
    if not RECORDED_AT.match(event["recordedAt"]) or not OCCURRED_AT.match(event["occurredAt"]):
        raise Failure(seq, "bad_event", "recordedAt or occurredAt is not in the documented form")


def verify(export_path, checkpoint_paths, public_key_path, out):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    given_raw = None
    if public_key_path:
        with open(public_key_path, "rb") as f:
            key = serialization.load_pem_public_key(f.read())
        if not isinstance(key, Ed25519PublicKey):
            raise Failure(None, "bad_key", "%s is not an Ed25519 public key" % public_key_path)
        given_raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    notes = read_checkpoint_files(checkpoint_paths)
    pending = {}  # tree size -> [(source, fields)], filled once the genesis names the key
    origin = ledger_id = None
    tree = CompactRange()
    prev = ZERO_HASH
    seq = 0
    verified = []

    with open(export_path, "rb") as f:
        for raw_line in f:
            seq += 1
            if not raw_line.endswith(b"\n"):
                raise Failure(seq, "bad_line", "the last line has no newline (a truncated file?)")
            try:
                line = raw_line[:-1].decode("utf-8")
            except UnicodeDecodeError:
                raise Failure(seq, "bad_line", "line %d is not UTF-8" % seq) from None
            try:
                event = parse_json(line)
            except Invalid as err:
                raise Failure(seq, "bad_line", "line %d: %s" % (seq, err)) from None
            check_shape(event, seq)
            if event["seq"] != seq:
                raise Failure(seq, "seq_gap", "line %d has seq %d" % (seq, event["seq"]))
            if seq == 1:
                ledger_id, origin, genesis_raw = check_genesis(event)
                if given_raw is not None and given_raw != genesis_raw:
                    raise Failure(1, "wrong_key", "the public key given is not the key the ledger names")
                public_key = Ed25519PublicKey.from_public_bytes(genesis_raw)
                for source, note in notes:
                    fields, reason = (None, "not a checkpoint line") if note is None else open_note(
                        note, origin, genesis_raw, public_key)
                    if fields is None:
                        raise Failure(None, "checkpoint_invalid", "%s: %s" % (source, reason))
                    # A bad signature is reported at its tree size, after any earlier chain damage.
                    pending.setdefault(fields["treeSize"], []).append((source, fields, reason))
            if event["prevHash"] != prev:
                raise Failure(seq, "broken_link", "prevHash is not the hash of seq %d" % (seq - 1))
            unhashed = dict(event)
            del unhashed["hash"]
            try:
                text = canonical(unhashed)
            except Invalid as err:
                raise Failure(seq, "bad_line", str(err)) from None
            if hashlib.sha256(text.encode("utf-8")).hexdigest() != event["hash"]:
                raise Failure(seq, "hash_mismatch", "the event does not hash to its hash")
            tree.append(event["hash"])
            prev = event["hash"]
            for source, fields, reason in pending.pop(seq, []):
                if reason:
                    raise Failure(seq, "checkpoint_invalid", "%s: %s" % (source, reason))
                if fields["root"] != tree.root() or fields["head"] != prev:
                    raise Failure(seq, "checkpoint_mismatch",
                                  "%s: the chain through seq %d does not match the signed root and head" % (source, seq))
                verified.append((seq, source, fields["time"]))

    if seq == 0:
        raise Failure(1, "missing_genesis", "the export is empty")
    if 0 in pending:
        raise Failure(None, "checkpoint_mismatch", "a checkpoint of size 0 cannot belong to this ledger")
    if pending:
        size = min(pending)
        raise Failure(seq + 1, "truncated",
                      "%s is signed at tree size %d; the export ends at %d" % (pending[size][0][0], size, seq))

    out.write("OK: ledger %s, %d events\n" % (ledger_id, seq))
    out.write("head %s\nroot %s\n" % (prev, tree.root().hex()))
    for size, source, time in verified:
        out.write("checkpoint verified: tree size %d, signed %s (%s)\n" % (size, time, source))
    if not checkpoint_paths:
        out.write("no checkpoint given: the chain is consistent, but nothing ties it to a signed state\n")


# ---------------------------------------------------------------------------------------------
# Proofs and evidence bundles (docs/ledger-format.md sections 14 and 15)
# ---------------------------------------------------------------------------------------------

BUNDLE_FORMAT = "custody-ledger/evidence-bundle@v1"
TLOG_PROOF_HEADER = "c2sp.org/tlog-proof@v1"


def leaf_of(event_hash_hex):
    return hashlib.sha256(b"\x00" + bytes.fromhex(event_hash_hex)).digest()


def verify_inclusion(leaf, index, size, proof, root):
    """RFC 9162 section 2.1.3.2, exactly: True when `proof` leads from `leaf` at `index` to `root`."""
    if not (0 <= index < size) or len(leaf) != 32 or len(root) != 32 or any(len(p) != 32 for p in proof):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = hashlib.sha256(b"\x01" + p + r).digest()
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = hashlib.sha256(b"\x01" + r + p).digest()
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def event_hash(event, where):
    """Checks an event's shape and recomputes its hash (section 3); raises Failure."""
    check_shape(event, where)
    unhashed = dict(event)
    del unhashed["hash"]
    try:
        text = canonical(unhashed)
    except Invalid as err:
        raise Failure(where, "bad_event", str(err)) from None
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if digest != event["hash"]:
        raise Failure(where, "hash_mismatch", "event %s does not hash to its hash" % event["seq"])
    return digest


def load_key(pem_bytes, what):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = serialization.load_pem_public_key(pem_bytes)
    except ValueError:
        key = None
    if not isinstance(key, Ed25519PublicKey):
        raise Failure(None, "bad_key", "%s is not an Ed25519 public key (PEM)" % what)
    return key, key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def read_pinned_key(path):
    if not path:
        return None
    with open(path, "rb") as f:
        return load_key(f.read(), path)[1]


def hex_path(proof, where):
    if not isinstance(proof, list) or not all(isinstance(h, str) and HEX64.match(h) for h in proof):
        raise Failure(where, "bad_proof", "a proof is a list of 64-hex-digit hashes")
    return [bytes.fromhex(h) for h in proof]


def verify_bundle(path, public_key_path, out):
    """Section 15.3: an evidence bundle, line by line. Failures name the line (1 = the header)."""
    pinned = read_pinned_key(public_key_path)
    with open(path, "rb") as f:
        data = f.read()
    if not data.endswith(b"\n"):
        raise Failure(None, "truncated", "the bundle does not end with a newline")
    try:
        lines = data[:-1].decode("utf-8").split("\n")
    except UnicodeDecodeError:
        raise Failure(None, "bad_line", "the bundle is not UTF-8") from None
    try:
        header = parse_json(lines[0])
    except Invalid as err:
        raise Failure(1, "bad_header", str(err)) from None
    if not isinstance(header, dict) or header.get("bundle") != BUNDLE_FORMAT:
        raise Failure(1, "bad_header", "line 1 is not a %s header" % BUNDLE_FORMAT)
    ledger_id, case_id, size, note, count = (header.get(k) for k in ("ledgerId", "caseId", "treeSize", "checkpoint", "events"))
    if not all(isinstance(v, str) for v in (ledger_id, case_id, note)) or type(size) is not int or type(count) is not int:
        raise Failure(1, "bad_header", "the header lacks ledgerId, caseId, checkpoint, treeSize or events")
    if not isinstance(header.get("publicKey"), str):
        raise Failure(1, "bad_key", "the header has no publicKey")
    key, raw = load_key(header["publicKey"].encode("ascii", "replace"), "the bundle's publicKey")
    if pinned is not None and pinned != raw:
        raise Failure(1, "wrong_key", "the bundle's key is not the key given with --public-key")
    origin = "custody-ledger/" + ledger_id
    fields, reason = open_note(note, origin, raw, key)
    if reason:
        raise Failure(1, "checkpoint_invalid", reason)
    if fields["treeSize"] != size:
        raise Failure(1, "checkpoint_mismatch", "the checkpoint's tree size is not the header's treeSize")
    members = header.get("members") or {}
    allowed = set()
    for kind in ("case", "seizure", "item"):
        for entity in members.get(kind, []) if isinstance(members, dict) else []:
            allowed.add((kind, entity))
    if ("case", case_id) not in allowed:
        raise Failure(1, "bad_header", "members does not name the case")
    if len(lines) - 1 != count:
        raise Failure(len(lines), "truncated", "the header announces %d events; the bundle has %d" % (count, len(lines) - 1))

    prev_seq, prev_hash = 0, ZERO_HASH
    for n, line in enumerate(lines[1:], 2):
        try:
            record = parse_json(line)
        except Invalid as err:
            raise Failure(n, "bad_line", str(err)) from None
        if not isinstance(record, dict) or sorted(record) != ["event", "proof"]:
            raise Failure(n, "bad_line", "a record is {event, proof}")
        event = record["event"]
        digest = event_hash(event, n)
        seq = event["seq"]
        if not (1 <= seq <= size) or seq <= prev_seq:
            raise Failure(n, "bad_order", "seq %d is out of order or beyond the tree" % seq)
        if seq == prev_seq + 1 and event["prevHash"] != prev_hash:
            raise Failure(n, "broken_link", "seq %d does not link to seq %d" % (seq, prev_seq))
        if n == 2:
            genesis_id, _, genesis_raw = check_genesis(event)
            if genesis_id != ledger_id or genesis_raw != raw:
                raise Failure(n, "wrong_key", "the genesis event names another ledger or key than the header")
        elif (event["entityType"], event["entityId"]) not in allowed:
            raise Failure(n, "not_of_case", "seq %d concerns %s %s, which is not of the case"
                          % (seq, event["entityType"], event["entityId"]))
        if not verify_inclusion(leaf_of(digest), seq - 1, size, hex_path(record["proof"], n), fields["root"]):
            raise Failure(n, "bad_proof", "the proof of seq %d does not lead to the signed root" % seq)
        if seq == size and digest != fields["head"]:
            raise Failure(n, "checkpoint_mismatch", "the event at the tree size is not the checkpoint's head")
        prev_seq, prev_hash = seq, digest

    out.write("OK: evidence bundle of case %s (%s): %d events, each proven in the signed tree of size %d\n"
              % (header.get("caseNumber"), case_id, count, size))
    out.write("ledger %s, checkpoint signed %s by key id %s\n" % (ledger_id, fields["time"], note_key_id(origin, raw).hex()))
    if pinned is None:
        out.write("the key was not pinned (--public-key): compare its key id with the one the ledger publishes\n")


def parse_tlog_proof(text):
    """Section 14.3 (c2sp.org/tlog-proof@v1): (index, proof, note, extra or None); raises Failure."""
    lines = text.split("\n")
    if lines[0] != TLOG_PROOF_HEADER:
        raise Failure(None, "bad_proof", "the first line is not " + TLOG_PROOF_HEADER)
    i, extra = 1, None
    if len(lines) > 1 and lines[1].startswith("extra "):
        extra = strict_b64(lines[1][6:])
        if extra is None:
            raise Failure(None, "bad_proof", "the extra line is not canonical base64")
        i = 2
    m = re.fullmatch(r"index (0|[1-9][0-9]*)", lines[i] if i < len(lines) else "")
    if not m:
        raise Failure(None, "bad_proof", "no 'index N' line")
    proof = []
    i += 1
    while i < len(lines) and lines[i] != "":
        h = strict_b64(lines[i])
        if h is None or len(h) != 32:
            raise Failure(None, "bad_proof", "proof line %d is not a base64 SHA-256 hash" % (len(proof) + 1))
        proof.append(h)
        i += 1
    if i >= len(lines) - 1:
        raise Failure(None, "bad_proof", "no checkpoint after the proof")
    return int(m.group(1)), proof, "\n".join(lines[i + 1:]), extra


def verify_tlog_proof(path, public_key_path, event_hash_hex, out):
    if not public_key_path:
        raise Failure(None, "bad_key", "a tlog-proof carries no key: give the ledger's --public-key")
    with open(public_key_path, "rb") as f:
        key, raw = load_key(f.read(), public_key_path)
    with open(path, encoding="utf-8", newline="") as f:
        index, proof, note, extra = parse_tlog_proof(f.read())
    origin = note.split("\n", 1)[0]
    if not origin.startswith("custody-ledger/"):
        raise Failure(None, "checkpoint_invalid", "the checkpoint's origin is not a custody ledger")
    fields, reason = open_note(note, origin, raw, key)
    if reason:
        raise Failure(None, "checkpoint_invalid", reason)
    digest = event_hash_hex
    if extra is not None:
        try:
            event = parse_json(extra.decode("utf-8"))
        except (Invalid, UnicodeDecodeError) as err:
            raise Failure(index + 1, "bad_event", "extra is not an event: %s" % err) from None
        digest = event_hash(event, index + 1)
        if event["seq"] != index + 1:
            raise Failure(index + 1, "bad_event", "the event's seq is not index + 1")
        if event_hash_hex is not None and event_hash_hex != digest:
            raise Failure(index + 1, "hash_mismatch", "the event in extra is not the event hash given")
    if digest is None or not HEX64.match(digest):
        raise Failure(None, "bad_event", "no event to prove: the proof has no extra; give --event-hash")
    if not verify_inclusion(leaf_of(digest), index, fields["treeSize"], proof, fields["root"]):
        raise Failure(index + 1, "bad_proof", "the proof does not lead to the signed root of tree size %d" % fields["treeSize"])
    out.write("OK: event seq %d (hash %s) is in the signed tree of size %d (%s, signed %s)\n"
              % (index + 1, digest, fields["treeSize"], origin, fields["time"]))


def canonicalize_stdin():
    for line in sys.stdin.read().split("\n"):
        if not line:
            continue
        try:
            sys.stdout.write(canonical(parse_json(line)) + "\n")
        except Invalid as err:
            sys.stdout.write("ERROR: %s\n" % err)
    return 0


def main(argv):
    parser = argparse.ArgumentParser(description="Verify a Custody Ledger NDJSON export offline.")
    parser.add_argument("export", nargs="?", help="the NDJSON export")
    parser.add_argument("--checkpoint", action="append", default=[],
                        help="a signed checkpoint note, or a <db>.checkpoints file (repeatable)")
    parser.add_argument("--public-key", help="the ledger's Ed25519 public key (PEM)")
    parser.add_argument("--bundle", help="verify an evidence bundle (docs/ledger-format.md section 15) instead")
    parser.add_argument("--tlog-proof", help="verify one c2sp.org/tlog-proof@v1 file (section 14.3) instead")
    parser.add_argument("--event-hash", help="with --tlog-proof without extra: the event hash it proves")
    parser.add_argument("--canonicalize", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(encoding="utf-8", newline="\n")
    if args.canonicalize:
        sys.stdin.reconfigure(encoding="utf-8", newline="\n", errors="surrogatepass")
        return canonicalize_stdin()
    if not args.export and not args.bundle and not args.tlog_proof:
        parser.error("the export file (or --bundle, or --tlog-proof) is required")
    try:
        import cryptography  # noqa: F401
    except ImportError:
        sys.stderr.write("error: the Python package `cryptography` is required (apt install python3-cryptography)\n")
        return 2
    try:
        if args.bundle:
            verify_bundle(args.bundle, args.public_key, sys.stdout)
        elif args.tlog_proof:
            verify_tlog_proof(args.tlog_proof, args.public_key, args.event_hash, sys.stdout)
        else:
            verify(args.export, args.checkpoint, args.public_key, sys.stdout)
        return 0
    except Failure as f:
        sys.stderr.write("BAD: %s: %s\n" % (f.kind, f.detail))
        if args.bundle:
            sys.stderr.write("FIRST BAD LINE: %s (%s)\n" % ("-" if f.seq is None else f.seq, f.kind))
            return 1
        sys.stderr.write("FIRST BAD SEQ: %s (%s)\n" % ("-" if f.seq is None else f.seq, f.kind))
        return 1
    except (OSError, ValueError) as err:
        sys.stderr.write("error: %s\n" % err)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
