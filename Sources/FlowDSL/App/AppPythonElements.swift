import Foundation

/// The Meya app's own Python elements (its `component/…/*.py`, `trigger/…/*.py`): the names a
/// flow may use them by, so that `botcli check` says "the app's own Python component" where a
/// flow uses one instead of only "unknown step", and `--summary` counts them as what a port
/// rewrites.
///
/// Meya names an element by its file (`component/text/say_upper.py` is
/// `component.text.say_upper`), and a flow may also write it by a signature field
/// (`element_field(signature=True)`: `- say_upper: hi`) or its `extra_alias`. Parley does not
/// run Python: the source is only read for those names, by pattern, not parsed.
public struct AppPythonElements: Sendable, Equatable {
    /// One element: its Meya type name and its file, relative to the app.
    public struct Source: Sendable, Equatable {
        public var type: String
        public var file: String
    }

    /// Every name a flow may use, type names included, to the element it names.
    private var byName: [String: Source] = [:]

    public init() {}

    /// Reads `files` (paths relative to `root`, `*.py`), skipping tests.
    init(root: URL, files: [String]) {
        for file in files where !file.hasSuffix("_test.py") && !file.hasPrefix("tests/") {
            var parts = file.dropLast(3).split(separator: "/").map(String.init)
            if parts.last == "__init__" { parts.removeLast() }
            // A type name has a folder and a name (`component.flood`); `integration/__init__.py` names none.
            guard parts.count > 1 else { continue }
            let source = Source(type: parts.joined(separator: "."), file: file)
            byName[source.type] = source
            // Signature fields and aliases are read where Meya keeps components and triggers only,
            // so that a virtual environment left in the app folder is not read through.
            guard ["component", "trigger"].contains(parts[0]),
                  let data = FileManager.default.contents(atPath: root.appendingPathComponent(file).path),
                  let text = String(data: data, encoding: .utf8) else { continue }
            for name in Self.names(in: text) where byName[name] == nil { byName[name] = source }
        }
    }

    /// The app's Python element a flow names with `name` (a type name, a signature key or an
    /// alias), if any.
    public func element(named name: String) -> Source? { byName[name] }

    public var isEmpty: Bool { byName.isEmpty }

    /// Signature field names and `extra_alias` values in one Python source.
    static func names(in text: String) -> [String] {
        var names: [String] = []
        let field = /(?m)^[ \t]+(\w+)[ \t]*:[^=\n]*=[ \t]*(?:element_field|meta_field)\(/
        for match in text.matches(of: field) {
            // The call's arguments, to its closing parenthesis (they may span lines).
            var depth = 1, end = match.range.upperBound
            while end < text.endIndex, depth > 0 {
                if text[end] == "(" { depth += 1 } else if text[end] == ")" { depth -= 1 }
                end = text.index(after: end)
            }
            let arguments = text[match.range.upperBound..<end]
            if arguments.contains(/signature\s*=\s*True/) { names.append(String(match.output.1)) }
            if match.output.1 == "extra_alias", let alias = arguments.firstMatch(of: /value\s*=\s*["']([^"']+)["']/) {
                names.append(String(alias.output.1))
            }
        }
        return names
    }
}
