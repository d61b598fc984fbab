"""A strict reader of the Prometheus text exposition format (0.0.4) for the
tests: every line must be a HELP, TYPE or sample line of the format, each
family's HELP and TYPE come once and before its samples, families are not
interleaved, label values use only the format's escapes, no series repeats,
no sample carries a timestamp, counters end in _total.

parse(text) -> {"types": {family: type}, "help": {family: text},
                "samples": {name: {frozenset(labels.items()): value}}}
"""
import math
import re

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r"[a-zA-Z_][a-zA-Z0-9_]*"


class FormatError(Exception):
    pass


def _labels(text, lineno):
    labels = {}
    i = 0
    while i < len(text):
        m = re.match(LABEL + "=\"", text[i:])
        if not m:
            raise FormatError("line %d: bad label at %r" % (lineno, text[i:]))
        name = m.group(0)[:-2]
        i += m.end()
        value = []
        while True:
            if i >= len(text):
                raise FormatError("line %d: unterminated label value" % lineno)
            c = text[i]
            if c == "\\":
                esc = text[i + 1:i + 2]
                if esc not in ("\\", "\"", "n"):
                    raise FormatError("line %d: bad escape \\%s" % (lineno, esc))
                value.append("\n" if esc == "n" else esc)
                i += 2
            elif c == "\"":
                i += 1
                break
            elif c == "\n":
                raise FormatError("line %d: raw line feed in a label value" % lineno)
            else:
                value.append(c)
                i += 1
        if name in labels:
            raise FormatError("line %d: label %s twice" % (lineno, name))
        if name.startswith("__"):
            raise FormatError("line %d: reserved label %s" % (lineno, name))
        labels[name] = "".join(value)
        if i < len(text):
            if text[i] != ",":
                raise FormatError("line %d: expected ',' at %r" % (lineno, text[i:]))
            i += 1
    return labels


def _value(text, lineno):
    if text in ("+Inf", "-Inf", "NaN"):
        return float(text.replace("Inf", "inf").replace("NaN", "nan"))
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?", text):
        raise FormatError("line %d: bad value %r" % (lineno, text))
    return float(text)


def parse(text):
    if text and not text.endswith("\n"):
        raise FormatError("the last line has no line feed")
    types, helps, samples = {}, {}, {}
    finished = set()
    current = None
    for lineno, line in enumerate(text.splitlines(), 1):
        if line.startswith("#"):
            m = re.fullmatch(r"# (HELP|TYPE) (%s) ?(.*)" % NAME, line)
            if not m:
                if line.startswith("# HELP") or line.startswith("# TYPE"):
                    raise FormatError("line %d: bad %r" % (lineno, line))
                continue  # a comment
            kind, family, rest = m.groups()
            if family != current:
                if current is not None:
                    finished.add(current)
                if family in finished:
                    raise FormatError("line %d: family %s interleaved with another" % (lineno, family))
                current = family
            table = helps if kind == "HELP" else types
            if family in table:
                raise FormatError("line %d: second %s for %s" % (lineno, kind, family))
            if kind == "TYPE":
                if rest not in ("counter", "gauge", "histogram", "summary", "untyped"):
                    raise FormatError("line %d: bad type %r" % (lineno, rest))
                if rest == "counter" and not family.endswith("_total"):
                    raise FormatError("line %d: counter %s does not end in _total" % (lineno, family))
                if family in samples:
                    raise FormatError("line %d: TYPE after samples of %s" % (lineno, family))
            else:
                if re.search(r"\\[^\\n]", rest):
                    raise FormatError("line %d: bad escape in HELP" % lineno)
            table[family] = rest
            continue
        m = re.fullmatch(r"(%s)(\{(.*)\})? (\S+)" % NAME, line)
        if not m:
            raise FormatError("line %d: not a sample line (or has a timestamp): %r" % (lineno, line))
        name, _, labeltext, value = m.groups()
        if name != current:
            raise FormatError("line %d: sample %s outside its family (%s)" % (lineno, name, current))
        if name not in types:
            raise FormatError("line %d: sample %s before its TYPE" % (lineno, name))
        labels = _labels(labeltext or "", lineno)
        key = frozenset(labels.items())
        series = samples.setdefault(name, {})
        if key in series:
            raise FormatError("line %d: series repeated: %r" % (lineno, line))
        v = _value(value, lineno)
        if types[name] == "counter" and (v < 0 or math.isnan(v)):
            raise FormatError("line %d: counter below zero" % lineno)
        series[key] = v
    return {"types": types, "help": helps, "samples": samples}


def total(doc, name, **match):
    """Sum of NAME's samples whose labels include MATCH."""
    out = 0.0
    for key, v in doc["samples"].get(name, {}).items():
        labels = dict(key)
        if all(labels.get(k, "") == want for k, want in match.items()):
            out += v
    return out


def by(doc, name, *label_names):
    """{(label values...): sum} of NAME's samples."""
    out = {}
    for key, v in doc["samples"].get(name, {}).items():
        labels = dict(key)
        k = tuple(labels.get(n, "") for n in label_names)
        out[k] = out.get(k, 0.0) + v
    return out
