import Foundation

/// The date formats on Twilio's wire: ISO 8601 without fractions in REST bodies
/// (`2016-08-01T22:10:40Z`), with milliseconds in Chat webhooks (`2021-04-17T12:52:31.295Z`),
/// epoch seconds and milliseconds in TaskRouter events.
enum TwilioTime {
    static func rest(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }

    static func webhook(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
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
