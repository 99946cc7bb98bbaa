/// Jinja's `tojson`: Python `json.dumps(value, sort_keys=True)` (ASCII-only output, Python float repr,
/// `NaN`/`Infinity`) made HTML-safe by escaping `<`, `>`, `&` and `'` as `\u003c`-style sequences.
enum TemplateJSON {
    static func encode(_ value: TemplateValue, indent: String? = nil) throws(TemplateRenderError) -> String {
        var out = ""
        try write(value, indent: indent, level: 0, into: &out)
        return out
    }

    private static func write(_ value: TemplateValue, indent: String?, level: Int, into out: inout String)
        throws(TemplateRenderError)
    {
        if level > TemplatePython.maxDepth { throw TemplateRenderError("tojson: value nested too deeply") }
        switch value {
        case .none: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            if d.isNaN { out += "NaN" } else if d.isInfinite { out += d < 0 ? "-Infinity" : "Infinity" } else {
                out += TemplateFloatFormat.repr(d)
            }
        case .string(let s): writeString(s, into: &out)
        case .list(let items):
            if items.isEmpty {
                out += "[]"
                return
            }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += indent == nil ? ", " : "," }
                newline(indent, level + 1, &out)
                try write(item, indent: indent, level: level + 1, into: &out)
            }
            newline(indent, level, &out)
            out += "]"
        case .map(let map):
            if map.isEmpty {
                out += "{}"
                return
            }
            out += "{"
            let keys = map.keys.sorted { TemplateText.less($0, $1) }
            for (i, key) in keys.enumerated() {
                if i > 0 { out += indent == nil ? ", " : "," }
                newline(indent, level + 1, &out)
                writeString(key, into: &out)
                out += ": "
                try write(map[key]!, indent: indent, level: level + 1, into: &out)
            }
            newline(indent, level, &out)
            out += "}"
        }
        if out.utf8.count > TemplateEvaluator.maxStringBytes {
            throw TemplateRenderError("tojson output exceeds \(TemplateEvaluator.maxStringBytes) bytes")
        }
    }

    private static func newline(_ indent: String?, _ level: Int, _ out: inout String) {
        guard let indent else { return }
        out += "\n"
        for _ in 0..<level { out += indent }
    }

    private static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "'": out += "\\u0027"
            default:
                let v = c.value
                if v >= 0x20 && v < 0x7F {
                    out.unicodeScalars.append(c)
                } else if v <= 0xFFFF {
                    out += "\\u" + TemplateText.hex(v, width: 4)
                } else {
                    let u = v - 0x10000
                    out += "\\u" + TemplateText.hex(0xD800 + (u >> 10), width: 4)
                    out += "\\u" + TemplateText.hex(0xDC00 + (u & 0x3FF), width: 4)
                }
            }
        }
        out += "\""
    }
}
