#!/usr/bin/env python3
"""Oracle for Parley's `(@ … )` template language: renders a corpus with real Jinja2.

How to run (from anywhere; needs Python 3.11+ and Jinja2 3.1.x, e.g. `pip install Jinja2==3.1.6`):

    python3 Tests/FlowDSLTests/Fixtures/jinja/generate.py

It writes corpus.json next to this script. Output is deterministic (no randomness, no timestamps,
stable key order), so re-running it on an unchanged script gives a byte-identical file.

Each corpus entry is {"name", "template", "context", "expect"} where "expect" is one of
  {"value": <JSON>}  a single-expression template's native value (Meya: compile_expression),
  {"text": "..."}    a mixed template's rendered string,
  {"error": true}    Jinja raised (syntax error, undefined under StrictUndefined, type error, ...).
Entries listed under DELIBERATE_DIFFERENCES also carry "parley": the result Parley gives instead,
and "why". The Swift test (JinjaCorpusTests) checks "parley" when present, else "expect".

JSON encoding of values (both in "context" and in "value"):
  * ints are JSON integers, strings/bools/null as usual;
  * every float is {"$float": "<Python repr>"} (e.g. {"$float": "2.0"}, {"$float": "inf"}), so ints and
    floats never get confused by a JSON library;
  * dicts are JSON objects whose key order is significant (Python insertion order);
  * tuples, ranges, dict views and iterators (what `reverse`, `unique`, `map`, `select`… return in Jinja)
    become lists: Parley has no tuple or iterator type and returns lists there.

Meya's rules modelled here: `user` and `thread` are dict subclasses returning None for a missing key
(attribute access falls through to getitem, so `user.nickname` is None); every other scope is a plain
dict (strict). Single-expression templates (the whole string is one `(@ … )`) are evaluated with
`env.compile_expression(inner, undefined_to_none=False)`; an Undefined result counts as an error.
"""
import json
import os
import re

import jinja2
from jinja2.runtime import Undefined

ENV = jinja2.Environment(
    variable_start_string="(@",
    variable_end_string=")",
    block_start_string="(%",
    block_end_string="%)",
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)


class MeyaScope(dict):
    """user / thread scopes: a missing first-level key reads as None."""

    def __missing__(self, key):
        return None


LENIENT = ("user", "thread")

DEFAULT_CONTEXT = {
    "flow": {
        "name": "Ana",
        "n": 5,
        "neg": -7,
        "f": 2.5,
        "zero": 0,
        "fzero": 0.0,
        "none": None,
        "t": True,
        "nums": [3, 1, 2],
        "empty": [],
        "words": ["b", "A", "c"],
        "d": {"b": 2, "a": 1},
        "k": "b",
        "nested": {"x": {"y": "deep"}},
        "s": "  hi there  ",
        "uni": "héllo wörld",
        "html": "<a href=\"x\">T&C's</a>",
        "num_str": "42",
        "float_str": "3.75",
        "people": [
            {"name": "Bo", "age": 30},
            {"name": "al", "age": 25},
            {"name": "Cy", "age": 35},
        ],
        "order": {
            "id": "A-17",
            "status": "shipped",
            "total": 41.5,
            "lines": [{"sku": "X1", "qty": 2}, {"sku": "Y2", "qty": 1}],
        },
        "result": "ok",
        "inf_str": "inf",
        "nan_str": "nan",
        "inf_word": "-Infinity",
        "big": 1e308,
    },
    "user": {"name": "Ana", "age": 30, "tags": ["vip"], "vip": False, "profile": {}},
    "thread": {"mode": "bot"},
    "config": {"support": {"phone": "+1 555 0100"}},
    "vault": {"api_key": "sk_test_123"},
}


def build_context(spec):
    ctx = {}
    for name, value in spec.items():
        ctx[name] = MeyaScope(value) if name in LENIENT and isinstance(value, dict) else value
    return ctx


class Unrepresentable(Exception):
    pass


def enc(v):
    """Python value → corpus JSON (see module doc)."""
    if isinstance(v, Undefined):
        raise Unrepresentable("undefined")
    if v is None or isinstance(v, (bool, str)):
        return str(v) if isinstance(v, str) else v
    if isinstance(v, int):
        if not -(2**63) <= v < 2**63:
            raise Unrepresentable("integer beyond 64 bits")
        return v
    if isinstance(v, float):
        return {"$float": repr(v)}
    if isinstance(v, dict):
        out = {}
        for key, value in v.items():
            if not isinstance(key, str):
                raise Unrepresentable("non-string dict key")
            assert key != "$float"
            out[key] = enc(value)
        return out
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    if isinstance(v, complex):
        raise Unrepresentable("complex")
    if hasattr(v, "__iter__"):
        return [enc(x) for x in v]
    raise Unrepresentable(type(v).__name__)


def single_expression_inner(source):
    """The inner expression when the whole source is exactly one `(@ … )`, else None."""
    try:
        tokens = list(ENV.lex(source))
    except jinja2.TemplateSyntaxError:
        return None
    if not tokens or tokens[0][1] != "variable_begin" or tokens[-1][1] != "variable_end":
        return None
    kinds = [t[1] for t in tokens]
    if kinds.count("variable_begin") != 1 or any(
        k in ("block_begin", "comment_begin", "data", "raw_begin") for k in kinds
    ):
        return None
    begin, end = tokens[0][2], tokens[-1][2]
    if not source.startswith(begin) or end not in (")", "-)"):
        return None
    return source[len(begin) : len(source) - len(end)]


def oracle(template, context_spec, allow_bigint=False):
    ctx = build_context(context_spec)
    inner = single_expression_inner(template)
    try:
        if inner is not None:
            result = ENV.compile_expression(inner, undefined_to_none=False)(**ctx)
            if allow_bigint and isinstance(result, int) and not -(2**63) <= result < 2**63:
                return {"bigint": str(result)}
            return {"value": enc(result)}
        # object reprs carry memory addresses: blank them so the output is deterministic
        text = ENV.from_string(template).render(**ctx)
        return {"text": re.sub(r" at 0x[0-9a-f]+", " at 0x...", text)}
    except Unrepresentable as e:
        if str(e) == "integer beyond 64 bits":
            raise AssertionError(f"bigint result must be listed in DELIBERATE_DIFFERENCES: {template!r}")
        return {"error": True}
    except Exception:  # any Jinja/Python failure is an expected error
        return {"error": True}


# ---------------------------------------------------------------------------------------------
# The corpus: (group, [templates]) or (group, [(template, context_overrides)]).
# Names are "<group>#<index>".
# ---------------------------------------------------------------------------------------------
GROUPS = [
    ("constant", [
        "plain text",
        "emoji 😀 and ünïcode",
        "a ) b % c @ d",
        "100% (sure)",
        "mail me@example.com (work)",
        "{{ jinja default delimiters }} {% if x %}",
        "{not a comment}",
        "trailing newline\n",
        "",
    ]),
    ("literal", [
        "(@ 1 )", "(@ -3 )", "(@ 1.5 )", "(@ 2.0 )", "(@ 1e3 )", "(@ 1_000 )", "(@ 0x1F )", "(@ 0o17 )",
        "(@ 0b101 )", "(@ 'it' 's' )", '(@ "dq" )', r"(@ 'a\nb' )", r"(@ 'tab\there' )",
        r"(@ '\x41\u00e9\U0001F600' )", r"(@ 'keep \d escape' )", "(@ true )", "(@ True )", "(@ false )",
        "(@ none )", "(@ None )", "(@ [1, 2, 3] )", "(@ [] )", "(@ {'a': 1, 'b': [1, 2]} )", "(@ {} )",
        "(@ [1, 'a', None, True, 2.5] )", "(@ [1, 2,] )", "(@ {'a': 1,} )", r"(@ 'q\'s' )",
        "(@ 1.5e-3 )", "(@ 12_3.4_5 )",
    ]),
    ("str_in_text", [
        "v=(@ True )", "v=(@ None )", "v=(@ 1.0 )", "v=(@ [1, 'a'] )", "v=(@ {'a': 1} )",
        "v=(@ flow.d )", "v=(@ flow.people[0] )", "v=(@ [1.0, 2.5e-10, -0.0] )", "v=(@ [none, true, false] )",
        "v=(@ {'a': {'b': [1, {'c': None}]}} )", "v=(@ flow.html )", r"v=(@ ['a\\b'] )",
        "v=(@ [\"it's\"] )", "v=(@ ['\"'] )", r"""v=(@ ["'\""] )""", r"v=(@ ['\t\x00\x7f\x85'] )",
        "v=(@ ['ü', '\u00a0', '\u200b', '😀'] )", "v=(@ flow.uni )", "v=(@ [flow.uni] )", "v=(@ flow.t )",
        "v=(@ flow.none )", "v=(@ flow.zero )", "v=(@ flow.empty )", "v=(@ {} )", "v=(@ [[], {}] )",
    ]),
    ("float_repr", [
        "x (@ 0.1 + 0.2 )", "x (@ 1e16 )", "x (@ 1e15 )", "x (@ 1e-5 )", "x (@ 0.0001 )", "x (@ 1/3 )",
        "x (@ 2/3 )", "x (@ 123456789.123 )", "x (@ 1e22 )", "x (@ 1.5e300 * 1e10 )", "x (@ -0.0 )",
        "x (@ 'nan' | float )", "x (@ '-inf' | float )", "x (@ -1e-7 )", "x (@ 5e-324 )",
        "x (@ 1.7976931348623157e308 )", "x (@ 100.0 )", "x (@ 12345678901234567.0 )", "x (@ 1e100 )",
        "x (@ 0.000123 )", "(@ 0.5 )", "(@ 1e16 )", "(@ flow.nan_str | float )", "(@ flow.big * 10 )",
    ]),
    ("arith", [
        "(@ 7 + 3 )", "(@ 7 - 10 )", "(@ 6 * 7 )", "(@ 7 / 2 )", "(@ 6 / 3 )", "(@ 7 // 2 )", "(@ -7 // 2 )",
        "(@ 7 // -2 )", "(@ -7 % 3 )", "(@ 7 % -3 )", "(@ -7 % -3 )", "(@ 7.5 // 2 )", "(@ -7.5 // 2 )",
        "(@ -7.5 % 2 )", "(@ 7.5 % -2 )", "(@ 2 ** 10 )", "(@ 2 ** -1 )", "(@ 2 ** 0.5 )", "(@ 2 ** 3 ** 2 )",
        "(@ -2 ** 2 )", "(@ 1 + 2 * 3 )", "(@ (1 + 2) * 3 )", "(@ 10 - 2 - 3 )", "(@ 2 * 3 % 4 )",
        "(@ 1 / 0 )", "(@ 1 // 0 )", "(@ 1 % 0 )", "(@ 1.0 / 0 )", "(@ 1.5 // 0 )", "(@ 'ab' + 'cd' )",
        "(@ 'ab' * 3 )", "(@ 3 * 'ab' )", "(@ 'ab' * -1 )", "(@ [1] + [2] )", "(@ [0] * 3 )", "(@ 'a' + 1 )",
        "(@ 1 + 'a' )", "(@ True + 1 )", "(@ True * 'x' )", "(@ 1 + 2.5 )", "(@ 3 - 0.5 )", "(@ - flow.n )",
        "(@ + flow.n )", "(@ -'a' )", "(@ 'a' ~ 1 ~ None ~ True ~ 1.0 )", "(@ flow.nums ~ '' )",
        "(@ flow.n ~ flow.name )", "(@ 1 + 2 ~ 3 )", "(@ 2 * 3 ~ 4 )", "(@ 10 ** 2 )", "(@ 0 ** 0 )",
        "(@ 0 ** -1 )", "(@ (-8) ** 0.5 )", "(@ 10.0 ** 400 )", "(@ flow.f * 2 )", "(@ flow.neg // 2 )",
        "(@ flow.neg % 3 )", "(@ [1, 2] - [1] )", "(@ {'a': 1} + {'b': 2} )", "(@ None + 1 )",
        "(@ 5 % 2.5 )", "(@ -0.0 // 1 )", "(@ 7 / -2 )", "(@ 2 ** 62 )",
    ]),
    ("compare", [
        "(@ 1 < 2 )", "(@ 2 < 1 )", "(@ 1 < 2 < 3 )", "(@ 3 > 2 > 2 )", "(@ 1 == 1.0 )", "(@ 1 != 1 )",
        "(@ 'a' < 'b' )", "(@ 'B' < 'a' )", "(@ [1, 2] < [1, 3] )", "(@ [1, 2] < [1, 2, 0] )", "(@ 1 < 'a' )",
        "(@ None == None )", "(@ None == 0 )", "(@ True == 1 )", "(@ 'a' == 'a' )", "(@ {'a': 1} == {'a': 1} )",
        "(@ [1, 2] == [1, 2] )", "(@ 1 <= 1 )", "(@ 2 >= 3 )", "(@ None < 1 )", "(@ 1 == 1 == 1 )",
        "(@ 1 < 2 > 0 )", "(@ 'abc' < 'abd' )", "(@ 'é' > 'z' )", "(@ 1 < 2 == True )", "(@ 'a' == 1 )",
        "(@ {'a': 1, 'b': 2} == {'b': 2, 'a': 1} )", "(@ [1, 'a'] < [1, 2] )", "(@ 2.5 > 2 )",
        "(@ flow.n > 3 )", "(@ user.age >= 18 )", "(@ 'nan' | float == 'nan' | float )",
    ]),
    ("membership", [
        "(@ 'a' in 'cat' )", "(@ 'x' in 'cat' )", "(@ '' in 'cat' )", "(@ 2 in [1, 2] )", "(@ 2.0 in [1, 2] )",
        "(@ 'a' in {'a': 1} )", "(@ 'b' not in {'a': 1} )", "(@ 1 in 'abc' )", "(@ 1 in 5 )", "(@ 'a' in flow.d )",
        "(@ flow.missing in [1] )", "(@ flow.missing in [] )", "(@ 1 in {'a': 1} )", "(@ 'vip' in user.tags )",
        "(@ [1] in [[1], 2] )", "(@ 'ell' in flow.uni )", "(@ not 'a' in 'abc' )",
    ]),
    ("logic", [
        "(@ 1 and 2 )", "(@ 0 and 2 )", "(@ 0 or 'x' )", "(@ '' or [] )", "(@ not 0 )", "(@ not [1] )",
        "(@ None or none )", "(@ 1 or flow.missing )", "(@ flow.missing or 1 )", "(@ 0 and flow.missing )",
        "(@ true and flow.missing )", "(@ not flow.missing )", "(@ not 1 == 2 )", "(@ 1 or 0 and 0 )",
        "(@ (1 or 0) and 0 )", "(@ not 1 and 0 )", "(@ 1 + 2 == 3 )", "(@ 1 + 2 | string )",
        "(@ (1 + 2) | string )", "(@ -5 | abs )", "(@ - flow.n | abs )", "(@ 'a' ~ 'b' | upper )",
        "(@ 2 ** 2 | string )", "(@ not flow.n is defined )", "(@ user.missing or 'anon' )",
    ]),
    ("condexpr", [
        "(@ 1 if true else 2 )", "(@ 1 if 0 else 2 )", "(@ 'a' if flow.n > 3 else 'b' )", "(@ 'x' if false )",
        "[(@ 'x' if false )]", "(@ 1 if 0 else 2 if 0 else 3 )",
        "(@ 'yes' if flow.missing is defined else 'no' )", "(@ flow.missing if true else 1 )",
        "(@ 1 if flow.missing else 2 )", "(@ ('x' if false) | default('d') )", "[(@ ('x' if false) ~ 'y' )]",
        "(@ ('x' if false) is defined )", "[(@ ('x' if false) | upper )]", "[(@ ('x' if false) | length )]",
        "(@ ('x' if false) + 1 )", "[(% for c in ('x' if false) %)(@ c )(% endfor %)]",
        "(@ 'a' if 1 is odd else 'b' )",
    ]),
    ("access", [
        "(@ flow.nested.x.y )", "(@ flow['nested']['x'] )", "(@ flow.nums[0] )", "(@ flow.nums[-1] )",
        "(@ flow.nums.1 )", "(@ flow.nums[5] )", "(@ flow.nums[5] is defined )", "(@ flow.name[0] )",
        "(@ flow.name[-1] )", "(@ flow.uni[1] )", "(@ flow.nums[1:] )", "(@ flow.nums[:2] )",
        "(@ flow.nums[::-1] )", "(@ flow.name[1:3] )", "(@ flow.name[::-1] )", "(@ flow.nums[-2:] )",
        "(@ flow.nums[::2] )", "(@ flow.nums[10:] )", "(@ flow.d['a'] )", "(@ flow.d.a )", "(@ flow.d[flow.k] )",
        "(@ flow.nums[true] )", "(@ flow.missing.x )", "(@ flow.none.x )", "(@ flow.none.x is defined )",
        "(@ flow.n.x is defined )", "(@ flow.nums['a'] is defined )", "(@ flow.d[0] is defined )",
        "(@ flow.people[1].name )", "(@ flow.people[-1]['age'] )", "(@ flow.result)", "(@ flow.nums[1:2:0] )",
        "(@ flow.nums[0:3:-1] )", "(@ flow.uni[-5:] )", "(@ flow.nums['1':] is defined )",
        "(@ config.support.phone )", "(@ vault.api_key | length )", "(@ flow )",
    ]),
    ("undefined", [
        "(@ flow.missing )", "[(@ flow.missing )]", "(@ flow.missing is defined )", "(@ flow.missing is undefined )",
        "(@ flow.missing | default('d') )", "(@ flow.missing | d('d') )", "(@ flow.missing is none )",
        "(@ flow.missing == None )", "(@ flow.missing != 1 )", "(@ flow.missing | string )",
        "(@ flow.missing | length )", "(@ flow.missing ~ 'x' )", "(@ flow.missing + 1 )",
        "(% for x in flow.missing %)(% endfor %)", "(% if flow.missing %)a(% endif %)", "(@ missing_name )",
        "(@ missing_name is defined )", "(@ missing_name.x )", "(@ missing_name.x is defined )",
        "(@ flow.missing | upper )", "(@ flow.missing | int )", "(@ flow.missing | float )",
        "(@ flow.missing | tojson )", "(@ flow.missing | first )", "(@ flow.missing[0] )",
        "(@ flow.missing is number )", "(@ flow.missing is string )", "(@ flow.missing is mapping )",
        "(@ flow.missing is sequence )", "(@ flow.missing is odd )", "(@ [1, 2] | first(flow.missing) )",
        "(@ 'x' | default(flow.missing) )", "(@ flow.missing.upper() )",
    ]),
    ("lenient_scopes", [
        "(@ user.missing )", "[(@ user.missing )]", "(@ user.missing is defined )", "(@ user.missing is none )",
        "(@ user.missing | default('d') )", "(@ user.missing | default('d', true) )", "(@ user.missing.x )",
        "(@ user.missing.x is defined )", "(@ user['missing'] )", "(@ user.name )", "(@ user.tags[0] )",
        "(@ user.tags[5] )", "(@ thread.missing )", "(@ user )", "(@ thread.mode == 'bot' )",
        "(% if user.vip %)vip(% else %)regular(% endif %)", "(@ user.profile.x )", "(@ user.profile.x is defined )",
        "(@ user.get('name') )", "(@ user.get('missing', 'dflt') )", "(@ thread.mode == 'bot' and user.vip )",
        "(% for x in user.missing %)(% endfor %)", "(@ user.missing ~ '!' )", "(@ user.missing == None )",
        "Hi (@ user.nickname | default('there', true) )!",
    ]),
    ("filter_default", [
        "(@ flow.missing | default )", "(@ flow.name | default('x') )", "(@ flow.none | default('x') )",
        "(@ flow.none | default('x', true) )", "(@ flow.zero | default(5, boolean=true) )",
        "(@ flow.empty | d('none') )", "(@ flow.empty | d('none', true) )", "(@ flow.missing | default(flow.name) )",
        "(@ flow.missing | default(flow.other_missing) )", "(@ flow.missing | default(1) + 1 )",
        "(@ flow.missing | default(default_value=3) )", "(@ flow.missing | default(1, 2, 3) )",
        "(@ user.name | default('friend') | upper | trim )",
    ]),
    ("filter_string", [
        "(@ 'hello World' | upper )", "(@ 'ÄbC' | lower )", "(@ 'straße' | upper )", "(@ 5 | upper )",
        "(@ None | lower )", "(@ \"hello world-foo (bar) [baz] {q} <t> it's\" | title )", "(@ 'hELLO wORLD' | title )",
        "(@ 'mIxed CASE' | capitalize )", "(@ '' | capitalize )", "(@ '  x  ' | trim )", "(@ 'xxhixx' | trim('x') )",
        r"(@ '\t\n a b \n' | trim )", "(@ flow.s | trim | upper )", "(@ 123 | trim )", "(@ 'ǆemal' | capitalize )",
        "(@ 'a\u00a0' | trim )", "(@ 1.5 | upper )", "(@ [1] | upper )", "(@ 'éCOLE' | title )",
        "(@ 'x' | upper(1) )", "(@ 'HeLLo' | lower | capitalize )",
    ]),
    ("filter_length", [
        "(@ 'héllo' | length )", "(@ [1, 2] | count )", "(@ {'a': 1} | length )", "(@ 5 | length )",
        "(@ none | length )", "(@ '' | length )", "(@ '😀' | length )", "(@ flow.people | length )",
    ]),
    ("filter_join", [
        "(@ [1, 2, 3] | join )", "(@ [1, 2, 3] | join(', ') )", "(@ flow.people | join(', ', attribute='name') )",
        "(@ 'abc' | join('-') )", "(@ {'a': 1, 'b': 2} | join(',') )", "(@ [None, True, 1.5] | join('|') )",
        "(@ [] | join(',') )", "(@ 5 | join )", "(@ [[1, 2], 'x'] | join(';') )", "(@ [1, 2] | join(d=0) )",
    ]),
    ("filter_int", [
        "(@ '42' | int )", "(@ ' 42 ' | int )", "(@ '4.7' | int )", "(@ '-4.7' | int )", "(@ 'abc' | int )",
        "(@ 'abc' | int(7) )", "(@ 'abc' | int(default=9) )", "(@ 3.99 | int )", "(@ -3.99 | int )",
        "(@ True | int )", "(@ None | int )", "(@ '1_000' | int )", "(@ '1e3' | int )", "(@ '0x1A' | int(0, 16) )",
        "(@ 'ff' | int(base=16) )", "(@ '5' | int(0, 1) )", "(@ 'ff' | int(7, 1) )", "(@ '5' | int(0, 37) )",
        "(@ '5' | int(0, -2) )", "(@ 'abc' | center(-9223372036854775807 - 1) )", "(@ '%.*s' % (-1, 'abc') )",
        "(@ '%.*d' % (-1, 5) )", "(@ '%.*f' % (-1, 5.5) )", "(@ '%*s|' % (-3, 'a') )", "(@ [1] | int )", "(@ 'nan' | int )", "(@ 'inf' | int )", "(@ '' | int )",
        "(@ '+5' | int )", "(@ '1__0' | int )", "(@ flow.num_str | int + 1 )",
    ]),
    ("filter_float", [
        "(@ '3.75' | float )", "(@ '1e3' | float )", "(@ 'abc' | float )", "(@ 'abc' | float(1.5) )", "(@ 2 | float )",
        "(@ ' -2.5 ' | float )", "(@ flow.inf_str | float )", "(@ '.5' | float )", "(@ '5.' | float )", "(@ None | float )",
        "(@ True | float )", "(@ '1_0.5' | float )", "(@ '0x10' | float )", "(@ flow.inf_word | float )",
        "(@ flow.float_str | float * 2 )",
    ]),
    ("filter_tostring", [
        "(@ 1.0 | string )", "(@ [1, 'a'] | string )", "(@ None | string )", "(@ True | string )",
        "(@ {'a': None} | string )", "(@ 1e16 | string )", "(@ -0.5 | string )",
    ]),
    ("filter_round", [
        "(@ 2.5 | round )", "(@ 3.5 | round )", "(@ 2.675 | round(2) )", "(@ 1.23456 | round(3) )",
        "(@ 2.1 | round(method='ceil') )", "(@ 2.9 | round(0, 'floor') )", "(@ -2.5 | round )", "(@ 5 | round )",
        "(@ 1234 | round(-2) )", "(@ 1250 | round(-2) )", "(@ 1350 | round(-2) )", "(@ 1234.5 | round(-2) )",
        "(@ 7 | round(method='ceil') )", "(@ 2.345 | round(2, 'ceil') )", "(@ 'x' | round )",
        "(@ 2.5 | round(method='up') )", "(@ 0.5 | round )", "(@ 1.5 | round )", "(@ -0.4 | round )",
        "(@ 12.5 | round(-1) )", "(@ 15 | round(-1) )", "(@ flow.order.total | round(1) )", "(@ -2.345 | round(2, 'floor') )",
        "(@ 1.005 | round(2) )", "(@ True | round )",
    ]),
    ("filter_first_last", [
        "(@ [1, 2, 3] | first )", "(@ [1, 2, 3] | last )", "(@ 'abc' | first )", "(@ 'abc' | last )", "(@ [] | first )",
        "(@ [] | first is defined )", "(@ {'a': 1, 'b': 2} | first )", "(@ {'a': 1, 'b': 2} | last )", "(@ 5 | first )",
        "(@ [] | first | default('none') )", "(@ flow.people | last )",
    ]),
    ("filter_replace", [
        "(@ 'hello' | replace('l', 'L') )", "(@ 'hello' | replace('l', 'L', 1) )", "(@ 'abc' | replace('', '-') )",
        "(@ 'aaa' | replace('a', 'b', 2) )", "(@ 123 | replace('2', 'x') )", "(@ 'a.b.c' | replace('.', '') )",
        "(@ 'hello' | replace('x', 'y') )", "(@ 'hello' | replace('l') )", "(@ 'abc' | replace('', '-', 2) )",
        "(@ 'héllo' | replace('é', 'e') )", "(@ 'abc' | replace('b', 1) )",
    ]),
    ("filter_tojson", [
        "(@ {'b': 1, 'a': [1, 2.5, None, True]} | tojson )", r"""(@ '<a href="x">&\'' | tojson )""",
        "(@ 'héllo 😀' | tojson )", r"""(@ "line\nbreak\ttab\"q\\" | tojson )""", "(@ 1.0 | tojson )",
        "(@ {'a': {'c': 1, 'b': 2}} | tojson(indent=2) )", "(@ [] | tojson )", "(@ {} | tojson )",
        "(@ flow.people | tojson )", "(@ 'inf' | float | tojson )", "(@ none | tojson )", "(@ 1e16 | tojson )",
        r"(@ '\x01\x7f' | tojson )", "(@ [1, [2, [3]]] | tojson(2) )", "x=(@ flow.d | tojson )",
        "(@ {'B': 1, 'a': 2, 'Á': 3} | tojson )",
    ]),
    ("filter_misc", [
        "(@ -5 | abs )", "(@ -2.5 | abs )", "(@ 'x' | abs )", "(@ True | abs )", "(@ 'abc' | list )",
        "(@ {'a': 1} | list )", "(@ 5 | list )", "(@ [1] | list )", "(@ 'abc' | reverse )", "(@ [1, 2, 3] | reverse )",
        "[(@ [1, 2, 3] | reverse | list )]", "(@ {'a': 1, 'b': 2} | reverse | list )", "(@ 5 | reverse )",
        "(@ 'Hello, world! How are you?' | wordcount )", "(@ '' | wordcount )", "(@ 'snake_case words 123' | wordcount )",
        "(@ 'ab' | center(6) )", "(@ 'abc' | center(6) )", "(@ 'abc' | center(7) )", "(@ 'ab' | center(5) )",
        "(@ 'abc' | center(2) )", r"(@ 'a\nb\n\nc' | indent )", r"(@ 'a\nb' | indent(2, true) )",
        r"(@ 'a\n\nb' | indent(2, blank=true) )", r"(@ 'a\nb' | indent('> ') )", "(@ '<b>' | safe )",
        r"""(@ '<b>"x" & \'y\'' | escape )""", "(@ '<b>' | e )", "(@ 5 | escape )",
        "(@ '<p>Hello <b>World</b></p>  <!-- c --> x &amp; y' | striptags )", "(@ 'a b/c?d=é' | urlencode )",
        "(@ {'q': 'a b', 'n': 1} | urlencode )", "(@ 1 | nosuch )", "(@ 'a' | replace )",
    ]),
    ("filter_truncate", [
        "(@ 'The quick brown fox jumps over the lazy dog' | truncate(20) )", "(@ 'short' | truncate(10) )",
        "(@ 'The quick brown fox' | truncate(10, true, '>>') )", "(@ 'abcdefghijklmnop' | truncate(10, leeway=0) )",
        "(@ 'abcdefghijkl' | truncate(10) )", "(@ 'x' | truncate(2, end='...') )",
        "(@ 'The quick brown fox jumps' | truncate(12, killwords=true) )",
    ]),
    ("filter_collections", [
        "(@ [3, 1, 2] | sort )", "(@ [3, 1, 2] | sort(reverse=true) )", "(@ ['b', 'C', 'a'] | sort )",
        "(@ ['b', 'C', 'a'] | sort(case_sensitive=true) )",
        "(@ flow.people | sort(attribute='age') | map(attribute='name') | join(',') )",
        "(@ flow.people | sort(attribute='name') | map(attribute='name') | list )", "(@ [1, 'a'] | sort )",
        "(@ [2.5, 1, True] | sort )", "(@ [[2, 1], [1, 2]] | sort )", "(@ ['a', 'B', 'b', 'A'] | sort )",
        "(@ ['a', 'B', 'b', 'A'] | sort(reverse=true) )", "(@ [3, 1, 2] | min )", "(@ [3, 1, 2] | max )",
        "(@ ['b', 'A', 'c'] | min )", "(@ ['b', 'A', 'c'] | max )", "(@ ['b', 'A', 'C'] | max(case_sensitive=true) )",
        "(@ flow.people | max(attribute='age') )", "(@ [] | min )", "(@ 'hello' | max )", "(@ [1, 2, 3] | sum )",
        "(@ [1, 2.5] | sum )", "(@ flow.people | sum(attribute='age') )", "(@ [1, 2] | sum(start=10) )",
        "(@ [[1], [2]] | sum(start=[]) )", "(@ ['a'] | sum )", "(@ [] | sum )", "(@ [1, 2, 1, 3, 2] | unique | list )",
        "(@ ['a', 'A', 'b'] | unique | list )", "(@ ['a', 'A', 'b'] | unique(case_sensitive=true) | list )",
        "(@ [1, 1.0, True] | unique | list )", "(@ flow.people | unique(attribute='age') | list | length )",
        "(@ [[1], [1]] | unique | list )", "(@ {'a': 1, 'b': 2} | items | list )", "(@ {'b': 1, 'a': 2, 'C': 0} | dictsort )",
        "(@ {'b': 1, 'a': 2} | dictsort(by='value') )", "(@ {'b': 1, 'a': 2} | dictsort(reverse=true) )",
        "(@ {'b': 1, 'a': 2, 'C': 0} | dictsort(true) )", "(@ [1, 2, 3, 4, 5] | batch(2) | list )",
        "(@ [1, 2, 3] | batch(2, 0) | list )", "(@ ['a', 'b'] | map('upper') | list )",
        "(@ flow.people | map(attribute='name') | join(',') )", "(@ flow.people | map(attribute='zip', default='?') | list )",
        "(@ ['1', '2'] | map('int') | sum )", "(@ [1.234, 2.345] | map('round', 1) | list )",
        "(@ ['a'] | map('nonexistent') | list )", "(@ [1, 2, 3, 4] | select('odd') | list )",
        "(@ [1, 2, 3, 4] | reject('odd') | list )", "(@ [0, 1, '', 'a', None] | select | list )",
        "(@ [1, 2, 3] | select('equalto', 2) | list )", "(@ [1, 2, 3] | select('>', 1) | list )",
        "(@ [1, 2, 3] | select('in', [1, 3]) | list )", "(@ [5, 10, 15] | select('divisibleby', 5) | list )",
        "(@ flow.people | selectattr('age', '>', 28) | map(attribute='name') | list )",
        "(@ flow.people | rejectattr('age', 'equalto', 30) | map(attribute='name') | list )",
        "(@ [{'a': 1}, {'a': 0}] | selectattr('a') | list )", "(@ flow.order.lines | map(attribute='sku') | join(', ') )",
        "(@ flow.order.lines | sum(attribute='qty') )", "(@ [{'a': {'b': 2}}, {'a': {'b': 1}}] | sort(attribute='a.b') )",
        "(@ [[1, 'x'], [0, 'y']] | sort(attribute='0') )", "(@ {'a': 1} | items )", "(@ [1, 2] | items )",
    ]),
    ("format", [
        "(@ '%s is %d' | format('Ana', 30) )", "(@ '%.2f' | format(3.14159) )", "(@ '%(a)s-%(b)s' | format(a=1, b=2) )",
        "(@ '%5s|%-5s|' | format('a', 'b') )", "(@ '%05d' | format(42) )", "(@ '%x %o %X' | format(255, 8, 255) )",
        "(@ '%s' | format([1, 2]) )", "(@ '%d' | format('x') )", "(@ '%s %s' | format('a') )", "(@ '%s!' % 'hi' )",
        "(@ '%s-%s' % ('a', 'b') )", "(@ '%.1f%%' % 12.345 )", "(@ '%5.1f' % 3.14159 )", "(@ '%e' % 12345.678 )",
        "(@ '%g' % 0.00001 )", "(@ '%r' % 'x' )", "(@ '%s' % None )", "(@ '%i' % 3.9 )", "(@ '%+d' % 5 )",
        "(@ '%c' % 65 )", "(@ '%s' % 'a' % 'b' )", "Total: $(@ '%.2f' % flow.order.total )",
        "(@ '%#x' % 255 )", "(@ '%-6.2f|' % 2.5 )", "(@ '%s' % [1, 2] )", "(@ 'a' % flow.words )",
        "(@ '%s %s' % [1, 2] )", "(@ '%(a)s' % {'a': 1} )", "(@ '%s' % {'a': 1} )", "(@ 'x' % {'a': 1} )",
        "(@ '%s' % (1,) )", "(@ '%s %s' % (1,) )", "(@ '' % () )", "(@ 'x' % 5 )",
    ]),
    ("tests", [
        "(@ 1 is number )", "(@ 1.5 is number )", "(@ True is number )", "(@ 'a' is number )", "(@ 'a' is string )",
        "(@ {} is mapping )", "(@ [] is mapping )", "(@ [] is sequence )", "(@ 'a' is sequence )", "(@ 1 is sequence )",
        "(@ {} is sequence )", "(@ 3 is odd )", "(@ 4 is even )", "(@ 3.0 is odd )", "(@ 'a' is odd )",
        "(@ 10 is divisibleby 5 )", "(@ 10 is divisibleby(3) )", "(@ none is none )", "(@ 0 is none )",
        "(@ 1 is not none )", "(@ 1 is eq 1 )", "(@ 1 is equalto 1.0 )", "(@ 2 is gt 1 )", "(@ 2 is lessthan 1 )",
        "(@ 2 is in [1, 2] )", "(@ True is true )", "(@ 1 is true )", "(@ False is false )", "(@ True is boolean )",
        "(@ 1 is integer )", "(@ True is integer )", "(@ 1.0 is float )", "(@ 'abc' is lower )", "(@ 'ABC' is upper )",
        "(@ 'Abc' is lower )", "(@ '123' is lower )", "(@ none is sameas none )", "(@ true is sameas true )",
        "(@ [] is iterable )", "(@ 1 is iterable )", "(@ 1 is nosuchtest )", "(@ 1 is defined and 2 )",
        "(@ flow.missing is not defined )", "(@ 1 is defined is defined )", "(@ 3 is divisibleby 0 )", "(@ 2 is ne 3 )",
        "(@ 2 is ge 2 )", "(@ 2 is le 1 )", "(@ 'ab' is in 'cab' )", "(@ flow.people is sequence )",
        "(@ flow.d is mapping )", "(@ 1 is odd is defined )", "(@ 1 is divisibleby )",
    ]),
    ("methods", [
        "(@ 'Hello'.upper() )", "(@ flow.name.lower() )", "(@ '  x '.strip() )", "(@ 'xxaxx'.strip('x') )",
        "(@ 'abc'.startswith('ab') )", "(@ 'abc'.endswith(('x', 'c')) )", "(@ 'a,b,,c'.split(',') )",
        "(@ ' a  b '.split() )", "(@ 'a b c'.split(' ', 1) )", "(@ 'hello'.replace('l', 'L') )",
        "(@ 'hello world'.title() )", "(@ \"they're bill's\".title() )", "(@ 'hELLO'.capitalize() )",
        "(@ '-'.join(['a', 'b']) )", "(@ 'banana'.count('a') )", "(@ 'banana'.find('n') )", "(@ '123'.isdigit() )",
        "(@ 'abc'.isalpha() )", "(@ '{} and {}'.format('a', 'b') )", "(@ '{0}{1}{0}'.format('a', 'b') )",
        "(@ '{name}!'.format(name='Ana') )", "(@ flow.d.get('a') )", "(@ flow.d.get('zz') )", "(@ flow.d.get('zz', 0) )",
        "(@ flow.d.keys() | list )", "(@ flow.d.values() | list )", "(@ flow.d.items() | list )",
        "(@ flow.nums.index(2) )", "(@ flow.nums.count(3) )", "(@ flow.name.nosuch() )", "(@ flow.nums.index(99) )",
        "(% for k, v in flow.d.items() %)(@ k )=(@ v ) (% endfor %)", "(@ 'a-b-c'.split('-', 1) )",
        "(@ '  lead'.lstrip() )", "(@ 'trail  '.rstrip() )", "(@ 'x'.upper(1) )", "(@ 'abc'.startswith('b') )",
        "(@ 'abc'.find('') )", "(@ 'ab'.count('') )", "(@ 5.upper() )", "(@ (5).upper() )",
    ]),
    ("loops", [
        "(% for x in [1, 2, 3] %)(@ x )(% endfor %)",
        "(% for x in 'ab' %)(@ loop.index )(@ loop.index0 )(@ loop.first )(@ loop.last )(@ loop.length )(@ loop.revindex )(@ loop.revindex0 );(% endfor %)",
        "(% for x in [] %)x(% else %)empty(% endfor %)", "(% for x in flow.empty %)x(% else %)none(% endfor %)",
        "(% for x in range(10) if x is odd %)(@ x )(@ ',' if not loop.last )(% endfor %)",
        "(% for a in [1, 2] %)(% for b in 'xy' %)(@ a )(@ b )(@ loop.depth )(@ loop.index ) (% endfor %)(@ loop.index )|(% endfor %)",
        "(% for k in flow.d %)(@ k )(% endfor %)", "(% for a, b in [[1, 2], [3, 4]] %)(@ a + b ),(% endfor %)",
        "(% for a, b in ['xy', 'zw'] %)(@ b )(% endfor %)", "(% for a, b in [[1, 2, 3]] %)(% endfor %)",
        "(% for x in range(5) %)(@ loop.cycle('odd', 'even') ) (% endfor %)",
        "(% for x in [1, 2, 3] %)(@ loop.previtem | default('-') )(@ loop.nextitem | default('-') ) (% endfor %)",
        "(% for x in 5 %)(% endfor %)", "(% for x in none %)(% endfor %)",
        "(% for x in flow.people %)(@ x.name )(@ ', ' if not loop.last )(% endfor %)", "(% for i in range(3) %)(@ i )(% endfor %)",
        "(@ range(2, 10, 3) | list )", "(@ range(5, 0, -2) | list )", "(@ range(0) | list )", "(@ range(3) | sum )",
        "(@ range(1, 4) | join(',') )", "(% for x in [] if x %)a(% else %)b(% endfor %)",
        "(% for x in [0, 1, 2] if x %)(@ loop.index )/(@ loop.length ) (% endfor %)",
        "(% for (a, b) in [[1, 2]] %)(@ a )(@ b )(% endfor %)", "(% for x in [1, 2] %)(@ loop )(% endfor %)",
        "(% for x in flow.d | dictsort %)(@ x[0] )(% endfor %)", "(% for x in [1] %)(@ loop.depth0 )(% endfor %)",
        "(% for x in range(3) %)(@ loop.changed(x) )(% endfor %)", "(@ range(1, 2, 0) | list )",
        "(% for x in [[1, 2]] %)(% for y in x %)(@ y )(% endfor %)(% endfor %)",
        "(% for x in [1, 2] %)(@ x )(% else %)never(% endfor %)", "(@ loop.index )",
    ]),
    ("set_scope", [
        "(% set x = 1 %)(% for i in [1] %)(% set x = 2 %)(@ x )(% endfor %)(@ x )", "(% set x = 5 %)(@ x * 2 )",
        "(% set a, b = 1, 2 %)(@ a )(@ b )", "(% set a, b = [3, 4] %)(@ a + b )",
        "(% if true %)(% set y = 'in' %)(% endif %)(@ y )", "(% for i in [1, 2] %)(% set t = i %)(% endfor %)(@ t is defined )",
        "(% set x %)captured (@ 1 + 1 )(% endset %)[(@ x )]", "(% set x | upper %)abc(% endset %)(@ x )",
        "(% set flow = 1 %)(@ flow )", "(% for i in [1, 2] %)(@ x )(% set x = i %)(@ x )(% endfor %)",
        "(% for i in [1, 2] %)(% if i == 2 %)(@ x )(% endif %)(% set x = i %)(% endfor %)",
        "(% with a = 1, b = 2 %)(@ a + b )(% endwith %)(@ a is defined )", "(% filter upper %)hello (@ user.name )(% endfilter %)",
        "(% set x = flow.missing %)(@ x is defined )", "(% set x = flow.missing %)(@ x )", "(% set a, b = [1] %)",
        "(% set x = [1, 2] %)(% for y in x %)(@ y )(% endfor %)",
        "(% set x = 1 %)(% set x = x + 1 %)(@ x )", "(% set user = {'name': 'Bo'} %)(@ user.missing is defined )",
    ]),
    ("if", [
        "(% if 2 > 3 %)a(% elif 2 > 1 %)b(% else %)c(% endif %)", "(% if 0 %)a(% elif 0 %)b(% else %)c(% endif %)",
        "(% if 1 %)a(% endif %)", "(% if 0 %)a(% endif %)", "(% if 1 %)(% if 0 %)x(% else %)y(% endif %)z(% endif %)",
        "(% if user.missing %)y(% else %)n(% endif %)", "(% if flow.missing is defined and flow.missing > 1 %)y(% else %)n(% endif %)",
        "(% if [] %)y(% else %)n(% endif %)", "(% if {} %)y(% else %)n(% endif %)", "(% if '0' %)y(% endif %)",
        "(% if 0.0 %)y(% else %)n(% endif %)", "(% if flow.n > 3 %)big(% elif flow.n > 1 %)mid(% else %)small(% endif %)",
        "(% if 1 %)x", "(% endif %)", "(% if %)(% endif %)", "(% for x in %)(% endfor %)", "(% foo %)",
        "(% if 1 %)(% else %)(% else %)(% endif %)", "(% if 1 %)a(% elif %)b(% endif %)", "(% if 1, 0 %)t(% endif %)",
        "(% if 1 if 1 else 0 %)t(% endif %)", "(% if 1: %)t(% endif %)",
    ]),
    ("whitespace", [
        "a  (@- 'x' -)  b", "a (@ 'x' -)   b", "a  (%- if true -%)  b  (%- endif -%)  c",
        "line1\n  (%- if true %)\nx\n(%- endif %)\nend", "a {#- comment -#} b", "a {# comment #} b", "a {#+ c +#} b",
        "(@+ 'x' )", "hello\n", "(@ 1 )\n", "a\r\nb(@ 1 )", "<ul>\n(% for x in [1, 2] %)  <li>(@ x )</li>\n(% endfor %)</ul>\n",
        "a\n(% if true +%)\nb", "(@ 1 -)\n\n", "x\t(%- set y = 1 -%)\t\ny(@ y )", "(@- 1 -)",
        "a (@ 'x' )\n\nb", "  (%- raw -%)  r  (%- endraw -%)  ",
    ]),
    ("comments_raw", [
        "{# (@ not parsed ) #}ok", "a{# multi\nline #}b", "{# unclosed", "(@ 1 ){# c #}", "(% raw %)(@ not evaluated )(% endraw %)",
        "(% raw %)x", "{# a #}{# b #}c", "(% raw %)(% if %)(% endraw %)", "a{##}b", "a{#", "a(% raw %)",
        "a{#-", "a(%- raw -%)  ", "{# x #} (@ 1 )",
    ]),
    ("brackets", [
        "(@ (1 + 2) * 3 )", "(@ [1, (2, 3)] )", "(@ {'a': (1)} )", "(@ range(3) | list)", "a (@ (1) )b", "(@ 'a)' )",
        "(@ ')' )", "(@ (1 )", "(@ 1) )", "(@ 1 ]", "(@ [1, 2)] )", "(% if (1 + 1) == 2 %)y(% endif %)",
        "(@ {'k': [1, {'j': (2)}]} )", "(@ ((((1)))) )", "(@ flow.name.upper())", "(@ ((1 + 2) * (3 + 4)) )",
        "((@ 1 ))", "(@ (1, 2) )", "(@ () )", "(@ (1,) )", "(@ [1, [2, [3, [4]]]] )", "(@ {'a': {'b': {'c': 1}}} )",
        "a)(@ 1 )(b", "(@ 1 )(@ 2 )", "(@(1))", "(% set x = (1) %)(@x)",
    ]),
    ("unicode", [
        "Grüße, (@ user.name )! 😀", "(@ 'é' ~ 'ü' | upper )", "(@ flow.uni | upper )", "(@ flow.uni | length )",
        "(@ flow.uni[::-1] )", "(@ 'naïve café' | title )", "(@ '日本語' | length )", "(@ ['ü', '\u00a0'] | string )",
        "日本 (@ '語' )", "(@ 'ß' | capitalize )", "(@ 'İ' | lower | length )",
    ]),
    ("syntax_errors", [
        "(@ )", "(@ 1 + )", "(@ 1 2 )", "(@ 'unterminated )", "(@ x.  )", "(@ [1, 2 )", "(@ 1 === 2 )",
        "(@ a ! b )", "(@ $ )", "(@ 1 |  )", "(@ 01 )", "(% set %)", "(% set 1 = 2 %)", "(% for in x %)",
        "(% for x in [1] %)", "(@ 1 if )", "(@ not )", "(@ 'a' 1 )", "(@ {'a' 1} )", "(@ x is )", "(@ flow.name.upper( )",
        "(@ 1 )(@", "(@ * )", "(@ a.b. )", "(@ [1,,2] )", "(@ {1} )", "(@ f(a=1, 2) )", "(@ 'x'(1) )",
        "(% include 'x' %)", "(% endfor %)", "(@ 1 ; 2 )", "(@ x = 1 )",
        r"(@ '\x4' )", r"(@ '\N{DASH}' )", "(@ 1 is )", "(@ (1 + ) )",
    ]),
    ("meya", [
        "Hi (@ user.first_name | default('there') )! Your order #(@ flow.order.id ) is (@ flow.order.status | upper ).",
        "(@ flow.order.total | round(2) )", "(@ '%.2f' | format(flow.order.total) )", "(@ flow.order.lines | length > 0 )",
        "(@ thread.mode == 'bot' and not user.vip )", "(@ (flow.order.total * 1.13) | round(2) )", "(@ flow.order )",
        "(@ flow.order.lines )", "(@ flow.order.lines[0].sku )", "(@ config.support.phone | replace(' ', '') )",
        "Call (@ config.support.phone ) now", "(@ flow.order.status in ['shipped', 'delivered'] )",
        "(% if flow.order.status == 'shipped' %)On its way(% else %)Processing(% endif %)",
        "(@ user.age >= 18 and user.age < 65 )", "(@ flow.order.lines | selectattr('qty', 'gt', 1) | list | length )",
        "(@ flow.order.id ~ '-' ~ flow.order.lines | length )", "(@ flow.missing_key | default(none) )",
        "(@ user.tags | join(', ') | default('no tags', true) )", " (@ 1 )", "(@ 1 ) ",
    ]),
]

# ---------------------------------------------------------------------------------------------
# DELIBERATE_DIFFERENCES: cases where Parley intentionally differs from Jinja2.
# Each entry: (name, template, context_overrides_or_None, parley_expectation, why).
# They are written to the corpus with Jinja's result under "expect" and Parley's under "parley".
# Keep docs/templates.md ("Differences from Jinja") in sync with this list.
# ---------------------------------------------------------------------------------------------
DELIBERATE_DIFFERENCES = [
    ("diff.tuple_prints_as_list", "v=(@ (1, 2) )", None, {"text": "v=[1, 2]"},
     "Parley has no tuple type: tuples are lists and print as lists"),
    ("diff.range_is_list", "v=(@ range(3) )", None, {"text": "v=[0, 1, 2]"},
     "range() returns a list, not a lazy range object"),
    ("diff.reverse_is_list", "v=(@ [1, 2, 3] | reverse )", None, {"text": "v=[3, 2, 1]"},
     "filters that return iterators in Jinja (reverse, unique, map, select, …) return lists"),
    ("diff.dict_keys_is_list", "v=(@ {'a': 1}.keys() )", None, {"text": "v=['a']"},
     "dict.keys()/values()/items() return lists"),
    ("diff.dict_items_tuples", "v=(@ {'a': 1} | dictsort )", None, {"text": "v=[['a', 1]]"},
     "pairs are lists, not tuples"),
    ("diff.int_overflow_add", "(@ 9223372036854775807 + 1 )", None, {"error": True},
     "integers are 64-bit; overflow is a render error instead of a Python bigint"),
    ("diff.int_overflow_pow", "(@ 2 ** 64 )", None, {"error": True},
     "integers are 64-bit; overflow is a render error instead of a Python bigint"),
    ("diff.int_literal_too_large", "(@ 99999999999999999999 )", None, {"error": True},
     "integer literals beyond 64 bits are a syntax error"),
    ("diff.dict_literal_int_key", "v=(@ {1: 'a'} )", None, {"error": True},
     "map keys are strings only (YAML/JSON data); a non-string key in a dict literal is a render error"),
    ("diff.undefined_in_list_literal", "v=(@ [flow.missing] )", None, {"error": True},
     "an undefined value cannot be stored in a list or dict literal (Jinja prints [Undefined])"),
    ("diff.dict_key_beats_method", "(@ flow.items )", {"flow": {"items": [1, 2]}}, {"value": [1, 2]},
     "attribute syntax on a dict reads the key first; Jinja returns the dict method `items`"),
    ("diff.dict_method_attr", "(@ flow.keys is defined )", None, {"value": False},
     "methods are only reachable by calling them; `d.keys` without a call is undefined"),
    ("diff.unknown_filter_dead_branch", "(% if false %)(@ 1 | nosuch )(% endif %)ok", None, {"error": True},
     "unknown filters and tests are syntax errors even in branches that never run"),
    ("diff.percent_tuple_variable", "(% set t = ('a', 'b') %)(@ '%s-%s' % t )", None, {"error": True},
     "only a tuple written right of `%` is the argument tuple; a tuple stored in a variable is a list"),
    ("diff.negative_literal_pow", "(@ -2 ** flow.zero )", None, {"value": 1},
     "Jinja drops the parentheses of a folded negative literal before `**` with a non-constant exponent"),
    ("diff.lazy_filter_truthiness", "(@ not ([] | select('odd')) )", None, {"value": True},
     "select/reject/map/unique/batch/items/reverse give lists: an empty one is falsy (a Jinja generator is truthy)"),
    ("diff.lazy_filter_errors", "(@ 0 | unique and 1 )", None, {"error": True},
     "select/reject/map/unique/batch/items/reverse run eagerly: errors surface at once, not when consumed"),
    ("diff.test_argument_dead_branch", "(@ 1 if true else 2 is boolean 3 )", None, {"error": True},
     "a test given an argument it does not take is a syntax error even where it never runs"),
    ("diff.crlf_constant", "a\r\nb", None, {"text": "a\r\nb"},
     "a constant template (no (@, (% or {#) is returned unchanged; Jinja normalises newlines"),
    ("diff.namespace", "(% set ns = namespace(c=1) %)(@ ns.c )", None, {"error": True},
     "namespace() is not supported"),
    ("diff.constant_folding_inf", "(@ 1e308 * 10 )", None, {"value": {"$float": "inf"}},
     "Jinja folds constant expressions and emits inf/nan as bare Python names (NameError in compile_expression)"),
    ("diff.macro", "(% macro m() %)(% endmacro %)", None, {"error": True},
     "macros are not supported"),
    ("diff.recursive_loop", "(% for x in [1] recursive %)(% endfor %)", None, {"error": True},
     "recursive loops are not supported"),
    ("diff.tuple_in_text", "v=(@ flow.d | dictsort | first )", None, {"text": "v=['a', 1]"},
     "pairs are lists, not tuples"),
]


def relevant(context, template):
    """Only the scopes a template mentions are stored with it (keeps corpus.json small)."""
    return {name: value for name, value in context.items() if name in template}


def main():
    cases = []
    seen = set()
    for group, templates in GROUPS:
        for index, entry in enumerate(templates):
            template, overrides = (entry if isinstance(entry, tuple) else (entry, None))
            context = dict(DEFAULT_CONTEXT)
            if overrides:
                context.update(overrides)
            context = relevant(context, template)
            name = f"{group}#{index}"
            assert name not in seen
            seen.add(name)
            cases.append({"name": name, "template": template, "context": enc(relevant(context, template)),
                          "expect": oracle(template, context)})
    for name, template, overrides, parley, why in DELIBERATE_DIFFERENCES:
        context = dict(DEFAULT_CONTEXT)
        if overrides:
            context.update(overrides)
        context = relevant(context, template)
        expect = oracle(template, context, allow_bigint=True)
        assert expect != parley, f"{name}: Jinja and Parley agree, not a difference"
        cases.append({"name": name, "template": template, "context": enc(relevant(context, template)), "expect": expect,
                      "parley": parley, "why": why})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write("[\n")
        f.write(",\n".join(json.dumps(case, ensure_ascii=False) for case in cases))
        f.write("\n]\n")
    print(f"wrote {len(cases)} cases to {path} (Jinja2 {jinja2.__version__})")


if __name__ == "__main__":
    main()
