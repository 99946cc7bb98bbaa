/// The Jinja2 filters Parley supports, resolved by name at parse time (an unknown filter is a syntax
/// error) with arguments bound to each filter's declared parameters, so rendering never looks names up.
enum TemplateFilter: String, Sendable, CaseIterable {
    case `default`, upper, lower, title, capitalize, trim, length, join, int, float, string, round
    case first, last, replace, tojson, abs, list, sort, reverse, min, max, sum, unique, wordcount
    case truncate, center, indent, items, dictsort, batch, map, select, reject, selectattr, rejectattr
    case safe, escape, format, striptags, urlencode
    // Meya's sensitive data (`SensitiveValues`).
    case encryptSensitive = "encrypt_sensitive", decryptSensitive = "decrypt_sensitive"
    case tryDecryptSensitive = "try_decrypt_sensitive", redactSensitive = "redact_sensitive"

    init?(name: String) {
        switch name {
        case "d": self = .default
        case "count": self = .length
        case "e": self = .escape
        default: self.init(rawValue: name)
        }
    }

    /// The message for a filter that does not exist, with the nearest one's name.
    static func unknown(_ name: String) -> String {
        let names = allCases.map(\.rawValue) + ["d", "count", "e"]
        return "No filter named '\(name)'." + (Spelling.suggestion(for: name, among: names).map { " Did you mean '\($0)'?" } ?? "")
    }

    /// Parameter names after the filtered value, in Jinja's order.
    var parameters: [String] {
        switch self {
        case .default: return ["default_value", "boolean"]
        case .trim: return ["chars"]
        case .join: return ["d", "attribute"]
        case .int: return ["default", "base"]
        case .float: return ["default"]
        case .round: return ["precision", "method"]
        case .replace: return ["old", "new", "count"]
        case .tojson: return ["indent"]
        case .sort: return ["reverse", "case_sensitive", "attribute"]
        case .min, .max: return ["case_sensitive", "attribute"]
        case .sum: return ["attribute", "start"]
        case .unique: return ["case_sensitive", "attribute"]
        case .truncate: return ["length", "killwords", "end", "leeway"]
        case .center: return ["width"]
        case .indent: return ["width", "first", "blank"]
        case .dictsort: return ["case_sensitive", "by", "reverse"]
        case .batch: return ["linecount", "fill_with"]
        case .encryptSensitive: return ["ttl"]
        case .tryDecryptSensitive, .redactSensitive: return ["default"]
        default: return []
        }
    }

    /// How many leading parameters must be given.
    var requiredCount: Int {
        switch self {
        case .replace: return 2
        case .batch: return 1
        default: return 0
        }
    }

    /// Filters taking `*args, **kwargs`, evaluated without binding.
    var isVariadic: Bool {
        switch self {
        case .map, .select, .reject, .selectattr, .rejectattr, .format: return true
        default: return false
        }
    }

    struct BindError: Error { let message: String }

    func bind(_ args: TemplateCallArguments) throws(BindError) -> TemplateFilterCall {
        if isVariadic {
            return TemplateFilterCall(filter: self, slots: [], extra: args.positional, keywords: args.keywords)
        }
        let names = parameters
        guard args.positional.count <= names.count else {
            throw BindError(message: "takes at most \(names.count) argument(s), \(args.positional.count) given")
        }
        var slots: [TemplateExpression?] = Array(repeating: nil, count: names.count)
        for (i, e) in args.positional.enumerated() { slots[i] = e }
        for (key, e) in args.keywords {
            guard let i = names.firstIndex(of: key) else { throw BindError(message: "unexpected keyword argument '\(key)'") }
            if slots[i] != nil { throw BindError(message: "got multiple values for argument '\(key)'") }
            slots[i] = e
        }
        for i in 0..<requiredCount where slots[i] == nil {
            throw BindError(message: "missing required argument '\(names[i])'")
        }
        return TemplateFilterCall(filter: self, slots: slots, extra: [], keywords: [])
    }

    /// Binds already evaluated arguments (for `map('filter', …)`).
    func bindValues(_ positional: [TemplateEvalValue], _ keywords: [(String, TemplateEvalValue)]) throws(TemplateRenderError) -> TemplateFilterArguments {
        let names = parameters
        guard !isVariadic else { throw TemplateRenderError("filter '\(rawValue)' cannot be applied by name here") }
        guard positional.count <= names.count else {
            throw TemplateRenderError("filter '\(rawValue)' takes at most \(names.count) argument(s)")
        }
        var args = TemplateFilterArguments()
        for (i, v) in positional.enumerated() { args[i] = v }
        for (key, v) in keywords {
            guard let i = names.firstIndex(of: key) else {
                throw TemplateRenderError("filter '\(rawValue)' got an unexpected keyword argument '\(key)'")
            }
            args[i] = v
        }
        for i in 0..<requiredCount where args[i] == nil {
            throw TemplateRenderError("filter '\(rawValue)' is missing required argument '\(names[i])'")
        }
        return args
    }
}

/// Evaluated filter arguments, stored inline (no heap allocation per filter call).
struct TemplateFilterArguments {
    var a0: TemplateEvalValue?
    var a1: TemplateEvalValue?
    var a2: TemplateEvalValue?
    var a3: TemplateEvalValue?

    subscript(i: Int) -> TemplateEvalValue? {
        get {
            switch i {
            case 0: return a0
            case 1: return a1
            case 2: return a2
            default: return a3
            }
        }
        set {
            switch i {
            case 0: a0 = newValue
            case 1: a1 = newValue
            case 2: a2 = newValue
            default: a3 = newValue
            }
        }
    }
}
