import BotRuntime
import FlowDSL
import Logging
import TwilioWire

/// What every Twilio product's webhook handler does first, and how it answers.
enum TwilioWebhook {
    /// The form a delivery for the integration `integrationID` carries, with the integration's
    /// rendered `fields`, when its `X-Twilio-Signature` is valid for the fields' `auth_token`;
    /// else the answer that refuses it, nothing else done: 500 when the fields cannot be read
    /// (Twilio retries), 403 for a missing or wrong signature.
    static func verified(_ request: WebhookRequest, integrationID: String, logger: Logger,
                         fields read: () throws -> TemplateMap) -> Verification {
        let fields: TemplateMap
        do {
            fields = try read()
        } catch {
            logger.error("Twilio webhook: settings unreadable", metadata: ["integration": "\(integrationID)", "error": "\(error)"])
            return .refused(answer(500, "the integration's settings cannot be read"))
        }
        return verifiedForm(request, fields: fields, integrationID: integrationID, logger: logger)
    }

    /// The form a delivery carries, when its `X-Twilio-Signature` is valid for the `auth_token`
    /// of `fields` and the public URL Twilio called (both URL forms of Twilio's port rule); else
    /// the 403 to answer. A GET's parameters are in its URL, which the signature covers.
    private static func verifiedForm(_ request: WebhookRequest, fields: TemplateMap, integrationID: String,
                                     logger: Logger) -> Verification {
        guard let authToken = TwilioSettingText.text(fields["auth_token"]) else {
            logger.warning("Twilio webhook refused: the integration has no auth_token to verify signatures",
                           metadata: ["integration": "\(integrationID)"])
            return .refused(answer(403, "webhook signatures cannot be verified: the integration has no auth_token"))
        }
        let isGet = request.method.uppercased() == "GET"
        let form: TwilioForm
        do {
            form = try TwilioForm(encoded: isGet ? (request.query ?? "") : String(decoding: request.body, as: UTF8.self))
        } catch {
            return .refused(answer(403, "the request is not a signed Twilio form"))
        }
        guard let signature = request.header("X-Twilio-Signature"), !signature.isEmpty else {
            logger.warning("Twilio webhook refused: no signature", metadata: ["path": "\(request.path)"])
            return .refused(answer(403, "missing X-Twilio-Signature"))
        }
        guard TwilioSignature.isValid(signature, url: request.publicURL, parameters: isGet ? TwilioForm() : form,
                                      authToken: authToken, rawBody: request.body) else {
            logger.warning("Twilio webhook refused: invalid signature", metadata: ["path": "\(request.path)"])
            return .refused(answer(403, "invalid X-Twilio-Signature"))
        }
        return .verified(form, fields: fields)
    }

    /// 204 with a JSON content type, as TaskRouter asks.
    static let accepted = WebhookResponse(status: 204, contentType: "application/json")

    /// What `verified` found: the delivery's form and the integration's fields, or the answer
    /// that refuses it.
    enum Verification {
        case verified(TwilioForm, fields: TemplateMap)
        case refused(WebhookResponse)
    }

    /// An error answer with a JSON body naming what is wrong.
    static func answer(_ status: Int, _ message: String) -> WebhookResponse {
        WebhookResponse(status: status, json: TemplateValue.map(["error": .string(message)]).jsonText)
    }
}

/// Reading a Twilio integration element's rendered settings.
enum TwilioSettingText {
    /// A setting's text, trimmed; nil when absent, empty, or a vault placeholder whose value the
    /// vault does not hold (`[vault.KEY]`: not a value). Numbers read as their digits.
    static func text(_ value: TemplateValue?) -> String? {
        let text: String
        switch value {
        case .string(let string)?: text = string
        case .int(let number)?: text = String(number)
        default: return nil
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty || (trimmed.hasPrefix("[vault.") && trimmed.hasSuffix("]")) { return nil }
        return trimmed
    }
}
