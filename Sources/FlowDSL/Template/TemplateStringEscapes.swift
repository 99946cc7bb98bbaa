/// Python's `unicode-escape` decoding of string literal bodies (`\n`, `\x41`, `\u00e9`, `\U0001F600`,
/// octal, backslash-newline); unknown escapes are kept as written, like Python.
enum TemplateStringEscapes {
    struct Failure: Error { let message: String }

    static func decode(_ body: String) throws(Failure) -> String {
        var out = String.UnicodeScalarView()
        let s = Array(body.unicodeScalars)
        var i = 0
        func hexValue(_ c: Unicode.Scalar) -> UInt32? {
            switch c.value {
            case 0x30...0x39: return c.value - 0x30
            case 0x41...0x46: return c.value - 0x41 + 10
            case 0x61...0x66: return c.value - 0x61 + 10
            default: return nil
            }
        }
        while i < s.count {
            let c = s[i]
            guard c == "\\", i + 1 < s.count else {
                if c == "\\" { throw Failure(message: "\\ at end of string") }
                out.append(c)
                i += 1
                continue
            }
            let e = s[i + 1]
            i += 2
            switch e {
            case "\n": break
            case "\\": out.append("\\")
            case "'": out.append("'")
            case "\"": out.append("\"")
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "v": out.append("\u{0B}")
            case "0"..."7":
                var v = e.value - 0x30
                var k = 0
                while k < 2 && i < s.count && s[i].value >= 0x30 && s[i].value <= 0x37 {
                    v = v * 8 + s[i].value - 0x30
                    i += 1
                    k += 1
                }
                guard let scalar = Unicode.Scalar(v) else { throw Failure(message: "invalid octal escape") }
                out.append(scalar)
            case "x", "u", "U":
                let width = e == "x" ? 2 : e == "u" ? 4 : 8
                var v: UInt32 = 0
                for k in 0..<width {
                    guard i + k < s.count, let h = hexValue(s[i + k]) else {
                        throw Failure(message: "truncated \\\(e) escape")
                    }
                    v = v * 16 + h
                }
                i += width
                guard let scalar = Unicode.Scalar(v) else {
                    throw Failure(message: "illegal Unicode character in \\\(e) escape")
                }
                out.append(scalar)
            case "N":
                throw Failure(message: "\\N{…} escapes are not supported")
            default:
                out.append("\\")
                out.append(e)
            }
        }
        return String(out)
    }
}
