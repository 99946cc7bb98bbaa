import Foundation
import TwilioWire

/// Address Configurations (`/v1/Configuration/Addresses`) and the Conversations service's
/// webhooks (`/v1/Services/{IS}/Configuration/Webhooks`, `/v1/Configuration/Webhooks`), in the
/// shapes of twilio-oai's `twilio_conversations_v1.json`.
extension EmulatorState {
    var addressConfigurations: [AddressConfiguration] {
        addressOrder.compactMap { addresses[$0] }
    }

    func addressConfiguration(_ sid: String) throws(TwilioRESTError) -> AddressConfiguration {
        guard let address = addresses[sid] else { throw TwilioRESTError.notFound(path: "/v1/Configuration/Addresses/\(sid)") }
        return address
    }

    /// `POST /v1/Configuration/Addresses`: `Type` and `Address` required; `AutoCreation.*`.
    /// An address configured twice is refused (Twilio's code for it is not documented; the
    /// emulator answers 409 with code 50353, its "already exists").
    func createAddressConfiguration(_ form: TwilioForm) throws(TwilioRESTError) -> AddressConfiguration {
        let type = try Self.required("Type", in: form).lowercased()
        guard AddressConfiguration.types.contains(type) else {
            throw TwilioRESTError.invalidParameter("Type", "`\(type)` is not one of \(AddressConfiguration.types.joined(separator: ", "))")
        }
        let address = try Self.required("Address", in: form)
        if addresses.values.contains(where: { $0.address == address }) {
            throw TwilioRESTError(code: 50353, message: "Address configuration for \(address) already exists", status: 409)
        }
        var autoCreation = AddressConfiguration.AutoCreation()
        if let enabled = form["AutoCreation.Enabled"] { autoCreation.enabled = try Self.bool(enabled, name: "AutoCreation.Enabled") }
        if let kind = form["AutoCreation.Type"]?.lowercased(), !kind.isEmpty {
            guard AddressConfiguration.autoCreationTypes.contains(kind) else {
                throw TwilioRESTError.invalidParameter("AutoCreation.Type", "`\(kind)` is not one of webhook, studio, default")
            }
            autoCreation.type = kind
        }
        if let service = form["AutoCreation.ConversationServiceSid"], !service.isEmpty {
            try checkService(service, path: "/v1/Configuration/Addresses")
            autoCreation.conversationServiceSid = service
        }
        if let url = form["AutoCreation.WebhookUrl"] {
            autoCreation.webhookURL = try Self.webhookURL(url, name: "AutoCreation.WebhookUrl")
        }
        if let method = form["AutoCreation.WebhookMethod"], !method.isEmpty {
            guard method.lowercased() == "post" else {
                throw TwilioRESTError.invalidParameter("AutoCreation.WebhookMethod", "the emulator sends webhooks with POST only")
            }
        }
        autoCreation.webhookFilters = form.values("AutoCreation.WebhookFilters").filter { !$0.isEmpty }
        autoCreation.studioFlowSid = form["AutoCreation.StudioFlowSid"].flatMap { $0.isEmpty ? nil : $0 }
        autoCreation.studioRetryCount = form["AutoCreation.StudioRetryCount"].flatMap { Int($0) }
        if autoCreation.enabled, autoCreation.type == "webhook", autoCreation.webhookURL == nil {
            throw TwilioRESTError.missingParameter("AutoCreation.WebhookUrl")
        }
        let now = now
        let configuration = AddressConfiguration(
            sid: TwilioSID.random("IG"), type: type, address: address, friendlyName: form["FriendlyName"],
            addressCountry: form["AddressCountry"].flatMap { $0.isEmpty ? nil : $0 }, autoCreation: autoCreation,
            dateCreated: now, dateUpdated: now)
        addresses[configuration.sid] = configuration
        addressOrder.append(configuration.sid)
        changed()
        return configuration
    }

    func deleteAddressConfiguration(_ sid: String) throws(TwilioRESTError) {
        _ = try addressConfiguration(sid)
        addresses[sid] = nil
        addressOrder.removeAll { $0 == sid }
        changed()
    }

    /// `POST …/Configuration/Webhooks`: `PreWebhookUrl`, `PostWebhookUrl`, `Method`, `Filters`
    /// (repeated; a new list replaces the old), `Target` (account level).
    func updateServiceWebhooks(_ form: TwilioForm, service: String?) throws(TwilioRESTError) -> ConversationsServiceWebhooks {
        if let service { try checkService(service, path: "/v1/Services/\(service)/Configuration/Webhooks") }
        var settings = serviceWebhooks
        if let url = form["PreWebhookUrl"] { settings.preWebhookURL = try Self.webhookURL(url, name: "PreWebhookUrl") }
        if let url = form["PostWebhookUrl"] { settings.postWebhookURL = try Self.webhookURL(url, name: "PostWebhookUrl") }
        if let method = form["Method"], !method.isEmpty {
            guard method.uppercased() == "POST" else { throw TwilioRESTError.invalidParameter("Method", "the emulator sends webhooks with POST only") }
        }
        let filters = form.values("Filters")
        if !filters.isEmpty { settings.filters = filters.filter { !$0.isEmpty } }
        if let target = form["Target"], !target.isEmpty {
            guard ["webhook", "flex"].contains(target) else { throw TwilioRESTError.invalidParameter("Target", "`\(target)` is not webhook or flex") }
            settings.target = target
        }
        serviceWebhooks = settings
        changed()
        return settings
    }

    func serviceWebhookSettings(service: String?) throws(TwilioRESTError) -> ConversationsServiceWebhooks {
        if let service { try checkService(service, path: "/v1/Services/\(service)/Configuration/Webhooks") }
        return serviceWebhooks
    }

    private static func bool(_ text: String, name: String) throws(TwilioRESTError) -> Bool {
        switch text.lowercased() {
        case "true": return true
        case "false", "": return false
        default: throw TwilioRESTError.invalidParameter(name, "`\(text)` is not true or false")
        }
    }
}
