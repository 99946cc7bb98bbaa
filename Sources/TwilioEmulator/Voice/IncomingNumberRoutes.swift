import Foundation
import Hummingbird
import TwilioWire

/// A phone number of the account (`PN…`): where a call to it asks what to do, and where its
/// end is posted.
struct IncomingNumber: Sendable {
    var sid: String
    var phoneNumber: String
    var friendlyName: String
    var voiceURL: String?
    var voiceMethod = "POST"
    /// Posted to (the emulator plays only `POST` status callbacks).
    var statusCallback: String?
    var dateCreated: Date
    var dateUpdated: Date
}

/// Incoming Phone Numbers in the 2010 API (twilio-oai `twilio_api_v2010.json`), the settings of
/// the numbers callers reach: `POST|GET /2010-04-01/Accounts/{AC}/IncomingPhoneNumbers.json`
/// (`PhoneNumber`, `VoiceUrl`, `VoiceMethod`, `StatusCallback`, `StatusCallbackMethod`,
/// `FriendlyName`; the list filters by `PhoneNumber`), `GET|POST|DELETE
/// …/IncomingPhoneNumbers/{PN}.json`. Dates are RFC 2822, lists page as the 2010 API does.
struct IncomingNumberRoutes {
    let state: EmulatorState
    let configuration: TwilioEmulator.Configuration

    func register(on router: Router<BasicRequestContext>) {
        let state = state, routes = self
        let list = RouterPath("/2010-04-01/Accounts/{account}/IncomingPhoneNumbers.json")
        let one = RouterPath("/2010-04-01/Accounts/{account}/IncomingPhoneNumbers/{number}")
        router.twilio(.post, list) { request, context throws(TwilioRESTError) in
            try routes.checkAccount(context, request)
            let number = try await state.createIncomingNumber(try await RESTSupport.form(of: request))
            return RESTSupport.json(routes.json(number), status: .created)
        }
        router.twilio(.get, list) { request, context throws(TwilioRESTError) in
            try routes.checkAccount(context, request)
            let wanted = request.uri.queryParameters["PhoneNumber"].map(String.init)
            let items = await state.incomingNumbers.filter { wanted == nil || $0.phoneNumber == wanted }.map(routes.json)
            let uri = request.uri.path
            return RESTSupport.json([
                "incoming_phone_numbers": .array(items), "end": .int(max(0, items.count - 1)),
                "first_page_uri": .string(uri + "?PageSize=50&Page=0"), "next_page_uri": nil, "page": 0, "page_size": 50,
                "previous_page_uri": nil, "start": 0, "uri": .string(uri + "?PageSize=50&Page=0"),
            ])
        }
        router.twilio(.get, one) { request, context throws(TwilioRESTError) in
            try routes.checkAccount(context, request)
            return RESTSupport.json(routes.json(try await state.incomingNumber(try routes.sid(context, request))))
        }
        router.twilio(.post, one) { request, context throws(TwilioRESTError) in
            try routes.checkAccount(context, request)
            let number = try await state.updateIncomingNumber(try routes.sid(context, request), form: try await RESTSupport.form(of: request))
            return RESTSupport.json(routes.json(number))
        }
        router.twilio(.delete, one) { request, context throws(TwilioRESTError) in
            try routes.checkAccount(context, request)
            try await state.deleteIncomingNumber(try routes.sid(context, request))
            return RESTSupport.noContent()
        }
    }

    private func checkAccount(_ context: BasicRequestContext, _ request: Request) throws(TwilioRESTError) {
        guard context.parameters.get("account") == configuration.accountSid else { throw TwilioRESTError.notFound(path: request.uri.path) }
    }

    /// `PN….json` → `PN…`.
    private func sid(_ context: BasicRequestContext, _ request: Request) throws(TwilioRESTError) -> String {
        guard let component = context.parameters.get("number"), component.hasSuffix(".json") else {
            throw TwilioRESTError.notFound(path: request.uri.path)
        }
        return String(component.dropLast(5))
    }

    func json(_ number: IncomingNumber) -> EmulatorJSON {
        let uri = "/2010-04-01/Accounts/\(configuration.accountSid)/IncomingPhoneNumbers/\(number.sid)"
        return [
            "account_sid": .string(configuration.accountSid), "address_requirements": "none", "api_version": "2010-04-01", "beta": false,
            "capabilities": ["voice": true, "sms": true, "mms": true, "fax": false],
            "date_created": .string(TwilioTime.rfc2822(number.dateCreated)), "date_updated": .string(TwilioTime.rfc2822(number.dateUpdated)),
            "friendly_name": .string(number.friendlyName), "phone_number": .string(number.phoneNumber), "origin": "twilio",
            "sid": .string(number.sid), "status": "in-use",
            "status_callback": .string(number.statusCallback ?? ""), "status_callback_method": "POST",
            "voice_method": .string(number.voiceMethod), "voice_receive_mode": "voice", "voice_url": .string(number.voiceURL ?? ""),
            "voice_caller_id_lookup": false, "voice_fallback_method": "POST", "voice_fallback_url": "",
            "uri": .string(uri + ".json"),
        ]
    }
}

extension EmulatorState {
    var incomingNumbers: [IncomingNumber] { numberOrder.compactMap { numbers[$0] } }

    func incomingNumber(_ sid: String) throws(TwilioRESTError) -> IncomingNumber {
        guard let number = numbers[sid] else {
            throw TwilioRESTError.notFound(path: "/2010-04-01/Accounts/\(configuration.accountSid)/IncomingPhoneNumbers/\(sid).json")
        }
        return number
    }

    /// The number `phoneNumber` of the account, if it has it.
    func incomingNumber(phoneNumber: String) -> IncomingNumber? {
        incomingNumbers.first { $0.phoneNumber == phoneNumber }
    }

    func createIncomingNumber(_ form: TwilioForm) throws(TwilioRESTError) -> IncomingNumber {
        let phoneNumber = try Self.required("PhoneNumber", in: form)
        guard phoneNumber.hasPrefix("+"), phoneNumber.dropFirst().allSatisfy(\.isNumber), phoneNumber.count > 4 else {
            throw TwilioRESTError.invalidParameter("PhoneNumber", "`\(phoneNumber)` is not an E.164 number such as +15555550100")
        }
        guard incomingNumber(phoneNumber: phoneNumber) == nil else {
            throw TwilioRESTError(code: 21422, message: "PhoneNumber \(phoneNumber) is already in the account", status: 400)
        }
        let now = Date()
        var number = IncomingNumber(sid: TwilioSID.random("PN"), phoneNumber: phoneNumber, friendlyName: phoneNumber, dateCreated: now,
                                    dateUpdated: now)
        try apply(form, to: &number)
        numbers[number.sid] = number
        numberOrder.append(number.sid)
        changed()
        return number
    }

    func updateIncomingNumber(_ sid: String, form: TwilioForm) throws(TwilioRESTError) -> IncomingNumber {
        var number = try incomingNumber(sid)
        try apply(form, to: &number)
        number.dateUpdated = Date()
        numbers[sid] = number
        changed()
        return number
    }

    func deleteIncomingNumber(_ sid: String) throws(TwilioRESTError) {
        _ = try incomingNumber(sid)
        numbers[sid] = nil
        numberOrder.removeAll { $0 == sid }
        changed()
    }

    private func apply(_ form: TwilioForm, to number: inout IncomingNumber) throws(TwilioRESTError) {
        if let url = form["VoiceUrl"] { number.voiceURL = url.isEmpty ? nil : try Self.webhookURL(url, name: "VoiceUrl") }
        if let url = form["StatusCallback"] { number.statusCallback = url.isEmpty ? nil : try Self.webhookURL(url, name: "StatusCallback") }
        if let method = form["VoiceMethod"] {
            guard ["GET", "POST"].contains(method.uppercased()) else { throw TwilioRESTError.invalidParameter("VoiceMethod", "`\(method)` is not GET or POST") }
            number.voiceMethod = method.uppercased()
        }
        if let method = form["StatusCallbackMethod"], method.uppercased() != "POST" {
            throw TwilioRESTError.invalidParameter("StatusCallbackMethod", "the emulator posts status callbacks: only POST is played")
        }
        if let name = form["FriendlyName"], !name.isEmpty { number.friendlyName = name }
    }
}
