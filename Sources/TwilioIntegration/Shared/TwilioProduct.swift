import BotRuntime
import FlowDSL

/// What every Twilio product's integration (Flex, Conversations) shares: its elements' settings
/// rendered with the engine's vault and pointed where the setup says (`TwilioTarget`: the
/// local emulator), and the configuration problems every Twilio element can have.
protocol TwilioProduct: Integration {
    /// Rewrites an element's rendered settings before use (`IntegrationSetup.settingsOverride`).
    var settingsOverride: @Sendable (String, TemplateMap) -> TemplateMap { get }
}

extension TwilioProduct {
    /// An integration element's rendered fields after the setup's override (the emulator's account).
    func targeted(_ fields: TemplateMap) -> TemplateMap {
        settingsOverride(elementType, fields)
    }

    /// The fields of the integration `id` rendered with the engine's vault, after the override.
    func fields(of id: String, engine: BotEngine) throws -> TemplateMap {
        targeted(try engine.integrationSettings(id))
    }

    /// What is wrong with the app's elements of this product as configured with the engine's
    /// vault, one sentence each: settings that cannot be read (`authToken` throws: a missing
    /// setting, no credentials), or no `auth_token` to verify webhooks.
    func configurationProblems(in engine: BotEngine, product: String, authToken: (_ id: String) throws -> String?) -> [String] {
        engine.app.integrations.values.filter { $0.type == elementType }.flatMap { element -> [String] in
            do {
                guard try authToken(element.id) == nil else { return [] }
                return ["the \(product) integration `\(element.id)` has no `auth_token`: its webhooks will be refused (403)"]
            } catch {
                return ["\(error)"]
            }
        }
    }
}

/// A product's settings error that can say what `TwilioAccount` found missing.
protocol TwilioSettingsProblem: Error {
    static func missingSetting(integration: String, field: String) -> Self
    static func missingCredentials(integration: String) -> Self
}

extension TwilioAccount {
    /// Reads the account fields of the integration `integrationID`; what is missing is thrown
    /// as the product's own error.
    init<Problem: TwilioSettingsProblem>(fields: TemplateMap, integrationID: String, as _: Problem.Type) throws(Problem) {
        do {
            try self.init(fields: fields)
        } catch .field(let field) {
            throw .missingSetting(integration: integrationID, field: field)
        } catch {
            throw .missingCredentials(integration: integrationID)
        }
    }
}
