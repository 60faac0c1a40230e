#!/usr/bin/env python3
"""Independent offline verifier for a Custody Ledger report PDF (docs/ledger-format.md, "Reports").

    python3 scripts/verify-report.py report.pdf [--public-key ledger.pub.pem]

Written from docs/ledger-format.md alone: Python 3 standard library plus `cryptography` (Debian:
apt install python3-cryptography), with the attachments read by `qpdf --show-attachment` and the
printed text by `pdftotext -raw` (poppler-utils). It shares no code with the service; RFC 8785 and
the signed-note reading come from the export verifier beside it (scripts/verify-export.py).

Checks: the payload is RFC 8785 canonical JSON and its SHA-256 is the fingerprint; the checkpoint
note is signed by the attached key (and that key is --public-key, when given); the payload names that
checkpoint and that key; for an item report, every event hashes to its hash and its tlog-proof leads
from its leaf to the signed root; every event row, item line and the closing sentence are printed.

Exit 0 when everything holds; 1 when something does not (each failure on a FAIL line); 2 when the
file is not a report (not a PDF, no attachments) or the tools are missing.
"""

import argparse
import hashlib
import importlib.util
import json
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


def verify(pdf, trusted_key_path, out):
    from cryptography.hazmat.primitives import serialization

    fails = []

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
        return fails, fingerprint
    check("payload is canonical", jcs.canonical(payload).encode("utf-8") == raw_payload, "RFC 8785")
    check("fingerprint", True, fingerprint)

    key = serialization.load_pem_public_key(files["public-key.pem"])
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    if trusted_key_path:
        with open(trusted_key_path, "rb") as f:
            trusted = serialization.load_pem_public_key(f.read())
        same = trusted.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw) == raw
        check("trusted key", same, "the attached key is the trusted key" if same else "the attached key is NOT the trusted key")
    note = files["checkpoint.txt"].decode("utf-8")
    try:
        _, fields, _ = jcs.parse_note(note)
    except jcs.Invalid as err:
        check("checkpoint signature", False, str(err))
        return fails, fingerprint
    origin = fields["origin"]
    fields, reason = jcs.open_note(note, origin, raw, key)
    if not check("checkpoint signature", reason is None, reason or "signed by the attached key"):
        return fails, fingerprint
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

    section = payload.get("section")
    items = payload.get("items") or []
    events = section["events"] if section else [e for item in items for e in item["events"]]
    if section:
        bad = 0
        for e in section["events"]:
            event = e.get("event") or {}
            body = {k: v for k, v in event.items() if k != "hash"}
            if event.get("seq") != e["seq"] or hashlib.sha256(jcs.canonical(body).encode("utf-8")).hexdigest() != e["hash"]:
                bad += 1
                check("event %d" % e["seq"], False, "the event does not hash to its hash")
                continue
            proof = files.get("proofs/seq-%d.tlog-proof" % e["seq"])
            if proof is None:
                bad += 1
                check("event %d" % e["seq"], False, "no inclusion proof")
                continue
            try:
                index, path, proof_note = parse_tlog_proof(proof.decode("utf-8"))
            except ValueError as err:
                bad += 1
                check("event %d" % e["seq"], False, str(err))
                continue
            _, proof_reason = jcs.open_note(proof_note, origin, raw, key)
            leaf = H(b"\x00" + bytes.fromhex(e["hash"]))
            if proof_reason is not None or proof_note != note or index != e["seq"] - 1 \
                    or not verify_inclusion(leaf, index, fields["treeSize"], path, root):
                bad += 1
                check("event %d" % e["seq"], False, "the proof does not lead to the signed root")
        if bad == 0:
            check("events and proofs", True, "%d events hash right and are in the signed tree" % len(section["events"]))

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
    if missing == 0:
        check("printed rows", True, "every one of %d events is printed as the payload says" % len(events))
    return fails, fingerprint


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
        fails, fingerprint = verify(args.pdf, args.public_key, sys.stdout)
    except NotAReport as err:
        sys.stdout.write("FAIL attachments: %s\n" % err)
        return 2
    except (OSError, subprocess.CalledProcessError) as err:
        sys.stderr.write("error: %s\n" % err)
        return 2
    if fails:
        sys.stdout.write("report does NOT verify (%s)\n" % ", ".join(fails))
        return 1
    sys.stdout.write("report %s verifies\n" % fingerprint)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
