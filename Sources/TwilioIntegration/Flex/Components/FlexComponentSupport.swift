import BotRuntime
import FlowDSL

/// What the Flex components share: finding their integration element and rendering its
/// settings with the real vault values (never kept).
enum FlexComponentSupport {
    /// The integration element a step names (`integration:`), else the app's only Flex one.
    static func integrationElement(of step: Element, in context: ComponentContext) throws -> Element {
        var id: String?
        if let field = step["integration"] {
            let name = try context.renderText(field)
            if !name.isEmpty { id = name }
        }
        guard let element = context.integration(id, type: FlexElements.integrationType),
              element.type == FlexElements.integrationType else {
            throw FlexError.unknownIntegration(id)
        }
        return element
    }

    /// The element's settings, rendered for talking to Twilio.
    static func settings(of element: Element, in context: ComponentContext, flex: FlexIntegration) throws -> FlexSettings {
        var fields = TemplateMap()
        for (name, field) in element.fields { fields[name] = try context.renderSecret(field) }
        return try FlexSettings(integrationID: element.id, fields: flex.targeted(fields), publicURL: flex.publicURL())
    }

    /// A flow-result value for text (none when nil).
    static func value(_ text: String?) -> TemplateValue {
        text.map(TemplateValue.string) ?? .none
    }

    /// `flow.result` from Twilio's answer to a step's outbound work: `ok: true` with the
    /// answer's `fields`, or `ok: false` with Twilio's `code`, `message`, `more_info` and
    /// `status`; a failure also files `meya.twilio.flex.event.error` for `operation`.
    static func result(of answer: Answer, operation: String, fields: [String], in context: inout ComponentContext) -> TemplateMap {
        let data = answer.event.data
        var result = TemplateMap()
        if data["ok"]?.isTruthy == true {
            for key in fields { result[key] = data[key] ?? TemplateValue.none }
            result["ok"] = .bool(true)
            return result
        }
        for key in ["code", "message", "more_info", "status"] { result[key] = data[key] ?? TemplateValue.none }
        result["ok"] = .bool(false)
        var error: TemplateMap = ["text": data["text"] ?? data["message"] ?? .string("Twilio did not answer"),
                                  "operation": .string(operation)]
        if let code = data["code"], code != .none { error["code"] = code }
        if let status = data["status"], status != .none { error["status"] = status }
        context.emit(FlexEventTypes.error, data: error)
        return result
    }
}
