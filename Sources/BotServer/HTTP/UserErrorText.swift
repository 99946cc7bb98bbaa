import BotRuntime
import FlowDSL

/// What a user is shown for an error event (a flow that stopped, state that was reset): the
/// app's `error_message:` (in `bot/default.yaml`), else `standard`. The event's own text (the
/// flow, the step, the file and line, why) is for operators: the log, the ledger, the admin
/// API and `botcli test`, never for users, whose channels show this instead.
enum UserErrorText {
    static let standard = "Sorry, something went wrong on our side. Please try again."

    static func of(_ engine: BotEngine) -> String {
        guard let field = engine.app.bot?["error_message"], case .string(let text)? = try? field.render(TemplateContext()),
              !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return standard }
        return text
    }
}
