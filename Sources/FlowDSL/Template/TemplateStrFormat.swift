/// Python `str.format` with `{}`, `{0}`, `{name}`, `{{`/`}}` and simple `{:…}` specs passed through `%`.
enum TemplateStrFormat {
    static func format(_ s: String, _ args: [TemplateValue], _ kwargs: [(String, TemplateValue)]) throws(TemplateRenderError) -> String {
        var out = ""
        var auto = 0
        let c = Array(s.unicodeScalars)
        var i = 0
        while i < c.count {
            if c[i] == "{" {
                if i + 1 < c.count && c[i + 1] == "{" { out += "{"; i += 2; continue }
                var j = i + 1
                var field = String.UnicodeScalarView()
                while j < c.count && c[j] != "}" { field.append(c[j]); j += 1 }
                guard j < c.count else { throw TemplateRenderError("Single '{' encountered in format string") }
                let parts = String(field).split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                let key = parts.first.map(String.init) ?? ""
                let value: TemplateValue
                if key.isEmpty {
                    guard auto < args.count else { throw TemplateRenderError("Replacement index \(auto) out of range") }
                    value = args[auto]
                    auto += 1
                } else if let n = Int(key) {
                    guard n >= 0 && n < args.count else { throw TemplateRenderError("Replacement index \(n) out of range") }
                    value = args[n]
                } else if let kw = kwargs.first(where: { $0.0 == key }) {
                    value = kw.1
                } else {
                    throw TemplateRenderError("KeyError: '\(key)'")
                }
                if parts.count > 1, !parts[1].isEmpty {
                    out += try TemplatePercentFormat.percent("%" + parts[1], .list([value]), isTuple: true)
                } else {
                    out += value.pythonString
                }
                i = j + 1
            } else if c[i] == "}" {
                guard i + 1 < c.count && c[i + 1] == "}" else { throw TemplateRenderError("Single '}' encountered in format string") }
                out += "}"
                i += 2
            } else {
                out.unicodeScalars.append(c[i])
                i += 1
            }
        }
        return out
    }
}
