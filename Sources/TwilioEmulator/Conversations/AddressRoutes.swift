import Hummingbird
import TwilioWire

/// The Conversations configuration routes: Address Configurations (`POST|GET
/// /v1/Configuration/Addresses`, `GET|DELETE …/{IG}`) and the service's webhooks (`GET|POST
/// /v1/Services/{IS}/Configuration/Webhooks`, and `/v1/Configuration/Webhooks` for the default
/// service), in the shapes of twilio-oai's `twilio_conversations_v1.json`.
struct AddressRoutes {
    let state: EmulatorState
    let configuration: TwilioEmulator.Configuration
    let fallbackOrigin: String

    func register(on router: Router<BasicRequestContext>) {
        let state = state, json = self
        router.twilio(.post, "/v1/Configuration/Addresses") { request, _ throws(TwilioRESTError) in
            let address = try await state.createAddressConfiguration(try await RESTSupport.form(of: request))
            return RESTSupport.json(json.address(address, request: request), status: .created)
        }
        router.twilio(.get, "/v1/Configuration/Addresses") { request, _ throws(TwilioRESTError) in
            let type = request.uri.queryParameters["Type"].map(String.init)
            let items = await state.addressConfigurations.filter { type == nil || $0.type == type }.map { json.address($0, request: request) }
            return RESTSupport.json(RESTSupport.list(key: "address_configurations", items: items, origin: json.origin(request),
                                                     path: request.uri.path))
        }
        router.twilio(.get, "/v1/Configuration/Addresses/{address}") { request, context throws(TwilioRESTError) in
            let address = try await state.addressConfiguration(context.parameters.get("address") ?? "")
            return RESTSupport.json(json.address(address, request: request))
        }
        router.twilio(.delete, "/v1/Configuration/Addresses/{address}") { _, context throws(TwilioRESTError) in
            try await state.deleteAddressConfiguration(context.parameters.get("address") ?? "")
            return RESTSupport.noContent()
        }
        for (path, service) in [("/v1/Configuration/Webhooks", false), ("/v1/Services/{service}/Configuration/Webhooks", true)] {
            @Sendable func sid(_ context: BasicRequestContext) -> String? { service ? context.parameters.get("service") ?? "" : nil }
            router.twilio(.get, RouterPath(path)) { request, context throws(TwilioRESTError) in
                let settings = try await state.serviceWebhookSettings(service: sid(context))
                return RESTSupport.json(json.webhooks(settings, service: sid(context), request: request))
            }
            router.twilio(.post, RouterPath(path)) { request, context throws(TwilioRESTError) in
                let settings = try await state.updateServiceWebhooks(try await RESTSupport.form(of: request), service: sid(context))
                return RESTSupport.json(json.webhooks(settings, service: sid(context), request: request))
            }
        }
    }

    func address(_ address: AddressConfiguration, request: Request) -> EmulatorJSON {
        let auto = address.autoCreation
        var autoCreation: [EmulatorJSON.Member] = [.init("enabled", .bool(auto.enabled)), .init("type", .string(auto.type)),
                                                   .init("conversation_service_sid", .string(auto.conversationServiceSid ?? configuration.chatServiceSid))]
        switch auto.type {
        case "webhook":
            autoCreation += [.init("webhook_url", RESTSupport.optional(auto.webhookURL)), .init("webhook_method", .string(auto.webhookMethod)),
                             .init("webhook_filters", .array(auto.webhookFilters.map { .string($0) }))]
        case "studio":
            autoCreation += [.init("studio_flow_sid", RESTSupport.optional(auto.studioFlowSid)),
                             .init("studio_retry_count", auto.studioRetryCount.map { .int($0) } ?? .null)]
        default: break
        }
        return [
            "account_sid": .string(configuration.accountSid),
            "sid": .string(address.sid),
            "address": .string(address.address),
            "type": .string(address.type),
            "friendly_name": RESTSupport.optional(address.friendlyName),
            "address_country": RESTSupport.optional(address.addressCountry),
            "auto_creation": .object(autoCreation),
            "date_created": RESTSupport.date(address.dateCreated),
            "date_updated": RESTSupport.date(address.dateUpdated),
            "url": .string(origin(request) + "/v1/Configuration/Addresses/\(address.sid)"),
        ]
    }

    func webhooks(_ settings: ConversationsServiceWebhooks, service: String?, request: Request) -> EmulatorJSON {
        var members: [EmulatorJSON.Member] = [.init("account_sid", .string(configuration.accountSid))]
        if let service { members.append(.init("chat_service_sid", .string(service))) }
        members += [
            .init("pre_webhook_url", RESTSupport.optional(settings.preWebhookURL)),
            .init("post_webhook_url", RESTSupport.optional(settings.postWebhookURL)),
            .init("filters", .array(settings.filters.map { .string($0) })),
            .init("method", .string(settings.method)),
        ]
        if service == nil { members.append(.init("target", .string(settings.target))) }
        members.append(.init("url", .string(origin(request) + (service.map { "/v1/Services/\($0)" } ?? "/v1") + "/Configuration/Webhooks")))
        return .object(members)
    }

    func origin(_ request: Request) -> String {
        RESTSupport.origin(of: request, fallback: fallbackOrigin)
    }
}
