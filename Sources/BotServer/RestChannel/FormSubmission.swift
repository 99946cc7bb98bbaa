import BotRuntime
import FlowDSL

/// A form's answers as a client sends them, over REST or the WebSocket:
/// `"form": {"id": FORM_ID, "fields": {NAME: VALUE, …}}` — the `form_id` and field names of the
/// `form` the bot sent (`FormView.json`). The engine gets `meya.form.event.submit`.
struct FormSubmission: Equatable {
    var id: String
    var fields: TemplateMap

    /// What is wrong with a submission, said for its sender.
    struct Problem: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    /// The submission in `value`, or what is wrong with it.
    static func parse(_ value: TemplateValue) -> Result<FormSubmission, Problem> {
        guard case .map(let form) = value else {
            return .failure(Problem("`form` must be {\"id\": FORM_ID, \"fields\": {NAME: VALUE}}, not \(RequestBodyReader.kind(of: value))"))
        }
        guard case .string(let id)? = form["id"], !id.isEmpty else { return .failure(Problem("`form.id` must be the form's id (its `form_id`)")) }
        switch form["fields"] {
        case .map(let fields)?: return .success(FormSubmission(id: id, fields: fields))
        case nil, TemplateValue.none?: return .success(FormSubmission(id: id, fields: [:]))
        case let other?: return .failure(Problem("`form.fields` must be an object of field names and values, not \(RequestBodyReader.kind(of: other))"))
        }
    }

    /// The engine event's type and data.
    var event: (type: String, data: TemplateMap) {
        (EventTypes.formSubmit, ["form_id": .string(id), "fields": .map(fields)])
    }
}
