import TwilioWire

/// Why a call to Twilio's REST API failed. Every description is safe to log and to show in an
/// event: it names the operation and Twilio's error code and message, never a credential.
public enum TwilioCallError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Twilio answered with an error body.
    case twilio(operation: String, TwilioRESTError)
    /// Twilio could not be reached (after retries) or the call timed out.
    case transport(operation: String, detail: String)
    /// Twilio answered 2xx with a body that is not the JSON object expected.
    case invalidResponse(operation: String, detail: String)

    public var description: String {
        switch self {
        case .twilio(let operation, let error):
            "Twilio refused \(operation): \(error.code) \(error.message) (HTTP \(error.status))"
        case .transport(let operation, let detail):
            "could not reach Twilio for \(operation): \(detail)"
        case .invalidResponse(let operation, let detail):
            "Twilio's answer to \(operation) was not understood: \(detail)"
        }
    }

    /// Whether trying again later may succeed: Twilio unreachable, busy (429) or failing (5xx).
    /// Whether the call may have taken effect though it failed: the answer was lost on the way
    /// (the connection broke or timed out after the request left) or Twilio failed on its side
    /// (5xx). A 429 was refused before anything was done.
    public var mayHaveTakenEffect: Bool {
        switch self {
        case .transport: true
        case .twilio(_, let error): (500..<600).contains(error.status)
        case .invalidResponse: true
        }
    }

    public var isTransient: Bool {
        switch self {
        case .transport: true
        case .twilio(_, let error): error.status == 429 || (500..<600).contains(error.status)
        case .invalidResponse: false
        }
    }
}
