import Foundation

/// The date formats on Twilio's wire: ISO 8601 without fractions in REST bodies
/// (`2016-08-01T22:10:40Z`), with milliseconds in Chat webhooks (`2021-04-17T12:52:31.295Z`),
/// epoch seconds and milliseconds in TaskRouter events, RFC 2822 in the 2010 API (Voice,
/// Incoming Phone Numbers: `Fri, 14 Mar 2025 10:00:07 +0000`).
enum TwilioTime {
    static func rest(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }

    static func webhook(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    static func rfc2822(_ date: Date) -> String {
        date.formatted(Date.VerbatimFormatStyle(
            format: "\(weekday: .abbreviated), \(day: .twoDigits) \(month: .abbreviated) \(year: .defaultDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits) +0000",
            locale: Locale(identifier: "en_US_POSIX"), timeZone: .gmt, calendar: Calendar(identifier: .gregorian)))
    }

    static func epochSeconds(_ date: Date) -> String {
        String(Int(date.timeIntervalSince1970.rounded(.down)))
    }

    static func epochMilliseconds(_ date: Date) -> String {
        String(Int((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// Whole seconds from `start` to `end`, never negative.
    static func age(from start: Date, to end: Date) -> String {
        String(max(0, Int(end.timeIntervalSince(start).rounded(.down))))
    }
}
