import Hummingbird
import TwilioWire

/// Conversations v1 routes, under `/v1/Conversations` (the default service) and
/// `/v1/Services/{IS}/Conversations`: conversations (`POST` 201, `GET`, `POST /{CH}` update,
/// by SID or unique name), `…/Participants`, `…/Messages` (`Order`), `…/Webhooks` (and
/// `DELETE …/Webhooks/{WH}` 204), in the shapes of twilio-oai's `twilio_conversations_v1.json`.
struct ConversationRoutes {
    let state: EmulatorState
    let configuration: TwilioEmulator.Configuration
    let fallbackOrigin: String

    func register(on router: Router<BasicRequestContext>) {
        register(on: router, prefix: "/v1/Conversations", service: { _ in nil })
        register(on: router, prefix: "/v1/Services/{service}/Conversations", service: { $0.parameters.get("service") })
    }

    private func register(on router: Router<BasicRequestContext>, prefix: String,
                          service: @escaping @Sendable (BasicRequestContext) -> String?) {
        let json = ConversationJSON(accountSid: configuration.accountSid, fallbackOrigin: fallbackOrigin)
        let state = state
        @Sendable func key(_ context: BasicRequestContext) -> String { context.parameters.get("conversation") ?? "" }
        router.twilio(.post, RouterPath(prefix)) { request, context throws(TwilioRESTError) in
            let form = try await RESTSupport.form(of: request)
            let channel = try await state.createConversation(form, service: service(context))
            return RESTSupport.json(json.conversation(channel, request: request, service: service(context)), status: .created)
        }
        router.twilio(.get, RouterPath(prefix)) { request, context throws(TwilioRESTError) in
            let items = await state.conversations.map { json.conversation($0, request: request, service: service(context)) }
            return RESTSupport.json(json.list("conversations", items, request: request))
        }
        router.twilio(.get, RouterPath(prefix + "/{conversation}")) { request, context throws(TwilioRESTError) in
            let channel = try await state.conversation(key(context), service: service(context))
            return RESTSupport.json(json.conversation(channel, request: request, service: service(context)))
        }
        router.twilio(.post, RouterPath(prefix + "/{conversation}")) { request, context throws(TwilioRESTError) in
            let form = try await RESTSupport.form(of: request)
            let channel = try await state.updateConversation(key(context), form: form, service: service(context),
                                                             webhookEnabled: RESTSupport.webhookEnabled(request))
            return RESTSupport.json(json.conversation(channel, request: request, service: service(context)))
        }
        router.twilio(.post, RouterPath(prefix + "/{conversation}/Participants")) { request, context throws(TwilioRESTError) in
            let form = try await RESTSupport.form(of: request)
            let participant = try await state.addParticipant(key(context), form: form, service: service(context))
            let channel = try await state.conversation(key(context), service: service(context))
            return RESTSupport.json(json.participant(participant, in: channel, request: request), status: .created)
        }
        router.twilio(.get, RouterPath(prefix + "/{conversation}/Participants")) { request, context throws(TwilioRESTError) in
            let channel = try await state.conversation(key(context), service: service(context))
            let items = (channel.conversation?.participants ?? []).map { json.participant($0, in: channel, request: request) }
            return RESTSupport.json(json.list("participants", items, request: request))
        }
        router.twilio(.post, RouterPath(prefix + "/{conversation}/Messages")) { request, context throws(TwilioRESTError) in
            let form = try await RESTSupport.form(of: request)
            let message = try await state.addConversationMessage(key(context), form: form, service: service(context),
                                                                 webhookEnabled: RESTSupport.webhookEnabled(request))
            let channel = try await state.conversation(key(context), service: service(context))
            return RESTSupport.json(json.message(message, in: channel, request: request), status: .created)
        }
        router.twilio(.get, RouterPath(prefix + "/{conversation}/Messages")) { request, context throws(TwilioRESTError) in
            let channel = try await state.conversation(key(context), service: service(context))
            var messages = channel.messages
            if request.uri.queryParameters["Order"].map(String.init)?.lowercased() == "desc" { messages.reverse() }
            return RESTSupport.json(json.list("messages", messages.map { json.message($0, in: channel, request: request) }, request: request))
        }
        router.twilio(.post, RouterPath(prefix + "/{conversation}/Webhooks")) { request, context throws(TwilioRESTError) in
            let form = try await RESTSupport.form(of: request)
            let webhook = try await state.addScopedWebhook(key(context), form: form, service: service(context))
            let channel = try await state.conversation(key(context), service: service(context))
            return RESTSupport.json(json.webhook(webhook, in: channel, request: request), status: .created)
        }
        router.twilio(.get, RouterPath(prefix + "/{conversation}/Webhooks")) { request, context throws(TwilioRESTError) in
            let channel = try await state.conversation(key(context), service: service(context))
            let items = (channel.conversation?.webhooks ?? []).map { json.webhook($0, in: channel, request: request) }
            return RESTSupport.json(json.list("webhooks", items, request: request))
        }
        router.twilio(.delete, RouterPath(prefix + "/{conversation}/Webhooks/{webhook}")) { _, context throws(TwilioRESTError) in
            try await state.deleteScopedWebhook(key(context), sid: context.parameters.get("webhook") ?? "", service: service(context))
            return RESTSupport.noContent()
        }
    }
}
