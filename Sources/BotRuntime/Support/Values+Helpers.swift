import FlowDSL

extension String {
    /// The text without leading and trailing spaces and tabs, without a trip through NSString.
    var trimmingSpaces: String {
        // Most text starts and ends with a visible ASCII character: nothing to look up.
        if let first = utf8.first, let last = utf8.last, (0x21..<0x80).contains(first), (0x21..<0x80).contains(last) { return self }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace || $0 == "\n" }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace || $0 == "\n" })!
        if first == scalars.startIndex, last == scalars.index(before: scalars.endIndex) { return self }
        return String(scalars[first...last])
    }

    /// Nil for the empty string.
    public var nilIfEmpty: String? { isEmpty ? nil : self }
}

extension TemplateValue {
    /// The value as a number when it is one (`retries: 3`, `.inf`).
    public var number: Double? {
        switch self {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }
}
