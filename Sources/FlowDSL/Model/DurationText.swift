import Foundation

/// A length of time as an app writes it: seconds as a number (`90`, `1.5`), or text of whole
/// amounts with units, largest first (`48h`, `10m`, `2s`, `1h30m`, `500ms`, `2d`), as a
/// step's `timeout:` or an integration's `reply_timeout:` takes it.
public enum DurationText {
    /// The units an amount may carry, with their length in seconds.
    static let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]

    /// The length of `value` in seconds; nil when it is not a duration or not more than zero.
    public static func seconds(_ value: TemplateValue) -> Double? {
        let seconds: Double?
        switch value {
        case .int(let number): seconds = Double(number)
        case .double(let number): seconds = number
        case .string(let text): seconds = Self.seconds(text)
        default: seconds = nil
        }
        guard let seconds, seconds.isFinite, seconds > 0 else { return nil }
        return seconds
    }

    /// The length of `text` (`1h30m`, or a plain number of seconds) in seconds; nil when it is
    /// not written that way.
    public static func seconds(_ text: String) -> Double? {
        let text = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let number = Double(text) { return number }
        var rest = Substring(text), total = 0.0, parts = 0
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !digits.isEmpty, let amount = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.suffix) }) else { return nil }
            rest = rest.dropFirst(unit.suffix.count)
            total += amount * unit.seconds
            parts += 1
        }
        return parts > 0 ? total : nil
    }

    /// How an expected duration reads in an error message.
    static let expectation = "a duration such as `48h`, `10m`, `2s` or `1h30m` (or seconds as a number)"
}
